"""ASGI middleware: a body sent without a JSON content type is read as JSON, for the APIs that only take JSON.

Jasper's own curls send `-d '{…}'` with no Content-Type, which curl labels form-urlencoded (J-009).
"""

from __future__ import annotations

JSON = b"application/json"
TREATED_AS_JSON = (b"", b"application/x-www-form-urlencoded", b"text/plain")


class JsonBodyMiddleware:
    """A vendor middleware (`Vendor.middleware`): built as `cls(app, prefix=…, reject=…)`; it never rejects."""

    def __init__(self, app, prefix: str, reject=None) -> None:
        self.app = app
        self.prefix = prefix + "/"

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["method"] in ("POST", "PUT", "PATCH") and \
                scope.get("path", "").startswith(self.prefix):
            headers = [(k, v) for k, v in scope["headers"] if k != b"content-type"]
            current = dict(scope["headers"]).get(b"content-type", b"").split(b";")[0].strip().lower()
            if current in TREATED_AS_JSON:
                scope = {**scope, "headers": [*headers, (b"content-type", JSON)]}
        await self.app(scope, receive, send)
