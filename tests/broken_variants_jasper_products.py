"""Variants of the fake's Jasper (products, barcodes, prices, webhooks) for testing the conformance suite,
as ASGI rewrites (see broken_variants.py). Each is broken: `pim-conformance run --api jasper` must exit 1 on it.

    Rewrite (broken_variants)
    ├── UpsertKeepsUntouched     PUT …/barcodes/upsert runs as the POST: untouched barcodes stay
    ├── WithEmbedsNothing        the `with` query parameter is dropped: no relation is embedded
    ├── ActiveIgnoresDates       with=active-prices answers every price, whatever its from/to
    ├── ChildStillListed         remove-from-parent answers 200 and does nothing
    ├── VersionLeak              PUT …/products/<id>/version/<v> writes the master
    ├── BarcodeLengthIgnored     a barcode one digit short is padded before the fake sees it: accepted
    ├── WebhookNotDelivered      a new webhook's callback_url is swapped for a port nobody listens on
    ├── BadSignature             a webhook's signing_secret is shown with one character changed
    ├── RetriesBeyondLimit       a new webhook's retry_limit is raised by 3 behind the client's back
    ├── (SEED_RULE_PROBES, run together through Several)
    ├── RelationsUngrouped       a product's relations come back as one flat list, not grouped by type name
    ├── TagsIgnoreVersion        GET …/tags/<version> answers every version's tags
    ├── UpsertAddsRows           an option set's options list each row twice (a second id): upserts add rows
    ├── PingIsoTime              ping answers an ISO 8601 time and a zone key
    └── OtherChoices             (correct, not broken) with= keys spelt with `-`, and an unpublished child
                                 keeps enabled 1 (is_visible 0 only): must pass
"""

from __future__ import annotations

import json
import re
import socket
from dataclasses import replace
from urllib.parse import parse_qsl, urlencode

from broken_variants import Request, Response, Rewrite, json_response

V1 = "/jasper/api/v1"
UPSERT = re.compile(rf"^{V1}/products/\d+/barcodes/upsert$")
BARCODES = re.compile(rf"^{V1}/products/\d+/barcodes$")
REMOVE = re.compile(rf"^{V1}/products/\d+/remove-from-parent$")
VERSION_PUT = re.compile(rf"^(?P<product>{V1}/products/\d+)/version/\d+$")
LISTS = re.compile(rf"^{V1}/products(/version/\d+)?$")
WEBHOOKS = f"{V1}/webhooks"
LENGTHS = {"UPC-A": 12, "ITF-14": 14, "GTIN-13": 13, "EAN": 13}


