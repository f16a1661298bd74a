"""Write openapi/jasper.yaml from the tables below: `python scripts/gen_jasper_spec.py`.

The spec is committed and is the contract; this script only saves typing its ~90 repetitive operations.
Each resource lists its property schemas (from the seed's property tables and examples), its input
schema, and its operations as (method, path, kind, rules). Edit here, regenerate, review the diff.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "openapi" / "jasper.yaml"
SEED_CURLS = ROOT / "fixtures" / "jasper" / "seed_curls.json"  # the documentation's curl examples
# Response examples are the fixtures' rows, which are the seed's own examples (fixtures/jasper/fixtures.json).
FIXTURES = json.loads((ROOT / "fixtures" / "jasper" / "fixtures.json").read_text(encoding="utf-8"))["tables"]

# The seed's own request bodies (its curls), as request examples.
CREATE_EXAMPLES = {
    "attributes": {"name": "Shipment Type", "type": "text", "sort_order": 3, "publish": False},
    "attribute_type_values": {"value": "Blue"},
    "attribute_sets": {"name": "Gaskets", "sort_order": 3},
    "attribute_set_attributes": {"attribute_id": 3},
    "blocks": {"name": "Header Script", "slug": "header-script"},
    "brands": {"name": "New Adidas"},
    "brand_assets": {"source_uri": "https://cdnpim.com/coolimage.png", "alttext": "Description of image",
                     "thumbnail": 1},
    "categories": {"parent_id": 2, "name": "Men's"},
    "category_assets": {"source_uri": "https://cdnpim.com/coolimage.png", "alttext": "Description of image",
                        "thumbnail": 1},
    "display_groups": {"name": "Technical Specifications"},
    "generic_entities": {"name": "Designer", "is_tree": 0, "display_on_navigation": 1, "publishable": 0,
                         "is_product_attribute": 0, "priority": 3},
    "concrete_entities": {"name": "Winter Lookbook", "priority": 2},
    "options": {"name": "Finish"},
    "option_values": {"value": "Blue", "label": "Blue"},
    "option_sets": {"name": "Gaskets"},
    "option_set_options": {"option_id": 3, "sort_order": 2},
    "pages": {"name": "Our History", "url": "/our-history/"},
    "templates": {"name": "Header", "slug": "header"},
}
UPDATE_EXAMPLES = {
    "attributes": {"name": "Countries of origin"}, "attribute_type_values": {"name": "Country of origin"},
    "attribute_sets": {"name": "Bikes"}, "blocks": {"name": "Other Script"}, "brands": {"name": "New Adidas"},
    "categories": {"name": "Shopify New Root"}, "display_groups": {"name": "Textile Classifications"},
    "generic_entities": {"name": "Designer", "is_tree": 1, "description": "Product designer",
                         "display_on_navigation": 0, "publishable": 1, "is_product_attribute": 1, "priority": 4},
    "concrete_entities": {"name": "Summer Lookbook", "priority": 3, "parent_id": 2, "generic_entity_id": 1},
    "options": {"name": "Type of Finish"}, "option_values": {"value": "Pink", "label": "Pink"},
    "option_sets": {"name": "Bikes"}, "pages": {"name": "Where We Are"}, "templates": {"name": "Other"},
}


def example_rows(name: str) -> list[dict]:
    """The fixture rows of a resource as the API shows them (attributes with their type values)."""
    rows = [dict(r) for r in FIXTURES.get(name, [])[:2]]
    if name == "attributes":
        for row in rows:
            row["typeValuesArray"] = [v for v in FIXTURES["attribute_type_values"] if v["attribute_id"] == row["id"]]
    return rows

INT = {"type": "integer"}
STR = {"type": "string"}
NSTR = {"type": "string", "nullable": True}
NINT = {"type": "integer", "nullable": True}
BOOL = {"type": "boolean"}
# Booleans the seed types "(boolean)" but shows as 1/0 (X-15, X-30): both readings are the contract (QA-D17).
BIT = {"anyOf": [{"type": "integer", "enum": [0, 1]}, {"type": "boolean"}]}
BIT_IN = {"anyOf": [{"type": "boolean"}, {"type": "integer", "enum": [0, 1]}]}
NAME = {"type": "string", "minLength": 1}
TS = {"type": "string", "readOnly": True, "description": "read only"}
ATTR_TYPES = ["selectbox", "date", "text", "textarea", "multiselect"]
ENTITY_ATTR_TYPES = ["selectbox", "date", "datetime", "textarea", "multiselect", "text"]  # X-18
SEO = {"seo_meta_desc": NSTR, "seo_meta_keywords": NSTR, "seo_meta_title": NSTR,
       "search_keywords": {**NSTR, "description": "Comma separated list of search keywords"}}


def asset_props(parent_field: str, sort_order: bool = False) -> dict:
    props = {"id": INT, parent_field: INT, "uri": NSTR, "alttext": NSTR}
    if sort_order:
        props["sort_order"] = NINT
    props["thumbnail"] = BIT
    return props


ASSET_IN = {"source_uri": {**STR, "description": "URI of the image; comes back as `uri` (J-047, X-16)"},
            "uri": STR, "alttext": NSTR, "thumbnail": BIT_IN}

# name -> (schema name, output properties, input properties, required on create)
SCHEMAS: dict[str, tuple[str, dict, dict, list]] = {
    "attributes": ("Attribute", {
        "id": INT, "name": STR, "type": {"type": "string", "enum": ATTR_TYPES}, "display_group_id": NINT,
        "note": NSTR, "length": NINT, "sort_order": INT, "slug": NSTR, "publish": BOOL, "version_id": INT,
        "created_at": TS, "updated_at": TS,
        "typeValuesArray": {"type": "array", "items": {"$ref": "#/components/schemas/AttributeTypeValue"}}},
        {"name": NAME, "type": {"type": "string", "enum": ATTR_TYPES}, "display_group_id": NINT,
         "display_group": {**NINT, "deprecated": True, "description": "The property table's name (X-01)"},
         "note": NSTR, "length": NINT, "sort_order": INT, "slug": STR, "publish": BOOL}, ["name", "type"]),
    "attribute_type_values": ("AttributeTypeValue", {
        "id": INT, "attribute_id": INT, "value": NSTR, "slug": NSTR, "sort_order": NINT, "version_id": INT,
        "master_attribute_type_value_id": {**INT, "description": "In a version: the master row (X-07)"},
        "created_at": TS, "updated_at": TS},
        {"value": NAME, "name": {**NAME, "description": "Alias of value, as the seed's update sends (X-06)"},
         "slug": NSTR, "sort_order": INT}, []),
    "attribute_sets": ("AttributeSet", {"id": INT, "name": STR, "sort_order": INT},
                       {"name": NAME, "sort_order": INT}, ["name"]),
    "attribute_set_attributes": ("AttributeSetAttribute", {"id": INT, "attribute_set_id": INT, "attribute_id": INT},
                                 {"attribute_id": INT}, ["attribute_id"]),
    "blocks": ("Block", {"id": INT, "name": STR, "slug": NSTR, "content": NSTR},
               {"name": NAME, "slug": STR, "content": NSTR}, ["name"]),
    "block_assets": ("BlockAsset", asset_props("block_id", True), {}, []),
    "brands": ("Brand", {"id": INT, "name": STR, "desc": NSTR, **SEO}, {"name": NAME, "desc": NSTR, **SEO}, ["name"]),
    "brand_assets": ("BrandAsset", asset_props("brand_id"), ASSET_IN, ["source_uri"]),
    "categories": ("Category", {
        "id": INT, "parent_id": {**NINT, "description": "null for a root category (X-23)"}, "name": STR,
        "desc": NSTR, "attribute_sets": {"type": "array", "items": INT}, "is_visible": BOOL, **SEO},
        {"parent_id": {**NINT, "minimum": 0, "description": "0 or null for a root category (X-23)"}, "name": NAME,
         "desc": NSTR, "attribute_sets": {"type": "array", "items": INT}, "is_visible": BOOL, **SEO},
        ["parent_id", "name"]),
    "category_assets": ("CategoryAsset", asset_props("category_id"), ASSET_IN, ["source_uri"]),
    "channels": ("Channel", {"id": INT, "channel_name": STR, "sync": BOOL, "price_base": NSTR,
                             "inventory_location": NSTR}, {}, []),
    "display_groups": ("DisplayGroup", {"id": INT, "name": STR, "sort_order": INT, "is_visible": BOOL},
                       {"name": NAME, "sort_order": INT, "is_visible": BOOL}, ["name"]),
    "generic_entities": ("GenericEntity", {
        "id": INT, "name": STR, "description": NSTR, "is_tree": BIT, "is_product_attribute": BIT, "priority": NINT,
        "parent_id": NINT, "publishable": BIT, "display_on_navigation": BIT, "options": {"type": "array", "items": {}}},
        {"name": NAME, "description": NSTR, "is_tree": BIT_IN, "is_product_attribute": BIT_IN, "priority": INT,
         "parent_id": NINT, "publishable": BIT_IN, "display_on_navigation": BIT_IN}, ["name"]),
    "concrete_entities": ("ConcreteEntity", {
        "id": INT, "generic_entity_id": INT, "name": STR, "priority": NINT, "parent_id": NINT, "slug": NSTR},
        {"name": NAME, "priority": INT, "parent_id": NINT, "slug": STR,
         "generic_entity_id": {**INT, "description": "Ignored: the path's generic entity wins (JS-D12)"}},
        ["name"]),
    "options": ("Option", {"id": INT, "name": STR}, {"name": NAME}, ["name"]),
    "option_values": ("OptionValue", {"id": INT, "option_id": INT, "value": NSTR, "label": NSTR,
                                      "sort_order": INT, "is_default": BOOL},
                      {"value": NAME, "label": NSTR, "sort_order": INT, "is_default": BOOL}, ["value"]),
    "option_sets": ("OptionSet", {"id": INT, "name": STR}, {"name": NAME}, ["name"]),
    "option_set_options": ("OptionSetOption", {"id": INT, "option_set_id": INT, "option_id": INT, "sort_order": INT},
                           {"option_id": INT, "sort_order": INT}, ["option_id"]),
    "pages": ("Page", {"id": INT, "name": STR, "slug": NSTR, "content": NSTR, "mobile_body": NSTR, "url": NSTR,
                       "has_mobile_version": BOOL, "is_customers_only": BOOL, "is_homepage": BOOL,
                       "is_visible": BOOL, **SEO},
              {"name": NAME, "slug": STR, "content": NSTR, "mobile_body": NSTR, "url": NSTR, "has_mobile_version": BOOL,
               "is_customers_only": BOOL, "is_homepage": BOOL, "is_visible": BOOL, **SEO}, ["name"]),
    "page_assets": ("PageAsset", asset_props("page_id"), {}, []),
    "templates": ("Template", {"id": INT, "name": STR, "slug": NSTR, "content": NSTR},
                  {"name": NAME, "slug": STR, "content": NSTR}, ["name"]),
}

# Translated fields a version write takes.
VERSION_IN = {"attributes": {"name": NAME, "note": NSTR},
              "attribute_type_values": {"value": NAME, "name": {**NAME, "description": "Alias of value (X-06)"},
                                        "slug": NSTR}}

# name -> (binding in handlers.py, singular key, plural key, id param, parent param, paginated)
RESOURCES = {
    "attributes": ("attributes", "attribute", "attributes", "attribute_id", None, False),
    "attribute_type_values": ("attribute_type_values", "attribute_type_value", "attribute_type_values",
                              "type_value_id", "attribute_id", False),
    "attribute_sets": ("attribute_sets", "attribute_set", "attribute_sets", "attribute_set_id", None, False),
    "attribute_set_attributes": ("attribute_set_attributes", "attribute_set_attribute", "attribute_set_attributes",
                                 "attribute_id", "attribute_set_id", False),
    "blocks": ("blocks", "block", "blocks", "block_id", None, False),
    "block_assets": ("block_assets", "block_asset", "block_assets", "asset_id", "block_id", False),
    "brands": ("brands", "brand", "brands", "brand_id", None, False),
    "brand_assets": ("brand_assets", "brand_asset", "brand_assets", "asset_id", "brand_id", False),
    "categories": ("categories", "category", "categories", "category_id", None, False),
    "category_assets": ("category_assets", "category_asset", "category_assets", "asset_id", "category_id", False),
    "channels": ("channels", "channel", "channels", "channel_id", None, False),
    "display_groups": ("display_groups", "display_group", "display_groups", "display_group_id", None, False),
    "generic_entities": ("generic_entities", "generic_entity", "generic_entities", "generic_entity_id", None, True),
    "concrete_entities": ("concrete_entities", "concrete_entity", "concrete_entities", "concrete_entity_id",
                          "generic_entity_id", True),
    "options": ("options", "option", "options", "option_id", None, False),
    "option_values": ("option_values", "value_value", "value_values", "value_id", "option_id", False),
    "option_sets": ("option_sets", "option_set", "option_sets", "option_set_id", None, False),
    "option_set_options": ("option_set_options", "option_set_option", "option_set_options", "option_id",
                           "option_set_id", False),
    "pages": ("pages", "page", "pages", "page_id", None, False),
    "page_assets": ("page_assets", "page_asset", "page_assets", "asset_id", "page_id", False),
    "templates": ("templates", "template", "templates", "template_id", None, False),
}

# Alternative envelope keys a vendor may use where the seed contradicts itself: accepted by the spec, the
# fake answers with the first (JS-D05, X-10, X-34).
ENVELOPE_VARIANTS = {
    ("attribute_sets", "create"): ["attribute_set", "attribute set"],
    ("attribute_sets", "update"): ["attribute_set", "attribute set"],
    ("option_sets", "get"): ["option_set", "attribute_set"],
    ("option_sets", "create"): ["option_set", "option set"],
    ("option_sets", "update"): ["option_set", "option set"],
}

V = "/api/v1"
# (resource, method, path, kind, rules, deprecated alias?)
OPS = [
    ("attributes", "get", "/attributes", "list", ["J-011"]),
    ("attributes", "post", "/attributes", "create", ["J-016", "J-017", "J-018", "J-019", "J-020"]),
    ("attributes", "get", "/attributes/version/{version_id}", "list_version", ["J-013"]),
    ("attributes", "get", "/attributes/{attribute_id}", "get", ["J-014", "J-010"]),
    ("attributes", "put", "/attributes/{attribute_id}", "update", ["J-021", "J-018"]),
    ("attributes", "delete", "/attributes/{attribute_id}", "delete", ["J-023"]),
    ("attributes", "get", "/attributes/{attribute_id}/version/{version_id}", "get_version", ["J-015"]),
    ("attributes", "put", "/attributes/{attribute_id}/version/{version_id}", "update_version", ["J-022"]),
    ("attributes", "delete", "/attributes/{attribute_id}/version/{version_id}", "delete_version", ["J-024"]),
    ("attribute_type_values", "get", "/attributes/{attribute_id}/type_values", "list", ["J-025"]),
    ("attribute_type_values", "post", "/attributes/{attribute_id}/type_values", "create", ["J-029"]),
    ("attribute_type_values", "get", "/attributes/{attribute_id}/type_values/version/{version_id}", "list_version",
     ["J-026"]),
    ("attribute_type_values", "get", "/attributes/{attribute_id}/type_values/{type_value_id}", "get",
     ["J-027", "J-033"]),
    ("attribute_type_values", "put", "/attributes/{attribute_id}/type_values/{type_value_id}", "update", ["J-030"]),
    ("attribute_type_values", "delete", "/attributes/{attribute_id}/type_values/{type_value_id}", "delete",
     ["J-032"]),
    ("attribute_type_values", "get", "/attributes/{attribute_id}/type_values/{type_value_id}/version/{version_id}",
     "get_version", ["J-028"]),
    ("attribute_type_values", "put", "/attributes/{attribute_id}/type_values/{type_value_id}/version/{version_id}",
     "update_version", ["J-031"]),
    ("attribute_type_values", "delete",
     "/attributes/{attribute_id}/type_values/{type_value_id}/version/{version_id}", "delete_version", ["J-032"]),
    ("attribute_sets", "get", "/attribute_sets", "list", ["J-034"]),
    ("attribute_sets", "post", "/attribute_sets", "create", ["J-035", "J-036"]),
    ("attribute_sets", "get", "/attribute_sets/{attribute_set_id}", "get", ["J-034"]),
    ("attribute_sets", "put", "/attribute_sets/{attribute_set_id}", "update", ["J-037"]),
    ("attribute_sets", "delete", "/attribute_sets/{attribute_set_id}", "delete", ["J-037"]),
    ("attribute_set_attributes", "get", "/attribute_sets/{attribute_set_id}/attributes", "list", ["J-038"]),
    ("attribute_set_attributes", "post", "/attribute_sets/{attribute_set_id}/attributes", "create", ["J-039"]),
    ("attribute_set_attributes", "delete", "/attribute_sets/{attribute_set_id}/attributes/{attribute_id}", "delete",
     ["J-040"]),
    ("blocks", "get", "/blocks", "list", ["J-041"]),
    ("blocks", "post", "/blocks", "create", ["J-041"]),
    ("blocks", "get", "/blocks/{block_id}", "get", ["J-041"]),
    ("blocks", "put", "/blocks/{block_id}", "update", ["J-041"]),
    ("block_assets", "get", "/blocks/{block_id}/assets", "list", ["J-043"]),
    ("block_assets", "get", "/blocks/{block_id}/assets/{asset_id}", "get", ["J-043"]),
    ("brands", "get", "/brands", "list", ["J-044"]),
    ("brands", "post", "/brands", "create", ["J-044", "J-004"]),
    ("brands", "get", "/brands/{brand_id}", "get", ["J-044", "J-005"]),
    ("brands", "put", "/brands/{brand_id}", "update", ["J-044", "J-045"]),
    ("brands", "delete", "/brands/{brand_id}", "delete", ["J-044"]),
    ("brand_assets", "get", "/brands/{brand_id}/assets", "list", ["J-046"]),
    ("brand_assets", "post", "/brands/{brand_id}/assets", "create", ["J-047", "J-049"]),
    ("brand_assets", "get", "/brands/{brand_id}/assets/{asset_id}", "get", ["J-046"]),
    ("brand_assets", "put", "/brands/{brand_id}/assets/{asset_id}", "update", ["J-048"]),
    ("brand_assets", "delete", "/brands/{brand_id}/assets/{asset_id}", "delete", ["J-048"]),
    ("categories", "get", "/categories", "list", ["J-058"]),
    ("categories", "post", "/categories", "create", ["J-058", "J-059", "J-060"]),
    ("categories", "get", "/categories/{category_id}", "get", ["J-058", "J-060"]),
    ("categories", "put", "/categories/{category_id}", "update", ["J-061"]),
    ("categories", "delete", "/categories/{category_id}", "delete", ["J-058"]),
    ("category_assets", "get", "/categories/{category_id}/assets", "list", ["J-062"]),
    ("category_assets", "post", "/categories/{category_id}/assets", "create", ["J-062", "J-049"]),
    ("category_assets", "get", "/categories/{category_id}/assets/{asset_id}", "get", ["J-062"]),
    ("category_assets", "put", "/categories/{category_id}/assets/{asset_id}", "update", ["J-062"]),
    ("category_assets", "delete", "/categories/{category_id}/assets/{asset_id}", "delete", ["J-062"]),
    ("channels", "get", "/channels", "list", ["J-065"]),
    ("channels", "get", "/channels/{channel_id}", "get", ["J-064", "J-065"]),
    ("display_groups", "get", "/display-groups", "list", ["J-066"]),
    ("display_groups", "post", "/display-groups", "create", ["J-066"]),
    ("display_groups", "get", "/display-groups/{display_group_id}", "get", ["J-066"]),
    ("display_groups", "put", "/display-groups/{display_group_id}", "update", ["J-066"]),
    ("display_groups", "post", "/display-group", "create", ["J-066"], "alias"),
    ("display_groups", "put", "/display-group/{display_group_id}", "update", ["J-066"], "alias"),
    ("generic_entities", "get", "/generic-entities", "list", ["J-068", "J-069", "J-070"]),
    ("generic_entities", "post", "/generic-entities", "create", ["J-072", "J-073"]),
    ("generic_entities", "get", "/generic-entities/{generic_entity_id}", "get", ["J-071", "J-073"]),
    ("generic_entities", "put", "/generic-entities/{generic_entity_id}", "update", ["J-074"]),
    ("generic_entities", "delete", "/generic-entities/{generic_entity_id}", "delete", ["J-074"]),
    ("generic_entities", "put", "/generic-entites/{generic_entity_id}", "update", ["J-074"], "alias"),
    ("concrete_entities", "get", "/generic-entities/{generic_entity_id}/concrete-entities", "list",
     ["J-075", "J-069"]),
    ("concrete_entities", "post", "/generic-entities/{generic_entity_id}/concrete-entities", "create", ["J-077"]),
    ("concrete_entities", "get", "/generic-entities/{generic_entity_id}/concrete-entities/{concrete_entity_id}",
     "get", ["J-076"]),
    ("concrete_entities", "put", "/generic-entities/{generic_entity_id}/concrete-entities/{concrete_entity_id}",
     "update", ["J-078"]),
    ("concrete_entities", "delete", "/generic-entities/{generic_entity_id}/concrete-entities/{concrete_entity_id}",
     "delete", ["J-078"]),
    ("concrete_entities", "put", "/generic-entities/{generic_entity_id}/concrete-entites/{concrete_entity_id}",
     "update", ["J-078"], "alias"),
    ("options", "get", "/options", "list", ["J-079"]),
    ("options", "post", "/options", "create", ["J-079"]),
    ("options", "get", "/options/{option_id}", "get", ["J-079"]),
    ("options", "put", "/options/{option_id}", "update", ["J-079"]),
    ("options", "delete", "/options/{option_id}", "delete", ["J-080"]),
    ("option_values", "get", "/options/{option_id}/values", "list", ["J-081"]),
    ("option_values", "post", "/options/{option_id}/values", "create", ["J-081", "J-082"]),
    ("option_values", "get", "/options/{option_id}/values/{value_id}", "get", ["J-081"]),
    ("option_values", "put", "/options/{option_id}/values/{value_id}", "update", ["J-082"]),
    ("option_values", "delete", "/options/{option_id}/values/{value_id}", "delete", ["J-082"]),
    ("option_sets", "get", "/option_sets", "list", ["J-083"]),
    ("option_sets", "post", "/option_sets", "create", ["J-083"]),
    ("option_sets", "get", "/option_sets/{option_set_id}", "get", ["J-083"]),
    ("option_sets", "put", "/option_sets/{option_set_id}", "update", ["J-083"]),
    ("option_sets", "delete", "/option_sets/{option_set_id}", "delete", ["J-084"]),
    ("option_set_options", "get", "/option_sets/{option_set_id}/options", "list", ["J-085"]),
    ("option_set_options", "post", "/option_sets/{option_set_id}/options", "create", ["J-086"]),
    ("option_set_options", "delete", "/option_sets/{option_set_id}/options/{option_id}", "delete", ["J-087"]),
    ("pages", "get", "/pages", "list", ["J-088"]),
    ("pages", "post", "/pages", "create", ["J-088"]),
    ("pages", "get", "/pages/{page_id}", "get", ["J-088"]),
    ("pages", "put", "/pages/{page_id}", "update", ["J-088"]),
    ("page_assets", "get", "/pages/{page_id}/assets", "list", ["J-089"]),
    ("page_assets", "get", "/pages/{page_id}/assets/{asset_id}", "get", ["J-089"]),
    ("templates", "get", "/templates", "list", ["J-090"]),
    ("templates", "post", "/templates", "create", ["J-090"]),
    ("templates", "get", "/templates/{template_id}", "get", ["J-090"]),
    ("templates", "put", "/templates/{template_id}", "update", ["J-090"]),
]
WRITES = {"create", "update", "delete", "update_version", "delete_version"}
STATUS = {"create": "201"}


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def error_refs(kind: str) -> dict:
    out = {"400": {"$ref": "#/components/responses/BadRequest"},
           "401": {"$ref": "#/components/responses/Unauthorized"}}
    if kind in WRITES:
        out["403"] = {"$ref": "#/components/responses/Forbidden"}
    out["404"] = {"$ref": "#/components/responses/NotFound"}
    out["429"] = {"$ref": "#/components/responses/TooManyRequests"}
    out["503"] = {"$ref": "#/components/responses/Unavailable"}
    return out


def path_param(name: str) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


def json_body(schema: dict, required: bool = True, example: dict | None = None) -> dict:
    media = {"schema": schema, **({"example": example} if example is not None else {})}
    return {"required": required, "content": {"application/json": media}}


def json_response(description: str, schema: dict, example: object = None) -> dict:
    media = {"schema": schema, **({"example": example} if example is not None else {})}
    return {"description": description, "content": {"application/json": media}}


def envelope(key: str, schema: dict) -> dict:
    return {"type": "object", "required": [key], "properties": {key: schema}}


def variants_envelope(keys: list[str], schema: dict) -> dict:
    return {"type": "object", "properties": {k: schema for k in keys},
            "anyOf": [{"required": [k]} for k in keys],
            "description": "The seed's examples disagree on this key; any of them is accepted (JS-D05)."}


def operation(name: str, method: str, path: str, kind: str, rules: list[str], alias: bool) -> dict:
    binding, singular, plural, id_param, parent_param, paged = RESOURCES[name]
    schema_name = SCHEMAS[name][0]
    op_binding = binding + ("_alias" if alias else "")
    op: dict = {"operationId": f"{op_binding}.{kind}", "tags": [plural],
                "summary": f"{kind.replace('_', ' ')} {singular.replace('_', ' ')}", "x-rules": rules}
    if alias:
        op["deprecated"] = True
        op["description"] = "The seed's misspelt route, served as an alias of the canonical one (JS-D03)."
    params = [path_param(p) for p in _path_params(path)]
    if kind == "delete_version":  # version 0 is the master: it cannot be deleted (JS-D06)
        params[-1]["schema"]["minimum"] = 1
        params[-1]["description"] = "A version other than 0: the master (version 0) cannot be deleted (JS-D06)"
    if kind == "list" and paged:
        params.append({"name": "page", "in": "query", "required": False,
                       "schema": {"type": "integer", "minimum": 1, "default": 1},
                       "description": "Page number; 1000 per page (J-068). Past the end: an empty page (JS-D08)."})
    if params:
        op["parameters"] = params
    one = ref(schema_name)
    keys = ENVELOPE_VARIANTS.get((name, kind))
    single = variants_envelope(keys, one) if keys else envelope(singular, one)
    responses: dict = {}
    rows = example_rows(name)
    if kind in ("list", "list_version"):
        body = envelope(plural, {"type": "array", "items": one})
        example: dict | None = {plural: rows} if kind == "list" and rows else None
        if paged and kind == "list":
            body["required"] = [plural, "links", "meta"]
            body["properties"].update({"links": ref("PageLinks"), "meta": ref("PageMeta")})
            url = f"https://yourpim.com{V}{path}".replace("{generic_entity_id}", "1")
            example = {plural: rows, "links": {"first": f"{url}?page=1", "last": f"{url}?page=1", "prev": None,
                                               "next": None},
                       "meta": {"current_page": 1, "from": 1, "last_page": 1, "path": url, "per_page": 1000,
                                "to": len(rows), "total": len(rows)}}
        responses["200"] = json_response(f"The {plural.replace('_', ' ')}.", body, example)
    elif kind in ("get", "get_version", "update", "update_version"):
        example = {(keys or [singular])[0]: rows[0]} if kind == "get" and rows else None
        responses["200"] = json_response(f"The {singular.replace('_', ' ')}.", single, example)
    elif kind == "create":
        responses["201"] = json_response(f"The new {singular.replace('_', ' ')}.", single)
        if SCHEMAS[name][0] in ("AttributeSetAttribute", "OptionSetOption"):
            responses["200"] = json_response("Already there: updated (an upsert, J-086).", single)
        responses["201"]["links"] = _links(name, kind, keys[0] if keys else singular)
    elif kind in ("delete", "delete_version"):
        responses["200"] = json_response("Deleted.", ref("Deleted"))
    responses.update(error_refs(kind))
    op["responses"] = responses
    if kind in ("create", "update"):
        examples = CREATE_EXAMPLES if kind == "create" else UPDATE_EXAMPLES
        op["requestBody"] = json_body(ref(schema_name + ("Create" if kind == "create" else "Update")),
                                      example=examples.get(name))
    elif kind == "update_version":
        op["requestBody"] = json_body(ref(schema_name + "Version"))
    return op


def _path_params(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _links(name: str, kind: str, key: str) -> dict:
    binding, singular, _plural, id_param, parent_param, _paged = RESOURCES[name]
    address = "attribute_id" if name == "attribute_set_attributes" else \
        "option_id" if name == "option_set_options" else "id"
    params = {id_param: f"$response.body#/{key}/{address}"}
    if parent_param:
        params[parent_param] = f"$request.path.{parent_param}"
    kinds = {op[3] for op in OPS if op[0] == name and len(op) == 5}
    return crud_links(binding, SCHEMAS[name][0], params, [t for t in ("get", "update", "delete") if t in kinds])


def crud_links(binding: str, schema: str, params: dict, verbs) -> dict:
    """OpenAPI links from a created row to its get/update/delete operations (`GetAttribute` -> `attributes.get`)."""
    return {f"{verb.capitalize()}{schema}": {"operationId": f"{binding}.{verb}", "parameters": dict(params)}
            for verb in verbs}


def schemas() -> dict:
    out: dict = {}
    for name, (schema_name, props, inputs, required) in SCHEMAS.items():
        out[schema_name] = {"type": "object", "properties": props}
        if inputs:
            create = {"type": "object", "properties": inputs}
            if required:
                create["required"] = list(required)
            if name == "attribute_type_values":
                create["anyOf"] = [{"required": ["value"]}, {"required": ["name"]}]
            out[schema_name + "Create"] = create
            out[schema_name + "Update"] = {"type": "object", "properties": dict(inputs)}
        if name in VERSION_IN:
            out[schema_name + "Version"] = {"type": "object", "properties": VERSION_IN[name]}
    out.update(SPECIAL_SCHEMAS)
    return out


SPECIAL_SCHEMAS = {
    "Error": {"type": "object", "required": ["message"], "properties": {"message": STR},
              "description": "The fake's error body (the seed shows none, JS-D01); a vendor may differ.",
              "x-fake-choice": "error body (DECISIONS.md JS-D01)"},
    "Deleted": {"type": "object", "properties": {"message": {"type": "string", "example": "Deleted."}}},
    "PageLinks": {"type": "object", "required": ["first", "last", "prev", "next"],
                  "properties": {"first": STR, "last": STR, "prev": NSTR, "next": NSTR}},
    "PageMeta": {"type": "object", "required": ["current_page", "from", "last_page", "path", "per_page", "to", "total"],
                 "properties": {"current_page": INT, "from": NINT, "last_page": INT, "path": STR, "per_page": INT,
                                "to": NINT, "total": INT}},
    "Ping": {"type": "object", "required": ["time"], "properties": {"time": {
        "type": "string", "example": "Tue Feb 7 19:05:03 UTC 2017",
        "pattern": r"^[A-Z][a-z]{2} [A-Z][a-z]{2} +\d{1,2} \d{2}:\d{2}:\d{2} [A-Z]{3,4} \d{4}$"}}},
    "BrandAttributeValue": {"type": "object", "properties": {"id": INT, "version_id": INT, "value": NSTR}},
    "BrandAttribute": {"type": "object", "required": ["attribute_id"], "properties": {
        "attribute_id": INT, "name": STR, "slug": NSTR, "user_defined_key": NSTR,
        "type": {"type": "string", "enum": ENTITY_ATTR_TYPES},
        "values": {"type": "array", "items": ref("BrandAttributeValue")}}},
    "BrandAttributeWrite": {"type": "object", "required": ["attribute_id"], "properties": {
        "attribute_id": INT, "version_id": {"type": "integer", "minimum": 0},
        "values": {"type": "array", "items": {"type": "object", "required": ["value"],
                                              "properties": {"value": STR}}}}},
    "CategoryChannel": {"type": "object", "properties": {"id": INT, "category_id": INT, "channel_id": INT,
                                                         "web_id": NINT}},
}


def special_paths() -> dict:
    brand = [path_param("brand_id")]
    attr = path_param("attribute_id")
    value = path_param("value_id")
    one = envelope("brand_attributes", ref("BrandAttribute"))
    many = envelope("brand_attributes", {"type": "array", "items": ref("BrandAttribute")})
    paths = {
        "/ping": {"get": {"operationId": "ping", "tags": ["admin"], "summary": "Server time",
                          "description": "This endpoint returns the current PIM server time.", "x-rules": ["J-002"],
                          "responses": {"200": json_response("The virtual clock's time.", ref("Ping"),
                                                             {"time": "Tue Feb 7 19:05:03 UTC 2017"}),
                                        **error_refs("get")}}},
        "/brands/{brand_id}/attributes": {
            "get": {"operationId": "brand_attributes.list", "tags": ["brand_attributes"], "parameters": brand,
                    "summary": "All brand attributes", "x-rules": ["J-050", "J-055"],
                    "responses": {"200": json_response("The brand's attributes.", many), **error_refs("list")}},
            "post": {"operationId": "brand_attributes.create", "tags": ["brand_attributes"], "parameters": brand,
                     "summary": "Set a brand attribute's values for a version", "x-rules": ["J-052"],
                     "requestBody": json_body(ref("BrandAttributeWrite")),
                     "responses": {"201": json_response("The brand attribute.", one), **error_refs("create")}}},
        "/brands/{brand_id}/attributes/{attribute_id}": {
            "get": {"operationId": "brand_attributes.get", "tags": ["brand_attributes"], "parameters": [*brand, attr],
                    "summary": "A brand attribute", "x-rules": ["J-051"],
                    "responses": {"200": json_response("One item, in an array (X-19).",
                                                       envelope("brands_attributes",
                                                                {"type": "array", "items": ref("BrandAttribute")})),
                                  **error_refs("get")}}},
        "/brands/{brand_id}/attributes/{attribute_id}/values/{value_id}": {
            "put": {"operationId": "brand_attributes.update_value", "tags": ["brand_attributes"],
                    "parameters": [*brand, attr, value], "summary": "Update a brand attribute value",
                    "x-rules": ["J-053"], "requestBody": json_body(ref("BrandAttributeWrite")),
                    "responses": {"200": json_response("The brand attribute.", one), **error_refs("update")}},
            "delete": {"operationId": "brand_attributes.delete_value", "tags": ["brand_attributes"],
                       "parameters": [*brand, attr, value], "summary": "Delete a brand attribute value",
                       "x-rules": ["J-054"],
                       "responses": {"200": json_response("Deleted.", ref("Deleted")), **error_refs("delete")}}},
        "/brands/{brand_id}/assigned-attributes": {
            "post": {"operationId": "brand_attributes.assign", "tags": ["brand_attributes"], "parameters": brand,
                     "summary": "Assign an attribute to a brand", "x-rules": ["J-056"],
                     "requestBody": json_body({"type": "object", "required": ["attribute_id"],
                                               "properties": {"attribute_id": INT}}),
                     "responses": {"201": json_response("Assigned.", one),
                                   "200": json_response("Already assigned.", one), **error_refs("create")}}},
    }
    assign_set = {"operationId": "brand_attributes.assign_set", "tags": ["brand_attributes"], "parameters": brand,
                  "summary": "Assign an attribute set to a brand", "x-rules": ["J-057"],
                  "requestBody": json_body({"type": "object", "required": ["attribute_set_id"],
                                            "properties": {"attribute_set_id": INT}}),
                  "responses": {"200": json_response("Every attribute of the set, assigned.", many),
                                **error_refs("create")}}
    paths["/brands/{brand_id}/assigned-attribute-sets"] = {"post": assign_set}
    paths["/brand/{brand_id}/assigned-attribute-sets"] = {"post": {
        **assign_set, "operationId": "brand_attributes_alias.assign_set", "deprecated": True,
        "description": "The seed's HTTP Request line (singular `brand`, X-21), an alias of the plural route."}}
    paths["/categories/{category_id}/channel/{channel_id}"] = {"post": {
        "operationId": "set_category_channel", "tags": ["categories"],
        "parameters": [path_param("category_id"), path_param("channel_id")],
        "summary": "Update or create a category's web ID on a channel", "x-rules": ["J-063"],
        "requestBody": json_body({"type": "object", "required": ["web_id"], "properties": {"web_id": NINT}}),
        "responses": {"201": json_response("Created.", envelope("category_channel", ref("CategoryChannel"))),
                      "200": json_response("Updated.", envelope("category_channel", ref("CategoryChannel"))),
                      **error_refs("create")}}}
    return paths


def responses() -> dict:
    err = {"application/json": {"schema": ref("Error")}}
    return {
        "BadRequest": {"description": "400 Bad Request -- The request was not understood by the server.",
                       "content": err},
        "Unauthorized": {"description": "401 Unauthorized -- The server was unable to authenticate the request.",
                         "content": err},
        "Forbidden": {"description": "403 Forbidden -- The current API user doesn't have correct permissions.",
                      "content": err},
        "NotFound": {"description": "404 Not Found -- The requested resource cannot be found.", "content": err},
        "TooManyRequests": {"description": "429 Too Many Requests -- The request was not accepted because the "
                                           "application has exceeded the rate limit.",
                            "content": err,
                            "headers": {"Retry-After": {"schema": {"type": "integer"},
                                                        "description": "Seconds until the window resets"}}},
        "Unavailable": {"description": "503 Service Unavailable -- We're temporarily offline for maintenance. "
                                       "Please try again later.", "content": err,
                        "headers": {"Retry-After": {"schema": {"type": "integer"},
                                                    "description": "Seconds to wait before retrying"}}},
    }


def build() -> dict:
    paths: dict = {}
    for entry in OPS:
        name, method, path, kind, rules = entry[:5]
        alias = len(entry) > 5
        paths.setdefault(V + path, {})[method] = operation(name, method, path, kind, rules, alias)
    for path, item in special_paths().items():
        paths.setdefault(V + path, {}).update(item)
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Jasper Standard PIM v1 — catalog", "version": "1.0", "description": DESCRIPTION},
        "servers": [{"url": "https://yourpim.com", "description": "Vendor (seed 002)"},
                    {"url": "/jasper", "description": "pimkit fake, mounted under its prefix"}],
        "security": [{"bearerAuth": []}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {"bearerAuth": {
                "type": "http", "scheme": "bearer"}},  # its check is the app's, not the contract's
            "schemas": schemas(),
            "responses": responses(),
        },
    }
    import gen_jasper_spec_products  # products, webhooks, exports (its own module)

    gen_jasper_spec_products.extend(spec)
    in_the_seeds_words(spec)
    contract_names(spec)
    return spec


def contract_names(node) -> None:
    """Every operationId (operations' and links') from the handler binding it was written as (`attributes.get`,
    `product_operations.webhooks.enable`) to the contract name a client uses (`getAttribute`, `enableWebhook`)."""
    from mock_server.vendors.jasper.operations import operation_id

    if isinstance(node, dict):
        if isinstance(node.get("operationId"), str):
            node["operationId"] = operation_id(*node["operationId"].split(".")[-2:])
        for value in node.values():
            contract_names(value)
    elif isinstance(node, list):
        for value in node:
            contract_names(value)


DESCRIPTION = """\
Welcome to the Jasper Standard PIM v1 API documentation.

