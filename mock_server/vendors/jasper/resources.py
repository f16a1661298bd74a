"""Jasper's resources, each declared once (seed 002): the engine, the handler bindings and jasper.yaml read them.

A resource's fields are listed in the order the seed's examples show them, each with the default a create fills in,
its response schema (`out`), its request schema (`write`) and whether a create requires it; enums and ranges are in
those schemas and nowhere else (Connexion enforces them before a handler runs). The engine (`engine.py`) serves every
resource; `handlers.py` binds one generic `Endpoints` per resource declaring `operations`; the generator
(`scripts/gen_jasper_spec.py`) renders the schemas, and the operations of those resources, from this table.
Behaviour the table cannot say lives in small functions beside it (`views.py`, `products.py`, `webhooks.py`, …).
"""

from __future__ import annotations

from mock_server.vendors.jasper import views, webhook_export_views
from mock_server.vendors.jasper.model import (
    BIT,
    BIT_IN,
    BOOL,
    CASCADE,
    INT,
    LARAVEL_TS,
    NAME,
    NINT,
    NSTR,
    NUM,
    PULL,
    SET_NULL,
    STR,
    TS,
    Field,
    Operation,
    Ref,
    Resource,
    Schema,
    Versioning,
)

# --- vocabularies: each enum once -------------------------------------------------------------------------------
ATTRIBUTE_TYPES = ["selectbox", "date", "text", "textarea", "multiselect"]
# The barcode types in the property table's order (J-122), and the digits each takes (J-123 … J-126; None: any).
BARCODE_TYPES = ["EAN", "UPC-A", "GTIN-13", "ITF-14", "Custom"]
BARCODE_DIGITS: dict[str, int | None] = {"UPC-A": 12, "ITF-14": 14, "GTIN-13": 13, "EAN": 13, "Custom": None}
# Cardinality -> (a product may hold at most one related product of the type, a related product may be held by at
# most one product in the type). JS2-D13.
CARDINALITY = {"many-to-many": (False, False), "one-to-many": (False, True), "many-to-one": (True, False),
               "one-to-one": (True, True)}
# Engine resource -> the webhook entity_type it fires for (J-171).
WEBHOOK_ENTITY_TYPES = {"products": "product", "categories": "category", "brands": "brand",
                        "product_assets": "product_asset", "concrete_entities": "concrete_entity"}
RETRY_POLICIES = ["linear", "exponential", "no_retry"]
EXPORT_STATUSES = [name for name, _after in webhook_export_views.EXPORT_STEPS]

# --- the schemas fields share -------------------------------------------------------------------------------------
# OpenAPI 3.0.3 reads `nullable` only beside a `type`: each branch of a nullable anyOf says it.
LABEL: Schema = {"anyOf": [{"type": "string", "nullable": True}, {"type": "integer", "nullable": True}],
                 "description": "A label, or null; the seed's examples hold ids (X-49)"}
# An ISO 8601 date or date-time, UTC without an offset (JS2-D07); null or "" for an open bound.
ISO_DATE = ("^([0-9]{4}-[0-9]{2}-[0-9]{2}"
            "([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?)?$")
OPTION_VALUE: Schema = {"type": "object", "required": ["option_id", "option_value_id"],
                        "properties": {"option_id": INT, "option_value_id": INT}}
HEADERS: list[Schema] = [{"type": "object", "additionalProperties": {"type": "string"}, "nullable": True},
                         {"type": "string", "nullable": True}]
SEARCH_KEYWORDS: Schema = {**NSTR, "description": "Comma separated list of search keywords"}


def ints(**extra: object) -> Schema:
    return {"type": "array", "items": INT, **extra}


def text(default: object = None, *, out: Schema = NSTR, write: Schema | None = NSTR, required: bool = False) -> Field:
    """The commonest field: a nullable string, written as one."""
    return Field(default, out=out, write=write, required=required)


def shown(out: Schema, default: object = None) -> Field:
    """A stored field the API shows but no request writes."""
    return Field(default, out=out)


def computed(out: Schema) -> Field:
    """A field only the response has (timestamps, a view's computed field)."""
    return Field(out=out, stored=False)


