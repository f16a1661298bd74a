"""Pixee over HTTP, in process: the status machine on the clock, controls, logs, preview, dry runs."""

from __future__ import annotations

import re

import pytest
from conftest import PX, PX_AUTH, advance, csv_bytes, ean, json_bytes, px_job, px_logs, px_upload, xlsx_bytes

HEADER = ("ean", "name", "price")


def catalog(rows: int, bad: int = 0) -> bytes:
    good = [[ean(i), f"Item {i}", f"{i}.50"] for i in range(rows)]
    return csv_bytes(good + [[f"BAD{i}", "x", "1"] for i in range(bad)], header=HEADER)


@pytest.fixture
def slow(make_app):
    """Pixee at 10 rows/s, so a few seconds of clock show every status."""
    with make_app(timings={"pixee": {"rows_per_second": 10}}).test_client() as client:
        yield client


def products(app) -> dict[str, dict]:
    return {d["ean"]: d for d in app.runtime.store.all("pixee.products")}


def test_create_answers_the_seed_shape(client):
    response = px_upload(client, catalog(1), supplier_code="SUPPLIER_A")
    assert response.status_code == 202
    body = response.json()
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", body["id"])
    assert body == {"id": body["id"], "status": "analyzing", "file_name": "catalog.csv", "file_type": "csv"}


def test_the_readme_example_file_gives_the_readmes_figures(client):
    """The README's Pixee session uploads fixtures/pixee/catalog.csv: what it shows holds for that file."""
    from conftest import REPO

    content = (REPO / "fixtures" / "pixee" / "catalog.csv").read_bytes()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert 'file=@fixtures/pixee/catalog.csv' in readme and f'"file_size":{len(content)}' in readme
    job = px_upload(client, content, supplier_code="SUPPLIER_A",
                    mapping={"EAN": "ean", "Titre": "name", "Prix HT": "price"}).json()
    advance(client, 3)
    shown = px_job(client, job["id"])
    assert (shown["total_rows"], shown["successful_rows"], shown["failed_rows"]) == (1501, 500, 1)
    [line] = px_logs(client, job["id"], level="error")["items"]
    assert (line["row_number"], line["value"]) == (1502, "123ABC7890")


def test_lifecycle_counts_and_supplier_code(make_app):
    app = make_app(timings={"pixee": {"rows_per_second": 10}})
    with app.test_client() as client:
        job_id = px_upload(client, catalog(20, bad=5), supplier_code="SUPPLIER_A").json()["id"]
        first = px_job(client, job_id)
        assert (first["status"], first["total_rows"], first["started_at"], first["completed_at"]) == (
            "analyzing", 0, "2024-03-15T09:00:00Z", None)
        advance(client, 3)  # 2 s analysis + 1 s at 10 rows/s
        mid = px_job(client, job_id)
        assert (mid["status"], mid["total_rows"], mid["failed_rows"], mid["successful_rows"]) == (
            "processing", 25, 5, 10)
        assert mid["error_summary"] == "5 rows failed EAN validation"
        assert len(products(app)) == 2 + 10  # only the rows the clock has processed are written
        advance(client, 10)
        done = px_job(client, job_id)
        assert (done["status"], done["successful_rows"], done["products_created"], done["products_updated"]) == (
            "completed", 20, 20, 0)
        assert done["completed_at"] == "2024-03-15T09:00:04Z"
        assert {p["supplier_code"] for e, p in products(app).items() if e.startswith("21")} == {"SUPPLIER_A"}


def test_the_seeds_preview_ean_is_valid_pixee_checks_digits_not_the_check_digit(client, app):
    job_id = px_upload(client, csv_bytes([["3760000000001", "Produit exemple", "29.99"]], header=HEADER)).json()["id"]
    advance(client, 60)
    assert px_job(client, job_id)["products_updated"] == 1  # in the fixtures already
    preview = client.get(f"{PX}/jobs/{job_id}/preview", headers=PX_AUTH).json()
    assert preview == {"total_rows": 1, "validation_errors": [],
                       "preview": [{"ean": "3760000000001", "name": "Produit exemple", "price": 29.99}]}


