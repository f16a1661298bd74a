"""Status-machine properties every import API shares, as plain functions of a job's observed history.

Each API registers its own checks (with its own seed rule ids) that call these, naming what it calls a job
and its progress counter; the property itself is written once.
"""

from __future__ import annotations

from collections.abc import Collection

from conformance.checks import CheckContext
from conformance.checks.failures import NoTerminalStatus, StatusWentBack, TerminalStatusChanged, UnknownStatus
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
    seen = [s.get(counter) for s in trace.snapshots if isinstance(s.get(counter), int)]
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
