"""getList pagination: every product once across pages, sku_count consistent (PI-12, PI-14, X-82); what getList
selects by search, category and variants, and in which order (PI-13, PI-15, PI-17 … PI-21, PI-25)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from conformance.checks.listing import walk_whole
from conformance.checks.pims import catalogue, evaluation, products, skus_of
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.pims.client import API, fake_keys, pims_api


@scenario(API, rules=["PI-11", "PI-12", "PI-14", "PI-24", "X-72", "X-82"])
def pagination_covers_every_product(ctx: ScenarioContext) -> None:
    """Pages 1, 2, … of getList (this run's products by condition_query) list each product exactly once."""
    api = pims_api(ctx)
    created = [api.sku(f"PAGE-{n:02d}") for n in range(7)]
    for sku in created:
        ctx.require(products.write_accepted, response=api.create(sku, title=f"Page probe {sku}"), sku=sku)

    def read_pages(limit: int) -> None:
        ctx.note(f"limit {limit} over {len(created)} products")
        walk = walk_whole(1, lambda page: api.own(pagination={"limit": limit, "page": page}),
                          lambda response: skus_of(response),
                          lambda response, page, skus: page + 1 if len(skus) >= limit else None)
        if walk.pages:
            ctx.verify(products.sku_count_consistent, response=walk.pages[0], total=len(created))
        ctx.verify(products.pages_cover_every_product_once, pages=walk.pages, expected=created, limit=limit)

    ctx.for_examples(
        st.integers(min_value=1, max_value=len(created) + 1),
        read_pages,
        count=min(ctx.options.max_examples, 3),
        label="limit",
    )


@scenario(API, rules=["PI-13", "PI-15", "PI-17", "PI-18", "PI-19", "PI-21", "PI-25"])
def getlist_selects_by_search_category_and_variants(ctx: ScenarioContext) -> None:
    """Search words, cat_id (0: all; with the fake's categories, one category and its subcategories), variants
    hidden unless asked for and then sorted by their parent's SKU; limit bounds; a condition on a
    non-filterable attribute refused."""
    api = pims_api(ctx)
    word = f"kw{api.prefix[4:12].lower()}"
    fixtures = fake_keys(ctx)
    rods, telescopic = ["Fishing > Rods"], ["Fishing > Rods > Telescopic"]  # the fake's categories (ids 4 and 5)
    a, b, c = api.sku("SEL-A"), api.sku("SEL-B"), api.sku("SEL-C")
    ctx.note(f"products {a} ('{word}'), {b}, variation {c} of {a}")
    for sku, fields in ((a, {"title": f"Rod {word}", **({"categories": rods} if fixtures else {})}),
                        (b, {"title": "Reel", **({"categories": telescopic} if fixtures else {})}),
                        (c, {"title": "Rod variation", "variation_of": a})):
        ctx.require(products.write_accepted, response=api.create(sku, **fields), sku=sku)
    selections: list[tuple[dict[str, Any], list[str], str]] = [
        ({"search": word}, [a], "search"),
        ({}, [a, b], "default flags: no variants"),
        ({"include_variants": "true"}, [a, b, c], "include_variants"),
        ({"cat_id": 0}, [a, b], "cat_id 0"),
    ]
    if fixtures:
        selections += [({"cat_id": 4}, [a], "cat_id 4 (Rods), no subcategories"),
                       ({"cat_id": 4, "subcategories": "true"}, [a, b], "cat_id 4 with subcategories")]
    for params, expected, why in selections:
        ctx.verify(evaluation.selection_matches_reference, response=api.own(**params), expected=expected,
                   query=f"{why}: {params}")
    ctx.verify(evaluation.order_matches_reference, response=api.own(include_variants="true"), groups=[[a, c], [b]],
               order="default: SKU ASC, a variation by its parent's SKU")
    for limit in (500, 0, 501):
        ctx.verify(catalogue.limit_in_range, response=api.own(pagination={"limit": limit}), limit=limit)
    definition = catalogue.definition_of(api.product(a))
    hidden = next((name for name, entry in definition.items() if isinstance(entry, dict)
                   and str(entry.get("isFilterable")).lower() in ("0", "false")
                   and str(entry.get("collection")) == "0"), None)
    if hidden:
        ctx.verify(catalogue.not_filterable_refused, response=api.get_list(condition_query=f"[[{hidden}]] = 'x'"),
                   attribute=hidden)
    api.retire(c, a, b)
