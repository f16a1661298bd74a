"""Jasper's product behaviour checks (seed 002: products, barcodes, prices, webhooks, exports), in
`REGISTRIES["jasper"]` beside the catalog's. Each asserts what the seed states; where it is silent (which flag
"unpublished" sets, the key a `with=` relation is embedded under, the signature header's name) the checks accept
every plausible answer (DECISIONS.md, ## Jasper products, webhooks and exports).
Names are distinct from the catalog's checks.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from conformance.bodies import json_body, numbers_first
from conformance.checks import CheckContext
from conformance.checks import check as _check
from conformance.checks.failures import CheckFailure, ResponseMismatch
from conformance.checks.jasper import shown

API = "jasper"
check = functools.partial(_check, api=API)


class ProductWriteFailed(ResponseMismatch):
    title = "A valid product write was not accepted"


class InvalidAccepted(ResponseMismatch):
    title = "Invalid input was accepted"


class VariantMismatch(CheckFailure):
    title = "A parent's children or a removed child are not as the seed says"


class RelationNotEmbedded(CheckFailure):
    title = "A with= relation does not embed exactly what it names"


class BarcodesMismatch(CheckFailure):
    title = "A product's barcodes after an upsert are not the seed's"


class VersionLeaked(CheckFailure):
    title = "A write to one product version changed another"


class PriceActivityWrong(CheckFailure):
    title = "The active prices are not those whose from/to include now"


class DeliveryMissing(CheckFailure):
    title = "A webhook delivery did not arrive as the seed says"


class SignatureInvalid(CheckFailure):
    title = "A webhook delivery is not signed with the webhook's signing_secret"


class RetriesWrong(CheckFailure):
    title = "Failed deliveries are not retried as the webhook's policy says"


class ExportWrong(CheckFailure):
    title = "An export does not finish or its file does not download"


def relation_keys(name: str) -> tuple[str, ...]:
    """A with= name's plausible response keys: as written, or with `_` for `-` (JS2-D04)."""
    return tuple(dict.fromkeys((name, name.replace("-", "_"))))


@check(rules=["J-003", "J-004", "J-105", "J-127"])
def change_accepted(ctx: CheckContext, *, response: httpx.Response, what: str) -> bool:
    if not 200 <= response.status_code < 300:
        raise ProductWriteFailed(received=shown(response), expected=f"a 2xx for {what}")
    return True


@check(rules=["J-003", "J-006", "J-067", "J-098", "J-099", "J-106", "J-107", "J-117", "J-122", "J-123", "J-124",
              "J-125", "J-126", "J-128", "J-132", "J-133", "J-134", "J-136", "J-137", "J-138", "J-139", "J-171",
              "J-172", "J-173", "J-174", "J-175", "J-177", "J-181"])
def invalid_refused(ctx: CheckContext, *, response: httpx.Response, why: str, statuses: Sequence[int] = (400,)) -> bool:
    """Invalid input is refused with a client error of the seed's vocabulary (400, or 404 where named)."""
    if response.status_code not in statuses:
        raise InvalidAccepted(received=shown(response), expected=f"{' or '.join(map(str, statuses))}: {why}")
    return True


@check(rules=["J-109"])
def children_listed(ctx: CheckContext, *, parent: Mapping, expected: Sequence[int]) -> bool:
    got = sorted((c.get("id") for c in parent.get("children") or [] if isinstance(c, Mapping)), key=numbers_first)
    if got != sorted(expected):
        raise VariantMismatch(received=f"children ids {got}", expected=f"children ids {sorted(expected)}")
    return True


@check(rules=["J-098"])
def type_filter_applied(ctx: CheckContext, *,
                        parents_only: Sequence[int], all_types: Sequence[int], child: int) -> bool:
    if child in parents_only or child not in all_types:
        raise VariantMismatch(received=f"type=parents ids {list(parents_only)}, type=all ids {list(all_types)}",
                              expected=f"child {child} only with type=all")
    return True