def with_body(request: Request, body: bytes) -> Request:
    headers = [(k, v) for k, v in request.headers if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    return replace(request, headers=headers, body=body)


def _json(data: bytes):
    try:
        return json.loads(data or b"null")
    except ValueError:
        return None


def _query(request: Request) -> list[tuple[str, str]]:
    return parse_qsl(request.query.decode("latin-1"), keep_blank_values=True)


class UpsertKeepsUntouched(Rewrite):
    def request(self, request: Request) -> Request:
        if request.method == "PUT" and UPSERT.match(request.path):
            return replace(request, method="POST")
        return request


class WithEmbedsNothing(Rewrite):
    def request(self, request: Request) -> Request:
        if LISTS.match(request.path):
            return replace(request, query=urlencode([(k, v) for k, v in _query(request) if k != "with"]).encode())
        return request


class ActiveIgnoresDates(Rewrite):
    def request(self, request: Request) -> Request:
        if LISTS.match(request.path):
            query = [(k, v.replace("active-prices", "all-prices") if k == "with" else v) for k, v in _query(request)]
            return replace(request, query=urlencode(query).encode())
        return request

    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if LISTS.match(request.path) and isinstance(body, dict) and isinstance(body.get("products"), list):
            for item in body["products"]:
                if isinstance(item, dict) and "all_prices" in item:
                    item["active_prices"] = item.pop("all_prices")
            return response.with_json(body)
        return response


class ChildStillListed(Rewrite):
    def request(self, request: Request) -> Request | Response:
        if request.method == "DELETE" and REMOVE.match(request.path):
            return json_response(200, {"message": "Removed."})
        return request


class VersionLeak(Rewrite):
    def request(self, request: Request) -> Request:
        match = VERSION_PUT.match(request.path)
        if request.method == "PUT" and match:
            return replace(request, path=match["product"])
        return request


class BarcodeLengthIgnored(Rewrite):
    def request(self, request: Request) -> Request:
        body = _json(request.body)
        if request.method == "POST" and BARCODES.match(request.path) and isinstance(body, dict):
            length = LENGTHS.get(body.get("type"))
            code = body.get("barcode")
            if length and isinstance(code, str) and code.isdigit() and len(code) == length - 1:
                return with_body(request, json.dumps({**body, "barcode": code + "0"}).encode())
        return request


def _dead_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/gone"


class WebhookNotDelivered(Rewrite):
    def request(self, request: Request) -> Request:
        body = _json(request.body)
        if request.method == "POST" and request.path == WEBHOOKS and isinstance(body, dict):
            return with_body(request, json.dumps({**body, "callback_url": _dead_url()}).encode())
        return request


class BadSignature(Rewrite):
    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        hook = body.get("webhooks") if request.path.startswith(WEBHOOKS) and isinstance(body, dict) else None
        if isinstance(hook, dict) and isinstance(hook.get("signing_secret"), str) and hook["signing_secret"]:
            secret = hook["signing_secret"]
            hook["signing_secret"] = secret[:-1] + ("A" if secret[-1] != "A" else "B")
            return response.with_json(body)
        return response


class RetriesBeyondLimit(Rewrite):
    def request(self, request: Request) -> Request:
        body = _json(request.body)
        if request.method == "POST" and request.path == WEBHOOKS and isinstance(body, dict) and \
                isinstance(body.get("retry_limit"), int) and 0 <= body["retry_limit"] <= 7:
            return with_body(request, json.dumps({**body, "retry_limit": body["retry_limit"] + 3}).encode())
        return request

    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        hook = body.get("webhooks") if request.path == WEBHOOKS and isinstance(body, dict) else None
        if request.method == "POST" and isinstance(hook, dict) and isinstance(hook.get("retry_limit"), int):
            hook["retry_limit"] -= 3
            return response.with_json(body)
        return response


class OtherChoices(Rewrite):
    """A vendor that spells the with= keys as the names (`active-prices`), and unpublishes with is_visible only."""

    RENAMED = ("active_prices", "all_prices", "related_products", "generic_entities")

    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if not request.path.startswith(f"{V1}/products") or not isinstance(body, dict):
            return response
        asked = any(k == "with" for k, _ in _query(request))
        items = body.get("products") if isinstance(body.get("products"), list) else [body.get("product")]
        for item in (i for i in items if isinstance(i, dict)):
            for key in [k for k in self.RENAMED if asked and k in item]:
                item[key.replace("_", "-")] = item.pop(key)
            if item.get("is_visible") == 0 and item.get("enabled") == 0 and item.get("parent_id") is None:
                item["enabled"] = 1
        return response.with_json(body)


RELATIONS = re.compile(rf"^{V1}/products/\d+/relations(/type/\d+)?$")
TAGS_ONE = re.compile(rf"^(?P<all>{V1}/products/\d+/tags)/\d+$")
SET_OPTIONS = re.compile(rf"^{V1}/option_sets/\d+/options$")


class RelationsUngrouped(Rewrite):
    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if request.method == "GET" and RELATIONS.match(request.path) and isinstance(body, dict):
            groups = body.get("product_relations")
            if isinstance(groups, dict):
                return response.with_json({"product_relations": [p for g in groups.values() for p in g]})
        return response


class TagsIgnoreVersion(Rewrite):
    def request(self, request: Request) -> Request:
        found = TAGS_ONE.match(request.path)
        return replace(request, path=found["all"]) if request.method == "GET" and found else request


class UpsertAddsRows(Rewrite):
    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if request.method == "GET" and SET_OPTIONS.match(request.path) and isinstance(body, dict):
            rows = body.get("option_set_options") or []
            twins = [{**row, "id": row.get("id", 0) + 100000} for row in rows if isinstance(row, dict)]
            return response.with_json({**body, "option_set_options": rows + twins})
        return response


class PingIsoTime(Rewrite):
    def response(self, request: Request, response: Response) -> Response:
        if request.path == f"{V1}/ping":
            return response.with_json({"time": "2017-02-07T19:05:03Z", "zone": "UTC"})
        return response


# Each breaks what one seed-rule probe checks; the live test runs them together, one server, one suite run.
SEED_RULE_PROBES: dict[str, tuple[type[Rewrite], str, set[str]]] = {
    "relations_ungrouped": (RelationsUngrouped, "relations_by_type", {"grouped_by_type"}),
    "tags_ignore_version": (TagsIgnoreVersion, "tags_per_version", {"tags_shown"}),
    "upsert_adds_rows": (UpsertAddsRows, "option_set_options_upsert", {"upsert_kept_one_row"}),
    "ping_iso_time": (PingIsoTime, "ping_and_a_body_without_content_type", {"ping_tells_server_time"}),
}


BROKEN: dict[str, type[Rewrite]] = {
    "upsert_keeps_untouched": UpsertKeepsUntouched,
    "with_embeds_nothing": WithEmbedsNothing,
    "active_ignores_dates": ActiveIgnoresDates,
    "child_still_listed": ChildStillListed,
    "version_leak": VersionLeak,
    "barcode_length_ignored": BarcodeLengthIgnored,
    "webhook_not_delivered": WebhookNotDelivered,
    "bad_signature": BadSignature,
    "retries_beyond_limit": RetriesBeyondLimit,
}
