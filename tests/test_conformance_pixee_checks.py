"""Unit tests of Pixee's conformance checks on hand-built observations: a check that should fail does, one
that should pass does, and one that does not apply says so (None). Vendor alternatives the seed leaves
open (X-100..X-107) must pass the contract checks."""

from __future__ import annotations

import math
from decimal import Decimal

import httpx
import pytest

from conformance.apis import get_profile
from conformance.checks import CheckContext
from conformance.checks.failures import (
    AuthNotEnforced,
    BadRequestAccepted,
    CheckFailure,
    CompletedAtMisplaced,
    CreateResponseMismatch,
    ErrorEnvelopeMismatch,
    JobShapeMismatch,
    NotFoundExpected,
    RowCountsDisagree,
    StatusWentBack,
    UnexpectedCounts,
    UnknownStatus,
    UnusableFileImported,
)
from conformance.checks.pixee import automations, controls, counts, dry_run, lifecycle, logs, preview, requests
from conformance.checks.pixee.failures import (
    AutomationNotRun,
    AutomationResponseMismatch,
    CancelNotFinal,
    ControlResponseMismatch,
    DryRunNotReady,
    DryRunPersisted,
    ErrorSummaryMismatch,
    FinishedJobControlled,
    JobIdNotUuid,
    LogLevelFilterBroken,
    LogLinesMismatch,
    LogMetaMismatch,
    LogPagingBroken,
    LogTotalMismatch,
    PausedNotReported,
    PauseIgnored,
    PreviewDisagreesWithFile,
    PreviewErrorsMissing,
    PreviewSizeWrong,
    ReadyWithoutDryRun,
)
from conformance.checks.pixee.observed import FileFacts, FileRow, LogPage, LogWalk
from conformance.observations import JobTrace
from conformance.resources import load_spec
from conformance.spec import SpecIndex

URL = "http://vendor.test/api/v1/imports/jobs"
JOB_ID = "550e8400-e29b-41d4-a716-446655440000"
SEED_MESSAGE = "EAN format invalid (expected 13 digits)"


@pytest.fixture(scope="module")
def ctx() -> CheckContext:
    profile = get_profile("pixee")
    return CheckContext(spec=SpecIndex(load_spec(profile.spec)), lifecycle=profile.lifecycle, strict=True)


def check(func, ctx, **observed):
    return func.check_spec.func(ctx, **observed)


def job(**overrides) -> dict:
    """The seed's own status example."""
    base = {
        "id": JOB_ID, "file_name": "catalog.csv", "file_type": "csv", "file_size": 1024000, "status": "completed",
        "total_rows": 1250, "successful_rows": 1245, "failed_rows": 5, "products_created": 980,
        "products_updated": 265, "started_at": "2026-03-15T09:00:00Z", "completed_at": "2026-03-15T09:02:34Z",
        "error_summary": "5 rows failed EAN validation",
    }  # fmt: skip
    return {**base, **overrides}


def running(status: str = "processing", rows: int = 300, **overrides) -> dict:
    progress = {"successful_rows": rows, "products_created": rows, "products_updated": 0, "completed_at": None}
    return job(status=status, **{**progress, **overrides})


def trace(*snapshots: dict, timed_out: bool = False) -> JobTrace:
    return JobTrace(job_id=JOB_ID, snapshots=list(snapshots), timed_out=timed_out, waited="3 waits")


def response(status: int, body=None, method: str = "GET", url: str = URL) -> httpx.Response:
    return httpx.Response(status, json=body, request=httpx.Request(method, url))


def facts(*kinds: str, first_row: int = 2) -> FileFacts:
    """Rows of the given kinds: "valid", or "bad" (an EAN that is not 13 digits)."""
    rows = []
    for i, kind in enumerate(kinds):
        if kind == "valid":
            rows.append(FileRow(i, f"20000000000{i:02d}", f"Item {i}", Decimal("1.50")))
        else:
            rows.append(FileRow(i, f"ABC{i}", f"Item {i}", Decimal("1.50"), "invalid_ean_format", "ean"))
    return FileFacts(tuple(rows), first_row=first_row)


