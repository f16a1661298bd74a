"""PIMS bad input: every refused request gets the vendor's error body with a clear message, never a 500."""

from __future__ import annotations

import json

import pytest
from _pims import EDITOR, PIMS


def raw(client, content: bytes, content_type: str = "application/json", headers=None):
    return client.post(PIMS, content=content, headers={**(headers or EDITOR), "Content-Type": content_type})


def body(payload):
    return lambda c: c.post(PIMS, json=payload, headers=EDITOR)


def get_list(**params):
    return body({"action": "getList", "params": params})


REQUESTS = {
    # the body itself
    "no action": (body({"sku": "IMP-1001"}), 400, "Action is not provided!"),
    "action null": (body({"action": None}), 400, "Action is not provided!"),
    "unknown action": (body({"action": "deleteProduct", "sku": "IMP-1001"}), 400,
                       "Unknown action 'deleteProduct'! Use one of: listProduct, listProductsBySku, getList, "
                       "createProduct, editProduct, historyProduct."),
    "action of the wrong case": (body({"action": "listproduct"}), 400, "Unknown action 'listproduct'!"),
    "action a number": (body({"action": 3}), 400, "Unknown action 3!"),
    "action a list": (body({"action": ["getList"]}), 400, 'Unknown action ["getList"]!'),
    "body an array": (body([{"action": "getList"}]), 400, "The request body should be a JSON object!"),
    "body a string": (body("getList"), 400, "The request body should be a JSON object!"),
    "body null": (lambda c: raw(c, b"null"), 400, "The request body is empty!"),
    "empty body": (lambda c: raw(c, b""), 400, "The request body is empty!"),
    "invalid json": (lambda c: raw(c, b'{"action": "getList",}'), 400, "The request body is not valid JSON!"),
    "truncated json": (lambda c: raw(c, b'{"action": "getL'), 400, "The request body is not valid JSON!"),
    "not utf-8": (lambda c: raw(c, '{"action": "listProduct", "sku": "caf\xe9"}'.encode("latin-1")), 400,
                  "The request body is not valid JSON!"),
    "nested 100k deep": (lambda c: raw(c, b'{"action": "getList", "params": ' + b"[" * 100_000 + b"]" * 100_000
                                      + b"}"), 400, "The request body is not valid JSON!"),
    "a 5000-digit number": (lambda c: raw(c, b'{"action": "getList", "params": {"cat_id": ' + b"9" * 5000 + b"}}"),
                            400, "The request body is not valid JSON!"),
    "text/plain": (lambda c: raw(c, b'{"action": "getList"}', "text/plain"), 415, "send the body as JSON"),
    "form": (lambda c: raw(c, b"action=getList", "application/x-www-form-urlencoded"), 415, "send the body as JSON"),
    "no content type": (lambda c: c.post(PIMS, content=b'{"action": "getList"}', headers=EDITOR), 415,
                        "send the body as JSON"),
    "no content type, no body": (lambda c: c.post(PIMS, headers=EDITOR), 400, "The request body is empty!"),
    # wrong JSON types, field by field
    "sku a number": (body({"action": "listProduct", "sku": 12}), 400, "SKU should be a string!"),
    "sku too long": (body({"action": "createProduct", "sku": "x" * 256}), 400, "SKU is too long: at most 255"),
    "skus of numbers": (body({"action": "listProductsBySku", "skus": [1, 2]}), 400,
                        "Every SKU in the list should be a non-empty string of at most 255 characters!"),
    "skus with an empty one": (body({"action": "listProductsBySku", "skus": ["A", ""]}), 400,
                               "Every SKU in the list should be a non-empty string"),
    "501 skus": (body({"action": "listProductsBySku", "skus": [str(i) for i in range(501)]}), 400,
                 "The SKU list is too long: at most 500 SKUs per request!"),
    "params a list": (body({"action": "getList", "params": []}), 400, "params should be an object!"),
    "filter_values a string": (get_list(filter_values="brand=Acme"), 400, "params.filter_values should be an object!"),
    "cat_id a string": (get_list(cat_id="3"), 400, "params.cat_id should be an integer!"),
    "cat_id a float": (get_list(cat_id=1.5), 400, "params.cat_id should be an integer!"),
    "flag yes": (get_list(include_variants="yes"), 400, "params.include_variants should be true or false!"),
    "flag 1": (get_list(subcategories=1), 400, "params.subcategories should be true or false!"),
    "flag TRUE": (get_list(include_deleted="TRUE"), 400, "params.include_deleted should be true or false!"),
    "search a number": (get_list(search=5), 400, "params.search should be a string!"),
    "search too long": (get_list(search="x" * 1001), 400, "params.search is too long: at most 1000 characters!"),
    "condition_query a list": (get_list(condition_query=["[[sku]] = 'x'"]), 400,
                               "params.condition_query should be a string!"),
    "pagination a number": (get_list(pagination=24), 400, "params.pagination should be an object!"),
    "order of strings": (get_list(order=["price ASC"]), 400, "params.order[0] should be an object!"),
    "21 order items": (get_list(order=[{"attribute": "price"}] * 21), 400,
                       "params.order has too many items: at most 20!"),
    "data a string": (body({"action": "editProduct", "sku": "IMP-1001", "data": "title=x"}), 400,
                      "data should be an object!"),
    "attributes a list": (body({"action": "editProduct", "sku": "IMP-1001", "data": {"attributes": [1]}}), 400,
                          "data.attributes should be an object!"),
    "pauseReIndexing a boolean": (body({"action": "createProduct", "sku": "N", "pauseReIndexing": True}), 400,
                                  "pauseReIndexing should be a string!"),
    "history params a string": (body({"action": "historyProduct", "sku": "TEST-SKU", "params": "page=2"}), 400,
                                "params should be an object!"),
    # the request around the body
    "ApiView too long": (lambda c: c.post(PIMS, json={"action": "getList"}, headers={**EDITOR, "ApiView": "v" * 201}),
                         400, "is too long"),
    "a locale that is not one": (lambda c: c.post(PIMS.replace("en-us", "english"), json={"action": "getList"},
                                                  headers=EDITOR), 400, "does not match"),
    "GET": (lambda c: c.get(PIMS, headers=EDITOR), 405, "Method not allowed: send a POST request with a JSON body!"),
    "DELETE": (lambda c: c.delete(PIMS, headers=EDITOR), 405, "Method not allowed"),
    "unknown path": (lambda c: c.post("/pims/api/en-us/pim/manage/nothing", json={}, headers=EDITOR), 404,
                     "Resource not found!"),
    "newline in the locale": (lambda c: c.post("/pims/api/en%0Aus/pim/manage/products", json={"action": "getList"},
                                               headers=EDITOR), 404, "Resource not found!"),
}


