"""Checks of an import job's status history: vocabulary, order, finality, completed_at (PM-10, PM-12, PM-15)."""

from __future__ import annotations

from typing import Any

from conformance.checks import CheckContext, check, for_terminal_jobs, machine
from conformance.checks.failures import CompletedAtMisplaced, ErrorStatusMismatch, UnusableFileImported
from conformance.observations import JobTrace
from conformance.spec import parse_timestamp


@check(rules=["PM-11"])
def job_matches_schema(ctx: CheckContext, *, job: dict[str, Any], operation: str) -> bool:
    return machine.matches_schema(ctx, job, operation)


@check(rules=["PM-12"])
def status_in_vocabulary(ctx: CheckContext, *, trace: JobTrace) -> bool:
    return machine.in_vocabulary(ctx, trace, "import")


@check(rules=["PM-10"])
def status_moves_forward(ctx: CheckContext, *, trace: JobTrace) -> bool:
    return machine.moves_forward(ctx, trace, "import")


@check(rules=["PM-10"])
def progress_never_goes_back(ctx: CheckContext, *, trace: JobTrace) -> bool:
    """processed_rows only grows while the job runs (it is the job's progress)."""
    return machine.counter_never_decreases(trace, "processed_rows", "import")


@check(rules=["PM-10"])
def terminal_status_is_final(ctx: CheckContext, *, trace: JobTrace) -> bool | None:
    return machine.terminal_is_final(ctx, trace, "import")


@check(rules=["PM-10"])
def reaches_terminal_status(ctx: CheckContext, *, trace: JobTrace) -> bool:
    return machine.comes_to_rest(ctx, trace, "import")


@check(rules=["PM-15"])
def completed_at_only_when_terminal(ctx: CheckContext, *, trace: JobTrace) -> bool:
    for snapshot in trace.snapshots:
        machine.completed_at_null_until_terminal(ctx, snapshot, f"import {trace.job_id}")
        status, completed_at = snapshot.get("status"), snapshot.get("completed_at")
        if status in ctx.lifecycle.counted and parse_timestamp(completed_at) is None:
            raise CompletedAtMisplaced(
                received=f"status {status!r} with completed_at {completed_at!r}",
                expected="a finished job carries its completed_at date-time",
                context=f"import {trace.job_id}",
            )
    return True


@check(rules=["PM-13", "X-110"])
@for_terminal_jobs
def error_status_matches_error_rows(ctx: CheckContext, *, job: dict[str, Any]) -> bool | None:
    status, errors = job.get("status"), job.get("error_rows")
    # The seed's own status example shows `completed` with error_rows 5: both readings pass; that rows
    # which failed make it `completed_with_errors` is checked with --strict (QA-D18).
    seed_example = not ctx.strict and isinstance(errors, int) and not isinstance(errors, bool) and errors > 0
    if status == "completed" and errors != 0 and not seed_example:
        raise ErrorStatusMismatch(received=f"completed with error_rows {errors!r}", expected="completed_with_errors")
    if status == "completed_with_errors" and not (isinstance(errors, int) and errors > 0):
        raise ErrorStatusMismatch(
            received=f"completed_with_errors with error_rows {errors!r}", expected="error_rows > 0"
        )
    return True


@check(rules=["PM-03", "PM-14"])
def unusable_file_not_imported(ctx: CheckContext, *, created: int, trace: JobTrace | None) -> bool:
    """A file the API cannot read is refused at upload (4xx) or its job ends `failed`; never imported."""
    return machine.refused_or_failed(created, trace, "a 4xx at upload, or a job that ends 'failed'")


@check(rules=["PM-14"], strict=True)
@for_terminal_jobs
def failed_import_explained(ctx: CheckContext, *, job: dict[str, Any]) -> bool | None:
    return machine.failure_explained(job)


@check(rules=["PM-14"], strict=True)
@for_terminal_jobs
def empty_file_fails(ctx: CheckContext, *, job: dict[str, Any]) -> bool | None:
    """The fake ends a file without data rows `failed` (a vendor may as well complete it with 0 rows)."""
    if job.get("status") != "failed":
        raise UnusableFileImported(
            received=f"status {job.get('status')!r}",
            expected="'failed' for a file with a header and no data rows (DECISIONS.md)",
            title="A file without data rows did not fail",
        )
    return True
