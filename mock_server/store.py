"""The fake's state: TinyDB in memory behind one lock, with the key indexes TinyDB does not keep.

TinyDB is not thread-safe and hands out shared objects (docs/STACK-NOTES.md): every read-modify-write
happens under `self.lock`, and documents are deep-copied on the way in and out (`clone`). Only doc-id lookups are
O(1), so secondary keys (an EAN, a SKU) are indexed here. TinyDB's own write API rewrites a whole table on every
write, so updates, removals and inserts of documents carrying their ids go to its storage dict directly (O(1));
inserts that need TinyDB's automatic ids go through `insert_many` in batches.

The store is the one write path of every API, so it is where `--data` hooks in: with a `log` attached
(`mock_server/tooling/wal.py`), every change is handed to it as a record, under the lock, in the order applied.
A stored document is never changed in place (an update stores a new dict; nested values are replaced whole, never
mutated): so tenants share their fixtures' documents copy-on-write (`reset_to_dump`, mock_server/runtime.py
`Shared`), and a snapshot is a shallow copy of each table (mock_server/tenants.py).
Doc ids are never reused within a table, even after its highest document is deleted and the fake restarted:
the store keeps each table's highest id (`highest`), and the log carries it.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, cast

from tinydb import TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Document

_ATOMS = frozenset({str, int, float, bool, type(None)})


def clone(value: Any) -> Any:
    """A deep copy of a document: dicts, lists and scalars are copied here (~3× faster than `copy.deepcopy`,
    which was ~8 % of a read's CPU), anything else (a TinyDB `Document`, a tuple) by `copy.deepcopy`. Unlike
    `deepcopy` it copies an object reachable twice twice: a stored document is a tree, as JSON is."""
    kind = type(value)
    if kind is dict:
        return {key: clone(item) for key, item in value.items()}
    if kind is list:
        return [clone(item) for item in value]
    if kind in _ATOMS:
        return value
    return copy.deepcopy(value)


class Store:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._db = TinyDB(storage=MemoryStorage)
        # table -> field -> value -> doc_id
        self._indexes: dict[str, dict[str, dict]] = {}
        self._declared: dict[str, tuple[str, ...]] = {}
        self._highest: dict[str, int] = {}  # table -> the highest doc id it ever held
        self.log = None  # `--data`: something with `append(record)` (tooling/wal.py), or None in memory

    def _record(self, record: tuple[Any, ...]) -> None:
        if self.log is not None:
            self.log.append(record)

    def _raise_highest(self, table: str, ids: Iterable[int]) -> None:
        top = max(ids, default=0)
        if top > self._highest.get(table, 0):
            self._highest[table] = top

    def highest(self, table: str) -> int:
        """The highest doc id `table` ever held since it was last emptied (deleted documents included)."""
        with self.lock:
            return self._highest.get(table, 0)

    # --- schema -------------------------------------------------------------------------------
    def declare_index(self, table: str, *fields: str) -> None:
        """Keep `field value -> doc_id` for `table`; values are unique per field."""
        with self.lock:
            self._declared[table] = tuple(dict.fromkeys(self._declared.get(table, ()) + fields))
            self._reindex(table)

    def _reindex(self, table: str) -> None:
        fields = self._declared.get(table, ())
        index: dict[str, dict] = {f: {} for f in fields}
        for doc in self._db.table(table, cache_size=0).all():
            self._index_doc(index, doc.doc_id, doc)
        self._indexes[table] = index

    @staticmethod
    def _index_doc(index: dict[str, dict], doc_id: int, doc: Mapping) -> None:
        for field, values in index.items():
            if doc.get(field) is not None:
                values[doc[field]] = doc_id

    # --- reads --------------------------------------------------------------------------------
    def get(self, table: str, doc_id: int) -> dict | None:
        with self.lock:
            doc = self._db.table(table, cache_size=0).get(doc_id=doc_id)
            return None if doc is None else clone(dict(doc))

    def get_many(self, table: str, doc_ids: Iterable[int]) -> list[dict]:
        """The documents with these ids, in the order given (missing ids skipped). One O(1) lookup per id:
        TinyDB's own `get(doc_ids=…)` scans the whole table."""
        with self.lock:
            tbl = self._db.table(table, cache_size=0)
            docs = (tbl.get(doc_id=doc_id) for doc_id in doc_ids)
            return [clone(dict(d)) for d in docs if d is not None]

    def peek(self, table: str, doc_id: int) -> Mapping | None:
        """The document as stored, not copied: for a caller that only reads it at once (does it exist, which
        parent is it under) and never changes or keeps it."""
        with self.lock:
            return self._db.table(table, cache_size=0).get(doc_id=doc_id)

    def peek_many(self, table: str, doc_ids: Iterable[int]) -> list[dict]:
        """The documents with these ids as shallow copies sharing nested values with the store: for a caller
        that only serialises them, at once, and never mutates them (a list page over 100k rows, where a deep
        copy per document costs more than the rest of the request)."""
        with self.lock:
            tbl = self._db.table(table, cache_size=0)
            docs = (tbl.get(doc_id=doc_id) for doc_id in doc_ids)
            return [d for d in docs if d is not None]

    def lookup(self, table: str, field: str, value: Any) -> int | None:
        """The doc id whose indexed `field` equals `value`."""
        with self.lock:
            return self._indexes.get(table, {}).get(field, {}).get(value)

    def find(self, table: str, field: str, value: Any) -> dict | None:
        """The document whose indexed `field` equals `value` (a copy), or None."""
        with self.lock:
            doc_id = self.lookup(table, field, value)
            return None if doc_id is None else self.get(table, doc_id)

    def count(self, table: str) -> int:
        with self.lock:
            return len(self._db.table(table, cache_size=0))

    def all(self, table: str) -> list[dict]:
        with self.lock:
            return [clone(dict(d)) for d in self._db.table(table, cache_size=0).all()]

    # --- writes -------------------------------------------------------------------------------
    def _raw(self, table: str) -> dict:
        """TinyDB's own dict of `table` in its memory storage (doc id as text -> document). Writing it directly
        is O(1); TinyDB's table API copies the whole table on every write (O(n): 0.3 s per write at 400k rows).
        Fetched afresh on each call: a TinyDB write or a reset replaces the inner dicts."""
        memory = self._db.storage.read()
        if memory is None:
            memory = {}
            self._db.storage.write(memory)
        return memory.setdefault(table, {})

    def _insert_with_ids(self, table: str, docs: list[Document]) -> list[int]:
        """Documents that carry their own id (tinydb's `Document`), written in place; an id taken is a ValueError,
        as TinyDB's own insert says."""
        raw = self._raw(table)
        keys = [str(doc.doc_id) for doc in docs]
        taken = next((k for k in keys if k in raw), None)
        if taken is not None or len(set(keys)) != len(keys):
            raise ValueError(f"Document with ID {taken or keys[0]} already exists")
        for key, doc in zip(keys, docs, strict=True):
            raw[key] = dict(doc)
        self._db.table(table, cache_size=0)._next_id = None  # TinyDB recounts its next automatic id
        return [doc.doc_id for doc in docs]

    def insert(self, table: str, doc: Mapping) -> int:
        return self.insert_many(table, [doc])[0]

    def insert_many(self, table: str, docs: Sequence[Mapping], *, handed_over: bool = False) -> list[int]:
        """Insert documents in one table rewrite. `handed_over`: the caller built them for the store and
        keeps no reference, so they are stored as they are instead of deep-copied (bulk imports)."""
        if not docs:
            return []
        with self.lock:
            stored = list(docs) if handed_over else clone(list(docs))
            if all(isinstance(doc, Document) for doc in stored):
                ids = self._insert_with_ids(table, cast(list[Document], stored))
            else:
                tbl = self._db.table(table, cache_size=0)
                floor = self._highest.get(table, 0) + 1
                if floor > 1 and (tbl._next_id or 0) < floor:
                    above = max((int(k) for k in self._raw(table)), default=0) + 1
                    tbl._next_id = max(floor, above)  # type: ignore[assignment]  # TinyDB's counter, typed None
                ids = tbl.insert_multiple(stored)
            self._raise_highest(table, ids)
            self._record(("put", table, {str(i): dict(d) for i, d in zip(ids, stored, strict=True)}))
            index = self._indexes.get(table)
            if index:
                for doc_id, doc in zip(ids, docs, strict=True):
                    self._index_doc(index, doc_id, doc)
            return ids

    def update(self, table: str, doc_id: int, fields: Mapping) -> None:
        self.update_many(table, {doc_id: fields})

    def update_many(self, table: str, changes: Mapping[int, Mapping], *, handed_over: bool = False) -> None:
        """Apply `fields` to each doc id, in one table rewrite (`handed_over` as for `insert_many`)."""
        if not changes:
            return
        with self.lock:
            ids = sorted(changes)
            fresh = [changes[i] if handed_over else clone(dict(changes[i])) for i in ids]
            raw = self._raw(table)
            missing = [i for i in ids if str(i) not in raw]
            if missing:
                raise KeyError(missing[0])
            for doc_id, fields in zip(ids, fresh, strict=True):
                key = str(doc_id)
                raw[key] = {**raw[key], **fields}  # a new document: the old one may be shared (copy-on-write)
            self._record(("patch", table, {str(i): f for i, f in zip(ids, fresh, strict=True)}))
            index = self._indexes.get(table)
            if index:
                for doc_id, fields in zip(ids, fresh, strict=True):
                    self._index_doc(index, doc_id, fields)

    def remove(self, table: str, doc_id: int) -> None:
        with self.lock:
            self._raw(table).pop(str(doc_id))
            self._record(("del", table, [doc_id]))
            if table in self._indexes:
                for values in self._indexes[table].values():
                    for key in [k for k, v in values.items() if v == doc_id]:
                        del values[key]

    def remove_many(self, table: str, doc_ids: Iterable[int]) -> None:
        """Remove several documents in one table rewrite (a cascade of deletes)."""
        ids = list(doc_ids)
        if not ids:
            return
        with self.lock:
            raw = self._raw(table)
            for doc_id in ids:
                raw.pop(str(doc_id))
            self._record(("del", table, ids))
            if table in self._indexes:
                gone = set(ids)
                for values in self._indexes[table].values():
                    for key in [k for k, v in values.items() if v in gone]:
                        del values[key]

    # --- lifecycle ----------------------------------------------------------------------------
    def replace_tables(self, prefix: str, seed: Mapping[str, list[Mapping]]) -> None:
        """Empty every table named `prefix…` or in `seed`, and load `seed`; other tables are untouched."""
        with self.lock:
            dropped = [t for t in self._db.tables() if t.startswith(prefix) or t in seed]
            for table in dropped:
                self._db.drop_table(table)
                self._highest.pop(table, None)
            self._record(("drop", dropped))
            self._seed(seed)

    def _seed(self, seed: Mapping[str, list[Mapping]]) -> None:
        for table, docs in seed.items():
            if docs:
                ids = self._db.table(table, cache_size=0).insert_multiple(clone(list(docs)))
                self._raise_highest(table, ids)
                self._record(("put", table, self._raw(table)))
        for table in self._declared:
            self._reindex(table)

    def export(self, encode: Callable[[tuple[Any, ...]], bytes], chunk: int = 200) -> Iterator[bytes]:
        """Every table as log records (`put` chunks of `chunk` documents, then the highest ids), each encoded
        by `encode` under the lock and yielded outside it: a snapshot of a large store taken while requests
        go on, none of them held more than one chunk's encoding (`--data` compaction)."""
        with self.lock:
            tables = list((self._db.storage.read() or {}).keys())
        for table in tables:
            with self.lock:
                keys = list(self._raw(table))
            for start in range(0, len(keys), chunk):
                with self.lock:
                    raw = self._raw(table)
                    docs = {k: raw[k] for k in keys[start:start + chunk] if k in raw}
                    line = encode(("put", table, docs)) if docs else None
                if line:
                    yield line
        with self.lock:
            yield encode(("high", dict(self._highest)))

    def load_dump(self, tables: Mapping[str, dict[str, dict]],
                  highest: Mapping[str, int] | None = None) -> None:
        """Take back tables as TinyDB stores them (table -> doc id as text -> document), handed over, and each
        table's highest id ever held (a restart)."""
        with self.lock:
            self._db.drop_tables()
            highest = highest or {}
            self._db.storage.write(dict(tables))  # handed over as they are
            self._highest = {t: max(highest.get(t, 0), max(map(int, docs), default=0)) for t, docs in tables.items()}
            self._highest.update({t: n for t, n in highest.items() if t not in self._highest})
            for table in self._declared:
                self._reindex(table)

    def reset_to_dump(self, tables: Mapping[str, dict[str, dict]], highest: Mapping[str, int]) -> None:
        """`reset` from tables as TinyDB stores them (table -> doc id as text -> document), the table dicts handed
        over, the documents possibly shared with other stores (copy-on-write: see the module's docstring)."""
        with self.lock:
            self._record(("clear",))
            self.load_dump(tables, highest)
            for table, docs in tables.items():
                self._record(("put", table, docs))

    def reset(self, seed: Mapping[str, list[Mapping]]) -> None:
        """Empty every table and load `seed` (table name -> documents)."""
        with self.lock:
            self._db.drop_tables()
            self._highest = {}
            self._record(("clear",))
            self._seed(seed)
