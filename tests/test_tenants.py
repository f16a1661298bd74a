"""Tenants (mock_server/tenants.py): isolation of data, clock, journal and faults; names; eviction; snapshots;
durability per tenant. In process, on the module's one app; each test uses tenants of its own names."""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from conftest import PM, csv_bytes, upload

J = "/jasper/api/v1"
JH = {"Authorization": "Bearer jasper-test-token"}


@pytest.fixture
def names():
    """Fresh tenant names for this test (the module's app keeps the tenants of earlier tests)."""
    tag = uuid.uuid4().hex[:8]
    return lambda letter: f"{letter}-{tag}"


def create_product(client, prefix: str, sku: str) -> dict:
    response = client.post(f"{prefix}{J}/products", json={"name": sku.title(), "sku": sku}, headers=JH)
    assert response.status_code == 201, response.text
    return response.json()["product"]


def product_status(client, prefix: str, product_id: int) -> int:
    return client.get(f"{prefix}{J}/products/{product_id}", headers=JH).status_code


def test_each_tenant_has_its_own_data_and_the_default_tenant_is_untouched(client, names):
    a, b = f"/t/{names('a')}", f"/t/{names('b')}"
    made = create_product(client, a, "TEN-1")
    assert product_status(client, a, made["id"]) == 200
    assert product_status(client, b, made["id"]) == 404
    assert product_status(client, "", made["id"]) == 404
    # the same tenant by header
    by_header = client.get(f"{J}/products/{made['id']}", headers={**JH, "X-Pim-Mock-Tenant": names("a")})
    assert by_header.status_code == 200 and by_header.json()["product"]["sku"] == "TEN-1"
    # every tenant starts from the fixtures: the same ids as the default tenant's
    assert create_product(client, b, "TEN-2")["id"] == made["id"]
    # links in answers keep the tenant's prefix
    listing = client.get(f"{a}{J}/products", headers=JH).json()
    assert listing["meta"]["path"].endswith(f"{a}{J}/products")


def test_clocks_are_per_tenant(client, names):
    a, b = f"/t/{names('a')}", f"/t/{names('b')}"
    start = client.get("/__admin/clock").json()["epoch"]
    assert client.post(f"{a}/__admin/clock/advance", json={"seconds": 3600}).status_code == 200
    assert client.get(f"{a}/__admin/clock").json()["epoch"] == start + 3600
    assert client.get(f"{b}/__admin/clock").json()["epoch"] == start
    assert client.get("/__admin/clock").json()["epoch"] == start


def test_journals_and_faults_are_per_tenant(client, names):
    a, b = f"/t/{names('a')}", f"/t/{names('b')}"
    client.get(f"{a}{J}/products/1", headers=JH)
    seen_a = client.get(f"{a}/__admin/requests").json()
    assert seen_a["total"] == 1 and seen_a["requests"][0]["path"] == f"{J}/products/1"
    assert client.get(f"{b}/__admin/requests").json()["total"] == 0
    added = client.post(f"{a}/__admin/faults", json={"kind": "status", "status": 503, "api": "jasper"})
    assert added.status_code == 201
    assert client.get(f"{a}{J}/products/1", headers=JH).status_code == 503
    assert client.get(f"{b}{J}/products/1", headers=JH).status_code == 200
    assert client.get(f"{J}/products/1", headers=JH).status_code == 200
    assert client.get(f"{b}/__admin/faults").json() != client.get(f"{a}/__admin/faults").json()


def test_a_reset_resets_only_its_tenant(client, names):
    a, b = f"/t/{names('a')}", f"/t/{names('b')}"
    made_a, made_b = create_product(client, a, "R-1"), create_product(client, b, "R-2")
    assert client.post(f"{a}/__admin/reset").status_code == 200
    assert product_status(client, a, made_a["id"]) == 404
    assert product_status(client, b, made_b["id"]) == 200


@pytest.mark.parametrize("path, header", [
    ("/t/bad!name/jasper/api/v1/products", None),
    ("/t//jasper/api/v1/products", None),
    ("/t/" + "x" * 65 + "/jasper/api/v1/products", None),
    ("/t/.hidden/jasper/api/v1/products", None),
    ("/jasper/api/v1/products", "../etc"),
])
def test_a_bad_tenant_name_is_a_400(client, path, header):
    headers = {**JH, **({"X-Pim-Mock-Tenant": header} if header else {})}
    response = client.get(path, headers=headers)
    assert response.status_code == 400
    assert response.json()["error"] == "bad_tenant"


def test_the_least_recently_used_tenant_is_evicted_past_the_cap(make_app):
    client = make_app(max_tenants=2).test_client()
    made = create_product(client, "/t/one", "E-1")
    client.get("/t/two/__admin/clock")
    client.get("/t/one/__admin/clock")  # `one` used last: `two` is the least recently used
    client.get("/t/three/__admin/clock")
    listed = client.get("/t/three/__admin/tenants").json()
    assert listed["tenants"] == ["one", "three"] and listed["evicted"] == 1
    client.get("/t/four/__admin/clock")  # evicts `one`: it comes back from the fixtures
    assert product_status(client, "/t/one", made["id"]) == 404


def test_idle_tenants_are_evicted(make_app):
    app = make_app(tenant_idle_seconds=60)
    client = app.test_client()
    client.get("/t/old/__admin/clock")
    client.get("/t/young/__admin/clock")
    app.tenants.peek("old").last_used -= 61
    app.tenants.sweep()
    assert app.tenants.names() == ["young"]


