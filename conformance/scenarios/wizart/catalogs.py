"""Product CSVs and image archives the scenarios upload, built from the product-type templates in the fixtures."""

from __future__ import annotations

import csv
import io
import secrets
import zipfile
from dataclasses import dataclass, field

from conformance.resources import load_fixtures

IMAGE = b"\xff\xd8\xff\xe0" + b"pimkit" * 40 + b"\xff\xd9"


def templates() -> dict[str, dict]:
    found: dict[str, dict] = load_fixtures("wizart")["templates"]
    return found


@dataclass
class Catalog:
    product_type: str
    count: int
    bad_type: set[int] = field(default_factory=set)  # 0-based rows with a number column holding text
    missing_image: set[int] = field(default_factory=set)
    fatal: int | None = None  # 0-based row with a NUL character (the fake's fatal error)
    header: list[str] | None = None  # another template's header, to break the structure
    prefix: str = field(default_factory=lambda: "PK" + secrets.token_hex(3).upper())

    @property
    def columns(self) -> list[dict]:
        columns: list[dict] = templates()[self.product_type]["columns"]
        return columns

    def sku(self, index: int) -> str:
        return f"{self.prefix}-{index + 1:05d}"

    @property
    def skus(self) -> list[str]:
        return [self.sku(i) for i in range(self.count)]

    @property
    def bad(self) -> set[str]:
        return {self.sku(i) for i in self.bad_type | self.missing_image}

    def value(self, column: dict, index: int) -> str:
        kind, name = column["type"], column["name"]
        if name == "sku":
            return self.sku(index)
        if kind == "number":
            return "wide" if index in self.bad_type and column["required"] else str(10 + index % 90)
        if kind == "image":
            return f"{self.sku(index).lower()}.jpg"
        text = f"{name} {index + 1}"
        return f"{text}\x00" if index == self.fatal and name == "name" else text

    def csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.header or [c["name"] for c in self.columns])
        for index in range(self.count):
            writer.writerow([self.value(c, index) for c in self.columns])
        return out.getvalue().encode()

    def images(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for index in range(self.count):
                if index not in self.missing_image:
                    archive.writestr(f"{self.sku(index).lower()}.jpg", IMAGE)
        return out.getvalue()

    def describe(self) -> str:
        parts = [f"{self.count} {self.product_type} rows"]
        for label, rows in (("wrong type", self.bad_type), ("no image", self.missing_image)):
            if rows:
                parts.append(f"{label} at {sorted(i + 1 for i in rows)}")
        if self.fatal is not None:
            parts.append(f"NUL at row {self.fatal + 1}")
        return ", ".join(parts)
