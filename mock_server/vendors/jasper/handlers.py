"""Jasper operations (openapi/jasper.yaml): one `Endpoints` per declared resource, plus the bespoke bindings.

Every operation and its binding are declared in `resources.py`; the resolver's table (`operations.py`) maps each
operationId to a binding here and its method: `getAttribute` → `declared.attributes.get(**kwargs)`,
`listBrandAttributes` → `brand_attributes.list(**kwargs)`, `listProducts` → `product_operations.products_.list`.
"""

from __future__ import annotations

from types import SimpleNamespace

from mock_server.context import runtime
from mock_server.responses import json_response
from mock_server.vendors.jasper import product_operations  # noqa: F401  (products, webhooks, exports)
from mock_server.vendors.jasper.endpoints import DELETED, Endpoints, engine, require_write
from mock_server.vendors.jasper.entity_attributes import EntityAttributes
from mock_server.vendors.jasper.resources import RESOURCES


def check_token(token: str, required_scopes=None) -> dict | None:
    """Bearer {token} (J-001): a fixture token, or 401. Read-only tokens get 403 on writes (J-007)."""
    credentials = runtime().fixtures["jasper"]["credentials"]
    if token in credentials["tokens"]:
        return {"sub": "jasper", "read_only": False}
    if token in credentials.get("read_only_tokens", ()):
        return {"sub": "jasper", "read_only": True}
    return None


def server_time(epoch_dt) -> str:
    """The seed's ping format, `Tue Feb 7 19:05:03 UTC 2017` (J-002): the day of month unpadded."""
    return f"{epoch_dt:%a %b} {epoch_dt.day} {epoch_dt:%H:%M:%S} UTC {epoch_dt.year}"


async def ping(**_kwargs):
    return json_response({"time": server_time(runtime().clock.now_dt())})


# One generic binding per resource that declares its operations (resources.py): `declared.attributes.get`, …
declared = SimpleNamespace(**{res.name: Endpoints.of(res) for res in RESOURCES if res.generic_operations})


class BrandAttributes:
    """A brand's attributes and their values; the seed's envelope key changes with the operation (X-19)."""

    model = EntityAttributes("brands", "brand_attributes", "brand_attribute_values")

    async def list(self, brand_id: int, **_kwargs):
        return json_response({"brand_attributes": self.model.list(engine(), brand_id)})

    async def get(self, brand_id: int, attribute_id: int, **_kwargs):
        return json_response({"brands_attributes": [self.model.get(engine(), brand_id, attribute_id)]})

    async def create(self, brand_id: int, body: dict, **kwargs):
        require_write(kwargs)
        item, _created = self.model.set_values(engine(), brand_id, body)
        return json_response({"brand_attributes": item}, 201)

    async def update_value(self, brand_id: int, attribute_id: int, value_id: int, body: dict, **kwargs):
        require_write(kwargs)
        item = self.model.update_value(engine(), brand_id, attribute_id, value_id, body)
        return json_response({"brand_attributes": item})

    async def delete_value(self, brand_id: int, attribute_id: int, value_id: int, **kwargs):
        require_write(kwargs)
        self.model.delete_value(engine(), brand_id, attribute_id, value_id)
        return json_response(DELETED)

    async def assign(self, brand_id: int, body: dict, **kwargs):
        require_write(kwargs)
        item, created = self.model.assign(engine(), brand_id, body["attribute_id"])
        return json_response({"brand_attributes": item}, 201 if created else 200)

    async def assign_set(self, brand_id: int, body: dict, **kwargs):
        require_write(kwargs)
        items = self.model.assign_set(engine(), brand_id, body["attribute_set_id"])
        return json_response({"brand_attributes": items})


brand_attributes = BrandAttributes()


async def set_category_channel(category_id: int, channel_id: int, body: dict, **kwargs):
    """POST /categories/{id}/channel/{channel}: create or update the category's web ID there (J-063)."""
    require_write(kwargs)
    eng = engine()
    res = eng.resources["category_channels"]
    eng.get(eng.resources["channels"], channel_id)
    view, created = eng.upsert(res, {"channel_id": channel_id, "web_id": body.get("web_id")}, category_id)
    return json_response({"category_channel": view}, 201 if created else 200)

# The seed's misspelt route, served as a deprecated alias of the canonical one (JS-D03).
brand_attributes_alias = brand_attributes
