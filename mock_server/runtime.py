"""One fake world's live state (a tenant's): clock, store, import engine, journal…, over the process's `Shared` part.

`Shared` is built once per process (the vendors, their parsed specs, messages, fixtures and seed, the operations
index): read-only after start-up, so every tenant (mock_server/tenants.py) reads the same objects. `Runtime` is
what a tenant owns: its store (seeded from the shared seed), clock, import engine, webhook dispatcher, journal,
faults, throttle, vendor state and, with `--data`, its own log; its imports and webhook posts run on the threads
of `Shared`'s two pools, which serve every tenant in turn. Building one costs a few ms (docs/architecture.md).
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import sys
from typing import TYPE_CHECKING, TypeVar

from mock_server.clock import VirtualClock
from mock_server.config import Config
from mock_server.errors import FakeError
from mock_server.imports.engine import ImportEngine, ImportPool
from mock_server.imports.formats import Limits
from mock_server.imports.progress import Progress
from mock_server.resources import fixtures_dir
from mock_server.specs import Messages, load_spec
from mock_server.store import Store
from mock_server.throttle import Throttle
from mock_server.tooling import faults, persistence
from mock_server.tooling.journal import Journal
from mock_server.tooling.operations import Operations
from mock_server.vendors import load_vendor
from mock_server.vendors.base import Rendered, Vendor, default_render, read_fixture
from mock_server.webhooks import DeliveryPool, Dispatcher

log = logging.getLogger(__name__)
S = TypeVar("S")

# In real mode the runtime's ticker brings imports up to the clock this often (README "Imports run side by side").
TICK_SECONDS = 0.2
SWITCH_INTERVAL = 0.001


def release_memory() -> None:
    """Hand what a reset freed back to the OS: CPython returns freed memory to glibc's arenas, which keep it
    (702 MB stayed resident after a reset that followed 20 imports, issue 14). A few ms; no gc.collect(), which
    costs ~200 ms on the loaded specs and finds little: the store's documents are freed by reference counting."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to trim
        pass


if TYPE_CHECKING:
    from mock_server.tenants import Tenants


