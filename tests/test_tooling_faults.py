"""Fault injection, driven by a real HTTP client against the fake on a loopback port: every kind, scoping,
probability and count, the request header, validation, and the admin API left alone."""

from __future__ import annotations

import time

import httpx
import pytest
from _tooling import PIMS, PIMS_AUTH, PM, PM_AUTH, PX, PX_AUTH, clean_client, served

from mock_server.tooling import faults

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def live():
    with served(fault_seed=7) as server:
        yield server


@pytest.fixture
def http(live):
    with clean_client(live) as client:
        yield client


def add(http, **definition) -> dict:
    response = http.post("/__admin/faults", json=definition)
    assert response.status_code == 201, response.text
    return response.json()


def pm_get(http, job="nope", **kwargs) -> httpx.Response:
    return http.get(f"{PM}/imports/{job}", headers={**PM_AUTH, **kwargs.pop("headers", {})}, **kwargs)


def last_entry(http) -> dict:
    return http.get("/__admin/requests").json()["requests"][-1]


@pytest.mark.parametrize(("api", "path", "call", "envelope"), [
    ("productsmanager", f"{PM}/imports/x", lambda c: c.get(f"{PM}/imports/x", headers=PM_AUTH), {"error", "message"}),
    ("pixee", f"{PX}/jobs/x", lambda c: c.get(f"{PX}/jobs/x", headers=PX_AUTH), {"detail", "code"}),
    ("pims", PIMS, lambda c: c.post(PIMS, json={"action": "listProduct", "sku": "x"}, headers=PIMS_AUTH),
     {"status", "status_message"}),
])
@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_status_fault_answers_with_the_vendors_error_body(http, api, path, call, envelope, status):
    add(http, kind="status", status=status, api=api, count=1)
    response = call(http)
    assert response.status_code == status and set(response.json()) == envelope
    assert ("Retry-After" in response.headers) == (status in (429, 503))
    assert call(http).status_code != status  # count 1: used up
    entry = http.get("/__admin/requests", params={"api": api}).json()["requests"][0]
    assert entry["status"] == status and entry["fault"].startswith("status")


def test_retry_after_and_message_can_be_given(http):
    add(http, kind="status", status=429, retry_after=7, message="Slow down.")
    response = pm_get(http)
    assert response.headers["Retry-After"] == "7" and response.json()["message"] == "Slow down."


def test_latency_fixed_uniform_and_lognormal_delay_the_answer(http):
    for definition, low in (({"ms": 150}, 0.15), ({"distribution": "uniform", "min_ms": 120, "max_ms": 160}, 0.12),
                            ({"distribution": "lognormal", "median_ms": 200, "sigma": 0.01}, 0.19)):
        http.delete("/__admin/faults")
        add(http, kind="latency", **definition)
        started = time.perf_counter()
        assert pm_get(http).status_code == 404  # served after the delay
        assert time.perf_counter() - started >= low
        assert last_entry(http)["fault"].startswith("latency")


def test_a_dropped_connection_sends_no_answer(http, live):
    add(http, kind="drop", operation="getImport", count=1)
    with pytest.raises(httpx.RemoteProtocolError, match="without sending"):
        pm_get(http)
    assert pm_get(http).status_code == 404  # the next connection is served
    entries = http.get("/__admin/requests").json()["requests"]
    assert entries[0]["status"] is None and entries[0]["fault"] == "drop"
    assert entries[0]["operation_id"] == entries[1]["operation_id"] == "getImport"


def test_an_empty_body_keeps_status_and_headers(http):
    add(http, kind="empty", path_pattern=r"/imports/[^/]+$", method="GET")
    response = pm_get(http)
    assert response.status_code == 404 and response.content == b""
    assert response.headers["content-type"].startswith("application/json")


def test_a_truncated_body_is_cut_then_the_connection_closed(http, live):
    add(http, kind="truncate", api="productsmanager")
    with httpx.Client(base_url=live.origin) as client, client.stream("GET", f"{PM}/imports/nope",
                                                                      headers=PM_AUTH) as response:
        declared = int(response.headers["content-length"])
        with pytest.raises(httpx.RemoteProtocolError):
            response.read()
    assert declared > 20 and response.status_code == 404


