"""The request journal and verification, driven by a real HTTP client against the fake on a loopback port."""

from __future__ import annotations

import httpx
import pytest
from _tooling import PIMS, PIMS_AUTH, PM, PM_AUTH, clean_client, served

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def live():
    with served(journal_size=50, journal_body_bytes=64) as server:
        yield server


@pytest.fixture
def http(live):
    with clean_client(live) as client:
        yield client


def get_product(http, sku: str) -> httpx.Response:
    return http.post(PIMS, json={"action": "listProduct", "sku": sku}, headers=PIMS_AUTH)


def test_every_vendor_request_is_recorded_with_its_operation_and_status_and_masked_credentials(http):
    http.get(f"{PM}/imports/nope", headers=PM_AUTH, params={"x": "1"})
    get_product(http, "Part-number00")
    http.get("/__admin/clock")  # admin requests are not recorded
    entries = http.get("/__admin/requests").json()
    assert entries["total"] == 2
    first, second = entries["requests"]
    assert (first["api"], first["operation_id"], first["method"], first["status"]) == \
        ("productsmanager", "getImport", "GET", 400)  # strict: x is no parameter of get_import
    assert first["path"] == f"{PM}/imports/nope" and first["query"] == {"x": ["1"]}
    assert first["headers"]["authorization"] == "***" and "pm_test_key_0001" not in str(first)
    assert (second["api"], second["operation_id"], second["status"]) == ("pims", "manageProducts", 200)
    assert second["headers"]["apikey"] == "***"
    assert second["body"] == '{"action":"listProduct","sku":"Part-number00"}'
    assert first["time"] == "2024-03-15T09:00:00Z" and first["wall"] > 1e9 and first["id"] < second["id"]


def test_a_body_refused_before_its_handler_still_shows_and_big_bodies_are_capped(http):
    http.post(PIMS, json={"action": "listProduct", "sku": "S" * 200})  # no key: refused by auth, body unread
    (entry,) = http.get("/__admin/requests").json()["requests"]
    assert entry["status"] == 401 and entry["body"].startswith('{"action":"listProduct","sku":"SSS')
    assert len(entry["body"]) == 64 and entry["body_truncated"] is True and entry["body_size"] > 200


def test_filters_by_api_operation_method_path_status_and_time(http):
    http.get(f"{PM}/imports/a", headers=PM_AUTH)
    http.post("/__admin/clock/advance", json={"seconds": 3600})
    http.get(f"{PM}/imports/b", headers=PM_AUTH)
    get_product(http, "Part-number00")

    def total(**params):
        response = http.get("/__admin/requests", params=params)
        assert response.status_code == 200, response.text
        return [e["path"].rsplit("/", 1)[-1] for e in response.json()["requests"]]

    assert total(api="productsmanager") == ["a", "b"]
    assert total(operation="manageProducts") == ["products"]
    assert total(method="post") == ["products"]
    assert total(path="/api/v1/imports/b") == total(path=f"{PM}/imports/b") == ["b"]
    assert total(path_pattern="imports/[ab]$", status=404) == ["a", "b"]
    assert total(since="2024-03-15T09:30:00Z") == ["b", "products"]
    assert total(until="2024-03-15T09:30:00+00:00") == ["a"]
    assert total(since=1710493200 + 3600, api="productsmanager") == ["b"]
    assert total(limit=1) == ["products"]


@pytest.mark.parametrize("params", [{"since": "yesterday"}, {"until": "2024-13-45T00:00:00Z"},
                                    {"since": "2024-03-15T10:00:00"}, {"path_pattern": "(("},
                                    {"path_pattern": "(a*)*b"},
                                    {"since": "2024-03-16T00:00:00Z", "until": "2024-03-15T00:00:00Z"},
                                    {"limit": -1}])
