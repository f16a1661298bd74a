"""Pixee automations: validated on create, run by the virtual clock, from http (for real) and sftp/ftp (a dir)."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import PX, PX_AUTH, advance, csv_bytes, ean, px_job

SEED_BODY = {
    "name": "Daily Supplier A Import", "supplier_code": "SUPPLIER_A", "schedule": "0 2 * * *",
    "file_source": {"type": "sftp", "host": "sftp.supplier.com", "username": "user", "password": "secret",
                    "path": "/exports/products.csv"},
    "mapping": {"EAN": "ean", "Titre": "name", "Prix HT": "price"},
}


def create(client, body: dict):
    return client.post(f"{PX}/automations", json=body, headers=PX_AUTH)


def automation(client, automation_id: str) -> dict:
    return client.get(f"{PX}/automations/{automation_id}", headers=PX_AUTH).json()


def serve(handler_class):
    """`handler_class` on a free loopback port, in a thread; yields the base URL; stopped after."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def hostile_server():
    """/big answers 5,000 bytes (over a lowered upload limit), /slow one byte every 0.2 s, for ever."""
    stop = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            self.send_response(200)
            self.end_headers()
            try:
                if self.path == "/big.csv":
                    self.wfile.write(b"ean,name\n" + b"x" * 5000)
                    return
                while not stop.wait(0.2):
                    self.wfile.write(b"x")
                    self.wfile.flush()
            except OSError:
                pass  # the fake hung up: what the deadline is for

        def log_message(self, *args):
            pass

    served = serve(Handler)
    yield next(served)
    stop.set()
    next(served, None)


@pytest.fixture
def catalog_server():
    """A supplier's web server on a free loopback port, serving one CSV; stopped after the test."""
    files = {"/export.csv": csv_bytes([[ean(1), "Web item", "3.5"]], header=("EAN", "Titre", "Prix HT"))}
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the stdlib's name
            hits.append(self.path)
            body = files.get(self.path)
            self.send_response(200 if body else 404)
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_seed_example_creates_and_runs_at_2am_from_the_sftp_directory(client):
    response = create(client, SEED_BODY)
    assert response.status_code == 201
    body = response.json()
    assert {k: body[k] for k in ("name", "schedule", "is_active", "created_at")} == {
        "name": "Daily Supplier A Import", "schedule": "0 2 * * *", "is_active": True,
        "created_at": "2024-03-15T09:00:00Z"}
    assert "password" not in body["file_source"]
    assert (body["next_run_at"], body["last_job_id"]) == ("2024-03-16T02:00:00Z", None)
    advance(client, 16 * 3600)  # 01:00 the next day: not due yet
    assert automation(client, body["id"])["last_job_id"] is None
    advance(client, 3600 + 60)  # 02:01: the 02:00 run has happened and its job has finished
    ran = automation(client, body["id"])
    assert (ran["last_run_at"], ran["next_run_at"]) == ("2024-03-16T02:00:00Z", "2024-03-17T02:00:00Z")
    job = px_job(client, ran["last_job_id"])
    assert (job["status"], job["created_at"], job["automation_id"], job["supplier_code"]) == (
        "completed", "2024-03-16T02:00:00Z", body["id"], "SUPPLIER_A")
    assert (job["file_name"], job["total_rows"], job["failed_rows"]) == ("products.csv", 2, 0)


def test_http_source_is_fetched_for_real_on_schedule(client, catalog_server):
    base, hits = catalog_server
    body = create(client, {"name": "web", "schedule": "*/10 * * * *", "mapping": {"EAN": "ean", "Titre": "name",
                                                                                    "Prix HT": "price"},
                           "file_source": {"type": "http", "url": f"{base}/export.csv"}}).json()
    advance(client, 25 * 60)  # due at 09:10 and 09:20
    assert hits == ["/export.csv", "/export.csv"]
    job = px_job(client, automation(client, body["id"])["last_job_id"])
    assert (job["created_at"], job["status"], job["products_updated"]) == ("2024-03-15T09:20:00Z", "completed", 1)


