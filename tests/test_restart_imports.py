"""Every vendor's imports across a `--data` restart: Wizart's go on where they were (ENG-D08), and a job whose file
was still being read when the state was saved reads as failed "interrupted" (ENG-D06) — no GET answers 500."""

from __future__ import annotations

import threading

import pytest
from _wizart import BASE, Wizart, wall_catalog
from conftest import AUTH, PM, PX, PX_AUTH, csv_bytes, ean, px_upload, upload

from mock_server.imports import engine


@pytest.fixture
def state_file(tmp_path):
    return tmp_path / "state.json"


def restart(make_app, app, state_file):
    app.runtime.close()  # the last save
    return make_app(data_file=str(state_file), swagger_ui=False)


def test_wizart_imports_go_on_after_a_restart(make_app, state_file):
    app = make_app(data_file=str(state_file), swagger_ui=False)
    with app.test_client() as client:
        wz = Wizart(client)
        done = wz.started(*wall_catalog(5, bad_width=(2,)))
        wz.finish(done)
        moving = wz.started(*wall_catalog(200))
        wz.advance(6.5)  # five 1 s stages, then 100 rows/s: into importing_data, some rows written
        before = wz.status(moving)["attributes"]
        assert before["status"] == "importing_data" and 0 < before["rows_processed"] < 200, before
        finished = wz.status(done)
        log = wz.get(f"{BASE}/imports/{done}/log").text
        listed = {i: wz.products_of(i) for i in (done, moving)}
    app = restart(make_app, app, state_file)
    with app.test_client() as client:
        wz = Wizart(client)
        assert wz.status(done) == finished
        assert wz.get(f"{BASE}/imports/{done}/log").text == log
        assert wz.status(moving)["attributes"] == before
        assert {i: wz.products_of(i) for i in (done, moving)} == listed  # filter[import] as before
        after = wz.finish(moving)["attributes"]
        assert (after["status"], after["rows_imported"]) == ("success", 200)
        assert len(wz.products_of(moving)) == 200


def test_jobs_being_read_at_a_restart_fail_as_interrupted_and_nothing_answers_500(make_app, state_file,
                                                                                monkeypatch):
    release = threading.Event()
    real = engine.read_records

    def stuck(*args, **kwargs):
        release.wait(30)
        yield from real(*args, **kwargs)

    app = make_app(data_file=str(state_file), swagger_ui=False)
    monkeypatch.setattr(engine, "read_records", stuck)
    monkeypatch.setattr(persistence_close_wait(), "CLOSE_WAIT_SECONDS", 0.1)
    with app.test_client() as client:
        pm = upload(client, csv_bytes([[ean(1), "t", "1.00"]])).json()["id"]
        px = px_upload(client, csv_bytes([[ean(1), "t", "1.00"]], header=("ean", "name", "price"))).json()["id"]
        wz = Wizart(client).started(*wall_catalog(3))
    app.runtime.saver.close()  # the last save, while the three files are being read
    app.runtime.saver = None
    release.set()
    app.runtime.close()
    monkeypatch.setattr(engine, "read_records", real)
    app = make_app(data_file=str(state_file), swagger_ui=False)
    with app.test_client() as client:
        client.post("/__admin/clock/advance", json={"seconds": 3600})
        for path, headers in ((f"{PM}/imports/{pm}", AUTH), (f"{PX}/jobs/{px}", PX_AUTH)):
            response = client.get(path, headers=headers)
            assert response.status_code == 200, response.text
            assert response.json()["status"] == "failed", response.json()
            assert "interrupted by a restart" in str(response.json())
        wizart = Wizart(client)
        assert wizart.status(wz)["attributes"]["status"] == "failure"
        assert "interrupted by a restart" in wizart.get(f"{BASE}/imports/{wz}/log").text


def persistence_close_wait():
    from mock_server.tooling import persistence

    return persistence


def test_a_save_keeps_a_spool_once_beside_the_data_file_and_then_records_only_how_far_it_is_applied(
        make_app, state_file):
    from mock_server.imports.spool import kept_spool
    from mock_server.vendors.pixee import persist

    rows = [[ean(n, "23"), f"Item {n}", "2.5"] for n in range(1500)]
    app = make_app(data_file=str(state_file), swagger_ui=False)
    with app.test_client() as client:
        job = px_upload(client, csv_bytes(rows, header=("ean", "name", "price"))).json()["id"]
        client.post("/__admin/clock/advance", json={"seconds": 3})  # analysed, ~500 rows applied
        first = persist.dump(app.runtime)["jobs"][job]
        kept = kept_spool(str(state_file), job)
        assert kept.exists() and len(kept.read_bytes().splitlines()) == 1500
        assert first["spool_kept"] and ean(1400, "23") not in str(first)  # no row past the preview saved
        mtime = kept.stat().st_mtime_ns
        client.post("/__admin/clock/advance", json={"seconds": 1})
        second = persist.dump(app.runtime)["jobs"][job]
        assert kept.stat().st_mtime_ns == mtime  # not copied again
        assert second["application"]["applied"] > first["application"]["applied"]
    app = restart(make_app, app, state_file)
    with app.test_client() as client:
        client.post("/__admin/clock/advance", json={"seconds": 60})
        done = client.get(f"{PX}/jobs/{job}", headers=PX_AUTH).json()
        assert (done["status"], done["products_created"]) == ("completed", 1500)
