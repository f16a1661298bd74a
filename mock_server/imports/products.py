"""Upsert of imported product rows into a vendor's product table, matched by EAN, batch by batch."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from mock_server.imports.rows import ColumnMapper, clipped, normalise_product, product_problem
from mock_server.imports.timeline import CREATED, ERROR, UPDATED
from mock_server.store import Store

# (row_number, mapped fields, problem code, params) -> the error document the vendor lists
DescribeError = Callable[[int, Mapping[str, object], str, dict], dict]


def first_errors(write: Callable[[list[dict]], None], keep: int) -> Callable[[list[dict]], None]:
    """An engine `ErrorWriter` that stores only the first `keep` error documents of a job; the job's error count
    (from its outcome) stays the true total, so the listing's total counts every error row while its pages serve
    the first `keep` (a file of a million bad rows kept 976 MB of them)."""
    written = 0

    def kept(docs: list[dict]) -> None:
        nonlocal written
        room = keep - written
        if room > 0 and docs:
            write([clipped(doc) for doc in docs[:room]])
            written += min(room, len(docs))

    return kept


class ProductUpsert:
    """A `Sink` for the import engine.

    A row is validated (EAN-13, title, price), then created, or updated when its EAN exists and
    `update_existing` is on. The later of two rows with the same EAN in one file is an error
    (`duplicate_ean`), and so is an existing EAN when `update_existing` is off (`product_exists`).
    """

    def __init__(self, store: Store, table: str, *, mapper: ColumnMapper, update_existing: bool,
                 describe: DescribeError, stamp: Mapping[str, object]) -> None:
        self.store = store
        self.table = table
        self.mapper = mapper
        self.update_existing = update_existing
        self.describe = describe
        self.stamp = dict(stamp)  # fields written on every created or updated product (import id, time)
        self._first_row: dict[str, int] = {}

    def _problem(self, row: int, fields: Mapping[str, object]) -> tuple[str, dict] | None:
        problem = product_problem(fields)
        if problem:
            return problem, {}
        ean = str(fields["ean"]).strip()
        first = self._first_row.setdefault(ean, row)
        if first != row:
            return "duplicate_ean", {"first_row": first}
        return None

    def __call__(self, batch: list[tuple[int, dict]]) -> list[tuple[bytes, dict | None]]:
        results: list[tuple[bytes, dict | None]] = []
        inserts: list[dict] = []
        updates: dict[int, dict] = {}
        for row, record in batch:
            fields = self.mapper(record)
            problem = self._problem(row, fields)
            if problem is None:
                product = {**normalise_product(fields), **self.stamp}
                existing = self.store.lookup(self.table, "ean", product["ean"])
                if existing is None:
                    inserts.append(product)
                    results.append((CREATED, None))
                    continue
                if self.update_existing:
                    updates[existing] = product
                    results.append((UPDATED, None))
                    continue
                problem = ("product_exists", {})
            code, params = problem
            results.append((ERROR, self.describe(row, fields, code, params)))
        self.store.insert_many(self.table, inserts, handed_over=True)
        self.store.update_many(self.table, updates, handed_over=True)
        return results