def test_a_failing_source_gives_a_failed_job_with_its_reason(client, catalog_server):
    base, _ = catalog_server
    for source, reason in [({"type": "http", "url": f"{base}/missing.csv"}, "answered HTTP 404"),
                           ({"type": "ftp", "host": "ftp.nowhere", "path": "/x.csv"}, "no file /x.csv")]:
        body = create(client, {"name": "broken", "schedule": "* * * * *", "file_source": source}).json()
        advance(client, 60)
        job = px_job(client, automation(client, body["id"])["last_job_id"])
        assert job["status"] == "failed" and reason in job["error_message"]
        assert job["error_message"].startswith("The file source could not be read:")


def test_inactive_automations_do_not_run_and_delete_removes(client):
    body = create(client, {**SEED_BODY, "is_active": False}).json()
    assert (body["is_active"], body["next_run_at"]) == (False, None)
    advance(client, 3 * 86400)
    assert automation(client, body["id"])["last_job_id"] is None
    assert [a["id"] for a in client.get(f"{PX}/automations", headers=PX_AUTH).json()["items"]] == [body["id"]]
    assert client.delete(f"{PX}/automations/{body['id']}", headers=PX_AUTH).status_code == 204
    assert client.get(f"{PX}/automations/{body['id']}", headers=PX_AUTH).status_code == 404


def test_missed_runs_are_made_up_at_most_ten_at_a_time(client):
    body = create(client, {**SEED_BODY, "schedule": "* * * * *"}).json()
    advance(client, 3600)
    ran = automation(client, body["id"])
    assert ran["last_run_at"] == "2024-03-15T09:10:00Z" and ran["next_run_at"] == "2024-03-15T10:01:00Z"


@pytest.mark.parametrize("change, code, fragment", [
    ({"schedule": "61 2 * * *"}, "invalid_schedule", "not a valid cron expression"),
    ({"schedule": "every day"}, "invalid_schedule", "not a valid cron expression"),
    ({"schedule": "0 0 2 * * *"}, "invalid_schedule", "not a valid cron expression"),
    ({"file_source": {"type": "sftp", "path": "/a.csv"}}, "invalid_source", "needs host"),
    ({"file_source": {"type": "ftp", "host": "h"}}, "invalid_source", "needs path"),
    ({"file_source": {"type": "http"}}, "invalid_source", "needs url"),
    ({"file_source": {"type": "http", "url": "ftp://x/a.csv"}}, "invalid_source", "http:// or https://"),
    ({"file_source": {"type": "http", "url": "http://127.0.0.1:abc/x"}}, "invalid_source", "not a valid address"),
    ({"file_source": {"type": "http", "url": "http://127.0.0.1:99999/x"}}, "invalid_source", "not a valid address"),
    ({"file_source": {"type": "http", "url": "https://k]x"}}, "invalid_source", "not a valid address"),
    ({"file_source": {"type": "http", "url": "http:///x.csv"}}, "invalid_source", "no valid host name"),
    ({"file_source": {"type": "http", "url": "http://a b/x.csv"}}, "invalid_source", "no valid host name"),
    ({"file_source": {"type": "http", "url": "http://h/x", "headers": {"X-A": "b\r\nInjected: 1"}}},
     "invalid_source", "not a valid HTTP header"),
    ({"file_source": {"type": "s3", "host": "h", "path": "/p"}}, "bad_request", "'s3' is not one of"),
    ({"file_source": {"type": {}, "host": "h", "path": "/p"}}, "bad_request", "is not one of"),
    ({"file_source": {"type": ["sftp"], "host": "h"}}, "bad_request", "is not one of"),
    ({"mapping": ["EAN"]}, "bad_request", "is not of type 'object'"),
    ({"name": ""}, "bad_request", "name"),
    ({"colour": "red"}, "bad_request", "colour"),
])
def test_bad_automations_are_400_with_a_reason(client, change, code, fragment):
    response = create(client, {**SEED_BODY, **change})
    assert response.status_code == 400
    assert response.json()["code"] == code and fragment in response.json()["detail"]