def test_pause_freezes_progress_and_resume_continues(slow):
    job_id = px_upload(slow, catalog(30)).json()["id"]
    advance(slow, 3)
    assert slow.post(f"{PX}/jobs/{job_id}/pause", headers=PX_AUTH).json() == {"id": job_id, "status": "paused"}
    advance(slow, 100)
    paused = px_job(slow, job_id)
    assert (paused["status"], paused["successful_rows"]) == ("paused", 10)
    assert slow.post(f"{PX}/jobs/{job_id}/pause", headers=PX_AUTH).status_code == 409
    assert slow.post(f"{PX}/jobs/{job_id}/resume", headers=PX_AUTH).json()["status"] == "processing"
    advance(slow, 1)
    assert px_job(slow, job_id)["successful_rows"] == 20
    advance(slow, 1)
    done = px_job(slow, job_id)
    assert (done["status"], done["completed_at"]) == ("completed", "2024-03-15T09:01:45Z")  # 5 s of work + 100 paused


@pytest.mark.parametrize("action, status_word", [("pause", "processing"), ("resume", "paused"), ("cancel", "finished"),
                                                  ("confirm", "dry run")])
def test_controls_that_do_not_fit_the_status_are_409(client, action, status_word):
    job_id = px_upload(client, catalog(2)).json()["id"]
    advance(client, 60)
    response = client.post(f"{PX}/jobs/{job_id}/{action}", headers=PX_AUTH)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "invalid_transition" and "completed" in body["detail"] and status_word in body["detail"]


def test_cancel_is_final_and_keeps_only_rows_imported_before_it(slow, app):
    job_id = px_upload(slow, catalog(30)).json()["id"]
    advance(slow, 3)
    assert slow.post(f"{PX}/jobs/{job_id}/cancel", headers=PX_AUTH).json() == {"id": job_id, "status": "cancelled"}
    advance(slow, 100)
    job = px_job(slow, job_id)
    assert (job["status"], job["successful_rows"], job["completed_at"]) == ("cancelled", 10, "2024-03-15T09:00:03Z")
    for action in ("resume", "pause", "cancel"):
        assert slow.post(f"{PX}/jobs/{job_id}/{action}", headers=PX_AUTH).status_code == 409
    assert px_job(slow, job_id)["status"] == "cancelled"


def test_cancel_while_analyzing(client):
    job_id = px_upload(client, catalog(3)).json()["id"]
    assert client.post(f"{PX}/jobs/{job_id}/cancel", headers=PX_AUTH).json()["status"] == "cancelled"
    advance(client, 60)
    job = px_job(client, job_id)
    assert (job["status"], job["successful_rows"], job["total_rows"]) == ("cancelled", 0, 0)


def test_dry_run_persists_nothing_stops_at_ready_and_confirm_imports(client, app):
    before = products(app)
    job_id = px_upload(client, catalog(5, bad=1), dry_run=True).json()["id"]
    advance(client, 600)
    ready = px_job(client, job_id)
    assert (ready["status"], ready["total_rows"], ready["successful_rows"], ready["failed_rows"]) == ("ready", 6, 5, 1)
    assert (ready["products_created"], ready["completed_at"]) == (0, None)
    assert products(app) == before
    assert client.post(f"{PX}/jobs/{job_id}/confirm", headers=PX_AUTH).json()["status"] == "processing"
    advance(client, 1)
    done = px_job(client, job_id)
    assert (done["status"], done["products_created"]) == ("completed", 5)
    assert len(products(app)) == len(before) + 5


def test_logs_filter_by_level_and_page_by_skip_and_limit(client):
    rows = [[ean(i), f"Item {i}", "" if i == 3 else "1.5"] for i in range(10)] + [["123ABC7890", "x", "1"]] * 3
    job_id = px_upload(client, csv_bytes(rows, header=("ean", "name", "price", "colour")[:3])).json()["id"]
    advance(client, 60)
    errors = px_logs(client, job_id, level="error")
    assert errors["meta"] == {"total": 3, "page": 1, "per_page": 50, "total_pages": 1, "has_next": False,
                              "has_previous": False}
    assert errors["items"][0] == {"row_number": 12, "level": "error", "field": "ean", "value": "123ABC7890",
                                  "message": "EAN format invalid (expected 13 digits)",
                                  "timestamp": "2024-03-15T09:00:02Z"}
    assert errors["meta"]["total"] == px_job(client, job_id)["failed_rows"]
    assert [i["row_number"] for i in px_logs(client, job_id, level="warning")["items"]] == [5]
    info = px_logs(client, job_id, level="info")
    assert info["meta"]["total"] == 10 and {i["message"] for i in info["items"]} == {"Product created"}
    seen = []
    for skip in range(0, 14, 4):
        page = px_logs(client, job_id, skip=skip, limit=4)
        assert page["meta"]["page"] == skip // 4 + 1 and page["meta"]["total_pages"] == 4
        assert page["meta"]["has_previous"] == (skip > 0) and page["meta"]["has_next"] == (skip + 4 < 14)
        seen += page["items"]
    assert len(seen) == 14 and len({(i["row_number"], i["level"]) for i in seen}) == 14