@check(rules=["J-116", "X-60"])
def removed_child_unpublished(ctx: CheckContext, *, child: Mapping, parent: Mapping) -> bool:
    """After remove-from-parent: the child has no parent and is unpublished (enabled or is_visible 0: X-60); the
    parent no longer lists it."""
    listed = [c.get("id") for c in parent.get("children") or [] if isinstance(c, Mapping)]
    unpublished = child.get("enabled") in (0, False) or child.get("is_visible") in (0, False)
    if child.get("parent_id") not in (None, 0) or not unpublished or child.get("id") in listed:
        raise VariantMismatch(
            received=f"child parent_id {child.get('parent_id')}, enabled {child.get('enabled')}, is_visible "
                     f"{child.get('is_visible')}; parent's children {listed}",
            expected="parent_id null, enabled or is_visible 0, and not among the parent's children")
    return True


@check(rules=["J-100", "J-095"])
def relation_embedded(ctx: CheckContext, *, plain: Mapping, item: Mapping, name: str, contains: Any = None,
                      field: str = "id") -> bool:
    """with=<name> adds the relation's key (and the version list without with= has none); the embedded list holds
    what the relation names (`contains`: a value of `field` in one of its items, or a plain value)."""
    keys = relation_keys(name)
    present = [k for k in keys if k in item]
    if any(k in plain for k in keys) or not present:
        raise RelationNotEmbedded(received=f"keys without with=: {sorted(plain)}; with with={name}: {sorted(item)}",
                                  expected=f"{' or '.join(keys)} only with with={name}")
    value = item[present[0]]
    if contains is not None:
        found = isinstance(value, list) and any(
            (v.get(field) if isinstance(v, Mapping) else v) == contains for v in value)
        if not found:
            raise RelationNotEmbedded(received=f"{present[0]}: {json.dumps(value)[:300]}",
                                      expected=f"an item with {field} {contains!r}" if field else repr(contains))
    return True


@check(rules=["J-130", "J-131", "X-42"])
def barcodes_after_upsert(ctx: CheckContext, *,
                          response: httpx.Response, listed: httpx.Response, expected: Sequence[tuple],
                          kept_ids: Sequence[int] = ()) -> bool:
    """The product's barcodes after an upsert are exactly `expected` (type, digits); `kept_ids` kept their id."""
    rows = (json_body(listed) or {}).get("barcodes") if isinstance(json_body(listed), Mapping) else None
    got = sorted((b.get("type"), b.get("barcode")) for b in rows or [] if isinstance(b, Mapping))
    ids = {b.get("id") for b in rows or [] if isinstance(b, Mapping)}
    if not 200 <= response.status_code < 300 or got != sorted(expected) or not set(kept_ids) <= ids:
        raise BarcodesMismatch(received=f"{shown(response)}; then barcodes {got} ids {sorted(ids, key=str)}",
                               expected=f"barcodes {sorted(expected)} keeping ids {sorted(kept_ids)}")
    return True


@check(rules=["J-103", "J-113", "J-115"])
def product_version_isolated(ctx: CheckContext, *, master: Mapping, version: Mapping, field: str, master_value: Any,
                             version_value: Any) -> bool:
    if master.get(field) != master_value or version.get(field) != version_value:
        raise VersionLeaked(received=f"master {field} {master.get(field)!r}, version {version.get(field)!r}",
                            expected=f"master {master_value!r}, version {version_value!r}")
    return True


@check(rules=["J-100", "J-135"])
def active_prices_by_date(ctx: CheckContext, *, item: Mapping, expected: set, label: str) -> bool:
    key = next((k for k in relation_keys("active-prices") if k in item), None)
    got = {p.get("id") for p in item.get(key) or [] if isinstance(p, Mapping)} if key else None
    if got != expected:
        shown = sorted(got, key=numbers_first) if got is not None else None
        raise PriceActivityWrong(received=f"active price ids {shown} ({label})", expected=f"{sorted(expected)}")
    return True


# --- webhooks ----------------------------------------------------------------------------------------------------
@check(rules=["J-168", "J-169", "J-170"])
def webhook_created_enabled(ctx: CheckContext, *, response: httpx.Response) -> bool:
    body = json_body(response)
    hook = body.get("webhooks") if isinstance(body, Mapping) else None
    secret = hook.get("signing_secret") if isinstance(hook, Mapping) else None
    if response.status_code not in (200, 201) or not isinstance(hook, Mapping) or hook.get("status") != "enabled" \
            or not isinstance(secret, str) or len(secret) < 16:
        raise ResponseMismatch(received=shown(response),
                               expected='201 {"webhooks": {"status": "enabled", "signing_secret": …}}')
    return True