def test_a_year_past_a_per_minute_automation_is_counted_not_stepped(app, client, monkeypatch):
    """The ten made-up runs step croniter; the other 525,590 missed runs are counted by arithmetic."""
    from mock_server.vendors.pixee import automations as module

    steps = []
    real_next_due = module.next_due
    monkeypatch.setattr(module, "next_due", lambda schedule, after: steps.append(after) or real_next_due(schedule,
                                                                                                        after))
    body = create(client, {**SEED_BODY, "schedule": "* * * * *"}).json()
    steps.clear()
    advance(client, 365 * 86400)
    ran = automation(client, body["id"])
    assert len(steps) <= 12  # ten runs and the jump to the first run after the clock, never one per minute
    assert ran["last_run_at"] == "2024-03-15T09:10:00Z" and ran["next_run_at"] == "2025-03-15T09:01:00Z"
    stored = app.runtime.store.find("pixee.automations", "id", body["id"])
    assert stored["run_count"] == 10 and stored["skipped_runs"] == 365 * 1440 - 10


@pytest.mark.parametrize("schedule", ["* * * * *", "0 2 * * *", "*/15 1-3 L * *", "0 0 * * 5#2", "0 0 1 * 1-5",
                                      "*/7 */5 13 * 5", "30 4 1,15 2,8 *", "0 12 29 2 *", "0 0 * * 7"])
def test_runs_between_counts_what_stepping_croniter_counts(schedule):
    import random

    from mock_server.vendors.pixee.automations import next_due
    from mock_server.vendors.pixee.cron import runs_between

    rng = random.Random(schedule)
    for _ in range(6):
        after = 1710490000 + rng.random() * 1e8
        until = after + rng.choice([59, 3600, 86400 * 3, 86400 * 60]) * rng.random() * 3
        stepped, due = 0, next_due(schedule, after)
        while due <= until and stepped < 2000:
            stepped, due = stepped + 1, next_due(schedule, due)
        if stepped == 2000:  # a dense schedule: compare up to its 2000th run (stepping is what costs)
            until = due - 1
        assert runs_between(schedule, after, until) == stepped


def test_runs_between_over_whole_400_year_cycles():
    from mock_server.vendors.pixee.cron import CYCLE_DAYS, runs_between

    start = 1710460800.0 - 1  # 2024-03-15T00:00:00Z, just before
    assert runs_between("0 2 * * *", start, start + 3 * CYCLE_DAYS * 86400) == 3 * CYCLE_DAYS

def test_a_source_over_the_upload_limit_or_past_its_deadline_fails_its_run(make_app, hostile_server):
    """Streamed: the fetch stops at the limit (a 500 MB source took the server to 1.1 GB) and at the deadline (a
    byte every 5 s held the Pixee API for 117 s)."""
    app = make_app(max_upload_bytes=1000, timings={"pixee": {"source_deadline_seconds": 0.5}})
    with app.test_client() as client:
        big = create(client, {"name": "big", "schedule": "* * * * *",
                              "file_source": {"type": "http", "url": f"{hostile_server}/big.csv"}}).json()
        slow = create(client, {"name": "slow", "schedule": "* * * * *",
                               "file_source": {"type": "http", "url": f"{hostile_server}/slow.csv"}}).json()
        advance(client, 60)
        big_job = px_job(client, automation(client, big["id"])["last_job_id"])
        slow_job = px_job(client, automation(client, slow["id"])["last_job_id"])
    assert big_job["status"] == "failed" and "more than the 1000-byte limit" in big_job["error_message"]
    assert slow_job["status"] == "failed" and "did not complete within 0.5 s" in slow_job["error_message"]