def test_info_logs_follow_the_clock(slow):
    job_id = px_upload(slow, catalog(30)).json()["id"]
    advance(slow, 3)
    assert px_logs(slow, job_id, level="info")["meta"]["total"] == 10
    assert px_logs(slow, job_id, level="info")["items"][-1]["timestamp"] == "2024-03-15T09:00:03Z"


@pytest.mark.parametrize("query", ["limit=0", "limit=201", "skip=-1", "level=fatal", "level=ERROR"])
def test_bad_log_queries_are_400(client, query):
    job_id = px_upload(client, catalog(1)).json()["id"]
    response = client.get(f"{PX}/jobs/{job_id}/logs?{query}", headers=PX_AUTH)
    assert response.status_code == 400 and set(response.json()) == {"detail", "code"}


def test_preview_limits_and_validation_errors(client):
    job_id = px_upload(client, catalog(12, bad=2)).json()["id"]
    assert client.get(f"{PX}/jobs/{job_id}/preview", headers=PX_AUTH).status_code == 409  # still analyzing
    advance(client, 2)
    default = client.get(f"{PX}/jobs/{job_id}/preview", headers=PX_AUTH).json()
    assert (default["total_rows"], len(default["preview"]), default["validation_errors"]) == (14, 10, [])
    assert default["preview"][0] == {"ean": ean(0), "name": "Item 0", "price": 0.5}
    whole = client.get(f"{PX}/jobs/{job_id}/preview?limit=14", headers=PX_AUTH).json()
    assert [e["row_number"] for e in whole["validation_errors"]] == [14, 15]
    assert client.get(f"{PX}/jobs/{job_id}/preview?limit=101", headers=PX_AUTH).status_code == 400


@pytest.mark.parametrize("filename, content", [
    ("catalog.xml", b"<products>" + b"".join(
        f"<product><ean>{ean(i)}</ean><name>N{i}</name><price>1</price></product>".encode() for i in range(3))
        + b"<product><ean>nope</ean><name>x</name></product></products>"),
    ("catalog.xlsx", xlsx_bytes([[ean(i), f"N{i}", 1] for i in range(3)] + [["nope", "x", 1]], header=HEADER)),
    ("catalog.json", json_bytes([{"ean": ean(i), "name": f"N{i}", "price": 1} for i in range(3)]
                                + [{"ean": "nope", "name": "x"}])),
])
def test_every_format_by_extension(client, filename, content):
    created = px_upload(client, content, filename=filename).json()
    assert created["file_type"] == filename.rsplit(".", 1)[1]
    advance(client, 60)
    job = px_job(client, created["id"])
    assert (job["status"], job["total_rows"], job["successful_rows"], job["failed_rows"]) == ("completed", 4, 3, 1)


def test_unknown_job_is_404_and_auth_is_required(client):
    response = client.get(f"{PX}/jobs/00000000-0000-4000-8000-000000000000", headers=PX_AUTH)
    assert response.status_code == 404
    assert response.json() == {"detail": "Import job 00000000-0000-4000-8000-000000000000 not found.",
                               "code": "not_found"}
    for headers in ({}, {"Authorization": "Bearer nope"}):
        response = client.get(f"{PX}/automations", headers=headers)
        assert response.status_code == 401 and response.json()["code"] == "unauthorized"


def test_a_job_controlled_across_a_reset_is_not_found(client, monkeypatch):
    """mypy found it: control() waited for the job's file (observe), then wrote to `store.lookup(...)` of a job a
    reset had removed meanwhile (None: KeyError, a 500). It is the vendor's 404 now (DECISIONS.md TYP-D02)."""
    from mock_server.vendors.pixee import jobs

    job_id = px_upload(client, catalog(30)).json()["id"]  # analyzing: it may be cancelled
    real_observe = jobs.observe

    async def reset_meanwhile(rt, job, now=None):
        view = await real_observe(rt, job, now)
        rt.reset()  # as POST /__admin/reset answered while this request waited for the worker
        return view

    monkeypatch.setattr(jobs, "observe", reset_meanwhile)
    response = client.post(f"{PX}/jobs/{job_id}/cancel", headers=PX_AUTH)
    assert response.status_code == 404, response.text
    assert job_id in response.text
