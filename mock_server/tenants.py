"""Tenants: isolated fakes in one process, chosen per request, created on first use, evicted when idle.

A tenant is a `Runtime` (its own store, clock, imports, webhooks, journal, faults, throttle, vendor state) over
the process's one `Shared` part (vendors, parsed specs, messages, fixtures): creating one costs a few ms and
no Connexion app. The default tenant ("", URLs without `/t/<tenant>`) is the app's own runtime and is never
evicted. With `--data FILE`, tenant `x` keeps its state in `FILE.tenants/x/state` (its own log and snapshot), so
an evicted or restarted tenant comes back as it was. Snapshots (`save`/`restore`) hold a tenant's whole state
in memory under a name, to be restored into any tenant of this process.
"""

from __future__ import annotations

import copy
import re
import threading
import time
from collections import OrderedDict
from pathlib import Path

from mock_server.errors import BadRequest, BadTenant, NotFound
from mock_server.runtime import Runtime, Shared
from mock_server.tooling import persistence
from mock_server.tooling.wal import Replay

TENANT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
DEFAULT_MAX_TENANTS = 1000
DEFAULT_IDLE_SECONDS = 3600.0
MAX_SNAPSHOTS = 200


def check_name(name: str) -> str:
    if not TENANT_NAME.fullmatch(name) or name in (".", ".."):
        raise BadTenant(f"Invalid tenant name {name[:80]!r}: 1-64 characters of A-Z a-z 0-9 _ . -, "
                        "starting with a letter or digit.")
    return name