def test_an_automation_whose_run_cannot_start_fails_that_run_and_requests_go_on(make_app):
    """A malformed URL saved before it was validated (`--data`, an older version) answered 500 to every Pixee
    request once due: the run fails, logged, and the job says why."""
    from mock_server.vendors.pixee import rules

    app = make_app()
    with app.test_client() as client:
        body = create(client, {"name": "bad", "schedule": "* * * * *",
                               "file_source": {"type": "http", "url": "http://127.0.0.1:8/x.csv"}}).json()
        store = app.runtime.store
        store.update(rules.AUTOMATIONS, store.lookup(rules.AUTOMATIONS, "id", body["id"]),
                     {"file_source": {"type": "http", "url": "http://127.0.0.1:abc/x"}})
        advance(client, 120)
        assert client.get(f"{PX}/automations", headers=PX_AUTH).status_code == 200
        ran = automation(client, body["id"])
        job = px_job(client, ran["last_job_id"])
    assert ran["last_run_at"] == "2024-03-15T09:02:00Z" and ran["next_run_at"] == "2024-03-15T09:03:00Z"
    assert job["status"] == "failed" and "abc" in job["error_message"]


def test_a_failing_automation_is_named_in_health_until_a_run_succeeds(make_app, tmp_path):
    with make_app(source_dir=str(tmp_path)).test_client() as client:
        assert client.get("/__admin/health").json()["status"] == "ok"
        body = create(client, {"name": "nightly", "schedule": "* * * * *",
                               "file_source": {"type": "ftp", "host": "ftp.nowhere", "path": "/x.csv"}}).json()
        advance(client, 60)
        health = client.get("/__admin/health").json()
        assert health["status"] == "degraded"
        [problem] = health["problems"]
        assert (problem["api"], problem["automation_id"], problem["name"]) == ("pixee", body["id"], "nightly")
        assert "no file /x.csv" in problem["error"]
        (tmp_path / "ftp.nowhere").mkdir()
        catalog = csv_bytes([[ean(1), "t", "1.00"]], header=("EAN", "Titre", "Prix HT"))
        (tmp_path / "ftp.nowhere" / "x.csv").write_bytes(catalog)
        advance(client, 60)
        assert client.get("/__admin/health").json()["status"] == "ok"


def test_the_real_mode_ticker_runs_automations_in_the_background_and_goes_on_applying_rows(app, monkeypatch):
    import asyncio
    import time

    from mock_server.vendors import pixee
    from mock_server.vendors.pixee import automations, jobs

    started, applied = [], []

    async def slow_runs(runtime):
        started.append(True)
        await asyncio.sleep(5)  # a source trickling towards its 30 s deadline

    async def progress(runtime, wait):
        applied.append(wait)

    monkeypatch.setattr(automations, "run_due", slow_runs)
    monkeypatch.setattr(jobs, "progress", progress)

    async def two_ticks() -> float:
        began = time.perf_counter()
        await pixee.tick(app.runtime, wait=False)
        await pixee.tick(app.runtime, wait=False)  # the first run is still going: not started twice
        took = time.perf_counter() - began
        await asyncio.sleep(0.05)  # the background run starts
        pixee.state.state(app.runtime).runs_task.cancel()
        return took

    assert asyncio.run(two_ticks()) < 1 and started == [True] and applied == [False, False]


def test_an_automation_deleted_while_its_run_fetches_the_file_is_not_written_back(app, client, monkeypatch):
    """mypy found it: run_due wrote the run's outcome to `store.lookup(...)` of an automation that a DELETE had
    removed while the run awaited its source (None: KeyError, a 500 to the request that moved the clock)."""
    from mock_server.vendors.pixee import automations as module

    body = create(client, {**SEED_BODY, "schedule": "* * * * *"}).json()
    real_run = module._run

    async def deleted_meanwhile(rt, doc, due):
        outcome = await real_run(rt, doc, due)
        module.delete(rt, doc["id"])  # as a DELETE /automations/{id} answered while the file was read
        return outcome

    monkeypatch.setattr(module, "_run", deleted_meanwhile)
    advance(client, 60)  # asserts a 200
    assert client.get(f"{PX}/automations/{body['id']}", headers=PX_AUTH).status_code == 404
    monkeypatch.setattr(module, "_run", real_run)
    advance(client, 120)
