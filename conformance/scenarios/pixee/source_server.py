"""A tiny HTTP server on 127.0.0.1 that serves one catalog file, for an automation's `http` source to fetch.

Started and stopped by the scenario that needs it (a context manager); it answers only its one path and
counts how often the file was fetched.
"""

from __future__ import annotations

from conformance.loopback import LoopbackServer, QuietHandler
from conformance.scenarios.jobs import Upload


class CatalogServer(LoopbackServer):
    def __init__(self, upload: Upload) -> None:
        self.upload = upload
        self.fetches = 0
        served = self

        class Handler(QuietHandler):
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

        super().__init__(Handler, "pim-conformance-source")

    @property
    def path(self) -> str:
        return f"/exports/{self.upload.filename}"

    @property
    def file_url(self) -> str:
        """The file's address."""
        return self.url(self.path)
