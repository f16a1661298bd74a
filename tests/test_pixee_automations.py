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
