"""Streaming readers of catalog files: each yields `(row_number, {column: value})`, one record at a time.

Memory stays flat whatever the file's size: CSV is read line by line, XLSX in openpyxl's read-only
mode, JSON with ijson's event parser, XML with defusedxml's iterparse. A file that cannot be read past some point raises
`ImportAborted` with a reason code and the row it was reached at; the vendor turns the code into its
own message. Row numbers are what a person sees: the sheet row for CSV and XLSX (the header is row 1),
the 1-based position in the array (JSON) or among the records (XML). What a file may hold, and where each
reader checks it: `mock_server.imports.limits`.
"""

from __future__ import annotations

import codecs
import csv
import math
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path

import ijson

from mock_server.imports.limits import ImportAborted, Limits, Record, bounded, check_archive, over_limit

EXTENSIONS = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".json": "json", ".xml": "xml"}


def detect_format(filename: str | None, head: bytes) -> str:
    """The format a file most plausibly has: its extension first, then its first bytes."""
    suffix = Path(filename or "").suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    stripped = head.lstrip(codecs.BOM_UTF8).lstrip()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if stripped[:1] in (b"[", b"{"):
        return "json"
    if stripped[:1] == b"<":
        return "xml"
    return "csv"


_INT64 = 2**63


def _cell(value: object) -> object:
    """A value as a record holds it: text trimmed; a number no JSON encoder or float can carry (an infinity,
    NaN, 1e400 from JSON, an integer past 64 bits) kept as its text, for the row rules to judge."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Decimal):  # a JSON number with a fraction or an exponent
        as_float = float(value)
        return as_float if math.isfinite(as_float) else str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, int) and not isinstance(value, bool) and not -_INT64 <= value < _INT64:
        return str(value)
    return value


_LINE_END = re.compile(rb"\r\n|\r|\n")
# A cell may hold a long description; csv's default 128 KB limit would fail the whole file.
csv.field_size_limit(16 * 1024 * 1024)


def _raw_lines(raw, max_line: int, chunk_size: int = 1 << 16) -> Iterator[bytes]:
    """Lines ending in \\n, \\r\\n or a lone \\r (old Mac exports), with their endings; a line longer than
    `max_line` aborts before it is held whole (`row_bytes`)."""
    pending = b""
    lines = 0
    while chunk := raw.read(chunk_size):
        pending += chunk
        start = 0
        for match in _LINE_END.finditer(pending):
            if match.group() == b"\r" and match.end() == len(pending):
                break  # a \r at the end of the chunk may be the first half of \r\n
            if match.end() - start > max_line:
                raise over_limit("row_bytes", max_line, lines + 1)
            lines += 1
            yield pending[start:match.end()]
            start = match.end()
        pending = pending[start:]
        if len(pending) > max_line:
            raise over_limit("row_bytes", max_line, lines + 1)
    if pending:
        yield pending


def _utf8_lines(raw, max_line: int) -> Iterator[str]:
    """Decoded one line at a time, so a bad byte is reported at its own row."""
    first = True
    for line in _raw_lines(raw, max_line):
        if first:
            line = line.removeprefix(codecs.BOM_UTF8)
            first = False
        yield line.decode("utf-8")


def read_csv(path: Path, limits: Limits) -> Iterator[Record]:
    """Comma-delimited UTF-8; a BOM is tolerated; blank lines are skipped but keep their row number."""
    row = 0
    with open(path, "rb") as raw:
        # Decoded line by line (not by a TextIOWrapper's 8 KB chunks) so a bad byte is reported at its row.
        reader = csv.reader(_utf8_lines(raw, limits.max_row_bytes))
        header: list[str] | None = None
        try:
            for values in reader:
                row += 1
                if len(values) > limits.max_cells_per_row:
                    raise over_limit("cells_per_row", limits.max_cells_per_row, row)
                if not any(v.strip() for v in values):
                    continue
                if header is None:
                    header = [v.strip() for v in values]
                    continue
                yield row, {name: _cell(v) for name, v in zip(header, values, strict=False) if name}
        except UnicodeDecodeError as exc:
            raise ImportAborted("not_utf8", row=row + 1) from exc
        except csv.Error as exc:
            raise ImportAborted("bad_csv", row=row + 1, detail=str(exc)) from exc
    if header is None:
        raise ImportAborted("no_header", row=0)


def _xlsx_value(value: object) -> object:
    # Spreadsheets turn long codes into numbers: 4006381333931.0 -> "4006381333931".
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1e6:
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 1_000_000:
        return str(value)
    return _cell(value)


EXCEL_MAX_ROWS = 1_048_576


def _describe(exc: Exception, path: Path) -> str:
    """An exception as a sentence for a client: no server path, no advice it cannot follow."""
    text = f"{type(exc).__name__}: {exc}".replace(str(path), "the file")
    return text.replace("Please see the exception for more details.", "").strip()[:300]


def _no_size(sheet) -> None:
    """Dimensions left unknown (min 1, max None): rows are read until the sheet ends."""


def read_xlsx(path: Path, limits: Limits) -> Iterator[Record]:
    """The first sheet, read-only; the first non-empty row is the header.

    The sheet's declared `<dimension>` is ignored (`reset_dimensions`): a writer may declare too few rows
    (the data would be cut) or, maliciously, a billion (openpyxl would emit them all). Rows past Excel's
    own limit abort the import."""
    from openpyxl import load_workbook  # imported here: a third of the fake's start-up otherwise
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    # openpyxl sizes each sheet when it opens the workbook: without a <dimension> it parses the whole sheet for it
    # (a million-row sheet held ~200 MB of cleared rows). The declared size is ignored anyway (below).
    ReadOnlyWorksheet._get_size = _no_size

    check_archive(path, limits)
    handle = open(path, "rb")  # a file object: openpyxl would refuse a path without an .xlsx suffix
    try:
        workbook = load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:
        handle.close()  # openpyxl raises anything from KeyError to XML errors on a bad workbook
        raise ImportAborted("not_xlsx", detail=_describe(exc, path)) from exc
    row = 0
    try:
        if not workbook.worksheets:
            raise ImportAborted("not_xlsx", detail="the workbook has no sheet")
        header: list[str] | None = None
        sheet = workbook.worksheets[0]
        if hasattr(sheet, "reset_dimensions"):
            sheet.reset_dimensions()
        try:
            for row, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if row > EXCEL_MAX_ROWS:
                    raise ImportAborted("not_xlsx", row=row, detail=f"more than Excel's {EXCEL_MAX_ROWS:,} rows")
                if not any(v is not None and str(v).strip() for v in values):
                    continue
                if header is None:
                    header = ["" if v is None else str(v).strip() for v in values]
                    continue
                yield row, {name: _xlsx_value(v) for name, v in zip(header, values, strict=False) if name}
        except ImportAborted:
            raise
        except Exception as exc:
            raise ImportAborted("not_xlsx", row=row + 1, detail=_describe(exc, path)) from exc
        if header is None:
            raise ImportAborted("no_header", row=0)
    finally:
        workbook.close()
        handle.close()


def _first_significant_byte(path: Path) -> bytes:
    with open(path, "rb") as fh:
        head = fh.read(4096)
    return head.lstrip(codecs.BOM_UTF8).lstrip()[:1]


MAX_JSON_DEPTH = 16
_OPENS = {"start_map": "end_map", "start_array": "end_array"}


def _json_items(raw, limits: Limits) -> Iterator[object]:
    """The items of a top-level array, built from ijson's basic events with nesting capped: ijson's
    prefixed events grow with depth, so a 200 KB file of nested arrays could exhaust memory. An item's
    values and text are counted as it is built, so an oversized item aborts before it is whole."""
    builder = None
    depth = 0
    items, cells, width = 0, 0, 0
    for event, value in ijson.basic_parse(raw, use_float=False):
        if event == "number":
            value = _cell(value)  # nested values too: no Decimal, infinity or 100-digit integer reaches a record
        if builder is not None:
            cells += 1
            if isinstance(value, str):
                width += len(value)
            if cells > 2 * limits.max_cells_per_row:  # a key and a value per cell
                raise over_limit("cells_per_row", limits.max_cells_per_row, items + 1)
            if width > limits.max_row_bytes:
                raise over_limit("row_bytes", limits.max_row_bytes, items + 1)
        if event in _OPENS:
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise ValueError(f"nesting deeper than {MAX_JSON_DEPTH} levels")
        elif event in ("end_map", "end_array"):
            depth -= 1
        if depth == 1 and event == "start_array" and builder is None:
            continue  # the top-level array itself
        if depth == 0:
            return
        if builder is None:
            if depth == 1 and event not in ("end_map", "end_array"):  # a scalar item
                yield value
                continue
            builder = ijson.ObjectBuilder()
        builder.event(event, value)
        if depth == 1:  # the item just closed
            items, cells, width = items + 1, 0, 0
            yield builder.value
            builder = None


def read_json(path: Path, limits: Limits) -> Iterator[Record]:
    """A top-level array of flat objects, parsed as a stream."""
    first = _first_significant_byte(path)
    if first != b"[":
        if first == b"{":
            raise ImportAborted("json_not_array")
        raise ImportAborted("not_json", detail="the file does not start with a JSON array")
    row = 0
    with open(path, "rb") as raw:
        if raw.read(3) != codecs.BOM_UTF8:
            raw.seek(0)
        try:
            for row, item in enumerate(_json_items(raw, limits), start=1):
                if not isinstance(item, dict):
                    raise ImportAborted("json_item_not_object", row=row)
                yield row, {str(k).strip(): _cell(v) for k, v in item.items()}
        except ImportAborted:
            raise
        except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError, ValueError) as exc:
            raise ImportAborted("not_json", row=row + 1, detail=str(exc).splitlines()[0][:200]) from exc


def _xml_text(element) -> str:
    return (element.text or "").strip()


def read_xml(path: Path, limits: Limits) -> Iterator[Record]:
    """A flat document: a root, one element per record, one child element (or attribute) per field.

    Parsed with defusedxml: a DTD, entity declarations and external references are refused, never
    resolved (no XXE, no entity-expansion bombs). Each record is cleared once read, so memory stays flat.
    """
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    row = 0
    depth = 0
    root = None
    cells, width = 0, 0
    try:
        for event, element in iterparse(str(path), events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth += 1
                if depth == 1:
                    root = element
                elif depth == 2:
                    cells, width = len(element.attrib), 0
                    if cells > limits.max_cells_per_row:
                        raise over_limit("cells_per_row", limits.max_cells_per_row, row + 1)
                elif depth == 3:
                    cells += 1
                    if cells > limits.max_cells_per_row:
                        raise over_limit("cells_per_row", limits.max_cells_per_row, row + 1)
                if depth == 3 and len(element):  # a field element that has children of its own
                    raise ImportAborted("xml_not_flat", row=row + 1, element=element.tag)
                elif depth > 3:
                    raise ImportAborted("xml_not_flat", row=row + 1, element=element.tag)
                continue
            depth -= 1
            if depth == 2:  # a field ends: its text is counted, then dropped from the tree's memory at record end
                width += len(element.text or "") + len(element.tag)
                if width > limits.max_row_bytes:
                    raise over_limit("row_bytes", limits.max_row_bytes, row + 1)
            if depth == 1:  # a record ends
                row += 1
                record = {str(k).strip(): _cell(v) for k, v in element.attrib.items()}
                record.update({child.tag.strip(): _xml_text(child) for child in element})
                if not len(element) and not element.attrib and _xml_text(element):
                    raise ImportAborted("xml_not_flat", row=row, element=element.tag)
                yield row, record
                element.clear()
                if root is not None:
                    root.clear()
    except ImportAborted:
        raise
    except DefusedXmlException as exc:
        raise ImportAborted("xml_forbidden", row=row + 1, detail=type(exc).__name__) from exc
    except (ParseError, UnicodeDecodeError, ValueError) as exc:
        raise ImportAborted("not_xml", row=row + 1, detail=str(exc)[:200]) from exc
    if root is None:
        raise ImportAborted("not_xml", detail="the file holds no XML element")


READERS: dict[str, Callable[[Path, Limits], Iterator[Record]]] = {
    "csv": read_csv,
    "xlsx": read_xlsx,
    "json": read_json,
    "xml": read_xml,
}


def read_records(path: Path, fmt: str, limits: Limits, allowed: frozenset[str] | None = None) -> Iterator[Record]:
    """The file's records; `allowed` narrows the formats to those a vendor takes."""
    reader = READERS.get(fmt) if allowed is None or fmt in allowed else None
    if reader is None:
        raise ImportAborted("unsupported_format", format=fmt)
    return bounded(reader(path, limits), limits)
