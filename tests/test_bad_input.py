"""Bad input: a clear 4xx in the vendor's body, or a `failed` job a person can read — never a 500."""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import AUTH, PM, csv_bytes, finish, upload, xlsx_bytes

CSV = csv_bytes([["2000000000008", "t", "1"]])


def multipart(client, files=None, data=None, headers=AUTH):
    return client.post(f"{PM}/imports", files=files, data=data, headers=headers)


REQUESTS = {
    "missing file": (lambda c: multipart(c, files={"format": (None, "csv")}),
                     400, "bad_request", "'file' is a required property"),
    "file sent as text": (lambda c: multipart(c, files={"file": (None, "hello")}),
                          400, "missing_file", "must be a file upload"),
    "a file where no file belongs": (lambda c: multipart(c, files={"file": ("a.csv", CSV), "other": ("x", b"")}),
                                     400, "bad_request", "other"),
    "unknown format": (lambda c: upload(c, CSV, format="xml"), 400, "bad_request", "'xml' is not one of"),
    "mapping not json": (lambda c: upload(c, CSV, mapping="notjson"), 400, "invalid_form_json",
                         "mapping must be a JSON object"),
    "mapping not an object": (lambda c: upload(c, CSV, mapping="[1, 2]"), 400, "bad_request",
                              "is not of type 'object'"),
    "mapping to an unknown field": (lambda c: upload(c, CSV, mapping={"A": "colour"}), 400, "bad_request",
                                    "'colour' is not one of"),
    "update_existing not a boolean": (lambda c: upload(c, CSV, update_existing="maybe"), 400, "bad_request",
                                      "expected 'boolean'"),
    "unknown form field": (lambda c: upload(c, CSV, colour="red"), 400, "bad_request", "colour"),
    "json body instead of multipart": (lambda c: c.post(f"{PM}/imports", json={"file": "x"}, headers=AUTH),
                                       415, "unsupported_media_type", "multipart/form-data"),
    "page zero": (lambda c: c.get(f"{PM}/imports/imp_x/errors?page=0", headers=AUTH), 400, "bad_request",
                  "less than the minimum of 1"),
    "per_page over 100": (lambda c: c.get(f"{PM}/imports/imp_x/errors?per_page=101", headers=AUTH), 400,
                          "bad_request", "greater than the maximum of 100"),
    "unknown query parameter": (lambda c: c.get(f"{PM}/imports/imp_x?colour=red", headers=AUTH), 400,
                                "bad_request", "colour"),
    "newline in the id": (lambda c: c.get(f"{PM}/imports/a%0Ab", headers=AUTH), 404, "not_found", "not found"),
    "unknown route": (lambda c: c.get(f"{PM}/nothing", headers=AUTH), 404, "not_found", "Resource not found."),
    "wrong method": (lambda c: c.delete(f"{PM}/imports", headers=AUTH), 405, "method_not_allowed",
                     "Method not allowed."),
    "malformed multipart": (lambda c: c.post(
        f"{PM}/imports", content=b'--zz\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc',
        headers={**AUTH, "Content-Type": "multipart/form-data; boundary=zz"}), 400, "bad_request", ""),
}


@pytest.mark.parametrize("name", REQUESTS)
def test_bad_request_gets_a_clear_4xx_in_the_vendor_body(client, name):
    call, status, code, fragment = REQUESTS[name]
    response = call(client)
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message"} and body["error"] == code
    assert fragment in body["message"]
    assert client.get("/__admin/health").status_code == 200


def test_405_lists_the_methods_of_the_path(client):
    assert client.delete(f"{PM}/imports/imp_x", headers=AUTH).headers["Allow"] == "GET"
    assert client.put(f"{PM}/imports", headers=AUTH).headers["Allow"] == "POST"


def test_upload_over_the_limit_is_413(make_app):
    with make_app(max_upload_bytes=50_000).test_client() as client:
        response = upload(client, b"ean,title\n" + b"2000000000008,t\n" * 5000)
        assert response.status_code == 413
        assert response.json() == {"error": "file_too_large",
                                   "message": "The upload exceeds the maximum size of 0.0476837 MB."}
        assert upload(client, CSV).status_code == 202


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 1024 * 1024))
    return out.getvalue()


