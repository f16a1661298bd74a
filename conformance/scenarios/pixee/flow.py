"""The steps most Pixee scenarios share: upload a catalog, judge the create answer, follow the job, judge logs."""

from __future__ import annotations

import math
import secrets
from typing import Any

import httpx

from conformance.checks.pixee import counts, lifecycle, logs, requests
from conformance.checks.pixee.observed import FileFacts
from conformance.observations import JobTrace
from conformance.scenarios import Abort, ScenarioContext
from conformance.scenarios.jobs import Upload
from conformance.scenarios.pixee.catalogs import Catalog
from conformance.scenarios.pixee.client import PixeeApi, json_body

API = "pixee"
DRY_RUN_REST = ("ready",)  # where a dry run waits for confirmation (PX-15)


def pixee_api(ctx: ScenarioContext) -> PixeeApi:
    return PixeeApi(ctx.target, ctx.checks.lifecycle.terminal)


def examples_per_format(ctx: ScenarioContext) -> int:
    """Each generated catalog is a whole import, so a tenth of --max-examples per file format."""
    return max(1, math.ceil(ctx.options.max_examples / 10))


def supplier_code() -> str:
    return f"PIMKIT_{secrets.token_hex(3).upper()}"


def accepted(ctx: ScenarioContext, response: httpx.Response, upload: Upload, *, file_type: str) -> str:
    """Judge a create answer (PX-02, PX-10, PX-12); the new job's id, or Abort."""
    ctx.require(requests.create_accepted, response=response)
    ctx.verify(requests.create_answers_202, response=response)
    ctx.verify(requests.create_response_documented, response=response, file_name=upload.filename, file_type=file_type)
    ctx.verify(requests.create_says_analyzing, response=response)
    body = json_body(response)
    job_id = body.get("id") if isinstance(body, dict) else None
    ctx.require(requests.job_id_is_uuid, job_id=job_id)
    ctx.note(f"job {job_id} created")
    return str(job_id)


def create(ctx: ScenarioContext, api: PixeeApi, upload: Upload, *, file_type: str, **form: Any) -> str:
    ctx.note(f"POST {upload.filename}" + (f" with {form}" if form else ""))
    return accepted(ctx, api.create(upload, **form), upload, file_type=file_type)


def follow(ctx: ScenarioContext, api: PixeeApi, job_id: str, *, dry_run: bool = False) -> dict[str, Any]:
    """Read the job back, wait until it is terminal (a dry run: ready) and judge its history; the last read."""
    ctx.require(requests.created_job_readable, response=api.get(job_id))
    trace: JobTrace = api.wait(job_id, ctx.options.timeout, rest=DRY_RUN_REST if dry_run else ())
    ctx.note(f"job {job_id} went {trace.history()}")
    judge_trace(ctx, trace, dry_run=dry_run)
    job = trace.final
    if job is None:
        raise Abort("no job")
    return job


def judge_trace(ctx: ScenarioContext, trace: JobTrace, *, dry_run: bool = False) -> None:
    for snapshot in {s.get("status"): s for s in trace.snapshots}.values():  # one per status seen
        ctx.verify(lifecycle.job_matches_schema, job=snapshot)
    ctx.verify(lifecycle.status_in_vocabulary, trace=trace)
    ctx.verify(lifecycle.status_moves_forward, trace=trace)
    ctx.verify(lifecycle.progress_never_goes_back, trace=trace)
    ctx.verify(lifecycle.completed_at_only_when_terminal, trace=trace)
    if not dry_run:
        ctx.verify(lifecycle.never_ready_without_dry_run, trace=trace)
    ctx.require(lifecycle.reaches_resting_status, trace=trace, rest=DRY_RUN_REST if dry_run else ())
    ctx.verify(lifecycle.terminal_status_is_final, trace=trace)
    if trace.final:
        ctx.verify(lifecycle.failed_job_explained, job=trace.final)
        ctx.verify(counts.row_counts_add_up, job=trace.final)
        ctx.verify(counts.error_summary_when_rows_fail, job=trace.final)


def import_catalog(ctx: ScenarioContext, api: PixeeApi, catalog: Catalog, **form: Any) -> dict[str, Any]:
    """Upload `catalog` (form: dry_run, supplier_code, mapping) and follow its job to its end."""
    ctx.note(catalog.describe())
    job_id = create(ctx, api, catalog.upload(), file_type=catalog.file_format, **form)
    return follow(ctx, api, job_id, dry_run=bool(form.get("dry_run")))


def judge_counts(ctx: ScenarioContext, job: dict[str, Any], facts: FileFacts, *, existing: int = 0) -> None:
    ctx.verify(counts.counts_match_file, job=job, facts=facts, existing=existing)
    ctx.verify(counts.error_summary_counts_fields, job=job, facts=facts)


def judge_error_logs(
    ctx: ScenarioContext, api: PixeeApi, job: dict[str, Any], facts: FileFacts, *, fresh: bool = True
) -> None:
    """The error lines of a finished job: one per failed row, the seed's message for a bad EAN (PX-25, PX-26).
    `fresh`: every valid row created a product (so, with --strict, each has a "Product created" line)."""
    errors = api.log_page(job["id"], level="error", limit=logs.MAX_LIMIT)
    ctx.verify(logs.log_page_matches_schema, page=errors)
    ctx.verify(logs.error_logs_one_per_failed_row, job=job, errors=errors)
    ctx.verify(logs.bad_eans_logged_with_seed_message, facts=facts, errors=errors)
    if ctx.strict and fresh:
        everything = api.log_page(job["id"], limit=logs.MAX_LIMIT)
        ctx.verify(logs.log_lines_are_the_fakes, facts=facts, lines=everything.items)
