"""The fake's one error hierarchy: domain code raises these; one place renders them per vendor.

    FakeError                 any request the fake refuses; carries a status, a machine code and a message
     ├── BadRequest            400: the request breaks the vendor's rules or the spec
     │    └── BadTenant        400: a `/t/<tenant>` name outside the allowed characters or length
     ├── Unauthorized          401: missing or unknown credentials
     ├── Forbidden             403: known credentials without the right
     ├── NotFound              404: no such resource, or no such route
     ├── MethodNotAllowed      405: the route exists, not with that method
     ├── NotAcceptable         406: no representation the client accepts (Wizart's JSON:API negotiation)
     ├── RequestTimeout        408: the body did not arrive in time
     ├── Conflict              409: the resource's state forbids the request
     ├── PayloadTooLarge       413: the body is over the configured limit
     ├── UnsupportedMediaType  415: the body's media type is not one the operation takes
     ├── Unprocessable         422: well-formed, but its content cannot be used (Wizart's image archives)
     ├── TooManyRequests       429: past the API's configured rate limit
     ├── InternalError         500: a bug in the fake (never raised on purpose)
     └── Unavailable           503: the fake cannot answer yet (an import still being read, maintenance); retry

Third-party errors (Connexion's problems, Starlette's, a parser's) are translated into these at the boundary,
through one table (`mock_server.app_errors.TRANSLATIONS`), so the vendor's envelope is the only error body a
client sees. A vendor's renderer never alters the error it is handed: it renders a copy (`FakeError.but`).
Other exception classes in mock_server are internal signals between two modules (a bad `--fault` spec, a
state file that cannot be read, an import aborted at a limit), never an answer to a client.
"""

from __future__ import annotations

from typing import Any


class FakeError(Exception):
    """A request the fake refuses: its HTTP status, a machine code, the vendor's message, headers to send, and
    `extra` details a vendor's envelope may show (a JSON pointer, the parameter's name; `generic`: a framework
    error whose text the vendor's catalog may replace)."""

    status = 500
    code = "internal"

    def __init__(self, message: str, *, code: str | None = None, headers: dict[str, str] | None = None,
                 **extra: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.headers: dict[str, str] = dict(headers or {})
        self.extra: dict[str, Any] = extra

    def but(self, *, status: int | None = None, message: str | None = None, headers: dict[str, str] | None = None,
            **extra: Any) -> FakeError:
        """A copy with these changed (`extra` merged; a None value drops that key): what a renderer returns
        instead of altering the error it was handed. The copy keeps the original's cause (what a vendor's
        renderer may look behind)."""
        copy = type(self).__new__(type(self), message if message is not None else self.message)
        copy.__dict__.update(self.__dict__)
        if message is not None:
            copy.message, copy.args = message, (message,)
        if status is not None:
            copy.status = status
        copy.headers = dict(self.headers if headers is None else headers)
        copy.extra = {k: v for k, v in {**self.extra, **extra}.items() if v is not None}
        copy.__cause__, copy.__context__ = self.__cause__, self.__context__
        return copy


class BadRequest(FakeError):
    """400: the request breaks the vendor's rules or the spec."""

    status = 400
    code = "bad_request"


class BadTenant(BadRequest):
    """400: a tenant name (`/t/<tenant>/…`, the tenant header) outside the allowed characters or length."""

    code = "bad_tenant"


class Unauthorized(FakeError):
    """401: missing or unknown credentials."""

    status = 401
    code = "unauthorized"


class Forbidden(FakeError):
    """403: known credentials without the right."""

    status = 403
    code = "forbidden"


class NotFound(FakeError):
    """404: no such resource, or no such route."""

    status = 404
    code = "not_found"


class MethodNotAllowed(FakeError):
    """405: the route exists, not with that method."""

    status = 405
    code = "method_not_allowed"


class NotAcceptable(FakeError):
    """406: no representation the client accepts (Wizart's JSON:API media type negotiation)."""

    status = 406
    code = "not_acceptable"


class RequestTimeout(FakeError):
    """408: the body did not arrive in time."""

    status = 408
    code = "request_timeout"


class Conflict(FakeError):
    """409: the resource's state forbids the request."""

    status = 409
    code = "conflict"


class PayloadTooLarge(FakeError):
    """413: the body is over the configured limit."""

    status = 413
    code = "file_too_large"


class UnsupportedMediaType(FakeError):
    """415: the body's media type is not one the operation takes."""

    status = 415
    code = "unsupported_media_type"


class Unprocessable(FakeError):
    """422: well-formed, but its content cannot be used (an image archive that is not a safe ZIP)."""

    status = 422
    code = "unprocessable"


class TooManyRequests(FakeError):
    """429: past the API's configured rate limit (README "Rate limits")."""

    status = 429
    code = "too_many_requests"


class InternalError(FakeError):
    """500: a bug in the fake (never raised on purpose)."""

    status = 500
    code = "internal"


class Unavailable(FakeError):
    """503: the fake cannot answer yet; the client retries (Retry-After)."""

    status = 503
    code = "unavailable"


BY_STATUS: dict[int, type[FakeError]] = {
    cls.status: cls
    for cls in (BadRequest, Unauthorized, Forbidden, NotFound, MethodNotAllowed, RequestTimeout, Conflict,
                PayloadTooLarge, UnsupportedMediaType, InternalError, Unavailable)
}


def for_status(status: int, message: str, **kwargs: Any) -> FakeError:
    """The hierarchy's class for an HTTP status (4xx other than those above: a plain 400-family error)."""
    cls = BY_STATUS.get(status)
    if cls is None:
        err = FakeError(message, **kwargs)
        err.status = status
        if kwargs.get("code") is None:
            err.code = "bad_request" if 400 <= status < 500 else "internal"
        return err
    return cls(message, **kwargs)
