"""Every error a client can meet, rendered in the envelope of the vendor whose path it hit.

Handlers are looked up by exception class (Starlette's ExceptionMiddleware walks the MRO): the
fake's own `FakeError`s, Connexion's problems, Starlette's HTTP errors, and the third-party errors
Connexion 3.3 lets escape on malformed input (STACK-NOTES.md), each translated here into the
hierarchy of `mock_server.errors` — so no bad request reaches a 500.
"""

from __future__ import annotations

import functools
import logging

from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionResponse
from jsonschema import ValidationError
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect

from mock_server.context import runtime
from mock_server.errors import (
    BadRequest,
    FakeError,
    InternalError,
    MethodNotAllowed,
    NotFound,
    Unavailable,
    UnsupportedMediaType,
    for_status,
)
from mock_server.responses import dumps
from mock_server.specs import allowed_methods, load_spec

log = logging.getLogger(__name__)
ADMIN_PREFIX = "/__admin"

# Connexion's problem titles/statuses -> the fake's machine codes (the message stays Connexion's detail
# unless the vendor's catalog has its own text for that code).
PROBLEM_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 406: "not_acceptable", 413: "file_too_large",
                 415: "unsupported_media_type"}


# What a framework error says when it says nothing useful of its own.
GENERIC_MESSAGES = {404: "Resource not found.", 405: "Method not allowed."}


def _first_paragraph(text: str) -> str:
    # jsonschema appends the failing schema and instance after a blank line: keep the sentence.
    return text.split("\n\n", 1)[0].strip()


def from_problem(exc: ProblemException) -> FakeError:
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail else (exc.title or "Bad request")
    detail = _first_paragraph(detail)
    error = for_status(exc.status, detail, code=PROBLEM_CODES.get(exc.status), headers=exc.headers or {},
                       generic=True)
    # A vendor's renderer may look behind the problem: a body validation error keeps the jsonschema error
    # (and with it the body) as the problem's __context__ (PIMS explains oneOf failures in its own words).
    error.__cause__ = exc
    return error


def schema_error(error: FakeError) -> ValidationError | None:
    """The jsonschema error behind a framework 400 about the body (kept by from_problem), or None: a vendor
    says a cross-field rule the spec states (a oneOf, an anyOf) in its own words."""
    cause = error.__cause__
    context = cause.__context__ if isinstance(cause, ProblemException) else None
    return context if isinstance(context, ValidationError) else None


def from_http(exc: HTTPException) -> FakeError:
    message = GENERIC_MESSAGES.get(exc.status_code) or _first_paragraph(str(exc.detail or "")) or "Bad request."
    return for_status(exc.status_code, message, code=PROBLEM_CODES.get(exc.status_code),
                      headers=dict(exc.headers or {}), generic=True)


# Which part of the request Connexion was parsing, told by the modules on the traceback; most specific first
# (a form field's JSON is decoded by the URI parser called from the form validator: a form problem).
PARSING_STAGES = (("connexion.validators.json", "json_body"), ("connexion.validators.form_data", "form"),
                  ("starlette.formparsers", "form"), ("connexion.uri_parsing", "parameters"),
                  ("connexion.validators", "parameters"))


def parsing_stage(exc: BaseException) -> str | None:
    """"json_body", "form" or "parameters" when `exc` came out of Connexion's request parsing, else None."""
    modules = set()
    tb = exc.__traceback__
    while tb is not None:
        modules.add(tb.tb_frame.f_globals.get("__name__", ""))
        tb = tb.tb_next
    return next((stage for prefix, stage in PARSING_STAGES if any(m.startswith(prefix) for m in modules)), None)


def _no_content_type(exc: BaseException) -> FakeError:
    return UnsupportedMediaType("The request has a body but no Content-Type.", code="unsupported_media_type",
                                generic=True)


