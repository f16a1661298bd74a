"""What a vendor package hands the core: its spec, handlers, error envelope, fixtures and set-up."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from importlib.abc import Traversable
from typing import TYPE_CHECKING, Any

from mock_server.errors import FakeError
from mock_server.specs import Messages

if TYPE_CHECKING:
    from mock_server.runtime import Runtime

# (error, the vendor's messages) -> (JSON body, content type)
RenderError = Callable[[FakeError, Messages], tuple[Any, str]]


def default_render(error: FakeError, messages: Messages) -> tuple[Any, str]:
    """`{"error": code, "message": text}`: the admin API's envelope, and the one for unknown paths."""
    return {"error": error.code, "message": error.message}, "application/json"


def envelope(shape: Callable[[str, str], dict]) -> RenderError:
    """A vendor's error renderer from the shape of its body, `shape(code, message)`.

    Errors the fake raises carry the vendor's text already; errors translated from the framework (marked
    `generic`) take the vendor catalog's text for their code, when it has one. A 401 challenges for Bearer.
    """

    def render(error: FakeError, messages: Messages) -> tuple[Any, str]:
        message = error.message
        if error.extra.get("generic"):
            params = {k: v for k, v in error.extra.items() if k != "generic"}
            message = messages.get("requests", error.code, default=error.message, detail=error.message, **params)
        if error.status == 401:
            error.headers.setdefault("WWW-Authenticate", "Bearer")
        return shape(error.code, message), "application/json"

    return render


def api_key_banner(fixtures: dict) -> list[str]:
    """Start-up lines for an API whose fixtures list `credentials.api_keys` sent as Bearer tokens."""
    return [f"Authorization: Bearer {key}" for key in fixtures["credentials"]["api_keys"]]


def read_fixture(directory: Traversable, name: str = "fixtures.json") -> dict:
    return json.loads((directory / name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Vendor:
    name: str
    spec: str
    handlers: str  # the module whose functions serve the spec's operations (`mock_server/resolver.py`)
    render_error: RenderError = default_render
    # fixtures file content -> {table: [documents]} loaded into the store on every reset
    seed: Callable[[dict], dict[str, list]] = lambda fixtures: {}
    # called once per app after the store exists: indexes, import flows
    setup: Callable[[Runtime], None] = lambda runtime: None
    # fixtures -> lines printed at start-up (base URL is added by the CLI)
    banner: Callable[[dict], list[str]] = lambda fixtures: []
    # after the store is reseeded: drop the vendor's live state (queues, spools)
    on_reset: Callable[[Runtime], None] = lambda runtime: None
    # after the clock moves (admin advance, real-mode ticker): run what fell due (schedules, rows); the flag:
    # wait for import workers (an advance) or take jobs still being read on a later tick (the ticker)
    on_clock: Callable[[Runtime, bool], Awaitable[None]] | None = None
    # ASGI middleware classes for this vendor's paths only: each is built as `cls(app, prefix=…, reject=…)`,
    # inside the runtime binding and the body limit (reject(scope, send, error) answers in the vendor's envelope)
    middleware: tuple[type, ...] = ()
    extras: dict = field(default_factory=dict)
    # () -> {operationId: handler path under `handlers`}; None: the handler is `snake_case(operationId)`
    operations: Callable[[], Mapping[str, str]] | None = None
    # the function in `handlers` that checks the spec's security scheme (injected at load, never in the spec)
    credential_check: str | None = "check_token"
    # Integrator tooling. fixtures -> the request headers that authenticate (the pytest plugin's
    # `pim_mock.headers(api)`); None: derived from the spec's security scheme and the first fixture key.
    credentials: Callable[[dict], dict[str, str]] | None = None
    # `--data`: (dump, restore) of what the vendor keeps outside the store; dump(runtime) -> JSON-able,
    # restore(runtime, dumped) after the store is back. None: everything it needs is in the store.
    persist: tuple[Callable[[Runtime], Any], Callable[[Runtime, Any], None]] | None = None

    @property
    def prefix(self) -> str:
        return "/" + self.name
