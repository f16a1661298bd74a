"""`--data FILE`: the fake's state kept across restarts; a change is on disk before its request is answered.

On disk (openapi/DECISIONS.md TL-D06, DUR-D01): `FILE`, a snapshot, and `FILE.log.NNNNNN`, the write-ahead log
segments written since (`tooling/wal.py`: one JSON record a line, group-committed with fdatasync). A restart
reads the snapshot, replays the segments it names and later ones, then writes a fresh snapshot. Compaction runs
on a background thread once the current segment passes `data_compact_bytes`: the log moves on to a new segment,
a forked child writes the store as it was at the fork (copy-on-write) to a temporary file and fsyncs it, on the
other core, while this process serves; then the file replaces the snapshot (`os.replace`, directory fsync) and
the segments it covers are deleted.
Replaying the new segment over a snapshot taken while it was being written is exact: each record sets whole
documents or fields, so applying it again to a state that already has it changes nothing.

Besides the store: the clock (logged with the request that moved it) and, every `data_interval` seconds when
something changed and on a clean stop, what lives outside the store: each import's outcome
(`imports.settled_results()`) and each vendor's `persist` dump. The journal and the faults are not saved.
"""

from __future__ import annotations

import base64
import gc
import json
import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterable
from pathlib import Path

from mock_server.imports.spool import sweep_unfinished
from mock_server.imports.timeline import Outcome
from mock_server.tooling.wal import Replay, WriteAheadLog, encode, segments

FORMAT = "pimkit-state"
# A clean stop gives the files being read this long to finish before it saves them as interrupted.
CLOSE_WAIT_SECONDS = 10.0
VERSION = 2
log = logging.getLogger(__name__)


class BadStateFile(ValueError):
    """A `--data` file that is not one this version wrote."""


def _outcome_to_json(outcome: Outcome) -> list:
    return [base64.b64encode(outcome.outcomes).decode(), list(outcome.error_positions),
            list(outcome.failure) if outcome.failure else None]


def _outcome_from_json(raw: list) -> Outcome:
    outcomes, positions, failure = raw
    return Outcome(base64.b64decode(outcomes), tuple(positions), tuple(failure) if failure else None)


def outside_state(runtime, settled: tuple[dict, list]) -> dict:
    """What a restart needs besides the store. Called under the store's lock (the vendors' dumps and the tables
    must agree). `settled`: the engine's outcomes and the jobs still being read (`settled_results`)."""
    outcomes, reading = settled
    return {"clock": runtime.clock.state(),
            "imports": {job: _outcome_to_json(o) for job, o in outcomes.items()},
            "interrupted": reading,
            "vendors": {name: v.persist[0](runtime) for name, v in runtime.vendors.items() if v.persist}}


def write_file(target: str, lines: Iterable[bytes]) -> None:
    with open(target, "wb") as out:
        for line in lines:
            out.write(line)
        out.flush()
        os.fsync(out.fileno())


def install(temp: str, path: Path) -> None:
    """Put a written, fsynced temporary file in place of `path`: a crash leaves the old file or the new one."""
    try:
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def write_in_child(temp: str, lines: Iterable[bytes], lock) -> None:
    """Write `lines` to `temp` in a forked child: it sees the store as it was at the fork (copy-on-write, so
    nothing is copied up front) and encodes it on its own core, while this process goes on serving. Called
    holding `lock` (the store's), released as soon as the child exists."""
    with lock:
        pid = os.fork()
        if pid == 0:  # the child: only this thread exists; no logging (its locks may be held), no cleanup
            code = 1
            try:
                gc.disable()
                write_file(temp, lines)
                code = 0
            finally:
                os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise OSError(f"writing the snapshot {temp} failed (see the disk: the writer exited with {status})")


def read(path: Path) -> tuple[Replay, int]:
    """The state the snapshot and the log describe, and the number the next log segment takes."""
    replay, first = Replay(), 0
    try:
        if path.exists():
            with open(path, "rb") as handle:
                header = json.loads(handle.readline() or b"null")
            if isinstance(header, dict) and header.get("meta", {}).get("format") == FORMAT \
                    and header["meta"].get("version") == 1:  # a whole-state file of the previous version
                replay.tables, replay.state, replay.clock = header["tables"], header["meta"], header["meta"]["clock"]
                return replay, max([0, *(gen for gen, _ in segments(path))]) + 1
            if not isinstance(header, dict) or header.get("format") != FORMAT or header.get("version") != VERSION:
                raise BadStateFile(f"{path} is not a version {VERSION} pimkit state file")
            first = int(header["log"])
            replay.read(path)
        found = segments(path)
        for gen, segment in found:
            if gen >= first:
                replay.read(segment)
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        if isinstance(exc, BadStateFile):
            raise
        raise BadStateFile(f"{path} is not a pimkit state file: {exc}") from exc
    return replay, max([first, *(gen for gen, _ in found)]) + 1


