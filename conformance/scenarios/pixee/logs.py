"""Logs of a job with many bad rows, read page after page: meta, totals, level filter, limits (PX-22..PX-26)."""

from __future__ import annotations

from hypothesis import strategies as st

from conformance.checks.pixee import logs
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.pixee import catalogs, flow
from conformance.scenarios.pixee.catalogs import EanPool, RowPlan

BAD_ROWS = 60  # more error lines than the default page of 50


def _plans(valid_at: list[int]) -> list[RowPlan]:
    plans = [RowPlan("bad_ean_format", f"Bad {n}", catalogs.Decimal("1.00"), "ABC{n}") for n in range(BAD_ROWS)]
    for position in sorted(valid_at, reverse=True):
        plans.insert(position, RowPlan("valid", "Kept", catalogs.Decimal("2.50"), ""))
    return plans


@scenario(flow.API, rules=["PX-22", "PX-23", "PX-24", "PX-25", "PX-26", "X-103"])
def logs_paging(ctx: ScenarioContext) -> None:
    """Pages read `limit` at a time following has_next list every line once, agree with meta, filter by level."""
    api, pool = flow.pixee_api(ctx), EanPool()

    def one(example: tuple[int, list[int]]) -> None:
        limit, valid_at = example
        catalog = catalogs.build(_plans(valid_at), pool, "csv")
        facts = catalog.facts()
        job = flow.import_catalog(ctx, api, catalog)
        flow.judge_counts(ctx, job, facts)
        flow.judge_error_logs(ctx, api, job, facts)
        job_id = job["id"]

        everything = api.log_page(job_id, limit=logs.MAX_LIMIT)
        ctx.verify(logs.log_page_matches_schema, page=everything)
        ctx.verify(logs.log_limit_within_200, page=everything)
        default = api.log_page(job_id)
        ctx.verify(logs.log_page_matches_schema, page=default)
        ctx.verify(logs.log_default_paging, page=default)
        ctx.verify(logs.log_meta_consistent, page=default)

        ctx.note(f"logs read {limit} at a time")
        for level in (None, "error"):
            walk = api.walk_logs(job_id, limit=limit, level=level)
            whole = everything if level is None else api.log_page(job_id, level=level, limit=logs.MAX_LIMIT)
            for page in walk.pages:
                ctx.verify(logs.log_page_matches_schema, page=page)
                ctx.verify(logs.log_meta_consistent, page=page)
            ctx.verify(logs.log_paging_complete, walk=walk, everything=whole)

        by_level = {level: api.log_page(job_id, level=level, limit=logs.MAX_LIMIT) for level in logs.LEVELS}
        ctx.verify(logs.log_level_filter, by_level=by_level, everything=everything)

        over = api.log_page(job_id, limit=logs.MAX_LIMIT + 1)
        ctx.verify(logs.log_limit_within_200, page=over)
        total = everything.meta.get("total")
        if isinstance(total, int):
            past_the_end = api.log_page(job_id, skip=(total // limit + 1) * limit, limit=limit)
            ctx.verify(logs.log_meta_consistent, page=past_the_end)
        if ctx.strict:
            odd = api.log_page(job_id, skip=limit // 2 + 1, limit=limit)
            ctx.verify(logs.log_meta_for_any_skip, page=odd)
            ctx.verify(logs.unknown_level_refused, page=api.log_page(job_id, level="fatal"))

    valid_at = st.lists(st.integers(min_value=0, max_value=BAD_ROWS), min_size=1, max_size=8)
    ctx.for_examples(st.tuples(st.integers(min_value=1, max_value=40), valid_at), one, count=1)
