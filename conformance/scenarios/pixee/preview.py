"""Previews of dry runs before they are committed: size, agreement with the file, bad rows (PX-27, PX-28)."""

from __future__ import annotations

from functools import partial

from hypothesis import strategies as st

from conformance.checks.pixee import preview, requests
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.pixee import catalogs, flow
from conformance.scenarios.pixee.catalogs import FORMATS, EanPool, RowPlan

LIMIT = 5  # the seed's own example: preview?limit=5


@scenario(flow.API, rules=["PX-27", "PX-28", "PX-04"])
def preview_before_commit(ctx: ScenarioContext) -> None:
    """A dry run's preview holds 10 rows by default (limit=5: five), parsed as the file has them, bad ones flagged."""
    api, pool = flow.pixee_api(ctx), EanPool()

    def large(plans: list[RowPlan], file_format: str) -> None:
        catalog = catalogs.build(plans, pool, file_format)
        facts = catalog.facts()
        ctx.note(catalog.upload().describe())
        job = flow.import_catalog(ctx, api, catalog, dry_run=True)
        for limit in (None, LIMIT):
            response = api.preview(job["id"]) if limit is None else api.preview(job["id"], limit=limit)
            ctx.verify(preview.preview_matches_schema, response=response)
            ctx.verify(preview.preview_size, response=response, limit=limit, facts=facts)
            ctx.verify(preview.preview_agrees_with_file, response=response, facts=facts)
            ctx.verify(preview.preview_in_file_order, response=response, facts=facts)

    def small(plans: list[RowPlan], file_format: str) -> None:
        catalog = catalogs.build(plans, pool, file_format)
        facts = catalog.facts()
        ctx.note(catalog.upload().describe())
        job = flow.import_catalog(ctx, api, catalog, dry_run=True)
        response = api.preview(job["id"])
        ctx.verify(preview.preview_matches_schema, response=response)
        ctx.verify(preview.preview_agrees_with_file, response=response, facts=facts)
        ctx.verify(preview.preview_flags_bad_rows, response=response, facts=facts)
        if ctx.strict:  # the fake previews bad rows too (a vendor may list them only as validation_errors)
            ctx.verify(preview.preview_size, response=response, limit=None, facts=facts)
        if ctx.strict:
            lines = api.log_page(job["id"], limit=200).items
            ctx.verify(preview.preview_errors_are_the_error_logs, response=response, lines=lines)

    valid = catalogs.row_plans(["valid"])
    for file_format in FORMATS:
        many = st.lists(valid, min_size=11, max_size=16)
        ctx.for_examples(many, partial(large, file_format=file_format), count=1, label=f"large {file_format}")
        few = catalogs.catalog_plans(max_rows=8, strict=ctx.strict)
        ctx.for_examples(few, partial(small, file_format=file_format), count=1, label=f"small {file_format}")

    if ctx.strict:
        job_id = flow.create(ctx, api, catalogs.valid_rows(pool, 2).upload(), file_type="csv", dry_run=True)
        response = api.preview(job_id)
        ctx.verify(preview.preview_waits_for_analysis, response=response)
        ctx.verify(requests.error_envelope, response=response, code="preview_not_ready", message="preview_not_ready")
