"""Every error a client can meet, rendered in the envelope of the vendor whose path it hit.

One handler takes every exception (Starlette's ExceptionMiddleware walks the MRO to `Exception`): the
fake's own `FakeError`s, Connexion's problems, Starlette's HTTP errors, and the third-party errors
Connexion 3.3 lets escape on malformed input (docs/STACK-NOTES.md), each translated through one table
(`TRANSLATIONS`) into the hierarchy of `mock_server.errors` — so no bad request reaches a 500.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from typing import Any

from connexion import AsyncApp
from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionResponse
from jsonschema import ValidationError
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import ClientDisconnect, Request

from mock_server.compat import parsing_error
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


def _client_gone(exc: BaseException) -> FakeError:
    # The client went away mid-body: nobody reads the answer, and it is no error of the fake's.
    log.info("client disconnected before its request body arrived")
    return BadRequest("The client disconnected before the request body arrived.", code="client_disconnected",
                      generic=True)


def _no_content_type(exc: BaseException) -> FakeError:
    return UnsupportedMediaType("The request has a body but no Content-Type.", code="unsupported_media_type",
                                generic=True)


def _operation_lost(exc: BaseException) -> FakeError | None:
    # Connexion 3.3 loses its operation on a path parameter holding a newline (%0A); any other RuntimeError is ours.
    return NotFound("Resource not found.", code="not_found", generic=True) if "operation context" in str(exc) else None


def _bad(message: str, code: str = "bad_request") -> Callable[[BaseException], FakeError]:
    return lambda exc: BadRequest(message, code=code, generic=True)


Translate = Callable[[Any], "FakeError | None"]

# (exception classes, where Connexion was parsing when it escaped (None: anywhere; mock_server.compat.parsing_error),
#  the fake's error it means for the client). The first row whose classes and stage match and whose factory returns
# an error wins; an exception no row takes is a bug in the fake: a logged 500.
TRANSLATIONS: tuple[tuple[tuple[type[BaseException], ...], str | None, Translate], ...] = (
    ((FakeError,), None, lambda exc: exc),
    ((ProblemException,), None, lambda exc: from_problem(exc)),
    ((HTTPException,), None, lambda exc: from_http(exc)),
    ((ClientDisconnect,), None, _client_gone),
    # A JSON body: bad JSON, a number past the int-conversion limit, nesting past the recursion limit.
    ((ValueError, RecursionError), "json_body", _bad("The request body is not valid JSON.", "invalid_json")),
    # Starlette's multipart parser reads the boundary from a Content-Type the request does not have.
    ((KeyError,), "form", _no_content_type),
    # Connexion json-decodes form fields declared with an application/json encoding (a mapping).
    ((ValueError, RecursionError), "form", _bad("A form field is not valid JSON.", "invalid_form_json")),
    # Casting a deepObject query parameter nested deeper than its schema (`page[number][x]=1`) looks up
    # properties the schema does not have.
    ((KeyError, TypeError, AttributeError, ValueError, RecursionError), "parameters",
     _bad("A query parameter is malformed.")),
    # An import's file still being read past the request's wait (mock_server.imports.engine).
    ((TimeoutError,), None, lambda exc: Unavailable("The import is still being read; retry in a few seconds.",
                                                    code="unavailable", headers={"Retry-After": "5"})),
    ((UnicodeDecodeError,), None, _bad("The request body is not valid UTF-8.")),
    ((MultiPartException,), None, lambda exc: BadRequest(f"Malformed multipart body: {exc.message}",
                                                         code="bad_request", generic=True)),
    ((RuntimeError,), None, _operation_lost),
)


def translate(exc: Exception) -> FakeError:
    """Any exception -> the fake's error it means for the client (TRANSLATIONS)."""
    stage = parsing_error(exc) if not isinstance(exc, FakeError) else None
    for classes, where, make in TRANSLATIONS:
        if isinstance(exc, classes) and where in (None, stage):
            error = make(exc)
            if error is not None:
                return error
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
            return error.but(headers={**error.headers, "Allow": ", ".join(methods)})
    return error


@functools.cache
def _allow_table(vendor: str, spec_id: int) -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
    return allowed_methods(runtime().specs[vendor])


@functools.cache
def _admin_allow_table() -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
    return allowed_methods(load_spec("admin"))


def render(path: str, error: FakeError) -> tuple[int, bytes, str, dict[str, str]]:
    answer = runtime().render_error(path, error)
    return answer.status, dumps(answer.body), answer.content_type, answer.headers


async def handle(request: Request, exc: Exception) -> ConnexionResponse:
    path = request.url.path
    error = with_allow(translate(exc), path)
    status, body, media_type, headers = render(path, error)
    return ConnexionResponse(status_code=status, body=body, mimetype=media_type, content_type=media_type,
                             headers=headers)


# Starlette looks handlers up along the exception's MRO, so `Exception` catches whatever the others do not.
HANDLED: tuple[type[Exception] | int, ...] = (FakeError, ProblemException, HTTPException, Exception, 404, 405)


def install(app: AsyncApp) -> None:
    for key in HANDLED:
        app.add_error_handler(key, handle)
