"""Regressions for every 500 and misleading error found (issue 14 §5, and the Schemathesis deep run): each
request here once got a 500 or an answer that named the wrong cause."""

from __future__ import annotations

import pytest
from _pims import EDITOR, PIMS

from mock_server.urls import http_url

J = "/jasper/api/v1"
JH = {"Authorization": "Bearer jasper-test-token"}


@pytest.fixture(scope="module")
def app():
    from mock_server.app import create_app
    from mock_server.config import Config

    built = create_app(Config(clock="manual", swagger_ui=False))
    yield built
    built.runtime.close()


@pytest.fixture
def client(app):
    with app.test_client(raise_server_exceptions=False) as test_client:
        yield test_client


def pims_list(client, query: str):
    return client.post(PIMS, headers=EDITOR, json={"action": "getList", "params": {"condition_query": query}})


# --- PIMS: numbers past a float ---------------------------------------------------------------------------
@pytest.mark.parametrize("query, holds", [("1" + "0" * 309 + " < 1", False), ("1" + "0" * 308 + " < 1", False),
                                          ("1 < 1" + "0" * 309, True), ("1" + "0" * 309 + " < 1" + "0" * 310, True),
                                          ("1" + "0" * 310 + " = 1" + "0" * 309, False),
                                          ("-1" + "0" * 400 + " < 0", True)])
def test_literals_past_a_float_compare_exactly(client, query, holds):
    response = pims_list(client, query)
    assert response.status_code == 200, response.text
    assert bool(response.json()["products"]) is holds


@pytest.mark.parametrize("query, skus", [("[[price]] < 1" + "0" * 400, {"ABC-2001", "ABC-2002"}),
                                         ("[[price]] > 1" + "0" * 400, set()),
                                         ("[[price]] > -1" + "0" * 400, {"ABC-2001", "ABC-2002"})])
def test_a_huge_literal_is_above_every_price(client, query, skus):
    response = pims_list(client, query)
    assert response.status_code == 200, response.text
    assert skus <= {p["data"]["attributes"]["sku"] for p in response.json()["products"]}
    if not skus:
        assert response.json()["products"] == []


@pytest.mark.parametrize("value", ["nan", "inf", "Infinity", "-inf"])
def test_words_float_reads_are_not_numbers(client, value):
    response = client.post(PIMS, headers=EDITOR, json={"action": "getList", "params": {
        "condition_query": f"[[price]] < '{value}'"}})
    assert response.status_code == 400
    assert response.json() == {"status": "Error",
                               "status_message": f"Attribute 'price' holds numbers: '{value}' is not a number!"}


# --- Jasper: URL fields ------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", ["https://k]x", "http://[::1", "http://h:99999/", "http://h:abc/x", "https://",
                                 "http://exa mple.org/", "http://a\x7f.org/", "ftp://example.org/x"])
def test_a_webhook_with_a_url_no_one_could_call_is_400(client, url):
    response = client.post(f"{J}/webhooks", headers=JH, json={"name": "x", "callback_url": url,
                                                               "entity_type": "product"})
    assert response.status_code == 400, response.text
    assert "callback_url" in response.json()["message"]  # the spec's pattern, or the fake's own check


def test_an_update_to_such_a_url_is_400_too(client):
    created = client.post(f"{J}/webhooks", headers=JH, json={"name": "x", "callback_url": "https://ok.example/h",
                                                              "entity_type": "product"})
    assert created.status_code in (200, 201), created.text
    hook = created.json()["webhooks"]["id"]
    response = client.put(f"{J}/webhooks/{hook}", headers=JH, json={"callback_url": "https://k]x"})
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("url, ok", [("https://example.org/hook?a=1", True), ("HTTP://[::1]:8080/x", True),
                                     ("http://h:0/", True), ("http://h:65536/", False), ("//example.org", False),
                                     (None, False), ("http://" + "a" * 3000, False)])
def test_http_url(url, ok):
    assert http_url(url) is ok
