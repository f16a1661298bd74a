"""Wizart's protocol: OAuth client credentials and expiry, token kinds per operation (read from the spec's
x-token-types), versions and their headers, JSON:API pagination, sort, filters, sparse fieldsets, negotiation."""

from __future__ import annotations

import base64

import pytest
import yaml
from _wizart import ACCOUNT, BASE, BASE_20, CLIENT, REPO, assert_jsonapi, wall_catalog

SPEC = yaml.load((REPO / "openapi" / "wizart.yaml").read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
KINDS = ("bearer", "web", "android", "ios", "direct")


def operations():
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            if "x-token-types" in op and path != "/oauth/token":
                yield op["operationId"], method.upper(), path, tuple(op["x-token-types"])


def test_client_credentials_give_an_expiring_bearer_token(wz, client):
    response = client.post("/wizart/oauth/token", data=CLIENT)
    body = response.json()
    assert response.status_code == 200 and response.headers["cache-control"] == "no-store"
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and body["access_token"]
    auth = {"Authorization": f"Bearer {body['access_token']}"}
    assert client.get(f"{BASE}/imports", headers=auth).status_code == 200
    wz.advance(3599)
    assert client.get(f"{BASE}/imports", headers=auth).status_code == 200
    wz.advance(1)
    expired = client.get(f"{BASE}/imports", headers=auth)
    error = assert_jsonapi(expired)["errors"][0]
    assert expired.status_code == 401 and error["status"] == "401" and error["code"] == "token_expired"
    assert expired.headers["www-authenticate"].startswith("Bearer")


def test_http_basic_client_authentication_is_accepted(client):
    basic = base64.b64encode(f"{CLIENT['client_id']}:{CLIENT['client_secret']}".encode()).decode()
    response = client.post("/wizart/oauth/token", data={"grant_type": "client_credentials"},
                           headers={"Authorization": f"Basic {basic}"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(("form", "status", "code"), [
    ({**CLIENT, "client_secret": "wrong"}, 401, "invalid_client"),
    ({**CLIENT, "client_id": "nobody"}, 401, "invalid_client"),
    ({"grant_type": "client_credentials", "client_id": "wizart_test_client"}, 401, "invalid_client"),
    ({"grant_type": "client_credentials"}, 401, "invalid_client"),
    ({**CLIENT, "grant_type": "password"}, 400, "bad_request"),
])
def test_token_requests_that_fail_get_jsonapi_errors(client, form, status, code):
    response = client.post("/wizart/oauth/token", data=form)
    error = assert_jsonapi(response)["errors"][0]
    assert response.status_code == status and error["status"] == str(status) and error["code"] == code
    if status == 401:  # RFC 6749 §5.2: the challenge names the token endpoint's scheme, not Bearer
        assert response.headers["www-authenticate"] == 'Basic realm="wizart"'


def test_a_failed_basic_client_authentication_is_invalid_client_with_a_basic_challenge(client):
    for secret in ("wrong", ""):
        basic = base64.b64encode(f"{CLIENT['client_id']}:{secret}".encode()).decode()
        response = client.post("/wizart/oauth/token", data={"grant_type": "client_credentials"},
                               headers={"Authorization": f"Basic {basic}"})
        assert response.status_code == 401 and response.headers["www-authenticate"].startswith("Basic ")
        assert assert_jsonapi(response)["errors"][0]["code"] == "invalid_client"


@pytest.mark.parametrize("header", ["Bearer nope", "Bearer ", "Basic abc", "Bearer wz_web_test_0001x", ""])
def test_malformed_or_unknown_tokens_are_401(client, header):
    response = client.get(f"{BASE}/imports", headers={"Authorization": header} if header else {})
    assert response.status_code == 401 and assert_jsonapi(response)["errors"][0]["status"] == "401"


def test_every_operation_takes_exactly_the_token_kinds_its_spec_lists(wz):
    import_id = wz.started(*wall_catalog(2))
    wz.finish(import_id)
    ids = {"importId": import_id, "productId": "1"}
    for operation_id, method, path, allowed in operations():
        url = "/wizart" + path.format(**ids)
        for kind in KINDS:
            if method == "POST":
                csv, images = wall_catalog(1)
                response = wz.upload(csv, images, base=url.rsplit("/imports", 1)[0], kind=kind)
            else:
                response = wz.request(method, url, kind=kind)
            if kind in allowed:
                assert response.status_code in (200, 202), (operation_id, kind, response.text)
            else:
                error = response.json()["errors"][0]
                assert response.status_code == 403 and error["code"] == "token_type_not_allowed", (operation_id, kind)


def test_device_tokens_get_device_optimised_answers(wz):
    for kind in ("android", "ios"):
        assert wz.get(f"{BASE}/products", kind=kind).json()["meta"]["optimized_for"] == kind
    assert "optimized_for" not in wz.get(f"{BASE}/products", kind="web").json()["meta"]


def test_version_2_0_is_past_its_end_of_support_and_says_so(wz):
    import_id = wz.started(*wall_catalog(1))
    old = wz.get(f"{BASE_20}/imports/{import_id}")
    assert old.headers["deprecation"] == "@1649894400"
    assert old.headers["sunset"] == "Sun, 01 Jan 2023 00:00:00 GMT"
    assert 'rel="successor-version"' in old.headers["link"]
    assert "rows_total" not in old.json()["data"]["attributes"]
    assert "sunset" in wz.get(f"{BASE_20}/imports/nope").headers  # errors too
    current = wz.get(f"{BASE}/imports/{import_id}")
    assert "sunset" not in current.headers and "deprecation" not in current.headers
    assert "rows_total" in current.json()["data"]["attributes"]


def test_pagination_links_walk_the_whole_collection_once(wz):
    made = {wz.started(*wall_catalog(1)) for _ in range(7)}
    first = wz.get(f"{BASE}/imports?page[size]=3").json()
    assert first["links"]["prev"] is None and first["meta"]["page"] == {"number": 1, "size": 3, "total": 7, "pages": 3}
    seen, path, pages = [], f"{BASE}/imports?page[size]=3", 0
    while path:
        body = wz.get(path).json()
        seen += [item["id"] for item in body["data"]]
        path, pages = body["links"]["next"], pages + 1
    assert pages == 3 and len(seen) == 7 and set(seen) == made
    last = wz.get(first["links"]["last"]).json()
    assert last["links"]["next"] is None and len(last["data"]) == 1 and last["links"]["prev"]


def test_sort_filter_and_sparse_fieldsets(wz):
    ids = [wz.started(*wall_catalog(1)) for _ in range(3)]
    wz.advance(1)
    later = wz.started(*wall_catalog(1))
    newest_first = [item["id"] for item in wz.get(f"{BASE}/imports").json()["data"]]
    assert newest_first[0] == later and set(newest_first) == {*ids, later}
    assert [item["id"] for item in wz.get(f"{BASE}/imports?sort=created_at").json()["data"]] == ids + [later]
    uploading = wz.get(f"{BASE}/imports?filter[status]=uploading_files").json()["data"]
    assert [item["id"] for item in uploading] == [later]
    sparse = wz.get(f"{BASE}/imports?fields[imports]=status,product_type").json()["data"][0]
    assert set(sparse["attributes"]) == {"status", "product_type"}
    link = wz.get(f"{BASE}/imports?fields[imports]=status&page[size]=1").json()["links"]["next"]
    assert "fields%5Bimports%5D=status" in link
    assert "relationships" not in sparse and "relationships" in wz.get(f"{BASE}/imports").json()["data"][0]


def test_a_sparse_fieldset_leaves_out_relationships_it_does_not_name(wz):
    """JSON:API 1.1: `fields[type]` lists attributes and relationships alike."""
    import_id = wz.started(*wall_catalog(1))
    wz.finish(import_id)
    product = f"{BASE}/products/{wz.products_of(import_id)[0]['id']}"
    whole = wz.get(product).json()["data"]
    assert "import" in whole["relationships"]
    only_sku = wz.get(f"{product}?fields[products]=sku").json()["data"]
    assert set(only_sku["attributes"]) == {"sku"} and "relationships" not in only_sku
    named = wz.get(f"{product}?fields[products]=sku,import").json()["data"]
    assert set(named["attributes"]) == {"sku"} and named["relationships"] == whole["relationships"]


@pytest.mark.parametrize(("query", "parameter"), [("foo=1", "foo"), ("page[size]=0", None), ("page[size]=101", None),
                                                  ("page[bogus]=1", None), ("sort=nonsense", None),
                                                  ("include=products", "include"), ("filter[status]=done", None)])
def test_unknown_or_out_of_range_query_parameters_are_400(wz, query, parameter):
    response = wz.get(f"{BASE}/imports?{query}")
    error = response.json()["errors"][0]
    assert response.status_code == 400 and error["status"] == "400"
    if parameter:
        assert error["source"]["parameter"] == parameter


@pytest.mark.parametrize(("accept", "status"), [
    ("application/vnd.api+json", 200), ("application/vnd.api+json; charset=utf-8", 406),
    ('application/vnd.api+json; profile="https://example.com/p"', 200),
    ("application/vnd.api+json; charset=utf-8, application/vnd.api+json", 200),
    ('application/vnd.api+json; ext="https://example.com/ext"', 406), ("*/*", 200),
])
def test_accept_follows_jsonapi_negotiation(wz, accept, status):
    assert wz.get(f"{BASE}/imports", headers={"Accept": accept}).status_code == status


@pytest.mark.parametrize("content_type", ["application/vnd.api+json; charset=utf-8", "application/vnd.api+json",
                                          "text/plain"])
def test_an_upload_in_any_other_media_type_is_415(wz, content_type):
    response = wz.request("POST", f"{BASE}/imports", content=b'{"data": {}}', headers={"Content-Type": content_type})
    assert response.status_code == 415 and response.json()["errors"][0]["status"] == "415"


def test_unknown_imports_and_products_are_404_documents(wz):
    for path in (f"{BASE}/imports/nope", f"{BASE}/imports/nope/log", f"{BASE}/products/999999",
                 f"{BASE}/products/abc", "/wizart/api/v9.9/imports"):
        response = wz.get(path)
        assert response.status_code == 404 and response.json()["errors"][0]["status"] == "404", path


def test_account_tokens_are_the_fixtures(client):
    for kind, token in ACCOUNT.items():
        response = client.get(f"{BASE}/products", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200, kind
