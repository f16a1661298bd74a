"""Jasper's resources and operations, each declared once (seed 002): the engine, the handler bindings and jasper.yaml
read them.

A resource's fields are listed in the order the seed's examples show them, each with the default a create fills in,
its response schema (`out`), its request schema (`write`) and whether a create requires it; enums and ranges are in
those schemas and nowhere else (Connexion enforces them before a handler runs). Every one of the spec's operations is
declared with its resource: a generic one (a kind the resource's `Endpoints` serves) by `ops(...)`, a bespoke one by
`bespoke(...)` — its method, route, seed rules, handler binding and what only the spec shows. The engine
(`engine.py`) serves every resource; `operations.handler_table()` maps each operation to its handler;
`scripts/gen_jasper_spec.py` renders schemas and operations from this module. Behaviour the table cannot say lives
in small functions beside it (`views.py`, `products.py`, `webhooks.py`, …).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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
    arr,
    envelope,
    ref,
)
from mock_server.vendors.jasper.products import KIND_FILTER, STATUS_FILTER, WITH

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


def bespoke(binding: str, kind: str, method: str, route: str, rules: tuple[str, ...], summary: str, *,
            operation_id: str | None = None, **doc: Any) -> Operation:
    """An operation served by its own handler, `binding.kind` under `handlers` (`product_operations.products_`):
    its method, its route, its seed rules, and in `doc` what only the spec shows — `params` (query parameters and
    path parameters that are not integers), `body`, `ok` (the response schema; none: Deleted), `status`, `said` (the
    response's description), `example`, `extra` (status -> (description, schema)), `links` (a create's pointer to
    the new row: "/product", "" for a bare row), `description`, `inferred`, `tag`, `deprecated` (a misspelt or
    seed-only route's note), `write` (a GET that writes), `optional_body`, `ok_response`; `api` False: a route
    outside /api/v1; `operation_id` where the naming rule (`operations.operation_id`) would read badly."""
    api = doc.pop("api", True)
    return Operation(kind, rules, method=method, route=route, binding=binding, api=api, operation_id=operation_id,
                     doc={"summary": summary, **doc})


Row = tuple[str, str, str, tuple[str, ...], str, dict[str, Any]]  # kind, method, route, rules, summary, doc


def bespoke_table(binding: str, rows: Iterable[Row], **common: Any) -> tuple[Operation, ...]:
    """One binding's bespoke operations, a row each; `common` is every row's doc too."""
    return tuple(bespoke(binding, kind, method, route, rules, summary, **common, **doc)
                 for kind, method, route, rules, summary, doc in rows)


def path_param(name: str, kind: str = "integer") -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def query(name: str, schema: Schema, description: str) -> Schema:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


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


def assigned_attributes(entity: str, owner: str, owner_field: str,
                        operations: tuple[Operation, ...] = ()) -> tuple[Resource, Resource]:
    """An entity's assigned attributes (`<entity>_attributes`, addressed by attribute_id) and their values per
    version (`<entity>_attribute_values`): what `entity_attributes.EntityAttributes` joins into one item."""
    refs = {"attribute_id": Ref("attributes")}
    return (
        Resource(f"{entity}_attributes", f"{entity}_attribute", f"{entity}_attributes",
                 {"attribute_id": Field(), "user_defined_key": Field("{}")},
                 parent=owner, parent_field=owner_field, refs=refs, address_by="attribute_id",
                 operations=operations),
        Resource(f"{entity}_attribute_values", f"{entity}_attribute_value", f"{entity}_attribute_values",
                 {"attribute_id": Field(), "version_id": Field(0), "value": Field()},
                 parent=owner, parent_field=owner_field, refs=refs),
    )


# --- the catalog's bespoke operations (handlers.py) ----------------------------------------------------------------
ADMIN: tuple[Operation, ...] = (
    bespoke("ping", "", "get", "/ping", ("J-002",), "Server time", tag="admin", ok=ref("Ping"),
            description="This endpoint returns the current PIM server time.", said="The virtual clock's time.",
            example={"time": "Tue Feb 7 19:05:03 UTC 2017"}),
)
_BRAND_ONE = envelope("brand_attributes", ref("BrandAttribute"))
_BRAND_MANY = envelope("brand_attributes", arr(ref("BrandAttribute")))
_BRAND_ATTRIBUTE = "/brands/{brand_id}/attributes"
_ASSIGN_SET: dict[str, Any] = {
    "body": {"type": "object", "required": ["attribute_set_id"], "properties": {"attribute_set_id": INT}},
    "ok": _BRAND_MANY, "said": "Every attribute of the set, assigned."}
BRAND_ATTRIBUTE_OPERATIONS = (  # handlers.BrandAttributes; the envelope key changes with the operation (X-19)
    bespoke("brand_attributes", "list", "get", _BRAND_ATTRIBUTE, ("J-050", "J-055"), "All brand attributes",
            ok=_BRAND_MANY, said="The brand's attributes."),
    bespoke("brand_attributes", "create", "post", _BRAND_ATTRIBUTE, ("J-052",),
            "Set a brand attribute's values for a version", body=ref("BrandAttributeWrite"), ok=_BRAND_ONE,
            status="201", said="The brand attribute."),
    bespoke("brand_attributes", "get", "get", _BRAND_ATTRIBUTE + "/{attribute_id}", ("J-051",), "A brand attribute",
            ok=envelope("brands_attributes", arr(ref("BrandAttribute"))), said="One item, in an array (X-19)."),
    bespoke("brand_attributes", "update_value", "put", _BRAND_ATTRIBUTE + "/{attribute_id}/values/{value_id}",
            ("J-053",), "Update a brand attribute value", body=ref("BrandAttributeWrite"), ok=_BRAND_ONE,
            said="The brand attribute."),
    bespoke("brand_attributes", "delete_value", "delete", _BRAND_ATTRIBUTE + "/{attribute_id}/values/{value_id}",
            ("J-054",), "Delete a brand attribute value", said="Deleted."),
    bespoke("brand_attributes", "assign", "post", "/brands/{brand_id}/assigned-attributes", ("J-056",),
            "Assign an attribute to a brand",
            body={"type": "object", "required": ["attribute_id"], "properties": {"attribute_id": INT}},
            ok=_BRAND_ONE, status="201", said="Assigned.", extra={"200": ("Already assigned.", _BRAND_ONE)}),
    bespoke("brand_attributes", "assign_set", "post", "/brands/{brand_id}/assigned-attribute-sets", ("J-057",),
            "Assign an attribute set to a brand", **_ASSIGN_SET),
    bespoke("brand_attributes_alias", "assign_set", "post", "/brand/{brand_id}/assigned-attribute-sets", ("J-057",),
            "Assign an attribute set to a brand", **_ASSIGN_SET,
            deprecated="The seed's HTTP Request line (singular `brand`, X-21), an alias of the plural route."),
)
_CATEGORY_CHANNEL = envelope("category_channel", ref("CategoryChannel"))
WEB_ID: Schema = {"type": "object", "required": ["web_id"], "properties": {"web_id": NINT}}

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
    *assigned_attributes("brand", "brands", "brand_id", BRAND_ATTRIBUTE_OPERATIONS),
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
        operations=(bespoke("set_category_channel", "", "post", "/categories/{category_id}/channel/{channel_id}",
                            ("J-063",), "Update or create a category's web ID on a channel", tag="categories",
                            body=WEB_ID, ok=_CATEGORY_CHANNEL, status="201", said="Created.",
                            extra={"200": ("Updated.", _CATEGORY_CHANNEL)}),),
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

# --- products, their sub-resources, webhooks and exports: bespoke operations (product_operations.py) -------------
PRODUCTS_PER_PAGE, PRODUCTS_MAX_LIMIT = 25, 1000  # the seed gives no maximum (X-39): the fake's (JS2-D02)
LIST_QUERY: tuple[Schema, ...] = (
    query("page", {"type": "integer", "minimum": 1, "default": 1}, "Page (default 1); past the end: an empty page"),
    query("limit", {"type": "integer", "minimum": 1, "maximum": PRODUCTS_MAX_LIMIT, "default": PRODUCTS_PER_PAGE},
          f"Products per page (default {PRODUCTS_PER_PAGE}, at most {PRODUCTS_MAX_LIMIT}: JS2-D02)"),
    query("sku", {"type": "string"}, "Filters the result by product SKU."),
    query("type", {"type": "string", "enum": list(KIND_FILTER), "default": "parents"},
          "all, or parents only (default)"),
    query("status", {"type": "string", "enum": list(STATUS_FILTER), "default": "all"},
          "all (default), enabled or disabled"),
    query("with", {"type": "string", "pattern": "^(" + "|".join(WITH) + ")(,(" + "|".join(WITH) + "))*$"},
          "Comma separated relations to embed: " + ", ".join(WITH)),
)
# A list filter's value when the query leaves it out: the spec's default (Connexion fills it in too).
LIST_DEFAULTS: dict[str, Any] = {p["name"]: p["schema"]["default"] for p in LIST_QUERY if "default" in p["schema"]}
_P = "/products/{product_id}"
_PV_DELETE = {**path_param("version_id"), "schema": {"type": "integer", "minimum": 1},
              "description": "A version other than 0: the master (version 0) cannot be deleted (JS2-D03)"}
_ONE_PRODUCT = envelope("product", ref("Product"))
_MANY_PRODUCTS = {"type": "object", "required": ["products", "links", "meta"], "properties": {
    "products": arr(ref("Product")), "links": ref("PageLinks"), "meta": ref("PageMeta")}}


def _products(kind: str, method: str, route: str, rules: tuple[str, ...], summary: str, **doc: Any) -> Operation:
    return bespoke("product_operations.products_", kind, method, route, rules, summary, **doc)


PRODUCT_OPERATIONS = (
    _products("list", "get", "/products", ("J-091", "J-092", "J-093", "J-094", "J-095"), "All products",
              params=LIST_QUERY, ok=_MANY_PRODUCTS),
    _products("create", "post", "/products", ("J-105", "J-106", "J-107", "J-108", "J-110"), "Create a product",
              body=ref("ProductCreate"), ok=_ONE_PRODUCT, status="201", links="/product"),
    _products("list_version", "get", "/products/version/{version_id}",
              ("J-096", "J-097", "J-098", "J-099", "J-100", "J-101"), "All products by version", params=LIST_QUERY,
              ok=_MANY_PRODUCTS),
    _products("by_sku", "get", "/products/sku/{sku}", ("J-104",), "A product by SKU", operation_id="getProductBySku",
              params=(path_param("sku", "string"),), ok=_ONE_PRODUCT),
    _products("get", "get", _P, ("J-102", "J-109"), "A product", ok=_ONE_PRODUCT),
    _products("update", "put", _P, ("J-111", "J-112"), "Update a product", body=ref("ProductUpdate"),
              ok=_ONE_PRODUCT),
    _products("delete", "delete", _P, ("J-114",), "Delete a product"),
    _products("get_version", "get", _P + "/version/{version_id}", ("J-103",), "A version of a product",
              ok=_ONE_PRODUCT),
    _products("update_version", "put", _P + "/version/{version_id}", ("J-103", "J-113"),
              "Update (or create) a version of a product", body=ref("ProductVersion"), ok=_ONE_PRODUCT),
    _products("delete_version", "delete", _P + "/version/{version_id}", ("J-115",), "Delete a version of a product",
              params=(_PV_DELETE,)),
    _products("remove_from_parent", "delete", _P + "/remove-from-parent", ("J-116", "J-117"),
              "Remove a child product from its parent", ok=_ONE_PRODUCT,
              description="Detaches the child and unpublishes it: enabled and is_visible become 0 (X-60, JS2-D01)."),
    _products("assign_category", "post", _P + "/categories", ("J-134",), "Assign a category to a product",
              tag="product_categories", body={"type": "object", "required": ["category_id"], "properties": {
                  "category_id": {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^[0-9]+$"}]}}},
              ok=envelope("product_categories", ref("Category")), status="201"),
)


def sub_resource(binding: str, collection: str, one: str, schema: str, rules: dict[str, tuple[str, ...]], *,
                 key: str, summary: str, link: str, plural: str | None = None) -> tuple[Operation, ...]:
    """A product's sub-resource served by a generic `Endpoints` in product_operations.py: list, create, get,
    update, delete (those `rules` names) at …/<collection> and …/<collection>/{<one>}."""
    route, item = f"{_P}/{collection}", f"{_P}/{collection}/{{{one}}}"
    single = envelope(key, ref(schema))
    rows: dict[str, tuple[str, str, str, dict[str, Any]]] = {
        "list": ("get", route, f"All {plural or summary + 's'}", {"ok": envelope(binding, arr(ref(schema)))}),
        "create": ("post", route, f"Create a {summary}",
                   {"body": ref(schema + "Create"), "ok": single, "status": "201", "links": link}),
        "get": ("get", item, f"A {summary}", {"ok": single}),
        "update": ("put", item, f"Update a {summary}", {"body": ref(schema + "Update"), "ok": single}),
        "delete": ("delete", item, f"Delete a {summary}", {})}
    return bespoke_table("product_operations." + binding,
                         ((kind, *rows[kind][:2], r, *rows[kind][2:]) for kind, r in rules.items()))


ASSET_OPERATIONS = sub_resource(
    "product_assets", "assets", "asset_id", "ProductAsset",
    {"list": ("J-118",), "create": ("J-119",), "get": ("J-118",), "update": ("J-120",), "delete": ("J-120",)},
    key="product_asset", summary="product asset", link="/product_asset")
_BARCODES = envelope("barcodes", arr(ref("ProductBarcode")))
_B = _P + "/barcodes"
BARCODE_OPERATIONS = bespoke_table("product_operations.product_barcodes", (  # bare objects, no envelope (X-43)
    ("list", "get", _B, ("J-121",), "All product barcodes", {"ok": _BARCODES}),
    ("create", "post", _B, ("J-122", "J-123", "J-124", "J-125", "J-126", "J-127"), "Create a product barcode",
     {"body": ref("ProductBarcodeCreate"), "ok": ref("ProductBarcode"), "status": "201", "links": ""}),
    # the seed's headings "Upsert Product Barcodes (with delete)" / "(without delete)" (JDO-03)
    ("upsert_with_delete", "put", _B + "/upsert", ("J-130", "J-132"), "Upsert product barcodes, deleting the others",
     {"body": ref("ProductBarcodeUpsert"), "ok": _BARCODES, "operation_id": "upsertProductBarcodesWithDelete"}),
    ("upsert_without_delete", "post", _B + "/upsert", ("J-131", "J-132"), "Upsert product barcodes, deleting none",
     {"body": ref("ProductBarcodeUpsert"), "ok": _BARCODES, "operation_id": "upsertProductBarcodesWithoutDelete"}),
    ("update", "put", _B + "/{barcode_id}", ("J-128", "J-133"), "Update a product barcode",
     {"body": ref("ProductBarcodeUpdate"), "ok": ref("ProductBarcode")}),
    ("delete", "delete", _B + "/{barcode_id}", ("J-129", "J-133"), "Delete a product barcode",
     {"ok": ref("ProductBarcode")}),
))
_PRICES = envelope("product_prices", arr(ref("ProductPrice")))
PRICE_OPERATIONS = (  # no update, no delete (J-138, J-139)
    *sub_resource("product_prices", "prices", "price_id", "ProductPrice",
                  {"list": ("J-135",), "create": ("J-136", "J-137"), "get": ("J-135",)},
                  key="product_price", summary="product price", link="/product_price"),
    bespoke("product_operations.product_prices", "active", "get", _P + "/prices/active", ("J-100",),
            "The product's prices active now", operation_id="getActiveProductPrice", inferred=True, ok=_PRICES,
            description="Not in the seed (x-inferred): the prices whose from ≤ now ≤ to on the clock (JS2-D07)."),
)
INVENTORY_OPERATIONS = sub_resource(
    "product_inventory", "inventory", "inventory_id", "ProductInventory",
    {"list": ("J-140",), "create": ("J-141",), "get": ("J-140",), "update": ("J-141",), "delete": ("J-141",)},
    key="product_inventory", summary="product inventory", link="/product_inventory", plural="product inventory")
_ATTRIBUTE, _ATTRIBUTES = ref("ProductAttribute"), arr(ref("ProductAttribute"))
_A = _P + "/attributes"
# The envelope key changes with the operation (X-47).
ATTRIBUTE_OPERATIONS = bespoke_table("product_operations.product_attributes", (
    ("list", "get", _A, ("J-142", "J-148"), "All product attributes",
     {"ok": envelope("product_attributes", _ATTRIBUTES)}),
    ("create", "post", _A, ("J-144", "J-149"), "Set a product attribute's values for a version",
     {"body": ref("ProductAttributeWrite"), "ok": envelope("products_attributes", _ATTRIBUTE), "status": "201"}),
    ("update_many", "put", _A, ("J-145",), "Update many product attributes",
     {"body": arr(ref("ProductAttributeWrite")), "ok": envelope("products_attributes", _ATTRIBUTES),
      "operation_id": "updateProductAttributes"}),
    ("get", "get", _A + "/{attribute_id}", ("J-143",), "A product attribute",
     {"ok": envelope("products_attributes", _ATTRIBUTES)}),
    ("update_value", "put", _A + "/{attribute_id}/values/{value_id}", ("J-146",),
     "Update a product attribute value",
     {"body": ref("ProductAttributeWrite"), "ok": envelope("product_attributes", _ATTRIBUTE)}),
    ("delete_value", "delete", _A + "/{attribute_id}/values/{value_id}", ("J-147",),
     "Delete a product attribute value", {}),
    ("assign", "post", _P + "/assigned-attributes", ("J-150",), "Assign an attribute to a product",
     {"body": {"type": "object", "required": ["attribute_id"], "properties": {"attribute_id": INT}},
      "ok": envelope("product_attributes", _ATTRIBUTE), "status": "201",
      "extra": {"200": ("Already assigned.", envelope("product_attributes", _ATTRIBUTE))}}),
    ("assign_set", "post", _P + "/assigned-attribute-sets", ("J-151",), "Assign an attribute set to a product",
     {"body": {"type": "object", "required": ["attribute_set_id"], "properties": {"attribute_set_id": INT}},
      "ok": envelope("product_attributes", _ATTRIBUTES)}),
))
_PRODUCT_CHANNEL = envelope("product_channel", ref("ProductChannel"))
CHANNEL_OPERATIONS = (
    _products("set_channel", "post", _P + "/channel/{channel_id}", ("J-152",),
              "Update or create a product's web ID on a channel", tag="product_channels", body=WEB_ID,
              ok=_PRODUCT_CHANNEL, status="201", extra={"200": ("Updated.", _PRODUCT_CHANNEL)}),
)
_RT = "/product-relation-types"
_RT_ONE = envelope("product_relation_type", ref("ProductRelationType"))
RELATION_TYPE_OPERATIONS = bespoke_table("product_operations.product_relation_types", (
    ("list", "get", _RT, ("J-153",), "All product relation types",
     {"ok": envelope("product_relation_types", arr(ref("ProductRelationType")))}),
    ("create", "post", _RT, ("J-154", "J-155"), "Create a product relation type",
     {"body": ref("ProductRelationTypeCreate"), "ok": _RT_ONE, "status": "201",
      "links": "/product_relation_type"}),
    ("get", "get", _RT + "/{relation_type_id}", ("J-153",), "A product relation type", {"ok": _RT_ONE}),
    ("update", "put", _RT + "/{relation_type_id}", ("J-156",), "Update a product relation type",
     {"body": ref("ProductRelationTypeUpdate"), "ok": _RT_ONE}),
    ("delete", "delete", _RT + "/{relation_type_id}", ("J-156",), "Delete a product relation type", {}),
))
_REL = _P + "/relations/{related_id}/type/{relation_type_id}"
_RELATIONS, _REL_VALUES = ref("ProductRelations"), ref("RelationAttributeValues")
_REL_ATTR_ITEM = {"type": "object", "required": ["attribute_id"],
                  "properties": {"attribute_id": INT, "value": {"type": "string", "nullable": True}}}
RELATION_OPERATIONS = bespoke_table("product_operations.product_relations", (
    ("list", "get", _P + "/relations", ("J-157",), "All relations of a product", {"ok": _RELATIONS}),
    ("list_type", "get", _P + "/relations/type/{relation_type_id}", ("J-158",),
     "Relations of a product of one type", {"ok": _RELATIONS, "operation_id": "listProductRelationsByType"}),
    ("create", "post", _REL, ("J-159",), "Relate two products",
     {"ok": _RELATIONS, "status": "201", "extra": {"200": ("Already related.", _RELATIONS)},
      "optional_body": {"required": False, "content": {"application/json": {
          "schema": {"type": "object", "default": {},
                     "description": "The seed's curl sends `{}` (none is the same): the path says everything."},
          "example": {}}}}}),
    ("delete", "delete", _REL, ("J-160",), "Delete a product relation", {}),
    ("attributes", "get", _REL + "/attributes", ("J-161",), "Relation attribute values",
     {"ok": _REL_VALUES, "operation_id": "listProductRelationAttributes"}),
    ("set_attributes", "post", _REL + "/attributes", ("J-162",), "Create or update relation attributes",
     {"body": {"anyOf": [{"type": "object", "properties": {"attributes": arr(_REL_ATTR_ITEM)}},
                         arr(_REL_ATTR_ITEM)],
               "x-inferred": True, "description": "The seed sends `{}` (X-51): the fake's format, JS2-D14"},
      "ok": _REL_VALUES}),
    ("set_attribute", "post", _REL + "/attribute/{attribute_id}", ("J-163",),
     "Create or update one relation attribute",
     {"body": {"type": "object", "properties": {"value": {"type": "string", "nullable": True}},
               "x-inferred": True}, "ok": _REL_VALUES}),
    ("delete_attribute", "delete", _REL + "/attribute/{attribute_id}", ("J-163",), "Delete a relation attribute",
     {}),
))
_TAGS_IN = {"type": "object", "properties": {"product_id": INT}, "additionalProperties": True,
            "description": "Version id keys (\"0\", \"1\", …) with arrays of tags (J-166, J-167)."}
_T = _P + "/tags"
TAG_OPERATIONS = bespoke_table("product_operations.product_tags", (
        ("list", "get", _T, ("J-165",), "Tags of every version", {}),
    ("post", "post", _T, ("J-167",), "Set tags of several versions",
     {"body": _TAGS_IN, "operation_id": "createProductTags"}),
    ("get", "get", _T + "/{version_id}", ("J-164",), "Tags of one version", {}),
    ("put", "put", _T + "/{version_id}", ("J-166",), "Replace one version's tags",
     {"body": _TAGS_IN, "operation_id": "updateProductTags"}),
    ("post_version", "post", _T + "/{version_id}", ("J-167",),
     "Set tags of several versions (the HTTP Request line's path)",
     {"body": _TAGS_IN, "operation_id": "createProductTagsInVersion"}),
), ok=ref("ProductTags"))
_HOOK = envelope("webhooks", ref("Webhook"))  # the single envelope is "webhooks" too (X-54)
_W = "/webhooks/{webhook_id}"
WEBHOOK_OPERATIONS = bespoke_table("product_operations.webhooks", (
    ("list", "get", "/webhooks", ("J-168",), "All webhooks", {"ok": envelope("webhooks", arr(ref("Webhook")))}),
    ("create", "post", "/webhooks", ("J-169", "J-170", "J-171", "J-172", "J-173", "J-174", "J-175", "J-176", "J-180"),
     "Create a webhook", {"body": ref("WebhookCreate"), "ok": _HOOK, "status": "201", "links": "/webhooks"}),
    ("get", "get", _W, ("J-169",), "A webhook", {"ok": _HOOK}),
    ("update", "put", _W, ("J-177",), "Update a webhook", {"body": ref("WebhookUpdate"), "ok": _HOOK}),
    *((action, "put", f"{_W}/{action}", (rule,), f"{action.capitalize()} a webhook", {"ok": _HOOK})
      for action, rule in (("disable", "J-178"), ("enable", "J-179"))),
)) + bespoke_table("product_operations.webhooks_alias", (  # the seed's curl has no -X (X-55)
    (action, "get", f"{_W}/{action}", (rule,), f"{action.capitalize()} a webhook (the seed's curl, a GET)",
     {"ok": _HOOK, "write": True,
      "deprecated": "The seed's curl has no -X (X-55): served as a deprecated alias of the PUT."})
    for action, rule in (("disable", "J-178"), ("enable", "J-179"))))
_EXPORT = envelope("export", ref("Export"))
EXPORT_OPERATIONS = (  # J-067, X-27
    bespoke("product_operations.exports", "create", "post", "/exports", ("J-067",), "Start an export", inferred=True,
            status="201", body={"type": "object", "required": ["profile_id"],
                                "properties": {"profile_id": {"type": "integer", "minimum": 1}}},
            ok=_EXPORT, description="Not in the seed (X-27): how the fake starts an export (JS2-D12).",
            links="/export"),
    bespoke("product_operations.exports", "get", "get", "/exports/{export_id}", ("J-067",), "Export status and file",
            ok=_EXPORT),
    bespoke("product_operations.exports", "download", "get", "/exports/{export_id}/download", ("J-067",),
            "The export's file", api=False, inferred=True,
            description="The export's `file_url` (outside /api/v1 as the seed shows): a CSV of the products, once the "
                        "export is finished (404 before).",
            ok_response={"description": "The file.", "content": {"text/csv": {"schema": STR}}}),
)

# Products, their sub-resources, webhooks and exports (seed 002 "Products" … "Webhooks").
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
        refs={"brand_id": Ref("brands", SET_NULL), "parent_id": Ref("products", CASCADE, zero_is_null=True),
              "option_set_id": Ref("option_sets", SET_NULL), "bundle_id": Ref("products", SET_NULL),
              "category_ids": Ref("categories", PULL, many=True),
              "concrete_entity_ids": Ref("concrete_entities", PULL, many=True)},
        versioning=Versioning(translated=("name", "sku", "product_url", "page_title", "desc_short", "desc_long")),
        per_page=PRODUCTS_PER_PAGE, max_limit=PRODUCTS_MAX_LIMIT,
        id_param="product_id", schema="Product", operations=PRODUCT_OPERATIONS,
    ),
    Resource(
        "product_assets", "product_asset", "product_assets",
        {"image_url": alias("uri", {**STR, "description": "The image's URI; comes back as `uri` (J-119, X-16)"}),
         "uri": Field(out=NSTR, write=STR), "sort_order": Field(0, out=NINT, write=INT),
         "private": bit(0), "alttext": text(), "name": text(), "desc": text(),
         "type": text(), "thumbnail": bit(0), "source_uri": alias("uri")},
        parent="products", parent_field="product_id", id_param="asset_id", schema="ProductAsset",
        operations=ASSET_OPERATIONS,
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
        operations=BARCODE_OPERATIONS,
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
        operations=PRICE_OPERATIONS,
    ),
    Resource(
        "product_inventory", "product_inventory", "product_inventory",
        {"site": text(), "bin": text(), "location": text(), "type": text(),
         "count_on_hand": Field(0, out=NINT, write=NINT), "count_on_hold": Field(0, out=NINT, write=NINT),
         "source": text(), "batch_id": Field(out=NINT, write=NINT),
         "product_id": Field(write={**INT, "description": "Ignored: the path's product wins (X-46)"}, stored=False)},
        parent="products", parent_field="product_id", id_param="inventory_id", schema="ProductInventory",
        operations=INVENTORY_OPERATIONS,
    ),
    *assigned_attributes("product", "products", "product_id", ATTRIBUTE_OPERATIONS),
    Resource(
        "product_channels", "product_channel", "product_channels",
        {"channel_id": shown(INT), "web_id": shown(NINT)},
        parent="products", parent_field="product_id", refs={"channel_id": Ref("channels")}, address_by="channel_id",
        schema="ProductChannel", operations=CHANNEL_OPERATIONS,
    ),
    Resource(
        "product_relation_types", "product_relation_type", "product_relation_types",
        {"name": NAMED, "description": text(), "child_label": Field(out=LABEL, write=LABEL),
         "parent_label": Field(out=LABEL, write=LABEL),
         "relationship_cardinality": Field("many-to-many", out={"type": "string", "enum": list(CARDINALITY)},
                                           write={"type": "string", "enum": list(CARDINALITY)}),
         "created_at": computed({**NSTR, "readOnly": True}), "updated_at": computed({**NSTR, "readOnly": True}),
         "label": text(), "deleted_at": shown(NSTR)},
        id_param="relation_type_id", schema="ProductRelationType", operations=RELATION_TYPE_OPERATIONS,
    ),
    Resource(
        "product_relations", "product_relation", "product_relations",
        {"related_product_id": Field(), "relation_type_id": Field()},
        parent="products", parent_field="product_id",
        refs={"related_product_id": Ref("products"), "relation_type_id": Ref("product_relation_types")},
        operations=RELATION_OPERATIONS,
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
             parent="products", parent_field="product_id", address_by="version_id", operations=TAG_OPERATIONS),
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
        schema="Webhook", operations=WEBHOOK_OPERATIONS,
    ),
    Resource(
        "exports", "export", "exports",
        {"profile_id": shown(INT),
         "status": shown({"type": "string", "enum": EXPORT_STATUSES,
                          "description": "queued → processing (5 s) → finished (30 s) on the clock (JS2-D12)"},
                         "queued"),
         "filename": shown(NSTR), "file_url": shown({**NSTR, "description": "Set once finished: downloads the file"}),
         "created_at": computed(TS)},
        view=webhook_export_views.export, id_param="export_id", schema="Export", operations=EXPORT_OPERATIONS,
    ),
)

RESOURCES: tuple[Resource, ...] = CATALOG + PRODUCTS

BY_NAME = {r.name: r for r in RESOURCES}
