"""Catalog files every import API reads: fresh EANs for a run, and a table of cells written as CSV, XLSX, JSON or XML.

Products Manager's and Pixee's `catalogs.py` decide which rows a file holds and what their columns are
called; a `Table` of those cells is written here, one encoder per file format.
"""

from __future__ import annotations

import csv
import io
import json
import random
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import openpyxl

CONTENT_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "xml": "application/xml",
}


def ean13_check_digit(first12: str) -> int:
    return (10 - sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(first12)) % 10) % 10


class EanPool:
    """Fresh, valid EAN-13s for one run, never handed out twice."""

    def __init__(self, rng: random.Random | None = None) -> None:
        self.rng = rng or random.Random(secrets.randbits(64))
        self.used: set[str] = set()

    def fresh(self) -> str:
        while True:
            first12 = f"{self.rng.randint(20, 29)}{self.rng.randrange(10**10):010d}"
            ean = first12 + str(ean13_check_digit(first12))
            if ean not in self.used:
                self.used.add(ean)
                return ean

    def fresh_with_wrong_check_digit(self) -> str:
        ean = self.fresh()
        return ean[:12] + str((int(ean[12]) + self.rng.randint(1, 9)) % 10)


@dataclass(frozen=True)
class Table:
    """A catalog's cells: its header, one record a row; `optional` columns are left out of a JSON item or
    an XML record when None; `extra_sheets` (XLSX) are further sheets, by name, that a reader should ignore."""

    header: Sequence[str]
    records: Sequence[Sequence[object]]
    optional: Collection[str] = ()
    extra_sheets: Mapping[str, Sequence[Sequence[object]]] = field(default_factory=dict)

    def items(self) -> list[dict[str, object]]:
        return [
            {name: value for name, value in zip(self.header, record, strict=True)
             if not (value is None and name in self.optional)}
            for record in self.records
        ]


def text(value: object) -> str:
    return "" if value is None else str(value)


def number(value: object) -> object:
    """A price as a spreadsheet or JSON number (a Decimal as float); anything else as it is."""
    return float(value) if isinstance(value, Decimal) else value


def encode_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table.header)
    for record in table.records:
        writer.writerow([text(value) for value in record])
    return out.getvalue().encode("utf-8")


def encode_xlsx(table: Table) -> bytes:
    book = openpyxl.Workbook()
    sheets = [(book.active, table.records)]
    sheets += [(book.create_sheet(name), records) for name, records in table.extra_sheets.items()]
    for sheet, records in sheets:
        sheet.append(list(table.header))
        for record in records:
            sheet.append([number(value) for value in record])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def encode_json(table: Table) -> bytes:
    items = [{name: number(value) for name, value in item.items()} for item in table.items()]
    return json.dumps(items, ensure_ascii=False, indent=1).encode("utf-8")


def encode_xml(table: Table) -> bytes:
    root = ET.Element("products")
    for item in table.items():
        record = ET.SubElement(root, "product")
        for name, value in item.items():
            ET.SubElement(record, name).text = text(value)
    encoded: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)  # bytes for an encoding
    return encoded


ENCODERS = {"csv": encode_csv, "xlsx": encode_xlsx, "json": encode_json, "xml": encode_xml}
