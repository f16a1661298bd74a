"""Row rules shared by the import APIs: column mapping and product field validation, as pure functions."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

# ASCII digits only: \d would take Arabic-Indic or full-width digits, and "matched by EAN" would miss.
_EAN13 = re.compile(r"^[0-9]{13}$")
_DECIMAL = re.compile(r"^[0-9]+(\.[0-9]+)?$")
_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
# A number column holds at most this magnitude: beyond it the value is no measure or count a catalogue means,
# and it would not survive JSON (a float turns to infinity past 1.8e308, an integer past 2**63 breaks encoders).
MAX_NUMBER = Decimal(10) ** 15


def ean13_check_digit(first12: str) -> int:
    return (10 - sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(first12)) % 10) % 10


def ean13_problem(value: object, check_digit: bool = True) -> str | None:
    """None for a valid EAN-13, else the rule it breaks: missing_ean, invalid_ean_format, invalid_ean_checksum."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return "missing_ean"
    text = str(value).strip()
    if not _EAN13.match(text):
        return "invalid_ean_format"
    if check_digit and ean13_check_digit(text[:12]) != int(text[12]):
        return "invalid_ean_checksum"
    return None


def parse_price(value: object) -> Decimal | None:
    """A non-negative decimal (dot separator), or None when the value is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")) or value < 0:
            return None
        return Decimal(str(value))
    text = str(value).strip()
    if not _DECIMAL.match(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def parse_number(value: object) -> int | float | None:
    """A number column's value: an integer or a decimal (dot separator, optional minus), finite and within
    ±MAX_NUMBER; None for anything else (text, infinities, NaN, exponents, 1 followed by 309 zeros)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not math.isfinite(value) or abs(value) > MAX_NUMBER:
            return None
        return value
    text = str(value).strip()
    if not _NUMBER.match(text) or abs(Decimal(text)) > MAX_NUMBER:
        return None
    return float(text) if "." in text else int(text)


# Text an error or log line repeats from a row is cut to this many characters: a listing of the first 1,000
# errors must not hold 1,000 copies of a 1 MiB cell.
MAX_QUOTED_TEXT = 1000


def clipped(doc: dict) -> dict:
    """`doc` with every string value longer than MAX_QUOTED_TEXT cut there and marked with "…"."""
    if not any(isinstance(v, str) and len(v) > MAX_QUOTED_TEXT for v in doc.values()):
        return doc
    return {k: v[:MAX_QUOTED_TEXT] + "…" if isinstance(v, str) and len(v) > MAX_QUOTED_TEXT else v
            for k, v in doc.items()}


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# problem -> the field it is about (the title field is named per vendor: "title", "name")
PROBLEM_FIELDS = {"missing_ean": "ean", "invalid_ean_format": "ean", "invalid_ean_checksum": "ean",
                  "missing_title": "title", "invalid_price": "price", "empty_price": "price"}


def product_problem(fields: Mapping[str, object], title_field: str = "title", check_digit: bool = True) -> str | None:
    """The first rule a product row breaks, in the order a person fixes them: EAN, title, price."""
    problem = ean13_problem(fields.get("ean"), check_digit)
    if problem:
        return problem
    if is_blank(fields.get(title_field)):
        return "missing_title"
    price = fields.get("price")
    if not is_blank(price) and parse_price(price) is None:
        return "invalid_price"
    return None


def normalise_product(fields: Mapping[str, object]) -> dict[str, object]:
    """A valid row as stored: strings trimmed, price as a string decimal, blanks dropped."""
    out: dict[str, object] = {}
    for name, value in fields.items():
        if is_blank(value):
            continue
        if name == "price":
            out[name] = str(parse_price(value))
        elif name == "ean":
            out[name] = str(value).strip()
        else:
            out[name] = value.strip() if isinstance(value, str) else value
    return out


class ColumnMapper:
    """file column -> product field: the mapping first, then columns named like a field (any case).

    Records may differ in their keys (JSON), so each new column name is resolved once and remembered.
    """

    def __init__(self, mapping: Mapping[str, str], fields: frozenset[str]) -> None:
        self._mapping = dict(mapping)
        self._taken = set(mapping.values())
        self._fields = fields
        self._resolved: dict[str, str | None] = {}

    def _resolve(self, column: str) -> str | None:
        if column in self._mapping:
            return self._mapping[column]
        lowered = column.lower()
        if lowered in self._fields and lowered not in self._taken:
            return lowered
        return None

    def ignored(self, record: Mapping[str, object]) -> list[str]:
        """The record's columns that map to no field (call after mapping the record)."""
        return [column for column in record if self._resolved.get(column) is None]

    def __call__(self, record: Mapping[str, object]) -> dict[str, object]:
        out: dict[str, object] = {}
        for column, value in record.items():
            if column not in self._resolved:
                self._resolved[column] = self._resolve(column)
            field = self._resolved[column]
            if field is not None:
                out[field] = value
        return out


def unknown_targets(mapping: Mapping[str, object], fields: frozenset[str]) -> list[str]:
    return sorted({str(v) for v in mapping.values() if v not in fields})
