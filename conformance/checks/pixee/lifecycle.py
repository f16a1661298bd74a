"""Checks of a Pixee job's status history: shape, vocabulary, order, finality, timestamps (PX-11..PX-17)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from conformance.checks import CheckContext, machine
from conformance.checks.failures import CompletedAtMisplaced, UnusableFileImported
from conformance.checks.pixee import check
from conformance.checks.pixee.failures import ReadyWithoutDryRun
from conformance.observations import JobTrace
from conformance.spec import parse_timestamp


@check(rules=["PX-13"])
def job_matches_schema(ctx: CheckContext, *, job: dict[str, Any]) -> bool:
    return machine.matches_schema(ctx, job, "getJob")


@check(rules=["PX-14", "X-100"])
def status_in_vocabulary(ctx: CheckContext, *, trace: JobTrace) -> bool:
    return machine.in_vocabulary(ctx, trace, "job", note=" (the seed's seven, or paused)")


@check(rules=["PX-11"])
def status_moves_forward(ctx: CheckContext, *, trace: JobTrace) -> bool:
    return machine.moves_forward(ctx, trace, "job")


@check(rules=["PX-15"])
def never_ready_without_dry_run(ctx: CheckContext, *, trace: JobTrace) -> bool:
    if "ready" in trace.statuses:
        raise ReadyWithoutDryRun(
            received=trace.history(),
            expected='no "ready" ("Dry-run complete, awaiting confirmation") for a job sent without dry_run',
            context=f"job {trace.job_id}",
        )
    return True


@check(rules=["PX-11"])
def progress_never_goes_back(ctx: CheckContext, *, trace: JobTrace) -> bool:
    return machine.counter_never_decreases(trace, "successful_rows", "job")


@check(rules=["PX-11", "PX-20"])
def terminal_status_is_final(ctx: CheckContext, *, trace: JobTrace) -> bool | None:
    return machine.terminal_is_final(ctx, trace, "job")


@check(rules=["PX-11"])
def reaches_resting_status(ctx: CheckContext, *, trace: JobTrace, rest: Collection[str] = ()) -> bool:
    """The job ends terminal in time, or (a dry run) rests in `rest`."""
    return machine.comes_to_rest(ctx, trace, "job", rest)


@check(rules=["PX-17"])
def completed_at_only_when_terminal(ctx: CheckContext, *, trace: JobTrace) -> bool:
    """completed_at is null until the job is terminal; a completed job has both times, in order."""
    for snapshot in trace.snapshots:
        machine.completed_at_null_until_terminal(ctx, snapshot, f"job {trace.job_id}")
        status, completed_at = snapshot.get("status"), snapshot.get("completed_at")
        if status != "completed":
            continue
        started, ended = parse_timestamp(snapshot.get("started_at")), parse_timestamp(completed_at)
        if started is None or ended is None or ended < started:
            raise CompletedAtMisplaced(
                received=f"started_at {snapshot.get('started_at')!r}, completed_at {completed_at!r}",
                expected="a completed job carries both date-times, completed_at >= started_at",
                context=f"job {trace.job_id}",
            )
    return True


@check(rules=["PX-15", "PX-03", "PX-06"])
def unusable_file_not_imported(ctx: CheckContext, *, created: int, trace: JobTrace | None) -> bool:
    """A file Pixee cannot read is refused at upload (4xx) or its job ends `failed`; never imported."""
    return machine.refused_or_failed(
        created, trace, "a 4xx at upload, or a job that ends 'failed' (\"Aborted due to a critical error\")"
    )


@check(rules=["PX-04", "PX-07"])
def misshapen_file_not_imported(ctx: CheckContext, *, created: int, trace: JobTrace | None) -> bool:
    """A semicolon CSV or a nested XML: refused, `failed`, or every row failed; no row imported."""
    if 400 <= created < 500:
        return True
    final = (trace.final if trace else None) or {}
    if final.get("status") == "failed" or (
        final.get("status") == "completed" and final.get("successful_rows") == 0 and final.get("failed_rows")
    ):
        return True
    raise UnusableFileImported(
        received=f"create {created}, then {trace.history() if trace else 'no job'}, "
        f"successful_rows {final.get('successful_rows')!r}, failed_rows {final.get('failed_rows')!r}",
        expected="a 4xx at upload, a job that ends 'failed', or one whose every row failed",
    )


@check(rules=["PX-15"], strict=True)
def failed_job_explained(ctx: CheckContext, *, job: dict[str, Any]) -> bool | None:
    return machine.failure_explained(job)
