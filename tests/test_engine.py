"""The import worker: results in submission order; a crash keeps what was written; a reset drops the rest."""

from __future__ import annotations

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
