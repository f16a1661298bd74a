"""Errors: the seed's exact messages in the error envelope (contract), their HTTP status (the fake's, X-77)."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from conformance.checks import CheckContext
from conformance.checks.pims import answered, body_of, check, is_error, sent
from conformance.checks.pims.failures import ErrorMessageMismatch, ErrorStatusNotChosen, WriteNotRefused


@check(rules=["PI-06", "PI-08", "PI-09", "PI-10", "PI-26", "PI-27", "PI-28", "PI-48", "X-70", "X-77"])
def seed_error_message(ctx: CheckContext, *, response: httpx.Response, message: str) -> bool:
    """The body is exactly {"status": "Error", "status_message": message}, whatever the HTTP status (X-77)."""
    body = body_of(response)
    expected = {"status": "Error", "status_message": message}
    # Extra fields beside the two are the vendor's to add: exactly two keys is the fake's choice (X-77, --strict).
    shown = {key: body.get(key) for key in expected} if isinstance(body, Mapping) and not ctx.strict else body
    if response.status_code >= 500 or shown != expected:
        raise ErrorMessageMismatch(
            received=answered(response), expected=f"{expected} (any status below 500)", context=sent(response)
        )
    return True


@check(rules=["PI-04", "PI-48"])
def error_envelope(ctx: CheckContext, *, response: httpx.Response) -> bool:
    """A refused request gets {"status": "Error", "status_message": <string>}; nothing else only with --strict
    (exactly two keys is the fake's choice, X-77)."""
    body = body_of(response)
    if (
        response.status_code >= 500
        or not isinstance(body, Mapping)
        or (ctx.strict and set(body) != {"status", "status_message"})
        or body.get("status") != "Error"
        or not isinstance(body.get("status_message"), str)
    ):
        raise ErrorMessageMismatch(
            received=answered(response), expected='{"status": "Error", "status_message": "..."}', context=sent(response)
        )
    return True


@check(rules=["PI-03"])
def write_refused(ctx: CheckContext, *, response: httpx.Response, created: bool, credentials: str) -> bool:
    """A create without Data Editor rights (`credentials`) answers an error and creates nothing."""
    if not is_error(response) or created:
        received = answered(response) + (" and the product was created" if created else "")
        raise WriteNotRefused(
            received=received, expected=f"an error body and no product ({credentials})", context=sent(response)
        )
    return True


@check(rules=["X-77"], strict=True)
def error_status_is_the_fakes(ctx: CheckContext, *, response: httpx.Response, status: int) -> bool:
    if response.status_code != status:
        raise ErrorStatusNotChosen(
            received=answered(response), expected=f"HTTP {status} (DECISIONS.md X-77)", context=sent(response)
        )
    return True
