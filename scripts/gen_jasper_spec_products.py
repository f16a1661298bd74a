"""The products section of openapi/jasper.yaml (products, sub-resources, webhooks, exports) for gen_jasper_spec.py.

Each operation is one call of `op(...)` below. The resources' fields (types, enums, ranges, required) are declared in
`mock_server/vendors/jasper/resources.py` and rendered here; the schemas only the spec has (the product's embedded
relations, the barcode digits per type as a oneOf, the tags) are written here. What the seed leaves out but a client
needs is marked `x-inferred: true` (DECISIONS.md, ## Jasper products, webhooks and exports).
"""

from __future__ import annotations

import gen_jasper_spec as g

from mock_server.vendors.jasper.products import WITH
from mock_server.vendors.jasper.resources import BARCODE_DIGITS, BY_NAME

INT, STR, NSTR, NINT = g.INT, g.STR, g.NSTR, g.NINT
V = g.V
ref, envelope, json_body, json_response = g.ref, g.envelope, g.json_body, g.json_response
out_props, write_props, create_required = g.out_props, g.write_props, g.create_required
PRODUCTS = BY_NAME["products"]
WITH_NAMES = list(WITH)


def arr(schema: dict) -> dict:
    return {"type": "array", "items": schema}


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
REL_ATTR_ITEM = {"type": "object", "required": ["attribute_id"],
                 "properties": {"attribute_id": INT, "value": {"type": "string", "nullable": True}}}
TAGS = {"type": "object", "required": ["product_id"], "properties": {"product_id": INT},
        "additionalProperties": arr(STR),
        "description": "`product_id` and, per version id as a string key, that version's tags (J-164)."}
TAGS_IN = {"type": "object", "properties": {"product_id": INT}, "additionalProperties": True,
           "description": "Version id keys (\"0\", \"1\", …) with arrays of tags (J-166, J-167)."}
ATTR_VALUE = {"type": "object", "properties": {"id": INT, "version_id": INT, "value": NSTR}}
PRODUCT_ATTRIBUTE = {"type": "object", "required": ["attribute_id"], "properties": {
    "attribute_id": INT, "name": STR, "slug": NSTR, "user_defined_key": NSTR,
    "type": {"type": "string", "enum": g.ENTITY_ATTR_TYPES}, "values": arr(ATTR_VALUE)}}
ATTRIBUTE_WRITE = {"type": "object", "required": ["attribute_id"], "properties": {
    "attribute_id": INT, "version_id": {"type": "integer", "minimum": 0},
    "values": arr({"type": "object", "required": ["value"], "properties": {"value": STR}})}}


def product_schema() -> dict:
    rel = {"type": "array", "items": {"type": "object"}}
    props = out_props(PRODUCTS)
    for key in ("generic_entities", "product_attributes", "related_products", "categories", "channels",
                "barcodes", "prices", "inventory", "children", "assets", "variants", "attributes", "active_prices",
                "all_prices", "tags"):
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
    "ProductAttribute": PRODUCT_ATTRIBUTE,
    "ProductAttributeWrite": ATTRIBUTE_WRITE,
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


