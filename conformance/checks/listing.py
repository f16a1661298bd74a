"""Paging walked whole, for every API (`walk_whole`, `walk_problems`), and the checks of Products Manager's
GET /imports/{id}/errors: shape, exact rows and messages, totals and paging (PM-16, PM-17)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Collection, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from conformance.bodies import numbers_first
from conformance.checks import CheckContext, check
from conformance.checks.failures import (
    ErrorPageShapeMismatch,
    ErrorRowsMismatch,
    ErrorTotalMismatch,
    PagingBroken,
    RowMessageMismatch,
)
from conformance.observations import ErrorListing, ErrorPage, ExpectedRow, row_offset
from conformance.spec import template_pattern

DEFAULT_PER_PAGE = 20  # seed 004: "per_page": 20
# Row numbers may count from the sheet's first line (header = 1, so data starts at 2), from the first data
# row (1) or from 0 (a JSON array index): any is a plausible vendor choice (DECISIONS.md PM-D04) as long as
# one offset explains every row of a file.
ROW_OFFSETS = (2, 1, 0)
SEED_FORMAT_MESSAGE = ("validation_error", "Invalid EAN format.")  # seed 004, GET /imports/{id}/errors


# --- A listing walked whole (every API) ----------------------------------------------------------------------------

MAX_PAGES = 50  # a walk's bound in pages; the page size grows with the collection so that any size fits (below)


def page_size_for(total: int | None, *, smallest: int, largest: int | None = None) -> int:
    """The page size that walks `total` items in at most MAX_PAGES pages (never below `smallest`, which keeps
    several pages on a small collection, nor above `largest`, the API's documented maximum when it has one)."""
    size = max(smallest, math.ceil((total or 0) / MAX_PAGES))
    return min(size, largest) if largest else size


@dataclass
class Walk:
    """Every page a listing served from its first page on, as (page body, the items on it)."""

    pages: list[Any] = field(default_factory=list)
    items: list[Any] = field(default_factory=list)
    complete: bool = False  # the last page walked said there is no next one (not cut by MAX_PAGES)
    looped: bool = False  # a page's next led back to a page already read


def walk_whole(first: Any, fetch: Callable[[Any], Any], items_of: Callable[[Any], Iterable[Any] | None],
               next_of: Callable[[Any, Any, list[Any]], Any | None], *, max_pages: int = MAX_PAGES) -> Walk:
    """Fetch `first` (a page number, a link), then `next_of(body, cursor, items)` until it gives None, a page
    repeats its cursor, or `max_pages` pages were read. `items_of(body)` None: the page is not a listing (stop)."""
    walk, cursor, seen = Walk(), first, set()
    while cursor is not None and len(walk.pages) < max_pages and repr(cursor) not in seen:
        seen.add(repr(cursor))
        body = fetch(cursor)
        items = items_of(body)
        if items is None:
            return walk
        items = list(items)
        walk.pages.append(body)
        walk.items += items
        cursor = next_of(body, cursor, items)
    walk.complete = cursor is None
    walk.looped = cursor is not None and repr(cursor) in seen
    return walk


def walk_problems(walk: Walk, key: Callable[[Any], Hashable], expected: Collection[Hashable] = ()) -> list[str]:
    """What makes a whole walk wrong: an item served twice across pages, an expected item skipped (judged only
    when the walk reached the last page: a walk cut by MAX_PAGES judges what it read), a next leading back."""
    keys = [key(item) for item in walk.items]
    counts = Counter(keys)
    problems = []
    repeated = sorted((str(k) for k, n in counts.items() if n > 1))
    if repeated:
        problems.append(f"repeated (served on two pages or twice on one): {repeated[:5]}")
    if walk.complete:
        missing = sorted(str(k) for k in set(expected) - set(keys))
        if missing:
            problems.append(f"skipped (on no page): {missing[:5]}")
    if walk.looped:
        problems.append(f"page {len(walk.pages)}'s next leads back to a page already read")
    return problems


def _by_row(listing: ErrorListing) -> dict[int, dict[str, Any]]:
    return {entry["row"]: entry for entry in listing.entries if isinstance(entry.get("row"), int)}


def _describe(rows: list[ExpectedRow], offset: int) -> str:
    bad = [f"{row.index + offset} ({row.problem})" for row in rows if not row.valid]
    return ", ".join(bad) or "none"


@check(rules=["PM-16"])
def error_page_matches_schema(ctx: CheckContext, *, page: ErrorPage, operation: str) -> bool:
    errors = [f"HTTP {page.status}"] if page.status != 200 else []
    errors += ctx.spec.schema_errors(ctx.spec.response_schema(operation, 200) or {}, page.body)
    if errors:
        raise ErrorPageShapeMismatch(
            received="; ".join(errors[:5]), expected=f"200 and the {operation} schema", context=str(page.body)[:500]
        )
    return True


@check(rules=["PM-17"])
def default_page_size(ctx: CheckContext, *, listing: ErrorListing) -> bool | None:
    first = listing.pages[0] if listing.pages else None
    if first is None or first.requested or first.status != 200:
        return None
    total = first.meta.get("total")
    want = {"page": 1, "per_page": DEFAULT_PER_PAGE}
    if {k: first.meta.get(k) for k in want} != want or not isinstance(total, int) or len(first.data) != min(20, total):
        raise PagingBroken(
            received=f"meta {dict(first.meta)} with {len(first.data)} rows",
            expected=f"meta page 1, per_page {DEFAULT_PER_PAGE}, and min(20, total) rows",
            title="Errors listing does not page 20 at a time by default",
        )
    return True


@check(rules=["PM-17"])
def errors_total_matches(ctx: CheckContext, *, job: dict[str, Any], listing: ErrorListing) -> bool:
    if listing.total != job.get("error_rows"):
        raise ErrorTotalMismatch(
            received=f"meta.total {listing.total!r}",
            expected=f"error_rows of the import, {job.get('error_rows')!r}",
            context=f"import {job.get('id')}",
        )
    return True


@check(rules=["PM-17", "X-111"])
def errors_paging_complete(ctx: CheckContext, *, listing: ErrorListing) -> bool:
    rows = [entry.get("row") for entry in listing.entries]
    repeated = sorted((r for r, n in Counter(rows).items() if n > 1), key=numbers_first)
    problems = []
    if repeated:
        problems.append(f"rows listed twice: {repeated}")
    if listing.total != len(rows):
        problems.append(f"meta.total {listing.total!r} but {len(rows)} rows over {len(listing.pages)} pages")
    for page in listing.pages:
        size = page.requested.get("per_page", DEFAULT_PER_PAGE)
        if len(page.data) > size:
            problems.append(f"{len(page.data)} rows on a page of {size}")
        if "page" in page.requested and page.meta.get("page") != page.requested["page"]:
            problems.append(f"page {page.requested['page']} answered meta.page {page.meta.get('page')!r}")
    if problems:
        raise PagingBroken(
            received="; ".join(problems),
            expected="pages (page, per_page) that list every error row exactly once",
            context=f"import {listing.job_id}, pages read: {[dict(p.requested) for p in listing.pages]}",
        )
    return True


@check(rules=["PM-16", "PM-13"])
def error_rows_listed(ctx: CheckContext, *, rows: list[ExpectedRow], listing: ErrorListing) -> bool:
    offset = row_offset(rows, listing.entries, ROW_OFFSETS)
    if offset is None:
        listed = sorted((e.get("row") for e in listing.entries), key=numbers_first)
        raise ErrorRowsMismatch(
            received=f"rows {listed}",
            expected=f"the invalid rows {_describe(rows, 2)} (sheet numbering; or each minus one, or minus two)",
            context=f"import {listing.job_id}",
        )
    blank = [e.get("row") for e in listing.entries if not (e.get("error") and e.get("message"))]
    if blank:
        raise ErrorRowsMismatch(received=f"rows {blank} without error or message", expected="an error and a message")
    return True


@check(rules=["PM-16"])
def invalid_ean_format_message(ctx: CheckContext, *, rows: list[ExpectedRow], listing: ErrorListing) -> bool | None:
    offset = row_offset(rows, listing.entries, ROW_OFFSETS)
    targets = [row for row in rows if row.problem == "invalid_ean_format"]
    if offset is None or not targets:
        return None
    listed = _by_row(listing)
    for row in targets:
        entry = listed[row.index + offset]
        if (entry.get("error"), entry.get("message")) != SEED_FORMAT_MESSAGE or entry.get("ean") != row.ean:
            raise RowMessageMismatch(
                received=f"row {entry.get('row')}: {entry}",
                expected=f'{{"ean": {row.ean!r}, "error": "validation_error", "message": "Invalid EAN format."}}',
                context=f"import {listing.job_id}",
            )
    return True


@check(rules=["PM-16"], strict=True)
def rows_numbered_like_the_sheet(
    ctx: CheckContext, *, rows: list[ExpectedRow], listing: ErrorListing, first_row: int
) -> bool | None:
    """The fake numbers CSV/XLSX rows as the sheet does (header = 1) and JSON items from 1."""
    if not any(not row.valid for row in rows):
        return None
    offset = row_offset(rows, listing.entries, ROW_OFFSETS)
    if offset != first_row:
        raise ErrorRowsMismatch(
            received=f"row offset {offset}",
            expected=f"the fake's numbering: first data row is {first_row}",
            title="Row numbers differ from the fake's convention",
        )
    return True


@check(rules=["PM-16", "X-114"], strict=True)
def row_messages_from_catalog(ctx: CheckContext, *, rows: list[ExpectedRow], listing: ErrorListing) -> bool | None:
    """Every listed row carries the spec's `x-messages.rows` text for what is wrong with it."""
    offset = row_offset(rows, listing.entries, ROW_OFFSETS)
    if offset is None:
        return None
    catalog, listed = ctx.spec.messages("rows"), _by_row(listing)
    for row in rows:
        if row.valid or row.problem not in catalog:
            continue
        entry = listed[row.index + offset]
        if not template_pattern(catalog[row.problem]).match(str(entry.get("message"))):
            raise RowMessageMismatch(
                received=f"row {entry.get('row')}: {entry.get('message')!r}",
                expected=f"{catalog[row.problem]!r} ({row.problem})",
                context=f"import {listing.job_id}",
            )
    return True
