"""Refuse request bodies over the configured size with a 413 in the vendor's envelope.

A declared `Content-Length` over the limit is refused before a byte is read; a body that streams
past it (chunked, or a lying header) is cut off when it does.
"""

from __future__ import annotations

from mock_server.errors import PayloadTooLarge


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The upload exceeds the maximum size of {limit / (1024 * 1024):g} MB.",
                           limit_mb=f"{limit / (1024 * 1024):g}", generic=True)


class BodyLimit:
    def __init__(self, app, limit: int, reject) -> None:
        self.app = app
        self.limit = limit
        self.reject = reject  # async (scope, send, error) -> None: writes the vendor's error response

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self.reject(scope, send, too_large(self.limit))
            return
        seen = 0

        async def counted_receive():
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise too_large(self.limit)
            return message

        await self.app(scope, counted_receive, send)
