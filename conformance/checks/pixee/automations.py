"""Checks of automations: create, defaults, refused input, and a due automation producing a job (PX-29..PX-33)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from conformance.checks import CheckContext
from conformance.checks.failures import StatusCodeNotChosen
from conformance.checks.pixee import answered, body_of, check, sent
from conformance.checks.pixee.failures import AutomationNotRun, AutomationResponseMismatch
from conformance.checks.pixee.requests import refused
from conformance.spec import parse_timestamp

CREATE_STATUSES = (200, 201)  # no status code is documented


@check(rules=["PX-29", "PX-30"])
def automation_created(ctx: CheckContext, *, response: httpx.Response, sent_body: Mapping[str, Any]) -> bool:
    """`{"id", "name", "schedule", "is_active", "created_at"}` echoing what was sent; is_active true if omitted."""
    body = body_of(response)
    problems = [] if response.status_code in CREATE_STATUSES else [f"HTTP {response.status_code}"]
    problems += ctx.spec.schema_errors(ctx.spec.component_schema("Automation"), body)
    if isinstance(body, Mapping):
        want = {"name": sent_body["name"], "schedule": sent_body["schedule"],
                "is_active": sent_body.get("is_active", True)}  # fmt: skip
        problems += [f"{k} {body.get(k)!r}, not {v!r}" for k, v in want.items() if body.get(k) != v]
    if problems:
        raise AutomationResponseMismatch(
            received="; ".join(problems[:6]),
            expected='200 or 201 {"id", "name", "schedule", "is_active" (default true), "created_at"} as sent',
            context=f"{sent(response)} with {dict(sent_body)} -> {answered(response)}",
        )
    return True


@check(rules=["PX-29", "X-107"], strict=True)
def automation_answers_201(ctx: CheckContext, *, response: httpx.Response) -> bool:
    if response.status_code != 201:
        raise StatusCodeNotChosen(received=response.status_code, expected="201 (DECISIONS.md PX-D01)")
    return True


@check(rules=["PX-31"])
def invalid_cron_refused(ctx: CheckContext, *, response: httpx.Response) -> bool:
    return refused(response, "a schedule that is not a cron expression")


@check(rules=["PX-32"])
def unsupported_source_refused(ctx: CheckContext, *, response: httpx.Response) -> bool:
    return refused(response, "a file_source of a type other than sftp, ftp or http")


@check(rules=["PX-33"])
def non_object_mapping_refused(ctx: CheckContext, *, response: httpx.Response) -> bool:
    return refused(response, "a mapping that is not an object")


@check(rules=["PX-32", "X-106"], strict=True)
def incomplete_source_refused(ctx: CheckContext, *, response: httpx.Response) -> bool:
    """The fake requires host and path for sftp/ftp, url for http (DECISIONS.md PX-D10)."""
    return refused(response, "a file_source without the fields its type needs")


@check(rules=["X-106"], strict=True)
def automation_readable(ctx: CheckContext, *, response: httpx.Response) -> bool:
    """The fake's inferred GET /imports/automations/{id} shows the last run's job (last_job_id)."""
    body = body_of(response)
    if response.status_code != 200 or not isinstance(body, Mapping) or "last_job_id" not in body:
        raise StatusCodeNotChosen(
            received=answered(response), expected="200 with last_job_id (x-inferred, DECISIONS.md X-106)"
        )
    return True


@check(rules=["PX-29"])
def due_automation_ran(ctx: CheckContext, *, automation: Mapping[str, Any], due: float) -> bool:
    """Once the clock is past its due time, an automation has started an import job from its source."""
    if not automation.get("last_job_id"):
        when = datetime.fromtimestamp(due, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        raise AutomationNotRun(
            received=f"last_job_id {automation.get('last_job_id')!r}, last_run_at {automation.get('last_run_at')!r}",
            expected=f"a job started at its due time {when} (schedule {automation.get('schedule')!r})",
            context=f"automation {automation.get('id')}",
        )
    return True


@check(rules=["PX-29", "X-106"], strict=True)
def automation_job_started_when_due(
    ctx: CheckContext, *, automation: Mapping[str, Any], job: Mapping[str, Any], due: float
) -> bool:
    """The fake creates the job at the due instant, and says so on the automation (last_run_at)."""
    times = {"job created_at": job.get("created_at"), "automation last_run_at": automation.get("last_run_at")}
    wrong = {k: v for k, v in times.items() if (parse_timestamp(v) or datetime.min.replace(tzinfo=UTC)).timestamp()
             != due}  # fmt: skip
    if wrong or job.get("automation_id") != automation.get("id"):
        raise AutomationNotRun(
            received=f"{times}, job automation_id {job.get('automation_id')!r}",
            expected=f"both at {datetime.fromtimestamp(due, tz=UTC).isoformat()}, automation_id "
            f"{automation.get('id')!r}",
            title="The automation's job was not started at its due time",
        )
    return True


@check(rules=["PX-32", "X-106"], strict=True)
def source_secrets_not_echoed(ctx: CheckContext, *, response: httpx.Response) -> bool | None:
    """The fake accepts a source's password / private_key and never shows them again (DECISIONS.md X-106)."""
    body = body_of(response)
    if not (200 <= response.status_code < 300 and isinstance(body, Mapping)):
        return None
    source = body.get("file_source")
    source = source if isinstance(source, Mapping) else {}
    shown = sorted(k for k in ("password", "private_key") if k in source)
    if shown:
        raise AutomationResponseMismatch(
            received=f"file_source shows {shown}", expected="no credential echoed", title="Source credentials echoed"
        )
    return True
