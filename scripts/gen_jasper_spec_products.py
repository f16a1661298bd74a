"""The products' component schemas of openapi/jasper.yaml (products, sub-resources, webhooks, exports).

The resources' fields (types, enums, ranges, required) and their operations are declared in
`mock_server/vendors/jasper/resources.py` (gen_jasper_spec.py renders the operations); the schemas only the spec
has (the product's embedded relations, the barcode digits per type as a oneOf, the tags) are written here. What
the seed leaves out but a client needs is marked `x-inferred: true` (DECISIONS.md, ## Jasper products, webhooks
and exports).
"""

from __future__ import annotations

import gen_jasper_spec as g

from mock_server.vendors.jasper.model import arr
from mock_server.vendors.jasper.products import SINGLE, WITH
from mock_server.vendors.jasper.resources import BARCODE_DIGITS, BY_NAME

INT, STR, NSTR, NINT = g.INT, g.STR, g.NSTR, g.NINT
ref, envelope = g.ref, g.envelope
out_props, write_props, create_required = g.out_props, g.write_props, g.create_required
PRODUCTS = BY_NAME["products"]


def by_digits() -> dict[tuple[str, ...], int | None]:
    """The barcode types grouped by the digits they take, in the rules' order (J-123 … J-126)."""
    groups: dict[int | None, list[str]] = {}
    for kind, digits in BARCODE_DIGITS.items():
        groups.setdefault(digits, []).append(kind)
    return {tuple(kinds): digits for digits, kinds in groups.items()}


BARCODE_IN = write_props(BY_NAME["product_barcodes"])
# Type -> its digits, as one schema per type: the cross-field rule stated in the spec.
BARCODE_BY_TYPE = {"oneOf": [
    {"required": ["type", "barcode"], "properties": {"type": {"type": "string", "enum": list(types)},
                    "barcode": {"type": "string", "pattern": f"^[0-9]{{{n}}}$" if n else "^[0-9]+$"}},
     "description": f"{' or '.join(types)}: " + (f"{n} digits" if n else "any number of digits")}
    for types, n in by_digits().items()]}
TAGS = {"type": "object", "required": ["product_id"], "properties": {"product_id": INT},
        "additionalProperties": arr(STR),
        "description": "`product_id` and, per version id as a string key, that version's tags (J-164)."}


# What a product view may embed: a single product's relations, then what `with=` adds (products.py).
EMBEDDED = list(dict.fromkeys([*SINGLE, *(key for key, _builder in WITH.values())]))


def product_schema() -> dict:
    rel = {"type": "array", "items": {"type": "object"}}
    props = out_props(PRODUCTS)
    for key in EMBEDDED:
        props[key] = rel
    props["barcodes"] = arr(ref("ProductBarcode"))
    props["prices"] = arr(ref("ProductPrice"))
    props["all_prices"] = arr(ref("ProductPrice"))
    props["active_prices"] = arr(ref("ProductPrice"))
    props["inventory"] = arr(ref("ProductInventory"))
    props["assets"] = arr(ref("ProductAsset"))
    props["attributes"] = arr(ref("ProductAttribute"))
    props["product_attributes"] = arr(ref("ProductAttribute"))
    props["tags"] = arr(STR)
    return {"type": "object", "properties": props}


def shape(name: str) -> dict:
    return {"type": "object", "properties": out_props(BY_NAME[name])}


def writes(name: str, **extra: object) -> dict:
    """A declared resource's create schema: its writable fields, the required ones, at least one of
    `required_one_of`, and whatever cross-field rule `extra` states."""
    res = BY_NAME[name]
    out: dict = {"type": "object"}
    if create_required(res):
        out["required"] = create_required(res)
    out["properties"] = write_props(res)
    if res.required_one_of:
        out["anyOf"] = [{"required": [field]} for field in res.required_one_of]
    return {**out, **extra}


def updates(name: str) -> dict:
    return {"type": "object", "properties": write_props(BY_NAME[name])}


SCHEMAS = {
    "Product": product_schema(),
    "ProductCreate": writes("products"),
    "ProductUpdate": updates("products"),
    "ProductVersion": {"type": "object", "properties": g.version_props(PRODUCTS)},
    "ProductAsset": shape("product_assets"),
    "ProductAssetCreate": writes("product_assets"),
    "ProductAssetUpdate": updates("product_assets"),
    "ProductBarcode": shape("product_barcodes"),
    "ProductBarcodeCreate": writes("product_barcodes", **BARCODE_BY_TYPE),
    "ProductBarcodeUpdate": updates("product_barcodes"),
    "ProductBarcodeUpsert": {"type": "object", "required": ["barcodes"], "properties": {"barcodes": arr(
        {"type": "object", "required": create_required(BY_NAME["product_barcodes"]), **BARCODE_BY_TYPE,
         "properties": {**BARCODE_IN, "id": {**INT, "description": "Match this barcode (else the type matches, X-42)"}}}
    )}},
    "ProductPrice": shape("product_prices"),
    "ProductPriceCreate": writes("product_prices", description="At least one of msrp, cost, map, sell_price (J-137)",
                                 anyOf=[{"required": [k], "properties": {k: {"type": "number"}}}
                                        for k in ("msrp", "cost", "map", "sell_price")]),
    "ProductInventory": shape("product_inventory"),
    "ProductInventoryCreate": writes("product_inventory"),
    "ProductInventoryUpdate": updates("product_inventory"),
    "ProductAttribute": g.assigned_attribute(g.ATTRIBUTE_VALUE),
    "ProductAttributeWrite": g.ATTRIBUTE_WRITE,
    "ProductChannel": shape("product_channels"),
    "ProductRelationType": shape("product_relation_types"),
    "ProductRelationTypeCreate": writes("product_relation_types"),
    "ProductRelationTypeUpdate": updates("product_relation_types"),
    "ProductRelations": {"type": "object", "required": ["product_relations"], "properties": {
        "product_relations": {"type": "object", "additionalProperties": arr(ref("Product")),
                              "description": "Related products grouped by relation type name (X-50)"}}},
    "RelationAttributeValue": shape("product_relation_attribute_values"),
    "RelationAttributeValues": envelope("product_relation_attribute_values", arr(ref("RelationAttributeValue"))),
    "ProductTags": TAGS,
    "Webhook": shape("webhooks"),
    "WebhookCreate": writes("webhooks"),
    "WebhookUpdate": updates("webhooks"),
    "Export": shape("exports"),
}


def extend(spec: dict) -> None:
    """Add the products' schemas to the spec gen_jasper_spec.build() made (their operations are declared with the
    resources and rendered there)."""
    spec["components"]["schemas"].update(SCHEMAS)
    spec["info"]["title"] = "Jasper Standard PIM v1"
    spec["info"]["description"] += PRODUCTS_DESCRIPTION


PRODUCTS_DESCRIPTION = """\

**Webhooks** are posted to their `callback_url`, signed with HMAC-SHA256 of the body in `X-Jasper-Signature`.
`x-inferred` marks what the documentation leaves out but a client needs (JS2-Dnn).
"""
