"""Checks of pause, resume and cancel: accepted when documented, and what the job does after (PX-18..PX-21)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from conformance.checks import CheckContext
from conformance.checks.failures import StatusCodeNotChosen
from conformance.checks.pixee import COUNT_FIELDS, answered, body_of, check, counts_of, sent
from conformance.checks.pixee.failures import (
    CancelNotFinal,
    ControlRefused,
    ControlResponseMismatch,
    FinishedJobControlled,
    ImportedRowsLost,
    PausedNotReported,
    PauseIgnored,
    ResumeDidNotContinue,
)

# the seed has no `paused` status; a vendor may keep saying `processing` while nothing moves.
PAUSED_STATUSES = ("paused", "processing")


def _history(snapshots: list[dict[str, Any]]) -> str:
    return " -> ".join(f"{s.get('status')!r} ({s.get('successful_rows')!r} rows)" for s in snapshots)


@check(rules=["PX-18", "PX-19"])
def control_accepted(ctx: CheckContext, *, response: httpx.Response, action: str) -> bool:
    """Pausing a processing job and resuming a paused one are documented: a 2xx answer."""
    if not 200 <= response.status_code < 300:
        raise ControlRefused(received=answered(response), expected=f"a 2xx answer to {action}", context=sent(response))
    return True


@check(rules=["PX-18", "PX-19", "X-105"], strict=True)
def control_answer_is_the_fakes(ctx: CheckContext, *, response: httpx.Response, job_id: str, status: str) -> bool:
    """The fake answers pause and resume as the seed answers cancel: 200 {"id", "status"}."""
    want = {"id": job_id, "status": status}
    body = body_of(response)
    if response.status_code != 200 or body != want:
        raise StatusCodeNotChosen(received=answered(response), expected=f"200 {want} (DECISIONS.md X-105)")
    return True


@check(rules=["PX-18", "X-100"])
def pause_freezes_progress(ctx: CheckContext, *, job_id: str, after: list[dict[str, Any]]) -> bool:
    """Read while the clock runs after a pause: not finished, `paused` or `processing`, no row processed."""
    statuses = {s.get("status") for s in after}
    moved = {s.get("successful_rows") for s in after}
    if not statuses <= set(PAUSED_STATUSES) or len(moved) > 1:
        raise PauseIgnored(
            received=_history(after),
            expected="'paused' (or 'processing', X-100) with successful_rows frozen while the clock runs",
            context=f"job {job_id}, read after the pause was accepted",
        )
    return True


@check(rules=["PX-18", "X-100"], strict=True)
def paused_status_reported(ctx: CheckContext, *, job_id: str, after: list[dict[str, Any]]) -> bool:
    """The fake says `paused` and freezes at once, from the first read after the pause."""
    if {s.get("status") for s in after} != {"paused"} or len({s.get("successful_rows") for s in after}) > 1:
        raise PausedNotReported(
            received=_history(after),
            expected="'paused' on every read, successful_rows never moving",
            context=f"job {job_id}",
        )
    return True


@check(rules=["PX-19"])
def resume_continues(ctx: CheckContext, *, job_id: str, final: Mapping[str, Any] | None) -> bool:
    status = (final or {}).get("status")
    if status != "completed":
        raise ResumeDidNotContinue(
            received=f"{status!r} ({counts_of(final or {}, 'successful_rows', 'total_rows')})",
            expected="the job processes its remaining rows and ends 'completed'",
            context=f"job {job_id}",
        )
    return True


@check(rules=["PX-20"])
def cancel_answer_documented(ctx: CheckContext, *, response: httpx.Response, job_id: str) -> bool:
    """The seed's answer to cancel: {"id": …, "status": "cancelled"}."""
    body = body_of(response)
    good = 200 <= response.status_code < 300 and isinstance(body, Mapping)
    if not good or body.get("id") != job_id or body.get("status") != "cancelled":
        raise ControlResponseMismatch(
            received=answered(response),
            expected=f'2xx {{"id": "{job_id}", "status": "cancelled"}}',
            context=sent(response),
        )
    return True


@check(rules=["PX-20"])
def cancelled_stays_cancelled(ctx: CheckContext, *, job_id: str, after: list[dict[str, Any]]) -> bool:
    """Every read after the cancel, while the clock runs (and after a resume is tried): cancelled, no new rows."""
    if {s.get("status") for s in after} != {"cancelled"} or len({s.get("successful_rows") for s in after}) > 1:
        raise CancelNotFinal(
            received=_history(after),
            expected="'cancelled' on every later read, successful_rows never moving (\"Cancel and discard\")",
            context=f"job {job_id}",
        )
    return True


@check(rules=["PX-21", "PX-11"])
def finished_job_left_alone(
    ctx: CheckContext, *, before: dict[str, Any], response: httpx.Response, after: dict[str, Any], action: str
) -> bool:
    """A control of a finished job changes nothing, and a 2xx answer does not claim it did."""
    body = body_of(response)
    claimed = body.get("status") if 200 <= response.status_code < 300 and isinstance(body, Mapping) else None
    fields = ("status", *COUNT_FIELDS)
    changed = [k for k in fields if before.get(k) != after.get(k)]
    if changed or claimed not in (None, before.get("status")):
        raise FinishedJobControlled(
            received=f"{action} answered {answered(response)}; then "
            + (", ".join(f"{k}: {before.get(k)!r} -> {after.get(k)!r}" for k in changed) or "nothing changed"),
            expected=f'a {before.get("status")!r} job stays as it is ("You can pause, resume, or cancel a running '
            'import job")',
            context=f"job {before.get('id')}",
        )
    return True


@check(rules=["PX-21", "X-107"], strict=True)
def control_conflict(ctx: CheckContext, *, response: httpx.Response) -> bool:
    """The fake refuses a control the job's status does not allow with 409 invalid_transition."""
    body = body_of(response)
    code = body.get("code") if isinstance(body, Mapping) else None
    if response.status_code != 409 or code != "invalid_transition":
        raise StatusCodeNotChosen(
            received=answered(response), expected='409 {"code": "invalid_transition", …} (DECISIONS.md X-105)'
        )
    return True


@check(rules=["PX-20"], strict=True)
def cancel_kept_imported_rows(ctx: CheckContext, *, job: dict[str, Any], imported: int, valid: int) -> bool:
    """The fake keeps rows imported before a cancel (DECISIONS.md PX-D04): re-importing the file updates exactly
    them."""
    if job.get("products_updated") != imported or job.get("products_created") != valid - imported:
        raise ImportedRowsLost(
            received=counts_of(job, "products_created", "products_updated"),
            expected=f"products_updated {imported} (imported before the cancel), products_created {valid - imported}",
            context=f"import {job.get('id')} of the cancelled job's file",
        )
    return True