def log_page(total: int, skip: int = 0, limit: int = 50, requested: dict | None = None, **meta) -> LogPage:
    count = max(0, min(limit, total - skip))
    items = [{"row_number": skip + n + 2, "level": "error", "field": "ean", "message": SEED_MESSAGE,
              "value": f"ABC{skip + n}", "timestamp": "2026-03-15T09:01:30Z"} for n in range(count)]  # fmt: skip
    body_meta = {"total": total, "page": skip // limit + 1, "per_page": limit,
                 "total_pages": math.ceil(total / limit), "has_next": skip + limit < total, "has_previous": skip > 0}
    body_meta.update(meta)  # fmt: skip
    query = {"skip": skip, "limit": limit} if requested is None else requested
    return LogPage(requested=query, status=200, body={"items": items, "meta": body_meta})


def test_every_failure_reads_received_then_expected():
    failure = PauseIgnored(received="'processing' (400 rows)", expected="'paused'")
    assert isinstance(failure, CheckFailure)
    assert failure.message.splitlines()[1:] == ["Received: 'processing' (400 rows)", "Expected: 'paused'"]


# --- create, ids, auth -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["analyzing", "pending"])
def test_the_create_answer_may_say_analyzing_or_pending(ctx, status):
    body = {"id": JOB_ID, "status": status, "file_name": "catalog.csv", "file_type": "csv"}
    created = response(202, body, "POST")
    assert check(requests.create_response_documented, ctx, response=created, file_name="catalog.csv", file_type="csv")
    with pytest.raises(CreateResponseMismatch):
        check(requests.create_response_documented, ctx, response=created, file_name="other.csv", file_type="csv")
    if status == "pending":
        with pytest.raises(CreateResponseMismatch):
            check(requests.create_says_analyzing, ctx, response=created)


def test_job_ids_are_uuids(ctx):
    assert check(requests.job_id_is_uuid, ctx, job_id=JOB_ID)
    for bad in ("imp_01HQ", 42, None, JOB_ID[:-1]):
        with pytest.raises(JobIdNotUuid):
            check(requests.job_id_is_uuid, ctx, job_id=bad)


def test_auth_and_unknown_ids(ctx):
    assert check(requests.auth_required, ctx, response=response(401), credentials="none")
    assert check(requests.auth_required, ctx, response=response(403), credentials="wrong")
    with pytest.raises(AuthNotEnforced):
        check(requests.auth_required, ctx, response=response(200, job()), credentials="none")
    assert check(requests.unknown_job_not_found, ctx, response=response(422, {"detail": []}), malformed=True)
    with pytest.raises(NotFoundExpected):
        check(requests.unknown_job_not_found, ctx, response=response(422, {"detail": []}), malformed=False)


@pytest.mark.parametrize("status", [400, 413, 415, 422])
def test_a_create_without_a_file_is_refused_with_a_4xx(ctx, status):
    assert check(requests.missing_file_rejected, ctx, response=response(status, {"message": "no"}, "POST"))


@pytest.mark.parametrize("status", [202, 404, 500])
def test_accepting_or_crashing_on_a_create_without_a_file_fails(ctx, status):
    with pytest.raises(BadRequestAccepted):
        check(requests.missing_file_rejected, ctx, response=response(status, {}, "POST"))


def test_the_error_envelope_is_the_fakes_choice(ctx):
    conflict = {"detail": "Cannot pause a job that is completed; only a processing job can be paused.",
                "code": "invalid_transition"}  # fmt: skip
    good = response(409, conflict, "POST")
    assert check(requests.error_envelope, ctx, response=good, code="invalid_transition", message="invalid_transition")
    with pytest.raises(ErrorEnvelopeMismatch):
        check(requests.error_envelope, ctx, response=response(409, {"message": "nope"}, "POST"))
    with pytest.raises(ErrorEnvelopeMismatch):
        check(requests.error_envelope, ctx, response=good, message="preview_not_ready")
    assert check(requests.error_envelope, ctx, response=response(200, job())) is None


