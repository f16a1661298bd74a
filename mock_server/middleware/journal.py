"""Record every request to a vendor API in the runtime's journal (admin requests are not recorded).

Outermost of the fake's middlewares, so it also sees what the fault middleware did. The entry is appended
before the request runs, so a client that has its answer always finds its request in the journal; the
status lands in it when the response starts. Per request: one object, two small closures, and the first
bytes of the body read up front.
"""

from __future__ import annotations

import time

from mock_server.context import TenantMiddleware
from mock_server.errors import RequestTimeout
from mock_server.middleware.body_limit import timed
from mock_server.tooling.journal import Entry

ADMIN_PREFIX = "/__admin"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ENTRY_KEY = "pimkit.entry"  # the scope key under which inner code finds the request's entry
RAW_SEND_KEY = "pimkit.raw_send"  # the server's own `send`, which the fault middleware needs to drop a connection


class JournalMiddleware(TenantMiddleware):

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        scope.setdefault(RAW_SEND_KEY, send)
        journal = self.runtime.journal
        path = scope["path"]
        if not journal.enabled or path.startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        vendor = self.runtime.vendor_for_path(path)
        extensions = scope.get("extensions")
        if extensions is None:  # Connexion's router writes the operation id into this dict (a shared reference)
            extensions = scope["extensions"] = {}
        entry = Entry(journal.next_seq(), self.runtime.clock.now(), time.time(),
                      vendor.name if vendor else None, scope["method"], path,
                      path[len(vendor.prefix):] or "/" if vendor else path,
                      scope.get("query_string", b""), tuple(scope.get("headers", ())), extensions)
        scope[ENTRY_KEY] = entry
        journal.append(entry)
        cap = journal.body_bytes
        # The first `cap` bytes are read now, so a request refused before its handler reads the body (auth,
        # a fault) still shows it; the rest streams through as the app reads it. Under the body deadline: a
        # body too slow is the app's to refuse (408), when it reads on.
        receive = timed(scope, receive, self.runtime.config.body_timeout)
        early: list = []
        while len(entry.body) < cap:
            try:
                message = await receive()
            except RequestTimeout:
                break
            early.append(message)
            _record(entry, message, cap)
            if message["type"] != "http.request" or not message.get("more_body"):
                break

        async def recording_receive():
            if early:
                return early.pop(0)
            message = await receive()
            _record(entry, message, cap)
            return message

        async def recording_send(message):
            if message["type"] == "http.response.start":
                entry.status = message["status"]
            await send(message)

        try:
            await self.app(scope, recording_receive, recording_send)
        finally:
            entry.settle()


def _record(entry: Entry, message, cap: int) -> None:
    chunk = message.get("body")
    if chunk:
        entry.body_size += len(chunk)
        if len(entry.body) < cap:
            entry.body += chunk[:cap - len(entry.body)]
