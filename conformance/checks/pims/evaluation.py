"""getList evaluated against what the scenario wrote: condition_query, filter_values and order select and
sort exactly the products a reference evaluation in Python gives (PI-16, PI-22, PI-23, PI-24).

CheckFailure
├── SelectionMismatch   getList's products differ (as a set) from the reference evaluation's
└── OrderMismatch       getList's products are not in the order asked for (ties in any order)
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import httpx

from conformance.checks import CheckContext
from conformance.checks.failures import CheckFailure
from conformance.checks.pims import answered, check, is_ok, sent, skus_of


class SelectionMismatch(CheckFailure):
    title = "getList selects other products than the query says"


class OrderMismatch(CheckFailure):
    title = "getList does not sort as the order says"


@check(rules=["PI-17", "PI-18", "PI-19", "PI-21", "PI-22", "PI-23", "PI-24"])
def selection_matches_reference(
    ctx: CheckContext, *, response: httpx.Response, expected: Collection[str], query: str
) -> bool:
    """getList lists exactly the products (of this run) that the query selects, each once."""
    skus = skus_of(response)
    if not is_ok(response) or len(skus) != len(set(map(str, skus))) or set(skus) != set(expected):
        raise SelectionMismatch(
            received=(
                f"missing {sorted(set(expected) - set(skus))}, unexpected {sorted(map(str, set(skus) - set(expected)))}"
                f", listed {skus}"
                if is_ok(response)
                else answered(response)
            ),
            expected=f"{query}: exactly {sorted(expected)}",
            context=sent(response),
        )
    return True


@check(rules=["PI-15", "PI-16"])
def order_matches_reference(
    ctx: CheckContext, *, response: httpx.Response, groups: Sequence[Collection[str]], order: str
) -> bool:
    """getList lists the products in the order asked for: `groups` in sequence, products with equal sort
    values (one group) in any order among themselves."""
    skus = skus_of(response)
    chunks, start = [], 0
    for group in groups:
        chunks.append(skus[start : start + len(group)])
        start += len(group)
    if not is_ok(response) or len(skus) != start or any(set(c) != set(g) for c, g in zip(chunks, groups, strict=True)):
        raise OrderMismatch(
            received=f"listed {skus}" if is_ok(response) else answered(response),
            expected=f"{order}: {' < '.join('{' + ', '.join(sorted(g)) + '}' for g in groups)}",
            context=sent(response),
        )
    return True
