"""The steps most scenarios share: upload a file, check the create response, wait for the job and judge it."""

from __future__ import annotations

import math
from typing import Any

import httpx

from conformance.bodies import json_body
from conformance.checks import counts, lifecycle, listing, requests
from conformance.observations import ErrorListing, ExpectedRow, JobTrace
from conformance.scenarios import Abort, ScenarioContext
from conformance.scenarios.jobs import Upload
from conformance.scenarios.productsmanager.client import ImportsApi

API = "productsmanager"
GET_IMPORT = "getImport"
LIST_ERRORS = "listImportErrors"


def imports_api(ctx: ScenarioContext) -> ImportsApi:
    return ImportsApi(ctx.target, ctx.checks.lifecycle.terminal)


def examples_per_format(ctx: ScenarioContext) -> int:
    """Each generated catalog is a whole import, so a tenth of --max-examples per file format."""
    return max(1, math.ceil(ctx.options.max_examples / 10))


def create(ctx: ScenarioContext, api: ImportsApi, upload: Upload, *, expect_format: str, **form: Any) -> str:
    """POST the upload (`form`: ImportsApi.create's fields) and judge the answer; the new job's id.

    `expect_format` is the format the job must report: the one sent, or the file's own when none is sent.
    """
    response = api.create(upload, **form)
    ctx.note(f"POST {upload.filename}" + (f" with {form}" if form else ""))
    return accepted(ctx, response, expect_format=expect_format)


def accepted(ctx: ScenarioContext, response: httpx.Response, *, expect_format: str) -> str:
    """Judge a create response (PM-02, PM-08, PM-09); the new job's id, or Abort."""
    ctx.require(requests.create_accepted, response=response)
    ctx.verify(requests.create_answers_202, response=response)
    ctx.verify(requests.create_response_documented, response=response, file_format=expect_format)
    ctx.verify(requests.create_response_pending, response=response)
    body = json_body(response)
    job_id = body.get("id") if isinstance(body, dict) else None
    ctx.require(requests.import_id_prefixed, job_id=job_id)
    assert isinstance(job_id, str)  # import_id_prefixed passed: a str starting "imp_"
    ctx.note(f"import {job_id} created")
    return job_id


def follow(ctx: ScenarioContext, api: ImportsApi, job_id: str, *, may_skip: bool = False) -> dict[str, Any]:
    """Read the job back, wait for it to finish and judge its history (PM-10..PM-15); the final job.

    `may_skip`: the file's rows may be neither created, updated nor refused (update_existing=false on
    existing products: a vendor may skip them silently), so the counts need not add up to the total.
    """
    ctx.require(requests.created_job_readable, response=api.get(job_id))
    trace: JobTrace = api.wait(job_id, ctx.options.timeout)
    ctx.note(f"import {job_id} went {trace.history()}")
    for snapshot in {s.get("status"): s for s in trace.snapshots}.values():  # one per status seen
        ctx.verify(lifecycle.job_matches_schema, job=snapshot, operation=GET_IMPORT)
    ctx.verify(lifecycle.status_in_vocabulary, trace=trace)
    ctx.verify(lifecycle.status_moves_forward, trace=trace)
    ctx.verify(lifecycle.progress_never_goes_back, trace=trace)
    ctx.verify(lifecycle.completed_at_only_when_terminal, trace=trace)
    ctx.require(lifecycle.reaches_terminal_status, trace=trace)
    ctx.verify(lifecycle.terminal_status_is_final, trace=trace)
    job = trace.final
    if job is None:
        raise Abort("no job")
    ctx.verify(lifecycle.error_status_matches_error_rows, job=job)
    ctx.verify(lifecycle.failed_import_explained, job=job)
    if may_skip:
        ctx.verify(counts.skipped_rows_within_total, job=job)
    if not may_skip or ctx.strict:  # the fake counts a skipped row as an error: its counts always add up
        ctx.verify(counts.row_counts_add_up, job=job)
    return job


def import_file(
    ctx: ScenarioContext, api: ImportsApi, upload: Upload, *, expect_format: str, may_skip: bool = False, **form: Any
) -> dict:
    return follow(ctx, api, create(ctx, api, upload, expect_format=expect_format, **form), may_skip=may_skip)


def late_refusal(ctx: ScenarioContext, api: ImportsApi, response: httpx.Response) -> JobTrace | None:
    """A bad input the API accepted anyway (2xx with a job id): judge the create body and every state of the
    job against the spec, and hand back how the job went (it must end `failed`); None when it was refused."""
    body = json_body(response)
    if not (200 <= response.status_code < 300 and isinstance(body, dict) and isinstance(body.get("id"), str)):
        return None
    ctx.verify(requests.create_body_matches_schema, response=response)
    trace = api.wait(body["id"], ctx.options.timeout)
    ctx.note(f"import {body['id']} went {trace.history()}")
    for snapshot in {s.get("status"): s for s in trace.snapshots}.values():  # one per status seen
        ctx.verify(lifecycle.job_matches_schema, job=snapshot, operation=GET_IMPORT)
    ctx.verify(lifecycle.status_in_vocabulary, trace=trace)
    if trace.final:
        ctx.verify(lifecycle.failed_import_explained, job=trace.final)
    return trace


def judge_listing(
    ctx: ScenarioContext,
    api: ImportsApi,
    job: dict[str, Any],
    rows: list[ExpectedRow],
    *,
    first_row: int,
    per_page: int | None = None,
) -> ErrorListing:
    """Read every errors page and judge it against the rows the file held (PM-16, PM-17)."""
    found = api.listing(job["id"], per_page=per_page)
    for page in found.pages:
        ctx.verify(listing.error_page_matches_schema, page=page, operation=LIST_ERRORS)
    ctx.verify(listing.default_page_size, listing=found)
    ctx.verify(listing.errors_total_matches, job=job, listing=found)
    ctx.verify(listing.errors_paging_complete, listing=found)
    ctx.verify(listing.error_rows_listed, rows=rows, listing=found)
    ctx.verify(listing.invalid_ean_format_message, rows=rows, listing=found)
    ctx.verify(listing.rows_numbered_like_the_sheet, rows=rows, listing=found, first_row=first_row)
    ctx.verify(listing.row_messages_from_catalog, rows=rows, listing=found)
    return found
