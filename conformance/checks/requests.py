"""Checks of single responses: create, read back, auth, unknown ids, refused input (PM-01..PM-09)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from conformance.bodies import body_of
from conformance.checks import CheckContext, check, for_counted_jobs
from conformance.checks.failures import (
    AuthNotEnforced,
    BadRequestAccepted,
    CreateRejected,
    CreateResponseMismatch,
    ErrorEnvelopeMismatch,
    FormatNotDetected,
    ImportIdUnprefixed,
    JobUnreadable,
    NotFoundExpected,
    StatusCodeNotChosen,
    UnexpectedCounts,
)
from conformance.observations import JobTrace
from conformance.spec import parse_timestamp, template_pattern

CREATE_STATUSES = (200, 201, 202)  # the seed documents none; any success code of a create is plausible
FAKE_CREATE_STATUS = 202


def _sent(response: httpx.Response) -> str:
    return f"{response.request.method} {response.request.url}"


@check(rules=["PM-02"])
def create_accepted(ctx: CheckContext, *, response: httpx.Response) -> bool:
    if response.status_code not in CREATE_STATUSES:
        raise CreateRejected(
            received=f"{response.status_code} {body_of(response)}",
            expected=" or ".join(map(str, CREATE_STATUSES)),
            context=_sent(response),
        )
    return True


@check(rules=["PM-02", "X-114"], strict=True)
def create_answers_202(ctx: CheckContext, *, response: httpx.Response) -> bool:
    if response.status_code != FAKE_CREATE_STATUS:
        raise StatusCodeNotChosen(received=response.status_code, expected=f"{FAKE_CREATE_STATUS} (DECISIONS.md PM-D01)")
    return True


CREATE_FIELDS = ("id", "status", "format", "total_rows", "created_at")  # seed 004's create response


@check(rules=["PM-08"])
def create_response_documented(ctx: CheckContext, *, response: httpx.Response, file_format: str) -> bool | None:
    """The seed's fields: an id, a status of the lifecycle, the file's format, a row count, a date-time.

    The seed's example shows `"status": "pending", "total_rows": 0`; a vendor that answers once it has read
    the file (`processing`, or already finished, with its rows counted) is not failed for it: that is
    `create_response_pending`, with --strict.
    """
    if response.status_code not in CREATE_STATUSES:
        return None
    body = body_of(response)
    schema = ctx.spec.response_schema("createImport", response.status_code) or {}
    problems = ctx.spec.schema_errors(schema, body)
    if isinstance(body, Mapping):
        problems += [f"{name} missing" for name in CREATE_FIELDS if name not in body]
        status, total = body.get("status"), body.get("total_rows")
        if "status" in body and status not in ctx.lifecycle.vocabulary:
            problems.append(f"status {status!r} is not one of {sorted(ctx.lifecycle.vocabulary)}")
        if "total_rows" in body and (not isinstance(total, int) or isinstance(total, bool) or total < 0):
            problems.append(f"total_rows {total!r} is not an integer >= 0")
        if body.get("format") != file_format:
            problems.append(f"format {body.get('format')!r}, not {file_format!r}")
        if parse_timestamp(body.get("created_at")) is None:
            problems.append(f"created_at {body.get('created_at')!r} is not a date-time")
    else:
        problems.append("the body is not a JSON object")
    if problems:
        raise CreateResponseMismatch(
            received="; ".join(dict.fromkeys(problems[:6])),
            expected=f'{{"id": "imp_…", "status": <a lifecycle status>, "format": "{file_format}", '
            '"total_rows": <integer >= 0>, "created_at": "<ISO 8601>"}',
            context=str(body)[:300],
        )
    return True


@check(rules=["PM-08", "X-114"], strict=True)
def create_response_pending(ctx: CheckContext, *, response: httpx.Response) -> bool | None:
    """The fake answers a create before reading the file: `"status": "pending", "total_rows": 0` (the seed's
    example)."""
    body = body_of(response)
    if response.status_code not in CREATE_STATUSES or not isinstance(body, Mapping):
        return None
    want = {"status": "pending", "total_rows": 0}
    wrong = [f"{k} {body.get(k)!r}" for k, v in want.items() if body.get(k) != v]
    if wrong:
        raise CreateResponseMismatch(
            received=", ".join(wrong),
            expected='"status": "pending", "total_rows": 0 (the seed\'s example; the fake queues the job)',
            title="The create response is not the fake's pending job",
        )
    return True


@check(rules=["PM-02"])
def create_body_matches_schema(ctx: CheckContext, *, response: httpx.Response) -> bool | None:
    """A create the API accepted (even of a file it will fail later) answers the spec's create schema."""
    if response.status_code not in CREATE_STATUSES:
        return None
    body = body_of(response)
    problems = ctx.spec.schema_errors(ctx.spec.response_schema("createImport", response.status_code) or {}, body)
    if problems:
        raise CreateResponseMismatch(
            received="; ".join(problems[:5]), expected="the create_import response schema", context=str(body)[:300]
        )
    return True


@check(rules=["PM-09", "X-113"])
def import_id_prefixed(ctx: CheckContext, *, job_id: object) -> bool:
    if not isinstance(job_id, str) or not job_id.startswith("imp_") or len(job_id) <= len("imp_"):
        raise ImportIdUnprefixed(received=repr(job_id), expected='"imp_" followed by an id')
    return True


@check(rules=["PM-09", "PM-11"])
def created_job_readable(ctx: CheckContext, *, response: httpx.Response) -> bool:
    if response.status_code != 200 or not isinstance(body_of(response), Mapping):
        raise JobUnreadable(
            received=f"{response.status_code} {body_of(response)}", expected="200 and the job", context=_sent(response)
        )
    return True


