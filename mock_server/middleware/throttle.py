"""ASGI middleware: 503 for an API in maintenance mode, 429 with Retry-After past its rate limit."""

from __future__ import annotations

from mock_server.context import TenantMiddleware
from mock_server.errors import FakeError, TooManyRequests, Unavailable


class ThrottleMiddleware(TenantMiddleware):
    def __init__(self, app, reject) -> None:
        super().__init__(app)
        self.reject = reject

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            error = self._refusal(scope)
            if error is not None:
                await self.reject(scope, send, error)
                return
        await self.app(scope, receive, send)

    def _refusal(self, scope) -> FakeError | None:
        throttle = self.runtime.throttle
        if not throttle.maintenance and not throttle.limits:
            return None
        vendor = self.runtime.vendor_for_path(scope.get("path", ""))
        if vendor is None:
            return None
        if vendor.name in throttle.maintenance:
            return Unavailable("The API is down for maintenance; retry later.", headers={"Retry-After": "60"})
        token = dict(scope.get("headers", ())).get(b"authorization", b"").decode("latin-1")
        wait = throttle.retry_after(vendor.name, token, self.runtime.clock.now())
        if wait is not None:
            return TooManyRequests("Too many requests: the rate limit is exceeded.",
                                   headers={"Retry-After": str(wait)})
        return None
