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
