"""Every answer of a Wizart version past its end of support carries `Deprecation` (RFC 9745), `Sunset`
(RFC 8594) and a `successor-version` link, errors included (DECISIONS.md WZ-D03)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.vendors.base import Reject
from mock_server.vendors.wizart.rules import DEPRECATED


def deprecation_headers(prefix: str, version: str) -> list[tuple[bytes, bytes]]:
    notice = DEPRECATED[version]
    link = f'<{prefix}/api/v{notice["successor"]}>; rel="successor-version"'
    return [(b"deprecation", notice["Deprecation"].encode()), (b"sunset", notice["Sunset"].encode()),
            (b"link", link.encode())]


class VersionHeaders:
    def __init__(self, app: ASGIApp, prefix: str, reject: Reject | None = None) -> None:
        self.app = app
        self.routes = {f"{prefix}/api/v{version}/": deprecation_headers(prefix, version) for version in DEPRECATED}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        extra = next((headers for start, headers in self.routes.items() if path.startswith(start)), None)
        if extra is None:
            await self.app(scope, receive, send)
            return

        async def send_with_notice(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": list(message.get("headers", [])) + extra}
            await send(message)

        await self.app(scope, receive, send_with_notice)