def alias(of: str, write: Schema | None = None, *, required: bool = False,
          version_write: Schema | None = None) -> Field:
    """A request-only name of a stored field (`source_uri` -> `uri`); `write` None: accepted, not in the spec."""
    return Field(write=write, required=required, stored=False, alias_of=of, version_write=version_write)


def boolean(default: bool) -> Field:
    return Field(default, out=BOOL, write=BOOL)


def bit(default: int) -> Field:
    """A boolean shown as 1/0 and written as either (X-15, X-30)."""
    return Field(default, out=BIT, write=BIT_IN)


NAMED = Field(out=STR, write=NAME, required=True)  # a `name` a create requires
SORT_ORDER = Field(0, out=INT, write=INT)
SLUG = Field(out=NSTR, write=STR)
TIMESTAMPS = {"created_at": computed(TS), "updated_at": computed(TS)}
SEO = {"seo_meta_desc": text(), "seo_meta_keywords": text(), "seo_meta_title": text(),
       "search_keywords": text(out=SEARCH_KEYWORDS, write=SEARCH_KEYWORDS)}

def ops(rules: dict[str, tuple[str, ...]], *aliases: Operation) -> tuple[Operation, ...]:
    """The operations the generic `Endpoints` serves: kind (an `Endpoints` method) -> its seed rules, in the order
    the spec lists them; then the seed's misspelt routes."""
    return tuple(Operation(kind, tuple(r)) for kind, r in rules.items()) + aliases


def asset(name: str, parent: str, parent_field: str, schema: str, path: str, rules: dict[str, tuple[str, ...]], *,
          sort_order: bool = False) -> Resource:
    """Block, brand, category and page assets: a uri (sent as source_uri, X-16), alt text, a 1/0 thumbnail."""
    writable = "create" in rules
    source = {**STR, "description": "URI of the image; comes back as `uri` (J-047, X-16)"}
    fields = {
        "source_uri": alias("uri", source if writable else None, required=writable),
        "uri": Field(out=NSTR, write=STR if writable else None),
        "alttext": text(write=NSTR if writable else None),
        **({"sort_order": shown(NINT, 0)} if sort_order else {}),
        "thumbnail": Field(0, out=BIT, write=BIT_IN if writable else None),
    }
    return Resource(name, name[:-1], name, fields, parent=parent, parent_field=parent_field, id_param="asset_id",
                    schema=schema, path=path, operations=ops(rules))


def assigned_attributes(entity: str, owner: str, owner_field: str) -> tuple[Resource, Resource]:
    """An entity's assigned attributes (`<entity>_attributes`, addressed by attribute_id) and their values per
    version (`<entity>_attribute_values`): what `entity_attributes.EntityAttributes` joins into one item."""
    refs = {"attribute_id": Ref("attributes")}
    return (
        Resource(f"{entity}_attributes", f"{entity}_attribute", f"{entity}_attributes",
                 {"attribute_id": Field(), "user_defined_key": Field("{}")},
                 parent=owner, parent_field=owner_field, refs=refs, address_by="attribute_id"),
        Resource(f"{entity}_attribute_values", f"{entity}_attribute_value", f"{entity}_attribute_values",
                 {"attribute_id": Field(), "version_id": Field(0), "value": Field()},
                 parent=owner, parent_field=owner_field, refs=refs),
    )