class Tenants:
    """The live tenants of one process, least recently used first."""

    def __init__(self, default: Runtime, max_tenants: int = DEFAULT_MAX_TENANTS,
                 idle_seconds: float = DEFAULT_IDLE_SECONDS) -> None:
        self.default = default
        self.shared: Shared = default.shared
        self.config = default.config
        self.max_tenants = max_tenants
        self.idle_seconds = idle_seconds
        self._live: OrderedDict[str, Runtime] = OrderedDict()
        self._closing: dict[str, threading.Thread] = {}
        self._lock = threading.Lock()
        self.snapshots: OrderedDict[str, dict] = OrderedDict()
        self.created = 0
        self.evicted = 0

    def data_file(self, name: str) -> str | None:
        if not self.config.data_file:
            return None
        directory = Path(self.config.data_file + ".tenants") / name
        directory.mkdir(parents=True, exist_ok=True)
        return str(directory / "state")

    def get(self, name: str) -> Runtime:
        """The tenant named `name` (created on first use); "" is the default tenant."""
        if not name:
            return self.default
        with self._lock:
            rt = self._live.get(name)
            if rt is not None:
                self._live.move_to_end(name)
                return rt
            check_name(name)
            self._evict(time.monotonic(), room_for=1)
            closing = self._closing.pop(name, None)
            if closing is not None:  # its last state is still being saved: the new one reads it back
                closing.join()
            rt = Runtime(self.config, self.shared, tenant=name, data_file=self.data_file(name))
            rt.last_used = time.monotonic()
            self._live[name] = rt
            self.created += 1
            return rt

    def peek(self, name: str) -> Runtime | None:
        """The live tenant named `name`, or None, without counting as a use."""
        return self._live.get(name)

    def names(self) -> list[str]:
        with self._lock:
            return list(self._live)

    def live(self) -> int:
        return len(self._live)

    def sweep(self) -> None:
        """Evict the tenants idle for longer than `idle_seconds`."""
        with self._lock:
            self._evict(time.monotonic(), room_for=0)

    def _evict(self, now: float, room_for: int) -> None:
        for name in list(self._live):
            rt = self._live[name]
            over_cap = len(self._live) + room_for > self.max_tenants
            if not over_cap and now - rt.last_used <= self.idle_seconds:
                break  # least recently used first: every later one is younger
            if rt.in_flight:
                continue
            self._drop(name)

    def _closed(self) -> None:
        """Forget the closing threads that are done (called holding the lock)."""
        self._closing = {name: thread for name, thread in self._closing.items() if thread.is_alive()}

    def _drop(self, name: str) -> None:
        rt = self._live.pop(name)
        self.evicted += 1
        self._closed()
        # Closing joins its threads and, with --data, saves its state: off the request path.
        thread = threading.Thread(target=rt.close, name=f"pimkit-evict-{name}", daemon=True)
        self._closing[name] = thread
        thread.start()

    def delete(self, name: str) -> bool:
        """Forget a tenant now (its durable state too); False if it was not live. Its threads are joined and its
        files removed off the request path; a request naming it meanwhile waits for that, then starts afresh."""
        with self._lock:
            rt = self._live.pop(name, None)
            if rt is None:
                return False
            directory = Path(self.config.data_file + ".tenants") / name if self.config.data_file else None

            def close_and_remove() -> None:
                rt.close()
                if directory is not None:
                    for path in sorted(directory.glob("*")):
                        path.unlink(missing_ok=True)
                    directory.rmdir()

            self._closed()
            thread = threading.Thread(target=close_and_remove, name=f"pimkit-delete-{name}", daemon=True)
            self._closing[name] = thread
            thread.start()
        return True

    def close(self) -> None:
        with self._lock:
            live, self._live = list(self._live.values()), OrderedDict()
            closing = list(self._closing.values())
        for rt in live:
            rt.close()
        for thread in closing:
            thread.join()

    # --- snapshots -------------------------------------------------------------------------------------
    def save(self, snapshot: str, rt: Runtime) -> dict:
        """Keep `rt`'s whole state (store, clock, import outcomes, vendors' own state) under `snapshot`."""
        check_snapshot(snapshot)
        outcomes = rt.imports.settled_results()
        with rt.store.lock:
            # shallow: stored documents are never changed in place (mock_server/store.py), so they are shared
            tables = {table: dict(docs) for table, docs in (rt.store._db.storage.read() or {}).items()}
            highest = dict(rt.store._highest)
            state = persistence.outside_state(rt, outcomes)
        taken = {"tables": tables, "highest": highest, "state": state, "tenant": rt.tenant,
                 "saved_at": time.time()}
        with self._lock:
            self.snapshots.pop(snapshot, None)
            if len(self.snapshots) >= MAX_SNAPSHOTS:
                self.snapshots.popitem(last=False)
            self.snapshots[snapshot] = taken
        return describe(snapshot, taken)

    def restore(self, snapshot: str, rt: Runtime) -> dict:
        """Put a saved state into `rt` (any tenant): what it held before is gone."""
        taken = self.snapshots.get(snapshot)
        if taken is None:
            raise NotFound(f"No snapshot named {snapshot!r}.", code="unknown_snapshot")
        replay = Replay()
        replay.tables = {table: dict(docs) for table, docs in taken["tables"].items()}
        replay.highest = dict(taken["highest"])
        replay.state = copy.deepcopy(taken["state"])
        replay.clock = replay.state["clock"]
        rt.webhooks.reset()
        rt.throttle.reset()
        persistence.restore(rt, replay)
        rt.clock.mode = replay.clock["mode"]
        if rt.saver is not None:  # the restored state replaces the tenant's file at once (durable)
            rt.saver.save_now()
        return describe(snapshot, taken)

    def forget(self, snapshot: str) -> None:
        with self._lock:
            if self.snapshots.pop(snapshot, None) is None:
                raise NotFound(f"No snapshot named {snapshot!r}.", code="unknown_snapshot")


def check_snapshot(name: str) -> str:
    if not TENANT_NAME.fullmatch(name):
        raise BadRequest(f"Invalid snapshot name {name[:80]!r}: 1-64 characters of A-Z a-z 0-9 _ . -, "
                         "starting with a letter or digit.", code="bad_snapshot")
    return name


def describe(name: str, taken: dict) -> dict:
    return {"name": name, "tenant": taken["tenant"], "saved_at": taken["saved_at"],
            "documents": sum(len(docs) for docs in taken["tables"].values())}
