"""Small HTTP servers on 127.0.0.1 that scenarios (and tests) run themselves: a webhook receiver, a file source.

`LoopbackServer` runs a `http.server` handler on a free port in a daemon thread, as a context manager that stops
and joins it on exit. `PostRecorder` records every POST and answers what `respond` says.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Self

HOST = "127.0.0.1"


class QuietHandler(BaseHTTPRequestHandler):
    """A request handler that logs nothing to stderr."""

    def log_message(self, format: str, *args: object) -> None:
        pass


class LoopbackServer:
    def __init__(self, handler: type[BaseHTTPRequestHandler], name: str = "pim-conformance-loopback") -> None:
        self.server = ThreadingHTTPServer((HOST, 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name=name, daemon=True)

    def url(self, path: str = "/") -> str:
        return f"http://{HOST}:{self.server.server_port}{path}"

    def __enter__(self) -> Self:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


class PostRecorder(LoopbackServer):
    """Records every POST as {"path", "headers", "body"}; answers `respond(request)`: (status, extra headers)."""

    def __init__(self, name: str = "pim-conformance-hooks") -> None:
        self.requests: list[dict] = []
        self._lock = threading.Lock()
        recorder = self

        class Handler(QuietHandler):
            def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = {"path": self.path, "headers": dict(self.headers), "body": body}
                with recorder._lock:
                    recorder.requests.append(request)
                status, headers = recorder.respond(request)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

        super().__init__(Handler, name)

    def respond(self, request: dict) -> tuple[int, dict[str, str]]:
        return 200, {}

    def url(self, path: str = "/hook") -> str:
        return super().url(path)

    def count(self) -> int:
        with self._lock:
            return len(self.requests)
