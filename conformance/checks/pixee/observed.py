"""What Pixee's checks judge besides single responses and job traces: the rows a file holds, pages of logs."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass(frozen=True)
class FileRow:
    """One data row of a file the suite built (`index` counts data rows from 0), and what Pixee makes of it.

    `problem` is None for a row Pixee must import, else the spec's `x-messages.logs` key of its error and
    `field` the field that error names; `warning` is the key of a warning the fake logs for a valid row.
    """

    index: int
    ean: str | None
    name: str | None
    price: Decimal | str | None
    problem: str | None = None
    field: str | None = None
    warning: str | None = None

    @property
    def valid(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class FileFacts:
    """Every data row of one uploaded file; `first_row` is the row number the fake gives the first one."""

    rows: tuple[FileRow, ...]
    first_row: int = 1

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def valid(self) -> list[FileRow]:
        return [row for row in self.rows if row.valid]

    @property
    def bad(self) -> list[FileRow]:
        return [row for row in self.rows if not row.valid]

    def by_ean(self) -> dict[str, FileRow]:
        return {str(row.ean): row for row in self.rows if row.ean is not None}

    def number(self, row: FileRow) -> int:
        return row.index + self.first_row


@dataclass(frozen=True)
class LogPage:
    """One GET …/logs answer; `requested` is the query sent ({} for the defaults)."""

    requested: Mapping[str, Any]
    status: int
    body: Any

    @property
    def items(self) -> list[dict[str, Any]]:
        items = self.body.get("items") if isinstance(self.body, Mapping) else None
        return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []

    @property
    def meta(self) -> Mapping[str, Any]:
        meta = self.body.get("meta") if isinstance(self.body, Mapping) else None
        return meta if isinstance(meta, Mapping) else {}


@dataclass
class LogWalk:
    """The pages a client reads of one level (None: all) `limit` at a time, following `has_next`."""

    job_id: str
    level: str | None
    limit: int
    pages: list[LogPage] = field(default_factory=list)
    stopped: str = ""  # why reading stopped: "has_next false", "an error answer", "page limit"

    @property
    def items(self) -> list[dict[str, Any]]:
        return [item for page in self.pages for item in page.items]

    @property
    def total(self) -> Any:
        return self.pages[0].meta.get("total") if self.pages else None


def line_key(item: Mapping[str, Any]) -> str:
    """A log line as comparable text (two reads of the same line are equal)."""
    return json.dumps(item, sort_keys=True, default=str)


def multiset(items: Iterable[Mapping[str, Any]]) -> Counter:
    return Counter(line_key(item) for item in items)


def same_number(value: Any, expected: Decimal | str | None) -> bool:
    """A price as the file had it and as the API returns it (29.99, "29.99", "29.990") are the same."""
    if expected is None or expected == "":
        return value in (None, "")
    try:
        return Decimal(str(value)) == Decimal(str(expected))
    except (InvalidOperation, ValueError):
        return str(value).strip() == str(expected).strip()
