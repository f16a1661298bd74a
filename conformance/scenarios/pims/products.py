"""Writes read back: create → list → edit → history (PI-29, PI-46, PI-47); soft delete and restore (PI-20,
PI-35, PI-36)."""

from __future__ import annotations

from collections.abc import Mapping

from conformance.checks.pims import body_of, products
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.pims.client import API, pims_api


def _total(response) -> int:
    body = body_of(response)
    total = body.get("total_count") if isinstance(body, Mapping) else None
    return total if isinstance(total, int) else 0


@scenario(API, rules=["PI-05", "PI-29", "PI-33", "PI-46", "PI-47", "PI-49", "PI-50"])
def edit_recorded_in_history(ctx: ScenarioContext) -> None:
    """A created product reads back; an edit shows in listProduct and in historyProduct with old and new."""
    api = pims_api(ctx)
    sku = api.sku("HIST")
    ctx.note(f"sku {sku}")
    ctx.require(products.write_accepted, response=api.create(sku, title="First title", price="100.00"), sku=sku)
    ctx.verify(
        products.product_shows_values,
        response=api.product(sku),
        values={"sku": sku, "title": "First title", "price": "100.00"},
    )
    before = _total(api.history(sku))
    ctx.require(products.write_accepted, response=api.edit(sku, title="Second title"), sku=sku)
    ctx.verify(products.product_shows_values, response=api.product(sku), values={"title": "Second title"})
    ctx.verify(
        products.history_shows_change,
        response=api.history(sku),
        attribute="title",
        old="First title",
        new="Second title",
        before=before,
    )


@scenario(API, rules=["PI-20", "PI-35", "PI-36", "X-72", "X-76"])
def soft_delete_and_restore(ctx: ScenarioContext) -> None:
    """status "deleted" hides a product from getList unless the deleted flag is set; "active" restores it."""
    api = pims_api(ctx)
    sku = api.sku("DEL")
    ctx.note(f"sku {sku}")
    ctx.require(products.write_accepted, response=api.create(sku, title="Soon deleted"), sku=sku)
    ctx.verify(products.listed_as_expected, response=api.own(), sku=sku, listed=True, why="active")
    ctx.require(products.write_accepted, response=api.edit(sku, status="deleted"), sku=sku)
    ctx.verify(products.product_shows_values, response=api.product(sku), values={"status": "deleted"})
    ctx.verify(products.listed_as_expected, response=api.own(), sku=sku, listed=False, why="deleted, default flags")
    ctx.verify(
        products.listed_as_expected,
        response=api.own(include_deleted="true"),
        sku=sku,
        listed=True,
        why='deleted, include_deleted "true"',
    )
    ctx.require(products.write_accepted, response=api.edit(sku, status="active"), sku=sku)
    ctx.verify(products.listed_as_expected, response=api.own(), sku=sku, listed=True, why="restored to active")
