"""Checks of GET /imports/jobs/{id}/preview: size, agreement with the file, validation errors (PX-27, PX-28)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from conformance.checks import CheckContext
from conformance.checks.failures import StatusCodeNotChosen
from conformance.checks.pixee import answered, body_of, check
from conformance.checks.pixee.failures import (
    PreviewDisagreesWithFile,
    PreviewErrorsMissing,
    PreviewShapeMismatch,
    PreviewSizeWrong,
)
from conformance.checks.pixee.observed import FileFacts, same_number

DEFAULT_LIMIT = 10  # "Number of preview rows (default: 10)."


def _preview(response: httpx.Response) -> tuple[list[dict[str, Any]], list[dict[str, Any]], Any]:
    body = body_of(response)
    if not isinstance(body, Mapping):
        return [], [], None
    rows = [r for r in body.get("preview") or [] if isinstance(r, dict)]
    errors = [e for e in body.get("validation_errors") or [] if isinstance(e, dict)]
    return rows, errors, body.get("total_rows")


@check(rules=["PX-28"])
def preview_matches_schema(ctx: CheckContext, *, response: httpx.Response) -> bool:
    errors = [f"HTTP {response.status_code}"] if response.status_code != 200 else []
    errors += ctx.spec.schema_errors(ctx.spec.response_schema("previewJob", 200) or {}, body_of(response))
    if errors:
        raise PreviewShapeMismatch(
            received="; ".join(errors[:5]), expected="200 and the preview_job schema", context=answered(response)
        )
    return True


@check(rules=["PX-27", "PX-28"])
def preview_size(ctx: CheckContext, *, response: httpx.Response, limit: int | None, facts: FileFacts) -> bool:
    """`limit` rows (10 when not sent), or all of them in a smaller file; total_rows is the file's."""
    rows, _, total = _preview(response)
    want = min(limit or DEFAULT_LIMIT, facts.total)
    if len(rows) != want or total != facts.total:
        raise PreviewSizeWrong(
            received=f"{len(rows)} preview rows, total_rows {total!r}",
            expected=f"{want} rows (limit {limit if limit else 'not sent: 10'}), total_rows {facts.total}",
            context=str(response.request.url),
        )
    return True


@check(rules=["PX-28", "PX-04"])
def preview_agrees_with_file(ctx: CheckContext, *, response: httpx.Response, facts: FileFacts) -> bool:
    """Each previewed row is a row of the file, parsed: same EAN, name (UTF-8 intact) and price."""
    rows, by_ean = _preview(response)[0], facts.by_ean()
    for got in rows:
        row = by_ean.get(str(got.get("ean")))
        if row is None or got.get("name") != row.name or not same_number(got.get("price"), row.price):
            expected = (
                f"the file's row {{'ean': {row.ean!r}, 'name': {row.name!r}, 'price': {str(row.price)!r}}}"
                if row
                else f"one of the file's EANs {sorted(by_ean)[:5]}…"
            )
            raise PreviewDisagreesWithFile(
                received=str(got)[:300], expected=expected, context=str(response.request.url)
            )
    return True


@check(rules=["PX-28"], strict=True)
def preview_in_file_order(ctx: CheckContext, *, response: httpx.Response, facts: FileFacts) -> bool:
    """The fake previews the file's first rows, in order, bad ones included."""
    eans = [str(r.get("ean")) for r in _preview(response)[0]]
    want = [str(row.ean) for row in facts.rows[: len(eans)]]
    if eans != want:
        raise PreviewDisagreesWithFile(received=f"EANs {eans}", expected=f"the file's first rows {want}")
    return True


@check(rules=["PX-28"])
def preview_flags_bad_rows(ctx: CheckContext, *, response: httpx.Response, facts: FileFacts) -> bool | None:
    """With a file no longer than the preview (10 rows): validation_errors is empty exactly when the file has
    no bad row, and names each bad row's EAN (whether or not `preview` lists the bad rows themselves)."""
    _, errors, _ = _preview(response)
    if facts.total > DEFAULT_LIMIT:
        return None
    flagged = {str(e.get("value")) for e in errors}
    missing = [row.ean for row in facts.bad if row.problem == "invalid_ean_format" and row.ean not in flagged]
    if bool(errors) != bool(facts.bad) or missing:
        raise PreviewErrorsMissing(
            received=f"validation_errors {errors}"[:400],
            expected=f"{len(facts.bad)} bad rows flagged"
            + (f", among them the EANs {missing}" if missing else "")
            + ' ("A bad row → validation_errors is non-empty")',
        )
    return True


@check(rules=["PX-28", "X-107"], strict=True)
def preview_errors_are_the_error_logs(
    ctx: CheckContext, *, response: httpx.Response, lines: list[dict[str, Any]]
) -> bool:
    """The fake's validation_errors, with every row previewed, are the error log lines without level and
    timestamp."""
    _, errors, _ = _preview(response)
    keys = ("row_number", "field", "message", "value")
    want = [{k: line.get(k) for k in keys} for line in lines if line.get("level") == "error"]
    if sorted(map(str, errors)) != sorted(map(str, want)):
        raise PreviewErrorsMissing(
            received=str(errors)[:400],
            expected=str(want)[:400],
            title="Preview validation_errors differ from the error logs",
        )
    return True


@check(rules=["PX-28", "X-107"], strict=True)
def preview_waits_for_analysis(ctx: CheckContext, *, response: httpx.Response) -> bool:
    body = body_of(response)
    if response.status_code != 409 or not isinstance(body, Mapping) or body.get("code") != "preview_not_ready":
        raise StatusCodeNotChosen(
            received=answered(response),
            expected='409 {"code": "preview_not_ready"} while the job is analyzing (DECISIONS.md PX-D09)',
        )
    return True