FAILED = {
    "content contradicts format (csv sent as xlsx)": (CSV, "a.csv", {"format": "xlsx"},
                                                     "The file is not a valid XLSX workbook: not a zip archive"),
    "xlsx that is no zip": (CSV, "a.xlsx", {}, "The file is not a valid XLSX workbook: not a zip archive"),
    "xlsx zip bomb": (_zip_bomb(), "a.xlsx", {},
                      "The XLSX archive expands beyond the allowed 1 MB; it looks like a zip bomb."),
    "xlsx sent as json": (xlsx_bytes([["1", "t", 1]]), "a.xlsx", {"format": "json"},
                          "The file is not valid JSON: the file does not start with a JSON array"),
    "non-UTF-8 csv": ("ean,title\n2000000000008,café\n".encode("latin-1"), "a.csv", {},
                      "The file is not valid UTF-8 text (first invalid byte near row 2)."),
    "json object, not an array": (b'{"ean": "2000000000008"}', "a.json", {},
                                  "The JSON file must contain an array of objects."),
    "json array of numbers": (b"[1, 2]", "a.json", {}, "Item 1 of the JSON array is not an object."),
    "truncated json": (b'[{"ean": "2000000000008", "title": "t"}, {"ean', "a.json", {},
                       "The file is not valid JSON:"),
    "csv with a header only": (b"ean,title,price\n", "a.csv", {}, "The file contains no data rows."),
    "empty csv": (b"", "a.csv", {}, "The file has no header row."),
}


@pytest.mark.parametrize("name", FAILED)
def test_unreadable_file_ends_in_a_failed_job_with_a_readable_reason(make_app, name):
    content, filename, form, reason = FAILED[name]
    with make_app(max_xlsx_expanded_bytes=1024 * 1024).test_client() as client:
        created = upload(client, content, filename=filename, **form)
        assert created.status_code == 202, created.text
        status = finish(client, created.json()["id"])
        assert status["status"] == "failed"
        assert status["error_message"].startswith(reason)
        assert status["completed_at"] is not None
        assert status["processed_rows"] == status["total_rows"] == (
            status["created_rows"] + status["updated_rows"] + status["error_rows"])
        assert upload(client, CSV).status_code == 202


def test_rows_before_a_critical_error_are_kept_and_counted(client):
    content = b"ean,title\n2000000000008,ok\nbad,x\n2000000000015,caf\xe9\n"
    status = finish(client, upload(client, content).json()["id"])
    assert (status["status"], status["total_rows"], status["created_rows"], status["error_rows"]) == (
        "failed", 2, 1, 1)


def test_xml_is_refused_by_products_manager(client):
    """Pixee reads XML; Products Manager takes CSV, XLSX or JSON only (PM-03)."""
    for name in ("catalog.xml", "upload"):
        response = upload(client, b"<products><product><ean>2000000000008</ean></product></products>",
                          filename=name)
        assert response.status_code == 400
        assert response.json() == {"error": "unsupported_file_type", "message":
                                   "The file looks like xml, which is not accepted: upload CSV, XLSX or JSON."}


@pytest.mark.parametrize("mapping", [
    '{"a":' * 5000 + '"ean"' + "}" * 5000,  # past the recursion limit
    '{"a": ' + "9" * 5000 + "}",  # past the int-conversion limit
    '{"\\ud800": "zzz"}',  # a lone surrogate, echoed in the validation message
])
def test_malformed_mapping_is_400_never_500(client, mapping):
    response = upload(client, CSV, mapping=mapping)
    assert response.status_code == 400, response.text
    assert response.json()["error"] in {"invalid_form_json", "bad_request"}


def test_admin_clock_refuses_nan_and_the_end_of_time(client):
    for body in (b'{"seconds": NaN}', b'{"seconds": Infinity}'):
        response = client.post("/__admin/clock/advance", content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400, response.text
    answers = [client.post("/__admin/clock/advance", json={"seconds": 315360000}).status_code for _ in range(800)]
    assert answers[:790] == [200] * 790 and answers[-1] == 400  # ten years a step: refused before year 10000
    assert client.get("/__admin/clock").json()["now"].startswith("99")
    assert client.get("/__admin/health").status_code == 200
    assert upload(client, CSV).status_code == 202


def test_reset_during_an_import_leaks_nothing_into_the_reset_store(client, app):
    rows = [[f"2{i:011d}", "t", "1"] for i in range(60_000)]
    from mock_server.imports.rows import ean13_check_digit

    content = csv_bytes([[r[0] + str(ean13_check_digit(r[0])), *r[1:]] for r in rows])
    upload(client, content)
    assert client.post("/__admin/reset").status_code == 200
    status = finish(client, upload(client, content).json()["id"])
    assert (status["created_rows"], status["updated_rows"]) == (60_000, 0)
