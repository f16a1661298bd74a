"""Product barcodes: the length rule per type and the two upserts (seed 002 "Product Barcodes", J-122 … J-133)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mock_server.errors import BadRequest
from mock_server.vendors.jasper.engine import Engine
from mock_server.vendors.jasper.resources import BARCODE_DIGITS

LENGTHS = BARCODE_DIGITS  # type -> the number of digits it takes (None: any number, at least one). J-123 … J-126


def check(kind: object, barcode: object) -> None:
    """400 unless `barcode` is a string of digits of the length `kind` takes: an update that sends one of the two
    (the other is the row's), and the words for a create or upsert item the spec's oneOf refused. The type's
    vocabulary is the spec's enum."""
    if not isinstance(barcode, str) or not barcode.isascii() or not barcode.isdigit():
        raise BadRequest("The barcode must be a string of digits.")
    length = LENGTHS.get(kind) if isinstance(kind, str) else None
    if length is not None and len(barcode) != length:
        raise BadRequest(f"{kind} barcodes have {length} digits; {len(barcode)} given.")


def check_write(body: Mapping, current: Mapping | None = None) -> None:
    """A create or update: the type and barcode it leaves the row with must agree (an update may send one)."""
    current = current or {}
    check(body.get("type", current.get("type")), body.get("barcode", current.get("barcode")))


def upsert(engine: Engine, product_id: int, items: Sequence[Mapping], *, delete_untouched: bool) -> list[dict]:
    """Update or insert each item; with `delete_untouched` (PUT) the product keeps only the barcodes sent.

    An item matches the barcode with its `id`, else the first not yet matched barcode of its `type` (the seed's
    example keeps id 1 for the UPC-A whose digits change, X-42); else it is new. Every item is checked before
    anything is written: a bad one leaves the product's barcodes as they were (J-132). Each item's digits per type
    are ProductBarcodeUpsert's (the spec refuses a bad item before this runs)."""
    res = engine.resources["product_barcodes"]
    with engine.store.lock:
        existing = engine.rows(res, product_id)
        by_id = {row["id"]: row for row in existing}
        plan: list[tuple[dict | None, Mapping]] = []
        taken: set[int] = set()
        for item in items:
            match = by_id.get(item.get("id")) if item.get("id") is not None else None
            if item.get("id") is not None and match is None:
                raise BadRequest(f"Barcode {item['id']} is not a barcode of product {product_id}.")
            if match is None:
                match = next((r for r in existing if r["type"] == item["type"] and r["id"] not in taken), None)
            if match is not None:
                if match["id"] in taken:
                    raise BadRequest(f"Barcode {match['id']} is named twice.")
                taken.add(match["id"])
            plan.append((match, item))
        out = []
        for match, item in plan:
            fields = {"type": item["type"], "barcode": item["barcode"]}
            if match is None:
                out.append(engine.create(res, fields, product_id))
            elif (match["type"], match["barcode"]) != (fields["type"], fields["barcode"]):
                out.append(engine.update(res, match["id"], fields, product_id))
            else:
                out.append(match)
        if delete_untouched:
            for row in existing:
                if row["id"] not in taken:
                    engine.delete(res, row["id"], product_id)
        return engine.rows(res, product_id)
