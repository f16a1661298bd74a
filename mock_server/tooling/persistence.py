"""`--data FILE`: the fake's state kept across restarts, written atomically.

What is saved (openapi/DECISIONS.md TL-D06): every store table as TinyDB holds it, the virtual clock, the
import worker's outcome for every job (an import reads from the clock and that outcome, so a job goes on
through its statuses after a restart exactly as it would have), and what each vendor keeps outside the store
through its optional `persist` hook. The journal and the faults are not state of the APIs and are not saved.

A save writes a temporary file beside the target, fsyncs it, `os.replace`s it over the target and fsyncs the
directory: a crash at any point leaves either the previous file or the new one, never a half-written one.
A background thread saves at most every `interval` seconds when a request may have changed something, and
once more when the fake stops.
"""

from __future__ import annotations

import base64
import logging
import os
import tempfile
import threading
import time
from pathlib import Path

import orjson

from mock_server.imports.timeline import Outcome

FORMAT = "pimkit-state"
VERSION = 1
log = logging.getLogger(__name__)


class BadStateFile(ValueError):
    """A `--data` file that is not one this version wrote."""


def _outcome_to_json(outcome: Outcome) -> list:
    return [base64.b64encode(outcome.outcomes).decode(), list(outcome.error_positions),
            list(outcome.failure) if outcome.failure else None]


def _outcome_from_json(raw: list) -> Outcome:
    outcomes, positions, failure = raw
    return Outcome(base64.b64decode(outcomes), tuple(positions), tuple(failure) if failure else None)


def snapshot(runtime) -> bytes:
    outcomes = runtime.imports.settled_results()
    # One lock over the vendors' own state and the tables, so a batch applied meanwhile lands in both or neither.
    with runtime.store.lock:
        return _snapshot(runtime, outcomes)


def _snapshot(runtime, outcomes: dict) -> bytes:
    meta = {
        "format": FORMAT, "version": VERSION, "saved_at": time.time(), "apis": list(runtime.vendors),
        "clock": runtime.clock.state(),
        "imports": {job: _outcome_to_json(o) for job, o in outcomes.items()},
        "vendors": {name: v.persist[0](runtime) for name, v in runtime.vendors.items() if v.persist},
    }
    # The tables are already JSON (encoded under the store's lock): spliced in rather than parsed again.
    return b'{"meta":' + orjson.dumps(meta) + b',"tables":' + runtime.store.dump() + b"}"


def write_atomically(path: Path, payload: bytes) -> None:
    path = Path(path)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
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


def save(runtime, path: str | Path) -> None:
    write_atomically(Path(path), snapshot(runtime))


def load(runtime, path: str | Path) -> bool:
    """Restore a saved state into a freshly built runtime; False when there is no file yet."""
    path = Path(path)
    if not path.exists():
        return False
    try:
        data = orjson.loads(path.read_bytes())
        meta, tables = data["meta"], data["tables"]
    except (orjson.JSONDecodeError, KeyError, TypeError) as exc:
        raise BadStateFile(f"{path} is not a pimkit state file: {exc}") from exc
    if meta.get("format") != FORMAT or meta.get("version") != VERSION:
        raise BadStateFile(f"{path} is not a version {VERSION} pimkit state file")
    runtime.imports.reset(then=lambda: runtime.store.load_dump(tables))
    runtime.clock.restore(meta["clock"])
    runtime.imports.restore({job: _outcome_from_json(raw) for job, raw in meta["imports"].items()})
    for name, vendor in runtime.vendors.items():
        vendor.on_reset(runtime)  # rebuild what the vendor derives from the store (indexes)
        if vendor.persist and name in meta.get("vendors", {}):
            vendor.persist[1](runtime, meta["vendors"][name])
    return True


class Saver:
    """Saves the runtime when marked dirty, at most every `interval` seconds, on a daemon thread."""

    def __init__(self, runtime, path: str | Path, interval: float) -> None:
        self.runtime = runtime
        self.path = Path(path)
        self.interval = interval
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="pimkit-saver", daemon=True)
        self._thread.start()

    def mark(self) -> None:
        self._dirty.set()

    def save_now(self) -> None:
        with self._lock:
            self._dirty.clear()
            save(self.runtime, self.path)

    def _run(self) -> None:
        while not self._stop.is_set():
            if self._dirty.wait(0.2) and not self._stop.wait(self.interval):
                try:
                    self.save_now()
                except Exception:  # a full disk must not kill the server: the next change tries again
                    log.exception("saving %s failed", self.path)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self.save_now()
