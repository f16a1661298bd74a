"""What a vendor package hands the core: its spec, handlers, error envelope, fixtures and set-up."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from importlib.abc import Traversable
from typing import TYPE_CHECKING, Any, NamedTuple

from mock_server.errors import FakeError
from mock_server.specs import Messages

if TYPE_CHECKING:
    from starlette.types import Scope, Send

    from mock_server.runtime import Runtime



class Rendered(NamedTuple):
    """An error as the client gets it: what a renderer returns, leaving the error it rendered as it was."""

    status: int
    body: Any  # JSON-able
    content_type: str
    headers: dict[str, str]


# (error, the vendor's messages) -> the response
RenderError = Callable[[FakeError, Messages], Rendered]


def rendered(error: FakeError, body: Any, content_type: str = "application/json",
             challenge: str | None = None) -> Rendered:
    """`error`'s response with `body`; a 401 without its own WWW-Authenticate challenges with `challenge`."""
    headers = dict(error.headers)
    if error.status == 401 and challenge is not None:
        headers.setdefault("WWW-Authenticate", challenge)
    return Rendered(error.status, body, content_type, headers)


def default_render(error: FakeError, messages: Messages) -> Rendered:
    """`{"error": code, "message": text}`: the admin API's envelope, and the one for unknown paths."""
    return rendered(error, {"error": error.code, "message": error.message})


def envelope(shape: Callable[[str, str], dict], challenge: str = "Bearer") -> RenderError:
    """A vendor's error renderer from the shape of its body, `shape(code, message)`.

    Errors the fake raises carry the vendor's text already; errors translated from the framework (marked
    `generic`) take the vendor catalog's text for their code, when it has one. A 401 challenges with `challenge`.
    """

    def render(error: FakeError, messages: Messages) -> Rendered:
        message = error.message
        if error.extra.get("generic"):
            params = {k: v for k, v in error.extra.items() if k != "generic"}
            text = messages.get("requests", error.code, default=error.message, detail=error.message, **params)
            message = error.message if text is None else text
        return rendered(error, shape(error.code, message), challenge=challenge)

    return render


def api_key_banner(fixtures: dict) -> list[str]:
    """Start-up lines for an API whose fixtures list `credentials.api_keys` sent as Bearer tokens."""
    return [f"Authorization: Bearer {key}" for key in fixtures["credentials"]["api_keys"]]


def read_fixture(directory: Traversable, name: str = "fixtures.json") -> dict:
    fixtures: dict = json.loads((directory / name).read_text(encoding="utf-8"))
    return fixtures


# How a vendor middleware answers a request it refuses, in the vendor's envelope: reject(scope, send, error).
Reject = Callable[["Scope", "Send", FakeError], Awaitable[None]]


@dataclass(frozen=True)
class Vendor:
    name: str
    spec: str
    handlers: str  # the module whose functions serve the spec's operations (`mock_server/resolver.py`)
    render_error: RenderError = default_render
    # fixtures file content -> {table: [documents]} loaded into the store on every reset
    seed: Callable[[dict], dict[str, list]] = lambda fixtures: {}
    # runtime -> the vendor's live state outside the store (a dataclass of its package: flows, jobs, locks),
    # built once per app before `setup`; the package reads it back typed through `runtime.state_of`
    state: Callable[[Runtime], object] = lambda runtime: None
    # called once per app after the store exists and the state is built: indexes
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
    middleware: tuple[type, ...] = ()  # see Reject
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
    # runtime -> what the vendor knows to be failing (an automation whose last run failed), each a dict naming it
    # and its error: `/__admin/health` lists them under `problems` and answers `degraded` (ENG-D09)
    problems: Callable[[Runtime], list[dict]] | None = None

    @property
    def prefix(self) -> str:
        return "/" + self.name
