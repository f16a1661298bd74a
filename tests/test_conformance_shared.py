"""What the conformance half writes once for every API: report files, catalog tables."""

from __future__ import annotations

import argparse
import io
import json

import openpyxl
from rich.console import Console

from conformance.reporting.files import write_reports
from conformance.scenarios import catalog_files


def test_reports_are_written_in_order_only_when_asked_and_a_refusal_is_said():
    args = argparse.Namespace(junit=None, json="r.json", html="r.html")
    written: list[str] = []
    err = Console(file=io.StringIO(), width=200)
    assert write_reports(args, err, junit=written.append, json=written.append, html=written.append)
    assert written == ["r.json", "r.html"] and err.file.getvalue() == ""

    def full(path: str) -> None:
        raise OSError(28, "No space left on device")

    assert not write_reports(args, err, json=full, html=written.append)
    assert written == ["r.json", "r.html"]  # nothing after the refused one
    assert "a report could not be written" in err.file.getvalue()


def test_a_table_leaves_out_only_its_optional_empty_cells():
    from decimal import Decimal

    table = catalog_files.Table(
        header=("ean", "name", "price"),
        records=[("2000000000008", None, Decimal("1.50")), (None, "Pen", None)],
        optional={"name"},
        extra_sheets={"Ignored": [("2000000000015", "Other", 1.0)]},
    )
    assert json.loads(catalog_files.encode_json(table)) == [
        {"ean": "2000000000008", "price": 1.5},
        {"ean": None, "name": "Pen", "price": None},
    ]
    assert catalog_files.encode_csv(table).decode() == "ean,name,price\n2000000000008,,1.50\n,Pen,\n"
    assert b"<product><ean>2000000000008</ean><price>1.50</price></product>" in catalog_files.encode_xml(table)
    book = openpyxl.load_workbook(io.BytesIO(catalog_files.encode_xlsx(table)))
    assert book.sheetnames == ["Sheet", "Ignored"]
    assert [list(r) for r in book["Ignored"].iter_rows(values_only=True)] == [
        ["ean", "name", "price"], ["2000000000015", "Other", 1.0]
    ]