# --- the status history ----------------------------------------------------------------------------------


def test_the_seeds_example_job_matches_the_schema_and_a_missing_field_does_not(ctx):
    assert check(lifecycle.job_matches_schema, ctx, job=job())
    with pytest.raises(JobShapeMismatch):
        check(lifecycle.job_matches_schema, ctx, job={k: v for k, v in job().items() if k != "error_summary"})


def test_paused_is_in_the_vocabulary_and_done_is_not(ctx):
    assert check(lifecycle.status_in_vocabulary, ctx, trace=trace(running(), running("paused"), job()))
    with pytest.raises(UnknownStatus):
        check(lifecycle.status_in_vocabulary, ctx, trace=trace(running(), job(status="done")))


def test_statuses_move_forward_and_pause_goes_both_ways(ctx):
    forward = trace(running("analyzing", 0), running(), running("paused"), running(), job())
    assert check(lifecycle.status_moves_forward, ctx, trace=forward)
    with pytest.raises(StatusWentBack):
        check(lifecycle.status_moves_forward, ctx, trace=trace(job(status="cancelled"), running()))
    with pytest.raises(ReadyWithoutDryRun):
        check(lifecycle.never_ready_without_dry_run, ctx, trace=trace(running("ready", 0), job()))


def test_completed_at_null_until_terminal_and_not_before_started_at(ctx):
    assert check(lifecycle.completed_at_only_when_terminal, ctx, trace=trace(running(), job()))
    with pytest.raises(CompletedAtMisplaced):
        check(lifecycle.completed_at_only_when_terminal, ctx, trace=trace(running(completed_at=job()["completed_at"])))
    with pytest.raises(CompletedAtMisplaced):
        check(lifecycle.completed_at_only_when_terminal, ctx, trace=trace(job(completed_at="2026-03-15T08:00:00Z")))


def test_an_unreadable_file_is_refused_or_fails(ctx):
    assert check(lifecycle.unusable_file_not_imported, ctx, created=400, trace=None)
    assert check(lifecycle.unusable_file_not_imported, ctx, created=202, trace=trace(job(status="failed")))
    with pytest.raises(UnusableFileImported):
        check(lifecycle.unusable_file_not_imported, ctx, created=202, trace=trace(job()))
    every_row_failed = job(successful_rows=0, failed_rows=2, total_rows=2, products_created=0, products_updated=0)
    assert check(lifecycle.misshapen_file_not_imported, ctx, created=201, trace=trace(every_row_failed))
    with pytest.raises(UnusableFileImported):
        check(lifecycle.misshapen_file_not_imported, ctx, created=201, trace=trace(job()))


# --- counts ----------------------------------------------------------------------------------------------


def test_the_seeds_counts_add_up_and_a_miscount_does_not(ctx):
    assert check(counts.row_counts_add_up, ctx, job=job())
    with pytest.raises(RowCountsDisagree):
        check(counts.row_counts_add_up, ctx, job=job(products_created=981))
    assert check(counts.row_counts_add_up, ctx, job=running()) is None  # only once completed


def test_counts_match_the_file(ctx):
    file = facts("valid", "bad", "valid")
    done = job(total_rows=3, successful_rows=2, failed_rows=1, products_created=2, products_updated=0)
    assert check(counts.counts_match_file, ctx, job=done, facts=file)
    with pytest.raises(UnexpectedCounts):
        check(counts.counts_match_file, ctx, job=done, facts=file, existing=2)


