"""One fake instance's live state: config, clock, store, import engine, and the mounted vendors."""

from __future__ import annotations

import asyncio
import ctypes
import logging
import sys

from mock_server.clock import VirtualClock
from mock_server.config import Config
from mock_server.errors import FakeError
from mock_server.imports.engine import ImportEngine
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
from mock_server.vendors.base import Vendor, default_render, read_fixture
from mock_server.webhooks import Dispatcher

log = logging.getLogger(__name__)

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


class Runtime:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.clock = VirtualClock(config.clock, config.clock_start)
        self.store = Store()
        self.webhooks = Dispatcher(self.clock)  # threads start with the first delivery
        self.throttle = Throttle(config.rate_limits)
        self.imports = ImportEngine(Limits(max_xlsx_expanded_bytes=config.max_xlsx_expanded_bytes,
                                           **config.import_limits),
                                    workers=config.import_workers)
        # The import workers share the GIL with the serving loop: a 1 ms switch interval (Python's default is
        # 5 ms) lets a request take it back sooner while files are read (README "Imports run side by side").
        sys.setswitchinterval(SWITCH_INTERVAL)
        self.progress = Progress()  # which jobs the clock has set moving (mock_server.imports.progress)
        self._ticker: asyncio.Task | None = None
        self.vendors: dict[str, Vendor] = {name: load_vendor(name) for name in config.vendors}
        self.specs = {name: load_spec(v.spec) for name, v in self.vendors.items()}
        self.messages = {name: Messages(spec.get("x-messages", {})) for name, spec in self.specs.items()}
        self.fixtures = {name: read_fixture(fixtures_dir(name)) for name in self.vendors}
        self.state: dict[str, dict] = {name: {} for name in self.vendors}  # per-vendor scratch (flows, …)
        for vendor in self.vendors.values():
            vendor.setup(self)
        self.operations = Operations(self.specs)
        self._fresh_tooling()
        self.reset()
        self.saver = None
        if config.data_file:  # replays the file and its log, then logs every change (tooling/persistence.py)
            self.saver = persistence.Saver(self, config.data_file, config.data_interval, config.data_compact_bytes,
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

    def reset(self) -> None:
        """Back to the fixtures: every table emptied and reseeded, every import forgotten."""
        seed: dict[str, list] = {}
        for name, vendor in self.vendors.items():
            seed.update(vendor.seed(self.fixtures[name]))
        self.imports.reset(then=lambda: self.store.reset(seed))
        for name in self.vendors:
            self.progress.forget(name)
        self.webhooks.reset()
        self.throttle.reset()
        for vendor in self.vendors.values():
            vendor.on_reset(self)
        release_memory()

    def load(self, api: str, data: dict) -> dict[str, int]:
        """Reset one API alone, with `data`'s keys (its fixtures format) in place of its fixtures': its tables
        (seeded ones and every `<api>.` table) are emptied and reseeded; the other APIs keep their state."""
        vendor = self.vendors[api]
        if not isinstance(data, dict):
            raise TypeError("the data is an object in the API's fixtures format")
        seed = vendor.seed({**self.fixtures[api], **data})
        stale = {table: [] for table in vendor.seed(self.fixtures[api])}
        self.store.replace_tables(api + ".", {**stale, **seed})
        self.progress.forget(api)
        vendor.on_reset(self)
        return {table: len(docs) for table, docs in seed.items()}

    async def clock_moved(self, wait: bool = True) -> None:
        """Bring every vendor up to the clock: due automations run, due rows are applied. `wait` (an admin
        advance): what the clock made due is applied before this returns, waiting for the import workers if
        needed; without it (the real-mode ticker) a job whose file is still being read is taken on a later tick."""
        self.webhooks.wake()
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

    def vendor_for_path(self, path: str) -> Vendor | None:
        for vendor in self.vendors.values():
            if path == vendor.prefix or path.startswith(vendor.prefix + "/"):
                return vendor
        return None

    def render_error(self, path: str, error: FakeError) -> tuple[object, str]:
        vendor = self.vendor_for_path(path)
        if vendor is None:
            return default_render(error, Messages({}))
        return vendor.render_error(error, self.messages[vendor.name])

    def close(self) -> None:
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