@pytest.mark.parametrize("name", REQUESTS)
def test_bad_request_gets_the_error_envelope_with_a_clear_message(client, name):
    call, status, fragment = REQUESTS[name]
    response = call(client)
    assert response.status_code == status, response.text
    data = response.json()
    assert set(data) == {"status", "status_message"} and data["status"] == "Error", data
    assert fragment in data["status_message"], data["status_message"]
    assert len(data["status_message"]) < 400
    assert client.get("/__admin/health").status_code == 200


def test_a_body_over_the_upload_limit_is_refused_in_the_envelope(make_app):
    with make_app(max_upload_bytes=10_000).test_client() as client:
        response = raw(client, b'{"action": "getList", "params": {"search": "' + b"x" * 20_000 + b'"}}')
        assert response.status_code == 413
        assert response.json()["status"] == "Error" and "too large" in response.json()["status_message"]


def test_a_huge_sku_is_refused_without_echoing_it(client):
    response = raw(client, b'{"action": "listProduct", "sku": "' + b"x" * 1_000_000 + b'"}')
    assert response.status_code == 400 and len(response.content) < 500


def test_schema_valid_but_hostile_values_do_not_break_the_fake(client):
    for payload in (
        {"action": "getList", "params": {"condition_query": "[[title]] LIKE '" + "%a" * 2000 + "%b'"}},
        {"action": "getList", "params": {"search": "\u0000 \ud800 ' OR 1=1 --"}},
        {"action": "getList", "params": {"filter_values": {"price": "1;;" + "9" * 400}}},
        {"action": "getList", "params": {"pagination": {"limit": 500, "page": 10_000_000}}},
        {"action": "listProductsBySku", "skus": ["\ud800", "'; DROP TABLE products; --"]},
        {"action": "createProduct", "sku": "odd \u0000 sku", "data": {"attributes": {"title": "\ud83d\ude00 \u0000"}}},
        {"action": "editProduct", "sku": "IMP-1001", "data": {"attributes": {"price": 1e308}}},
        {"action": "editProduct", "sku": "IMP-1001", "data": {"attributes": {"title": [[[[[[]]]]]]}}},
    ):
        response = raw(client, json.dumps(payload).encode())  # ensure_ascii: lone surrogates as \ud800 escapes
        assert response.status_code < 500, (payload, response.text)
        assert response.json()["status"] in ("OK", "Error")