def test_error_summary_when_rows_fail_and_the_fakes_wording(ctx):
    assert check(counts.error_summary_when_rows_fail, ctx, job=job())
    with pytest.raises(ErrorSummaryMismatch):
        check(counts.error_summary_when_rows_fail, ctx, job=job(error_summary=None))
    five = facts("bad", "bad", "bad", "bad", "bad")
    assert check(counts.error_summary_counts_fields, ctx, job=job(), facts=five)
    with pytest.raises(ErrorSummaryMismatch):
        check(counts.error_summary_counts_fields, ctx, job=job(error_summary="5 rows have errors"), facts=five)


# --- dry runs --------------------------------------------------------------------------------------------


def test_a_dry_run_rests_at_ready_and_writes_nothing(ctx):
    ready = running("ready", 0, successful_rows=1245)
    assert check(dry_run.dry_run_rests_at_ready, ctx, trace=trace(running("analyzing", 0), ready, ready))
    with pytest.raises(DryRunNotReady):
        check(dry_run.dry_run_rests_at_ready, ctx, trace=trace(ready, running(), job()))
    assert check(dry_run.dry_run_wrote_nothing, ctx, job=ready)
    with pytest.raises(DryRunPersisted):
        check(dry_run.dry_run_wrote_nothing, ctx, job=job(status="ready"))


def test_a_later_import_of_the_dry_runs_eans_creates_them_all(ctx):
    fresh = job(products_created=3, products_updated=0)
    assert check(dry_run.dry_run_persisted_nothing, ctx, job=fresh, valid=3, dry_run_id=JOB_ID)
    with pytest.raises(DryRunPersisted):
        stale = job(products_created=0, products_updated=3)
        check(dry_run.dry_run_persisted_nothing, ctx, job=stale, valid=3, dry_run_id=JOB_ID)


# --- controls --------------------------------------------------------------------------------------------


def test_a_pause_freezes_progress_as_paused_or_as_a_stalled_processing(ctx):
    assert check(controls.pause_freezes_progress, ctx, job_id=JOB_ID, after=[running("paused"), running("paused")])
    stalled = [running(), running()]  # no `paused` status, but nothing moves
    assert check(controls.pause_freezes_progress, ctx, job_id=JOB_ID, after=stalled)
    with pytest.raises(PausedNotReported):
        check(controls.paused_status_reported, ctx, job_id=JOB_ID, after=stalled)
    for moving in ([running("paused", 300), running("paused", 800)], [running("paused"), job()]):
        with pytest.raises(PauseIgnored):
            check(controls.pause_freezes_progress, ctx, job_id=JOB_ID, after=moving)


def test_a_cancel_answers_as_documented_and_stays(ctx):
    answer = response(200, {"id": JOB_ID, "status": "cancelled"}, "POST")
    assert check(controls.cancel_answer_documented, ctx, response=answer, job_id=JOB_ID)
    with pytest.raises(ControlResponseMismatch):
        check(controls.cancel_answer_documented, ctx, response=response(204, None, "POST"), job_id=JOB_ID)
    gone = running("cancelled")
    assert check(controls.cancelled_stays_cancelled, ctx, job_id=JOB_ID, after=[gone, gone, gone])
    with pytest.raises(CancelNotFinal):
        check(controls.cancelled_stays_cancelled, ctx, job_id=JOB_ID, after=[gone, running(), job()])


@pytest.mark.parametrize(
    ("status", "body"),
    [(409, {"detail": "no", "code": "invalid_transition"}), (400, {"message": "no"}), (200, job())],
)
def test_a_control_of_a_finished_job_changes_nothing(ctx, status, body):
    answer = response(status, body, "POST")
    assert check(controls.finished_job_left_alone, ctx, before=job(), response=answer, after=job(), action="pause")


