"""Jasper products checks of product listings and product sub-resources: the default page, a filter, relations
grouped by type name, tags per version (seed 002, J-091 … J-167)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from conformance.bodies import json_body
from conformance.checks import CheckContext
from conformance.checks.failures import CheckFailure
from conformance.checks.jasper import shown
from conformance.checks.jasper_products import check


class ListingWrong(CheckFailure):
    title = "A product listing is not what the seed describes"


class TagsWrong(CheckFailure):
    title = "A product's tags per version are not what was written"


@check(rules=["J-091", "J-093", "J-096"])
def default_page_size(ctx: CheckContext, *,
                      response: httpx.Response, key: str, per_page: int, limit_in_links: bool = False) -> bool:
    """Without `limit`: per_page is the seed's default, the page holds min(default, total) items, prev is null on
    page 1, and (version list) the links carry limit=<default>."""
    body = json_body(response)
    meta = body.get("meta") if isinstance(body, Mapping) else None
    links = body.get("links") if isinstance(body, Mapping) else None
    items = body.get(key) if isinstance(body, Mapping) else None
    problems = []
    if response.status_code != 200 or not isinstance(meta, Mapping) or not isinstance(items, list):
        problems.append("no meta or list")
    else:
        total = meta.get("total")
        if meta.get("per_page") != per_page:
            problems.append(f"per_page {meta.get('per_page')}")
        if not isinstance(total, int) or len(items) != min(per_page, total):
            problems.append(f"{len(items)} items of total {total}")
        if not isinstance(links, Mapping) or links.get("prev") is not None or "page=1" not in str(links.get("first")):
            problems.append(f"links {links}")
        elif limit_in_links and f"limit={per_page}" not in str(links.get("first")):
            problems.append(f"first link {links.get('first')} without limit={per_page}")
    if problems:
        raise ListingWrong(received=f"{'; '.join(problems)}: {shown(response)}",
                           expected=f"page 1 of {per_page}: per_page {per_page}, min({per_page}, total) items, "
                                    "prev null, first …page=1" + (f" with limit={per_page}" if limit_in_links else ""))
    return True


@check(rules=["J-097"])
def filtered_to(ctx: CheckContext, *, items: Sequence[Mapping[str, Any]] | None, field: str, value: Any) -> bool:
    if items is None or len(items) != 1 or any(item.get(field) != value for item in items):
        raise ListingWrong(received=f"{items!r:.400}", expected=f"exactly the product with {field}={value!r}")
    return True


@check(rules=["J-157", "J-158"])
def grouped_by_type(ctx: CheckContext, *, response: httpx.Response, only: bool, related: Any) -> bool:
    """`{"product_relations": {"<group>": [products]}}`: some group holds the related product; with `only` (the
    list filtered to one type) there is one group. What names a group is open (X-50): grouped_under_type_name."""
    body = json_body(response)
    groups = body.get("product_relations") if isinstance(body, Mapping) else None
    ok = isinstance(groups, Mapping) and all(isinstance(g, list) for g in groups.values()) \
        and (not only or len(groups) == 1) \
        and any(isinstance(p, Mapping) and p.get("id") == related for g in groups.values() for p in g)
    if not ok:
        raise ListingWrong(received=shown(response), expected=f"product_relations: {{group: [products]}}"
                           f"{', one group' if only else ''}, holding product {related}",
                           title="Relations are not grouped by relation type")
    return True


@check(rules=["J-157", "X-50"], strict=True)
def grouped_under_type_name(ctx: CheckContext, *, response: httpx.Response, name: str) -> bool:
    """The fake keys each group by its relation type's name (the seed's key matches no type, X-50)."""
    body = json_body(response)
    groups = body.get("product_relations") if isinstance(body, Mapping) else None
    if not isinstance(groups, Mapping) or name not in groups:
        raise ListingWrong(received=shown(response), expected=f"a group keyed {name!r}",
                           title="Relations are not keyed by their type's name")
    return True


@check(rules=["J-164", "J-165", "J-166", "J-167"])
def tags_shown(ctx: CheckContext, *, response: httpx.Response, product_id: Any, versions: Mapping[str, Sequence[str]],
               only: bool) -> bool:
    """`{"product_id": P, "<version>": [tags]}`: each version's tags as written (in any order); with `only`,
    no other version is there."""
    body = json_body(response)
    ok = (200 <= response.status_code < 300 and isinstance(body, Mapping) and body.get("product_id") == product_id
          and all(sorted(body.get(v) or []) == sorted(tags) for v, tags in versions.items())
          and (not only or set(body) == {"product_id", *versions}))
    if not ok:
        wanted = ", ".join(f"{v!r}: {list(t)}" for v, t in versions.items())
        raise TagsWrong(received=shown(response),
                        expected=f"{{'product_id': {product_id}, {wanted}{'' if only else ', …'}}}")
    return True
