"""`--data FILE`: state kept across restarts, written atomically; in memory stays the default."""

from __future__ import annotations

import json
import os
import time

import pytest
from _tooling import PIMS, PIMS_AUTH
from conftest import AUTH, PM, advance, csv_bytes, ean, upload

from mock_server.tooling import persistence


@pytest.fixture
def state_file(tmp_path):
    return tmp_path / "state.json"


def restart(make_app, app, state_file, **overrides):
    app.runtime.close()  # the last save
    return make_app(data_file=str(state_file), swagger_ui=False, **overrides)


def test_in_memory_is_the_default(make_app, tmp_path):
    app = make_app()
    assert app.runtime.saver is None and app.runtime.config.data_file is None
    assert list(tmp_path.iterdir()) == []


def test_an_import_goes_on_through_its_statuses_after_a_restart(make_app, state_file):
    app = make_app(data_file=str(state_file), swagger_ui=False)
    rows = [[ean(n), f"Item {n}", "2.5"] for n in range(300)] + [["bad", "Broken", "1"]]
    with app.test_client() as client:
        job = upload(client, csv_bytes(rows)).json()
        advance(client, 1.3)
        before = client.get(f"{PM}/imports/{job['id']}", headers=AUTH).json()
        assert before["status"] == "processing" and 0 < before["processed_rows"] < 301
        client.post(PIMS, json={"action": "createProduct", "sku": "KEPT-1", "data": {"attributes": {}}},
                    headers=PIMS_AUTH)
    app = restart(make_app, app, state_file)
    with app.test_client() as client:
        assert client.get("/__admin/clock").json()["epoch"] == 1710493201.3
        assert client.get(f"{PM}/imports/{job['id']}", headers=AUTH).json() == before
        done = advance(client, 3600) and client.get(f"{PM}/imports/{job['id']}", headers=AUTH).json()
        assert (done["status"], done["created_rows"], done["error_rows"]) == ("completed_with_errors", 300, 1)
        errors = client.get(f"{PM}/imports/{job['id']}/errors", headers=AUTH).json()["data"]
        assert [e["row"] for e in errors] == [302]
        listed = client.post(PIMS, json={"action": "listProduct", "sku": "KEPT-1"}, headers=PIMS_AUTH)
        assert listed.status_code == 200, listed.text
        # The PIMS query index is rebuilt from the restored store.
        found = client.post(PIMS, json={"action": "getList", "params": {"condition_query": "[[sku]] = 'KEPT-1'"}},
                            headers=PIMS_AUTH).json()
        assert found.get("sku_count") == 1, found


def test_changes_are_saved_in_the_background_without_a_clean_stop(make_app, state_file):
    app = make_app(data_file=str(state_file), data_interval=0.05, swagger_ui=False)
    with app.test_client() as client:
        advance(client, 42)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if state_file.exists() and json.loads(state_file.read_bytes())["meta"]["clock"]["manual_now"] > 1710493200:
            break
        time.sleep(0.02)
    saved = json.loads(state_file.read_bytes())
    assert saved["meta"]["clock"]["manual_now"] == 1710493242.0 and "productsmanager.products" in saved["tables"]


def test_a_crash_mid_write_leaves_the_previous_state_readable(make_app, state_file, monkeypatch):
    app = make_app(data_file=str(state_file), swagger_ui=False)
    with app.test_client() as client:
        advance(client, 10)
    app.runtime.saver.save_now()
    previous = state_file.read_bytes()

    def crash(*args):
        raise OSError("power cut")

    with app.test_client() as client:
        advance(client, 10)
    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        app.runtime.saver.save_now()
    monkeypatch.undo()
    assert state_file.read_bytes() == previous
    assert [p.name for p in state_file.parent.iterdir()] == ["state.json"]  # no temp file left behind
    app.runtime.saver = None  # the crashed process never saves again
    app = make_app(data_file=str(state_file), swagger_ui=False)
    with app.test_client() as client:
        assert client.get("/__admin/clock").json()["now"] == "2024-03-15T09:00:10Z"


def test_a_file_that_is_not_a_state_file_is_refused(make_app, state_file):
    state_file.write_text('{"meta": {"format": "something else"}, "tables": {}}')
    with pytest.raises(persistence.BadStateFile):
        make_app(data_file=str(state_file))
    state_file.write_text("{not json")
    with pytest.raises(persistence.BadStateFile):
        make_app(data_file=str(state_file))


def test_pixee_jobs_keep_their_logs_preview_and_unapplied_rows_across_a_restart(make_app, state_file):
    from conftest import PX, PX_AUTH, px_job, px_logs, px_upload

    rows = [[ean(n, "22"), f"Item {n}", "2.5"] for n in range(1500)] + [["ABC", "Broken", "1"]]
    app = make_app(data_file=str(state_file), swagger_ui=False)
    with app.test_client() as client:
        job = px_upload(client, csv_bytes(rows, header=("ean", "name", "price")), supplier_code="S").json()
        dry = px_upload(client, csv_bytes(rows[:3], header=("ean", "name", "price")), supplier_code="S",
                        dry_run=True).json()
        advance(client, 3)  # analysed (2 s), then about 500 rows applied
        before = px_job(client, job["id"])
        assert before["status"] == "processing" and 0 < before["products_created"] < 1500
        logs = px_logs(client, job["id"], level="error")
    app = restart(make_app, app, state_file)
    with app.test_client() as client:
        assert px_job(client, job["id"]) == before
        assert px_logs(client, job["id"], level="error") == logs and logs["meta"]["total"] == 1
        assert client.get(f"{PX}/jobs/{dry['id']}/preview", headers=PX_AUTH).json()["total_rows"] == 3
        advance(client, 60)
        done = px_job(client, job["id"])
        assert (done["status"], done["products_created"], done["failed_rows"]) == ("completed", 1500, 1)
        confirmed = client.post(f"{PX}/jobs/{dry['id']}/confirm", headers=PX_AUTH)
        assert confirmed.status_code in (200, 202), confirmed.text
        advance(client, 60)
        assert px_job(client, dry["id"])["products_updated"] == 3  # the first job created them
