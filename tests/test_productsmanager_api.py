"""Products Manager over HTTP, in process: the documented flow, the counts, the errors listing."""

from __future__ import annotations

import re

import pytest
from conftest import AUTH, PM, advance, all_errors, csv_bytes, finish, json_bytes, upload, xlsx_bytes

GOOD = ["2000000000008", "2000000000015", "2000000000022", "2000000000039"]
EXISTING = "4006381333931"  # in fixtures/productsmanager/fixtures.json


def test_create_answers_the_seed_shape(client):
    response = upload(client, csv_bytes([[GOOD[0], "Pen", "1.20"]]), format="csv")
    assert response.status_code == 202
    body = response.json()
    assert re.fullmatch(r"imp_[0-9A-HJKMNP-TV-Z]{26}", body["id"])
    assert body == {"id": body["id"], "status": "pending", "format": "csv", "total_rows": 0,
                    "created_at": "2024-03-15T09:00:00Z"}


def test_lifecycle_pending_processing_completed(make_app):
    app = make_app(timings={"productsmanager": {"rows_per_second": 10}})
    with app.test_client() as client:
        job = upload(client, csv_bytes([[ean, "t", 1] for ean in GOOD])).json()
        get = lambda: client.get(f"{PM}/imports/{job['id']}", headers=AUTH).json()  # noqa: E731
        assert get()["status"] == "pending"
        advance(client, 1.2)
        mid = get()
        assert (mid["status"], mid["total_rows"], mid["processed_rows"]) == ("processing", 4, 2)
        assert mid["started_at"] == "2024-03-15T09:00:01Z" and mid["completed_at"] is None
        advance(client, 10)
        done = get()
        assert (done["status"], done["processed_rows"], done["created_rows"], done["error_rows"]) == (
            "completed", 4, 4, 0)
        assert done["completed_at"] == "2024-03-15T09:00:01Z"
        advance(client, 100)
        assert get() == done


def test_errors_are_listed_with_row_ean_kind_and_the_seed_message(client):
    rows = [[GOOD[0], "ok", "1"], ["invalid-ean", "x", "1"], [GOOD[1], "", "1"], [GOOD[2], "neg", "-1"],
            ["2000000000009", "bad check digit", "1"], [GOOD[0], "dup", "2"]]
    job = upload(client, csv_bytes(rows)).json()
    status = finish(client, job["id"])
    assert (status["status"], status["total_rows"], status["created_rows"], status["error_rows"]) == (
        "completed_with_errors", 6, 1, 5)
    assert all_errors(client, job["id"]) == [
        {"row": 3, "ean": "invalid-ean", "error": "validation_error", "message": "Invalid EAN format."},
        {"row": 4, "ean": GOOD[1], "error": "validation_error", "message": "Title is required."},
        {"row": 5, "ean": GOOD[2], "error": "validation_error", "message": "Price must be a non-negative decimal."},
        {"row": 6, "ean": "2000000000009", "error": "validation_error", "message": "Invalid EAN check digit."},
        {"row": 7, "ean": GOOD[0], "error": "duplicate_ean", "message": "Duplicate EAN in file (first seen at row 2)."},
    ]


def test_errors_page_twenty_at_a_time_without_gaps(client):
    rows = [[f"bad-{i}", "t", "1"] for i in range(45)] + [[GOOD[0], "ok", "1"]]
    job = upload(client, csv_bytes(rows)).json()
    assert finish(client, job["id"])["error_rows"] == 45
    first = client.get(f"{PM}/imports/{job['id']}/errors", headers=AUTH).json()
    assert first["meta"] == {"page": 1, "per_page": 20, "total": 45} and len(first["data"]) == 20
    third = client.get(f"{PM}/imports/{job['id']}/errors", params={"page": 3}, headers=AUTH).json()
    assert [r["row"] for r in third["data"]] == [42, 43, 44, 45, 46]
    rows_seen = [r["row"] for r in all_errors(client, job["id"], per_page=7)]
    assert rows_seen == list(range(2, 47))
    beyond = client.get(f"{PM}/imports/{job['id']}/errors", params={"page": 9}, headers=AUTH).json()
    assert beyond == {"data": [], "meta": {"page": 9, "per_page": 20, "total": 45}}


def test_errors_listing_shows_only_rows_processed_so_far(make_app):
    app = make_app(timings={"productsmanager": {"rows_per_second": 1}})
    with app.test_client() as client:
        job = upload(client, csv_bytes([["bad", "t", 1]] * 5)).json()
        advance(client, 3)  # 1 s pending + 2 rows
        body = client.get(f"{PM}/imports/{job['id']}/errors", headers=AUTH).json()
        assert body["meta"]["total"] == 2 and [r["row"] for r in body["data"]] == [2, 3]


def test_existing_ean_is_updated_by_default(client):
    job = upload(client, csv_bytes([[EXISTING, "Renamed pen", "2.00"], [GOOD[0], "New", "1"]])).json()
    status = finish(client, job["id"])
    assert (status["created_rows"], status["updated_rows"], status["error_rows"]) == (1, 1, 0)