def test_bad_journal_queries_are_a_clear_400(http, params):
    response = http.get("/__admin/requests", params=params)
    assert response.status_code == 400
    assert set(response.json()) == {"error", "message"} and response.json()["message"]


def test_count_and_verify_match_body_fields(http):
    for sku in ("Part-number00", "Part-number00", "Part-number00", "other"):
        get_product(http, sku)
    criteria = {"method": "POST", "path": "/api/en-us/pim/manage/products", "body": {"sku": "Part-number00"}}
    assert http.post("/__admin/requests/count", json=criteria).json() == {"count": 3}
    assert http.post("/__admin/requests/count", json={**criteria, "body": {"action": "listProduct"}}).json() == \
        {"count": 4}
    verdict = http.post("/__admin/requests/verify", json={**criteria, "count": 3}).json()
    assert verdict["ok"] is True and verdict["count"] == 3 and len(verdict["matched"]) == 3
    wrong = http.post("/__admin/requests/verify", json={**criteria, "count": 2}).json()
    assert wrong["ok"] is False and "received 3" in wrong["message"] and "sku = 'Part-number00'" in wrong["message"]
    assert http.post("/__admin/requests/verify", json={**criteria, "at_least": 4}).json()["ok"] is False
    assert http.post("/__admin/requests/verify", json={**criteria, "at_most": 3}).json()["ok"] is True
    found = http.post("/__admin/requests/find", json={"body": {"sku": "other"}}).json()
    assert found["total"] == 1 and found["requests"][0]["body"].endswith('"sku":"other"}')
    for bad in ({"since": "soon"}, {"body": "sku"}, {"unknown": 1}):
        assert http.post("/__admin/requests/count", json=bad).status_code == 400


def test_a_request_matching_no_operation_gets_its_near_misses_and_why(http):
    http.delete(f"{PM}/imports", headers=PM_AUTH)  # the path exists with POST only
    http.get(f"{PM}/imports/", headers=PM_AUTH, follow_redirects=False)
    http.get(f"{PM}/import-jobs", headers=PM_AUTH)
    http.get(f"{PM}/imports/x", headers=PM_AUTH)  # matched
    unmatched = http.get("/__admin/requests/unmatched").json()["requests"]
    assert [e["method"] + " " + e["path"] for e in unmatched] == [
        f"DELETE {PM}/imports", f"GET {PM}/imports/", f"GET {PM}/import-jobs"]
    reasons = [e["near_misses"][0] for e in unmatched]
    assert reasons[0]["operation_id"] == "createImport" and reasons[0]["reason"].startswith("wrong method")
    missing = [m for m in unmatched[1]["near_misses"] if m["operation_id"] == "getImport"]
    assert missing and missing[0]["reason"].startswith("missing parameter")
    assert reasons[2]["reason"].startswith("unknown path") and reasons[2]["path"].startswith("/api/v1/imports")
    entry = http.get(f"/__admin/requests/{unmatched[0]['id']}").json()
    assert entry["near_misses"] == unmatched[0]["near_misses"]
    assert http.get("/__admin/requests/999999").status_code == 404


def test_the_journal_is_a_bounded_ring_and_can_be_cleared(http):
    for n in range(60):
        http.get(f"{PM}/imports/{n}", headers=PM_AUTH)
    body = http.get("/__admin/requests", params={"limit": 1000}).json()
    assert body["total"] == 50 and body["requests"][0]["path"].endswith("/10")
    assert http.delete("/__admin/requests").json() == {"cleared": 50}
    assert http.get("/__admin/requests").json()["total"] == 0


def test_journal_size_0_records_nothing_and_still_serves(make_app):
    with make_app(journal_size=0, swagger_ui=False).test_client() as client:
        assert client.get(f"{PM}/imports/x", headers=PM_AUTH).status_code == 404
        assert client.get("/__admin/requests").json() == {"total": 0, "requests": []}
        assert client.post("/__admin/requests/count", json={}).json() == {"count": 0}
