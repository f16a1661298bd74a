"""A tiny HTTP server on 127.0.0.1 that serves one catalog file, for an automation's `http` source to fetch.

Started and stopped by the scenario that needs it (a context manager); it answers only its one path and
counts how often the file was fetched.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conformance.scenarios.productsmanager.client import Upload


class CatalogServer:
    def __init__(self, upload: Upload) -> None:
        self.upload = upload
        self.fetches = 0
        served = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the stdlib's name)
                if self.path != served.path:
                    self.send_error(404)
                    return
                served.fetches += 1
                self.send_response(200)
                self.send_header("Content-Type", served.upload.content_type)
                self.send_header("Content-Length", str(len(served.upload.content)))
                self.end_headers()
                self.wfile.write(served.upload.content)

            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="pim-conformance-source", daemon=True)

    @property
    def path(self) -> str:
        return f"/exports/{self.upload.filename}"

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}{self.path}"

    def __enter__(self) -> CatalogServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
