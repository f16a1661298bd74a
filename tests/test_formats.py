"""Streaming readers: what each format yields, and the readable reason it aborts with."""

from __future__ import annotations

import codecs
import re
import zipfile

import pytest
from conftest import csv_bytes, json_bytes, xlsx_bytes

from mock_server.imports.formats import ImportAborted, Limits, detect_format, read_records

LIMITS = Limits()


def records(tmp_path, content: bytes, fmt: str, limits: Limits = LIMITS):
    path = tmp_path / f"upload.{fmt}"
    path.write_bytes(content)
    return list(read_records(path, fmt, limits))


def aborted(tmp_path, content: bytes, fmt: str, limits: Limits = LIMITS) -> ImportAborted:
    with pytest.raises(ImportAborted) as info:
        records(tmp_path, content, fmt, limits)
    return info.value


def test_csv_rows_are_numbered_as_a_sheet_shows_them(tmp_path):
    content = codecs.BOM_UTF8 + b"ean,title\n1,a\n\n2,b\n"
    assert records(tmp_path, content, "csv") == [(2, {"ean": "1", "title": "a"}), (4, {"ean": "2", "title": "b"})]


def test_csv_quoted_newline_is_one_record(tmp_path):
    assert records(tmp_path, b'ean,title\n1,"two\nlines"\n2,b\n', "csv") == [
        (2, {"ean": "1", "title": "two\nlines"}), (3, {"ean": "2", "title": "b"})]


def test_csv_not_utf8_names_the_row(tmp_path):
    error = aborted(tmp_path, b"ean,title\n1,a\n2,caf\xe9\n", "csv")
    assert (error.code, error.row) == ("not_utf8", 3)


def test_csv_empty_file_has_no_header(tmp_path):
    assert aborted(tmp_path, b"", "csv").code == "no_header"


def test_csv_header_only_yields_nothing(tmp_path):
    assert records(tmp_path, b"ean,title\n", "csv") == []


def test_csv_long_field_is_read(tmp_path):
    assert records(tmp_path, b'ean,title\n1,"' + b"x" * 200_000 + b'"\n', "csv")[0][1]["title"] == "x" * 200_000


def test_csv_parse_error_names_its_row(tmp_path):
    import csv

    saved = csv.field_size_limit(50)
    try:
        error = aborted(tmp_path, b"ean,title\n1,a\n2,\"" + b"x" * 100 + b"\"\n", "csv")
    finally:
        csv.field_size_limit(saved)
    assert (error.code, error.row) == ("bad_csv", 3) and "field" in error.params["detail"]


@pytest.mark.parametrize("ending", [b"\n", b"\r\n", b"\r"])
def test_csv_any_line_ending(tmp_path, ending):
    content = ending.join([b"ean,title", b"1,a", b"2,b"]) + ending
    assert records(tmp_path, content, "csv") == [(2, {"ean": "1", "title": "a"}), (3, {"ean": "2", "title": "b"})]


def test_csv_line_endings_split_across_reads():
    import io

    from mock_server.imports.formats import _raw_lines

    assert list(_raw_lines(io.BytesIO(b"a\r\nb\rc\n\rd"), 100, chunk_size=2)) == [b"a\r\n", b"b\r", b"c\n", b"\r", b"d"]


def test_xlsx_declared_dimension_is_ignored(tmp_path):
    """A sheet that declares `A1` (some writers do) still yields its rows; one that declares a billion
    rows does not make the reader emit them."""
    import zipfile as zf

    from mock_server.imports.formats import EXCEL_MAX_ROWS

    def sheet_with(dimension: str, last_row: int) -> bytes:
        path = tmp_path / "d.xlsx"
        path.write_bytes(xlsx_bytes([["2000000000008", "t", 1]]))
        with zf.ZipFile(path) as archive:
            parts = {name: archive.read(name) for name in archive.namelist()}
        sheet = parts["xl/worksheets/sheet1.xml"].decode()
        sheet = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', sheet)
        sheet = sheet.replace("</sheetData>", f'<row r="{last_row}"><c r="A{last_row}" t="inlineStr"><is><t>'
                              f"2000000000015</t></is></c></row></sheetData>")
        parts["xl/worksheets/sheet1.xml"] = sheet.encode()
        with zf.ZipFile(path, "w") as archive:
            for name, data in parts.items():
                archive.writestr(name, data)
        return path.read_bytes()

    assert [r for r, _ in records(tmp_path, sheet_with("A1", 3), "xlsx")] == [2, 3]
    error = aborted(tmp_path, sheet_with("A1:XFD50000000", 50_000_000), "xlsx")
    assert (error.code, error.row) == ("not_xlsx", EXCEL_MAX_ROWS + 1)


def test_json_nesting_is_capped(tmp_path):
    deep = b'[{"ean": ' + b"[" * 5000 + b"]" * 5000 + b"}]"
    error = aborted(tmp_path, deep, "json")
    assert error.code == "not_json" and "nesting deeper than 16" in error.params["detail"]


