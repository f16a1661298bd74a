"""Jasper's REST API as the products' scenarios call it: JSON in, per-run unique SKUs and names, ids from envelopes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import httpx

from conformance.bodies import json_body
from conformance.checks import jasper_products as checks
from conformance.scenarios import ScenarioContext
from conformance.scenarios.jasper.client import API, V1, JasperApi, id_of, item_of
from conformance.target import Target

__all__ = ["API", "V1", "VERSION", "JasperProductsApi", "id_of", "item_of", "jasper_products_api"]

VERSION = 1  # the seed's own version examples use 1 (the version list, attribute versions)


class JasperProductsApi(JasperApi):
    """The catalog's client with query strings on GET, an empty JSON body by default on POST, and product helpers."""

    def __init__(self, target: Target) -> None:
        super().__init__(target)
        self.tag = self.tag.upper()  # SKUs read better in capitals: PRODUCT-1A2B3C4D

    def sku(self, base: str) -> str:
        return f"{base}-{self.tag}"

    def get(self, path: str, **query: Any) -> httpx.Response:
        return self.call("GET", path + (f"?{urlencode(query)}" if query else ""))

    def post(self, path: str, body: Any = None, **kw: Any) -> httpx.Response:
        return self.call("POST", path, {} if body is None else body, **kw)

    # --- products ------------------------------------------------------------------------------------------
    def create_product(self, base: str, **fields: Any) -> httpx.Response:
        return self.post("/products", {"name": f"{base} {self.tag}", "sku": self.sku(base), "enabled": 1,
                                       "is_visible": 1, **fields})

    def product(self, product_id: Any, version: int | None = None) -> Mapping[str, Any]:
        path = f"/products/{product_id}" + (f"/version/{version}" if version is not None else "")
        return item_of(self.get(path), ("product",))

    def listed(self, version: int = VERSION, /, **query: Any) -> list[Mapping[str, Any]]:
        body = json_body(self.get(f"/products/version/{version}", **query))
        items = body.get("products") if isinstance(body, Mapping) else None
        return [i for i in items or [] if isinstance(i, Mapping)]

    def option_value(self) -> tuple[Any, Any]:
        """A fresh option with one value: (option_id, option_value_id)."""
        option = id_of(self.post("/options", {"name": f"Size {self.tag}"}), ("option",))
        value = id_of(self.post(f"/options/{option}/values", {"value": "S", "label": "S"}),
                      ("value_value", "option_value"))
        return option, value


def new_product(ctx: ScenarioContext, api: JasperProductsApi, base: str, **fields: Any) -> Any:
    """A product created for the scenario (its creation required: later steps need it), by id."""
    response = api.create_product(base, **fields)
    ctx.require(checks.change_accepted, response=response, what=f"a product {base}")
    return id_of(response, ("product",))


def jasper_products_api(ctx: ScenarioContext) -> JasperProductsApi:
    return JasperProductsApi(ctx.target)

