"""Barcodes: the length rule of each type, and the two upserts (J-122 … J-126, J-130 … J-132, X-42)."""

from __future__ import annotations

from conformance.checks import jasper_products as checks
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.jasper_products.client import API, jasper_products_api, new_product

VALID = [("UPC-A", "123456789000"), ("ITF-14", "01234567891234"), ("GTIN-13", "4006381333931"),
         ("EAN", "4006381333931"), ("Custom", "0000444498765321"), ("Custom", "7")]
INVALID = [("UPC-A", "12345678900", "11 digits"), ("UPC-A", "1234567890001", "13 digits"),
           ("UPC-A", "12345678900A", "a letter"), ("ITF-14", "0123456789123", "13 digits"),
           ("GTIN-13", "123456789012", "12 digits"), ("GTIN-13", "12345678901234", "14 digits"),
           ("EAN", "123456789012", "12 digits"), ("EAN", "12345678901234", "14 digits"),
           ("ISBN", "9781234567897", "an unknown type")]


@scenario(API, rules=["J-122", "J-123", "J-124", "J-125", "J-126", "J-127"])
def barcode_lengths_per_type(ctx: ScenarioContext) -> None:
    """UPC-A 12 digits, ITF-14 14, GTIN-13 and EAN 13, Custom any: each valid one accepted, each other refused."""
    api = jasper_products_api(ctx)
    pid = new_product(ctx, api, "BARCODES")
    for kind, digits in VALID:
        ctx.verify(checks.change_accepted, response=api.post(f"/products/{pid}/barcodes",
                                                               {"type": kind, "barcode": digits}),
                   what=f"a {kind} barcode of {len(digits)} digits")
    for kind, digits, why in INVALID:
        ctx.verify(checks.invalid_refused, response=api.post(f"/products/{pid}/barcodes",
                                                                {"type": kind, "barcode": digits}),
                   why=f"a {kind} barcode with {why}")


@scenario(API, rules=["J-130", "J-131", "J-132", "X-42"])
def barcode_upserts(ctx: ScenarioContext) -> None:
    """POST …/barcodes/upsert deletes nothing; PUT keeps only the payload's barcodes; a bad item writes nothing."""
    api = jasper_products_api(ctx)
    pid = new_product(ctx, api, "UPSERT")
    base = f"/products/{pid}/barcodes"
    api.post(base, {"type": "UPC-A", "barcode": "123456789000"})
    itf = api.post(base, {"type": "ITF-14", "barcode": "01234567891234"})
    ctx.require(checks.change_accepted, response=itf, what="an ITF-14 barcode")
    itf_id = (itf.json() or {}).get("id") if isinstance(itf.json(), dict) else None
    payload = {"barcodes": [{"type": "UPC-A", "barcode": "123456789123"},
                            {"type": "Custom", "barcode": "0000444498765321"}]}
    kept = api.post(base + "/upsert", payload)
    ctx.verify(checks.barcodes_after_upsert, response=kept, listed=api.get(base),
               expected=[("UPC-A", "123456789123"), ("ITF-14", "01234567891234"), ("Custom", "0000444498765321")],
               kept_ids=[itf_id] if itf_id is not None else [])
    replaced = api.put(base + "/upsert", payload)
    ctx.verify(checks.barcodes_after_upsert, response=replaced, listed=api.get(base),
               expected=[("UPC-A", "123456789123"), ("Custom", "0000444498765321")])
    bad = {"barcodes": [{"type": "EAN", "barcode": "4006381333931"}, {"type": "UPC-A", "barcode": "12345678901"}]}
    for method in ("PUT", "POST"):
        ctx.verify(checks.invalid_refused, response=api.call(method, base + "/upsert", bad),
                   why="an upsert with an 11-digit UPC-A")
    listed = api.get(base)
    ctx.verify(checks.barcodes_after_upsert, response=listed, listed=listed,
               expected=[("UPC-A", "123456789123"), ("Custom", "0000444498765321")])