def test_json_nested_values_within_the_cap_are_kept(tmp_path):
    assert records(tmp_path, b'[{"ean": [1, {"a": null}], "ok": true}]', "json") == [
        (1, {"ean": [1, {"a": None}], "ok": True})]


def test_xlsx_first_sheet_and_numeric_ean(tmp_path):
    content = xlsx_bytes([[4006381333931, "Pen", 1.5], [None, None, None], ["2000000000008", "X", None]],
                         extra_sheet=True)
    assert records(tmp_path, content, "xlsx") == [
        (2, {"ean": "4006381333931", "title": "Pen", "price": 1.5}),
        (4, {"ean": "2000000000008", "title": "X"}),  # trailing empty cells are not padded
    ]


def test_xlsx_not_a_zip(tmp_path):
    error = aborted(tmp_path, b"ean,title\n1,2\n", "xlsx")
    assert error.code == "not_xlsx" and "zip" in error.params["detail"]


def test_xlsx_zip_that_is_no_workbook(tmp_path):
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert aborted(tmp_path, path.read_bytes(), "xlsx").code == "not_xlsx"


def test_xlsx_zip_bomb_is_refused_before_inflating(tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (5 * 1024 * 1024))
    error = aborted(tmp_path, path.read_bytes(), "xlsx", Limits(max_xlsx_expanded_bytes=1024 * 1024))
    assert error.code == "xlsx_too_large"


def test_json_array_of_objects(tmp_path):
    content = codecs.BOM_UTF8 + json_bytes([{"ean": "1", "price": 2.5}, {"title": " t "}])
    assert records(tmp_path, content, "json") == [(1, {"ean": "1", "price": 2.5}), (2, {"title": "t"})]


@pytest.mark.parametrize("content, code", [
    (b'{"ean": "1"}', "json_not_array"),
    (b'[{"ean": "1"}, 2]', "json_item_not_object"),
    (b'[{"ean": "1"}, {"ean": ', "not_json"),
    (b"ean,title\n", "not_json"),
    (b"", "not_json"),
])
def test_json_aborts(tmp_path, content, code):
    assert aborted(tmp_path, content, "json").code == code


@pytest.mark.parametrize("name, head, fmt", [
    ("a.CSV", b"", "csv"), ("a.xlsx", b"", "xlsx"), ("a.json", b"", "json"), (None, b"PK\x03\x04rest", "xlsx"),
    ("upload", b"  [{}]", "json"), ("upload", b"ean,title", "csv"), (None, b"", "csv"),
])
def test_detect_format(name, head, fmt):
    assert detect_format(name, head) == fmt


def test_csv_reader_is_lazy(tmp_path):
    """Streaming: the first record comes before the rest of the file is read."""
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes([[i, "t", 1] for i in range(50_000)]))
    first = next(iter(read_records(path, "csv", LIMITS)))
    assert first == (2, {"ean": "0", "title": "t", "price": "1"})


XML_CASES = {
    "flat records, fields as children or attributes": (
        b'<?xml version="1.0"?><products><product sku="A1"><ean>2000000000008</ean><name> Pen </name></product>'
        b"<product><ean>2000000000015</ean></product></products>",
        [(1, {"sku": "A1", "ean": "2000000000008", "name": "Pen"}), (2, {"ean": "2000000000015"})]),
    "an empty root holds no record": (b"<products/>", []),
}


@pytest.mark.parametrize("name", XML_CASES)
def test_xml_records(tmp_path, name):
    content, expected = XML_CASES[name]
    assert records(tmp_path, content, "xml") == expected


XML_ABORTS = {
    "nested field": (b"<products><product><ean>1</ean><dims><w>1</w></dims></product></products>", "xml_not_flat"),
    "record that is only text": (b"<products><product>hello</product></products>", "xml_not_flat"),
    "external entity (XXE)": (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                              b"<products><product><ean>&x;</ean></product></products>", "xml_forbidden"),
    "entity expansion bomb": (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
                              b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                              b"<products><product><ean>&b;</ean></product></products>", "xml_forbidden"),
    "truncated": (b"<products><product><ean>1</ean></product>", "not_xml"),
    "empty": (b"", "not_xml"),
}


@pytest.mark.parametrize("name", XML_ABORTS)
def test_xml_aborts_never_resolving_entities(tmp_path, name):
    content, code = XML_ABORTS[name]
    assert aborted(tmp_path, content, "xml").code == code


def test_formats_can_be_narrowed_per_vendor(tmp_path):
    path = tmp_path / "a.xml"
    path.write_bytes(b"<products><product><ean>1</ean></product></products>")
    with pytest.raises(ImportAborted) as info:
        list(read_records(path, "xml", LIMITS, allowed=frozenset({"csv", "json"})))
    assert info.value.code == "unsupported_format"
