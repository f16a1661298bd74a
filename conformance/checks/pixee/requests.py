"""Checks of single Pixee responses: create, ids, auth, unknown ids, refused input, the error body."""

from __future__ import annotations

import re
from collections.abc import Mapping

import httpx

from conformance.checks import CheckContext
from conformance.checks.failures import (
    AuthNotEnforced,
    BadRequestAccepted,
    CreateRejected,
    CreateResponseMismatch,
    ErrorEnvelopeMismatch,
    JobUnreadable,
    NotFoundExpected,
    StatusCodeNotChosen,
)
from conformance.checks.pixee import answered, body_of, check, sent
from conformance.checks.pixee.failures import JobIdNotUuid
from conformance.spec import template_pattern

CREATE_STATUSES = (200, 201, 202)  # no status code is documented
FAKE_CREATE_STATUS = 202
# The seed's create answer says "analyzing"; `pending` ("Queued, not yet started") is as plausible.
CREATED_STATUSES = ("analyzing", "pending")
UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


@check(rules=["PX-02"])
def create_accepted(ctx: CheckContext, *, response: httpx.Response) -> bool:
    if response.status_code not in CREATE_STATUSES:
        raise CreateRejected(
            received=answered(response), expected=" or ".join(map(str, CREATE_STATUSES)), context=sent(response)
        )
    return True


@check(rules=["PX-02", "X-107"], strict=True)
def create_answers_202(ctx: CheckContext, *, response: httpx.Response) -> bool:
    if response.status_code != FAKE_CREATE_STATUS:
        raise StatusCodeNotChosen(received=response.status_code, expected=f"{FAKE_CREATE_STATUS} (DECISIONS.md PX-D01)")
    return True


@check(rules=["PX-10", "X-102"])
def create_response_documented(ctx: CheckContext, *, response: httpx.Response, file_name: str, file_type: str) -> bool:
    """`{"id": <UUID>, "status": "analyzing", "file_name": <the upload's>, "file_type": <its extension's>}`."""
    body = body_of(response)
    problems = ctx.spec.schema_errors(ctx.spec.component_schema("JobCreated"), body)
    if isinstance(body, Mapping):
        want = {"file_name": file_name, "file_type": file_type}
        problems += [f"{k} {body.get(k)!r}, not {v!r}" for k, v in want.items() if body.get(k) != v]
        if body.get("status") not in CREATED_STATUSES:
            problems.append(f"status {body.get('status')!r}")
    if problems:
        raise CreateResponseMismatch(
            received="; ".join(problems[:6]),
            expected=f'{{"id": <UUID>, "status": "analyzing" (or "pending"), "file_name": "{file_name}", '
            f'"file_type": "{file_type}"}}',
            context=str(body)[:300],
        )
    return True


@check(rules=["PX-10", "X-102"], strict=True)
def create_says_analyzing(ctx: CheckContext, *, response: httpx.Response) -> bool:
    body = body_of(response)
    status = body.get("status") if isinstance(body, Mapping) else None
    if status != "analyzing":
        raise CreateResponseMismatch(received=f"status {status!r}", expected='"analyzing", as the seed shows')
    return True


@check(rules=["PX-12"])
def job_id_is_uuid(ctx: CheckContext, *, job_id: object) -> bool:
    if not isinstance(job_id, str) or not UUID.match(job_id):
        raise JobIdNotUuid(received=repr(job_id), expected="a UUID such as 550e8400-e29b-41d4-a716-446655440000")
    return True


@check(rules=["PX-11", "PX-12"])
def created_job_readable(ctx: CheckContext, *, response: httpx.Response) -> bool:
    if response.status_code != 200 or not isinstance(body_of(response), Mapping):
        raise JobUnreadable(received=answered(response), expected="200 and the job", context=sent(response))
    return True