CATALOG: tuple[Resource, ...] = (
    Resource(
        "attributes", "attribute", "attributes",
        {"name": NAMED,
         "type": Field("text", out={"type": "string", "enum": ATTRIBUTE_TYPES},
                       write={"type": "string", "enum": ATTRIBUTE_TYPES}, required=True),
         "display_group_id": Field(out=NINT, write=NINT),
         "display_group": alias("display_group_id", {**NINT, "deprecated": True,
                                                     "description": "The property table's name (X-01)"}),
         "note": text(), "length": Field(out=NINT, write=NINT), "sort_order": SORT_ORDER,
         "slug": SLUG, "publish": boolean(True), "version_id": shown(INT, 0), **TIMESTAMPS,
         "typeValuesArray": computed({"type": "array", "items": {"$ref": "#/components/schemas/AttributeTypeValue"}})},
        unique=("name",), refs={"display_group_id": Ref("display_groups", SET_NULL)}, slug=("name", "copy"),
        versioning=Versioning(translated=("name", "note")), view=views.attribute,
        path="/attributes", id_param="attribute_id", schema="Attribute",
        operations=ops({"list": ("J-011",), "create": ("J-016", "J-017", "J-018", "J-019", "J-020"),
                        "list_version": ("J-013",), "get": ("J-014", "J-010"), "update": ("J-021", "J-018"),
                        "delete": ("J-023",), "get_version": ("J-015",), "update_version": ("J-022",),
                        "delete_version": ("J-024",)}),
    ),
    Resource(
        "attribute_type_values", "attribute_type_value", "attribute_type_values",
        {"value": Field(out=NSTR, write=NAME),
         "name": alias("value", {**NAME, "description": "Alias of value, as the seed's update sends (X-06)"},
                       version_write={**NAME, "description": "Alias of value (X-06)"}),
         "slug": text(), "sort_order": Field(0, out=NINT, write=INT), "version_id": shown(INT, 0),
         "master_attribute_type_value_id": computed({**INT, "description": "In a version: the master row (X-07)"}),
         **TIMESTAMPS},
        parent="attributes", parent_field="attribute_id", slug=("value", "copy"),
        versioning=Versioning(translated=("value", "slug"), own_ids=True, link_field="master_attribute_type_value_id"),
        path="/attributes/{attribute_id}/type_values", id_param="type_value_id", schema="AttributeTypeValue",
        required_one_of=("value", "name"),
        operations=ops({"list": ("J-025",), "create": ("J-029",), "list_version": ("J-026",),
                        "get": ("J-027", "J-033"), "update": ("J-030",), "delete": ("J-032",),
                        "get_version": ("J-028",), "update_version": ("J-031",), "delete_version": ("J-032",)}),
    ),
    Resource(
        "attribute_sets", "attribute_set", "attribute_sets", {"name": NAMED, "sort_order": SORT_ORDER},
        unique=("name",), path="/attribute_sets", id_param="attribute_set_id", schema="AttributeSet",
        envelope_variants={"create": ("attribute_set", "attribute set"), "update": ("attribute_set", "attribute set")},
        operations=ops({"list": ("J-034",), "create": ("J-035", "J-036"), "get": ("J-034",), "update": ("J-037",),
                        "delete": ("J-037",)}),
    ),
    Resource(
        "attribute_set_attributes", "attribute_set_attribute", "attribute_set_attributes",
        {"attribute_id": Field(out=INT, write=INT, required=True)},
        parent="attribute_sets", parent_field="attribute_set_id", refs={"attribute_id": Ref("attributes")},
        address_by="attribute_id", path="/attribute_sets/{attribute_set_id}/attributes", id_param="attribute_id",
        schema="AttributeSetAttribute",
        operations=ops({"list": ("J-038",), "create": ("J-039",), "delete": ("J-040",)}),
    ),
    Resource(
        "blocks", "block", "blocks", {"name": NAMED, "slug": SLUG, "content": text()}, slug=("name", "slugify"),
        path="/blocks", id_param="block_id", schema="Block",
        operations=ops({"list": ("J-041",), "create": ("J-041",), "get": ("J-041",), "update": ("J-041",)}),
    ),
    asset("block_assets", "blocks", "block_id", "BlockAsset", "/blocks/{block_id}/assets",
          {"list": ("J-043",), "get": ("J-043",)}, sort_order=True),
    Resource(
        "brands", "brand", "brands", {"name": NAMED, "desc": text(), **SEO},
        path="/brands", id_param="brand_id", schema="Brand",
        operations=ops({"list": ("J-044",), "create": ("J-044", "J-004"), "get": ("J-044", "J-005"),
                        "update": ("J-044", "J-045"), "delete": ("J-044",)}),
    ),
    asset("brand_assets", "brands", "brand_id", "BrandAsset", "/brands/{brand_id}/assets",
          {"list": ("J-046",), "create": ("J-047", "J-049"), "get": ("J-046",), "update": ("J-048",),
           "delete": ("J-048",)}),
    *assigned_attributes("brand", "brands", "brand_id"),  # handlers.BrandAttributes serves them
    Resource(
        "categories", "category", "categories",
        {"parent_id": Field(out={**NINT, "description": "null for a root category (X-23)"},
                            write={**NINT, "minimum": 0, "description": "0 or null for a root category (X-23)"},
                            required=True),
         "name": NAMED, "desc": text(), "attribute_sets": Field([], out=ints(), write=ints()),
         "is_visible": boolean(True), **SEO},
        refs={"parent_id": Ref("categories", CASCADE, zero_is_null=True),
              "attribute_sets": Ref("attribute_sets", PULL, many=True)},
        path="/categories", id_param="category_id", schema="Category",
        operations=ops({"list": ("J-058",), "create": ("J-058", "J-059", "J-060"), "get": ("J-058", "J-060"),
                        "update": ("J-061",), "delete": ("J-058",)}),
    ),
    asset("category_assets", "categories", "category_id", "CategoryAsset", "/categories/{category_id}/assets",
          {"list": ("J-062",), "create": ("J-062", "J-049"), "get": ("J-062",), "update": ("J-062",),
           "delete": ("J-062",)}),
    Resource(
        "category_channels", "category_channel", "category_channels", {"channel_id": Field(), "web_id": Field()},
        parent="categories", parent_field="category_id", refs={"channel_id": Ref("channels")},
        address_by="channel_id",
    ),
    Resource(
        "channels", "channel", "channels",
        {"channel_name": shown(STR), "sync": shown(BOOL, False), "price_base": shown(NSTR),
         "inventory_location": shown(NSTR)},
        path="/channels", id_param="channel_id", schema="Channel",
        operations=ops({"list": ("J-065",), "get": ("J-064", "J-065")}),
    ),
    Resource(
        "display_groups", "display_group", "display_groups",
        {"name": NAMED, "sort_order": SORT_ORDER, "is_visible": boolean(True)},
        path="/display-groups", id_param="display_group_id", schema="DisplayGroup",
        operations=ops({"list": ("J-066",), "create": ("J-066",), "get": ("J-066",), "update": ("J-066",)},
                       Operation("create", ("J-066",), alias="/display-group"),
                       Operation("update", ("J-066",), alias="/display-group")),
    ),
    Resource(
        "generic_entities", "generic_entity", "generic_entities",
        {"name": NAMED, "description": text(), "is_tree": bit(0),
         "is_product_attribute": bit(0), "priority": Field(0, out=NINT, write=INT),
         "parent_id": Field(out=NINT, write=NINT), "publishable": bit(0),
         "display_on_navigation": bit(0), "options": shown({"type": "array", "items": {}}, [])},
        refs={"parent_id": Ref("generic_entities", SET_NULL)}, per_page=1000,
        path="/generic-entities", id_param="generic_entity_id", schema="GenericEntity",
        operations=ops({"list": ("J-068", "J-069", "J-070"), "create": ("J-072", "J-073"), "get": ("J-071", "J-073"),
                        "update": ("J-074",), "delete": ("J-074",)},
                       Operation("update", ("J-074",), alias="/generic-entites")),
    ),
    Resource(
        "concrete_entities", "concrete_entity", "concrete_entities",
        {"name": NAMED, "priority": Field(0, out=NINT, write=INT), "parent_id": Field(out=NINT, write=NINT),
         "slug": SLUG,
         "generic_entity_id": Field(write={**INT, "description": "Ignored: the path's generic entity wins (JS-D12)"},
                                    stored=False)},
        parent="generic_entities", parent_field="generic_entity_id",
        refs={"parent_id": Ref("concrete_entities", SET_NULL, same_parent=True)}, slug=("name", "slugify"),
        per_page=1000, path="/generic-entities/{generic_entity_id}/concrete-entities",
        id_param="concrete_entity_id", schema="ConcreteEntity",
        operations=ops({"list": ("J-075", "J-069"), "create": ("J-077",), "get": ("J-076",), "update": ("J-078",),
                        "delete": ("J-078",)},
                       Operation("update", ("J-078",), alias="/generic-entities/{generic_entity_id}/concrete-entites")),
    ),
    Resource(
        "options", "option", "options", {"name": NAMED}, path="/options", id_param="option_id", schema="Option",
        operations=ops({"list": ("J-079",), "create": ("J-079",), "get": ("J-079",), "update": ("J-079",),
                        "delete": ("J-080",)}),
    ),
    # The seed's own envelope names, consistent across every option-value example (X-33).
    Resource(
        "option_values", "value_value", "value_values",
        {"value": Field(out=NSTR, write=NAME, required=True), "label": text(),
         "sort_order": SORT_ORDER, "is_default": boolean(False)},
        parent="options", parent_field="option_id", path="/options/{option_id}/values", id_param="value_id",
        schema="OptionValue",
        operations=ops({"list": ("J-081",), "create": ("J-081", "J-082"), "get": ("J-081",), "update": ("J-082",),
                        "delete": ("J-082",)}),
    ),
    Resource(
        "option_sets", "option_set", "option_sets", {"name": NAMED},
        path="/option_sets", id_param="option_set_id", schema="OptionSet",
        envelope_variants={"get": ("option_set", "attribute_set"), "create": ("option_set", "option set"),
                           "update": ("option_set", "option set")},
        operations=ops({"list": ("J-083",), "create": ("J-083",), "get": ("J-083",), "update": ("J-083",),
                        "delete": ("J-084",)}),
    ),
    Resource(
        "option_set_options", "option_set_option", "option_set_options",
        {"option_id": Field(out=INT, write=INT, required=True), "sort_order": SORT_ORDER},
        parent="option_sets", parent_field="option_set_id", refs={"option_id": Ref("options")}, address_by="option_id",
        path="/option_sets/{option_set_id}/options", id_param="option_id", schema="OptionSetOption",
        operations=ops({"list": ("J-085",), "create": ("J-086",), "delete": ("J-087",)}),
    ),
    Resource(
        "pages", "page", "pages",
        {"name": NAMED, "slug": SLUG, "content": text(), "mobile_body": text(), "url": text(),
         "has_mobile_version": boolean(False), "is_customers_only": boolean(False),
         "is_homepage": boolean(False), "is_visible": boolean(True), **SEO},
        slug=("name", "slugify"), path="/pages", id_param="page_id", schema="Page",
        operations=ops({"list": ("J-088",), "create": ("J-088",), "get": ("J-088",), "update": ("J-088",)}),
    ),
    asset("page_assets", "pages", "page_id", "PageAsset", "/pages/{page_id}/assets",
          {"list": ("J-089",), "get": ("J-089",)}),
    Resource(
        "templates", "template", "templates", {"name": NAMED, "slug": SLUG, "content": text()},
        slug=("name", "slugify"), path="/templates", id_param="template_id", schema="Template",
        operations=ops({"list": ("J-090",), "create": ("J-090",), "get": ("J-090",), "update": ("J-090",)}),
    ),
)

