"""The `pim_mock` fixture of the pytest plugin (loaded through the `pytest11` entry point of the installed
project), used as an integrator would. The README's worked example runs from an installed wheel in
tests/test_wheel.py."""

from __future__ import annotations

import httpx
import pytest

from mock_server.pytest_plugin import PimMockError


def test_urls_and_credentials_follow_each_apis_spec_and_fixtures(pim_mock):
    assert set(pim_mock.apis) >= {"productsmanager", "pixee", "pims"}
    assert pim_mock.origin.startswith("http://127.0.0.1:")
    assert pim_mock.url("pims") == f"{pim_mock.origin}/t/{pim_mock.tenant}/pims"  # the test's own tenant
    assert pim_mock.headers("productsmanager") == {"Authorization": "Bearer pm_test_key_0001"}
    assert pim_mock.headers("pims") == {"ApiKey": "api_pims_editor_0009"}
    assert pim_mock.token("pixee") == "pixee_test_key_0001"
    for api in pim_mock.apis:  # every mounted API, whatever its scheme, is reachable with its headers
        assert pim_mock.headers(api), api
    response = httpx.post(pim_mock.url("pims") + "/api/en-us/pim/manage/products", headers=pim_mock.headers("pims"),
                          json={"action": "listProduct", "sku": "Part-number00"})
    assert response.status_code == 200
    with pytest.raises(KeyError, match="mounted"):
        pim_mock.url("nosuch")


def test_an_oauth_api_gets_a_fresh_access_token_valid_on_the_clock_as_it_is(pim_mock):
    jsonapi = {"Accept": "application/vnd.api+json"}
    first = pim_mock.headers("wizart")
    assert first["Authorization"].startswith("Bearer ") and first["Authorization"] != "Bearer None"
    url = pim_mock.url("wizart") + "/api/v2.1/imports"
    assert httpx.get(url, headers={**first, **jsonapi}).status_code == 200
    pim_mock.advance(10 * 24 * 3600)  # far past any token lifetime: the old token expired, a new one works
    assert httpx.get(url, headers={**first, **jsonapi}).status_code == 401
    assert httpx.get(url, headers={**pim_mock.headers("wizart"), **jsonapi}).status_code == 200


def has_pims_product(mock, sku: str) -> bool:
    """Seen over HTTP, as an integrator sees it (under xdist the server is another process: no `runtime`)."""
    response = httpx.post(mock.url("pims") + "/api/en-us/pim/manage/products", headers=mock.headers("pims"),
                          json={"action": "listProduct", "sku": sku})
    return response.status_code == 200


def test_state_journal_and_faults_start_clean_in_every_test_part_one(pim_mock):
    pim_mock.advance(30)
    pim_mock.load("pims", {"products": []})
    pim_mock.fault("status", status=503, api="pixee")
    httpx.get(pim_mock.url("pixee") + "/api/v1/imports/automations", headers=pim_mock.headers("pixee"))
    assert pim_mock.count(api="pixee") == 1 and len(pim_mock.faults()) == 1


def test_state_journal_and_faults_start_clean_in_every_test_part_two(pim_mock):
    assert pim_mock.count() == 0 and pim_mock.faults() == []
    assert has_pims_product(pim_mock, pim_mock.fixtures("pims")["products"][0]["sku"])  # part one emptied it
    response = httpx.get(pim_mock.url("pixee") + "/api/v1/imports/automations", headers=pim_mock.headers("pixee"))
    assert response.status_code == 200


def test_load_replaces_one_apis_data(pim_mock):
    product = {**pim_mock.fixtures("pims")["products"][0], "sku": "LOADED-1"}
    assert pim_mock.load("pims", {"products": [product]})["pims.products"] == 1
    ask = {"action": "listProduct", "sku": "LOADED-1"}
    url = pim_mock.url("pims") + "/api/en-us/pim/manage/products"
    assert httpx.post(url, headers=pim_mock.headers("pims"), json=ask).status_code == 200
    assert httpx.post(url, headers=pim_mock.headers("pims"), json={**ask, "sku": "Part-number00"}).status_code != 200
    with pytest.raises(PimMockError, match="404"):
        pim_mock.load("nosuch", {})


def test_journal_helpers_and_verify(pim_mock):
    url = pim_mock.url("pims") + "/api/en-us/pim/manage/products"
    for sku in ("A", "A", "B"):
        httpx.post(url, headers=pim_mock.headers("pims"), json={"action": "listProduct", "sku": sku})
    httpx.get(pim_mock.url("productsmanager") + "/api/v2/imports")
    assert pim_mock.verify(3, api="pims", method="POST") == 3
    assert pim_mock.verify(2, body={"sku": "A"}) == 2
    assert [e["body"] for e in pim_mock.requests(body={"sku": "B"})] == ['{"action":"listProduct","sku":"B"}']
    assert pim_mock.requests(limit=1)[0]["path"].endswith("/api/v2/imports")
    (miss,) = pim_mock.unmatched()
    assert miss["near_misses"] and miss["near_misses"][0]["reason"].startswith("unknown path")
    with pytest.raises(PimMockError, match=r"(?s)Expected count 5 .*received 2.*unmatched GET .*/api/v2/imports"):
        pim_mock.verify(5, body={"sku": "A"})
    pim_mock.clear_journal()
    assert pim_mock.count() == 0


def test_fault_helpers(pim_mock):
    fault = pim_mock.fault("status", status=429, retry_after=2, operation="getImport", count=1)
    response = httpx.get(pim_mock.url("productsmanager") + "/api/v1/imports/x",
                         headers=pim_mock.headers("productsmanager"))
    assert response.status_code == 429 and response.headers["Retry-After"] == "2"
    assert pim_mock.faults()[0]["remaining"] == 0
    pim_mock.remove_fault(fault["id"])
    assert pim_mock.faults() == []
    with pytest.raises(PimMockError, match="400"):
        pim_mock.fault("latency", ms=-1)


def test_every_test_has_a_tenant_of_its_own_dropped_after_it(pim_mock_server, pim_mock):
    other = pim_mock_server.for_tenant(pim_mock.tenant + "-other")
    try:
        pim_mock.advance(3600)
        assert other.now() == pim_mock.now() - 3600
        assert pim_mock_server.now() == other.now()  # the default tenant did not move either
        other.drop()
        assert other.tenant not in pim_mock._call("GET", "/tenants")["tenants"]
    finally:
        other.close()


def test_a_snapshot_taken_in_one_test_tenant_restores_into_another(pim_mock_server, pim_mock):
    sku = pim_mock.fixtures("pims")["products"][0]["sku"]
    pim_mock.load("pims", {"products": []})
    pim_mock.snapshot("plugin-empty-catalog")
    other = pim_mock_server.for_tenant(pim_mock.tenant + "-copy")
    try:
        assert has_pims_product(other, sku) and not has_pims_product(pim_mock, sku)
        other.restore("plugin-empty-catalog")
        assert not has_pims_product(other, sku)
    finally:
        other.drop()
        other.close()
