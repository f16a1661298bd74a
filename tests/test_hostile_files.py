"""Hostile catalog files: each class trips its limit (lowered here, as `Config.import_limits` lowers it) and fails
with `limit_exceeded` before the oversized part is held in memory; files just inside the limits still read."""

from __future__ import annotations

import io
import zipfile

import pytest
from conftest import xlsx_bytes
from test_formats import aborted, records

from mock_server.imports.formats import ImportAborted, Limits

SMALL = Limits(max_cells_per_row=8, max_row_bytes=200, max_total_cells=40, max_rows=30, max_shared_strings=5,
               max_shared_strings_bytes=4096)


def read(tmp_path, content: bytes, fmt: str, limits: Limits = SMALL) -> list:
    return records(tmp_path, content, fmt, limits)


def limit_hit(tmp_path, content: bytes, fmt: str, limits: Limits = SMALL) -> ImportAborted:
    error = aborted(tmp_path, content, fmt, limits)
    assert error.code == "limit_exceeded"
    return error


def xlsx_with(sheet_rows: str = "", shared: list[str] | None = None) -> bytes:
    """A real workbook whose sheet data (and shared strings) are replaced by the given XML."""
    source = io.BytesIO(xlsx_bytes([]))
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in original.namelist():
            data = original.read(name)
            if name == "xl/worksheets/sheet1.xml" and sheet_rows:
                text = data.decode()
                start, end = text.index("<sheetData"), text.index("</sheetData>") + len("</sheetData>")
                data = (text[:start] + f"<sheetData>{sheet_rows}</sheetData>" + text[end:]).encode()
            if name == "[Content_Types].xml" and shared is not None:
                data = data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            archive.writestr(name, data)
        if shared is not None:
            items = "".join(f"<si><t>{s}</t></si>" for s in shared)
            archive.writestr("xl/sharedStrings.xml", '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                             f'2006/main" count="{len(shared)}">{items}</sst>')
    return out.getvalue()


def inline_row(r: int, values: list[str]) -> str:
    return f'<row r="{r}">' + "".join(f'<c t="inlineStr"><is><t>{v}</t></is></c>' for v in values) + "</row>"


# --- cells per row ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt, content", [
    ("csv", b"ean,title\n" + b",".join([b"x"] * 9) + b"\n"),
    ("json", b'[{"ean": "1"}, {' + b", ".join(b'"c%d": 1' % i for i in range(9)) + b"}]"),
    ("xml", b"<items><item><ean>1</ean></item><item>" + b"".join(b"<c%d>1</c%d>" % (i, i) for i in range(9))
     + b"</item></items>"),
    ("xlsx", xlsx_with(inline_row(1, ["ean", "title"]) + inline_row(2, ["x"] * 9))),
])
def test_a_row_with_too_many_cells_fails_at_its_row(tmp_path, fmt, content):
    error = limit_hit(tmp_path, content, fmt)
    assert error.params["limit_name"] == "cells_per_row"
    assert error.row == 2
    assert "more than 8 cells" in error.params["detail"]


def test_an_xlsx_row_of_empty_cells_is_counted_from_the_raw_xml(tmp_path):
    """openpyxl would build the whole row (7 million cells took 4.5 GB): the raw-XML count stops it first."""
    content = xlsx_with(inline_row(1, ["ean"]) + '<row r="2">' + "<c/>" * 50 + "</row>")
    assert limit_hit(tmp_path, content, "xlsx").params["limit_name"] == "cells_per_row"


# --- row width in bytes ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt, content", [
    ("csv", b"ean,title\n1," + b"x" * 300 + b"\n"),
    ("csv", b"ean,title\n1," + b"x" * 300),  # no line end at all: the whole file is one line
    ("csv", b'ean,title\n1,"' + b"x\n" * 150 + b'"\n'),  # one quoted field over many short lines
    ("json", b'[{"ean": "1"}, {"ean": "' + b"x" * 300 + b'"}]'),
    ("xml", b"<items><item><ean>1</ean></item><item><t>" + b"x" * 300 + b"</t></item></items>"),
    ("xlsx", xlsx_with(inline_row(1, ["ean", "title"]) + inline_row(2, ["1", "x" * 300]))),
])
def test_a_row_larger_than_the_byte_limit_fails(tmp_path, fmt, content):
    error = limit_hit(tmp_path, content, fmt)
    assert error.params["limit_name"] == "row_bytes"
    assert "larger than 200 bytes" in error.params["detail"]


