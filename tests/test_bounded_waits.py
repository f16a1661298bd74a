"""No request waits unboundedly for a file being read (ENG-D05): past `request_wait` the vendor's 503 with
Retry-After; an admin clock advance waits up to `advance_wait`, then 503 too, and the next advance applies the rest."""

from __future__ import annotations

import threading

import pytest
from _wizart import wall_catalog
from conftest import AUTH, PM, PX, PX_AUTH, csv_bytes, ean, px_upload, upload

from mock_server.imports import engine


@pytest.fixture
def slow_reader(app, monkeypatch):
    """Every file read from now on blocks before its first row until the test sets the event."""
    release = threading.Event()
    real = engine.read_records

    def slow(*args, **kwargs):
        release.wait(30)
        yield from real(*args, **kwargs)

    monkeypatch.setattr(engine, "read_records", slow)
    imports = app.runtime.imports
    monkeypatch.setattr(imports, "request_wait", 0.2)
    monkeypatch.setattr(imports, "advance_wait", 0.3)
    yield release
    release.set()


def _unavailable(response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["Retry-After"] == "5"


def test_a_products_manager_get_answers_503_while_its_file_is_read_then_the_job(client, slow_reader):
    job_id = upload(client, csv_bytes([[ean(1), "t", "1.00"]])).json()["id"]
    assert client.post("/__admin/clock/advance", json={"seconds": 3600}).status_code == 200  # PM has no rows to apply
    _unavailable(client.get(f"{PM}/imports/{job_id}", headers=AUTH))
    assert client.get("/__admin/health").status_code == 200  # other requests are served meanwhile
    slow_reader.set()
    assert client.get(f"{PM}/imports/{job_id}", headers=AUTH).json()["status"] == "completed"


def test_a_pixee_advance_waits_its_budget_then_503_and_the_next_advance_applies_the_rows(client, slow_reader):
    job_id = px_upload(client, csv_bytes([[ean(1), "t", "1.00"]], header=("ean", "name", "price"))).json()["id"]
    advance = client.post("/__admin/clock/advance", json={"seconds": 3600})
    _unavailable(advance)
    assert advance.json()["error"]  # the admin envelope
    _unavailable(client.get(f"{PX}/jobs/{job_id}", headers=PX_AUTH))
    slow_reader.set()
    assert client.post("/__admin/clock/advance", json={"seconds": 0}).status_code == 200
    job = client.get(f"{PX}/jobs/{job_id}", headers=PX_AUTH).json()
    assert (job["status"], job["successful_rows"]) == ("completed", 1), job


def test_a_wizart_get_answers_503_while_an_import_queued_before_it_is_read(wz, slow_reader):
    first = wz.started(*wall_catalog(3))
    second = wz.started(*wall_catalog(3))
    wz.client.post("/__admin/clock/advance", json={"seconds": 0})
    for import_id in (first, second):
        response = wz.client.get(f"/wizart/api/v2.1/imports/{import_id}", headers=wz.auth())
        if response.status_code != 200:  # still in a stage before the analysis is needed: fine
            _unavailable(response)
    wz.client.post("/__admin/clock/advance", json={"seconds": 40})
    _unavailable(wz.client.get(f"/wizart/api/v2.1/imports/{second}", headers=wz.auth()))
    slow_reader.set()
    assert wz.finish(second)["attributes"]["status"] == "success"
