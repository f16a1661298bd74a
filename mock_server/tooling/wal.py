"""`--data`: the write-ahead log. Every store change is one JSON line, appended in the store's order, written and
fsynced by one thread in groups (group commit); a request is answered only once its changes are on disk.

Records (one JSON array a line; the snapshot file is a log prefix in the same format, `replay` reads both):

    ["put", table, {doc id: document, ...}]    documents written whole (inserts, reseeds)
    ["patch", table, {doc id: fields, ...}]    fields set on existing documents
    ["del", table, [doc id, ...]]
    ["drop", [table, ...]]  /  ["clear"]       tables emptied (a per-API load / a reset)
    ["high", {table: id}]                      the highest doc id a table ever held (ids are never reused)
    ["clock", state]  /  ["state", meta]       the clock; what lives outside the store (import outcomes, vendors)

Encoded with the standard library's json, then UTF-8 with `surrogatepass`: a lone surrogate is written as its
own 3-byte sequence and read back as itself (never merged with a neighbour into another character, as `\\ud800`
escapes would be), NaN and integers of any size are written as Python's parser reads them, so every string and
number the API can hold round-trips exactly (orjson refuses lone surrogates and big integers; DUR-D02).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
from pathlib import Path

log = logging.getLogger(__name__)
ROTATE = object()  # a marker in the queue: close this segment, go on in the next one


def encode(record) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass") + b"\n"


def decode(line: bytes):
    return json.loads(line.decode("utf-8", "surrogatepass"))


def segment_path(base: Path, gen: int) -> Path:
    return base.with_name(f"{base.name}.log.{gen:06d}")


def segments(base: Path) -> list[tuple[int, Path]]:
    """The log segments beside `base`, oldest first."""
    prefix = base.name + ".log."
    found = [(int(p.name[len(prefix):]), p) for p in base.parent.glob(prefix + "*") if p.name[len(prefix):].isdigit()]
    return sorted(found)


class NotDurable(OSError):
    """The log could not be written: what was changed in memory is not on disk."""


class WriteAheadLog:
    def __init__(self, base: Path, gen: int, sync: str = "disk") -> None:
        self.base = Path(base)
        self.gen = gen
        # "disk": a group is durable once fdatasync'd (survives power loss); "os": once written to the kernel
        # (survives any death of the process, kill -9 included; fdatasync'd at each segment's end and at close)
        self.fsync_each_group = sync == "disk"
        self.failure: str | None = None
        self.appended = 0  # records handed over (their sequence numbers are 1..appended)
        self.durable = 0  # records written and fsynced
        self.segment_bytes = 0
        self._queue: list = []
        self._waiters: list[tuple[int, asyncio.AbstractEventLoop, asyncio.Future]] = []
        self._cond = threading.Condition()
        self._closing = False
        self._file = open(segment_path(self.base, gen), "ab")  # noqa: SIM115 - held open by the writer thread
        _fsync_dir(self.base.parent)
        self._thread = threading.Thread(target=self._run, name="pimkit-wal", daemon=True)
        self._thread.start()

    # --- producers (under the store's lock, so the log's order is the store's) ------------------------
    def append(self, record) -> None:
        """Queue one record. Never raises: a record that cannot be encoded fails the log (loudly)."""
        try:
            line = encode(record)
        except (TypeError, ValueError) as exc:
            self.fail(f"a change could not be encoded: {exc}")
            return
        with self._cond:
            self._queue.append(line)
            self.appended += 1
            self._cond.notify()

    def rotate(self) -> int:
        """Later records go to the next segment; its number."""
        with self._cond:
            self.gen += 1
            self._queue.append(ROTATE)
            self._cond.notify()
            return self.gen

    # --- waiting for the disk -------------------------------------------------------------------------
    async def wait(self, seq: int) -> None:
        """Return once records 1..seq are durable; NotDurable if the log failed."""
        if self.failure is not None:
            raise NotDurable(self.failure)
        if self.durable >= seq:
            return
        future = asyncio.get_running_loop().create_future()
        with self._cond:
            if self.durable < seq and self.failure is None:
                self._waiters.append((seq, asyncio.get_running_loop(), future))
                self._cond.notify()
            else:
                future.set_result(None)
        await future
        if self.failure is not None:
            raise NotDurable(self.failure)

    def flush(self, timeout: float = 30) -> bool:
        """Block until everything appended so far is durable (True) or the log failed (False)."""
        with self._cond:
            target = self.appended
            self._cond.wait_for(lambda: self.durable >= target or self.failure is not None, timeout)
            return self.failure is None and self.durable >= target

    def fail(self, reason: str) -> None:
        log.error("--data: %s; writes are refused until the fake restarts", reason)
        with self._cond:
            if self.failure is None:
                self.failure = reason
            self._release(ok=False)
            self._cond.notify_all()

    # --- the writer thread ----------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._queue or self._closing)
                if not self._queue and self._closing:
                    return
                batch, self._queue = self._queue, []
            if self.failure is not None:
                continue  # a failed log writes nothing more: what follows the gap would be replayed without it
            try:
                count = self._write(batch)
            except Exception as exc:  # a full disk, a read-only directory, an I/O error
                log.exception("--data: writing the log failed")
                self.fail(f"writing {self.base} failed: {exc!r}")
                continue
            with self._cond:
                self.durable += count
                self._release(ok=True)
                self._cond.notify_all()

    def _write(self, batch: list) -> int:
        count = 0
        for item in batch:
            if item is ROTATE:
                self._sync(disk=True)
                self._file.close()
                self._file = open(segment_path(self.base, self._file_gen() + 1), "ab")  # noqa: SIM115
                _fsync_dir(self.base.parent)
                self.segment_bytes = 0
            else:
                self._file.write(item)
                self.segment_bytes += len(item)
                count += 1
        self._sync(disk=self.fsync_each_group)
        return count

    def _file_gen(self) -> int:
        return int(self._file.name.rsplit(".", 1)[1])

    def _sync(self, disk: bool) -> None:
        self._file.flush()
        if disk:
            (getattr(os, "fdatasync", None) or os.fsync)(self._file.fileno())  # macOS has no fdatasync

    def _release(self, ok: bool) -> None:
        """Wake the waiters whose records are durable (all of them when the log failed). Under `_cond`."""
        keep = []
        for seq, loop, future in self._waiters:
            if not ok or seq <= self.durable:
                loop.call_soon_threadsafe(_settle, future)
            else:
                keep.append((seq, loop, future))
        self._waiters = keep

    def close(self) -> None:
        self.flush()
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join(timeout=30)
        if self.failure is None:
            self._sync(disk=True)
        self._file.close()


def _settle(future: asyncio.Future) -> None:
    if not future.done():
        future.set_result(None)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Replay:
    """The state a log prefix describes: tables as the store holds them, each table's highest id, the clock and
    the last saved outside-the-store state."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, dict]] = {}
        self.highest: dict[str, int] = {}
        self.clock: dict | None = None
        self.state: dict | None = None

    def read(self, path: Path) -> None:
        """Apply every record of one file. A last line without its newline was being written when the process
        died: it was never acknowledged, so it is dropped."""
        with open(path, "rb") as handle:
            for number, line in enumerate(handle, 1):
                if not line.endswith(b"\n"):
                    log.warning("--data: %s ends in a half-written record (dropped: it was never acknowledged)", path)
                    return
                try:
                    record = decode(line)
                except ValueError as exc:
                    raise ValueError(f"{path}:{number}: not a log record: {exc}") from exc
                if number == 1 and isinstance(record, dict):
                    continue  # a snapshot's header
                self.apply(record)

    def apply(self, record: list) -> None:
        op = record[0]
        if op == "put":
            table = self.tables.setdefault(record[1], {})
            table.update(record[2])
            top = max((int(k) for k in record[2]), default=0)
            self.highest[record[1]] = max(self.highest.get(record[1], 0), top)
        elif op == "patch":
            table = self.tables.get(record[1], {})
            for key, fields in record[2].items():
                if key in table:
                    table[key].update(fields)
        elif op == "del":
            table = self.tables.get(record[1], {})
            for key in record[2]:
                table.pop(str(key), None)
        elif op == "drop":
            for name in record[1]:
                self.tables.pop(name, None)
                self.highest.pop(name, None)
        elif op == "clear":
            self.tables.clear()
            self.highest.clear()
        elif op == "high":
            for name, top in record[1].items():
                self.highest[name] = max(self.highest.get(name, 0), top)
        elif op == "clock":
            self.clock = record[1]
        elif op == "state":
            self.state = record[1]
            self.clock = record[1]["clock"]
        else:
            raise ValueError(f"unknown log record {op!r}")
