"""Jasper's REST API as part 2's scenarios call it: JSON in, per-run unique SKUs and names, ids from envelopes."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

import httpx

from conformance.bodies import json_body
from conformance.scenarios import ScenarioContext
from conformance.target import DEFAULT, Target

API = "jasper"
V1 = "/api/v1"
VERSION = 1  # the seed's own version examples use 1 (the version list, attribute versions)


class Jasper2Api:
    def __init__(self, target: Target) -> None:
        self.target = target
        self.tag = secrets.token_hex(4).upper()  # per run: SKUs and names never collide with another run's

    def sku(self, base: str) -> str:
        return f"{base}-{self.tag}"

    def call(self, method: str, path: str, body: Any = None, *, token: Any = DEFAULT) -> httpx.Response:
        kwargs = {} if body is None else {"json": body}
        return self.target.request(method, V1 + path, token=token,
                                   describe=json.dumps(body)[:200] if body is not None else None, **kwargs)

    def get(self, path: str, **query: Any) -> httpx.Response:
        return self.call("GET", path + (f"?{urlencode(query)}" if query else ""))

    def post(self, path: str, body: Any = None) -> httpx.Response:
        return self.call("POST", path, {} if body is None else body)

    def put(self, path: str, body: Any) -> httpx.Response:
        return self.call("PUT", path, body)

    def delete(self, path: str) -> httpx.Response:
        return self.call("DELETE", path)

    # --- products ------------------------------------------------------------------------------------------
    def create_product(self, base: str, **fields: Any) -> httpx.Response:
        return self.post("/products", {"name": f"{base} {self.tag}", "sku": self.sku(base), "enabled": 1,
                                       "is_visible": 1, **fields})

    def product(self, product_id: Any, version: int | None = None) -> Mapping[str, Any]:
        path = f"/products/{product_id}" + (f"/version/{version}" if version is not None else "")
        return item_of(self.get(path), ("product",))

    def listed(self, version: int = VERSION, **query: Any) -> list[Mapping[str, Any]]:
        body = json_body(self.get(f"/products/version/{version}", **query))
        items = body.get("products") if isinstance(body, Mapping) else None
        return [i for i in items or [] if isinstance(i, Mapping)]

    def option_value(self) -> tuple[Any, Any]:
        """A fresh option with one value: (option_id, option_value_id)."""
        option = id_of(self.post("/options", {"name": f"Size {self.tag}"}), ("option",))
        value = id_of(self.post(f"/options/{option}/values", {"value": "S", "label": "S"}),
                      ("value_value", "option_value"))
        return option, value


def jasper2_api(ctx: ScenarioContext) -> Jasper2Api:
    return Jasper2Api(ctx.target)


def item_of(response: httpx.Response, keys: Sequence[str]) -> Mapping[str, Any]:
    body = json_body(response)
    if isinstance(body, Mapping):
        for key in keys:
            if isinstance(body.get(key), Mapping):
                return body[key]
    return {}


def id_of(response: httpx.Response, keys: Sequence[str]) -> Any:
    return item_of(response, keys).get("id")
