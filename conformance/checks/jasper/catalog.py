"""Jasper checks of what a list holds after a write (an assignment, an upsert, a delete), the seed's enums, the
"Deleted." message, ping's server time and the 403/429 of the seed's error table (seed 002)."""

from __future__ import annotations

import email.utils
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import httpx

from conformance.bodies import json_body
from conformance.checks import CheckContext
from conformance.checks.failures import CheckFailure
from conformance.checks.jasper import EnvelopeMismatch, NotRefused, ValueNotKept, check, shown, unwrap


class ListingWrong(CheckFailure):
    title = "A list does not hold what the writes before it left"


class OutsideEnum(CheckFailure):
    title = "A value outside the seed's enum"


# Ping's example, "Tue Feb 7 19:05:03 UTC 2017": weekday, month, day, time, zone, year.
PING_TIME = re.compile(r"^[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2} [A-Z]{2,5} \d{4}$")


def items_of(response: httpx.Response, key: str) -> list[Mapping[str, Any]] | None:
    """The items listed under `key` (every group's, for lists grouped by name); None unless a 2xx lists them (a
    GET's 200, or a write answering the list it changed)."""
    value = unwrap(response, [key])
    if isinstance(value, Mapping):  # grouped lists (relations by type name): every group's items
        value = [item for group in value.values() if isinstance(group, list) for item in group]
    if not 200 <= response.status_code < 300 or not isinstance(value, list):
        return None
    return [item for item in value if isinstance(item, Mapping)]


def values_of(response: httpx.Response, key: str, attribute_id: Any) -> list[Mapping[str, Any]] | None:
    """The `values` of one attribute in a brand's or product's attribute list (or single-attribute answer)."""
    value = unwrap(response, [key])
    attributes = [value] if isinstance(value, Mapping) else value
    if response.status_code not in (200, 201) or not isinstance(attributes, list):
        return None
    for attribute in attributes:
        if isinstance(attribute, Mapping) and str(attribute.get("attribute_id")) == str(attribute_id):
            return [v for v in attribute.get("values") or [] if isinstance(v, Mapping)]
    return []


@check(rules=["J-026", "J-029", "J-039", "J-053", "J-054", "J-056", "J-057", "J-110", "J-128", "J-129", "J-134",
              "J-146", "J-147", "J-149", "J-150", "J-151", "J-158", "J-159", "J-160", "J-163"])
def listed_as_written(ctx: CheckContext, *,
                      items: Sequence[Mapping[str, Any]] | None, field: str, value: Any, what: str,
                      listed: bool = True) -> bool:
    """`items` (None: the list could not be read) hold one whose `field` is `value`, or with `listed=False`, none."""
    found = items is not None and any(str(item.get(field)) == str(value) for item in items)
    if items is None or found != listed:
        raise ListingWrong(received="no list in the answer" if items is None else f"{len(items)} items: {items[:4]}",
                           expected=f"{what}: {'an' if listed else 'no'} item with {field}={value!r}")
    return True


@check(rules=["J-012", "J-108", "J-118", "J-121", "J-153", "J-161"])
def items_have_fields(ctx: CheckContext, *, items: Sequence[Any] | None, fields: Sequence[str], what: str) -> bool:
    """Every item of a nested or top-level list has the seed's fields (at least one item listed)."""
    bad = [i for i in items or [] if not isinstance(i, Mapping) or not all(f in i for f in fields)]
    if not items or bad:
        raise EnvelopeMismatch(received=f"{what}: {(bad or items)!r:.400}", expected=f"items with {list(fields)}")
    return True


@check(rules=["J-060", "J-073", "J-102"])
def value_one_of(ctx: CheckContext, *, item: Mapping[str, Any], field: str, allowed: Sequence[Any], what: str) -> bool:
    """Where the seed allows several readings (0 or null for a root, 0/1 or false/true for a boolean)."""
    got = item.get(field, "<absent>") if isinstance(item, Mapping) else "<no item>"
    if not any(got == a and type(got) is type(a) for a in allowed):
        raise ValueNotKept(received=f"{what}: {field}={got!r}", expected=f"{field} one of {list(allowed)!r}")
    return True