def test_an_xlsx_row_of_shared_strings_is_measured_once_read(tmp_path):
    content = xlsx_with(inline_row(1, ["ean", "title"]) + '<row r="2"><c t="s"><v>0</v></c><c t="s"><v>0</v></c>'
                        "</row>", shared=["y" * 150])
    assert limit_hit(tmp_path, content, "xlsx").params["limit_name"] == "row_bytes"


# --- total cells ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_file_with_too_many_cells_in_all_fails(tmp_path, fmt):
    rows = [[str(i), "t"] for i in range(30)]
    content = (b"ean,title\n" + b"".join(f"{a},{b}\n".encode() for a, b in rows) if fmt == "csv" else
               xlsx_with(inline_row(1, ["ean", "title"]) + "".join(inline_row(i + 2, r) for i, r in enumerate(rows))))
    error = limit_hit(tmp_path, content, fmt)
    assert error.params["limit_name"] == "total_cells"
    assert 20 <= error.row <= 22


@pytest.mark.parametrize("fmt, content", [
    ("json", b"[" + b",".join([b"{}"] * 31) + b"]"),
    ("csv", b"ean\n" + b"1\n" * 31),
])
def test_a_file_with_too_many_rows_fails_however_small_they_are(tmp_path, fmt, content):
    error = limit_hit(tmp_path, content, fmt)
    assert error.params["limit_name"] == "rows" and "more than 30 rows" in error.params["detail"]


def test_an_xml_record_with_too_many_attributes_fails(tmp_path):
    content = b'<items><item ean="1"/><item ' + b" ".join(b'a%d="1"' % i for i in range(9)) + b"/></items>"
    assert limit_hit(tmp_path, content, "xml").params["limit_name"] == "cells_per_row"


# --- shared strings ---------------------------------------------------------------------------------------------
def test_too_many_shared_strings_fail_before_openpyxl_reads_them(tmp_path):
    content = xlsx_with(inline_row(1, ["ean"]), shared=[f"s{i}" for i in range(6)])
    assert limit_hit(tmp_path, content, "xlsx").params["limit_name"] == "shared_strings"


def test_shared_strings_expanding_too_far_fail(tmp_path):
    content = xlsx_with(inline_row(1, ["ean"]), shared=["z" * 5000])
    assert limit_hit(tmp_path, content, "xlsx").params["limit_name"] == "shared_strings_bytes"


# --- inside the limits ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt, content", [
    ("csv", b"ean,title\n1," + b"x" * 150 + b"\n"),
    ("json", b'[{"ean": "1", "title": "' + b"x" * 150 + b'"}]'),
    ("xml", b"<items><item><ean>1</ean><title>" + b"x" * 150 + b"</title></item></items>"),
    ("xlsx", xlsx_with(inline_row(1, ["ean", "title"]) + inline_row(2, ["1", "x" * 150]),
                       shared=["a", "b", "c", "d", "e"])),
])
def test_files_at_the_limits_are_read_whole(tmp_path, fmt, content):
    rows = read(tmp_path, content, fmt)
    assert len(rows) == 1 and rows[0][1]["title"] == "x" * 150


def test_default_limits_read_a_wide_realistic_row(tmp_path):
    """The defaults take a catalogue row a person would write: 300 columns of 1 KB text."""
    header = ",".join(f"col{i}" for i in range(300)).encode()
    row = ",".join(["y" * 1000] * 300).encode()
    assert len(read(tmp_path, header + b"\n" + row + b"\n", "csv", Limits())[0][1]) == 300


# --- numbers no encoder can carry ----------------------------------------------------------------------------
def test_json_numbers_beyond_float_and_int64_are_kept_as_their_text(tmp_path):
    content = b'[{"ean": 1e400, "a": -1e400, "b": 123456789012345678901234567890, "c": 1.5, "d": [2e999], "e": 7}]'
    assert read(tmp_path, content, "json", Limits()) == [
        (1, {"ean": "1E+400", "a": "-1E+400", "b": "123456789012345678901234567890", "c": 1.5, "d": ["2E+999"],
             "e": 7})]


