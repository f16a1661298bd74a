"""PIMS's one endpoint as the scenarios call it: an action in a JSON body; per-run SKUs; the fake's keys."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from typing import Any

import httpx

from conformance.apis import get_profile
from conformance.resources import load_fixtures
from conformance.scenarios import ScenarioContext
from conformance.target import DEFAULT, Target

API = "pims"
PATH = "/api/en-us/pim/manage/products"


class PimsApi:
    def __init__(self, target: Target) -> None:
        self.target = target
        self.prefix = f"PCT-{secrets.token_hex(4).upper()}-"  # per run: runs never share a SKU

    def call(self, body: Mapping[str, Any], *, token: Any = DEFAULT, view: str | None = None) -> httpx.Response:
        headers = {"ApiView": view} if view else {}
        return self.target.request(
            "POST", PATH, token=token, json=body, headers=headers, describe=json.dumps(body)[:300]
        )

    def sku(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def create(self, sku: str, *, token: Any = DEFAULT, **attributes: Any) -> httpx.Response:
        return self.call({"action": "createProduct", "sku": sku, "data": {"attributes": attributes}}, token=token)

    def edit(self, sku: str, **attributes: Any) -> httpx.Response:
        return self.call({"action": "editProduct", "sku": sku, "data": {"attributes": attributes}})

    def product(self, sku: str, *, token: Any = DEFAULT, view: str | None = None) -> httpx.Response:
        return self.call({"action": "listProduct", "sku": sku}, token=token, view=view)

    def exists(self, sku: str) -> bool:
        response = self.product(sku)
        try:
            body = response.json()
        except ValueError:
            return False
        return response.status_code == 200 and isinstance(body, Mapping) and body.get("status") == "OK"

    def retire(self, *skus: str) -> None:
        """Soft-delete what a scenario made (status "deleted", the only delete PIMS has, PI-35)."""
        for sku in skus:
            self.edit(sku, status="deleted")

    def history(self, sku: str) -> httpx.Response:
        return self.call({"action": "historyProduct", "sku": sku})

    def get_list(self, **params: Any) -> httpx.Response:
        return self.call({"action": "getList", "params": params})

    def own(self, **params: Any) -> httpx.Response:
        """getList of this run's products only (condition_query, PI-24)."""
        return self.get_list(condition_query=f"[[sku]] LIKE '{self.prefix}%'", **params)


def pims_api(ctx: ScenarioContext) -> PimsApi:
    return PimsApi(ctx.target)


def fake_keys(ctx: ScenarioContext) -> dict[str, Any] | None:
    """The fake's fixture keys and Views, when the run uses the fake's default key (or --strict, which tests
    the fake itself); None against a vendor, whose keys and Views the suite cannot know."""
    if not (ctx.strict or ctx.target.token == get_profile(API).default_token()):
        return None
    return load_fixtures("pims")