def test_a_control_that_changes_or_claims_to_change_a_finished_job_fails(ctx):
    claims = response(200, {"id": JOB_ID, "status": "paused"}, "POST")
    with pytest.raises(FinishedJobControlled):
        check(controls.finished_job_left_alone, ctx, before=job(), response=claims, after=job(), action="pause")
    refused = response(409, {}, "POST")
    with pytest.raises(FinishedJobControlled):
        after = job(status="cancelled")
        check(controls.finished_job_left_alone, ctx, before=job(), response=refused, after=after, action="cancel")


# --- logs ------------------------------------------------------------------------------------------------


def test_log_meta_follows_skip_and_limit(ctx):
    for skip in (0, 10, 20, 60):
        assert check(logs.log_meta_consistent, ctx, page=log_page(25, skip=skip, limit=10))
    with pytest.raises(LogMetaMismatch):
        check(logs.log_meta_consistent, ctx, page=log_page(25, skip=10, limit=10, has_next=False))
    with pytest.raises(LogMetaMismatch):
        check(logs.log_meta_consistent, ctx, page=log_page(25, skip=0, limit=10, total_pages=2))
    assert check(logs.log_meta_consistent, ctx, page=log_page(25, skip=5, limit=10, page=2)) is None
    with pytest.raises(LogMetaMismatch):
        check(logs.log_meta_for_any_skip, ctx, page=log_page(25, skip=5, limit=10, page=2))


def test_log_defaults_and_the_200_cap(ctx):
    assert check(logs.log_default_paging, ctx, page=log_page(60, requested={}))
    with pytest.raises(LogMetaMismatch):
        check(logs.log_default_paging, ctx, page=log_page(60, limit=20, requested={}))
    assert check(logs.log_limit_within_200, ctx, page=log_page(300, limit=200))
    refused = LogPage(requested={"limit": 201}, status=400, body={"message": "limit"})
    assert check(logs.log_limit_within_200, ctx, page=refused)
    assert check(logs.log_limit_within_200, ctx, page=log_page(300, limit=200, requested={"limit": 201}))  # clamped
    with pytest.raises(LogMetaMismatch):
        check(logs.log_limit_within_200, ctx, page=log_page(300, limit=201, requested={"limit": 201}))


def test_following_has_next_reads_every_line_once(ctx):
    everything = log_page(25, limit=200)
    walk = LogWalk(JOB_ID, None, 10, [log_page(25, skip=s, limit=10) for s in (0, 10, 20)])
    assert check(logs.log_paging_complete, ctx, walk=walk, everything=everything)
    short = LogWalk(JOB_ID, None, 10, walk.pages[:2], stopped="has_next False")
    with pytest.raises(LogPagingBroken):
        check(logs.log_paging_complete, ctx, walk=short, everything=everything)
    repeated = LogWalk(JOB_ID, None, 10, [*walk.pages, walk.pages[-1]])
    with pytest.raises(LogPagingBroken):
        check(logs.log_paging_complete, ctx, walk=repeated, everything=everything)


def test_the_level_filter_and_level_totals(ctx):
    errors = log_page(5, limit=200)
    nothing = LogPage({"level": "x"}, 200, {"items": [], "meta": {**errors.meta, "total": 0}})
    by_level = {"error": errors, "warning": nothing, "info": nothing}
    assert check(logs.log_level_filter, ctx, by_level=by_level, everything=errors)
    with pytest.raises(LogLevelFilterBroken):
        check(logs.log_level_filter, ctx, by_level={**by_level, "info": errors}, everything=errors)


