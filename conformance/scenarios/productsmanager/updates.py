"""Update by EAN and column mapping: what happens to rows whose products exist, and to renamed columns."""

from __future__ import annotations

import dataclasses
from functools import partial

from hypothesis import strategies as st

from conformance.checks import counts, requests
from conformance.observations import ExpectedCounts, ExpectedRow
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.productsmanager import catalogs, flow
from conformance.scenarios.productsmanager.catalogs import Catalog, EanPool, RowPlan

SEED_MAPPING = {"EAN": "ean", "Titre": "title", "Prix": "price"}  # seed 004's own curl example


def _valid_plans(max_rows: int = 5) -> st.SearchStrategy[list[RowPlan]]:
    return st.lists(catalogs.row_plans(["valid"]), min_size=1, max_size=max_rows)


def _retitled(catalog: Catalog, suffix: str) -> Catalog:
    rows = [dataclasses.replace(row, title=f"{row.title} {suffix}") for row in catalog.rows]
    return dataclasses.replace(catalog, rows=rows, nonce=f"{catalog.nonce}{suffix}")


@scenario(flow.API, rules=["PM-06", "PM-07", "X-115"])
def update_by_ean(ctx: ScenarioContext) -> None:
    """Re-importing known EANs updates them by default (PM-06) and updates none with update_existing=false (PM-07)."""
    api, pool = flow.imports_api(ctx), EanPool()

    def one(plans: list[RowPlan]) -> None:
        first = catalogs.build(plans, pool, "csv")
        ctx.note(first.describe())
        job = flow.import_file(ctx, api, first.upload(), expect_format="csv", file_format="csv")
        ctx.verify(counts.counts_match_file, job=job, expected=ExpectedCounts.for_new_rows(first.expected()))

        again = _retitled(first, "v2")
        ctx.note("the same EANs again, update_existing not sent")
        job = flow.import_file(ctx, api, again.upload(), expect_format="csv", file_format="csv")
        ctx.verify(counts.existing_products_updated, job=job, existing=len(plans))

        frozen = _retitled(first, "v3")
        ctx.note("the same EANs again, update_existing=false")
        job = flow.import_file(
            ctx, api, frozen.upload(), expect_format="csv", file_format="csv", update_existing=False, may_skip=True
        )
        ctx.verify(counts.no_updates_when_disabled, job=job)
        ctx.verify(counts.existing_rows_refused, job=job, existing=len(plans))
        if ctx.strict:
            rows = [ExpectedRow(index=i, ean=row.ean, problem="product_exists") for i, row in enumerate(frozen.rows)]
            flow.judge_listing(ctx, api, job, rows, first_row=frozen.first_row)

    ctx.for_examples(_valid_plans(), one, count=1)


@scenario(flow.API, rules=["PM-05", "X-112"])
def column_mapping(ctx: ScenarioContext) -> None:
    """The seed's mapping {"EAN":"ean","Titre":"title","Prix":"price"} imports its columns; a non-object is refused."""
    api, pool = flow.imports_api(ctx), EanPool()

    def one(plans: list[RowPlan], file_format: str) -> None:
        columns = {field: column for column, field in SEED_MAPPING.items()}
        catalog = catalogs.build(plans, pool, file_format, columns=columns)
        ctx.note(catalog.describe() + f", columns {list(SEED_MAPPING)}")
        job = flow.import_file(
            ctx, api, catalog.upload(), expect_format=file_format, file_format=file_format, mapping=SEED_MAPPING
        )
        ctx.verify(requests.mapping_honoured, job=job, rows=len(plans))
        ctx.verify(counts.counts_match_file, job=job, expected=ExpectedCounts.for_new_rows(catalog.expected()))

    for file_format in ("csv", "xlsx", "json"):
        ctx.for_examples(_valid_plans(), partial(one, file_format=file_format), count=1, label=file_format)

    catalog = catalogs.build([RowPlan("valid", "Mapped", catalogs.Decimal("3.00"), "")], pool, "csv")
    for bad in ("notjson", '["EAN", "ean"]'):
        ctx.note(f"mapping={bad}")
        response = api.create(catalog.upload(), file_format="csv", mapping=bad)
        trace = flow.late_refusal(ctx, api, response)
        ctx.verify(requests.malformed_mapping_rejected, response=response, trace=trace)
        ctx.verify(requests.bad_input_refused_at_upload, response=response, what=f"mapping={bad}")
        ctx.verify(requests.error_envelope, response=response)
