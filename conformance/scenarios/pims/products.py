"""Writes read back: create → list → edit → history (PI-29, PI-45 … PI-47); soft delete and restore (PI-20,
PI-35, PI-36); values held to the definition (PI-02, PI-30 … PI-34, PI-37, PI-41, PI-44)."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from conformance.checks.pims import body_of, catalogue, products
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.pims.client import API, pims_api


def _total(response: httpx.Response) -> int:
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


@scenario(API, rules=["PI-02", "PI-07", "PI-11", "PI-30", "PI-31", "PI-32", "PI-34", "PI-37", "PI-41", "PI-44"])
def values_follow_the_definition(ctx: ScenarioContext) -> None:
    """The definition describes every attribute (labels keyed by the URL's locale); a write with pauseReIndexing
    is accepted; a dropdown takes its dictionary's values only, a number no text, status its three values; an
    unknown attribute name is ignored; categories are '>' paths."""
    api = pims_api(ctx)
    sku, other = api.sku("DEF"), api.sku("DEF2")
    ctx.note(f"sku {sku}")
    ctx.require(products.write_accepted, sku=sku, response=api.call(
        {"action": "createProduct", "sku": sku, "pauseReIndexing": "Y", "data": {"attributes": {"title": "Defined"}}}))
    ctx.verify(products.write_accepted, sku=other, response=api.call(
        {"action": "createProduct", "sku": other, "pauseReIndexing": "", "data": {"attributes": {"title": "Other"}}}))
    listed = api.call({"action": "listProductsBySku", "skus": [sku, other, api.sku("NO-SUCH")]})
    ctx.verify(catalogue.product_list_shape, response=listed, skus=[sku, other])
    shown = api.product(sku)
    ctx.verify(catalogue.definition_complete, response=shown, locale="en-us")
    definition = catalogue.definition_of(shown)
    dropdown = next(((name, entry["dictionary"]["data"]) for name, entry in definition.items()
                     if isinstance(entry, Mapping) and entry.get("type") == "dropdown"
                     and isinstance(entry.get("dictionary"), Mapping) and entry["dictionary"].get("data")
                     and str(entry.get("collection")) == "0"), None)
    if dropdown:
        name, values = dropdown
        allowed = values[0] if isinstance(values[0], str) else str(next(iter(values[0].values()), ""))
        ctx.require(products.write_accepted, response=api.edit(sku, **{name: allowed}), sku=sku)
        ctx.verify(products.product_shows_values, response=api.product(sku), values={name: allowed})
        outside = f"Not in the dictionary {api.prefix}"
        ctx.verify(catalogue.refused_or_not_stored, write=api.edit(sku, **{name: outside}), after=api.product(sku),
                   attribute=name, value=outside, why=f"{name} is a dropdown")
    number = next((n for n, e in definition.items() if isinstance(e, Mapping) and e.get("type") == "number"
                   and str(e.get("collection")) == "0"), None)
    if number:
        ctx.verify(catalogue.refused_or_not_stored, write=api.edit(sku, **{number: "abc"}), after=api.product(sku),
                   attribute=number, value="abc", why=f"{number} is a number")
    ctx.verify(catalogue.refused_or_not_stored, write=api.edit(sku, status="archived"), after=api.product(sku),
               attribute="status", value="archived", why="status is active, inactive or deleted")
    unknown = f"no_such_attribute_{api.prefix[4:12].lower()}"
    edited = api.edit(sku, **{unknown: "x", "title": "T3"})
    ctx.verify(catalogue.unknown_attribute_ignored, write=edited, after=api.product(sku), name=unknown)
    ctx.verify(products.product_shows_values, response=api.product(sku), values={"title": "T3"})
    paths = [c for p in (body_of(api.get_list()).get("products") or []) if isinstance(p, Mapping)
             for c in (((p.get("data") or {}).get("attributes") or {}).get("categories") or []) if " > " in str(c)]
    if paths:
        ctx.require(products.write_accepted, response=api.edit(sku, categories=[paths[0]]), sku=sku)
        ctx.verify(products.product_shows_values, response=api.product(sku), values={"categories": [paths[0]]})
    api.retire(sku, other)


@scenario(API, rules=["PI-45"])
def history_paged_24_at_a_time(ctx: ScenarioContext) -> None:
    """25 edits: historyProduct shows 24 entries without pagination, the rest on page 2."""
    api = pims_api(ctx)
    sku = api.sku("HIST24")
    ctx.note(f"sku {sku}")
    ctx.require(products.write_accepted, response=api.create(sku, title="Edit 0"), sku=sku)
    edits = 25
    for n in range(1, edits + 1):
        ctx.require(products.write_accepted, response=api.edit(sku, title=f"Edit {n}"), sku=sku)
    second = api.call({"action": "historyProduct", "sku": sku, "params": {"pagination": {"limit": 24, "page": 2}}})
    ctx.verify(catalogue.history_pages_of_24, first=api.history(sku), second=second, edits=edits)
    api.retire(sku)
