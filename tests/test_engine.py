"""The import worker: results in submission order; a crash keeps what was written; a reset drops the rest."""

from __future__ import annotations

import asyncio
import threading

import pytest

from mock_server.imports.engine import ImportEngine, Work
from mock_server.imports.formats import Limits
from mock_server.imports.timeline import CREATED


def csv_file(tmp_path, name: str, rows: int):
    path = tmp_path / name
    path.write_text("ean,title\n" + "".join(f"{i},t\n" for i in range(rows)))
    return path


def test_a_crashing_sink_fails_the_job_but_keeps_the_batches_it_wrote(tmp_path):
    engine = ImportEngine(Limits())
    written: list[int] = []

    def sink(batch):
        if len(written) >= 2000:
            raise RuntimeError("boom")
        written.extend(row for row, _ in batch)
        return [(CREATED, None)] * len(batch)

    engine.submit(Work("job", csv_file(tmp_path, "a.csv", 5000), "csv", sink, write_errors=lambda docs: None))
    outcome = engine.wait("job", timeout=30)
    engine.stop()
    assert outcome.outcomes == CREATED * 2000 and len(written) == 2000
    assert outcome.failure[0] == "internal"


def test_work_queued_before_a_reset_is_dropped(tmp_path):
    engine = ImportEngine(Limits())
    seen: list[str] = []

    def sink_for(name):
        def sink(batch):
            seen.append(name)
            return [(CREATED, None)] * len(batch)
        return sink

    engine.submit(Work("a", csv_file(tmp_path, "a.csv", 3), "csv", sink_for("a"), write_errors=lambda docs: None))
    engine.wait("a", timeout=30)
    engine.submit(Work("b", csv_file(tmp_path, "b.csv", 3), "csv", sink_for("b"), write_errors=lambda docs: None))
    engine.reset()
    with pytest.raises(KeyError):
        engine.wait("b", timeout=30)
    engine.stop()


def _counting_sink(seen: list, name: str):
    def sink(batch):
        seen.append((name, len(batch)))
        return [(CREATED, None)] * len(batch)
    return sink


def test_a_job_does_not_wait_for_a_slow_job_submitted_before_it(tmp_path):
    """Y's prepare blocks (a file slow to read); X, submitted after it, is done while Y still blocks."""
    engine = ImportEngine(Limits(), workers=2)
    release = threading.Event()
    engine.submit(Work("y", csv_file(tmp_path, "y.csv", 3), "csv", _counting_sink([], "y"),
                       write_errors=lambda docs: None, prepare=lambda: release.wait(30)))
    engine.submit(Work("x", csv_file(tmp_path, "x.csv", 3), "csv", _counting_sink([], "x"),
                       write_errors=lambda docs: None))
    try:
        assert engine.wait("x", timeout=20).outcomes == CREATED * 3
        assert engine.ready("y") is None  # still blocked: x did not wait for it
    finally:
        release.set()
    assert engine.wait("y", timeout=20).outcomes == CREATED * 3
    engine.stop()


def test_slices_take_turns_so_a_small_job_passes_a_large_one_on_one_worker(tmp_path):
    engine = ImportEngine(Limits(), workers=1)
    seen: list = []
    release = threading.Event()
    # the large job is held at its first slice until the small one is queued, then both take turns
    engine.submit(Work("large", csv_file(tmp_path, "l.csv", 20_000), "csv", _counting_sink(seen, "large"),
                       write_errors=lambda docs: None, prepare=lambda: release.wait(30)))
    engine.submit(Work("small", csv_file(tmp_path, "s.csv", 10), "csv", _counting_sink(seen, "small"),
                       write_errors=lambda docs: None))
    release.set()
    engine.wait("large", timeout=60)
    engine.stop()
    names = [name for name, _ in seen]
    assert names.index("small") < len(names) - 1 and names[-1] == "large"


def test_jobs_of_one_lane_write_in_submission_order_others_beside_them(tmp_path):
    """A lane's jobs run one at a time: the second's first batch comes after the first's last one."""
    engine = ImportEngine(Limits(), workers=2)
    seen: list = []
    for name in ("first", "second"):
        engine.submit(Work(name, csv_file(tmp_path, f"{name}.csv", 9000), "csv", _counting_sink(seen, name),
                           write_errors=lambda docs: None, lane="catalogue"))
    engine.wait("second", timeout=60)
    engine.stop()
    names = [name for name, _ in seen]
    assert names == sorted(names, key=("first", "second").index) and names.count("first") > 1


def test_outcome_is_awaited_on_the_loop_and_a_reset_answers_key_error(tmp_path):
    engine = ImportEngine(Limits(), workers=1)
    release = threading.Event()
    for name in ("done", "held"):
        hold = (lambda: release.wait(30)) if name == "held" else None
        engine.submit(Work(name, csv_file(tmp_path, f"{name}.csv", 3), "csv", _counting_sink([], name),
                           write_errors=lambda docs: None, prepare=hold))

    async def scenario():
        first = await engine.outcome("done", timeout=20)
        waiting = asyncio.ensure_future(engine.outcome("held", timeout=20))
        await asyncio.sleep(0.05)
        engine.reset()
        release.set()
        with pytest.raises(KeyError):
            await waiting
        return first

    assert asyncio.run(scenario()).outcomes == CREATED * 3
    engine.stop()


def test_work_given_after_a_stop_starts_the_workers_again(tmp_path):
    engine = ImportEngine(Limits(), workers=1)
    engine.stop()
    engine.submit(Work("late", csv_file(tmp_path, "late.csv", 3), "csv", _counting_sink([], "late"),
                       write_errors=lambda docs: None))
    assert engine.wait("late", timeout=20).outcomes == CREATED * 3
    engine.stop()
