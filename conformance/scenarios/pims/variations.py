"""Variation bookkeeping: children created with variation_of show in their parent's variation_skus and
variation_matrix; a re-parented child moves from one family to the other (PI-38, PI-39, PI-40, X-71)."""

from __future__ import annotations

from conformance.checks.pims import products, variations
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.pims.client import API, pims_api


@scenario(API, rules=["PI-29", "PI-38", "PI-39", "PI-40", "X-71"])
def variations_follow_their_parent(ctx: ScenarioContext) -> None:
    """Parent P with variations C1, C2 lists both; moving C1 to parent Q leaves P with C2 and gives Q C1."""
    api = pims_api(ctx)
    first, second = api.sku("VAR-P"), api.sku("VAR-Q")
    one, two = api.sku("VAR-C1"), api.sku("VAR-C2")
    ctx.note(f"parents {first}, {second}; variations {one}, {two}")
    for parent in (first, second):
        ctx.require(products.write_accepted, response=api.create(parent, title=f"Parent {parent}"), sku=parent)
    for child in (one, two):
        response = api.create(child, title=f"Variation {child}", variation_of=first)
        ctx.require(products.write_accepted, response=response, sku=child)
    ctx.verify(products.product_shows_values, response=api.product(first), values={"variation_of": None})
    ctx.verify(products.product_shows_values, response=api.product(one), values={"variation_of": first})
    shown = api.product(first)
    ctx.verify(variations.variation_skus_listed, response=shown, parent=first, expected=[one, two])
    ctx.verify(variations.variation_matrix_covers_family, response=shown, parent=first, family=[first, one, two])

    ctx.note(f"{one} moved to {second}")
    ctx.require(products.write_accepted, response=api.edit(one, variation_of=second), sku=one)
    ctx.verify(products.product_shows_values, response=api.product(one), values={"variation_of": second})
    for parent, children in ((first, [two]), (second, [one])):
        shown = api.product(parent)
        ctx.verify(variations.variation_skus_listed, response=shown, parent=parent, expected=children)
        ctx.verify(variations.variation_matrix_covers_family, response=shown, parent=parent, family=[parent, *children])