def test_the_header_asks_for_one_fault_of_any_kind(http):
    assert pm_get(http, headers={"X-Pim-Mock-Fault": "status=503"}).status_code == 503
    response = pm_get(http, headers={"X-Pim-Mock-Fault": "status=429; retry_after=3"})
    assert response.status_code == 429 and response.headers["Retry-After"] == "3"
    started = time.perf_counter()
    assert pm_get(http, headers={"X-Pim-Mock-Fault": "latency=120"}).status_code == 404
    assert time.perf_counter() - started >= 0.12
    assert pm_get(http, headers={"X-Pim-Mock-Fault": "empty"}).content == b""
    with pytest.raises(httpx.RemoteProtocolError):
        pm_get(http, headers={"X-Pim-Mock-Fault": "drop"})
    with pytest.raises(httpx.RemoteProtocolError):
        pm_get(http, headers={"X-Pim-Mock-Fault": "truncate"})
    bad = pm_get(http, headers={"X-Pim-Mock-Fault": "explode"})
    assert bad.status_code == 400 and set(bad.json()) == {"error", "message"} and "kind" in bad.json()["message"]
    assert pm_get(http).status_code == 404  # nothing stays in force


def test_scope_by_api_operation_path_and_method(http):
    add(http, kind="status", status=500, api="pixee")
    add(http, kind="status", status=502, operation="listImportErrors")
    add(http, kind="status", status=504, method="DELETE", path_pattern="^/productsmanager/")
    assert pm_get(http).status_code == 404
    assert http.get(f"{PM}/imports/x/errors", headers=PM_AUTH).status_code == 502
    assert http.delete(f"{PM}/imports/x", headers=PM_AUTH).status_code == 504
    assert http.get(f"{PX}/jobs", headers=PX_AUTH).status_code == 500
    assert http.post(PIMS, json={"action": "listProduct", "sku": "x"}, headers=PIMS_AUTH).status_code != 500


def test_probability_and_count(http):
    add(http, kind="status", status=503, probability=0)
    assert all(pm_get(http).status_code == 404 for _ in range(20))
    http.delete("/__admin/faults")
    half = add(http, kind="status", status=503, probability=0.5)
    statuses = [pm_get(http).status_code for _ in range(80)]
    assert 15 < statuses.count(503) < 65 and statuses.count(404) == 80 - statuses.count(503)
    listed = http.get("/__admin/faults").json()["faults"]
    assert listed[0]["applied"] == statuses.count(503) and listed[0]["remaining"] is None
    assert http.delete(f"/__admin/faults/{half['id']}").json() == {"deleted": half["id"]}
    assert http.delete(f"/__admin/faults/{half['id']}").status_code == 404
    add(http, kind="status", status=503, count=2)
    assert [pm_get(http).status_code for _ in range(3)] == [503, 503, 404]
    assert http.get("/__admin/faults").json()["faults"][0]["remaining"] == 0


def test_faults_never_touch_the_admin_api(http):
    add(http, kind="drop")
    add(http, kind="status", status=500, path_pattern="__admin")
    assert http.get("/__admin/health").status_code == 200
    assert http.get("/__admin/requests", headers={"X-Pim-Mock-Fault": "drop"}).status_code == 200
    assert http.post("/__admin/clock/advance", json={"seconds": 1}).status_code == 200


@pytest.mark.parametrize("definition", [
    {"kind": "explode"}, {}, {"kind": "status"}, {"kind": "status", "status": 200}, {"kind": "status", "status": "x"},
    {"kind": "drop", "probability": 1.5}, {"kind": "drop", "probability": -0.1}, {"kind": "latency", "ms": -5},
    {"kind": "latency", "distribution": "uniform", "min_ms": 10}, {"kind": "latency", "distribution": "poisson"},
    {"kind": "latency", "distribution": "uniform", "min_ms": 30, "max_ms": 10},
    {"kind": "latency", "distribution": "lognormal", "median_ms": -1}, {"kind": "drop", "path_pattern": "(["},
    {"kind": "drop", "count": 0}, {"kind": "drop", "api": "nosuchapi"}, {"kind": "drop", "ms": 5},
])
def test_bad_fault_definitions_are_a_clear_400(http, definition):
    response = http.post("/__admin/faults", json=definition)
    assert response.status_code == 400, response.text
    assert set(response.json()) == {"error", "message"} and response.json()["message"]
    assert http.get("/__admin/faults").json()["faults"] == []


def test_parse_checks_what_the_spec_cannot():
    """The `--faults` file and the header bypass Connexion: the same checks hold in `faults.parse`."""
    for bad in ({"kind": "latency", "ms": -1}, {"kind": "drop", "probability": 2}, {"kind": "bogus"},
                {"kind": "drop", "path_pattern": "("}, {"kind": "latency", "ms": float("nan")}, []):
        with pytest.raises(faults.BadFault):
            faults.parse(bad, ("pims",))
    assert faults.parse_header("status=503").params == {"status": 503, "retry_after": 1}
    assert faults.parse_header("latency=20").params == {"distribution": "fixed", "ms": 20}
