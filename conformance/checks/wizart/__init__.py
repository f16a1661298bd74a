"""Wizart's behaviour checks (seed 000 and the JSON:API v1.1 it targets), registered in `REGISTRIES["wizart"]`.

    failures: CheckFailure subclasses from conformance.checks.failures, plus
    ├── NotJsonApi            a response is not a JSON:API document in the JSON:API media type
    ├── TokenKindIgnored      a token kind was refused where the spec lists it, or served where it does not
    ├── RowsMisimported       the rows a terminal import left in the catalogue contradict its status
    └── VersionNotice         the version past end of support says nothing, or says a wrong date
"""

from __future__ import annotations

import functools

import httpx

from conformance.bodies import body_of
from conformance.checks import check as _check
from conformance.checks.failures import CheckFailure, LifecycleViolation, ResponseMismatch

API = "wizart"
check = functools.partial(_check, api=API)


def sent(response: httpx.Response) -> str:
    return f"{response.request.method} {response.request.url}"


def answered(response: httpx.Response) -> str:
    return f"{response.status_code} {str(body_of(response))[:300]}"


class NotJsonApi(ResponseMismatch):
    title = "Response is not a JSON:API v1.1 document"


class TokenKindIgnored(ResponseMismatch):
    title = "Token kind not enforced as the operation declares"


class RowsMisimported(LifecycleViolation):
    title = "Imported rows contradict the import's final status"


class VersionNotice(CheckFailure):
    title = "Version past end of support not announced as such"