@check(rules=["J-176", "J-168"])
def delivery_arrived(ctx: CheckContext, *,
                     requests: Sequence[Mapping], event: str, entity_id: Any, headers: Mapping[str, str],
                     with_data: bool) -> bool:
    """A POST arrived for the write, carrying the webhook's custom headers, and the entity's data when
    include_entity_data is 1."""
    for request in requests:
        body = _json(request["body"])
        if not isinstance(body, Mapping) or not _mentions(body, entity_id):
            continue
        sent = {k.lower(): v for k, v in request["headers"].items()}
        missing = {k: v for k, v in headers.items() if sent.get(k.lower()) != v}
        if missing:
            raise DeliveryMissing(received=f"headers {dict(request['headers'])}", expected=f"also {missing}")
        if with_data and not _has_data(body, entity_id):
            raise DeliveryMissing(received=json.dumps(body)[:300], expected="the entity's data (include_entity_data 1)")
        return True
    raise DeliveryMissing(received=f"{len(requests)} posts: {[r['body'][:120] for r in requests]}",
                          expected=f"a POST for {event} of entity {entity_id}")


@check(rules=["J-170"])
def delivery_signed(ctx: CheckContext, *, request: Mapping, secret: str) -> bool:
    """Some header carries HMAC-SHA256(signing_secret, raw body), in hex or base64, maybe prefixed `sha256=`."""
    digest = hmac.new(secret.encode(), request["body"], hashlib.sha256).digest()
    accepted = {digest.hex(), base64.b64encode(digest).decode()}
    for value in request["headers"].values():
        candidate = value.split("=", 1)[1] if value.lower().startswith("sha256=") else value
        if candidate.strip() in accepted or candidate.strip().lower() == digest.hex():
            return True
    raise SignatureInvalid(received=f"headers {dict(request['headers'])}",
                           expected="a header holding HMAC-SHA256(signing_secret, body) (hex or base64)")


@check(rules=["J-178", "J-179"])
def disabled_webhook_silent(ctx: CheckContext, *, during_disabled: int, after_enable: int) -> bool:
    if during_disabled or not after_enable:
        raise DeliveryMissing(received=f"{during_disabled} posts while disabled, {after_enable} after enable",
                              expected="none while disabled, one after enable")
    return True


@check(rules=["J-173", "J-174", "J-175"])
def retries_spaced_by_policy(ctx: CheckContext, *,
                             arrivals: Sequence[tuple[float, int]], expected: Sequence[tuple[float, int]]
                             ) -> bool:
    """(seconds advanced, posts seen so far) after each clock step equals the policy's schedule."""
    if list(arrivals) != list(expected):
        raise RetriesWrong(received=f"(clock advanced, posts so far): {list(arrivals)}",
                           expected=f"{list(expected)}")
    return True


# --- exports -----------------------------------------------------------------------------------------------------
@check(rules=["J-067", "X-27"], strict=True)
def export_finishes_with_a_file(ctx: CheckContext, *, statuses: Sequence[str], download: httpx.Response | None) -> bool:
    if not statuses or statuses[0] != "queued" or statuses[-1] != "finished" or download is None or \
            download.status_code != 200 or not download.content:
        raise ExportWrong(received=f"statuses {list(statuses)}; file {shown(download) if download else None}",
                          expected="queued … finished, then the file_url downloads a file")
    return True


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


def _mentions(body: Any, entity_id: Any) -> bool:
    if isinstance(body, Mapping):
        return any(v == entity_id and k in ("id", "entity_id") for k, v in body.items()) or any(
            _mentions(v, entity_id) for v in body.values() if isinstance(v, (Mapping, list)))
    if isinstance(body, list):
        return any(_mentions(v, entity_id) for v in body)
    return False


def _has_data(body: Mapping, entity_id: Any) -> bool:
    """Somewhere in the body, an object with the entity's id and more fields than an id."""
    stack: list[Any] = [body]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            if node.get("id") == entity_id and len(node) > 2:
                return True
            stack.extend(v for v in node.values() if isinstance(v, (Mapping, list)))
        elif isinstance(node, list):
            stack.extend(node)
    return False
