"""The runtime serving the current request: the outermost ASGI middleware finds the request's tenant and binds it.

Connexion resolves handlers to module functions; they reach their tenant's state through `runtime()` rather
than a module global, so one app serves every tenant (and tests can build a fresh app per module).

How a request finds its tenant (docs/architecture.md, README "Tenants"): a path `/t/<tenant>/<rest>` is served
as `/<rest>` by tenant `<tenant>` (the prefix is kept in the scope under `pimkit.tenant`, so everything inside
sees the same paths as for the default tenant); otherwise an `X-Pim-Mock-Tenant` header names it; otherwise it is the
default tenant, the fake exactly as it is without tenants. A bad name is a 400 in the admin API's envelope.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from typing import TYPE_CHECKING, Protocol

from starlette.datastructures import URL
from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.responses import dumps

if TYPE_CHECKING:
    from mock_server.runtime import Runtime
    from mock_server.tenants import Tenants

_current: ContextVar[Runtime] = ContextVar("pimkit_runtime")

TENANT_PREFIX = "/t/"
TENANT_HEADER = b"x-pim-mock-tenant"
TENANT_KEY = "pimkit.tenant"  # the scope key holding the `/t/<tenant>` prefix a request came with
SWEEP_SECONDS = 10.0  # how often requests look for tenants idle past their time


def runtime() -> Runtime:
    return _current.get()


class TenantMiddleware:
    """Base of the ASGI middlewares inside BindTenant: `self.runtime` is the request's tenant's runtime."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    @property
    def runtime(self) -> Runtime:
        return _current.get()


class Addressed(Protocol):
    """What `public_url` reads of a request (Starlette's, or Connexion's, which hands these through)."""

    @property
    def url(self) -> URL: ...

    @property
    def scope(self) -> Scope: ...


def public_url(request: Addressed) -> str:
    """The URL a request came to as its client wrote it, `/t/<tenant>` included (links in answers lead back to
    the same tenant)."""
    url = request.url
    prefix = request.scope.get(TENANT_KEY)
    return str(url.replace(path=prefix + url.path)) if prefix else str(url)


def split_tenant(scope: Scope) -> tuple[str, Scope]:
    """The tenant a request names, and its scope as the app sees it (without `/t/<tenant>`)."""
    path = scope["path"]
    if path.startswith(TENANT_PREFIX):
        name, _, rest = path[len(TENANT_PREFIX):].partition("/")
        # Not moved to `root_path`: Starlette's mounts (Connexion's APIs) expect `path` to start with it.
        scope = dict(scope, path="/" + rest, **{TENANT_KEY: TENANT_PREFIX + name})
        raw = scope.get("raw_path")
        if raw:
            cut = raw.find(b"/", len(TENANT_PREFIX))
            scope["raw_path"] = raw[cut:] if cut >= 0 else b"/"
        return name or "/", scope
    for key, value in scope.get("headers", ()):
        if key == TENANT_HEADER:
            return value.decode("latin-1") or "/", scope
    return "", scope


class BindTenant:
    """ASGI middleware, outermost: every request (and its error handlers) sees its tenant's runtime."""

    def __init__(self, app: ASGIApp, tenants: Tenants) -> None:
        self.app = app
        self.tenants = tenants
        self._swept = time.monotonic()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan: the default tenant's
            token = _current.set(self.tenants.default)
            try:
                await self.app(scope, receive, send)
            finally:
                _current.reset(token)
            return
        from mock_server.errors import BadTenant

        name, scope = split_tenant(scope)
        now = time.monotonic()
        if now - self._swept > SWEEP_SECONDS:
            self._swept = now
            self.tenants.sweep()
        try:
            rt = self.tenants.get(name)
        except BadTenant as error:
            body = dumps({"error": error.code, "message": error.message})
            await send({"type": "http.response.start", "status": error.status,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return
        rt.ensure_ticker()
        rt.in_flight += 1
        rt.last_used = now
        token = _current.set(rt)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)
            rt.in_flight -= 1
            rt.last_used = time.monotonic()
