"""What a client observes of an import job, as a pure function of the virtual clock.

The worker finds each row's outcome once (`Outcome`); `observe` replays it at a given instant along
the vendor's `Flow`: fixed-length waiting stages, then rows processed at a steady rate, then a
terminal status. Same uploads and same clock, same observation, on every machine.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

CREATED, UPDATED, ERROR, SKIPPED = b"c", b"u", b"e", b"s"
VALID = b"v"  # analysed and fit to import; applied later (mock_server.imports.spool)


@dataclass(frozen=True)
class Stage:
    status: str
    seconds: float


@dataclass(frozen=True)
class Flow:
    """A vendor's import lifecycle, as data."""

    waiting: tuple[Stage, ...]
    running: str
    rows_per_second: float
    # terminal status by how the run ended: "clean", "with_errors", "aborted"
    terminal: dict[str, str] = field(default_factory=dict)

    @property
    def statuses(self) -> tuple[str, ...]:
        return tuple(s.status for s in self.waiting) + (self.running,) + tuple(dict.fromkeys(self.terminal.values()))

    def with_timings(self, overrides: dict) -> Flow:
        """A copy with `rows_per_second` and/or per-stage seconds ({"stages": {"pending": 0}}) replaced."""
        stages = overrides.get("stages", {})
        unknown = set(stages) - {s.status for s in self.waiting}
        if unknown:
            raise ValueError(f"timings: no waiting stage {', '.join(sorted(unknown))} (stages: "
                             f"{', '.join(s.status for s in self.waiting)})")
        return Flow(
            waiting=tuple(Stage(s.status, float(stages.get(s.status, s.seconds))) for s in self.waiting),
            running=self.running,
            rows_per_second=float(overrides.get("rows_per_second", self.rows_per_second)),
            terminal=self.terminal,
        )


def configured_flow(flow: Flow, config_timings: dict, vendor: str, other_knobs: frozenset[str] = frozenset()) -> Flow:
    """The one way every vendor's import timings are overridden (`Config.timings[vendor]`, README "Import
    timings"): `{"stages": {status: seconds}, "rows_per_second": n}`; a vendor may take other knobs beside them
    (Wizart's queue workers and archive limits). An unknown key is an error, not a silent no-op."""
    overrides = config_timings.get(vendor, {})
    unknown = set(overrides) - {"stages", "rows_per_second"} - other_knobs
    if unknown:
        raise ValueError(f"timings for {vendor}: unknown {', '.join(sorted(unknown))} (known: stages, rows_per_second"
                         + "".join(", " + k for k in sorted(other_knobs)) + ")")
    return flow.with_timings(overrides)


@dataclass(frozen=True)
class Outcome:
    """Everything the worker found: one byte per row read (CREATED, UPDATED, ERROR, SKIPPED), and
    the position of the first ERROR rows (as many as are listed, `Limits.max_error_rows`); `failure` is set
    when a critical error stopped the read."""

    outcomes: bytes
    error_positions: tuple[int, ...] = ()
    failure: tuple[str, dict] | None = None

    @property
    def rows(self) -> int:
        return len(self.outcomes)


@dataclass(frozen=True)
class Observation:
    status: str
    total_rows: int
    processed_rows: int
    created_rows: int
    updated_rows: int
    error_rows: int
    skipped_rows: int
    started_at: float | None
    completed_at: float | None
    failure: tuple[str, dict] | None
    terminal: bool


def started_at(flow: Flow, created_at: float) -> float:
    return created_at + sum(s.seconds for s in flow.waiting)


def waiting_status(flow: Flow, created_at: float, now: float) -> str | None:
    """The waiting stage at `now`, or None once rows have started to move (the outcome is needed)."""
    elapsed = now - created_at
    for stage in flow.waiting:
        if elapsed < stage.seconds:
            return stage.status
        elapsed -= stage.seconds
    return None


def _counts(outcome: Outcome, processed: int) -> dict[str, int]:
    data = outcome.outcomes
    return {
        "created_rows": data.count(CREATED, 0, processed),
        "updated_rows": data.count(UPDATED, 0, processed),
        "error_rows": data.count(ERROR, 0, processed),
        "skipped_rows": data.count(SKIPPED, 0, processed),
    }


def observe(flow: Flow, created_at: float, now: float, outcome: Outcome | None) -> Observation:
    status = waiting_status(flow, created_at, now)
    if status is not None:
        return Observation(status, 0, 0, 0, 0, 0, 0, None, None, None, False)
    if outcome is None:
        raise ValueError("rows have started to move: the outcome is needed")
    start = started_at(flow, created_at)
    total = outcome.rows
    duration = total / flow.rows_per_second
    finish = start + duration
    if now >= finish:
        processed = total
        if outcome.failure is not None:
            status = flow.terminal["aborted"]
        elif ERROR in outcome.outcomes:
            status = flow.terminal["with_errors"]
        else:
            status = flow.terminal["clean"]
        counts = _counts(outcome, processed)
        return Observation(status, total, processed, **counts, started_at=start, completed_at=finish,
                           failure=outcome.failure, terminal=True)
    processed = min(total, math.floor((now - start) * flow.rows_per_second))
    return Observation(flow.running, total, processed, **_counts(outcome, processed), started_at=start,
                       completed_at=None, failure=None, terminal=False)


@dataclass(frozen=True)
class Controls:
    """A client's pauses and cancel of one job, as instants on the clock.

    Progress runs on *effective* time: the clock minus the time spent paused, and frozen from the cancel
    on. `pauses` are (paused_at, resumed_at or None while still paused), oldest first.
    """

    pauses: tuple[tuple[float, float | None], ...] = ()
    cancelled_at: float | None = None

    def is_paused(self, now: float) -> bool:
        return any(start <= now and (end is None or now < end) for start, end in self.pauses)

    def paused_seconds(self, until: float) -> float:
        total = 0.0
        for start, end in self.pauses:
            if start < until:
                total += min(until, end if end is not None else until) - start
        return total

    def effective(self, now: float) -> float:
        if self.cancelled_at is not None:
            now = min(now, self.cancelled_at)
        return now - self.paused_seconds(now)

    def to_real(self, effective_instant: float) -> float:
        """The clock instant at which effective time reached `effective_instant` (pauses added back)."""
        real = effective_instant
        for start, end in self.pauses:
            if start <= real:
                real += (end if end is not None else math.inf) - start
        return real


def rows_done(start: float, effective_now: float, rows: int, rows_per_second: float) -> int:
    """Rows processed by `effective_now` when `rows` rows start moving at `start`."""
    if effective_now <= start:
        return 0
    return min(rows, math.floor((effective_now - start) * rows_per_second))
