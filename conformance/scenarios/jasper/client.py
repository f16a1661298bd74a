"""Jasper's REST API as the scenarios call it: JSON in, per-run unique names, ids read from envelopes."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from conformance.bodies import json_body
from conformance.scenarios import ScenarioContext
from conformance.target import DEFAULT, Target

API = "jasper"
V1 = "/api/v1"


class JasperApi:
    def __init__(self, target: Target) -> None:
        self.target = target
        self.tag = secrets.token_hex(4)  # per run: names never collide with another run's

    def name(self, base: str) -> str:
        return f"{base} {self.tag}"

    def call(self, method: str, path: str, body: Any = None, *, token: Any = DEFAULT) -> httpx.Response:
        kwargs = {} if body is None else {"json": body}
        return self.target.request(method, V1 + path, token=token,
                                   describe=json.dumps(body)[:200] if body is not None else None, **kwargs)

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.call("GET", path, **kw)

    def post(self, path: str, body: Any, **kw: Any) -> httpx.Response:
        return self.call("POST", path, body, **kw)

    def put(self, path: str, body: Any, **kw: Any) -> httpx.Response:
        return self.call("PUT", path, body, **kw)

    def delete(self, path: str, **kw: Any) -> httpx.Response:
        return self.call("DELETE", path, **kw)


def jasper_api(ctx: ScenarioContext) -> JasperApi:
    return JasperApi(ctx.target)


def item_of(response: httpx.Response, keys: Sequence[str]) -> Mapping[str, Any]:
    body = json_body(response)
    if isinstance(body, Mapping):
        for key in keys:
            if isinstance(found := body.get(key), Mapping):
                return found
    return {}


def id_of(response: httpx.Response, keys: Sequence[str]) -> Any:
    return item_of(response, keys).get("id")
