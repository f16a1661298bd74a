"""Job progression as a function of the clock: statuses only move forward, counts always add up."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_server.imports.timeline import CREATED, ERROR, UPDATED, Flow, Outcome, Stage, observe

FLOW = Flow(waiting=(Stage("pending", 1.0),), running="processing", rows_per_second=10.0,
            terminal={"clean": "completed", "with_errors": "completed_with_errors", "aborted": "failed"})
T0 = 1_000_000.0


def outcome(pattern: bytes, failure=None) -> Outcome:
    return Outcome(pattern, tuple(i for i, b in enumerate(pattern) if pattern[i:i + 1] == ERROR), failure)


def test_pending_needs_no_outcome_and_shows_nothing():
    seen = observe(FLOW, T0, T0 + 0.5, None)
    assert (seen.status, seen.total_rows, seen.started_at, seen.completed_at) == ("pending", 0, None, None)


def test_running_needs_the_outcome():
    with pytest.raises(ValueError):
        observe(FLOW, T0, T0 + 1, None)


def test_processing_then_completed_with_errors():
    found = outcome(CREATED * 10 + ERROR * 5 + UPDATED * 5)
    mid = observe(FLOW, T0, T0 + 2, found)
    assert (mid.status, mid.total_rows, mid.processed_rows, mid.created_rows, mid.error_rows) == (
        "processing", 20, 10, 10, 0)
    assert mid.completed_at is None and mid.started_at == T0 + 1
    end = observe(FLOW, T0, T0 + 3, found)
    assert (end.status, end.processed_rows, end.created_rows, end.updated_rows, end.error_rows) == (
        "completed_with_errors", 20, 10, 5, 5)
    assert end.completed_at == T0 + 3


def test_clean_run_completes():
    assert observe(FLOW, T0, T0 + 100, outcome(CREATED * 3)).status == "completed"


def test_abort_is_failed_with_the_rows_read_before_it():
    seen = observe(FLOW, T0, T0 + 100, outcome(CREATED * 4, failure=("not_utf8", {"row": 6})))
    assert (seen.status, seen.total_rows, seen.processed_rows, seen.failure) == (
        "failed", 4, 4, ("not_utf8", {"row": 6}))


def test_abort_before_any_row_fails_when_processing_starts():
    found = outcome(b"", failure=("no_data_rows", {"row": 0}))
    assert observe(FLOW, T0, T0 + 0.9, found).status == "pending"
    assert observe(FLOW, T0, T0 + 1, found).status == "failed"


def test_with_timings_overrides_stage_and_rate():
    fast = FLOW.with_timings({"rows_per_second": 1000, "stages": {"pending": 0}})
    assert observe(fast, T0, T0, outcome(CREATED * 2000)).status == "processing"
    assert observe(fast, T0, T0 + 2, outcome(CREATED * 2000)).status == "completed"


ORDER = ["pending", "processing", "completed", "completed_with_errors", "failed"]


@given(
    rows=st.lists(st.sampled_from([CREATED, UPDATED, ERROR]), max_size=60).map(b"".join),
    aborted=st.booleans(),
    times=st.lists(st.floats(min_value=0, max_value=20, allow_nan=False), min_size=2, max_size=12),
)
def test_observations_move_forward_and_add_up(rows, aborted, times):
    found = outcome(rows, failure=("bad_csv", {"row": 1}) if aborted or not rows else None)
    previous = None
    for t in sorted(times):
        seen = observe(FLOW, T0, T0 + t, found)
        assert seen.status in ORDER
        assert seen.created_rows + seen.updated_rows + seen.error_rows == seen.processed_rows <= seen.total_rows
        assert (seen.completed_at is not None) == seen.terminal
        if seen.terminal:
            assert seen.processed_rows == seen.total_rows
        if previous is not None:
            assert min(ORDER.index(seen.status), 2) >= min(ORDER.index(previous.status), 2)
            assert seen.processed_rows >= previous.processed_rows
            if previous.terminal:
                assert seen == previous
        previous = seen


def test_controls_effective_time_skips_pauses_and_stops_at_cancel():
    from mock_server.imports.timeline import Controls, rows_done

    controls = Controls(pauses=((10.0, 20.0), (30.0, None)))
    assert [controls.effective(t) for t in (5, 15, 25, 40)] == [5, 10, 15, 20]
    assert controls.is_paused(15) and not controls.is_paused(25) and controls.is_paused(99)
    assert controls.to_real(12) == 22 and controls.to_real(5) == 5
    cancelled = Controls(pauses=((10.0, 20.0),), cancelled_at=25.0)
    assert cancelled.effective(100) == cancelled.effective(25) == 15
    assert rows_done(start=2, effective_now=3.5, rows=10, rows_per_second=4) == 6
    assert rows_done(start=2, effective_now=1, rows=10, rows_per_second=4) == 0
    assert rows_done(start=2, effective_now=99, rows=10, rows_per_second=4) == 10
