"""The app factory: every vendor spec mounted under its prefix on one Connexion AsyncApp, plus /__admin."""

from __future__ import annotations

import copy
import functools
import logging

from connexion import AsyncApp
from connexion.middleware import MiddlewarePosition
from connexion.options import SwaggerUIOptions

from mock_server import app_errors, compat
from mock_server.config import Config
from mock_server.context import BindTenant
from mock_server.middleware.admin_access import AdminAccess
from mock_server.middleware.body_limit import BodyLimit
from mock_server.middleware.durable import DurableMiddleware
from mock_server.middleware.faults import FaultMiddleware
from mock_server.middleware.journal import JournalMiddleware
from mock_server.middleware.throttle import ThrottleMiddleware
from mock_server.resolver import operation_resolver, with_credential_check
from mock_server.runtime import Runtime
from mock_server.specs import load_spec
from mock_server.tenants import Tenants

ADMIN_PREFIX = "/__admin"


async def _reject(scope, send, error) -> None:
    """Answer straight from a middleware outside Connexion's error handling, in the vendor's envelope."""
    status, body, media_type, headers = app_errors.render(scope.get("path", ""), error)
    raw_headers = [(b"content-type", media_type.encode()), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close")]
    raw_headers += [(k.lower().encode(), str(v).encode()) for k, v in headers.items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": body})


def create_app(config: Config | None = None) -> AsyncApp:
    config = config or Config()
    compat.install()
    runtime = Runtime(config)
    app = AsyncApp(
        __name__,
        swagger_ui_options=SwaggerUIOptions(swagger_ui=config.swagger_ui, swagger_ui_path="/ui"),
    )
    for name, vendor in runtime.vendors.items():
        app.add_api(
            with_credential_check(runtime.specs[name], vendor.handlers, vendor.credential_check),
            base_path=vendor.prefix,
            name=name,
            resolver=operation_resolver(vendor.handlers, vendor.operations),
            strict_validation=True,
            validate_responses=config.validate_responses,
        )
    app.add_api(
        copy.deepcopy(load_spec("admin")),
        base_path=ADMIN_PREFIX,
        name="admin",
        resolver=operation_resolver("mock_server.admin.handlers"),
        strict_validation=True,
        swagger_ui_options=SwaggerUIOptions(swagger_ui=False),
    )
    app_errors.install(app)
    # Each middleware added at a position goes inside the ones added there before.
    # Admin requests from beyond loopback (or without --admin-token's token) are refused before a byte is read.
    app.add_middleware(AdminAccess, position=MiddlewarePosition.BEFORE_EXCEPTION, token=config.admin_token,
                       reject=_reject)
    app.add_middleware(BodyLimit, position=MiddlewarePosition.BEFORE_EXCEPTION, limit=config.max_upload_bytes,
                       timeout=config.body_timeout, reject=_reject)
    # Outermost, outside even Connexion's server-error middleware: the journal sees every answer (faults'
    # included) and a fault can drop the server's own connection.
    compat.add_outermost(app, FaultMiddleware)
    # `--data`: an answer waits until what it acknowledges is on disk
    compat.add_outermost(app, DurableMiddleware)
    compat.add_outermost(app, JournalMiddleware)
    # Outermost of all: the request's tenant is found and its runtime bound (mock_server/context.py), so every
    # middleware and handler inside reads that tenant's state through `runtime()`.
    tenants = Tenants(runtime, config.max_tenants, config.tenant_idle_seconds)
    runtime.shared.tenants = tenants
    compat.add_outermost(app, functools.partial(BindTenant, tenants=tenants))
    app.add_middleware(ThrottleMiddleware, position=MiddlewarePosition.BEFORE_EXCEPTION, reject=_reject)
    for vendor in runtime.vendors.values():
        for middleware in vendor.middleware:
            app.add_middleware(middleware, position=MiddlewarePosition.BEFORE_EXCEPTION, prefix=vendor.prefix,
                               reject=_reject)
    app.runtime = runtime  # the default tenant's
    app.tenants = tenants
    # Connexion logs every refused request at ERROR; the client gets the reason, the console needs none.
    logging.getLogger("connexion").setLevel(logging.CRITICAL)
    return app