def restore(runtime, replay: Replay) -> None:
    """Put a replayed state into a freshly built runtime."""
    runtime.imports.reset(then=lambda: runtime.store.load_dump(replay.tables, replay.highest))
    if replay.clock is not None:
        runtime.clock.restore(replay.clock)
    state = replay.state or {}
    runtime.imports.restore({job: _outcome_from_json(raw) for job, raw in state.get("imports", {}).items()},
                            state.get("interrupted", []))
    for name, vendor in runtime.vendors.items():
        vendor.on_reset(runtime)  # rebuild what the vendor derives from the store (indexes)
        if vendor.persist and name in state.get("vendors", {}):
            vendor.persist[1](runtime, state["vendors"][name])


class Saver:
    """Loads `path` into the runtime, then logs every change to it and compacts the log in the background."""

    def __init__(self, runtime, path: str | Path, interval: float, compact_bytes: int, sync: str = "disk") -> None:
        self.runtime = runtime
        self.path = Path(path)
        self.interval = interval
        self.compact_bytes = compact_bytes
        sweep_unfinished(str(self.path))
        replay, gen = read(self.path)
        if replay.tables or replay.clock is not None:
            restore(runtime, replay)
        self.wal = WriteAheadLog(self.path, gen, sync)
        self.compaction_failure: str | None = None
        self._logged_clock = runtime.clock.state()
        self._saved_at = -1  # `wal.appended` when the outside-the-store state was last logged
        self._reading = False  # jobs were still being read at the last save: save again once they settle
        self._lock = threading.Lock()  # one compaction or state save at a time
        runtime.store.log = self.wal
        self.save_now()  # the starting snapshot: the fixtures or what was just replayed, and an empty log
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pimkit-compactor", daemon=True)
        self._thread.start()

    @property
    def failure(self) -> str | None:
        return self.wal.failure

    def health(self) -> dict:
        problems = [p for p in (self.wal.failure, self.compaction_failure) if p]
        return {"file": str(self.path), "status": "failing" if problems else "ok",
                **({"reason": "; ".join(problems)} if problems else {}),
                "writes_refused": self.wal.failure is not None}

    def log_clock(self) -> None:
        """Log the clock if a request moved it (called before a changing request is answered)."""
        state = self.runtime.clock.state()
        if state != self._logged_clock:
            with self.runtime.store.lock:
                self._logged_clock = state
                self.wal.append(("clock", state))

    def save_state(self, wait: float = 0) -> None:
        """Log what lives outside the store (import outcomes, vendors' dumps) if anything changed. Never waits for
        a file being read unless asked (`wait`, a clean stop): such a job is saved as interrupted (ENG-D06)."""
        with self._lock:
            if self.wal.appended == self._saved_at and not self._reading:
                return
            outcomes = self.runtime.imports.settled_results(wait)
            self._reading = bool(outcomes[1])
            with self.runtime.store.lock:
                self.wal.append(("state", outside_state(self.runtime, outcomes)))
                self._saved_at = self.wal.appended

    def save_now(self) -> None:
        """Compact: a new snapshot of everything, the log segments it covers deleted. Not once the log has failed:
        memory then holds changes that were refused (503), which must not reach the disk behind the client's back."""
        with self._lock:
            if self.wal.failure is not None:
                return
            outcomes = self.runtime.imports.settled_results()
            with self.runtime.store.lock:
                gen = self.wal.rotate()
                state = outside_state(self.runtime, outcomes)
                self.wal.append(("state", state))
                self._saved_at = self.wal.appended
            header = {"format": FORMAT, "version": VERSION, "log": gen, "saved_at": time.time(),
                      "apis": list(self.runtime.vendors)}
            lines = [encode(header)], self.runtime.store.export(encode), [encode(("state", state))]
            handle, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
            os.close(handle)
            try:
                write_in_child(temp, (line for part in lines for line in part), self.runtime.store.lock)
            except BaseException:
                os.unlink(temp)
                raise
            install(temp, self.path)
            for old, segment in segments(self.path):
                if old < gen:
                    segment.unlink(missing_ok=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.save_state()
                if self.wal.segment_bytes > self.compact_bytes:
                    self.save_now()
                self.compaction_failure = None
            except Exception as exc:  # a full disk: the log still holds every change; the next round tries again
                log.exception("--data: compacting %s failed", self.path)
                self.compaction_failure = f"compacting {self.path} failed: {exc!r}"

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=60)
        try:
            self.save_state(wait=CLOSE_WAIT_SECONDS)
        finally:
            self.wal.close()
