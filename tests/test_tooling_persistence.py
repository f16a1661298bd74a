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


J = "/jasper/api/v1"
J_AUTH = {"Authorization": "Bearer jasper-test-token"}


def create(client, name: str, sku: str) -> int:
    created = client.post(f"{J}/products", json={"name": name, "sku": sku}, headers=J_AUTH)
    assert created.status_code == 201, created.text
    return created.json()["product"]["id"]


def on_disk(state_file):
    """What a restart would find now: the snapshot and the log as they are on disk."""
    replay, _ = persistence.read(state_file)
    return replay


def test_a_change_is_on_disk_before_its_request_is_answered(make_app, state_file):
    app = make_app(data_file=str(state_file), swagger_ui=False)
    with app.test_client() as client:
        created = client.post(f"{J}/products", json={"name": "Logged", "sku": "LOG-1"}, headers=J_AUTH)
        assert created.status_code == 201, created.text
        advance(client, 42)
        replay = on_disk(state_file)  # no stop, no save: only what the log already holds
    product = replay.tables["jasper_products"][str(created.json()["product"]["id"])]
    assert (product["name"], product["sku"]) == ("Logged", "LOG-1")
    assert replay.clock["manual_now"] == 1710493242.0
    assert "productsmanager.products" in replay.tables  # the starting snapshot holds the fixtures


@pytest.mark.parametrize("body", [
    b'{"name": "\\ud800 lone", "sku": "S1"}',  # a lone surrogate: orjson cannot write it
    b'{"name": "\\udfff\\ud800", "sku": "S2"}',
    b'{"name": "nul \\u0000 and \\ud83d\\ude00", "sku": "S3"}',
])
def test_every_accepted_string_round_trips_exactly(make_app, state_file, body):
    app = make_app(data_file=str(state_file), swagger_ui=False)
    sent = json.loads(body)
    with app.test_client() as client:
        created = client.post(f"{J}/products", content=body, headers={**J_AUTH, "Content-Type": "application/json"})
        assert created.status_code == 201, created.text
        assert client.get("/__admin/health").json()["status"] == "ok"
    doc_id = created.json()["product"]["id"]
    assert on_disk(state_file).tables["jasper_products"][str(doc_id)]["name"] == sent["name"]
    app = restart(make_app, app, state_file)
    assert app.runtime.store.get("jasper_products", doc_id)["name"] == sent["name"]


def test_a_crash_mid_compaction_leaves_the_previous_snapshot_and_the_log(make_app, state_file, monkeypatch):
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
    assert not [p.name for p in state_file.parent.iterdir() if p.name.endswith(".tmp")]  # no temp file left
    app.runtime.saver.wal.close()
    app.runtime.saver = None  # the crashed process never saves again
    app = make_app(data_file=str(state_file), swagger_ui=False)
    with app.test_client() as client:
        assert client.get("/__admin/clock").json()["now"] == "2024-03-15T09:00:20Z"  # the second advance: in the log


def test_a_failing_disk_is_loud_and_refuses_writes_with_the_vendors_503(make_app, state_file, monkeypatch, caplog):
    from mock_server.tooling import wal

    app = make_app(data_file=str(state_file), swagger_ui=False)

    def full(fd):
        raise OSError(28, "No space left on device")

    with app.test_client() as client:
        monkeypatch.setattr(wal.os, "fdatasync", full)
        refused = client.post(f"{J}/products", json={"name": "Lost", "sku": "LOST-1"}, headers=J_AUTH)
        assert refused.status_code == 503, refused.text
        assert list(refused.json()) == ["message"] and "No space left" in refused.json()["message"]  # Jasper's envelope
        health = client.get("/__admin/health").json()
        assert health["status"] == "degraded" and health["persistence"]["writes_refused"] is True
        assert "No space left on device" in health["persistence"]["reason"]
        monkeypatch.undo()  # even once the disk has room again, the log has a gap: writes stay refused
        again = client.post(f"{J}/products", json={"name": "Later", "sku": "LATER-1"}, headers=J_AUTH)
        assert again.status_code == 503 and again.headers["Retry-After"] == "60"
        assert client.get(f"{J}/products", headers=J_AUTH).status_code == 200  # reads are served
    assert any("writing the log failed" in r.getMessage() for r in caplog.records)


