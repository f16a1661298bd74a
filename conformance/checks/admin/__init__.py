"""The fake's admin API (openapi/admin.yaml, issue 8): journal and fault checks, registered in
`REGISTRIES["admin"]`. The admin API is the fake's own, so what it documents is its contract.

CheckFailure
└── AdminMismatch              the admin API does not do what openapi/admin.yaml says
    ├── JournalMiscounted        count, find or list disagree with the requests actually sent
    ├── VerifyMisjudged          verify's `ok` does not follow from the count and the expectation
    ├── FaultNotApplied          a fault in force did not change the answer as defined (or stayed after removal)
    └── BadDefinitionAccepted    an invalid fault definition or journal query was not refused with a 400
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping

import httpx

from conformance.bodies import body_of
from conformance.checks import CheckContext
from conformance.checks import check as _check
from conformance.checks.failures import CheckFailure

API = "admin"
check = functools.partial(_check, api=API)


class AdminMismatch(CheckFailure):
    title = "The admin API differs from openapi/admin.yaml"


class JournalMiscounted(AdminMismatch):
    title = "The journal does not count the requests sent"


class VerifyMisjudged(AdminMismatch):
    title = "verify's verdict does not follow from the count"


class FaultNotApplied(AdminMismatch):
    title = "A fault did not apply as defined"


class BadDefinitionAccepted(AdminMismatch):
    title = "An invalid definition or query was not refused with 400"


def _answered(response: httpx.Response) -> str:
    return f"{response.status_code} {json.dumps(body_of(response))[:300]}"


def _sent(response: httpx.Response) -> str:
    content = (response.request.content or b"")[:300].decode("utf-8", "replace")
    return f"{response.request.method} {response.request.url} {content}"


@check(rules=["TL-D01", "TL-D02"])
def journal_counts_requests(ctx: CheckContext, *, response: httpx.Response, sent: int) -> bool:
    """POST /requests/count (or find's `total`) answers how many matching requests were sent."""
    body = body_of(response)
    found = body.get("count", body.get("total")) if isinstance(body, Mapping) else None
    if response.status_code != 200 or found != sent:
        raise JournalMiscounted(received=_answered(response), expected=f"200 with a count of {sent}",
                                context=_sent(response))
    return True


@check(rules=["TL-D02"])
def verify_follows_count(ctx: CheckContext, *, response: httpx.Response, count: int, ok: bool) -> bool:
    """POST /requests/verify answers 200 with the count and `ok` true exactly when the expectation holds."""
    body = body_of(response)
    if (response.status_code != 200 or not isinstance(body, Mapping) or body.get("ok") is not ok
            or body.get("count") != count):
        raise VerifyMisjudged(received=_answered(response), expected=f"200 with ok {ok} and count {count}",
                              context=_sent(response))
    return True


@check(rules=["TL-D05"])
def fault_answers(ctx: CheckContext, *, response: httpx.Response, status: int | None, faulted: bool) -> bool:
    """A request a status fault applies to gets that status (and an error body); one it does not apply to,
    the server's own answer (`status` None: anything but the injected one)."""
    injected = response.status_code == status if faulted else response.status_code != status
    if not injected or (faulted and not isinstance(body_of(response), Mapping)):
        what = f"{status} with the vendor's error body" if faulted else f"anything but the injected {status}"
        raise FaultNotApplied(received=_answered(response), expected=what, context=_sent(response))
    return True


@check(rules=["TL-D02", "TL-D05"])
def invalid_definition_refused(ctx: CheckContext, *, response: httpx.Response) -> bool:
    """An invalid fault definition or journal query is a 400 with {"error", "message"}."""
    body = body_of(response)
    if response.status_code != 400 or not isinstance(body, Mapping) or not body.get("message"):
        raise BadDefinitionAccepted(received=_answered(response), expected='400 {"error": …, "message": …}',
                                    context=_sent(response))
    return True
