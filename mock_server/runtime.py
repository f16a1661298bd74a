"""One fake instance's live state: config, clock, store, import engine, and the mounted vendors."""

from __future__ import annotations

import ctypes

from mock_server.clock import VirtualClock
from mock_server.config import Config
from mock_server.errors import FakeError
from mock_server.imports.engine import ImportEngine
from mock_server.imports.formats import Limits
from mock_server.resources import fixtures_dir
from mock_server.specs import Messages, load_spec
from mock_server.store import Store
from mock_server.throttle import Throttle
from mock_server.tooling import faults, persistence
from mock_server.tooling.journal import HANDLER_PREFIXES, Journal
from mock_server.tooling.operations import Operations
from mock_server.vendors import load_vendor
from mock_server.vendors.base import Vendor, default_render, read_fixture
from mock_server.webhooks import Dispatcher


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
                                           **config.import_limits))
        self.vendors: dict[str, Vendor] = {name: load_vendor(name) for name in config.vendors}
        self.specs = {name: load_spec(v.spec) for name, v in self.vendors.items()}
        self.messages = {name: Messages(spec.get("x-messages", {})) for name, spec in self.specs.items()}
        self.fixtures = {name: read_fixture(fixtures_dir(name)) for name in self.vendors}
        self.state: dict[str, dict] = {name: {} for name in self.vendors}  # per-vendor scratch (flows, …)
        for vendor in self.vendors.values():
            vendor.setup(self)
        self.journal = Journal(config.journal_size, config.journal_body_bytes)
        HANDLER_PREFIXES.update({name: vendor.handlers + "." for name, vendor in self.vendors.items()})
        self.operations = Operations(self.specs)
        self.faults = faults.Faults(config.fault_seed)
        for raw in config.faults:
            self.faults.add(faults.parse(raw, tuple(self.vendors)))
        self.reset()
        self.saver = None
        if config.data_file:
            persistence.load(self, config.data_file)
            self.saver = persistence.Saver(self, config.data_file, config.data_interval)

    def reset(self) -> None:
        """Back to the fixtures: every table emptied and reseeded, every import forgotten."""
        seed: dict[str, list] = {}
        for name, vendor in self.vendors.items():
            seed.update(vendor.seed(self.fixtures[name]))
        self.imports.reset(then=lambda: self.store.reset(seed))
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
        vendor.on_reset(self)
        return {table: len(docs) for table, docs in seed.items()}

    async def clock_moved(self) -> None:
        self.webhooks.wake()
        for vendor in self.vendors.values():
            if vendor.on_clock is not None:
                await vendor.on_clock(self)

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
        self.imports.stop()
        self.webhooks.close()
