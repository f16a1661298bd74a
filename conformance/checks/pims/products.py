"""Products written and read back: edits, history, soft delete and restore, pagination, Views."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from conformance.checks import CheckContext
from conformance.checks.listing import Walk, walk_problems
from conformance.checks.pims import answered, attributes_of, body_of, check, is_ok, sent, skus_of
from conformance.checks.pims.failures import (
    HistoryMismatch,
    ListingMismatch,
    ProductStateMismatch,
    ViewMismatch,
    WriteRefused,
)


@check(rules=["PI-29", "PI-33", "PI-44", "PI-49"])
def write_accepted(ctx: CheckContext, *, response: httpx.Response, sku: str) -> bool:
    """A valid create or edit answers status "OK" with the product's attributes."""
    if not is_ok(response) or attributes_of(response).get("sku") != sku:
        raise WriteRefused(
            received=answered(response), expected=f'status "OK" and data.attributes.sku {sku!r}', context=sent(response)
        )
    return True


@check(rules=["PI-05", "PI-29", "PI-31", "PI-35", "PI-40", "PI-41", "PI-50"])
def product_shows_values(ctx: CheckContext, *, response: httpx.Response, values: Mapping[str, Any]) -> bool:
    """listProduct shows the values last written (as strings)."""
    shown = attributes_of(response)
    wrong = {name: shown.get(name) for name, value in values.items() if shown.get(name) != value}
    if not is_ok(response) or wrong:
        raise ProductStateMismatch(
            received=f"{wrong or answered(response)}", expected=dict(values), context=sent(response)
        )
    return True


@check(rules=["PI-46", "PI-47"])
def history_shows_change(
    ctx: CheckContext, *, response: httpx.Response, attribute: str, old: str, new: str, before: int
) -> bool:
    """historyProduct lists the edit as an entry with `old` and `new` values; total_count grew by one."""
    body = body_of(response)
    entries = body.get("history") if isinstance(body, Mapping) else None
    if not is_ok(response) or not isinstance(entries, list):
        raise HistoryMismatch(
            received=answered(response), expected='status "OK" and a history list', context=sent(response)
        )
    found = [
        e
        for e in entries
        if isinstance(e, Mapping)
        and isinstance(e.get("new"), Mapping)
        and isinstance(e.get("old"), Mapping)
        and e["new"].get(attribute) == new
        and e["old"].get(attribute) == old
    ]
    total = body.get("total_count")
    if not found or total != before + 1:
        raise HistoryMismatch(
            received=f"total_count {total!r}, entries {str(entries)[:400]}",
            expected=f"an entry with old {{{attribute!r}: {old!r}}} and new {{{attribute!r}: {new!r}}}; "
            f"total_count {before + 1}",
            context=sent(response),
        )
    return True


@check(rules=["PI-20", "PI-35", "PI-36"])
def listed_as_expected(ctx: CheckContext, *, response: httpx.Response, sku: str, listed: bool, why: str) -> bool:
    """getList shows the product, or hides it, as its status and the deleted flag say."""
    present = sku in skus_of(response)
    if not is_ok(response) or present != listed:
        raise ProductStateMismatch(
            received=f"{sku} {'listed' if present else 'not listed'}: {answered(response)}",
            expected=f"{sku} {'listed' if listed else 'not listed'} ({why})",
            context=sent(response),
        )
    return True


@check(rules=["PI-12", "PI-14", "X-82"])
def pages_cover_every_product_once(
    ctx: CheckContext, *, pages: Sequence[httpx.Response], expected: Sequence[str], limit: int
) -> bool:
    """Reading page 1, 2, … with `limit` lists each matching product exactly once, no page larger than limit."""
    seen: list[Any] = []
    for page in pages:
        if not is_ok(page):
            raise ListingMismatch(received=answered(page), expected='status "OK"', context=sent(page))
        skus = skus_of(page)
        if len(skus) > limit:
            raise ListingMismatch(received=f"{len(skus)} products", expected=f"at most {limit}", context=sent(page))
        seen += skus
    walk = Walk(pages=list(pages), items=seen, complete=True)
    problems = walk_problems(walk, key=str, expected=set(map(str, expected)))
    extra = sorted(str(s) for s in set(seen) - set(expected))
    if problems or extra:
        raise ListingMismatch(
            received=f"{'; '.join(problems)}{'; ' if problems else ''}unexpected {extra} over {len(pages)} pages",
            expected=f"each of {sorted(expected)} once",
        )
    return True


@check(rules=["PI-11", "X-82"])
def sku_count_consistent(ctx: CheckContext, *, response: httpx.Response, total: int) -> bool:
    """sku_count is the number of products found: all matches (the fake, X-82) or those on the page."""
    body = body_of(response)
    count = body.get("sku_count") if isinstance(body, Mapping) else None
    allowed = {total} if ctx.strict else {total, len(skus_of(response))}
    if count not in allowed:
        raise ListingMismatch(
            received=f"sku_count {count!r}", expected=f"one of {sorted(allowed)}", context=sent(response)
        )
    return True


@check(rules=["PI-42", "PI-43"])
def view_applied(
    ctx: CheckContext,
    *,
    response: httpx.Response,
    view: str,
    names: Mapping[str, str],
    values: Mapping[str, Any],
) -> bool:
    """Under a View, data.attributes holds only the View's names (`names`: attribute -> name in the View),
    each with the attribute's value (`values`, read without the View)."""
    shown = attributes_of(response)
    allowed = set(names.values())
    if "variation_skus" in names:  # the read-only matrix goes with the variation SKUs (PI-39, PIMS-D06)
        allowed.add("variation_matrix")
    extra = sorted(set(shown) - allowed)
    wrong = {
        name: shown.get(name)
        for attribute, name in names.items()
        if attribute in values and attribute != "variation_matrix" and shown.get(name) != values[attribute]
    }
    if not is_ok(response) or extra or wrong:
        raise ViewMismatch(
            received=f"attributes {sorted(shown)}; differing {wrong}" if shown else answered(response),
            expected=f"View {view!r}: only {sorted(allowed)}, with the values read without a View",
            context=sent(response),
        )
    return True
