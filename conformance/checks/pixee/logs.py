"""Checks of GET /imports/jobs/{id}/logs: shape, skip/limit paging against meta, level filter, the EAN message.

Paging is judged as a client reads it: `skip` a multiple of `limit`, pages followed by `has_next`. There the
seed's page-based meta and its skip/limit query agree (X-103); for any other `skip` only --strict checks how
the fake maps it to a page.
"""

from __future__ import annotations

import math
from typing import Any

from conformance.checks import CheckContext
from conformance.checks.pixee import check
from conformance.checks.pixee.failures import (
    LogLevelFilterBroken,
    LogLinesMismatch,
    LogMetaMismatch,
    LogPageShapeMismatch,
    LogPagingBroken,
    LogTotalMismatch,
)
from conformance.checks.pixee.observed import FileFacts, LogPage, LogWalk, multiset

DEFAULT_LIMIT, MAX_LIMIT = 50, 200  # "Items per page, max 200 (default: 50)."
SEED_EAN_MESSAGE = "EAN format invalid (expected 13 digits)"
LEVELS = ("error", "warning", "info")


def _query(page: LogPage) -> tuple[int, int]:
    return int(page.requested.get("skip", 0)), int(page.requested.get("limit", DEFAULT_LIMIT))


def _describe(page: LogPage) -> str:
    return (
        f"logs {dict(page.requested) or '(defaults)'} -> {page.status}, meta {dict(page.meta)}, {len(page.items)} items"
    )


@check(rules=["PX-24"])
def log_page_matches_schema(ctx: CheckContext, *, page: LogPage) -> bool:
    errors = [f"HTTP {page.status}"] if page.status != 200 else []
    errors += ctx.spec.schema_errors(ctx.spec.response_schema("listJobLogs", 200) or {}, page.body)
    if errors:
        raise LogPageShapeMismatch(
            received="; ".join(errors[:5]), expected="200 and the list_job_logs schema", context=str(page.body)[:500]
        )
    return True


def _meta_problems(page: LogPage, skip: int, limit: int, *, aligned: bool) -> list[str]:
    meta, total = page.meta, page.meta.get("total")
    if not isinstance(total, int):
        return [f"meta.total {total!r}"]
    want: dict[str, Any] = {"per_page": limit}
    if aligned:
        want |= {"page": skip // limit + 1, "total_pages": math.ceil(total / limit),
                 "has_next": skip + limit < total, "has_previous": skip > 0}  # fmt: skip
    problems = [f"{k} {meta.get(k)!r}, not {v!r}" for k, v in want.items() if meta.get(k) != v]
    items = max(0, min(limit, total - skip))
    if len(page.items) != items:
        problems.append(f"{len(page.items)} items, not {items}")
    return problems


@check(rules=["PX-23", "PX-24", "X-103"])
def log_meta_consistent(ctx: CheckContext, *, page: LogPage) -> bool | None:
    """On a page a client asks for (skip a multiple of limit): page, per_page, total_pages, has_next,
    has_previous and the number of items all follow from skip, limit and total."""
    skip, limit = _query(page)
    if page.status != 200 or skip % limit:
        return None
    problems = _meta_problems(page, skip, limit, aligned=True)
    if problems:
        raise LogMetaMismatch(
            received="; ".join(problems),
            expected=f"for skip={skip}, limit={limit}: page = skip/limit + 1, per_page = limit, total_pages = "
            "ceil(total/limit), has_next = skip+limit < total, has_previous = skip > 0",
            context=_describe(page),
        )
    return True


@check(rules=["PX-24", "X-103"], strict=True)
def log_meta_for_any_skip(ctx: CheckContext, *, page: LogPage) -> bool | None:
    """The fake's mapping of any skip to a page: page = skip // limit + 1, has_next = skip + limit < total."""
    skip, limit = _query(page)
    if page.status != 200:
        return None
    problems = _meta_problems(page, skip, limit, aligned=True)
    if problems:
        raise LogMetaMismatch(received="; ".join(problems), expected="DECISIONS.md X-103", context=_describe(page))
    return True


@check(rules=["PX-23"])
def log_default_paging(ctx: CheckContext, *, page: LogPage) -> bool:
    meta, total = page.meta, page.meta.get("total")
    want = {"page": 1, "per_page": DEFAULT_LIMIT, "has_previous": False}
    wrong = [f"{k} {meta.get(k)!r}" for k, v in want.items() if meta.get(k) != v]
    if page.status != 200 or wrong or not isinstance(total, int) or len(page.items) != min(DEFAULT_LIMIT, total):
        raise LogMetaMismatch(
            received=_describe(page),
            expected=f"200, meta page 1, per_page {DEFAULT_LIMIT}, has_previous false, min(50, total) items",
            title="Logs do not page 50 at a time from offset 0 by default",
        )
    return True


@check(rules=["PX-23"])
def log_limit_within_200(ctx: CheckContext, *, page: LogPage) -> bool:
    """limit=200 is served as asked; a larger limit is refused (4xx) or served 200 at most (X-103 dec.)."""
    _, limit = _query(page)
    total = page.meta.get("total")
    if limit <= MAX_LIMIT:
        ok = (
            page.status == 200
            and page.meta.get("per_page") == limit
            and isinstance(total, int)
            and len(page.items) == min(limit, total)
        )
    else:
        per_page = page.meta.get("per_page")
        ok = 400 <= page.status < 500 or (
            page.status == 200 and isinstance(per_page, int) and per_page <= MAX_LIMIT and len(page.items) <= MAX_LIMIT
        )
    if not ok:
        raise LogMetaMismatch(
            received=_describe(page),
            expected=f"limit {limit}: " + ("served as asked" if limit <= MAX_LIMIT else "a 4xx, or at most 200 items"),
            title="Logs limit is not capped at 200",
        )
    return True


