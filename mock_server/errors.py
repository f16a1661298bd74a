"""The fake's error hierarchy: domain code raises these; one place renders them per vendor.

    FakeError                 any request the fake refuses; carries a machine code and a message
     ├── BadRequest            400: the request breaks the vendor's rules or the spec
     ├── Unauthorized          401: missing or unknown credentials
     ├── Forbidden             403: known credentials without the right
     ├── NotFound              404: no such resource, or no such route
     ├── MethodNotAllowed      405: the route exists, not with that method
     ├── RequestTimeout        408: the body did not arrive in time
     ├── Conflict              409: the resource's state forbids the request
     ├── PayloadTooLarge       413: the body is over the configured limit
     ├── UnsupportedMediaType  415: the body's media type is not one the operation takes
     ├── InternalError         500: a bug in the fake (never raised on purpose)
     └── Unavailable           503: the fake cannot answer yet (an import still being read); retry

Third-party errors (Connexion's problems, Starlette's, a parser's) are translated into these at
the boundary (`mock_server.app_errors`), so the vendor's envelope is the only error body a client sees.
"""

from __future__ import annotations


class FakeError(Exception):
    status = 500
    code = "internal"

    def __init__(self, message: str, *, code: str | None = None, headers: dict | None = None, **extra) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.headers = dict(headers or {})
        self.extra = extra


class BadRequest(FakeError):
    status = 400
    code = "bad_request"


class Unauthorized(FakeError):
    status = 401
    code = "unauthorized"


class Forbidden(FakeError):
    status = 403
    code = "forbidden"


class NotFound(FakeError):
    status = 404
    code = "not_found"


class MethodNotAllowed(FakeError):
    status = 405
    code = "method_not_allowed"


class RequestTimeout(FakeError):
    status = 408
    code = "request_timeout"


class Conflict(FakeError):
    status = 409
    code = "conflict"


class PayloadTooLarge(FakeError):
    status = 413
    code = "file_too_large"


class UnsupportedMediaType(FakeError):
    status = 415
    code = "unsupported_media_type"


class InternalError(FakeError):
    status = 500
    code = "internal"


class Unavailable(FakeError):
    status = 503
    code = "unavailable"


BY_STATUS: dict[int, type[FakeError]] = {
    cls.status: cls
    for cls in (BadRequest, Unauthorized, Forbidden, NotFound, MethodNotAllowed, RequestTimeout, Conflict,
                PayloadTooLarge, UnsupportedMediaType, InternalError, Unavailable)
}


def for_status(status: int, message: str, **kwargs) -> FakeError:
    """The hierarchy's class for an HTTP status (4xx other than those above: a plain 400-family error)."""
    cls = BY_STATUS.get(status)
    if cls is None:
        err = FakeError(message, **kwargs)
        err.status = status
        if kwargs.get("code") is None:
            err.code = "bad_request" if 400 <= status < 500 else "internal"
        return err
    return cls(message, **kwargs)
