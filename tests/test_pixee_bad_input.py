"""Pixee bad input: a clear 4xx in the vendor's body, or a failed job with a readable reason; never a 500."""

from __future__ import annotations

import pytest
from conftest import PX, PX_AUTH, advance, csv_bytes, px_job, px_upload

CSV = csv_bytes([["2000000000008", "n", "1"]], header=("ean", "name", "price"))

REQUESTS = {
    "missing file": (lambda c: c.post(f"{PX}/jobs", files={"supplier_code": (None, "A")}, headers=PX_AUTH),
                     400, "bad_request", "'file' is a required property"),
    "unsupported extension": (lambda c: px_upload(c, CSV, filename="catalog.txt"), 400, "unsupported_file_type",
                              "accepted formats are .csv, .xlsx, .json, .xml"),
    "dry_run not a boolean": (lambda c: px_upload(c, CSV, dry_run="maybe"), 400, "bad_request", "boolean"),
    "mapping not json": (lambda c: px_upload(c, CSV, mapping="{"), 400, "invalid_form_json", "mapping"),
    "mapping to an unknown field": (lambda c: px_upload(c, CSV, mapping={"A": "title"}), 400, "bad_request",
                                    "'title' is not one of"),
    "pause an unknown job": (lambda c: c.post(f"{PX}/jobs/nope/pause", headers=PX_AUTH), 404, "not_found",
                             "Import job nope not found."),
    "no token": (lambda c: c.get(f"{PX}/jobs/nope", headers={}), 401, "unauthorized", "Invalid or missing API key."),
    "wrong method": (lambda c: c.get(f"{PX}/jobs/nope/pause", headers=PX_AUTH), 405, "method_not_allowed",
                     "Method not allowed."),
    "json body for a job": (lambda c: c.post(f"{PX}/jobs", json={}, headers=PX_AUTH), 415,
                            "unsupported_media_type", "Unsupported media type."),
}


@pytest.mark.parametrize("name", REQUESTS)
def test_bad_request_gets_a_clear_4xx(client, name):
    call, status, code, fragment = REQUESTS[name]
    response = call(client)
    assert response.status_code == status, response.text
    assert response.json()["code"] == code and fragment in response.json()["detail"]
    assert client.get("/__admin/health").status_code == 200


FAILED = {
    "xml external entity": (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                            b"<products><product><ean>&x;</ean></product></products>", "catalog.xml",
                            "The XML file declares entities or a DTD, which are refused for safety"),
    "xml entity bomb": (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                        b"<products><product><ean>&b;</ean></product></products>", "catalog.xml",
                        "The XML file declares entities or a DTD"),
    "xml that is not flat": (b"<products><product><ean>1</ean><dims><w>2</w></dims></product></products>",
                             "catalog.xml", "The XML file is not flat: record 1 has nested element"),
    "broken xml": (b"<products><product>", "catalog.xml", "The file is not valid XML"),
    "csv that is not utf-8": ("ean,name\n2000000000008,caf\xe9\n".encode("latin-1"), "catalog.csv",
                              "The file is not valid UTF-8 text"),
    "json object": (b'{"ean": "1"}', "catalog.json", "The JSON file must contain an array of objects."),
    "header only": (b"ean,name,price\n", "catalog.csv", "The file contains no data rows."),
}


@pytest.mark.parametrize("name", FAILED)
def test_unreadable_file_fails_after_analysis_with_a_reason_and_imports_nothing(client, app, name):
    content, filename, reason = FAILED[name]
    before = app.runtime.store.count("pixee.products")
    job_id = px_upload(client, content, filename=filename).json()["id"]
    advance(client, 60)
    job = px_job(client, job_id)
    assert (job["status"], job["completed_at"], job["successful_rows"]) == ("failed", "2024-03-15T09:00:02Z", 0)
    assert job["error_message"].startswith(reason)
    assert app.runtime.store.count("pixee.products") == before
    assert client.post(f"{PX}/jobs/{job_id}/pause", headers=PX_AUTH).status_code == 409