def test_error_lines_one_per_failed_row_with_the_seeds_message(ctx):
    file = facts("bad", "valid", "bad")
    lines = log_page(0, limit=200)
    for row, value in ((2, "ABC0"), (4, "ABC2")):
        line = {"row_number": row, "level": "error", "field": "ean", "message": SEED_MESSAGE, "value": value}
        lines.body["items"].append({**line, "timestamp": "2026-03-15T09:01:30Z"})
    lines.body["meta"]["total"] = 2
    assert check(logs.error_logs_one_per_failed_row, ctx, job=job(failed_rows=2), errors=lines)
    with pytest.raises(LogTotalMismatch):
        check(logs.error_logs_one_per_failed_row, ctx, job=job(failed_rows=3), errors=lines)
    assert check(logs.bad_eans_logged_with_seed_message, ctx, facts=file, errors=lines)
    lines.body["items"][1]["message"] = "Invalid EAN format."
    with pytest.raises(LogLinesMismatch):
        check(logs.bad_eans_logged_with_seed_message, ctx, facts=file, errors=lines)
    assert check(logs.bad_eans_logged_with_seed_message, ctx, facts=facts("valid"), errors=lines) is None


# --- preview ---------------------------------------------------------------------------------------------


def _preview(rows: list[FileRow], errors: list[dict] | None = None, total: int | None = None) -> httpx.Response:
    body = {"total_rows": len(rows) if total is None else total,
            "preview": [{"ean": r.ean, "name": r.name, "price": float(r.price)} for r in rows],
            "validation_errors": errors or []}  # fmt: skip
    return response(200, body, url=f"{URL}/{JOB_ID}/preview")


def test_preview_size_and_agreement_with_the_file(ctx):
    file = facts(*["valid"] * 12)
    ten = _preview(list(file.rows[:10]), total=12)
    assert check(preview.preview_size, ctx, response=ten, limit=None, facts=file)
    assert check(preview.preview_agrees_with_file, ctx, response=ten, facts=file)
    with pytest.raises(PreviewSizeWrong):
        check(preview.preview_size, ctx, response=ten, limit=5, facts=file)
    renamed = _preview([FileRow(0, file.rows[0].ean, "Other", Decimal("1.5"))], total=12)
    with pytest.raises(PreviewDisagreesWithFile):
        check(preview.preview_agrees_with_file, ctx, response=renamed, facts=file)


def test_preview_flags_the_bad_rows_it_holds(ctx):
    file = facts("valid", "bad")
    flagged = [{"row_number": 3, "field": "ean", "message": SEED_MESSAGE, "value": "ABC1"}]
    assert check(preview.preview_flags_bad_rows, ctx, response=_preview(list(file.rows), flagged), facts=file)
    # a vendor may leave the bad row out of `preview` and list it only as a validation error
    assert check(preview.preview_flags_bad_rows, ctx, response=_preview(list(file.rows[:1]), flagged), facts=file)
    with pytest.raises(PreviewErrorsMissing):
        check(preview.preview_flags_bad_rows, ctx, response=_preview(list(file.rows)), facts=file)


# --- automations -----------------------------------------------------------------------------------------


SEED_AUTOMATION = {"name": "Daily Supplier A Import", "schedule": "0 2 * * *", "file_source": {"type": "sftp"}}


def test_the_seeds_automation_answer_and_is_active_by_default(ctx):
    answer = {"id": "550e8400-e29b-41d4-a716-446655440001", "name": "Daily Supplier A Import",
              "schedule": "0 2 * * *", "is_active": True, "created_at": "2026-03-15T09:00:00Z"}  # fmt: skip
    for status in (200, 201):
        created = response(status, answer, "POST")
        assert check(automations.automation_created, ctx, response=created, sent_body=SEED_AUTOMATION)
    with pytest.raises(AutomationResponseMismatch):
        inactive = response(201, {**answer, "is_active": False}, "POST")
        check(automations.automation_created, ctx, response=inactive, sent_body=SEED_AUTOMATION)


def test_a_due_automation_must_name_its_job(ctx):
    ran = {"id": "a1", "schedule": "0 2 * * *", "last_job_id": JOB_ID}
    assert check(automations.due_automation_ran, ctx, automation=ran, due=1710554400.0)
    with pytest.raises(AutomationNotRun):
        check(automations.due_automation_ran, ctx, automation={**ran, "last_job_id": None}, due=1710554400.0)
