"""What one catalog file may hold before its import fails, and the checks that hold it to that while it is read.

`Limits` is the README's hostile-input table as data. The readers (`mock_server.imports.formats`) check what they
can before a row is held whole; an XLSX is checked on its raw XML (the first sheet's rows and cells, the shared
strings), counted in C, before openpyxl opens it; `bounded` holds every format's records to the limits once parsed.
A file over a limit raises `ImportAborted("limit_exceeded")`, which fails the job with the vendor's message.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

Record = tuple[int, dict[str, object]]


class ImportAborted(Exception):
    """A critical error: the import stops here. `code` keys the vendor's failure messages."""

    def __init__(self, code: str, *, row: int = 0, **params) -> None:
        super().__init__(code)
        self.code = code
        self.row = row
        self.params = {"row": row, **params}


@dataclass(frozen=True)
class Limits:
    """What one file may hold before its import fails (`limit_exceeded`); the README's hostile-input table.
    Each is checked while the file is read, before the oversized part is held in memory."""

    max_xlsx_expanded_bytes: int = 200 * 1024 * 1024
    max_cells_per_row: int = 16_384  # Excel's own column count (XFD)
    max_row_bytes: int = 1024 * 1024  # the text of one row (a CSV line, a JSON item, an XML record)
    max_total_cells: int = 10_000_000
    max_rows: int = 1_048_576  # Excel's own, for every format: 20 MB of `{}` items would be 10 million rows
    max_shared_strings: int = 1_000_000  # XLSX: strings in sharedStrings.xml, read whole by openpyxl
    max_shared_strings_bytes: int = 64 * 1024 * 1024  # … and that part's expanded size
    max_error_rows: int = 1_000  # error rows (and log lines per level) kept per job; counts stay true

    @property
    def max_row_xml_bytes(self) -> int:
        """An XLSX row's markup: its text plus up to 128 bytes of tags per cell."""
        return self.max_row_bytes + 128 * self.max_cells_per_row


# limit -> what was exceeded, for the job's error_message (vendor messages: failures.limit_exceeded)
LIMIT_TEXTS = {
    "cells_per_row": "row {row} holds more than {limit:,} cells",
    "row_bytes": "row {row} is larger than {limit:,} bytes",
    "total_cells": "the file holds more than {limit:,} cells (reached at row {row})",
    "rows": "the file holds more than {limit:,} rows (reached at row {row})",
    "shared_strings": "the workbook holds more than {limit:,} shared strings",
    "shared_strings_bytes": "the workbook's shared strings expand beyond {limit:,} bytes",
}


def over_limit(name: str, limit: int, row: int = 0) -> ImportAborted:
    return ImportAborted("limit_exceeded", row=row, limit_name=name,
                         detail=LIMIT_TEXTS[name].format(row=row, limit=limit))


def check_archive(path: Path, limits: Limits) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            expanded = sum(info.file_size for info in infos)
            # zipfile never inflates a member past its declared size, so the declared total bounds the work.
            if expanded > limits.max_xlsx_expanded_bytes:
                raise ImportAborted("xlsx_too_large", limit_mb=limits.max_xlsx_expanded_bytes // (1024 * 1024))
            for info in infos:
                if info.filename.lower().endswith("sharedstrings.xml"):
                    _check_shared_strings(archive, info, limits)
            # before openpyxl opens the workbook: without a <dimension>, it parses the whole first sheet to size it
            for name in _first_sheet(archive):
                with archive.open(name) as stream:
                    _check_sheet(stream, limits)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error, NotImplementedError, RuntimeError) as exc:
        raise ImportAborted("not_xlsx", detail=f"not a zip archive ({exc})") from exc


