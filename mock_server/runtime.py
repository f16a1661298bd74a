"""One fake instance's live state: config, clock, store, import engine, and the mounted vendors."""

from __future__ import annotations

from mock_server.clock import VirtualClock
from mock_server.config import Config
from mock_server.errors import FakeError
from mock_server.imports.engine import ImportEngine
from mock_server.imports.formats import Limits
from mock_server.resources import fixtures_dir
from mock_server.specs import Messages, load_spec
from mock_server.store import Store
from mock_server.throttle import Throttle
from mock_server.vendors import load_vendor
from mock_server.vendors.base import Vendor, default_render, read_fixture
from mock_server.webhooks import Dispatcher


class Runtime:
    def __init__(self, config: Config) -> None:
        self.config = config
        self.clock = VirtualClock(config.clock, config.clock_start)
        self.store = Store()
        self.throttle = Throttle(config.rate_limits)
        self.webhooks = Dispatcher(self.clock)  # threads start with the first delivery
        self.imports = ImportEngine(Limits(max_xlsx_expanded_bytes=config.max_xlsx_expanded_bytes))
        self.vendors: dict[str, Vendor] = {name: load_vendor(name) for name in config.vendors}
        self.specs = {name: load_spec(v.spec) for name, v in self.vendors.items()}
        self.messages = {name: Messages(spec.get("x-messages", {})) for name, spec in self.specs.items()}
        self.fixtures = {name: read_fixture(fixtures_dir(name)) for name in self.vendors}
        self.state: dict[str, dict] = {name: {} for name in self.vendors}  # per-vendor scratch (flows, …)
        for vendor in self.vendors.values():
            vendor.setup(self)
        self.reset()

    def reset(self) -> None:
        """Back to the fixtures: every table emptied and reseeded, every import forgotten."""
        seed: dict[str, list] = {}
        for name, vendor in self.vendors.items():
            seed.update(vendor.seed(self.fixtures[name]))
        self.imports.reset(then=lambda: self.store.reset(seed))
        self.throttle.reset()
        self.webhooks.reset()
        for vendor in self.vendors.values():
            vendor.on_reset(self)

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
        self.imports.stop()
        self.webhooks.close()
