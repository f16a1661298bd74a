"""Status-machine properties every import API shares, as plain functions of a job's observed history.

Each API registers its own checks (with its own seed rule ids) that call these, naming what it calls a job,
its progress counter and its wording; the property itself is written once (Products Manager's
`checks/lifecycle.py`, Pixee's `checks/pixee/lifecycle.py`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from conformance.checks import CheckContext
from conformance.checks.failures import (
    CompletedAtMisplaced,
    FailureNotExplained,
    JobShapeMismatch,
    NoTerminalStatus,
    RowCountsDisagree,
    StatusWentBack,
    TerminalStatusChanged,
    UnknownStatus,
    UnusableFileImported,
)
from conformance.observations import JobTrace


def path_of(ctx: CheckContext) -> str:
    """The machine's order in words: "pending -> processing -> completed | failed"."""
    steps: dict[int, list[str]] = {}
    for status, rank in ctx.lifecycle.ranks.items():
        steps.setdefault(rank, []).append(status)
    return " -> ".join(" | ".join(sorted(steps[rank])) for rank in sorted(steps))


def in_vocabulary(ctx: CheckContext, trace: JobTrace, noun: str, note: str = "") -> bool:
    unknown = sorted({repr(s) for s in trace.statuses if s not in ctx.lifecycle.vocabulary})
    if unknown:
        raise UnknownStatus(
            received=", ".join(unknown),
            expected=f"one of {', '.join(sorted(ctx.lifecycle.vocabulary))}{note}",
            context=f"{noun} {trace.job_id}: {trace.history()}",
        )
    return True


def moves_forward(ctx: CheckContext, trace: JobTrace, noun: str) -> bool:
    ranks = ctx.lifecycle.ranks
    known = [s for s in trace.statuses if s in ranks]
    for before, after in zip(known, known[1:], strict=False):
        if ranks[after] < ranks[before]:
            raise StatusWentBack(
                received=f"{before!r} then {after!r}",
                expected=f"{path_of(ctx)}, never backwards",
                context=f"{noun} {trace.job_id}: {trace.history()}",
            )
    return True


def counter_never_decreases(trace: JobTrace, counter: str, noun: str) -> bool:
    """`counter` (the job's progress: processed_rows, successful_rows) only grows while the job runs."""
    seen = [count for s in trace.snapshots if isinstance(count := s.get(counter), int)]
    for before, after in zip(seen, seen[1:], strict=False):
        if after < before:
            raise StatusWentBack(
                received=f"{counter} {before} then {after}",
                expected=f"{counter} never decreases",
                context=f"{noun} {trace.job_id}: {trace.history()}",
                title="Progress went backwards",
            )
    return True


def terminal_is_final(ctx: CheckContext, trace: JobTrace, noun: str) -> bool | None:
    first = next((i for i, s in enumerate(trace.statuses) if ctx.is_terminal(s)), None)
    if first is None or first == len(trace.snapshots) - 1:
        return None
    reached = trace.snapshots[first]
    for later in trace.snapshots[first + 1:]:
        changed = [k for k, v in reached.items() if later.get(k) != v]
        if changed:
            raise TerminalStatusChanged(
                received=", ".join(f"{k}: {reached[k]!r} -> {later.get(k)!r}" for k in changed),
                expected=f"a {' or '.join(sorted(ctx.lifecycle.terminal))} {noun} never changes again",
                context=f"{noun} {trace.job_id}: {trace.history()}",
            )
    return True


def comes_to_rest(ctx: CheckContext, trace: JobTrace, noun: str, rest: Collection[str] = ()) -> bool:
    """The job ends in a terminal status in time, or in one of `rest` (a dry run stopping at ready)."""
    final = trace.final or {}
    wanted = set(ctx.lifecycle.terminal) | set(rest)
    if trace.timed_out or final.get("status") not in wanted:
        raise NoTerminalStatus(
            received=f"{final.get('status')!r} after {trace.waited}",
            expected=f"one of {', '.join(sorted(wanted))}",
            context=f"{noun} {trace.job_id}: {trace.history()} (raise --timeout for a slow server)",
        )
    return True


def matches_schema(ctx: CheckContext, job: Mapping[str, Any], operation: str) -> bool:
    """The job, as read back, is valid against `operation`'s 200 schema."""
    errors = ctx.spec.schema_errors(ctx.spec.response_schema(operation, 200) or {}, job)
    if errors:
        raise JobShapeMismatch(received="; ".join(errors[:5]), expected=f"the {operation} 200 schema", context=str(job))
    return True


def completed_at_null_until_terminal(ctx: CheckContext, snapshot: Mapping[str, Any], where: str) -> None:
    """One snapshot of the job at `where` ("import 7"): no completed_at while it is not terminal."""
    status, completed_at = snapshot.get("status"), snapshot.get("completed_at")
    if not ctx.is_terminal(status) and completed_at is not None:
        raise CompletedAtMisplaced(
            received=f"status {status!r} with completed_at {completed_at!r}",
            expected="completed_at null until the job is terminal",
            context=where,
        )


def refused_or_failed(created: int, trace: JobTrace | None, expected: str) -> bool:
    """A file the API cannot read is refused at upload (4xx) or its job ends `failed`; never imported."""
    if 400 <= created < 500:
        return True
    final = (trace.final if trace else None) or {}
    if final.get("status") != "failed":
        raise UnusableFileImported(
            received=f"create {created}, then {trace.history() if trace else 'no job'}",
            expected=expected,
        )
    return True


def failure_explained(job: Mapping[str, Any]) -> bool | None:
    """A `failed` job says why in a non-empty error_message (None for any other status)."""
    if job.get("status") != "failed":
        return None
    message = job.get("error_message")
    if not isinstance(message, str) or not message.strip():
        raise FailureNotExplained(received=f"error_message {message!r}", expected="a non-empty error_message")
    return True


def counts_text(job: Mapping[str, Any], names: Sequence[str]) -> str:
    """The job's counters as a report shows them: "total_rows 3, error_rows 1"."""
    return ", ".join(f"{name} {job.get(name)!r}" for name in names)


def integer_counts(job: Mapping[str, Any], names: Sequence[str], *, booleans: bool = True) -> list[int]:
    """The job's counters `names`, in order; RowCountsDisagree unless each is an integer (a JSON true/false
    counts as one only with `booleans`, as Python's bool is an int)."""
    values = [v for name in names if isinstance(v := job.get(name), int) and (booleans or not isinstance(v, bool))]
    if len(values) != len(names):
        raise RowCountsDisagree(received=counts_text(job, names), expected="integer counts")
    return values