# (parsing stage, exception class) -> the error it means for the client; the first match wins.
DECODING_ERRORS: tuple[tuple[str, tuple[type[BaseException], ...], object], ...] = (
    # A JSON body: bad JSON, a number past the int-conversion limit, nesting past the recursion limit.
    ("json_body", (ValueError, RecursionError),
     lambda exc: BadRequest("The request body is not valid JSON.", code="invalid_json", generic=True)),
    # Starlette's multipart parser reads the boundary from a Content-Type the request does not have.
    ("form", (KeyError,), _no_content_type),
    # Connexion json-decodes form fields declared with an application/json encoding (a mapping).
    ("form", (ValueError, RecursionError),
     lambda exc: BadRequest("A form field is not valid JSON.", code="invalid_form_json", generic=True)),
    # Casting a deepObject query parameter nested deeper than its schema (`page[number][x]=1`) looks up
    # properties the schema does not have.
    ("parameters", (KeyError, TypeError, AttributeError, ValueError, RecursionError),
     lambda exc: BadRequest("A query parameter is malformed.", code="bad_request", generic=True)),
)


def _decoding_error(exc: Exception) -> FakeError | None:
    stage = parsing_stage(exc)
    if stage is None:
        return None
    return next((make(exc) for where, classes, make in DECODING_ERRORS
                 if where == stage and isinstance(exc, classes)), None)


def translate(exc: Exception) -> FakeError:
    """Any exception -> the fake's error it means for the client."""
    if isinstance(exc, FakeError):
        return exc
    if isinstance(exc, ProblemException):
        return from_problem(exc)
    if isinstance(exc, HTTPException):
        return from_http(exc)
    if isinstance(exc, ClientDisconnect):
        # The client went away mid-body: nobody reads the answer, and it is no error of the fake's.
        log.info("client disconnected before its request body arrived")
        return BadRequest("The client disconnected before the request body arrived.", code="client_disconnected",
                          generic=True)
    decoded = _decoding_error(exc)
    if decoded is not None:
        return decoded
    if isinstance(exc, TimeoutError):
        return Unavailable("The import is still being read; retry in a few seconds.", code="unavailable",
                           headers={"Retry-After": "5"})
    if isinstance(exc, UnicodeDecodeError):
        return BadRequest("The request body is not valid UTF-8.", code="bad_request", generic=True)
    if isinstance(exc, MultiPartException):
        return BadRequest(f"Malformed multipart body: {exc.message}", code="bad_request", generic=True)
    if isinstance(exc, RuntimeError) and "operation context" in str(exc):
        # Connexion 3.3 loses its operation on a path parameter holding a newline (%0A).
        return NotFound("Resource not found.", code="not_found", generic=True)
    log.error("unhandled error", exc_info=exc)
    return InternalError("Internal server error.", code="internal", generic=True)


def with_allow(error: FakeError, path: str) -> FakeError:
    """405s list every method the spec gives the path (Connexion's own Allow is incomplete)."""
    if not isinstance(error, MethodNotAllowed):
        return error
    rt = runtime()
    vendor = rt.vendor_for_path(path)
    if vendor is not None:
        local, table = path[len(vendor.prefix):] or "/", _allow_table(vendor.name, id(rt.specs[vendor.name]))
    elif path.startswith(ADMIN_PREFIX + "/"):
        local, table = path[len(ADMIN_PREFIX):], _admin_allow_table()
    else:
        return error
    for pattern, methods in table:
        if pattern.match(local):
            error.headers["Allow"] = ", ".join(methods)
            break
    return error


@functools.cache
def _allow_table(vendor: str, spec_id: int):
    return allowed_methods(runtime().specs[vendor])


@functools.cache
def _admin_allow_table():
    return allowed_methods(load_spec("admin"))


def render(path: str, error: FakeError) -> tuple[int, bytes, str, dict]:
    body, media_type = runtime().render_error(path, error)
    return error.status, dumps(body), media_type, error.headers


async def handle(request, exc: Exception) -> ConnexionResponse:
    path = request.url.path
    error = with_allow(translate(exc), path)
    status, body, media_type, headers = render(path, error)
    return ConnexionResponse(status_code=status, body=body, mimetype=media_type, content_type=media_type,
                             headers=headers)


# Starlette looks handlers up along the exception's MRO, so `Exception` catches whatever the others do not.
HANDLED: tuple[type[Exception] | int, ...] = (FakeError, ProblemException, HTTPException, Exception, 404, 405)


def install(app) -> None:
    for key in HANDLED:
        app.add_error_handler(key, handle)
