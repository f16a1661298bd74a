"""Big files parsed in a child process give exactly what the in-thread read gives (ENG-D10)."""

from __future__ import annotations

import pytest
from conftest import csv_bytes, xlsx_bytes

from mock_server.imports.engine import ImportEngine, Work
from mock_server.imports.formats import Limits, read_records
from mock_server.imports.limits import ImportAborted
from mock_server.imports.reading import records_in_child
from mock_server.imports.timeline import CREATED, ERROR


@pytest.mark.parametrize("fmt, content", [
    ("csv", csv_bytes([[f"{n:013d}", f"t{n}", "1.5"] for n in range(2500)])),
    ("xlsx", xlsx_bytes([[f"{n:013d}", f"t{n}", 1.5] for n in range(1200)])),
], ids=["csv", "xlsx"])
def test_the_child_reads_the_records_the_thread_reads(tmp_path, fmt, content):
    path = tmp_path / f"f.{fmt}"
    path.write_bytes(content)
    assert list(records_in_child(path, fmt, Limits())) == list(read_records(path, fmt, Limits()))


def test_a_limit_in_the_child_is_the_same_import_aborted_after_the_same_rows(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_bytes(csv_bytes([["1", "2", "3"]] * 5 + [list(range(40))]))
    limits = Limits(max_cells_per_row=10)
    got = []
    with pytest.raises(ImportAborted) as aborted:
        for record in records_in_child(path, "csv", limits):
            got.append(record)
    with pytest.raises(ImportAborted) as expected:
        list(read_records(path, "csv", limits))
    assert (aborted.value.code, aborted.value.params) == (expected.value.code, expected.value.params)
    assert len(got) == 5


def test_the_engine_gives_the_same_outcome_with_files_read_in_a_child(tmp_path):
    path = tmp_path / "f.csv"
    rows = [[f"{n:013d}" if n % 7 else "bad", "t", "1"] for n in range(3000)]
    outcomes = []
    for process_min_bytes in (None, 0):
        path.write_bytes(csv_bytes(rows))
        engine = ImportEngine(Limits(), process_min_bytes=process_min_bytes)

        def sink(batch):
            return [(ERROR if record["ean"] == "bad" else CREATED, None) for _, record in batch]

        engine.submit(Work("job", path, "csv", sink, write_errors=lambda docs: None))
        outcomes.append(engine.wait("job", timeout=60))
        engine.stop()
    assert outcomes[0] == outcomes[1] and outcomes[0].outcomes.count(ERROR) == 429