class Shared:
    """What every tenant of a process reads and none writes: built once (~1 s: the specs are parsed here)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self.vendors: dict[str, Vendor] = {name: load_vendor(name) for name in config.vendors}
        self.specs = {name: load_spec(v.spec) for name, v in self.vendors.items()}
        self.messages = {name: Messages(spec.get("x-messages", {})) for name, spec in self.specs.items()}
        self.fixtures = {name: read_fixture(fixtures_dir(name)) for name in self.vendors}
        self.operations = Operations(self.specs)
        self.tenants: Tenants | None = None  # the process's Tenants (mock_server/tenants.py), set by create_app
        # The threads every tenant's imports and webhook posts share, tenants in turn (mock_server/pools.py,
        # POOL-D01…D03): started on first use, bounded whatever the number of tenants.
        self.import_pool = ImportPool(config.import_workers, config.import_child_processes)
        self.delivery_pool = DeliveryPool(config.webhook_workers)
        # The import workers share the GIL with the serving loop: a 1 ms switch interval (Python's default is
        # 5 ms) lets a request take it back sooner while files are read (README "Imports run side by side").
        sys.setswitchinterval(SWITCH_INTERVAL)

        seed: dict[str, list] = {}
        for name, vendor in self.vendors.items():
            seed.update(vendor.seed(self.fixtures[name]))
        seeded = Store()
        seeded.reset(seed)
        # The fixtures as the store holds them, one copy per process: every tenant's store starts with these very
        # documents, copied only when written (mock_server/store.py: a stored document is never changed in place).
        self._tables: dict[str, dict] = seeded._db.storage.read() or {}
        self._highest = dict(seeded._highest)

    def close(self) -> None:
        """The process is closing: the pools' threads end (every tenant's engine has stopped first)."""
        self.import_pool.stop()
        self.delivery_pool.stop()

    def seed(self) -> tuple[dict[str, dict], dict[str, int]]:
        """Every vendor's fixtures as tables (doc id as text -> document) and their highest ids: new table dicts
        over the shared documents."""
        return {table: dict(docs) for table, docs in self._tables.items()}, dict(self._highest)


class Runtime:
    def __init__(self, config: Config, shared: Shared | None = None, *, tenant: str = "",
                 data_file: str | None = None) -> None:
        self.config = config
        self.shared = shared = shared or Shared(config)
        self.tenant = tenant  # "" for the default tenant (no /t/<tenant> in the URL)
        self.clock = VirtualClock(config.clock, config.clock_start)
        self.store = Store()
        self.webhooks = Dispatcher(self.clock, pool=shared.delivery_pool)
        self.throttle = Throttle(config.rate_limits)
        self.imports = ImportEngine(Limits(max_xlsx_expanded_bytes=config.max_xlsx_expanded_bytes,
                                           **config.import_limits),
                                    process_min_bytes=config.import_process_bytes, pool=shared.import_pool)
        if config.clock == "manual":
            # A test steps the clock: what it observes must be a function of the clock alone, so a read waits for
            # the file as long as an advance would, instead of a 503 on a slow machine (ENG-D12). On a real clock
            # a request waits at most `REQUEST_WAIT_SECONDS`.
            self.imports.request_wait = self.imports.advance_wait
        self.progress = Progress()  # which jobs the clock has set moving (mock_server.imports.progress)
        self._ticker: asyncio.Task | None = None
        self.vendors, self.specs, self.messages = shared.vendors, shared.specs, shared.messages
        self.fixtures, self.operations = shared.fixtures, shared.operations
        # each vendor's live state (its flow, jobs, queues…): a dataclass its package declares (Vendor.state)
        self.vendor_state: dict[str, object] = {name: v.state(self) for name, v in self.vendors.items()}
        for vendor in self.vendors.values():
            vendor.setup(self)
        self._fresh_tooling()
        self.reset(trim=False)
        self.last_used = 0.0  # time.monotonic() of its last request (mock_server/tenants.py evicts by it)
        self.in_flight = 0
        self.saver = None
        data_file = data_file if tenant else config.data_file
        if data_file:  # replays the file and its log, then logs every change (tooling/persistence.py)
            self.saver = persistence.Saver(self, data_file, config.data_interval, config.data_compact_bytes,
                                           config.data_sync)

    def _fresh_tooling(self) -> None:
        config = self.config
        self.journal = Journal(config.journal_size, config.journal_body_bytes)
        self.faults = faults.Faults(config.fault_seed)
        for raw in config.faults:
            self.faults.add(faults.parse(raw, tuple(self.vendors)))

    def renew(self) -> None:
        """As `create_app` left it: the fixtures, the clock at its start, an empty journal, the configured
        faults. What a test needs between tests to share one app (tests/conftest.py) instead of building one."""
        self.clock.mode = self.config.clock
        self.clock.restore({"manual_now": self.config.clock_start.timestamp(), "offset": 0.0})
        self._fresh_tooling()
        self.reset()

    def reset(self, trim: bool = True) -> None:
        """Back to the fixtures: every table emptied and reseeded, every import forgotten. `trim`: hand freed
        memory back to the OS (a few ms; not for a tenant being created, which freed nothing)."""
        tables, highest = self.shared.seed()
        self.imports.reset(then=lambda: self.store.reset_to_dump(tables, highest))
        for name in self.vendors:
            self.progress.forget(name)
        self.webhooks.reset()
        self.throttle.reset()
        for vendor in self.vendors.values():
            vendor.on_reset(self)
        if trim:
            release_memory()

    def load(self, api: str, data: dict) -> dict[str, int]:
        """Reset one API alone, with `data`'s keys (its fixtures format) in place of its fixtures': its tables
        (seeded ones and every `<api>.` table) are emptied and reseeded; the other APIs keep their state."""
        vendor = self.vendors[api]
        if not isinstance(data, dict):
            raise TypeError("the data is an object in the API's fixtures format")
        seed = vendor.seed({**self.fixtures[api], **data})
        stale: dict[str, list] = {table: [] for table in vendor.seed(self.fixtures[api])}
        self.store.replace_tables(api + ".", {**stale, **seed})
        self.progress.forget(api)
        vendor.on_reset(self)
        return {table: len(docs) for table, docs in seed.items()}

    async def clock_moved(self, wait: bool = True) -> None:
        """Bring every vendor up to the clock: due automations run, due rows are applied. `wait` (an admin
        advance): what the clock made due is applied before this returns, waiting for the import workers if
        needed, up to `imports.advance_wait` in all (then TimeoutError: a 503, the rest applied by the next move);
        without it (the real-mode ticker) a job whose file is still being read is taken on a later tick."""
        self.webhooks.wake()
        with self.imports.patience(self.imports.advance_wait if wait else None):
            for vendor in self.vendors.values():
                if vendor.on_clock is not None:
                    await vendor.on_clock(self, wait)

    def ensure_ticker(self) -> None:
        """In real mode, time passes without anyone advancing it: a task on the serving loop applies due rows."""
        if self.clock.mode != "real" or (self._ticker is not None and not self._ticker.done()):
            return
        try:
            self._ticker = asyncio.get_running_loop().create_task(self._tick_forever())
        except RuntimeError:  # no loop running here
            pass

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(TICK_SECONDS)
            try:
                await self.clock_moved(wait=False)
            except Exception:  # a bug must not stop time: logged, and the next tick tries again
                log.exception("bringing imports up to the clock failed")

    def state_of(self, name: str, kind: type[S]) -> S:
        """`name`'s live state, typed: each vendor package reaches its own through a one-line accessor."""
        state = self.vendor_state[name]
        if not isinstance(state, kind):
            raise TypeError(f"{name}'s state is a {type(state).__name__}, not a {kind.__name__}")
        return state

    def vendor_for_path(self, path: str) -> Vendor | None:
        for vendor in self.vendors.values():
            if path == vendor.prefix or path.startswith(vendor.prefix + "/"):
                return vendor
        return None

    def render_error(self, path: str, error: FakeError) -> Rendered:
        vendor = self.vendor_for_path(path)
        if vendor is None:
            return default_render(error, Messages({}))
        return vendor.render_error(error, self.messages[vendor.name])

    def close(self) -> None:
        if not self.tenant and self.shared.tenants is not None:  # the default tenant's close ends the process's
            self.shared.tenants.close()
        if self.saver is not None:
            self.saver.close()
            self.saver = None
        if self._ticker is not None and not self._ticker.done():
            try:
                self._ticker.get_loop().call_soon_threadsafe(self._ticker.cancel)
            except RuntimeError:  # its loop has closed already
                pass
        self.imports.stop()
        self.webhooks.close()
        if not self.tenant:
            self.shared.close()