def test_a_failing_compaction_turns_health_degraded_while_writes_go_on(make_app, state_file, monkeypatch):
    app = make_app(data_file=str(state_file), data_interval=0.05, data_compact_bytes=0, swagger_ui=False)

    def read_only(*args):
        raise PermissionError(13, "Read-only file system")

    monkeypatch.setattr(os, "replace", read_only)
    with app.test_client() as client:
        assert client.post(f"{J}/products", json={"name": "Kept", "sku": "K-1"}, headers=J_AUTH).status_code == 201
        deadline = time.monotonic() + 10
        while client.get("/__admin/health").json()["status"] == "ok" and time.monotonic() < deadline:
            time.sleep(0.05)
        health = client.get("/__admin/health").json()
        assert health["status"] == "degraded" and "Read-only file system" in health["persistence"]["reason"]
        assert health["persistence"]["writes_refused"] is False  # the log still takes every change
        assert client.post(f"{J}/products", json={"name": "Too", "sku": "K-2"}, headers=J_AUTH).status_code == 201


def test_ids_are_never_reused_after_the_highest_is_deleted_and_the_fake_restarted(make_app, state_file):
    app = make_app(data_file=str(state_file), swagger_ui=False)
    with app.test_client() as client:
        ids = [create(client, f"P{n}", f"ID-{n}") for n in range(3)]
        assert client.delete(f"{J}/products/{ids[-1]}", headers=J_AUTH).status_code in (200, 204)
    app.runtime.saver.wal.close()
    app.runtime.saver = None  # killed: no last save, only the log
    app = make_app(data_file=str(state_file), swagger_ui=False)
    with app.test_client() as client:
        fresh = create(client, "New", "ID-NEW")
        assert fresh == ids[-1] + 1
        assert client.get(f"{J}/products/{ids[0]}", headers=J_AUTH).json()["product"]["name"] == "P0"
    app = restart(make_app, app, state_file)  # and after a compaction (each start writes a snapshot)
    with app.test_client() as client:
        assert create(client, "N2", "ID-N2") == fresh + 1


def test_a_version_1_state_file_is_read_and_rewritten_in_the_log_format(make_app, state_file):
    clock = {"mode": "manual", "manual_now": 1710493260.0, "offset": 0.0}
    meta = {"format": "pimkit-state", "version": 1, "clock": clock, "imports": {}, "vendors": {}}
    row = {"id": 7, "name": "Old \ud800", "sku": "V1-7"}
    state_file.write_text(json.dumps({"meta": meta, "tables": {"jasper_products": {"7": row}}}))
    app = make_app(data_file=str(state_file), swagger_ui=False)
    assert app.runtime.store.get("jasper_products", 7) == row and app.runtime.clock.now() == 1710493260.0
    assert json.loads(state_file.read_bytes().splitlines()[0])["version"] == persistence.VERSION


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


def test_the_log_encoding_round_trips_what_orjson_cannot_write(tmp_path):
    import math

    from mock_server.tooling import wal

    doc = {"s": "\ud800\udfff x", "n": 10**30, "f": float("nan"), "inf": float("-inf"), "nested": [{"k": "\udc00"}]}
    segment = tmp_path / "state.json.log.000001"
    segment.write_bytes(wal.encode(("put", "t", {"1": doc})) + b'["put","t",{"2":{"half":')  # a torn last record
    replay = wal.Replay()
    replay.read(segment)
    back = replay.tables["t"]["1"]
    assert set(replay.tables["t"]) == {"1"} and replay.highest == {"t": 1}  # the torn record was never acknowledged
    assert math.isnan(back.pop("f")) and {**doc, "f": None} == {**back, "f": None}