# --- through each vendor: a limit fails the job with the vendor's message; error rows kept per job -------------
def test_limits_reach_each_vendor_and_only_the_first_error_rows_are_kept(make_app):
    """A limit fails the job with a clear error_message. A million bad rows kept 976 MB: each job keeps the first
    `max_error_rows` (errors, log lines per level, Wizart's skipped rows) with quoted text cut at 1,000
    characters; every total still counts them all."""
    from _wizart import BASE, Wizart, wall_row, zip_bytes
    from _wizart import csv_bytes as wall_csv
    from conftest import PM, advance, finish, px_job, px_logs, px_upload, upload

    wide = b"ean,title\n" + b",".join([b"1"] * 9) + b"\n"
    bad = b"ean,name,title\n" + b"9" * 5000 + b",n,t\n" + b"".join(b"bad-%d,n,t\n" % i for i in range(9))
    app = make_app(import_limits={"max_error_rows": 3, "max_cells_per_row": 8})
    with app.test_client() as client:
        wide_ids = upload(client, wide).json()["id"], px_upload(client, wide).json()["id"]
        pm_id, px_id = upload(client, bad).json()["id"], px_upload(client, bad).json()["id"]
        wz = Wizart(client)
        wz_id = wz.started(wall_csv([wall_row(n, width="wide") for n in range(1, 7)]),
                           zip_bytes([f"w-{n}.jpg" for n in range(1, 7)]))
        assert finish(client, pm_id)["error_rows"] == 10
        advance(client, 3600)
        wide_jobs = finish(client, wide_ids[0], 0), px_job(client, wide_ids[1])
        listed = client.get(f"{PM}/imports/{pm_id}/errors", params={"per_page": 20},
                            headers={"Authorization": "Bearer pm_test_key_0001"}).json()
        px_errors = px_logs(client, px_id, level="error")
        px_all = px_logs(client, px_id)
        failed = px_job(client, px_id)["failed_rows"]
        wizart = wz.status(wz_id)["attributes"]
        wizart_log = wz.get(f"{BASE}/imports/{wz_id}/log").text
    expected = "The file exceeds an import limit: row 2 holds more than 8 cells."
    assert [(job["status"], job["error_message"]) for job in wide_jobs] == [("failed", expected)] * 2
    assert listed["meta"]["total"] == 10
    assert [e["ean"] for e in listed["data"]] == ["9" * 1000 + "…", "bad-0", "bad-1"]
    assert (failed, px_errors["meta"]["total"], len(px_errors["items"])) == (10, 10, 3)
    assert px_errors["items"][0]["value"] == "9" * 1000 + "…"
    assert px_all["meta"]["total"] == 11 and len(px_all["items"]) == 4  # and the unmapped column's warning
    assert wizart["rows_skipped"] == 6 and wizart_log.count("skipped, width_cm") == 3
    assert "6 skipped" in wizart_log


# --- the Pixee preview ------------------------------------------------------------------------------------------
def test_the_pixee_preview_stops_keeping_rows_once_their_text_reaches_its_budget(monkeypatch):
    from mock_server.imports.logs import JobLog
    from mock_server.imports.rows import ColumnMapper
    from mock_server.specs import Messages, load_spec
    from mock_server.store import Store
    from mock_server.vendors.pixee import rules
    from mock_server.vendors.pixee.analysis import AnalyseRows, Analysis

    monkeypatch.setattr(rules, "PREVIEW_BYTES_KEPT", 250)
    analysis = Analysis()
    sink = AnalyseRows(analysis, JobLog(Store(), "log", ("error", "warning", "info")),
                       ColumnMapper({}, rules.PRODUCT_FIELDS), Messages(load_spec("pixee")["x-messages"]), 0.0)
    sink([(n, {"ean": "1234567890123", "name": "n" * 100}) for n in range(2, 8)])
    sink.finish()
    analysis.spool.path.unlink()
    assert [row for row, _, _ in analysis.preview] == [2, 3, 4]  # 113 bytes each: the third reaches 250, the last kept
