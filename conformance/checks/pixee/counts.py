"""Checks of a Pixee job's row counts and error_summary against invariants and the file (PX-08, PX-16, PX-17)."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from conformance.checks import CheckContext, for_counted_jobs, machine
from conformance.checks.failures import RowCountsDisagree, UnexpectedCounts
from conformance.checks.pixee import COUNT_FIELDS, check, counts_of
from conformance.checks.pixee.failures import ErrorSummaryMismatch
from conformance.checks.pixee.observed import FileFacts
from conformance.spec import template_pattern

# how the fake's error_summary names a field ("5 rows failed EAN validation")
SUMMARY_FIELD_NAMES = {"ean": "EAN", "name": "name", "price": "price"}


@check(rules=["PX-16"])
@for_counted_jobs
def row_counts_add_up(ctx: CheckContext, *, job: dict[str, Any]) -> bool | None:
    total, successful, failed, created, updated = machine.integer_counts(job, COUNT_FIELDS)
    if successful + failed != total or created + updated != successful:
        raise RowCountsDisagree(
            received=counts_of(job),
            expected="successful_rows + failed_rows == total_rows and products_created + products_updated == "
            "successful_rows",
            context=f"job {job.get('id')} is {job.get('status')!r}",
        )
    return True


@check(rules=["PX-05", "PX-16", "PX-25"])
@for_counted_jobs
def counts_match_file(ctx: CheckContext, *, job: dict[str, Any], facts: FileFacts, existing: int = 0) -> bool | None:
    """Every row counted as the file holds it: bad EANs failed, the rest created (or updated if `existing`)."""
    valid = len(facts.valid)
    want = {
        "total_rows": facts.total,
        "successful_rows": valid,
        "failed_rows": len(facts.bad),
        "products_created": valid - existing,
        "products_updated": existing,
    }
    if any(job.get(k) != v for k, v in want.items()):
        raise UnexpectedCounts(
            received=counts_of(job),
            expected=", ".join(f"{k} {v!r}" for k, v in want.items()),
            context=f"job {job.get('id')}: {facts.total} data rows in the file, {len(facts.bad)} invalid, "
            f"{existing} of the valid ones already imported",
        )
    return True


@check(rules=["PX-17"])
@for_counted_jobs
def error_summary_when_rows_fail(ctx: CheckContext, *, job: dict[str, Any]) -> bool | None:
    if not job.get("failed_rows"):
        return None
    summary = job.get("error_summary")
    if not isinstance(summary, str) or not summary.strip():
        raise ErrorSummaryMismatch(
            received=f"error_summary {summary!r} with failed_rows {job.get('failed_rows')!r}",
            expected='a summary of the failures, such as "5 rows failed EAN validation"',
            context=f"job {job.get('id')}",
        )
    return True


@check(rules=["PX-17"], strict=True)
@for_counted_jobs
def error_summary_counts_fields(ctx: CheckContext, *, job: dict[str, Any], facts: FileFacts) -> bool | None:
    """The fake's summary: one "{count} rows failed {field} validation" per field, null when no row failed."""
    by_field = Counter(row.field for row in facts.bad if row.field)  # a row's error names its field (FileRow)
    summary = job.get("error_summary")
    if not by_field:
        if summary is not None:
            raise ErrorSummaryMismatch(received=f"error_summary {summary!r}", expected="null: no row failed")
        return True
    templates = ctx.spec.messages("summary")
    wanted = [
        (templates["one"] if n == 1 else templates["many"]).format(count=n, field=SUMMARY_FIELD_NAMES.get(f, f))
        for f, n in by_field.items()
    ]
    parts = re.split(r",\s*", summary) if isinstance(summary, str) else []
    if sorted(parts) != sorted(wanted) or not all(
        any(template_pattern(t).match(p) for t in templates.values()) for p in parts
    ):
        raise ErrorSummaryMismatch(
            received=f"error_summary {summary!r}",
            expected=" and ".join(repr(w) for w in wanted) + " (x-messages.summary)",
            context=f"job {job.get('id')}",
        )
    return True


@check(rules=["PX-08"], strict=True)
def supplier_code_recorded(ctx: CheckContext, *, job: dict[str, Any], supplier_code: str) -> bool:
    """The fake shows the job's supplier_code (the seed has no product read to see it on products)."""
    if job.get("supplier_code") != supplier_code:
        raise UnexpectedCounts(
            received=f"supplier_code {job.get('supplier_code')!r}",
            expected=f"{supplier_code!r}, as sent",
            title="The job does not carry the supplier_code it was sent",
        )
    return True
