"""Per-job log lines with levels, stored in order, read back a window at a time.

Lines live in the store (one table per job, doc ids 1, 2, … in the order written); the positions of each
level's lines are kept beside them, so a filtered page at any offset is one slice and one id lookup —
reading far into 100,000 lines costs what reading the first page does.
"""

from __future__ import annotations

from array import array

from mock_server.store import Store


class JobLog:
    def __init__(self, store: Store, table: str, levels: tuple[str, ...]) -> None:
        self.store = store
        self.table = table
        self._ids: dict[str | None, array] = {None: array("L")}
        for level in levels:
            self._ids[level] = array("L")

    def append(self, lines: list[dict]) -> None:
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
        for doc_id, line in enumerate(self.store.all(self.table), start=1):
            self._ids[None].append(doc_id)
            self._ids[line["level"]].append(doc_id)

    def count(self, level: str | None = None) -> int:
        return len(self._ids[level])

    def window(self, level: str | None, skip: int, limit: int) -> list[dict]:
        return self.store.get_many(self.table, self._ids[level][skip:skip + limit])
