"""Variation bookkeeping: the parent's variation_skus and variation_matrix follow its variations (PI-38,
PI-39, X-71).

CheckFailure
└── VariationMismatch   a parent's variation_skus or variation_matrix does not name its family
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from conformance.checks import CheckContext
from conformance.checks.failures import CheckFailure
from conformance.checks.pims import answered, attributes_of, check, is_ok, sent


class VariationMismatch(CheckFailure):
    title = "variation_skus or variation_matrix does not follow the variations"


def flat_skus(value: Any) -> list[Any] | None:
    """variation_skus as a flat list: the fake's flat list or the seed example's nested one (X-71)."""
    if not isinstance(value, list):
        return None
    flat: list[Any] = []
    for item in value:
        flat += item if isinstance(item, list) else [item]
    return flat


@check(rules=["PI-38", "X-71"])
def variation_skus_listed(ctx: CheckContext, *, response: httpx.Response, parent: str, expected: Sequence[str]) -> bool:
    """listProduct of a parent: variation_skus (flat or nested, X-71) names exactly its variations, once each."""
    shown = attributes_of(response).get("variation_skus")
    flat = flat_skus(shown)
    if not is_ok(response) or flat is None or len(flat) != len(set(map(str, flat))) or set(flat) != set(expected):
        raise VariationMismatch(
            received=f"variation_skus {shown!r}" if is_ok(response) else answered(response),
            expected=f"{parent}: variation_skus {sorted(expected)} (any order, flat or nested)",
            context=sent(response),
        )
    return True


@check(rules=["PI-39"])
def variation_matrix_covers_family(
    ctx: CheckContext, *, response: httpx.Response, parent: str, family: Sequence[str]
) -> bool:
    """variation_matrix has one entry per member of the family (every variation and the parent), no other."""
    matrix = attributes_of(response).get("variation_matrix")
    if not is_ok(response) or not isinstance(matrix, Mapping) or set(matrix) != set(family):
        raise VariationMismatch(
            received=f"variation_matrix {matrix!r}" if is_ok(response) else answered(response),
            expected=f"{parent}: variation_matrix with the keys {sorted(family)}",
            context=sent(response),
        )
    return True
