"""Pause, resume and cancel of a running job, watched while the target's clock runs (PX-18..PX-21, X-100)."""

from __future__ import annotations

import time
from typing import Any

from conformance.checks.pixee import controls, lifecycle, requests
from conformance.observations import JobTrace
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.pixee import catalogs, flow
from conformance.scenarios.pixee.catalogs import Catalog, EanPool
from conformance.scenarios.pixee.client import PixeeApi

ROWS = 2000  # enough to catch the job mid-way: four seconds of the fake's 500 rows/s
STEP = 0.5  # how much time passes between two reads while waiting for the job to run
WATCH = [5.0, 30.0]  # after a control, read the job again as this much time passes


def _running(ctx: ScenarioContext, api: PixeeApi, job_id: str) -> dict[str, Any] | None:
    """Let time pass in small steps until the job is processing with some rows done; None if it never was
    seen so (it finished first, or time ran out)."""
    deadline = time.monotonic() + ctx.options.timeout
    for _ in range(int(ctx.options.timeout / STEP) + 1):
        job = api.read(job_id)
        if job is None or ctx.checks.is_terminal(job.get("status")) or time.monotonic() > deadline:
            return None
        if job.get("status") == "processing" and (job.get("successful_rows") or 0) > 0:
            return job
        ctx.target.clock.advance(STEP)
    return None


def _start(ctx: ScenarioContext, api: PixeeApi, pool: EanPool) -> tuple[Catalog, str, dict[str, Any] | None]:
    catalog = catalogs.valid_rows(pool, ROWS)
    ctx.note(catalog.describe())
    job_id = flow.create(ctx, api, catalog.upload(), file_type="csv")
    running = _running(ctx, api, job_id)
    if running is None:
        ctx.note(f"job {job_id} was never seen processing with rows left: the controls could not be tried")
    return catalog, job_id, running


def _judge_history(ctx: ScenarioContext, job_id: str, reads: list[dict[str, Any]]) -> None:
    trace = JobTrace(job_id=job_id, snapshots=[r for r in reads if r])
    ctx.verify(lifecycle.status_in_vocabulary, trace=trace)
    ctx.verify(lifecycle.status_moves_forward, trace=trace)
    ctx.verify(lifecycle.terminal_status_is_final, trace=trace)


@scenario(flow.API, rules=["PX-18", "PX-19", "PX-16", "X-100", "X-105"])
def pause_and_resume(ctx: ScenarioContext) -> None:
    """A paused job processes no row while the clock runs; resumed, it goes on and completes every row."""
    api, pool = flow.pixee_api(ctx), EanPool()
    catalog, job_id, running = _start(ctx, api, pool)
    if running is None:
        return
    response = api.control(job_id, "pause")
    ctx.note(f"paused job {job_id} at {running.get('successful_rows')} of {running.get('total_rows')} rows")
    ctx.require(controls.control_accepted, response=response, action="pause")
    ctx.verify(controls.control_answer_is_the_fakes, response=response, job_id=job_id, status="paused")
    after = api.watch(job_id, WATCH)
    _judge_history(ctx, job_id, [running, *after])
    if ctx.checks.is_terminal(after[0].get("status")):  # a fast server finished its last rows as it paused
        ctx.note(f"job {job_id} was {after[0].get('status')!r} at once: whether a pause holds cannot be told")
        return
    ctx.verify(controls.pause_freezes_progress, job_id=job_id, after=after[1:])
    ctx.verify(controls.paused_status_reported, job_id=job_id, after=after)
    if ctx.strict:
        again = api.control(job_id, "pause")
        ctx.verify(controls.control_conflict, response=again)

    response = api.control(job_id, "resume")
    ctx.require(controls.control_accepted, response=response, action="resume")
    ctx.verify(controls.control_answer_is_the_fakes, response=response, job_id=job_id, status="processing")
    trace = api.wait(job_id, ctx.options.timeout)
    ctx.note(f"resumed job {job_id} went {trace.history()}")
    flow.judge_trace(ctx, trace)
    ctx.verify(controls.resume_continues, job_id=job_id, final=trace.final)
    if trace.final:
        flow.judge_counts(ctx, trace.final, catalog.facts())


@scenario(flow.API, rules=["PX-20", "PX-11", "PX-14"])
def cancel_is_final(ctx: ScenarioContext) -> None:
    """A cancelled job says so at once and stays cancelled, processing no further row, even when resumed."""
    api, pool = flow.pixee_api(ctx), EanPool()
    catalog, job_id, running = _start(ctx, api, pool)
    if running is None:
        return
    response = api.control(job_id, "cancel")
    ctx.note(f"cancelled job {job_id} at {running.get('successful_rows')} of {running.get('total_rows')} rows")
    ctx.require(controls.cancel_answer_documented, response=response, job_id=job_id)
    after = api.watch(job_id, WATCH[:1])
    resume = api.control(job_id, "resume")
    ctx.note(f"tried to resume the cancelled job: {resume.status_code}")
    ctx.verify(controls.control_conflict, response=resume)
    after += api.watch(job_id, WATCH)
    _judge_history(ctx, job_id, [running, *after])
    ctx.verify(controls.cancelled_stays_cancelled, job_id=job_id, after=after)

    if ctx.strict and after[0].get("status") == "cancelled":  # the fake keeps the rows imported before the cancel
        imported = after[0].get("successful_rows")
        ctx.note(f"the cancelled job's file again ({imported} rows were imported before the cancel)")
        job = flow.import_catalog(ctx, api, catalog)
        ctx.verify(controls.cancel_kept_imported_rows, job=job, imported=imported, valid=ROWS)


@scenario(flow.API, rules=["PX-21", "PX-11"])
def controls_on_finished_jobs(ctx: ScenarioContext) -> None:
    """Pause, resume and cancel of a completed job change nothing (and, with --strict, answer 409)."""
    api, pool = flow.pixee_api(ctx), EanPool()
    catalog = catalogs.valid_rows(pool, 3)
    job = flow.import_catalog(ctx, api, catalog)
    if job.get("status") != "completed":
        return
    for action in ("pause", "cancel", "resume"):
        ctx.note(f"{action} of completed job {job['id']}")
        before = api.read(job["id"]) or {}
        response = api.control(job["id"], action)
        after = api.watch(job["id"], [5.0])[-1]
        ctx.verify(controls.finished_job_left_alone, before=before, response=response, after=after, action=action)
        ctx.verify(controls.control_conflict, response=response)
        ctx.verify(requests.error_envelope, response=response, code="invalid_transition", message="invalid_transition")