**Authentication.** Jasper uses API keys to allow access to the API. Jasper expects for the API key to be
included in all API requests to the server in a header that looks like the following:
`Authorization: Bearer {token}`.

**Request bodies** are JSON. A body sent without a `Content-Type` (as the examples' `curl -d '{…}'` does), or as
`application/x-www-form-urlencoded` or `text/plain`, is read as JSON too; any other media type is a 400 (JS-D14).

**Errors.** 400 Bad Request -- The request was not understood by the server. 401 Unauthorized -- The server was
unable to authenticate the request. 403 Forbidden -- The current API user doesn't have correct permissions to
execute the request. 404 Not Found -- The requested resource cannot be found. 429 Too Many Requests -- The request
was not accepted because the application has exceeded the rate limit. 500 Internal Server Error. 503 Service
Unavailable -- We're temporarily offline for maintenance. Please try again later. Every error body is
`{"message": "…"}`.

Operations are grouped by the documentation's own sections. Where the documentation is silent or contradicts
itself, the choice is named beside the operation (X-ids, JS-Dnn: openapi/DECISIONS.md in pimkit).
"""

# The documentation's own sections, in its order (its navigation): the tags Swagger UI groups operations under.
SECTIONS = ["Admin", "Attributes", "Attribute Type Values", "Attribute Sets", "Attribute Set Attributes", "Blocks",
            "Block Assets", "Brands", "Brand Assets", "Brand Attributes", "Categories", "Category Assets",
            "Category Channels", "Channels", "Display Groups", "Exports", "Generic Entities", "Concrete Entities",
            "Options", "Option Values", "Option Sets", "Option Set Options", "Pages", "Page Assets", "Products",
            "Product Assets", "Product Barcodes", "Product Categories", "Product Prices", "Product Inventory",
            "Product Attributes", "Product Channels", "Product Relation Types", "Product Relations",
            "Product Relation Attributes", "Product Tags", "Templates", "Webhooks"]
# The generator's resource names that are not their section's name in lower snake case.
SECTION_OF = {"value_values": "Option Values"}


def section(tag: str, path: str) -> str:
    """The documentation's section for an operation of resource `tag` at `path`."""
    if tag == "categories" and "/channel/" in path:
        return "Category Channels"
    if tag == "product_relations" and "/attribute" in path:
        return "Product Relation Attributes"
    name = SECTION_OF.get(tag) or tag.replace("_", " ").title()
    assert name in SECTIONS, f"{tag} ({path}) has no section"
    return name


def seed_headings(routes) -> dict[tuple[str, str], str]:
    """(method, route) -> the heading the documentation gives its curl example ("Get All Attributes"), from
    fixtures/jasper/seed_curls.json (scripts/seed_curls.py); a path two routes match goes to the more literal."""
    headings: dict[tuple[str, str], str] = {}
    for example in json.loads(SEED_CURLS.read_text(encoding="utf-8")):
        matches = [r for r in routes if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", r), example["path"])]
        if matches:
            route = min(matches, key=lambda r: r.count("{"))
            headings.setdefault((example["method"].lower(), route), example["heading"])
    return headings


def in_the_seeds_words(spec: dict) -> None:
    """Tags are the documentation's sections (in its order); summaries its headings where it has an example."""
    headings = seed_headings(spec["paths"])
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            operation["tags"] = [section(t, path) for t in operation.get("tags", [])]
            if (method, path) in headings and not operation.get("deprecated"):
                operation["summary"] = headings[method, path]
    used = {t for item in spec["paths"].values() for op in item.values() for t in op["tags"]}
    spec["tags"] = [{"name": name} for name in SECTIONS if name in used]


class _NoAliases(yaml.SafeDumper):
    """Connexion mutates shared parameter objects (docs/STACK-NOTES.md): write every repeat out in full."""

    def ignore_aliases(self, data):
        return True


def render() -> str:
    """The text of openapi/jasper.yaml, as `main` writes it (tests/test_jasper_spec_generated.py compares)."""
    text = yaml.dump(build(), Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=120)
    return "# Generated by scripts/gen_jasper_spec.py — edit the generator, then regenerate.\n" + text


def main() -> int:
    OUT.write_text(render(), encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
