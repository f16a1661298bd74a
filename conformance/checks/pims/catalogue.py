"""PIMS checks of the attribute dictionary and what a write may store: the definition's shape per attribute, values
outside an attribute's type or dictionary, unknown attribute names, getList's limit bounds and a filter on a
non-filterable attribute, and history paged 24 at a time (seed 001).

CheckFailure
├── DefinitionIncomplete   a definition entry lacks a documented key, or its label is not keyed by the locale
├── InvalidValueStored     a value the seed rules out was stored (neither refused nor dropped)
└── ListingNotBounded      getList's limit or a non-filterable condition was taken as if valid
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from conformance.checks import CheckContext
from conformance.checks.failures import CheckFailure
from conformance.checks.pims import answered, attributes_of, body_of, check, is_error, is_ok, sent, skus_of

ENTRY_KEYS = ("label", "comment", "type", "collection", "isUnique", "validation", "isSearchable", "isIndexable",
              "isFilterable", "group")  # PI-34
DICTIONARY_KEYS = ("visible", "sortingMethod", "columns", "validation", "sorting", "unique", "data")  # PI-34
HISTORY_PAGE = 24  # PI-45


class DefinitionIncomplete(CheckFailure):
    title = "The attribute definition is not the seed's shape"


class InvalidValueStored(CheckFailure):
    title = "A value the seed rules out was stored"


class ListingNotBounded(CheckFailure):
    title = "getList took a parameter the seed rules out"


def definition_of(response: httpx.Response) -> Mapping[str, Any]:
    """The `definition` section: at the top (ProductList) or under `data` beside `attributes` (the Product shape
    as the fake reads the seed's schema; a vendor may put it at the top there too)."""
    body = body_of(response)
    for holder in (body, body.get("data") if isinstance(body, Mapping) else None):
        definition = holder.get("definition") if isinstance(holder, Mapping) else None
        if isinstance(definition, Mapping):
            return definition
    return {}


@check(rules=["PI-02", "PI-34"])
def definition_complete(ctx: CheckContext, *, response: httpx.Response, locale: str) -> bool:
    """Every definition entry has the documented keys, its label and comment keyed by the URL's locale, and a
    dropdown its dictionary."""
    definition = definition_of(response)
    problems = []
    for name, entry in definition.items():
        if not isinstance(entry, Mapping):
            problems.append(f"{name}: not an object")
            continue
        missing = [k for k in ENTRY_KEYS if k not in entry]
        missing += [f"{k}.{locale}" for k in ("label", "comment") if not isinstance(entry.get(k), Mapping)
                    or locale not in entry[k]]
        if entry.get("type") == "dropdown":
            dictionary = entry.get("dictionary")
            missing += [f"dictionary.{k}" for k in DICTIONARY_KEYS if not isinstance(dictionary, Mapping)
                        or k not in dictionary]
        if missing:
            problems.append(f"{name}: no {', '.join(missing)}")
    if not is_ok(response) or not definition or problems:
        raise DefinitionIncomplete(received="; ".join(problems[:5]) or answered(response),
                                   expected=f"each entry with {', '.join(ENTRY_KEYS)}; label/comment keyed "
                                            f"{locale!r}; dropdowns with a dictionary", context=sent(response))
    return True


@check(rules=["PI-31", "PI-32", "PI-37"])
def refused_or_not_stored(ctx: CheckContext, *, write: httpx.Response, after: httpx.Response, attribute: str,
                          value: Any, why: str) -> bool:
    """A value the seed rules out is refused with an error, or not stored (the seed allows either)."""
    if not is_error(write) and attributes_of(after).get(attribute) == value:
        stored = attributes_of(after).get(attribute)
        raise InvalidValueStored(received=f"{answered(write)}; then {attribute}={stored!r}",
                                 expected=f'status "Error", or {attribute} not set to {value!r} ({why})',
                                 context=sent(write))
    return True


@check(rules=["PI-30"])
def unknown_attribute_ignored(ctx: CheckContext, *, write: httpx.Response, after: httpx.Response, name: str) -> bool:
    """An attribute name the system does not have is ignored: the write succeeds and the name is not stored."""
    if not is_ok(write) or name in attributes_of(after) or name in attributes_of(write):
        raise InvalidValueStored(received=f"{answered(write)}; then {sorted(attributes_of(after))}",
                                 expected=f'status "OK" and no attribute {name!r}', context=sent(write),
                                 title="An unknown attribute name was not ignored")
    return True


@check(rules=["PI-13"])
def limit_in_range(ctx: CheckContext, *, response: httpx.Response, limit: int) -> bool:
    """limit 1..500 is served (at most `limit` products); outside, an error or a page clamped into 1..500."""
    count = len(skus_of(response))
    ok = is_ok(response) and count <= limit if 1 <= limit <= 500 else is_error(response) or (
        is_ok(response) and count <= 500)
    if not ok:
        raise ListingNotBounded(received=f"{count} products: {answered(response)}",
                                expected=f"limit {limit}: " + ("served, at most that many" if 1 <= limit <= 500 else
                                                               'status "Error", or at most 500 products'),
                                context=sent(response))
    return True


@check(rules=["PI-25"])
def not_filterable_refused(ctx: CheckContext, *, response: httpx.Response, attribute: str) -> bool:
    if not is_error(response):
        raise ListingNotBounded(received=answered(response), expected=f'status "Error": {attribute} is not '
                                "isFilterable", context=sent(response))
    return True


@check(rules=["PI-01"])
def one_post_endpoint(ctx: CheckContext, *, get: httpx.Response, post: httpx.Response) -> bool:
    """The action goes in a POSTed JSON body: a GET on the path is not served, POST {"action": "getList"} is."""
    if get.status_code == 200 and is_ok(get) or not is_ok(post):
        raise ListingNotBounded(received=f"GET: {answered(get)}; POST getList: {answered(post)}",
                                expected='GET not served (not 200 "OK"); POST getList 200 status "OK"',
                                title="The endpoint is not a single POST endpoint", context=sent(post))
    return True


@check(rules=["PI-07", "PI-11"])
def product_list_shape(ctx: CheckContext, *, response: httpx.Response, skus: list[str]) -> bool:
    """listProductsBySku: {"products": [{"data": {"attributes"}, "sku"}…], "definition", "status": "OK", "sku_count"}
    with the products found (an unknown SKU left out, X-82)."""
    body = body_of(response)
    items = body.get("products") if isinstance(body, Mapping) else None
    ok = is_ok(response) and isinstance(items, list) and bool(definition_of(response)) \
        and sorted(str(i.get("sku")) for i in items if isinstance(i, Mapping)) == sorted(skus) \
        and all(isinstance((i.get("data") or {}).get("attributes"), Mapping) for i in items) \
        and body.get("sku_count") == len(skus)
    if not ok:
        raise DefinitionIncomplete(received=answered(response), expected=f'status "OK", products {sorted(skus)} '
                                   f"with data.attributes, a definition, sku_count {len(skus)}", context=sent(response),
                                   title="listProductsBySku is not the ProductList shape")
    return True


@check(rules=["PI-45"])
def history_pages_of_24(ctx: CheckContext, *, first: httpx.Response, second: httpx.Response, edits: int) -> bool:
    """Without pagination, history shows 24 entries; page 2 the rest; total_count counts every transaction."""
    def entries(response: httpx.Response) -> list | None:
        body = body_of(response)
        found = body.get("history") if isinstance(body, Mapping) else None
        return found if is_ok(response) and isinstance(found, list) else None

    body = body_of(first)
    total = body.get("total_count") if isinstance(body, Mapping) else None
    one, two = entries(first), entries(second)
    if one is None or two is None or not isinstance(total, int) or total < edits or len(one) != HISTORY_PAGE \
            or len(two) != min(HISTORY_PAGE, total - HISTORY_PAGE):
        raise InvalidValueStored(received=f"total_count {total!r}; page 1 {None if one is None else len(one)}, "
                                          f"page 2 {None if two is None else len(two)} entries",
                                 expected=f"total_count >= {edits}; {HISTORY_PAGE} entries, then the rest",
                                 context=sent(second), title="History is not paged 24 at a time")
    return True
