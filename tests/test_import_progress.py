"""Imports move with the clock, not with requests: a GET writes no row, and no request waits for another job."""

from __future__ import annotations

import threading

import pytest
from conftest import AUTH, PM, PX, PX_AUTH, advance, csv_bytes, ean, px_job, px_upload, upload

from mock_server.imports.timeline import Flow, Stage, configured_flow


def pixee_csv(rows: list[list]) -> bytes:
    return csv_bytes(rows, header=("ean", "name", "price"))


def pixee_products(app) -> int:
    return len(app.runtime.store.all("pixee.products"))


def test_a_pixee_get_reads_and_the_clock_writes(app, client):
    before = pixee_products(app)
    job_id = px_upload(client, pixee_csv([[ean(n), f"Item {n}", "2.5"] for n in range(1, 6)])).json()["id"]
    app.runtime.clock.advance(60)  # time passes, but nobody has moved the clock through the fake
    for _ in range(3):
        seen = px_job(client, job_id)
        assert (seen["status"], seen["successful_rows"], seen["products_created"]) == ("processing", 0, 0)
        assert client.get(f"{PX}/jobs/{job_id}/logs", headers=PX_AUTH).status_code == 200
    assert pixee_products(app) == before, "a GET wrote product rows"
    advance(client, 0)  # the clock's progression applies what is due
    seen = px_job(client, job_id)
    assert (seen["status"], seen["products_created"]) == ("completed", 5)
    assert pixee_products(app) == before + 5


def test_a_wizart_get_reads_and_the_clock_writes(app, client, wz):
    from test_wizart_imports import wall_catalog

    import_id = wz.started(*wall_catalog(5))
    listed = len(wz.get("/wizart/api/v2.1/products").json()["data"])
    app.runtime.clock.advance(3600)
    assert wz.status(import_id)["attributes"]["status"] == "success"  # what the clock says of the import …
    assert len(wz.get("/wizart/api/v2.1/products").json()["data"]) == listed  # … but no GET wrote the rows
    wz.advance(0)
    assert len(wz.products_of(import_id)) == 5


def test_requests_and_advances_do_not_wait_for_a_slow_job(app, client):
    """Y (a Pixee dry run) is stuck reading its file; X (Pixee), a Products Manager import and the automations
    listing answer, and the clock moves past X, without waiting for Y."""
    release = threading.Event()
    submit = app.runtime.imports.submit

    def slow_first(work):
        if not slow_first.done:
            slow_first.done, work.prepare = True, lambda: release.wait(60)
        submit(work)

    slow_first.done = False
    app.runtime.imports.submit = slow_first
    try:
        slow = px_upload(client, pixee_csv([[ean(1), "Slow", "1"]]), dry_run=True).json()["id"]
        fast = px_upload(client, pixee_csv([[ean(2), "Fast", "1"]])).json()["id"]
        pm = upload(client, csv_bytes([["4006381333931", "Pen", "1.5"]])).json()["id"]
        advance(client, 10)
        assert px_job(client, fast)["status"] == "completed"
        assert client.get(f"{PM}/imports/{pm}", headers=AUTH).json()["status"] == "completed"
        assert client.get(f"{PX}/automations", headers=PX_AUTH).status_code == 200
        assert app.runtime.imports.ready(slow) is None, "Y was still being read all along"
    finally:
        release.set()
    assert px_job(client, slow)["status"] == "ready"


def test_one_timings_format_for_every_vendor_and_unknown_keys_refused(make_app):
    flow = Flow(waiting=(Stage("pending", 1.0),), running="processing", rows_per_second=500.0)
    assert configured_flow(flow, {"x": {"stages": {"pending": 0}, "rows_per_second": 5}}, "x").waiting[0].seconds == 0
    with pytest.raises(ValueError, match="unknown analyzing_seconds"):
        configured_flow(flow, {"x": {"analyzing_seconds": 0}}, "x")
    with pytest.raises(ValueError, match="no waiting stage queued"):
        configured_flow(flow, {"x": {"stages": {"queued": 0}}}, "x")
    app = make_app(timings={"pixee": {"stages": {"analyzing": 0}, "rows_per_second": 1}})
    with app.test_client() as client:
        job_id = px_upload(client, pixee_csv([[ean(n), f"Item {n}", "1"] for n in range(1, 4)])).json()["id"]
        advance(client, 2)
        assert (px_job(client, job_id)["status"], px_job(client, job_id)["successful_rows"]) == ("processing", 2)


def test_with_a_real_clock_a_ticker_applies_due_rows_without_any_advance():
    import time

    from mock_server.app import create_app
    from mock_server.config import Config

    app = create_app(Config(clock="real", timings={"pixee": {"stages": {"analyzing": 0}, "rows_per_second": 1e6}}))
    with app.test_client() as client:
        before = pixee_products(app)
        job_id = px_upload(client, pixee_csv([[ean(n), f"Item {n}", "1"] for n in range(1, 4)])).json()["id"]
        deadline = time.monotonic() + 30
        while px_job(client, job_id)["status"] != "completed" and time.monotonic() < deadline:
            time.sleep(0.05)
        assert px_job(client, job_id)["products_created"] == 3
        assert pixee_products(app) == before + 3
    app.runtime.close()
