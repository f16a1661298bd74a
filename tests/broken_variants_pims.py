"""Variants of the fake's PIMS for testing the conformance suite, as ASGI rewrites (see broken_variants.py).
Each is broken: `pim-conformance run --api pims` must exit 1 on it.

    Rewrite (broken_variants)
    ├── WrongMessage         "Product does not exist!" comes back as "Product does not exist."
    ├── DeletedLeak          getList always includes deleted products (as if include_deleted were "true")
    ├── HistoryNotRecorded   historyProduct shows no transactions at all
    ├── PaginationRepeat     each page after the first starts with the previous page's last product
    ├── ViewIgnored          the ApiView header is dropped: every key sees its default View
    ├── HistoryPagedBy10     historyProduct shows 10 entries a page, not 24 (one scenario shows it)
    ├── VariantsShown        getList always includes variants (as if include_variants were "true")
    └── ErrorsWith200        (correct, not broken) every error body comes with HTTP 200, as X-77 allows: it
                             must pass without --strict
"""

from __future__ import annotations

import json
from dataclasses import replace

from broken_variants import Request, Response, Rewrite

PATH = "/pims/api/en-us/pim/manage/products"


def _action(request: Request) -> tuple[str | None, dict]:
    try:
        body = json.loads(request.body or b"null")
    except ValueError:
        return None, {}
    if not isinstance(body, dict):
        return None, {}
    return body.get("action"), body


def with_body(request: Request, body: bytes) -> Request:
    headers = [(k, v) for k, v in request.headers if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(body)).encode()))
    return replace(request, headers=headers, body=body)


class WrongMessage(Rewrite):
    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if isinstance(body, dict) and body.get("status_message") == "Product does not exist!":
            return response.with_json({**body, "status_message": "Product does not exist."})
        return response


class DeletedLeak(Rewrite):
    def request(self, request: Request) -> Request:
        action, body = _action(request)
        if request.path == PATH and action == "getList" and isinstance(body.get("params", {}), dict):
            body["params"] = {**body.get("params", {}), "include_deleted": "true"}
            return with_body(request, json.dumps(body).encode())
        return request


class HistoryNotRecorded(Rewrite):
    def response(self, request: Request, response: Response) -> Response:
        action, _ = _action(request)
        body = response.json()
        if action == "historyProduct" and isinstance(body, dict) and body.get("status") == "OK":
            return response.with_json({**body, "history": [], "total_count": 0})
        return response


class PaginationRepeat(Rewrite):
    def __init__(self) -> None:
        self.last: dict | None = None  # the last product of the previous getList page

    def response(self, request: Request, response: Response) -> Response:
        action, sent = _action(request)
        body = response.json()
        if action != "getList" or not isinstance(body, dict) or not isinstance(body.get("products"), list):
            return response
        params = sent.get("params") if isinstance(sent.get("params"), dict) else {}
        pagination = params.get("pagination") if isinstance(params.get("pagination"), dict) else {}
        products = body["products"]
        previous, self.last = self.last, (products[-1] if products else None)
        if pagination.get("page", 1) not in (1, "1") and previous is not None and products:
            body["products"] = [previous, *products[:-1]]
            return response.with_json(body)
        return response


class ViewIgnored(Rewrite):
    def request(self, request: Request) -> Request:
        return replace(request, headers=[(k, v) for k, v in request.headers if k.lower() != b"apiview"])


class HistoryPagedBy10(Rewrite):
    def response(self, request: Request, response: Response) -> Response:
        action, _ = _action(request)
        body = response.json()
        if action == "historyProduct" and isinstance(body, dict) and isinstance(body.get("history"), list):
            return response.with_json({**body, "history": body["history"][:10]})
        return response


class VariantsShown(Rewrite):
    def request(self, request: Request) -> Request:
        action, body = _action(request)
        if request.path == PATH and action == "getList" and isinstance(body.get("params", {}), dict):
            body["params"] = {**body.get("params", {}), "include_variants": "true"}
            return with_body(request, json.dumps(body).encode())
        return request


class ErrorsWith200(Rewrite):
    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if isinstance(body, dict) and body.get("status") == "Error":
            return response.with_json(body, status=200)
        return response


BROKEN = {
    "wrong_message": WrongMessage,
    "deleted_leak": DeletedLeak,
    "history_not_recorded": HistoryNotRecorded,
    "pagination_repeat": PaginationRepeat,
    "view_ignored": ViewIgnored,
}
# Variants one scenario shows: the live test runs just that scenario (name -> rewrite, scenario, checks that catch it).
SEED_RULE_PROBES = {
    "history_paged_by_10": (HistoryPagedBy10, "history_paged_24_at_a_time", {"history_pages_of_24"}),
    "variants_shown": (VariantsShown, "getlist_selects_by_search_category_and_variants",
                       {"selection_matches_reference", "order_matches_reference"}),
}
