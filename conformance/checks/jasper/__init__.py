"""Jasper's behaviour checks (seed 002), registered in `REGISTRIES["jasper"]`.

Each asserts what seed 002 states, so it holds of any Jasper server; where the seed is silent (the error body,
the 2xx of a write, a page past the end, which id a nested DELETE takes) the checks accept every plausible
answer (DECISIONS.md, ## Jasper).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from conformance.bodies import json_body
from conformance.checks import CheckContext
from conformance.checks import check as _check
from conformance.checks.failures import CheckFailure, ResponseMismatch
from conformance.checks.listing import Walk, walk_problems

API = "jasper"
check = functools.partial(_check, api=API)
VOCABULARY = {200, 201, 202, 204, 400, 401, 403, 404, 418, 429, 500, 503}  # J-003 (204: no-body 2xx)


class EnvelopeMismatch(ResponseMismatch):
    title = "The response envelope is not the seed's"


class ValueNotKept(ResponseMismatch):
    title = "A write did not read back"


class StillReadable(ResponseMismatch):
    title = "A deleted resource is still readable"


class NotRefused(ResponseMismatch):
    title = "Invalid input was not refused"


class VersionLeak(CheckFailure):
    title = "A write to one version changed another"


class PagingBroken(CheckFailure):
    title = "Pagination does not cover every item exactly once, or meta/links disagree"


class ReferenceKept(CheckFailure):
    title = "A deleted resource is still referenced"


def shown(response: httpx.Response) -> str:
    sent = (response.request.content or b"")[:200].decode("utf-8", "replace")
    return f"{response.request.method} {response.request.url} {sent} -> {response.status_code} {response.text[:300]}"


def unwrap(response: httpx.Response, keys: Sequence[str]) -> Any:
    """The value under the first of `keys` present in the body, or None."""
    body = json_body(response)
    if not isinstance(body, Mapping):
        return None
    for key in keys:
        if key in body:
            return body[key]
    return None


@check(rules=["J-003", "J-004", "J-020"])
def write_accepted(ctx: CheckContext, *, response: httpx.Response, what: str) -> bool:
    if not 200 <= response.status_code < 300:
        raise ValueNotKept(received=shown(response), expected=f"a 2xx for {what}")
    return True


@check(rules=["J-011", "J-014", "J-025", "J-027", "J-034", "J-035", "J-038", "J-041", "J-044", "J-046", "J-050",
              "J-051", "J-052", "J-058", "J-062", "J-065", "J-066", "J-071", "J-075", "J-079", "J-081", "J-083",
              "J-085", "J-088", "J-089", "J-090", "J-102", "J-140", "J-142", "J-143", "J-144", "J-145", "J-146",
              "J-154", "J-161"])
def envelope_holds(ctx: CheckContext, *, response: httpx.Response, keys: Sequence[str], fields: Sequence[str] = (),
                   many: bool = False) -> bool:
    """The body wraps the resource (or a list of them) under the seed's key, with the seed's fields."""
    value = unwrap(response, keys)
    items = value if many else [value]
    if not 200 <= response.status_code < 300 or (many and not isinstance(value, list)) or not all(
            isinstance(item, Mapping) and all(f in item for f in fields) for item in items):
        raise EnvelopeMismatch(received=shown(response),
                               expected=f"200 {{{' | '.join(keys)}: {'[' if many else ''}{{{', '.join(fields)}}}"
                                        f"{']' if many else ''}}}")
    return True


@check(rules=["J-009", "J-020", "J-021", "J-030", "J-037", "J-041", "J-044", "J-045", "J-047", "J-049", "J-061",
              "J-072", "J-074", "J-077", "J-078", "J-079", "J-082", "J-090", "J-102", "J-104", "J-108", "J-112",
              "J-119", "J-120", "J-134", "J-141", "J-156", "J-177", "J-180"])
def reads_back(ctx: CheckContext, *,
               response: httpx.Response, keys: Sequence[str], expected: Mapping[str, Any]) -> bool:
    item = unwrap(response, keys)
    if isinstance(item, list) and len(item) == 1:
        item = item[0]
    wrong = {k: (item.get(k) if isinstance(item, Mapping) else None, v) for k, v in expected.items()
             if not isinstance(item, Mapping) or not _same(item.get(k), v)}
    if not 200 <= response.status_code < 300 or wrong:  # a GET's 200, or a write's 2xx echoing what it stored
        raise ValueNotKept(received=shown(response), expected=f"2xx with {json.dumps(expected)}",
                           context=f"differs (got, want): {wrong}")
    return True


def _same(got: Any, want: Any) -> bool:
    if isinstance(want, bool) or isinstance(got, bool):  # 1/0 and true/false are the same boolean
        return got in (0, 1, True, False) and bool(got) == bool(want)
    return bool(got == want)


@check(rules=["J-005", "J-023", "J-032", "J-037", "J-048", "J-074", "J-078", "J-080", "J-104", "J-114", "J-120",
              "J-141", "J-156"])
def gone_after_delete(ctx: CheckContext, *, response: httpx.Response) -> bool:
    if response.status_code != 404:
        raise StillReadable(received=shown(response), expected="404 after the DELETE")
    return True


@check(rules=["J-003", "J-005", "J-006", "J-007", "J-016", "J-017", "J-019", "J-033", "J-036", "J-042", "J-043",
              "J-059", "J-064", "J-076", "J-155"])
def refused(ctx: CheckContext, *, response: httpx.Response, why: str, statuses: Sequence[int] = (400, 404)) -> bool:
    if response.status_code not in statuses:
        raise NotRefused(received=shown(response), expected=f"one of {list(statuses)}: {why}")
    return True


@check(rules=["J-003"])
def status_in_vocabulary(ctx: CheckContext, *, responses: Sequence[httpx.Response]) -> bool:
    outside = [shown(r) for r in responses if r.status_code not in VOCABULARY]
    if outside:
        raise NotRefused(received="; ".join(outside[:3]), expected=f"statuses from {sorted(VOCABULARY)}",
                         title="A status outside the seed's error code table")
    return True


@check(rules=["J-010", "J-013", "J-015", "J-022", "J-024", "J-026", "J-028", "J-031"])
def version_isolated(ctx: CheckContext, *,
                     master: httpx.Response, version: httpx.Response, keys: Sequence[str], field: str,
                     master_value: Any, version_value: Any) -> bool:
    got_master, got_version = unwrap(master, keys), unwrap(version, keys)
    got_m = got_master.get(field) if isinstance(got_master, Mapping) else None
    got_v = got_version.get(field) if isinstance(got_version, Mapping) else None
    if (got_m, got_v) != (master_value, version_value):
        raise VersionLeak(received=f"master {field}={got_m!r}, version {field}={got_v!r}",
                          expected=f"master {master_value!r}, version {version_value!r}",
                          context=f"{shown(master)}\n{shown(version)}")
    return True


@check(rules=["J-068", "J-069", "J-070", "J-075", "J-092", "J-093", "J-094", "J-096", "J-101"])
def pages_cover_every_item_once(ctx: CheckContext, *, pages: Sequence[Mapping], key: str, expected_ids: set[int],
                                complete: bool = True) -> bool:
    """Walking `next` from page 1 lists every item once; links and meta agree with per_page (J-069, J-094).
    `complete` False: the walk stopped at its page bound, so only what it read is judged (no item may be missing
    from pages it did not read)."""
    for number, body in enumerate(pages, start=1):
        meta, links, items = body.get("meta", {}), body.get("links", {}), body.get(key, [])
        per_page, total = meta.get("per_page"), meta.get("total")
        problems = []
        if meta.get("current_page") != number:
            problems.append(f"current_page {meta.get('current_page')} on page {number}")
        if not isinstance(per_page, int) or not isinstance(total, int) or per_page < 1:
            problems.append("per_page/total missing")
        else:
            last = max(1, -(-total // per_page))
            if meta.get("last_page") != last:
                problems.append(f"last_page {meta.get('last_page')} != ceil({total}/{per_page})")
            if len(items) != max(0, min(per_page, total - (number - 1) * per_page)):
                problems.append(f"{len(items)} items on page {number}")
            if items and (meta.get("from"), meta.get("to")) != ((number - 1) * per_page + 1,
                                                               (number - 1) * per_page + len(items)):
                problems.append(f"from/to {meta.get('from')}/{meta.get('to')}")
            if (links.get("next") is None) != (number >= last) or (links.get("prev") is None) != (number == 1):
                problems.append(f"prev/next {links.get('prev')}/{links.get('next')} on page {number} of {last}")
        if problems:
            raise PagingBroken(received="; ".join(problems), expected="Laravel's paginator arithmetic (J-069)")
    walk = Walk(pages=list(pages), items=[i for body in pages for i in body.get(key, []) if isinstance(i, Mapping)],
                complete=complete)
    problems = walk_problems(walk, key=lambda item: item.get("id"), expected=expected_ids)
    if problems:
        raise PagingBroken(received="; ".join(problems),
                           expected=f"each of {len(expected_ids)} items exactly once across {len(pages)} pages")
    return True


@check(rules=["J-023", "J-037", "J-038", "J-040"])
def reference_removed(ctx: CheckContext, *, response: httpx.Response, key: str, field: str, gone: int) -> bool:
    items = unwrap(response, [key])
    if response.status_code != 200 or not isinstance(items, list) or any(
            isinstance(i, Mapping) and i.get(field) == gone for i in items):
        raise ReferenceKept(received=shown(response), expected=f"no {key} item with {field} {gone}")
    return True


@check(rules=["J-070"])
def past_the_end_is_empty(ctx: CheckContext, *, response: httpx.Response, key: str) -> bool:
    """A page past the last: an empty page, or 404 (the seed does not say which, JS-D08)."""
    items = unwrap(response, [key])
    if not (response.status_code == 404 or (response.status_code == 200 and items == [])):
        raise PagingBroken(received=shown(response), expected=f"200 with {key}: [] or 404")
    return True


@check(rules=["J-001"])
def auth_required(ctx: CheckContext, *, response: httpx.Response) -> bool:
    if response.status_code != 401:
        raise NotRefused(received=shown(response), expected="401 without a valid Bearer token",
                         title="A request without a valid token was served")
    return True
