"""Refuse request bodies over the configured size (413) or slower than the body deadline (408), in the
vendor's envelope; and hand Connexion a chunked body with the length it needs to see it.

A declared `Content-Length` over the limit is refused before a byte is read; a body that streams past it (a
lying header) is cut off when it does. A chunked body (no `Content-Length`: Connexion would read it as
missing) is read here first, under the limit and the deadline, and passed on with its length. A GET (HEAD,
DELETE, OPTIONS) without a body loses its Content-Type, which describes nothing.
The whole body must arrive within `body_timeout` seconds of the request's start (`timed`): a client sending
a byte every few seconds holds nothing for long. Once it has arrived, waiting for a disconnect (a streamed
answer does) has no deadline.
"""

from __future__ import annotations

import asyncio

from mock_server.errors import PayloadTooLarge, RequestTimeout

DEADLINE_KEY = "pimkit.body_deadline"  # the loop time by which the body must have arrived
BODILESS = frozenset({"GET", "HEAD", "DELETE", "OPTIONS"})  # methods whose requests rarely carry a body


def too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The upload exceeds the maximum size of {limit / (1024 * 1024):g} MB.",
                           limit_mb=f"{limit / (1024 * 1024):g}", generic=True)


def too_slow(seconds: float) -> RequestTimeout:
    return RequestTimeout(f"The request body did not arrive within {seconds:g} seconds.",
                          headers={"Connection": "close"}, generic=True)


def timed(scope, receive, seconds: float):
    """`receive`, raising `RequestTimeout` once the body is later than `seconds` after the first caller's start.
    The outermost caller sets the deadline; inner ones get `receive` back as it is (already timed)."""
    if DEADLINE_KEY in scope:
        return receive
    deadline = scope[DEADLINE_KEY] = asyncio.get_running_loop().time() + seconds
    arrived = False  # once the body is whole, a receive() only waits for a disconnect: no deadline for that

    async def timed_receive():
        nonlocal arrived
        if arrived:
            return await receive()
        try:
            async with asyncio.timeout_at(deadline):
                message = await receive()
        except TimeoutError:
            raise too_slow(seconds) from None
        arrived = message["type"] != "http.request" or not message.get("more_body")
        return message

    return timed_receive


def _without_content_type(scope):
    """A read without a body has nothing for its Content-Type to describe: Connexion would still parse a form
    from it (a GET labelled multipart/form-data without a boundary: 400 "Missing boundary")."""
    if _header(scope, b"content-type") is None:
        return scope
    return {**scope, "headers": [(k, v) for k, v in scope["headers"] if k != b"content-type"]}


def _header(scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers") or ():
        if key == name:
            return value
    return None


class BodyLimit:
    def __init__(self, app, limit: int, reject, timeout: float = 60.0) -> None:
        self.app = app
        self.limit = limit
        self.timeout = timeout
        self.reject = reject  # async (scope, send, error) -> None: writes the vendor's error response

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self.reject(scope, send, too_large(self.limit))
            return
        receive = timed(scope, receive, self.timeout)
        chunked = _header(scope, b"transfer-encoding") is not None
        if scope["method"] in BODILESS and not chunked and declared in (None, b"0"):
            scope = _without_content_type(scope)
        if declared is None and chunked:
            try:
                scope, receive = await self._read_chunked(scope, receive)
            except (PayloadTooLarge, RequestTimeout) as error:
                await self.reject(scope, send, error)
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

    async def _read_chunked(self, scope, receive):
        """The whole chunked body read under the limit; the scope with its Content-Length, and a replay."""
        messages, size = [], 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break  # the client went away: the app sees the disconnect where it would have
            size += len(message.get("body", b""))
            if size > self.limit:
                raise too_large(self.limit)
            if not message.get("more_body"):
                break
        headers = [(k, v) for k, v in scope["headers"] if k != b"transfer-encoding"]
        scope = {**scope, "headers": [*headers, (b"content-length", str(size).encode())]}
        pending = iter(messages)

        async def replay():
            return next(pending, None) or await receive()

        return scope, replay
