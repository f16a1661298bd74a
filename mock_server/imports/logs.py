"""Per-job log lines with levels, stored in order, read back a window at a time.

Lines live in the store (one table per job, doc ids 1, 2, … in the order written); the positions of each
level's lines are kept beside them, so a filtered page at any offset is one slice and one id lookup —
reading far into 100,000 lines costs what reading the first page does. Only the first `keep` lines of each
level are stored (a file of a million bad rows kept 976 MB of them); `count` stays the true total, so a
listing's total counts every line while its pages serve the first `keep` (README, hostile inputs).
"""

from __future__ import annotations

from array import array
from collections import Counter

from mock_server.imports.limits import Limits
from mock_server.imports.rows import clipped
from mock_server.store import Store


class JobLog:
    def __init__(self, store: Store, table: str, levels: tuple[str, ...], keep: int = Limits.max_error_rows) -> None:
        self.store = store
        self.table = table
        self.keep = keep
        self._totals: Counter = Counter()
        self._ids: dict[str | None, array] = {None: array("L")}
        for level in levels:
            self._ids[level] = array("L")

    def append(self, lines: list[dict]) -> None:
        kept = []
        for line in lines:
            level = line["level"]
            if self._totals[level] < self.keep:
                kept.append(clipped(line))
            self._totals[level] += 1
        self._write(kept)

    def _write(self, lines: list[dict]) -> None:
        if not lines:
            return
        ids = self.store.insert_many(self.table, lines, handed_over=True)
        everything = self._ids[None]
        for doc_id, line in zip(ids, lines, strict=True):
            everything.append(doc_id)
            self._ids[line["level"]].append(doc_id)

    def reload(self) -> None:
        """Rebuild the positions from the lines already in the store (after a `--data` restart): ids 1, 2, …
        in the order written."""
        for ids in self._ids.values():
            del ids[:]
        self._totals.clear()
        for doc_id, line in enumerate(self.store.all(self.table), start=1):
            self._ids[None].append(doc_id)
            self._ids[line["level"]].append(doc_id)
            self._totals[line["level"]] += 1

    def count(self, level: str | None = None) -> int:
        """Every line written at `level` (all levels: None), stored or not."""
        return self._totals.total() if level is None else self._totals[level]

    def window(self, level: str | None, skip: int, limit: int) -> list[dict]:
        return self.store.get_many(self.table, self._ids[level][skip:skip + limit])
