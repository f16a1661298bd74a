"""Checks of a finished job's row counts: invariants, the file's own rows, update by EAN (PM-06/07/13/15)."""

from __future__ import annotations

from typing import Any

from conformance.checks import CheckContext, check, for_counted_jobs, machine
from conformance.checks.failures import ExistingNotUpdated, RowCountsDisagree, UnexpectedCounts, UpdatedDespiteFlag
from conformance.observations import ExpectedCounts

COUNT_FIELDS = ("total_rows", "processed_rows", "created_rows", "updated_rows", "error_rows")


def _counts(job: dict[str, Any]) -> str:
    return machine.counts_text(job, COUNT_FIELDS)


@check(rules=["PM-15"])
@for_counted_jobs
def row_counts_add_up(ctx: CheckContext, *, job: dict[str, Any]) -> bool | None:
    total, processed, created, updated, errors = machine.integer_counts(job, COUNT_FIELDS)
    if not processed == total == created + updated + errors:
        raise RowCountsDisagree(
            received=_counts(job),
            expected="processed_rows == total_rows == created_rows + updated_rows + error_rows",
            context=f"import {job.get('id')} is {job.get('status')!r}",
        )
    return True


@check(rules=["PM-07", "PM-15", "X-115"])
@for_counted_jobs
def skipped_rows_within_total(ctx: CheckContext, *, job: dict[str, Any]) -> bool | None:
    """update_existing=false: how rows of existing products are counted is the vendor's choice (an error, or
    silently skipped and counted nowhere), so only what holds either way: nothing updated, and no more rows
    created, updated or refused than the file had. (The fake's exact counting: `existing_rows_refused`.)"""
    total, _processed, created, updated, errors = machine.integer_counts(job, COUNT_FIELDS, booleans=False)
    if updated != 0 or created + updated + errors > total:
        raise RowCountsDisagree(
            received=_counts(job),
            expected="updated_rows == 0 and created_rows + updated_rows + error_rows <= total_rows",
            context=f"import {job.get('id')} (update_existing=false) is {job.get('status')!r}",
        )
    return True


@check(rules=["PM-13", "PM-15"])
@for_counted_jobs
def counts_match_file(ctx: CheckContext, *, job: dict[str, Any], expected: ExpectedCounts) -> bool | None:
    want = {
        "total_rows": expected.total,
        "created_rows": expected.created,
        "updated_rows": expected.updated,
        "error_rows": expected.errors,
        "status": "completed_with_errors" if expected.errors else "completed",
    }
    wrong = {k: v for k, v in want.items() if job.get(k) != v}
    if expected.errors and not ctx.strict and job.get("status") == "completed":
        wrong.pop("status", None)  # the seed's own example: `completed` with error_rows > 0 (X-110, QA-D18)
    if wrong:
        raise UnexpectedCounts(
            received=", ".join(f"{k} {job.get(k)!r}" for k in want),
            expected=", ".join(f"{k} {v!r}" for k, v in want.items()),
            context=f"import {job.get('id')}: {expected.total} data rows in the file, {expected.errors} invalid",
        )
    return True


@check(rules=["PM-06"])
@for_counted_jobs
def existing_products_updated(ctx: CheckContext, *, job: dict[str, Any], existing: int) -> bool | None:
    if job.get("updated_rows") != existing or job.get("created_rows") != 0:
        raise ExistingNotUpdated(
            received=_counts(job),
            expected=f"updated_rows {existing}, created_rows 0 (every EAN exists; update_existing defaults to true)",
            context=f"import {job.get('id')}",
        )
    return True


@check(rules=["PM-07", "X-115"])
def no_updates_when_disabled(ctx: CheckContext, *, job: dict[str, Any]) -> bool | None:
    if not ctx.is_terminal(job.get("status")):
        return None
    if job.get("updated_rows") != 0:
        raise UpdatedDespiteFlag(
            received=_counts(job),
            expected="updated_rows 0 (update_existing=false)",
            context=f"import {job.get('id')}",
        )
    return True


@check(rules=["PM-07", "X-115"], strict=True)
@for_counted_jobs
def existing_rows_refused(ctx: CheckContext, *, job: dict[str, Any], existing: int) -> bool | None:
    """The fake lists each row whose EAN exists as a `product_exists` error when update_existing=false."""
    want = {"created_rows": 0, "updated_rows": 0, "error_rows": existing, "status": "completed_with_errors"}
    if any(job.get(k) != v for k, v in want.items()):
        raise UnexpectedCounts(
            received=_counts(job) + f", status {job.get('status')!r}",
            expected=", ".join(f"{k} {v!r}" for k, v in want.items()) + " (DECISIONS.md, X-115)",
            title="Rows of existing products were not refused as errors",
        )
    return True