@check(rules=["PM-01"])
def auth_required(ctx: CheckContext, *, response: httpx.Response, credentials: str) -> bool:
    """No token -> 401. A wrong token -> 401 (403 is a plausible vendor reading of "wrong key")."""
    allowed = (401,) if credentials == "none" else (401, 403)
    if response.status_code not in allowed:
        raise AuthNotEnforced(
            received=f"{response.status_code} {body_of(response)}",
            expected=" or ".join(map(str, allowed)),
            context=f"{_sent(response)} with {'no' if credentials == 'none' else 'a wrong'} Authorization",
        )
    return True


@check(rules=["PM-09"])
def unknown_import_not_found(ctx: CheckContext, *, response: httpx.Response) -> bool:
    if response.status_code != 404:
        raise NotFoundExpected(
            received=f"{response.status_code} {body_of(response)}", expected="404", context=_sent(response)
        )
    return True


def _refused(response: httpx.Response, what: str) -> bool:
    # 401/403/404 would mean the request never reached input validation; 5xx is a crash.
    if not (400 <= response.status_code < 500) or response.status_code in (401, 403, 404):
        raise BadRequestAccepted(
            received=f"{response.status_code} {body_of(response)}",
            expected=f"a 4xx refusal (400, 413, 415 or 422) of {what}",
            context=_sent(response),
        )
    return True


@check(rules=["PM-02"])
def missing_file_rejected(ctx: CheckContext, *, response: httpx.Response) -> bool:
    return _refused(response, "an upload without a file")


@check(rules=["PM-02"], strict=True)
def text_file_field_rejected(ctx: CheckContext, *, response: httpx.Response) -> bool:
    """The fake refuses a plain form field named `file` (not a file part); a vendor might read it as the file."""
    return _refused(response, "a `file` field that is not a file upload")


def _refused_or_failed(response: httpx.Response, trace: JobTrace | None, what: str) -> bool:
    """Refused at upload (a 4xx), or accepted and its job ends `failed`: where a bad input is refused is the
    vendor's choice (the fake's, a 400 at upload, is `bad_input_refused_at_upload`)."""
    if 400 <= response.status_code < 500 and response.status_code not in (401, 403, 404):
        return True
    final = (trace.final if trace else None) or {}
    if response.status_code in CREATE_STATUSES and final.get("status") == "failed":
        return True
    then = f", then the job went {trace.history()}" if trace else ""
    raise BadRequestAccepted(
        received=f"{response.status_code} {body_of(response)}"[:300] + then,
        expected=f"a 4xx refusal (400, 413, 415 or 422) of {what}, or a job that ends 'failed'",
        context=_sent(response),
    )


@check(rules=["PM-03", "PM-04"])
def unsupported_format_rejected(ctx: CheckContext, *, response: httpx.Response, trace: JobTrace | None = None) -> bool:
    return _refused_or_failed(response, trace, "format=xml")


@check(rules=["PM-05", "X-112"])
def malformed_mapping_rejected(ctx: CheckContext, *, response: httpx.Response, trace: JobTrace | None = None) -> bool:
    return _refused_or_failed(response, trace, "a mapping that is not a JSON object")


@check(rules=["PM-03", "PM-05", "X-114"], strict=True)
def bad_input_refused_at_upload(ctx: CheckContext, *, response: httpx.Response, what: str) -> bool:
    """The fake refuses format=xml and a bad mapping at the request (DECISIONS.md PM-D10)."""
    return _refused(response, what)


@check(rules=["PM-04"])
def format_detected(ctx: CheckContext, *, response: httpx.Response, file_format: str) -> bool | None:
    body = body_of(response)
    if response.status_code not in CREATE_STATUSES or not isinstance(body, Mapping):
        return None
    if body.get("format") != file_format:
        raise FormatNotDetected(
            received=f"format {body.get('format')!r}",
            expected=f"{file_format!r}, detected from a .{file_format} file sent without `format`",
        )
    return True


@check(rules=["PM-05"])
@for_counted_jobs
def mapping_honoured(ctx: CheckContext, *, job: dict[str, Any], rows: int) -> bool | None:
    if (job.get("created_rows"), job.get("error_rows")) != (rows, 0):
        raise UnexpectedCounts(
            received=f"created_rows {job.get('created_rows')!r}, error_rows {job.get('error_rows')!r}",
            expected=f"created_rows {rows}, error_rows 0: every row's columns mapped by `mapping`",
            title="Column mapping was not applied",
        )
    return True


@check(rules=["X-114"], strict=True)
def error_envelope(ctx: CheckContext, *, response: httpx.Response) -> bool | None:
    """The fake's error body: {"error": code, "message": one of the spec's x-messages.requests texts}."""
    if response.status_code < 400:
        return None
    body = body_of(response)
    templates = ctx.spec.messages("requests").values()
    problems = []
    if not isinstance(body, Mapping) or set(body) != {"error", "message"}:
        problems.append(f"body {body!r}")
    elif not all(isinstance(body[k], str) and body[k] for k in ("error", "message")):
        problems.append(f"error/message not both non-empty strings: {body!r}")
    elif not any(template_pattern(t).match(body["message"]) for t in templates):
        problems.append(f"message {body['message']!r} is not in x-messages.requests")
    if problems:
        raise ErrorEnvelopeMismatch(
            received="; ".join(problems),
            expected='{"error": code, "message": text from x-messages} (DECISIONS.md PM-D02)',
            context=f"{_sent(response)} -> {response.status_code}",
        )
    return True