@check(rules=["J-018", "J-111"])
def read_only_ignored(ctx: CheckContext, *, item: Mapping[str, Any], field: str, sent: Any, what: str) -> bool:
    """A field the seed marks read only keeps the server's value whatever the write sent."""
    got = item.get(field, "<absent>") if isinstance(item, Mapping) else "<no item>"
    if got in ("<absent>", "<no item>") or got == sent:
        raise ValueNotKept(received=f"{what}: {field}={got!r}", expected=f"the server's own {field}, not {sent!r}",
                           title="A read-only field was written")
    return True


@check(rules=["J-063", "J-086", "J-152", "J-162"])
def upsert_kept_one_row(ctx: CheckContext, *, items: Sequence[Mapping[str, Any]], match: Mapping[str, Any],
                        expected: Mapping[str, Any], what: str) -> bool:
    """After the same create-or-update twice: one row for `match`, holding the second write's values."""
    rows = [i for i in items if isinstance(i, Mapping) and all(str(i.get(k)) == str(v) for k, v in match.items())]
    if len(rows) != 1 or any(str(rows[0].get(k)) != str(v) for k, v in expected.items()):
        raise ListingWrong(received=f"{len(rows)} rows for {dict(match)}: {rows[:3]}",
                           expected=f"one row with {dict(expected)} ({what})",
                           title="A create-or-update made a second row or lost the update")
    return True


@check(rules=["J-084", "J-087", "J-156"])
def deleted_message(ctx: CheckContext, *, response: httpx.Response) -> bool:
    """The seed's delete answer: `{"message": "Deleted."}` (a 204 without a body shows nothing to compare)."""
    body = json_body(response)
    if not (response.status_code == 204 or (response.status_code == 200 and isinstance(body, Mapping)
                                             and body.get("message") == "Deleted.")):
        raise ValueNotKept(received=shown(response), expected='200 {"message": "Deleted."}',
                           title="A delete does not answer the seed's message")
    return True


@check(rules=["J-055", "J-148", "J-155"])
def values_in_enum(ctx: CheckContext, *, values: Collection[Any], allowed: Collection[str], what: str) -> bool:
    outside = sorted({str(v) for v in values if v not in allowed})
    if not values or outside:
        raise OutsideEnum(received=f"{what}: {sorted(map(str, values))[:10]}",
                          expected=f"values from {sorted(allowed)}" + ("" if values else " (none was listed)"))
    return True


@check(rules=["J-002"])
def ping_tells_server_time(ctx: CheckContext, *, response: httpx.Response) -> bool:
    """`{"time": "Tue Feb 7 19:05:03 UTC 2017"}`: one key, a date in the example's format."""
    body = json_body(response)
    stamp = body.get("time") if isinstance(body, Mapping) else None
    if response.status_code != 200 or set(body or {}) != {"time"} or not isinstance(stamp, str) \
            or not PING_TIME.match(stamp) or _parse(stamp) is None:
        raise EnvelopeMismatch(received=shown(response), expected='200 {"time": "Tue Feb 7 19:05:03 UTC 2017"}')
    return True


def _parse(stamp: str) -> Any:
    day, month, number, clock, zone, year = stamp.split()
    try:
        return email.utils.parsedate_to_datetime(f"{day}, {number} {month} {year} {clock} {zone}")
    except (TypeError, ValueError):
        return None


@check(rules=["J-007"])
def read_only_token_forbidden(ctx: CheckContext, *, response: httpx.Response, created: bool) -> bool:
    """A token without write rights: 403 on a write, and nothing written."""
    if response.status_code != 403 or created:
        raise NotRefused(received=shown(response) + (" (and it was created)" if created else ""),
                         expected="403: the API user has no permission to write",
                         title="A write with a read-only token was not forbidden")
    return True


@check(rules=["J-008"])
def rate_limit_answers_429(ctx: CheckContext, *, statuses: Sequence[int], limit: int) -> bool:
    """Past the rate limit in force, the request is refused with 429; within it, it is served."""
    served, refused = statuses[:limit], statuses[limit:]
    if any(s == 429 for s in served) or not refused or any(s != 429 for s in refused):
        raise NotRefused(received=f"statuses {list(statuses)}", expected=f"{limit} served, then 429",
                         title="The rate limit is not answered with 429")
    return True
