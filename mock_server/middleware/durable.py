"""`--data`: no answer leaves before the changes it may show are on disk (openapi/DECISIONS.md DUR-D01, DUR-D03).

When the response starts, the request waits until every log record appended so far is durable (group commit:
one fdatasync covers every request waiting at that moment). A read waits too when it may show a change still
in flight, so nothing a client was told exists can be lost; when the log is idle, as it is for reads almost
always, this costs two integer comparisons. A request that changed the clock logs it first.

If the log cannot be written, the answer is replaced by a 503 in the vendor's envelope (the change is not
durable, so it is not acknowledged), and from then on every changing request to a vendor API is refused with
the same 503 until the fake is restarted; reads are still served. `/__admin/health` says why.
"""

from __future__ import annotations

from mock_server.context import TenantMiddleware
from mock_server.errors import Unavailable
from mock_server.middleware.journal import ADMIN_PREFIX, SAFE_METHODS
from mock_server.responses import dumps
from mock_server.tooling.wal import NotDurable


class DurableMiddleware(TenantMiddleware):

    async def __call__(self, scope, receive, send) -> None:
        saver = self.runtime.saver
        if scope["type"] != "http" or saver is None:
            await self.app(scope, receive, send)
            return
        changing = scope["method"] not in SAFE_METHODS
        path = scope["path"]
        if changing and saver.failure is not None and not path.startswith(ADMIN_PREFIX):
            await self._refuse(path, saver.failure, send)
            return
        wal = saver.wal
        refused = False

        async def durable_send(message):
            nonlocal refused
            if refused:
                return  # the handler's own answer, replaced by the 503
            if message["type"] == "http.response.start":
                if changing:
                    saver.log_clock()
                if wal.appended > wal.durable or (changing and wal.failure is not None):
                    try:
                        await wal.wait(wal.appended)
                    except NotDurable as exc:
                        if changing:  # not durable, so not acknowledged; a read is answered as it is
                            refused = True
                            await self._refuse(path, str(exc), send)
                            return
            await send(message)

        await self.app(scope, receive, durable_send)

    async def _refuse(self, path: str, reason: str, send) -> None:
        error = Unavailable(f"The change could not be saved; nothing is acknowledged until the server is "
                            f"restarted ({reason}).", code="not_durable", headers={"Retry-After": "60"})
        answer = self.runtime.render_error(path, error)
        payload = dumps(answer.body)
        headers = [(b"content-type", answer.content_type.encode()), (b"content-length", str(len(payload)).encode()),
                   (b"retry-after", b"60")]
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})
