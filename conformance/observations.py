"""What scenarios observe and checks judge: a job's status history, the rows a file holds, an errors listing."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass
class JobTrace:
    """Every body GET /imports/{id} returned while the suite waited for the job, oldest first."""

    job_id: str
    snapshots: list[dict[str, Any]] = field(default_factory=list)
    timed_out: bool = False
    waited: str = ""  # how long, in words: "12 polls over 4.1 s" or "advanced the fake's clock 63 s"

    def statusless(self, clock: Any, attempts: int) -> bool:
        """True (and the trace closed) when the last answer has no `status`: a documented field missing from
        the answer is a violation at once, never a reason to wait out --timeout (issue 15)."""
        status = self.snapshots[-1].get("status") if self.snapshots else None
        if isinstance(status, str) and status:
            return False
        self.waited = f"{clock.describe(attempts)}, then stopped: the answer has no `status` to wait on ({status!r})"
        self.timed_out = True
        return True

    @property
    def statuses(self) -> list[Any]:
        return [snapshot.get("status") for snapshot in self.snapshots]

    @property
    def final(self) -> dict[str, Any] | None:
        return self.snapshots[-1] if self.snapshots else None

    def history(self) -> str:
        compact: list[str] = []
        for status in self.statuses:
            if not compact or compact[-1] != repr(status):
                compact.append(repr(status))
        return " -> ".join(compact) or "(no status read)"


@dataclass(frozen=True)
class ExpectedRow:
    """One data row of a file the suite built: `index` counts data rows from 0 (the header is not one).

    `problem` is None for a row the API must import, else the `x-messages.rows` key naming what is wrong
    with it (invalid_ean_format, invalid_ean_checksum, missing_title, invalid_price, duplicate_ean, …).
    """

    index: int
    ean: str | None
    problem: str | None = None

    @property
    def valid(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class ExpectedCounts:
    total: int
    created: int
    updated: int
    errors: int

    @classmethod
    def for_new_rows(cls, rows: Iterable[ExpectedRow]) -> ExpectedCounts:
        rows = list(rows)
        bad = sum(1 for row in rows if not row.valid)
        return cls(total=len(rows), created=len(rows) - bad, updated=0, errors=bad)


@dataclass
class ErrorPage:
    requested: Mapping[str, int]  # the query sent: {} for the default page, or {"page": 2, "per_page": 7}
    status: int
    body: Any

    @property
    def data(self) -> list[dict[str, Any]]:
        data = self.body.get("data") if isinstance(self.body, Mapping) else None
        return [entry for entry in data if isinstance(entry, dict)] if isinstance(data, list) else []

    @property
    def meta(self) -> Mapping[str, Any]:
        meta = self.body.get("meta") if isinstance(self.body, Mapping) else None
        return meta if isinstance(meta, Mapping) else {}


@dataclass
class ErrorListing:
    """All the pages the suite read of GET /imports/{id}/errors, in order."""

    job_id: str
    pages: list[ErrorPage] = field(default_factory=list)

    @property
    def entries(self) -> list[dict[str, Any]]:
        return [entry for page in self.pages for entry in page.data]

    @property
    def total(self) -> Any:
        return self.pages[0].meta.get("total") if self.pages else None


def row_offset(rows: Iterable[ExpectedRow], entries: Iterable[Mapping[str, Any]], offsets: Iterable[int]) -> int | None:
    """The one offset (row number minus data index) under which the listed rows are exactly the invalid ones."""
    wanted = sorted(row.index for row in rows if not row.valid)
    listed = sorted(number for entry in entries if isinstance(number := entry.get("row"), int))
    for offset in offsets:
        if listed == [index + offset for index in wanted]:
            return offset
    return None
