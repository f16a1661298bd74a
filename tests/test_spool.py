"""Spooled rows are applied as far as asked, in order, once each; the spool is removed when done."""

from __future__ import annotations

from mock_server.imports.spool import Application, SpoolWriter
from mock_server.imports.timeline import CREATED, UPDATED


def test_rows_are_applied_in_order_up_to_the_target_and_the_spool_removed():
    writer = SpoolWriter()
    for row in range(2, 12):
        writer.write(row, {"ean": str(row)})
    writer.close()
    seen: list[tuple[int, int]] = []

    def apply(batch, first):
        seen.extend((first + n, row) for n, (row, _) in enumerate(batch))
        return [CREATED if row % 2 else UPDATED for row, _ in batch]

    app = Application(writer.path, writer.rows)
    app.apply_until(4, apply)
    app.apply_until(3, apply)  # never backwards
    assert [row for _, row in seen] == [2, 3, 4, 5] and app.applied == 4
    app.apply_until(100, apply)
    assert [index for index, _ in seen] == list(range(10))
    assert app.count(CREATED) == 5 and app.count(UPDATED, upto=4) == 2
    assert not writer.path.exists()


def test_savers_keeping_one_spool_at_once_leave_one_whole_copy_and_no_temporary_file(tmp_path):
    # a state save and the compaction's save may keep the same spool at the same moment: each copies to a file of
    # its own and the first link wins (before, both wrote one `.tmp` and the second rename failed)
    import threading

    from mock_server.imports.spool import keep, kept_spool

    source = tmp_path / "spool.jsonl"
    source.write_bytes(b"".join(b'["row %d"]\n' % n for n in range(20_000)))
    data_file = str(tmp_path / "state.json")
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def saver() -> None:
        start.wait()
        try:
            keep(source, data_file, "job-1")
        except BaseException as error:  # noqa: BLE001 - the test reports any
            errors.append(error)

    savers = [threading.Thread(target=saver) for _ in range(8)]
    for thread in savers:
        thread.start()
    for thread in savers:
        thread.join()
    assert errors == []
    assert kept_spool(data_file, "job-1").read_bytes() == source.read_bytes()
    assert sorted(p.name for p in kept_spool(data_file, "job-1").parent.iterdir()) == ["job-1.jsonl"]


def test_a_copy_left_by_a_saver_killed_mid_copy_is_swept_at_start_up(tmp_path):
    from mock_server.imports.spool import kept_spool, sweep_unfinished

    data_file = str(tmp_path / "state.json")
    kept = kept_spool(data_file, "job-1")
    kept.parent.mkdir()
    kept.write_bytes(b'["row"]\n')
    (kept.parent / "job-2.abc123.tmp").write_bytes(b'["half a ro')
    sweep_unfinished(data_file)
    assert sorted(p.name for p in kept.parent.iterdir()) == ["job-1.jsonl"]