@check(rules=["PX-01"])
def auth_required(ctx: CheckContext, *, response: httpx.Response, credentials: str) -> bool:
    """No token -> 401. A wrong token -> 401 (403 is a plausible vendor reading of "wrong key")."""
    allowed = (401,) if credentials == "none" else (401, 403)
    if response.status_code not in allowed:
        raise AuthNotEnforced(
            received=answered(response),
            expected=" or ".join(map(str, allowed)),
            context=f"{sent(response)} with {'no' if credentials == 'none' else 'a wrong'} Authorization",
        )
    return True


@check(rules=["PX-12"])
def unknown_job_not_found(ctx: CheckContext, *, response: httpx.Response, malformed: bool) -> bool:
    """An unknown UUID -> 404; an id that is not a UUID at all -> 404, or 400 / 422 (dec.)."""
    allowed = (404, 400, 422) if malformed else (404,)
    if response.status_code not in allowed:
        raise NotFoundExpected(
            received=answered(response), expected=" or ".join(map(str, allowed)), context=sent(response)
        )
    return True


def refused(response: httpx.Response, what: str) -> bool:
    # 401/403/404 would mean the request never reached input validation; 5xx is a crash.
    if not (400 <= response.status_code < 500) or response.status_code in (401, 403, 404):
        raise BadRequestAccepted(
            received=answered(response),
            expected=f"a 4xx refusal (400, 413, 415 or 422) of {what}",
            context=sent(response),
        )
    return True


@check(rules=["PX-02"])
def missing_file_rejected(ctx: CheckContext, *, response: httpx.Response) -> bool:
    return refused(response, "a create without a file")


@check(rules=["X-106"], strict=True)
def malformed_job_mapping_rejected(ctx: CheckContext, *, response: httpx.Response) -> bool:
    """The job form's `mapping` is the fake's addition (X-106): text that is not a JSON object is refused."""
    return refused(response, "a mapping that is not a JSON object")


@check(rules=["PX-03", "X-107"], strict=True)
def unsupported_extension_refused_at_upload(ctx: CheckContext, *, response: httpx.Response) -> bool:
    """The fake refuses a file whose extension is not .csv/.xlsx/.json/.xml with 400 at once."""
    if response.status_code != 400:
        raise StatusCodeNotChosen(
            received=answered(response), expected="400 unsupported_file_type (DECISIONS.md PX-D08)"
        )
    return True


@check(rules=["X-107"], strict=True)
def error_envelope(
    ctx: CheckContext, *, response: httpx.Response, code: str | None = None, message: str | None = None
) -> bool | None:
    """The fake's error body: {"detail": text, "code": code}; `message` names the x-messages.requests text
    the detail must be, where the caller knows which refusal it provoked."""
    if response.status_code < 400:
        return None
    body = body_of(response)
    problems = []
    if not isinstance(body, Mapping) or set(body) != {"detail", "code"}:
        problems.append(f"body {body!r}")
    elif not all(isinstance(body[k], str) and body[k] for k in ("detail", "code")):
        problems.append(f"detail/code not both non-empty strings: {body!r}")
    else:
        if code is not None and body["code"] != code:
            problems.append(f"code {body['code']!r}, not {code!r}")
        template = ctx.spec.messages("requests").get(message or "")
        if message and not (template and template_pattern(template).match(body["detail"])):
            problems.append(f"detail {body['detail']!r} is not x-messages.requests.{message} {template!r}")
    if problems:
        raise ErrorEnvelopeMismatch(
            received="; ".join(problems),
            expected='{"detail": text, "code": code} (DECISIONS.md PX-D02)' + (f" with code {code!r}" if code else ""),
            context=f"{sent(response)} -> {response.status_code}",
        )
    return True


@check(rules=["PX-12", "X-107"], strict=True)
def malformed_id_not_found(ctx: CheckContext, *, response: httpx.Response) -> bool:
    """Job ids are opaque strings to the fake: one that is not a UUID is simply unknown, 404 (PX-D01)."""
    if response.status_code != 404:
        raise StatusCodeNotChosen(received=answered(response), expected="404 (DECISIONS.md PX-D01)")
    return True
