"""Checks of dry runs: they stop at `ready`, write nothing, and leave no product behind (PX-09, PX-15, X-101)."""

from __future__ import annotations

from typing import Any

from conformance.checks import CheckContext
from conformance.checks.pixee import check, counts_of
from conformance.checks.pixee.failures import DryRunNotReady, DryRunPersisted
from conformance.observations import JobTrace


@check(rules=["PX-09", "PX-15"])
def dry_run_rests_at_ready(ctx: CheckContext, *, trace: JobTrace) -> bool:
    """A dry run ends its analysis at `ready` and stays there while the clock runs."""
    statuses = trace.statuses
    rested = statuses[statuses.index("ready") :] if "ready" in statuses else []
    if trace.timed_out or len(rested) < 2 or set(rested) != {"ready"}:
        raise DryRunNotReady(
            received=f"{trace.history()} after {trace.waited}",
            expected='"ready" ("Dry-run complete, awaiting confirmation"), and still "ready" on every later read',
            context=f"job {trace.job_id}",
        )
    return True


@check(rules=["PX-09"])
def dry_run_wrote_nothing(ctx: CheckContext, *, job: dict[str, Any]) -> bool:
    if job.get("products_created") != 0 or job.get("products_updated") != 0:
        raise DryRunPersisted(
            received=counts_of(job, "products_created", "products_updated"),
            expected='products_created 0, products_updated 0 ("without persisting any changes")',
            context=f"dry run {job.get('id')} is {job.get('status')!r}",
        )
    return True


@check(rules=["PX-09"])
def dry_run_persisted_nothing(ctx: CheckContext, *, job: dict[str, Any], valid: int, dry_run_id: str) -> bool:
    """A later import of the dry run's EANs creates every one of them: none exists yet."""
    if job.get("products_created") != valid or job.get("products_updated") != 0:
        raise DryRunPersisted(
            received=counts_of(job, "products_created", "products_updated"),
            expected=f"products_created {valid}, products_updated 0: the EANs of dry run {dry_run_id} were never "
            "persisted, so an ordinary import of them creates them all",
            context=f"import {job.get('id')} after dry run {dry_run_id}",
        )
    return True


@check(rules=["PX-09", "X-101"], strict=True)
def confirmed_dry_run_imports(ctx: CheckContext, *, job: dict[str, Any], valid: int) -> bool:
    """The fake's confirm (X-101) imports a ready dry run; its EANs exist by then, so each is an update."""
    if job.get("status") != "completed" or job.get("products_updated") != valid or job.get("products_created") != 0:
        raise DryRunPersisted(
            received=f"status {job.get('status')!r}, " + counts_of(job, "products_created", "products_updated"),
            expected=f"completed with products_updated {valid}, products_created 0",
            title="A confirmed dry run did not import its rows",
            context=f"dry run {job.get('id')}",
        )
    return True
