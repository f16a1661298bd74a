"""getList pagination: every product once across pages, sku_count consistent (PI-12, PI-14, X-82)."""

from __future__ import annotations

from hypothesis import strategies as st

from conformance.checks.pims import products, skus_of
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.pims.client import API, pims_api

MAX_PAGES = 50


@scenario(API, rules=["PI-11", "PI-12", "PI-14", "PI-24", "X-72", "X-82"])
def pagination_covers_every_product(ctx: ScenarioContext) -> None:
    """Pages 1, 2, … of getList (this run's products by condition_query) list each product exactly once."""
    api = pims_api(ctx)
    created = [api.sku(f"PAGE-{n:02d}") for n in range(7)]
    for sku in created:
        ctx.require(products.write_accepted, response=api.create(sku, title=f"Page probe {sku}"), sku=sku)

    def read_pages(limit: int) -> None:
        ctx.note(f"limit {limit} over {len(created)} products")
        pages = []
        for page in range(1, MAX_PAGES + 1):
            response = api.own(pagination={"limit": limit, "page": page})
            pages.append(response)
            if page == 1:
                ctx.verify(products.sku_count_consistent, response=response, total=len(created))
            if len(skus_of(response)) < limit:
                break
        ctx.verify(products.pages_cover_every_product_once, pages=pages, expected=created, limit=limit)

    ctx.for_examples(
        st.integers(min_value=1, max_value=len(created) + 1),
        read_pages,
        count=min(ctx.options.max_examples, 3),
        label="limit",
    )
