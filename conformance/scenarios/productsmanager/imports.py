"""Imports of generated catalogs: counts, statuses and the errors listing agree with the file (PM-02..PM-17)."""

from __future__ import annotations

from hypothesis import strategies as st

from conformance.checks import counts
from conformance.observations import ExpectedCounts
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.productsmanager import catalogs, flow
from conformance.scenarios.productsmanager.catalogs import EanPool, RowPlan


@scenario(
    flow.API,
    rules=["PM-02", "PM-08", "PM-09", "PM-10", "PM-11", "PM-12", "PM-13", "PM-15", "PM-16", "PM-17"],
)
def import_catalogs(ctx: ScenarioContext) -> None:
    """Generated CSV, XLSX and JSON catalogs, clean or with bad rows, import with exactly the expected outcome."""
    api, pool = flow.imports_api(ctx), EanPool()
    for file_format in ("csv", "xlsx", "json"):

        def one(plans: list[RowPlan], file_format: str = file_format) -> None:
            catalog = catalogs.build(plans, pool, file_format)
            upload = catalog.upload()
            ctx.note(catalog.describe())
            ctx.note(upload.describe())
            job = flow.import_file(ctx, api, upload, expect_format=file_format, file_format=file_format)
            rows = catalog.expected()
            ctx.verify(counts.counts_match_file, job=job, expected=ExpectedCounts.for_new_rows(rows))
            flow.judge_listing(ctx, api, job, rows, first_row=catalog.first_row)

        plans = catalogs.catalog_plans(strict=ctx.strict)
        ctx.for_examples(plans, one, count=flow.examples_per_format(ctx), label=file_format)


@scenario(flow.API, rules=["PM-16", "PM-17", "X-111"])
def errors_paging(ctx: ScenarioContext) -> None:
    """25 bad rows page as 20 + 5 by default, and any per_page covers them without gaps or repeats."""
    api, pool = flow.imports_api(ctx), EanPool()

    def one(per_page: int) -> None:
        plans = [RowPlan("bad_ean_format", f"Item {n}", catalogs.Decimal("1.00"), "invalid-ean") for n in range(25)]
        plans[3:3] = [RowPlan("valid", "Kept", catalogs.Decimal("2.50"), "")] * 2
        catalog = catalogs.build(plans, pool, "csv")
        ctx.note(catalog.describe())
        job = flow.import_file(ctx, api, catalog.upload(), expect_format="csv", file_format="csv")
        rows = catalog.expected()
        ctx.verify(counts.counts_match_file, job=job, expected=ExpectedCounts.for_new_rows(rows))
        flow.judge_listing(ctx, api, job, rows, first_row=catalog.first_row)
        ctx.note(f"errors read {per_page} per page")
        flow.judge_listing(ctx, api, job, rows, first_row=catalog.first_row, per_page=per_page)

    ctx.for_examples(st.integers(min_value=1, max_value=30), one, count=1)