# Element starts in SpreadsheetML, any namespace prefix: counted on the raw bytes (in C), before openpyxl builds
# a row (or the shared-string list) whole. Text cannot hold a "<" (it is escaped), so a match is a tag.
_PREFIX = rb"<(?:[A-Za-z_][\w.-]*:)?"
_ROW_START = re.compile(_PREFIX + rb"row[\s>/]")
_CELL_START = re.compile(_PREFIX + rb"c[\s>/]")
_STRING_START = re.compile(_PREFIX + rb"si[\s>/]")
_SCAN_CHUNK = 1 << 20


def _tag_chunks(stream) -> Iterator[bytes]:
    """The stream in chunks cut before a "<" whose tag may continue in the next chunk."""
    pending = b""
    while chunk := stream.read(_SCAN_CHUNK):
        buf = pending + chunk
        cut = buf.rfind(b"<")
        if cut == -1 or len(buf) - cut > 256:
            cut = len(buf)
        pending = buf[cut:]
        yield buf[:cut]
    if pending:
        yield pending


def _first_sheet(archive: zipfile.ZipFile) -> list[str]:
    """The member openpyxl reads as the first sheet (workbook.xml's first <sheet>, through its relationship); every
    worksheet part when that cannot be worked out (openpyxl will then refuse the file, or pick one of them)."""
    from defusedxml.ElementTree import fromstring

    names = set(archive.namelist())
    try:
        workbook = fromstring(archive.read("xl/workbook.xml"))
        sheet = next(e for e in workbook.iter() if e.tag.endswith("}sheet") or e.tag == "sheet")
        rel_id = next(v for k, v in sheet.attrib.items() if k.endswith("}id"))
        rels = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        target = next(e.get("Target") for e in rels.iter() if e.get("Id") == rel_id)
        name = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
        if name in names:
            return [name]
    except Exception:  # noqa: S110 - any malformed part: fall back to every worksheet
        pass
    return [n for n in names if "worksheets/" in n and n.endswith(".xml")]


def _check_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> None:
    if info.file_size > limits.max_shared_strings_bytes:
        raise over_limit("shared_strings_bytes", limits.max_shared_strings_bytes)
    count = 0
    with archive.open(info) as stream:
        for chunk in _tag_chunks(stream):
            count += len(_STRING_START.findall(chunk))
            if count > limits.max_shared_strings:
                raise over_limit("shared_strings", limits.max_shared_strings)


def _check_sheet(stream, limits: Limits) -> None:
    """Cells per row, markup per row and cells in all, from the sheet's raw XML, before openpyxl reads it."""
    row, cells, width, total = 0, 0, 0, 0
    for chunk in _tag_chunks(stream):
        for n, part in enumerate(_ROW_START.split(chunk)):
            if n:  # a new row starts
                row, cells, width = row + 1, 0, 0
            found = len(_CELL_START.findall(part))
            cells, width, total = cells + found, width + len(part), total + found
            if cells > limits.max_cells_per_row:
                raise over_limit("cells_per_row", limits.max_cells_per_row, row)
            if width > limits.max_row_xml_bytes:
                raise over_limit("row_bytes", limits.max_row_bytes, row)
            if total > limits.max_total_cells:
                raise over_limit("total_cells", limits.max_total_cells, row)


def bounded(records: Iterator[Record], limits: Limits) -> Iterator[Record]:
    """Every format's records, held to the limits once parsed (a quoted CSV field over many lines, an XLSX
    row of long shared strings); the readers check what they can earlier, before a row is held whole."""
    total = 0
    for count, (row, record) in enumerate(records, start=1):
        if count > limits.max_rows:
            raise over_limit("rows", limits.max_rows, row)
        if len(record) > limits.max_cells_per_row:
            raise over_limit("cells_per_row", limits.max_cells_per_row, row)
        total += len(record)
        if total > limits.max_total_cells:
            raise over_limit("total_cells", limits.max_total_cells, row)
        width = sum(len(v) for v in record.values() if isinstance(v, str))
        if width > limits.max_row_bytes:
            raise over_limit("row_bytes", limits.max_row_bytes, row)
        yield row, record