def test_update_existing_false_leaves_existing_products_untouched(client, app):
    from mock_server.vendors.productsmanager.rules import PRODUCTS

    job = upload(client, csv_bytes([[EXISTING, "Renamed pen", "2.00"], [GOOD[0], "New", "1"]]),
                 update_existing=False).json()
    status = finish(client, job["id"])
    assert (status["created_rows"], status["updated_rows"], status["error_rows"]) == (1, 0, 1)
    assert all_errors(client, job["id"]) == [{"row": 2, "ean": EXISTING, "error": "product_exists",
                                              "message": "Product already exists and update_existing is false."}]
    store = app.runtime.store
    product = store.get(PRODUCTS, store.lookup(PRODUCTS, "ean", EXISTING))
    assert product["title"] == "STABILO point 88 fineliner, black"


def test_second_import_updates_what_the_first_created(client, app):
    from mock_server.vendors.productsmanager.rules import PRODUCTS

    first = upload(client, csv_bytes([[GOOD[0], "v1", "1"]])).json()
    second = upload(client, csv_bytes([[GOOD[0], "v2", "3.5"]])).json()
    assert finish(client, first["id"])["created_rows"] == 1
    assert finish(client, second["id"])["updated_rows"] == 1
    store = app.runtime.store
    product = store.get(PRODUCTS, store.lookup(PRODUCTS, "ean", GOOD[0]))
    assert (product["title"], product["price"], product["import_id"]) == ("v2", "3.5", second["id"])


def test_mapping_is_honoured(client, app):
    from mock_server.vendors.productsmanager.rules import PRODUCTS

    content = csv_bytes([[GOOD[0], "Stylo", "1.5"]], header=("EAN", "Titre", "Prix"))
    unmapped = upload(client, content).json()
    assert finish(client, unmapped["id"])["error_rows"] == 1  # "EAN" matches by name, "Titre" does not
    assert all_errors(client, unmapped["id"])[0]["message"] == "Title is required."
    mapped = upload(client, content, mapping={"EAN": "ean", "Titre": "title", "Prix": "price"}).json()
    assert finish(client, mapped["id"])["created_rows"] == 1
    store = app.runtime.store
    product = store.get(PRODUCTS, store.lookup(PRODUCTS, "ean", GOOD[0]))
    assert (product["title"], product["price"]) == ("Stylo", "1.5")


def test_unmapped_french_title_fails_and_mapped_succeeds(client):
    content = csv_bytes([[GOOD[3], "Stylo", "1.5"]], header=("code", "Titre", "Prix"))
    unmapped = finish(client, upload(client, content).json()["id"])
    assert unmapped["error_rows"] == 1
    mapped = upload(client, content, mapping={"code": "ean", "Titre": "title", "Prix": "price"}).json()
    assert finish(client, mapped["id"])["created_rows"] == 1


@pytest.mark.parametrize("make, filename, fmt", [
    (lambda rows: xlsx_bytes(rows), "catalog.xlsx", "xlsx"),
    (lambda rows: json_bytes([dict(zip(("ean", "title", "price"), r, strict=True)) for r in rows]),
     "catalog.json", "json"),
])
def test_xlsx_and_json_detected_and_imported(client, make, filename, fmt):
    job = upload(client, make([[GOOD[0], "A", 1.5], ["nope", "B", 2]]), filename=filename).json()
    assert job["format"] == fmt
    status = finish(client, job["id"])
    assert (status["status"], status["created_rows"], status["error_rows"]) == ("completed_with_errors", 1, 1)
    expected_row = 3 if fmt == "xlsx" else 2
    assert [e["row"] for e in all_errors(client, job["id"])] == [expected_row]


def test_unknown_id_is_404_in_the_vendor_body(client):
    for path in ("imp_nope", "imp_nope/errors"):
        response = client.get(f"{PM}/imports/{path}", headers=AUTH)
        assert response.status_code == 404
        assert response.json() == {"error": "not_found", "message": "Import imp_nope not found."}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic eDp5"}])
def test_auth_is_required_everywhere(client, headers):
    job = upload(client, csv_bytes([[GOOD[0], "t", 1]])).json()
    calls = [lambda: upload(client, csv_bytes([[GOOD[0], "t", 1]]), headers=headers),
             lambda: client.get(f"{PM}/imports/{job['id']}", headers=headers),
             lambda: client.get(f"{PM}/imports/{job['id']}/errors", headers=headers)]
    for call in calls:
        response = call()
        assert response.status_code == 401
        assert response.json() == {"error": "unauthorized", "message": "Invalid or missing API key."}
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_reset_forgets_imports_and_restores_products(client, app):
    job = upload(client, csv_bytes([[GOOD[0], "t", 1]])).json()
    finish(client, job["id"])
    assert client.post("/__admin/reset").json() == {"status": "reset"}
    assert client.get(f"{PM}/imports/{job['id']}", headers=AUTH).status_code == 404
    assert app.runtime.store.count("productsmanager.products") == 3