@check(rules=["PX-23", "PX-24"])
def log_paging_complete(ctx: CheckContext, *, walk: LogWalk, everything: LogPage) -> bool | None:
    """Following has_next from skip=0 reads every line exactly once: the same lines as one page of 200."""
    total = everything.meta.get("total")
    if everything.status != 200 or not isinstance(total, int) or total > MAX_LIMIT:
        return None
    problems = []
    totals = {p.meta.get("total") for p in walk.pages}
    if totals != {total}:
        problems.append(f"meta.total {sorted(map(repr, totals))} over the pages, {total} in one page")
    read, whole = multiset(walk.items), multiset(everything.items)
    if read != whole:
        missing, extra = sum((whole - read).values()), sum((read - whole).values())
        problems.append(f"{missing} lines never read, {extra} read too often (of {total}; stopped: {walk.stopped})")
    if problems:
        raise LogPagingBroken(
            received="; ".join(problems),
            expected="pages of `limit` following has_next that list every line once",
            context=f"job {walk.job_id}, level {walk.level}, limit {walk.limit}: {len(walk.pages)} pages read, "
            f"skip 0 to {walk.pages[-1].requested.get('skip') if walk.pages else None}",
        )
    return True


@check(rules=["PX-22"])
def log_level_filter(ctx: CheckContext, *, by_level: dict[str, LogPage], everything: LogPage) -> bool | None:
    """?level=X lists only X lines; the three levels' lines are exactly all the lines."""
    if everything.status != 200 or not isinstance(everything.meta.get("total"), int):
        return None
    problems = []
    for level, page in by_level.items():
        others = sorted({str(item.get("level")) for item in page.items} - {level})
        if page.status != 200 or others:
            problems.append(f"level={level}: HTTP {page.status}, other levels {others}")
    totals = {level: page.meta.get("total") for level, page in by_level.items()}
    if sum(t for t in totals.values() if isinstance(t, int)) != everything.meta["total"]:
        problems.append(f"level totals {totals} do not add up to {everything.meta['total']}")
    elif everything.meta["total"] <= MAX_LIMIT:
        union = sum((multiset(page.items) for page in by_level.values()), multiset([]))
        if union != multiset(everything.items):
            problems.append("the lines of the three levels are not the unfiltered lines")
    if problems:
        raise LogLevelFilterBroken(
            received="; ".join(problems), expected="each level filter lists exactly that level's lines"
        )
    return True


@check(rules=["PX-26", "PX-25"])
def error_logs_one_per_failed_row(ctx: CheckContext, *, job: dict[str, Any], errors: LogPage) -> bool:
    if errors.meta.get("total") != job.get("failed_rows"):
        raise LogTotalMismatch(
            received=f"logs?level=error meta.total {errors.meta.get('total')!r}",
            expected=f"failed_rows of the job, {job.get('failed_rows')!r} (each bad row has one defect)",
            context=f"job {job.get('id')}",
        )
    return True


@check(rules=["PX-25"])
def bad_eans_logged_with_seed_message(ctx: CheckContext, *, facts: FileFacts, errors: LogPage) -> bool | None:
    """Each row whose EAN is not 13 digits has one error line: field "ean", its value, the seed's message."""
    targets = [row for row in facts.bad if row.problem == "invalid_ean_format"]
    if not targets:
        return None
    for row in targets:
        lines = [item for item in errors.items if str(item.get("value")) == row.ean]
        want = {"level": "error", "field": "ean", "message": SEED_EAN_MESSAGE}
        if len(lines) != 1 or any(lines[0].get(k) != v for k, v in want.items()):
            raise LogLinesMismatch(
                received=f"error lines with value {row.ean!r}: {lines}",
                expected=f'one line {{"level": "error", "field": "ean", "value": "{row.ean}", '
                f'"message": "{SEED_EAN_MESSAGE}"}}',
                context=f"file row {row.index + 1} of {facts.total} (data rows counted from 1)",
            )
    return True


@check(rules=["PX-24", "PX-25", "X-107"], strict=True)
def log_lines_are_the_fakes(ctx: CheckContext, *, facts: FileFacts, lines: list[dict[str, Any]]) -> bool:
    """The fake's lines (DECISIONS.md PX-D05): per bad row one error at its sheet row with the catalogued message;
    per valid row "Product created" (info) and, with an empty price, a warning."""
    catalog = ctx.spec.messages("logs")
    by_row: dict[Any, list[dict[str, Any]]] = {}
    for item in lines:
        by_row.setdefault(item.get("row_number"), []).append(item)
    for row in facts.rows:
        have = {(i.get("level"), i.get("field"), i.get("message")) for i in by_row.get(facts.number(row), [])}
        want: set[tuple[str, str | None, str]]
        if row.valid:
            want = {("info", None, catalog["created"])}
            if row.warning:
                want.add(("warning", "price", catalog[row.warning]))
        else:
            want = {("error", row.field, catalog[row.problem or ""])}
        if not want <= have:
            raise LogLinesMismatch(
                received=f"row {facts.number(row)}: {sorted(map(str, have))}",
                expected=f"row {facts.number(row)}: {sorted(map(str, want))}",
                title="Log lines differ from the fake's",
            )
    return True


@check(rules=["PX-22", "X-107"], strict=True)
def unknown_level_refused(ctx: CheckContext, *, page: LogPage) -> bool:
    if page.status != 400:
        raise LogLevelFilterBroken(
            received=_describe(page),
            expected="400 for level=fatal (DECISIONS.md X-103)",
            title="Unknown level not refused",
        )
    return True
