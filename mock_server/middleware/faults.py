"""Apply the runtime's faults (and one asked for with `X-Pim-Mock-Fault`) to requests to the vendor APIs.

Never to the admin API. It sits outside Connexion's own error middleware, so a dropped connection is a
real one: the server's transport is closed before any byte of an answer (uvicorn; under a server that
exposes no transport the request fails with `DroppedConnection` instead).
"""

from __future__ import annotations

import asyncio

from mock_server.context import TenantMiddleware
from mock_server.errors import BadRequest, for_status
from mock_server.middleware.journal import ADMIN_PREFIX, ENTRY_KEY, RAW_SEND_KEY
from mock_server.responses import dumps
from mock_server.tooling import faults as fault_defs

STATUS_CODES = {429: "too_many_requests", 500: "internal", 502: "bad_gateway", 503: "unavailable",
                504: "gateway_timeout"}
STATUS_MESSAGES = {429: "Too many requests.", 500: "Internal server error.", 502: "Bad gateway.",
                   503: "Service unavailable.", 504: "Gateway timeout."}


class DroppedConnection(ConnectionAbortedError):
    """A `drop` or `truncate` fault under a server whose connection could not be closed from here."""


def _transport(scope, send):
    raw = scope.get(RAW_SEND_KEY, send)
    return getattr(getattr(raw, "__self__", None), "transport", None)


async def _close(scope, send) -> None:
    transport = _transport(scope, send)
    if transport is None:
        raise DroppedConnection("fault: connection dropped")
    transport.close()
    # Let the server see the connection lost before the app returns, so it does not try a 500 of its own.
    for _ in range(3):
        await asyncio.sleep(0)


class FaultMiddleware(TenantMiddleware):

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        fault = None
        asked = _asked(scope)
        if asked is not None:
            try:
                fault = fault_defs.parse_header(asked)
            except fault_defs.BadFault as exc:
                await self._error(scope, send, BadRequest(f"Invalid X-Pim-Mock-Fault header: {exc}",
                                                          code="bad_fault"))
                return
        elif self.runtime.faults:
            fault = self._pick(scope)
        if fault is None:
            await self.app(scope, receive, send)
            return
        entry = scope.get(ENTRY_KEY)
        if entry is not None:
            entry.fault = fault.describe()
            if fault.kind in ANSWERED_HERE:  # Connexion never routes it: the journal names its operation itself
                entry.operation = _operation_of(self.runtime, scope)
        await APPLY[fault.kind](self, fault, scope, receive, send)

    def _pick(self, scope):
        vendor = self.runtime.vendor_for_path(scope["path"])
        return self.runtime.faults.pick(vendor.name if vendor else None, scope["method"], scope["path"],
                                        lambda: _operation_of(self.runtime, scope))

    async def _error(self, scope, send, error) -> None:
        answer = self.runtime.render_error(scope["path"], error)  # the tenant's runtime, bound by BindTenant
        payload = dumps(answer.body)
        headers = [(b"content-type", answer.content_type.encode()), (b"content-length", str(len(payload)).encode())]
        headers += [(k.lower().encode(), str(v).encode()) for k, v in answer.headers.items()]
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    async def latency(self, fault, scope, receive, send) -> None:
        await asyncio.sleep(fault.delay_seconds(self.runtime.faults.rng))
        await self.app(scope, receive, send)

    async def status(self, fault, scope, receive, send) -> None:
        status = fault.params["status"]
        headers = {"Retry-After": str(fault.params["retry_after"])} if "retry_after" in fault.params else {}
        message = fault.params.get("message") or STATUS_MESSAGES.get(status, "Injected fault.")
        error = for_status(status, message, code=STATUS_CODES.get(status), headers=headers, generic=True)
        await self._error(scope, send, error)

    async def drop(self, fault, scope, receive, send) -> None:
        await _close(scope, send)

    async def empty(self, fault, scope, receive, send) -> None:
        async def emptied(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"]
                message = {**message, "headers": headers + [(b"content-length", b"0")]}
            elif message["type"] == "http.response.body":
                if message.get("more_body"):
                    return
                message = {"type": "http.response.body", "body": b""}
            await send(message)

        await self.app(scope, receive, emptied)

    async def truncate(self, fault, scope, receive, send) -> None:
        start: dict = {}
        body = bytearray()

        async def buffered(message):
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                body.extend(message.get("body", b""))

        await self.app(scope, receive, buffered)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        await send({**start, "headers": headers + [(b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": bytes(body[:len(body) // 2]), "more_body": True})
        await _close(scope, send)


APPLY = {"latency": FaultMiddleware.latency, "status": FaultMiddleware.status, "drop": FaultMiddleware.drop,
         "empty": FaultMiddleware.empty, "truncate": FaultMiddleware.truncate}
assert set(APPLY) == set(fault_defs.KINDS)


ANSWERED_HERE = frozenset({"status", "drop"})


def _operation_of(rt, scope) -> str | None:
    """The spec's operationId for the request, from the operations table (before any routing)."""
    path = scope["path"]
    vendor = rt.vendor_for_path(path)
    if vendor is None:
        return None
    op = rt.operations.match(vendor.name, scope["method"], path[len(vendor.prefix):] or "/")
    return op.operation_id if op else None


def _asked(scope) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == b"x-pim-mock-fault":
            return value.decode("latin-1")
    return None