def param(name: str, kind: str = "integer") -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def query(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


LIST_QUERY = [
    query("page", {"type": "integer", "minimum": 1, "default": 1}, "Page (default 1); past the end: an empty page"),
    query("limit", {"type": "integer", "minimum": 1, "maximum": PRODUCTS.max_limit, "default": PRODUCTS.per_page},
          f"Products per page (default {PRODUCTS.per_page}, at most {PRODUCTS.max_limit}: JS2-D02)"),
    query("sku", {"type": "string"}, "Filters the result by product SKU."),
    query("type", {"type": "string", "enum": ["all", "parents"], "default": "parents"},
          "all, or parents only (default)"),
    query("status", {"type": "string", "enum": ["all", "enabled", "disabled"], "default": "all"},
          "all (default), enabled or disabled"),
    query("with", {"type": "string", "pattern": "^(" + "|".join(WITH_NAMES) + ")(,(" + "|".join(WITH_NAMES) + "))*$"},
          "Comma separated relations to embed: " + ", ".join(WITH_NAMES)),
]


def op(opid: str, summary: str, rules: list[str], *, tag: str, params=(), body=None, ok=None, status="200",
       extra: dict | None = None, write: bool = False, inferred: bool = False, description: str | None = None,
       links: dict | None = None) -> dict:
    out: dict = {"operationId": "product_operations." + opid, "tags": [tag], "summary": summary, "x-rules": rules}
    if description:
        out["description"] = description
    if inferred:
        out["x-inferred"] = True
    if params:
        out["parameters"] = list(params)
    if body is not None:
        out["requestBody"] = json_body(body)
    responses = {status: json_response(summary + ".", ok or ref("Deleted"))}
    if links:
        responses[status]["links"] = links
    responses.update(extra or {})
    responses.update(g.error_refs("create" if write else "get"))
    out["responses"] = responses
    return out


def product_link(key: str) -> dict:
    return g.crud_links("product_operations.products_", "Product", {"product_id": f"$response.body#/{key}/id"},
                        ("get", "update", "delete"))


def nested_links(binding: str, schema: str, id_param: str, key: str | None) -> dict:
    pointer = f"$response.body#/{key}/id" if key else "$response.body#/id"
    params = {"product_id": "$request.path.product_id", id_param: pointer}
    return g.crud_links("product_operations." + binding, schema, params,
                        [verb for verb in ("get", "update", "delete") if (binding, verb) in LINKABLE])


LINKABLE = {("product_assets", "get"), ("product_assets", "update"), ("product_assets", "delete"),
            ("product_inventory", "get"), ("product_inventory", "update"), ("product_inventory", "delete"),
            ("product_prices", "get"), ("product_barcodes", "update"), ("product_barcodes", "delete")}


def paths() -> dict:  # noqa: PLR0915 - one table of operations, read top to bottom
    P, PV = param("product_id"), param("version_id")
    PV_DELETE = {**PV, "schema": {"type": "integer", "minimum": 1},
                 "description": "A version other than 0: the master (version 0) cannot be deleted (JS2-D03)"}
    one_product = envelope("product", ref("Product"))
    many_products = {"type": "object", "required": ["products", "links", "meta"], "properties": {
        "products": arr(ref("Product")), "links": ref("PageLinks"), "meta": ref("PageMeta")}}
    prod = "products"
    out: dict = {}

    def add(path: str, method: str, operation: dict, prefix: str = V) -> None:
        out.setdefault(prefix + path, {})[method] = operation

    add("/products", "get", op("products_.list", "All products", ["J-091", "J-092", "J-093", "J-094", "J-095"],
                               tag=prod, params=LIST_QUERY, ok=many_products))
    add("/products", "post", op("products_.create", "Create a product", ["J-105", "J-106", "J-107", "J-108", "J-110"],
                                tag=prod, body=ref("ProductCreate"), ok=one_product, status="201", write=True,
                                links=product_link("product")))
    add("/products/version/{version_id}", "get", op(
        "products_.list_version", "All products by version", ["J-096", "J-097", "J-098", "J-099", "J-100", "J-101"],
        tag=prod, params=[PV, *LIST_QUERY], ok=many_products))
    add("/products/sku/{sku}", "get", op("products_.by_sku", "A product by SKU", ["J-104"], tag=prod,
                                         params=[param("sku", "string")], ok=one_product))
    add("/products/{product_id}", "get", op("products_.get", "A product", ["J-102", "J-109"], tag=prod,
                                            params=[P], ok=one_product))
    add("/products/{product_id}", "put", op("products_.update", "Update a product", ["J-111", "J-112"], tag=prod,
                                            params=[P], body=ref("ProductUpdate"), ok=one_product, write=True))
    add("/products/{product_id}", "delete", op("products_.delete", "Delete a product", ["J-114"], tag=prod,
                                               params=[P], write=True))
    add("/products/{product_id}/version/{version_id}", "get", op(
        "products_.get_version", "A version of a product", ["J-103"], tag=prod, params=[P, PV], ok=one_product))
    add("/products/{product_id}/version/{version_id}", "put", op(
        "products_.update_version", "Update (or create) a version of a product", ["J-103", "J-113"], tag=prod,
        params=[P, PV], body=ref("ProductVersion"), ok=one_product, write=True))
    add("/products/{product_id}/version/{version_id}", "delete", op(
        "products_.delete_version", "Delete a version of a product", ["J-115"], tag=prod, params=[P, PV_DELETE],
        write=True))
    add("/products/{product_id}/remove-from-parent", "delete", op(
        "products_.remove_from_parent", "Remove a child product from its parent", ["J-116", "J-117"], tag=prod,
        params=[P], ok=one_product, write=True,
        description="Detaches the child and unpublishes it: enabled and is_visible become 0 (X-60, JS2-D01)."))

    # assets
    A = param("asset_id")
    asset_one = envelope("product_asset", ref("ProductAsset"))
    tag = "product_assets"
    add("/products/{product_id}/assets", "get", op("product_assets.list", "All product assets", ["J-118"], tag=tag,
                                                   params=[P], ok=envelope("product_assets", arr(ref("ProductAsset")))))
    add("/products/{product_id}/assets", "post", op(
        "product_assets.create", "Create a product asset", ["J-119"], tag=tag, params=[P],
        body=ref("ProductAssetCreate"), ok=asset_one, status="201", write=True,
        links=nested_links("product_assets", "ProductAsset", "asset_id", "product_asset")))
    add("/products/{product_id}/assets/{asset_id}", "get", op("product_assets.get", "A product asset", ["J-118"],
                                                              tag=tag, params=[P, A], ok=asset_one))
    add("/products/{product_id}/assets/{asset_id}", "put", op(
        "product_assets.update", "Update a product asset", ["J-120"], tag=tag, params=[P, A],
        body=ref("ProductAssetUpdate"), ok=asset_one, write=True))
    add("/products/{product_id}/assets/{asset_id}", "delete", op(
        "product_assets.delete", "Delete a product asset", ["J-120"], tag=tag, params=[P, A], write=True))

    # barcodes: bare objects (X-43)
    B = param("barcode_id")
    tag = "product_barcodes"
    upsert_rules = ["J-130", "J-131", "J-132"]
    add("/products/{product_id}/barcodes", "get", op(
        "product_barcodes.list", "All product barcodes", ["J-121"], tag=tag, params=[P],
        ok=envelope("barcodes", arr(ref("ProductBarcode")))))
    add("/products/{product_id}/barcodes", "post", op(
        "product_barcodes.create", "Create a product barcode", ["J-122", "J-123", "J-124", "J-125", "J-126", "J-127"],
        tag=tag, params=[P], body=ref("ProductBarcodeCreate"), ok=ref("ProductBarcode"), status="201", write=True,
        links=nested_links("product_barcodes", "ProductBarcode", "barcode_id", None)))
    add("/products/{product_id}/barcodes/upsert", "put", op(
        "product_barcodes.upsert_with_delete", "Upsert product barcodes, deleting the others",
        ["J-130", *upsert_rules[2:]], tag=tag, params=[P], body=ref("ProductBarcodeUpsert"),
        ok=envelope("barcodes", arr(ref("ProductBarcode"))), write=True))
    add("/products/{product_id}/barcodes/upsert", "post", op(
        "product_barcodes.upsert_without_delete", "Upsert product barcodes, deleting none", ["J-131", "J-132"],
        tag=tag, params=[P],
        body=ref("ProductBarcodeUpsert"), ok=envelope("barcodes", arr(ref("ProductBarcode"))), write=True))
    add("/products/{product_id}/barcodes/{barcode_id}", "put", op(
        "product_barcodes.update", "Update a product barcode", ["J-128", "J-133"], tag=tag, params=[P, B],
        body=ref("ProductBarcodeUpdate"), ok=ref("ProductBarcode"), write=True))
    add("/products/{product_id}/barcodes/{barcode_id}", "delete", op(
        "product_barcodes.delete", "Delete a product barcode", ["J-129", "J-133"], tag=tag, params=[P, B],
        ok=ref("ProductBarcode"), write=True))

    # categories, channels
    add("/products/{product_id}/categories", "post", op(
        "products_.assign_category", "Assign a category to a product", ["J-134"], tag="product_categories",
        params=[P], body={"type": "object", "required": ["category_id"], "properties": {
            "category_id": {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9]+$"}]}}},
        ok=envelope("product_categories", ref("Category")), status="201", write=True))
    add("/products/{product_id}/channel/{channel_id}", "post", op(
        "products_.set_channel", "Update or create a product's web ID on a channel", ["J-152"], tag="product_channels",
        params=[P, param("channel_id")],
        body={"type": "object", "required": ["web_id"], "properties": {"web_id": NINT}},
        ok=envelope("product_channel", ref("ProductChannel")), status="201", write=True,
        extra={"200": json_response("Updated.", envelope("product_channel", ref("ProductChannel")))}))

    # prices: no update, no delete (J-138, J-139)
    PR = param("price_id")
    tag = "product_prices"
    price_one = envelope("product_price", ref("ProductPrice"))
    add("/products/{product_id}/prices", "get", op(
        "product_prices.list", "All product prices", ["J-135"], tag=tag, params=[P],
        ok=envelope("product_prices", arr(ref("ProductPrice")))))
    add("/products/{product_id}/prices", "post", op(
        "product_prices.create", "Create a product price", ["J-136", "J-137"], tag=tag, params=[P],
        body=ref("ProductPriceCreate"), ok=price_one, status="201", write=True,
        links=nested_links("product_prices", "ProductPrice", "price_id", "product_price")))
    add("/products/{product_id}/prices/active", "get", op(
        "product_prices.active", "The product's prices active now", ["J-100"], tag=tag, params=[P], inferred=True,
        ok=envelope("product_prices", arr(ref("ProductPrice"))),
        description="Not in the seed (x-inferred): the prices whose from ≤ now ≤ to on the clock (JS2-D07)."))
    add("/products/{product_id}/prices/{price_id}", "get", op("product_prices.get", "A product price", ["J-135"],
                                                              tag=tag, params=[P, PR], ok=price_one))

    # inventory
    IV = param("inventory_id")
    tag = "product_inventory"
    inv_one = envelope("product_inventory", ref("ProductInventory"))
    add("/products/{product_id}/inventory", "get", op(
        "product_inventory.list", "All product inventory", ["J-140"], tag=tag, params=[P],
        ok=envelope("product_inventory", arr(ref("ProductInventory")))))
    add("/products/{product_id}/inventory", "post", op(
        "product_inventory.create", "Create a product inventory", ["J-141"], tag=tag, params=[P],
        body=ref("ProductInventoryCreate"), ok=inv_one, status="201", write=True,
        links=nested_links("product_inventory", "ProductInventory", "inventory_id", "product_inventory")))
    add("/products/{product_id}/inventory/{inventory_id}", "get", op(
        "product_inventory.get", "A product inventory", ["J-140"], tag=tag, params=[P, IV], ok=inv_one))
    add("/products/{product_id}/inventory/{inventory_id}", "put", op(
        "product_inventory.update", "Update a product inventory", ["J-141"], tag=tag, params=[P, IV],
        body=ref("ProductInventoryUpdate"), ok=inv_one, write=True))
    add("/products/{product_id}/inventory/{inventory_id}", "delete", op(
        "product_inventory.delete", "Delete a product inventory", ["J-141"], tag=tag, params=[P, IV], write=True))

    # attributes (X-47 envelopes)
    AT, VA = param("attribute_id"), param("value_id")
    tag = "product_attributes"
    item, items = ref("ProductAttribute"), arr(ref("ProductAttribute"))
    add("/products/{product_id}/attributes", "get", op(
        "product_attributes.list", "All product attributes", ["J-142", "J-148"], tag=tag, params=[P],
        ok=envelope("product_attributes", items)))
    add("/products/{product_id}/attributes", "post", op(
        "product_attributes.create", "Set a product attribute's values for a version", ["J-144", "J-149"], tag=tag,
        params=[P], body=ref("ProductAttributeWrite"), ok=envelope("products_attributes", item), status="201",
        write=True))
    add("/products/{product_id}/attributes", "put", op(
        "product_attributes.update_many", "Update many product attributes", ["J-145"], tag=tag, params=[P],
        body=arr(ref("ProductAttributeWrite")), ok=envelope("products_attributes", items), write=True))
    add("/products/{product_id}/attributes/{attribute_id}", "get", op(
        "product_attributes.get", "A product attribute", ["J-143"], tag=tag, params=[P, AT],
        ok=envelope("products_attributes", items)))
    add("/products/{product_id}/attributes/{attribute_id}/values/{value_id}", "put", op(
        "product_attributes.update_value", "Update a product attribute value", ["J-146"], tag=tag,
        params=[P, AT, VA], body=ref("ProductAttributeWrite"), ok=envelope("product_attributes", item), write=True))
    add("/products/{product_id}/attributes/{attribute_id}/values/{value_id}", "delete", op(
        "product_attributes.delete_value", "Delete a product attribute value", ["J-147"], tag=tag,
        params=[P, AT, VA], write=True))
    add("/products/{product_id}/assigned-attributes", "post", op(
        "product_attributes.assign", "Assign an attribute to a product", ["J-150"], tag=tag, params=[P],
        body={"type": "object", "required": ["attribute_id"], "properties": {"attribute_id": INT}},
        ok=envelope("product_attributes", item), status="201", write=True,
        extra={"200": json_response("Already assigned.", envelope("product_attributes", item))}))
    add("/products/{product_id}/assigned-attribute-sets", "post", op(
        "product_attributes.assign_set", "Assign an attribute set to a product", ["J-151"], tag=tag, params=[P],
        body={"type": "object", "required": ["attribute_set_id"], "properties": {"attribute_set_id": INT}},
        ok=envelope("product_attributes", items), write=True))

    # relation types
    RT = param("relation_type_id")
    tag = "product_relation_types"
    rt_one = envelope("product_relation_type", ref("ProductRelationType"))
    rt_links = {f"{verb.capitalize()}ProductRelationType": {
        "operationId": f"product_operations.product_relation_types.{verb}",
        "parameters": {"relation_type_id": "$response.body#/product_relation_type/id"}}
        for verb in ("get", "update", "delete")}
    add("/product-relation-types", "get", op(
        "product_relation_types.list", "All product relation types", ["J-153"], tag=tag,
        ok=envelope("product_relation_types", arr(ref("ProductRelationType")))))
    add("/product-relation-types", "post", op(
        "product_relation_types.create", "Create a product relation type", ["J-154", "J-155"], tag=tag,
        body=ref("ProductRelationTypeCreate"), ok=rt_one, status="201", write=True, links=rt_links))
    add("/product-relation-types/{relation_type_id}", "get", op(
        "product_relation_types.get", "A product relation type", ["J-153"], tag=tag, params=[RT], ok=rt_one))
    add("/product-relation-types/{relation_type_id}", "put", op(
        "product_relation_types.update", "Update a product relation type", ["J-156"], tag=tag, params=[RT],
        body=ref("ProductRelationTypeUpdate"), ok=rt_one, write=True))
    add("/product-relation-types/{relation_type_id}", "delete", op(
        "product_relation_types.delete", "Delete a product relation type", ["J-156"], tag=tag, params=[RT],
        write=True))

    # relations and their attributes
    R, AA = param("related_id"), param("attribute_id")
    tag = "product_relations"
    add("/products/{product_id}/relations", "get", op(
        "product_relations.list", "All relations of a product", ["J-157"], tag=tag, params=[P],
        ok=ref("ProductRelations")))
    add("/products/{product_id}/relations/type/{relation_type_id}", "get", op(
        "product_relations.list_type", "Relations of a product of one type", ["J-158"], tag=tag, params=[P, RT],
        ok=ref("ProductRelations")))
    relate = op("product_relations.create", "Relate two products", ["J-159"], tag=tag, params=[P, R, RT],
                ok=ref("ProductRelations"), status="201", write=True,
                extra={"200": json_response("Already related.", ref("ProductRelations"))})
    relate["requestBody"] = {"required": False, "content": {"application/json": {
        "schema": {"type": "object", "default": {},
                   "description": "The seed's curl sends `{}` (none is the same): the path says everything."},
        "example": {}}}}
    add("/products/{product_id}/relations/{related_id}/type/{relation_type_id}", "post", relate)
    add("/products/{product_id}/relations/{related_id}/type/{relation_type_id}", "delete", op(
        "product_relations.delete", "Delete a product relation", ["J-160"], tag=tag, params=[P, R, RT], write=True))
    rel_body = {"anyOf": [{"type": "object", "properties": {"attributes": arr(REL_ATTR_ITEM)}},
                          arr(REL_ATTR_ITEM)],
                "x-inferred": True, "description": "The seed sends `{}` (X-51): the fake's format, JS2-D14"}
    add("/products/{product_id}/relations/{related_id}/type/{relation_type_id}/attributes", "get", op(
        "product_relations.attributes", "Relation attribute values", ["J-161"], tag=tag, params=[P, R, RT],
        ok=ref("RelationAttributeValues")))
    add("/products/{product_id}/relations/{related_id}/type/{relation_type_id}/attributes", "post", op(
        "product_relations.set_attributes", "Create or update relation attributes", ["J-162"], tag=tag,
        params=[P, R, RT], body=rel_body, ok=ref("RelationAttributeValues"), write=True))
    add("/products/{product_id}/relations/{related_id}/type/{relation_type_id}/attribute/{attribute_id}", "post", op(
        "product_relations.set_attribute", "Create or update one relation attribute", ["J-163"], tag=tag,
        params=[P, R, RT, AA], body={"type": "object", "properties": {"value": {"type": "string", "nullable": True}},
                                     "x-inferred": True},
        ok=ref("RelationAttributeValues"), write=True))
    add("/products/{product_id}/relations/{related_id}/type/{relation_type_id}/attribute/{attribute_id}", "delete",
        op("product_relations.delete_attribute", "Delete a relation attribute", ["J-163"], tag=tag,
           params=[P, R, RT, AA], write=True))

    # tags
    tag = "product_tags"
    add("/products/{product_id}/tags", "get", op("product_tags.list", "Tags of every version", ["J-165"], tag=tag,
                                                 params=[P], ok=ref("ProductTags")))
    add("/products/{product_id}/tags", "post", op("product_tags.post", "Set tags of several versions", ["J-167"],
                                                  tag=tag, params=[P], body=TAGS_IN, ok=ref("ProductTags"),
                                                  write=True))
    add("/products/{product_id}/tags/{version_id}", "get", op(
        "product_tags.get", "Tags of one version", ["J-164"], tag=tag, params=[P, PV], ok=ref("ProductTags")))
    add("/products/{product_id}/tags/{version_id}", "put", op(
        "product_tags.put", "Replace one version's tags", ["J-166"], tag=tag, params=[P, PV], body=TAGS_IN,
        ok=ref("ProductTags"), write=True))
    add("/products/{product_id}/tags/{version_id}", "post", op(
        "product_tags.post_version", "Set tags of several versions (the HTTP Request line's path)", ["J-167"],
        tag=tag, params=[P, PV], body=TAGS_IN, ok=ref("ProductTags"), write=True))

    # webhooks (X-54: the single envelope is "webhooks" too)
    W = param("webhook_id")
    tag = "webhooks"
    hook_one = envelope("webhooks", ref("Webhook"))
    hook_links = {f"{verb.capitalize()}Webhook": {"operationId": f"product_operations.webhooks.{verb}",
                                                 "parameters": {"webhook_id": "$response.body#/webhooks/id"}}
                  for verb in ("get", "update", "disable", "enable")}
    add("/webhooks", "get", op("webhooks.list", "All webhooks", ["J-168"], tag=tag,
                               ok=envelope("webhooks", arr(ref("Webhook")))))
    add("/webhooks", "post", op("webhooks.create", "Create a webhook",
                                ["J-169", "J-170", "J-171", "J-172", "J-173", "J-174", "J-175", "J-176", "J-180"],
                                tag=tag, body=ref("WebhookCreate"), ok=hook_one, status="201", write=True,
                                links=hook_links))
    add("/webhooks/{webhook_id}", "get", op("webhooks.get", "A webhook", ["J-169"], tag=tag, params=[W],
                                            ok=hook_one))
    add("/webhooks/{webhook_id}", "put", op("webhooks.update", "Update a webhook", ["J-177"], tag=tag, params=[W],
                                            body=ref("WebhookUpdate"), ok=hook_one, write=True))
    for action, rule in (("disable", "J-178"), ("enable", "J-179")):
        add(f"/webhooks/{{webhook_id}}/{action}", "put", op(
            f"webhooks.{action}", f"{action.capitalize()} a webhook", [rule], tag=tag, params=[W], ok=hook_one,
            write=True))
        add(f"/webhooks/{{webhook_id}}/{action}", "get", {**op(
            f"webhooks_alias.{action}", f"{action.capitalize()} a webhook (the seed's curl, a GET)", [rule],
            tag=tag, params=[W], ok=hook_one, write=True), "deprecated": True,
            "description": "The seed's curl has no -X (X-55): served as a deprecated alias of the PUT."})

    # exports (J-067, X-27)
    E = param("export_id")
    tag = "exports"
    export_one = envelope("export", ref("Export"))
    add("/exports", "post", op(
        "exports.create", "Start an export", ["J-067"], tag=tag, inferred=True, write=True, status="201",
        body={"type": "object", "required": ["profile_id"], "properties": {"profile_id": {"type": "integer",
                                                                                         "minimum": 1}}},
        ok=export_one, description="Not in the seed (X-27): how the fake starts an export (JS2-D12).",
        links={"GetExport": {"operationId": "product_operations.exports.get",
                             "parameters": {"export_id": "$response.body#/export/id"}}}))
    add("/exports/{export_id}", "get", op("exports.get", "Export status and file", ["J-067"], tag=tag, params=[E],
                                          ok=export_one))
    download = op("exports.download", "The export's file", ["J-067"], tag=tag, params=[E], inferred=True,
                  description="The export's `file_url` (outside /api/v1 as the seed shows): a CSV of the products, "
                              "once the export is finished (404 before).")
    download["responses"]["200"] = {"description": "The file.", "content": {"text/csv": {"schema": STR}}}
    add("/exports/{export_id}/download", "get", download, prefix="")
    return out


def extend(spec: dict) -> None:
    """Add the products' paths and schemas to the spec gen_jasper_spec.build() made."""
    spec["paths"] = dict(sorted({**spec["paths"], **paths()}.items()))
    spec["components"]["schemas"].update(SCHEMAS)
    spec["info"]["title"] = "Jasper Standard PIM v1"
    spec["info"]["description"] += PRODUCTS_DESCRIPTION


PRODUCTS_DESCRIPTION = """\

**Webhooks** are posted to their `callback_url`, signed with HMAC-SHA256 of the body in `X-Jasper-Signature`.
`x-inferred` marks what the documentation leaves out but a client needs (JS2-Dnn).
"""
