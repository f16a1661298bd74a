"""How `pim-mock serve` holds its connections: a cap on open connections and a deadline for each request head.

uvicorn arms its keep-alive timeout only after a response, so a connection that never sends a request (or
sends its head a byte at a time) is held forever, and ~1,000 of them exhaust the process's file descriptors:
every new client fails. Here each connection must deliver a complete request head within `header_timeout`
seconds of opening (or of its previous response), and past `max_connections` the connection that has waited
longest for a request is closed to make room; with none waiting, the newcomer gets a plain 503 and is closed
(no request was read, so there is no vendor to answer for). Slow bodies are the body-limit middleware's (408).
"""

from __future__ import annotations

import asyncio
import resource
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the guard is mixed into uvicorn's protocol class (below): type-check it as one
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Protocol
else:
    _Protocol = object

DEFAULT_MAX_CONNECTIONS = 500
DEFAULT_HEADER_TIMEOUT = 10.0
KEEP_ALIVE_TIMEOUT = 5  # uvicorn's default, made explicit: an idle keep-alive connection closes after it
FD_RESERVE = 64  # descriptors kept for files, the data file, sockets the fake opens itself
_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: text/plain; charset=utf-8\r\nretry-after: 1\r\n"
         b"connection: close\r\ncontent-length: 45\r\n\r\nToo many open connections; retry in a second.")


class ConnectionGuard(_Protocol):
    """Mixed into uvicorn's HTTP protocol class (httptools or h11): one instance per connection."""

    max_connections = DEFAULT_MAX_CONNECTIONS
    header_timeout = DEFAULT_HEADER_TIMEOUT

    # uvicorn narrows asyncio.Protocol's BaseTransport to Transport (and ignores the override itself)
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline: asyncio.TimerHandle | None = None
        self._armed_cycle: object = None
        self._waiting_since = 0.0
        if not self._make_room():
            transport.write(_BUSY)
            transport.close()
            return
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None
        super().connection_lost(exc)

    def waiting(self) -> bool:
        """No request head has completed since the deadline was armed, and nothing is being answered."""
        cycle = self.cycle
        return cycle is self._armed_cycle and (cycle is None or cycle.response_complete)

    def _arm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
        self._armed_cycle = self.cycle
        self._waiting_since = self.loop.time()
        self._deadline = self.loop.call_later(self.header_timeout, self._expire)

    def _expire(self) -> None:
        self._deadline = None
        if self.waiting() and not self.transport.is_closing():
            self.transport.close()

    def _make_room(self) -> bool:
        """Whether this connection may stay: true under the cap, or once the longest-waiting one is closed."""
        if len(self.connections) <= self.max_connections:
            return True
        idle = [c for c in self.connections if c is not self and isinstance(c, ConnectionGuard)
                and getattr(c, "_deadline", None) is not None and c.waiting() and not c.transport.is_closing()]
        if not idle:
            return False
        min(idle, key=lambda c: c._waiting_since).transport.close()
        return True


def protocol_class(max_connections: int, header_timeout: float) -> type:
    """uvicorn's own HTTP protocol (httptools when installed, as uvicorn's "auto" picks) with the guard."""
    base: type[asyncio.Protocol]
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

        base = HttpToolsProtocol
    except ImportError:  # pragma: no cover - httptools is an optional uvicorn dependency
        from uvicorn.protocols.http.h11_impl import H11Protocol

        base = H11Protocol
    return type(f"Guarded{base.__name__}", (ConnectionGuard, base),
                {"max_connections": max_connections, "header_timeout": header_timeout})


def open_files_allowance(wanted: int) -> int:
    """Raise the soft open-files limit toward the hard one, and the connections that fit under it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted + FD_RESERVE
    if soft != resource.RLIM_INFINITY and soft < target:
        new = target if hard == resource.RLIM_INFINITY else min(target, hard)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
            soft = new
        except (ValueError, OSError):
            pass
    if soft == resource.RLIM_INFINITY:
        return wanted
    return max(1, min(wanted, soft - FD_RESERVE))


def uvicorn_options(max_connections: int, header_timeout: float) -> dict[str, Any]:
    connections = open_files_allowance(max_connections)
    return {
        "http": protocol_class(connections, header_timeout),
        "timeout_keep_alive": KEEP_ALIVE_TIMEOUT,
        # uvicorn answers 503 to a request once connections or running requests reach this; the guard keeps
        # connections under `connections`, so this bounds the requests in flight (slack for closing ones).
        "limit_concurrency": connections + 16,
    }
