"""The runtime serving the current request, bound by an outer ASGI middleware.

Connexion resolves handlers to module functions; they reach their app's state through `runtime()`
rather than a module global, so tests can build a fresh app per test.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mock_server.runtime import Runtime

_current: ContextVar[Runtime] = ContextVar("pimkit_runtime")


def runtime() -> Runtime:
    return _current.get()


class BindRuntime:
    """ASGI middleware: every request (and its error handlers) sees this app's runtime."""

    def __init__(self, app, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope, receive, send) -> None:
        self.runtime.ensure_ticker()
        token = _current.set(self.runtime)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)
