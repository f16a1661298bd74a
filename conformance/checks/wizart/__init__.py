"""Wizart's behaviour checks (seed 000 and the JSON:API v1.1 it targets), registered in `REGISTRIES["wizart"]`.

    failures: CheckFailure subclasses from conformance.checks.failures, plus
    ├── NotJsonApi            a response is not a JSON:API document in the JSON:API media type
    ├── TokenKindIgnored      a token kind was refused where the spec lists it, or served where it does not
    ├── RowsMisimported       the rows a terminal import left in the catalogue contradict its status
    └── VersionNotice         the version past end of support says nothing, or says a wrong date
"""

from __future__ import annotations

import functools

# The report helpers the check modules import from here.
from conformance.bodies import answered as answered
from conformance.bodies import sent as sent
from conformance.checks import check as _check
from conformance.checks.failures import CheckFailure, LifecycleViolation, ResponseMismatch

API = "wizart"
check = functools.partial(_check, api=API)


class NotJsonApi(ResponseMismatch):
    title = "Response is not a JSON:API v1.1 document"


class TokenKindIgnored(ResponseMismatch):
    title = "Token kind not enforced as the operation declares"


class RowsMisimported(LifecycleViolation):
    title = "Imported rows contradict the import's final status"


class VersionNotice(CheckFailure):
    title = "Version past end of support not announced as such"
