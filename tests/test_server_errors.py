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


# --- request bodies: chunked, absent, undecodable --------------------------------------------------------
PM = "/productsmanager/api/v1"
PM_AUTH = {"Authorization": "Bearer pm_test_key_0001"}
PX_AUTH = {"Authorization": "Bearer pixee_test_key_0001"}


def _chunks(*parts: bytes):
    yield from parts


def test_a_chunked_json_body_is_read_not_taken_for_missing(client):
    response = client.post(f"{J}/products", headers={**JH, "Content-Type": "application/json"},
                           content=_chunks(b'{"name": "Chunked",', b' "sku": "CHUNK-IN-1"}'))
    assert response.status_code == 201, response.text
    response = client.post(PIMS, headers={**EDITOR, "Content-Type": "application/json"},
                           content=_chunks(b'{"action": "listProduct",', b' "sku": "TEST-SKU"}'))
    assert response.status_code == 200 and response.json()["status"] == "OK", response.text


def test_a_chunked_upload_over_the_limit_is_413_not_400(make_app):
    small = make_app(max_upload_bytes=2048, swagger_ui=False)
    part = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n' + b"1,2\n" * 1000
    with small.test_client() as client:
        response = client.post(f"{PM}/imports", headers={**PM_AUTH, "Content-Type": "multipart/form-data; boundary=b"},
                               content=_chunks(part[:1000], part[1000:]))
    assert response.status_code == 413, response.text
    assert response.json()["error"] == "file_too_large"


@pytest.mark.parametrize("path, headers", [
    (f"{PM}/imports/00000000-0000-4000-8000-000000000000", PM_AUTH), ("/pixee/api/v1/imports/automations", PX_AUTH),
    (f"{J}/products", JH), ("/__admin/health", {}), ("/wizart/api/v2.1/imports/1", {})])
@pytest.mark.parametrize("content_type", ["multipart/form-data", "application/x-www-form-urlencoded",
                                          "multipart/form-data; boundary=x"])
def test_a_get_without_a_body_is_not_read_as_a_form(client, path, headers, content_type):
    plain = client.get(path, headers=headers)
    labelled = client.get(path, headers={**headers, "Content-Type": content_type})
    assert (labelled.status_code, labelled.json()) == (plain.status_code, plain.json())
    assert plain.status_code != 400


@pytest.mark.parametrize("raw", [b"[" * 100_000, b'{"name": ' + b"9" * 5000 + b"}", b'{"name": "x",}',
                                 '{"name": "caf\xe9"}'.encode("latin-1")])
def test_an_undecodable_json_body_is_called_that(client, raw):
    response = client.post(f"{J}/products", headers={**JH, "Content-Type": "application/json"}, content=raw)
    assert response.status_code == 400
    assert response.json()["message"] in ("The request body is not valid JSON.",) or \
        response.json()["message"].startswith(("Expecting", "Illegal", "Invalid"))
    assert "form field" not in response.text


def test_a_form_fields_json_is_still_called_a_form_field(client):
    files = {"file": ("a.csv", b"ean,title\n4006381333931,x\n", "text/csv")}
    response = client.post(f"{PM}/imports", headers=PM_AUTH, files=files, data={"mapping": '{"a":' * 5000})
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_form_json"


@pytest.mark.parametrize("path, headers", [(f"{PM}/imports", PM_AUTH), ("/pixee/api/v1/imports/jobs", PX_AUTH)])
def test_an_upload_without_a_content_type_is_415_not_a_query_problem(client, path, headers):
    response = client.post(path, headers=headers, content=b"ean,title\n1,2\n")
    assert response.status_code == 415, response.text
    assert "query parameter" not in response.text


def test_a_client_that_disconnects_mid_upload_is_no_unhandled_error(app, caplog):
    import asyncio
    import logging

    # A whole file part (so validation passes), then the client goes away inside the next part.
    head = (b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nean,title\n4006381333931,x\n'
            b'\r\n--b\r\nContent-Disposition: form-data; name="x"\r\n\r\nab')
    messages = [{"type": "http.request", "body": head, "more_body": True}, {"type": "http.disconnect"}]
    sent = []

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": f"{PM}/imports", "raw_path": f"{PM}/imports".encode(), "root_path": "", "query_string": b"",
             "client": ("127.0.0.1", 5), "server": ("127.0.0.1", 80),
             "headers": [(b"host", b"x"), (b"authorization", b"Bearer pm_test_key_0001"),
                         (b"content-type", b"multipart/form-data; boundary=b"), (b"content-length", b"5000")]}
    with caplog.at_level(logging.INFO):
        asyncio.run(app(scope, receive, send))
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.text
    assert "client disconnected" in caplog.text
    assert sent and sent[0]["status"] == 400


def test_the_body_deadline_ends_when_the_body_has_arrived():
    """A streamed answer listens for a disconnect long after the body: that wait has no deadline."""
    import asyncio

    from mock_server.errors import RequestTimeout
    from mock_server.middleware.body_limit import timed

    async def scenario():
        messages = [{"type": "http.request", "body": b"{}", "more_body": False}]

        async def receive():
            if messages:
                return messages.pop(0)
            await asyncio.sleep(0.3)
            return {"type": "http.disconnect"}

        receive_in_time = timed({}, receive, 0.1)
        assert (await receive_in_time())["body"] == b"{}"
        assert (await receive_in_time())["type"] == "http.disconnect"  # 0.3 s later: past the 0.1 s deadline

        async def stalled():
            await asyncio.sleep(1)

        with pytest.raises(RequestTimeout):
            await timed({}, stalled, 0.1)()

    asyncio.run(scenario())
