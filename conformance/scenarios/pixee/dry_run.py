"""Dry runs: validated, stopped at `ready`, nothing persisted — seen through a later import of the same EANs."""

from __future__ import annotations

from hypothesis import strategies as st

from conformance.checks.pixee import controls, dry_run, requests
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.pixee import catalogs, flow
from conformance.scenarios.pixee.catalogs import EanPool, RowPlan


@scenario(flow.API, rules=["PX-09", "PX-15", "PX-16", "X-101"])
def dry_run_persists_nothing(ctx: ScenarioContext) -> None:
    """A dry run stops at ready and writes nothing: an ordinary import of its EANs afterwards creates them all."""
    api, pool = flow.pixee_api(ctx), EanPool()

    def one(plans: list[RowPlan]) -> None:
        catalog = catalogs.build(plans, pool, "csv")
        facts = catalog.facts()
        ctx.note(catalog.describe())
        dry_id = flow.create(ctx, api, catalog.upload(), file_type="csv", dry_run=True)
        trace = api.wait(dry_id, ctx.options.timeout, rest=flow.DRY_RUN_REST)
        ctx.note(f"dry run {dry_id} went {trace.history()}")
        flow.judge_trace(ctx, trace, dry_run=True)
        trace.snapshots += api.watch(dry_id, [5.0, 30.0])[1:]  # still ready, nothing written, while time runs
        ctx.require(dry_run.dry_run_rests_at_ready, trace=trace)
        for snapshot in trace.snapshots:
            ctx.verify(dry_run.dry_run_wrote_nothing, job=snapshot)

        ctx.note(f"the same file again, without dry_run, after dry run {dry_id}")
        job = flow.import_catalog(ctx, api, catalog)
        flow.judge_counts(ctx, job, facts)
        ctx.verify(dry_run.dry_run_persisted_nothing, job=job, valid=len(facts.valid), dry_run_id=dry_id)

        if ctx.strict:  # the fake's confirm: the dry run's rows, now existing, are updated
            ctx.note(f"confirm dry run {dry_id}")
            response = api.control(dry_id, "confirm")
            if not ctx.verify(
                controls.control_answer_is_the_fakes, response=response, job_id=dry_id, status="processing"
            ):
                return
            confirmed = flow.follow(ctx, api, dry_id)
            ctx.verify(dry_run.confirmed_dry_run_imports, job=confirmed, valid=len(facts.valid))
            again = api.control(dry_id, "confirm")
            ctx.verify(controls.control_conflict, response=again)
            ctx.verify(requests.error_envelope, response=again, code="invalid_transition", message="invalid_transition")

    # at least one valid row, so there is something a dry run could have persisted
    plans = st.builds(
        lambda first, rest: [first, *rest],
        catalogs.row_plans(["valid"]),
        catalogs.catalog_plans(max_rows=8, strict=ctx.strict),
    )
    ctx.for_examples(plans, one, count=1)


@scenario(flow.API, rules=["PX-20", "PX-15"], strict=True)
def cancel_before_processing(ctx: ScenarioContext) -> None:
    """(The fake's choice) a job can be cancelled while analyzing, and a dry run while ready; it stays cancelled."""
    api, pool = flow.pixee_api(ctx), EanPool()
    analyzing = flow.create(ctx, api, catalogs.valid_rows(pool, 3).upload(), file_type="csv")
    response = api.control(analyzing, "cancel")
    ctx.verify(controls.cancel_answer_documented, response=response, job_id=analyzing)
    ctx.verify(controls.cancelled_stays_cancelled, job_id=analyzing, after=api.watch(analyzing, [5.0, 60.0]))

    ready = flow.create(ctx, api, catalogs.valid_rows(pool, 3).upload(), file_type="csv", dry_run=True)
    flow.follow(ctx, api, ready, dry_run=True)
    response = api.control(ready, "cancel")
    ctx.verify(controls.cancel_answer_documented, response=response, job_id=ready)
    confirm = api.control(ready, "confirm")
    ctx.verify(controls.control_conflict, response=confirm)
    ctx.verify(controls.cancelled_stays_cancelled, job_id=ready, after=api.watch(ready, [5.0]))