# Products, their sub-resources, webhooks and exports (seed 002 "Products" … "Webhooks"): the fields here, the
# operations in product_operations.py (and the spec's in scripts/gen_jasper_spec_products.py).
PRODUCTS: tuple[Resource, ...] = (
    # Defaults are the child-create example's (J-108); a version translates the fields the version examples change
    # (name, sku, product_url, page_title) and the descriptions (JS2-D03).
    Resource(
        "products", "product", "products",
        {"name": Field(out=NSTR, write=NAME, required=True), "sku": Field(out=NSTR, write=NAME, required=True),
         "product_url": text(), "page_title": text(), "style_id": text(), "brand_id": Field(out=NINT, write=NINT),
         "parent_id": Field(out=NINT, write={
             **NINT, "description": "A variant's parent; needs option_values (J-107). 0 or null: none."}),
         "option_set_id": Field(out=NINT, write=NINT),
         "option_values": Field([], out={"type": "array", "items": OPTION_VALUE},
                                write={"type": "array", "items": OPTION_VALUE}),
         "is_bundle": bit(0), "bundle_id": Field(out=NINT, write=NINT),
         "category_ids": Field([], out=ints(), write=ints()),
         "concrete_entity_ids": Field([], out=ints(), write=ints(**{
             "x-inferred": True,
             "description": "The concrete entities the product carries (generic-entities, JS2-D05)"})),
         "enabled": bit(1), "is_visible": bit(1),
         "featured": bit(0), "shipping_weight": text("0.00"),
         "shipping_override": text("inherit"), "special_order": bit(0),
         "desc_short": text(), "desc_long": text(), "version_id": computed(INT), **TIMESTAMPS},
        unique=("sku",),
        refs={"brand_id": Ref("brands", SET_NULL), "parent_id": Ref("products", CASCADE),
              "option_set_id": Ref("option_sets", SET_NULL), "bundle_id": Ref("products", SET_NULL),
              "category_ids": Ref("categories", PULL, many=True),
              "concrete_entity_ids": Ref("concrete_entities", PULL, many=True)},
        versioning=Versioning(translated=("name", "sku", "product_url", "page_title", "desc_short", "desc_long")),
        per_page=25, max_limit=1000,  # the seed gives no maximum (X-39): the fake's (JS2-D02)
        id_param="product_id", schema="Product",
    ),
    Resource(
        "product_assets", "product_asset", "product_assets",
        {"image_url": alias("uri", {**STR, "description": "The image's URI; comes back as `uri` (J-119, X-16)"}),
         "uri": Field(out=NSTR, write=STR), "sort_order": Field(0, out=NINT, write=INT),
         "private": bit(0), "alttext": text(), "name": text(), "desc": text(),
         "type": text(), "thumbnail": bit(0), "source_uri": alias("uri")},
        parent="products", parent_field="product_id", id_param="asset_id", schema="ProductAsset",
        required_one_of=("image_url", "uri"),
    ),
    Resource(
        "product_barcodes", "barcode", "barcodes",
        {"type": Field(out={"type": "string", "enum": BARCODE_TYPES}, write={
            "type": "string", "enum": BARCODE_TYPES,
            "description": "UPC-A 12 digits, ITF-14 14, GTIN-13 13, EAN 13, Custom any (J-123 … J-126)"},
            required=True),
         "barcode": Field(out={"type": "string", "pattern": "^[0-9]+$"},
                          write={"type": "string", "pattern": "^[0-9]+$", "minLength": 1}, required=True),
         **TIMESTAMPS},
        parent="products", parent_field="product_id", id_param="barcode_id", schema="ProductBarcode",
    ),
    Resource(
        "product_prices", "product_price", "product_prices",
        {"msrp": Field(out=NUM, write=NUM), "map": Field(out=NUM, write=NUM), "cost": Field(out=NUM, write=NUM),
         "sell_price": Field(out=NUM, write=NUM),
         "from": text(out={**NSTR, "pattern": ISO_DATE,
                           "description": "Price start: an ISO 8601 date or date-time (UTC without an offset)"},
                      write={**NSTR, "pattern": ISO_DATE,
                             "description": "Price start: an ISO 8601 date or date-time (UTC without an offset)"}),
         "to": text(out={**NSTR, "pattern": ISO_DATE,
                         "description": "Price end: an ISO 8601 date or date-time, not before `from`"},
                    write={**NSTR, "pattern": ISO_DATE,
                           "description": "Price end: an ISO 8601 date or date-time, not before `from`"}),
         "currency_id": Field(out=NINT, write=NINT), "tax_class_id": Field(out=NINT, write=NINT), "author": text(),
         "booktype": text(), "batch_id": Field(out=NINT, write=NINT), "sell_price_reason": text(),
         "base": Field(out=STR, write=NAME, required=True), **TIMESTAMPS},
        parent="products", parent_field="product_id", id_param="price_id", schema="ProductPrice",
    ),
    Resource(
        "product_inventory", "product_inventory", "product_inventory",
        {"site": text(), "bin": text(), "location": text(), "type": text(),
         "count_on_hand": Field(0, out=NINT, write=NINT), "count_on_hold": Field(0, out=NINT, write=NINT),
         "source": text(), "batch_id": Field(out=NINT, write=NINT),
         "product_id": Field(write={**INT, "description": "Ignored: the path's product wins (X-46)"}, stored=False)},
        parent="products", parent_field="product_id", id_param="inventory_id", schema="ProductInventory",
    ),
    *assigned_attributes("product", "products", "product_id"),  # product_operations.ProductAttributes serves them
    Resource(
        "product_channels", "product_channel", "product_channels",
        {"channel_id": shown(INT), "web_id": shown(NINT)},
        parent="products", parent_field="product_id", refs={"channel_id": Ref("channels")}, address_by="channel_id",
        schema="ProductChannel",
    ),
    Resource(
        "product_relation_types", "product_relation_type", "product_relation_types",
        {"name": NAMED, "description": text(), "child_label": Field(out=LABEL, write=LABEL),
         "parent_label": Field(out=LABEL, write=LABEL),
         "relationship_cardinality": Field("many-to-many", out={"type": "string", "enum": list(CARDINALITY)},
                                           write={"type": "string", "enum": list(CARDINALITY)}),
         "created_at": computed({**NSTR, "readOnly": True}), "updated_at": computed({**NSTR, "readOnly": True}),
         "label": text(), "deleted_at": shown(NSTR)},
        id_param="relation_type_id", schema="ProductRelationType",
    ),
    Resource(
        "product_relations", "product_relation", "product_relations",
        {"related_product_id": Field(), "relation_type_id": Field()},
        parent="products", parent_field="product_id",
        refs={"related_product_id": Ref("products"), "relation_type_id": Ref("product_relation_types")},
    ),
    Resource(
        "product_relation_attribute_values", "product_relation_attribute_value", "product_relation_attribute_values",
        {"entity_id": shown(INT), "attribute_id": shown(INT), "value": shown(NSTR), **TIMESTAMPS},
        # Nested two deep (product → relation → values): the relation is a reference, not the engine's parent,
        # so the relation's own lookups (relations.require) stand for the parent check.
        parent_field="relation_id", refs={"attribute_id": Ref("attributes"), "relation_id": Ref("product_relations")},
        address_by="attribute_id", schema="RelationAttributeValue",
    ),
    Resource("product_tags", "product_tag", "product_tags", {"version_id": Field(0), "tags": Field([])},
             parent="products", parent_field="product_id", address_by="version_id"),
    # The single envelope is "webhooks" too (X-54).
    Resource(
        "webhooks", "webhooks", "webhooks",
        {"created_at": computed(LARAVEL_TS), "updated_at": computed(LARAVEL_TS), "created_by": shown(NINT),
         "updated_by": shown(NINT), "status": shown({"type": "string", "enum": ["enabled", "disabled"]}, "enabled"),
         "name": Field(out=NSTR, write=NAME, required=True),
         "callback_url": Field(out=STR, write={"type": "string", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#\\s]+",
                                               "maxLength": 2048}, required=True),
         "entity_type": Field("product", out={"type": "string", "enum": list(WEBHOOK_ENTITY_TYPES.values())},
                              write={"type": "string", "enum": list(WEBHOOK_ENTITY_TYPES.values()),
                                     "default": "product"}),
         "include_entity_data": Field(1, out=BIT, write={"type": "integer", "enum": [0, 1]}),
         "signing_secret": shown({"type": "string", "pattern": "^[A-Za-z0-9]{64}$"}),
         "headers": Field(out={"anyOf": HEADERS, "description": "As sent: a JSON object or a string of one, or null "
                                                                "(X-54)"},
                          write={"anyOf": HEADERS, "description": "A JSON object, or a string of one; the seed's "
                                                                  "Python-style string is accepted (X-54)"}),
         # The documented ranges (J-174, J-175); connection_timeout's is the fake's (JS2-D09).
         "connection_timeout": Field(3, out=INT, write={"type": "integer", "minimum": 1, "maximum": 60,
                                                        "x-inferred": True}),
         "retry_policy": Field("linear", out={"type": "string", "enum": RETRY_POLICIES},
                               write={"type": "string", "enum": RETRY_POLICIES}),
         "minimum_retry_interval": Field(60, out=INT, write={"type": "integer", "minimum": 60, "maximum": 86400}),
         "retry_limit": Field(3, out=INT, write={"type": "integer", "minimum": 0, "maximum": 10,
                                                 "description": "0–10 as documented; the example's 15 is refused "
                                                                "(X-54)"}),
         "channel_id": Field(out=NINT, write=NINT), "event_type": text()},
        refs={"channel_id": Ref("channels", SET_NULL)}, view=webhook_export_views.webhook, id_param="webhook_id",
        schema="Webhook",
    ),
    Resource(
        "exports", "export", "exports",
        {"profile_id": shown(INT),
         "status": shown({"type": "string", "enum": EXPORT_STATUSES,
                          "description": "queued → processing (5 s) → finished (30 s) on the clock (JS2-D12)"},
                         "queued"),
         "filename": shown(NSTR), "file_url": shown({**NSTR, "description": "Set once finished: downloads the file"}),
         "created_at": computed(TS)},
        view=webhook_export_views.export, id_param="export_id", schema="Export",
    ),
)

RESOURCES: tuple[Resource, ...] = CATALOG + PRODUCTS
BY_NAME = {r.name: r for r in RESOURCES}