def test_a_snapshot_restores_a_whole_state_into_the_same_or_another_tenant(client, names):
    a, c = f"/t/{names('a')}", f"/t/{names('c')}"
    kept = create_product(client, a, "S-1")
    client.post(f"{a}/__admin/clock/advance", json={"seconds": 600})
    snap = names("snap")
    saved = client.post(f"{a}/__admin/snapshots", json={"name": snap})
    assert saved.status_code == 201 and saved.json()["tenant"] == names("a")
    later = create_product(client, a, "S-2")
    client.post(f"{a}/__admin/clock/advance", json={"seconds": 600})
    assert client.post(f"{a}/__admin/snapshots/{snap}/restore").status_code == 200
    assert product_status(client, a, kept["id"]) == 200
    assert product_status(client, a, later["id"]) == 404
    epoch = client.get(f"{a}/__admin/clock").json()["epoch"]
    assert client.post(f"{c}/__admin/snapshots/{snap}/restore").status_code == 200
    assert product_status(client, c, kept["id"]) == 200
    assert client.get(f"{c}/__admin/clock").json()["epoch"] == epoch
    # the two tenants share the restored documents copy-on-write: a write in one stays there
    renamed = client.put(f"{c}{J}/products/{kept['id']}", json={"name": "Renamed"}, headers=JH)
    assert renamed.status_code == 200, renamed.text
    assert client.get(f"{a}{J}/products/{kept['id']}", headers=JH).json()["product"]["name"] == "S-1"
    # and the snapshot itself is unchanged
    client.post(f"{c}/__admin/snapshots/{snap}/restore")
    assert client.get(f"{c}{J}/products/{kept['id']}", headers=JH).json()["product"]["name"] == "S-1"
    assert client.delete(f"/__admin/snapshots/{snap}").status_code == 200
    missing = client.post(f"{a}/__admin/snapshots/{snap}/restore")
    assert missing.status_code == 404 and missing.json()["error"] == "unknown_snapshot"


def test_a_tenant_can_be_deleted_but_not_the_default_one(client, names):
    a = f"/t/{names('a')}"
    made = create_product(client, a, "D-1")
    assert client.delete(f"{a}/__admin/tenant").json() == {"deleted": names("a")}
    assert product_status(client, a, made["id"]) == 404
    refused = client.delete("/__admin/tenant")
    assert refused.status_code == 409 and refused.json()["error"] == "default_tenant"


def test_each_tenant_is_durable_on_its_own(make_app, tmp_path):
    data = str(tmp_path / "state")
    client = make_app(data_file=data, max_tenants=1).test_client()
    made = create_product(client, "/t/one", "P-1")
    client.post("/t/one/__admin/clock/advance", json={"seconds": 60})
    client.get("/t/two/__admin/clock")  # evicts `one` (cap 1): its state is saved, then read back on its next use
    assert product_status(client, "/t/one", made["id"]) == 200
    assert (tmp_path / "state.tenants" / "one" / "state").exists()
    client.app.runtime.close()
    again = make_app(data_file=data).test_client()  # a restart
    assert product_status(again, "/t/one", made["id"]) == 200
    assert product_status(again, "/t/two", made["id"]) == 404
    assert product_status(again, "", made["id"]) == 404
    clocks = [again.get(f"{p}/__admin/clock").json()["epoch"] for p in ("/t/one", "/t/two")]
    assert clocks[0] == clocks[1] + 60


def import_threads() -> int:
    return sum(thread.name.startswith("pimkit-imports-") for thread in threading.enumerate())


def test_many_importing_tenants_hold_the_pools_threads_only_and_deleting_them_leaks_none(app, client, names):
    """Every tenant's imports run on the process's pool (mock_server/pools.py; more in tests/test_pools.py)."""
    workers = app.runtime.shared.config.import_workers
    auth = {"Authorization": "Bearer pm_test_key_0001"}
    others = threading.active_count() - import_threads()  # the test client's thread, …
    jobs = {}
    for tenant in [names(f"imp{n}") for n in range(10)]:
        response = upload(client, csv_bytes([["4006381333931", "Pen", "1.20"]]),
                          headers={**auth, "X-Pim-Mock-Tenant": tenant})
        assert response.status_code == 202, response.text
        jobs[tenant] = response.json()["id"]
    assert import_threads() <= workers and threading.active_count() - import_threads() == others
    for tenant, job in jobs.items():  # each job moves with its own tenant's clock only (the others' have moved)
        assert client.get(f"/t/{tenant}{PM}/imports/{job}", headers=auth).json()["status"] == "pending"
        assert client.post(f"/t/{tenant}/__admin/clock/advance", json={"seconds": 3600}).status_code == 200
        body = client.get(f"/t/{tenant}{PM}/imports/{job}", headers=auth).json()
        assert (body["status"], body["total_rows"]) == ("completed", 1), body
    for tenant in jobs:
        assert client.delete(f"/t/{tenant}/__admin/tenant").status_code == 200
    deadline = time.monotonic() + 10
    while threading.active_count() - import_threads() > others and time.monotonic() < deadline:
        time.sleep(0.05)  # the threads closing the deleted tenants end
    assert import_threads() == workers and threading.active_count() - import_threads() == others
