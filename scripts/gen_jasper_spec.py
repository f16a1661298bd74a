"""Write openapi/jasper.yaml from Jasper's resource declaration: `python scripts/gen_jasper_spec.py`.

The spec is committed and is the contract. What it says about a resource — its fields with their types, enums,
ranges, defaults and whether a create requires them, its envelope keys, routes and generic operations — is
declared once in `mock_server/vendors/jasper/resources.py`, which the engine and the handler bindings read too;
this script (and gen_jasper_spec_products.py) only renders it, with the documentation's examples, headings and
sections, and the few operations no generic binding serves. Edit the declaration, regenerate, review the diff.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import yaml

from mock_server.vendors.jasper import model
from mock_server.vendors.jasper.model import Operation, Resource, envelope, ref
from mock_server.vendors.jasper.operations import operation_of
from mock_server.vendors.jasper.resources import ADMIN, CATALOG, RESOURCES

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

# The schemas the declaration's fields share, and what only the rendering here needs.
INT, STR, NSTR, NINT, BOOL, BIT, BIT_IN, NAME, TS = (model.INT, model.STR, model.NSTR, model.NINT, model.BOOL,
                                                     model.BIT, model.BIT_IN, model.NAME, model.TS)
ENTITY_ATTR_TYPES = ["selectbox", "date", "datetime", "textarea", "multiselect", "text"]  # X-18
# Operation kind -> (HTTP method, path below the collection's); `{id}` is the resource's id parameter.
ROUTES = {"list": ("get", ""), "create": ("post", ""), "list_version": ("get", "/version/{version_id}"),
          "get": ("get", "/{id}"), "update": ("put", "/{id}"), "delete": ("delete", "/{id}"),
          "get_version": ("get", "/{id}/version/{version_id}"), "update_version": ("put", "/{id}/version/{version_id}"),
          "delete_version": ("delete", "/{id}/version/{version_id}")}


def out_props(res: Resource) -> dict:
    """The response schema's properties: id, the parent's id, then every field the response shows."""
    head = {"id": INT, **({res.parent_field: INT} if res.parent_field else {})}
    return {**head, **{name: f.out for name, f in res.fields.items() if f.out is not None}}


def write_props(res: Resource) -> dict:
    """The create/update schemas' properties: every writable field (aliases included), in field order."""
    return {name: f.write for name, f in res.fields.items() if f.write is not None}


def create_required(res: Resource) -> list[str]:
    return [name for name, f in res.fields.items() if f.required]


def version_props(res: Resource) -> dict:
    """A version write's properties: the translated fields and their aliases."""
    assert res.versioning is not None
    translated = res.versioning.translated
    return {name: f.version_write or f.write for name, f in res.fields.items()
            if f.write is not None and (name in translated or f.alias_of in translated)}


def declared_operations() -> list[tuple[Resource | None, str, str, Operation]]:
    """(resource, method, path, operation) for every operation declared, in declaration order: each resource's,
    then the admin's; a bespoke operation's path is the server's (`/api/v1/…` or, outside the API, `/exports/…`)."""
    out: list[tuple[Resource | None, str, str, Operation]] = []
    for res, op in [*((r, o) for r in RESOURCES for o in r.operations), *((None, o) for o in ADMIN)]:
        if op.binding is not None:
            out.append((res, op.method or "", (V if op.api else "") + (op.route or ""), op))
            continue
        assert res is not None
        method, below = ROUTES[op.kind]
        path = (op.alias or res.path or "") + below.replace("{id}", "{" + (res.id_param or "") + "}")
        out.append((res, method, V + path, op))
    return out


V = "/api/v1"
WRITES = {"create", "update", "delete", "update_version", "delete_version"}
STATUS = {"create": "201"}


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


def variants_envelope(keys: list[str], schema: dict) -> dict:
    return {"type": "object", "properties": {k: schema for k in keys},
            "anyOf": [{"required": [k]} for k in keys],
            "description": "The seed's examples disagree on this key; any of them is accepted (JS-D05)."}


def operation(res: Resource, path: str, declared: Operation) -> dict:
    name, singular, plural, paged = res.name, res.singular, res.plural, res.per_page is not None
    kind, rules, alias = declared.kind, list(declared.rules), declared.alias is not None
    schema_name = res.schema or ""
    op: dict = {"operationId": f"{name}{'_alias' if alias else ''}.{kind}", "tags": [plural],
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
    keys = list(res.envelope_variants.get(kind, ())) or None
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
        if res.address_by:
            responses["200"] = json_response("Already there: updated (an upsert, J-086).", single)
        responses["201"]["links"] = _links(res, keys[0] if keys else singular)
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


# The key order of a bespoke operation's object, as the spec has always written it: the catalog's, the products'.
CATALOG_LAYOUT = ("operationId", "tags", "parameters", "summary", "description", "x-rules", "requestBody", "responses")
PRODUCTS_LAYOUT = ("operationId", "tags", "summary", "x-rules", "description", "x-inferred", "parameters",
                   "requestBody", "responses")
LINKED = ("get", "update", "delete", "disable", "enable")  # what a created row's links point at


def bespoke_operation(res: Resource | None, path: str, declared: Operation) -> dict:
    """A bespoke operation's object: its declaration (route, rules, binding) and its `doc` (model.Operation)."""
    doc = declared.doc
    given = {p["name"]: p for p in doc.get("params", ())}
    params = [given.get(name, path_param(name)) for name in _path_params(path)]
    params += [p for p in doc.get("params", ()) if p["in"] == "query"]
    status = doc.get("status", "200")
    responses = {status: doc.get("ok_response") or json_response(doc.get("said", doc["summary"] + "."),
                                                                  doc.get("ok") or ref("Deleted"),
                                                                  doc.get("example"))}
    if "links" in doc and res is not None:
        pointer = f"$response.body#{doc['links']}/id"
        params_of = {**({res.parent_field: f"$request.path.{res.parent_field}"} if res.parent_field else {}),
                     res.id_param: pointer}
        verbs = [o.kind for o in res.operations if o.binding == declared.binding and o.kind in LINKED]
        responses[status]["links"] = crud_links(declared.binding or "", res.schema or "", params_of, verbs)
    for code, (said, schema) in doc.get("extra", {}).items():
        responses[code] = json_response(said, schema)
    responses.update(error_refs("create" if declared.writes else "get"))
    parts = {"operationId": operation_of(res, declared)[0], "tags": [doc.get("tag") or (res.name if res else "")],
             "summary": doc["summary"], "x-rules": list(declared.rules), "description": doc.get("description"),
             "x-inferred": doc.get("inferred"), "parameters": params or None,
             "requestBody": json_body(doc["body"]) if "body" in doc else None, "responses": responses}
    layout = CATALOG_LAYOUT if res is None or any(res is r for r in CATALOG) else PRODUCTS_LAYOUT
    op = {key: parts[key] for key in layout if parts.get(key) is not None}
    if "optional_body" in doc:
        op["requestBody"] = doc["optional_body"]
    if "deprecated" in doc:
        op["deprecated"] = True
        op["description"] = doc["deprecated"]
    return op


def _path_params(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _links(res: Resource, key: str) -> dict:
    """A created row's links to its get/update/delete (an addressed row by its address field, X-12)."""
    params = {res.id_param: f"$response.body#/{key}/{res.address_by or 'id'}"}
    if res.parent_field:
        params[res.parent_field] = f"$request.path.{res.parent_field}"
    kinds = {op.kind for op in res.operations if op.alias is None}
    return crud_links(res.name, res.schema or "", params, [t for t in ("get", "update", "delete") if t in kinds])


def crud_links(binding: str, schema: str, params: dict, verbs) -> dict:
    """OpenAPI links from a created row to its get/update/delete operations (`GetAttribute` -> `attributes.get`)."""
    return {f"{verb.capitalize()}{schema}": {"operationId": f"{binding}.{verb}", "parameters": dict(params)}
            for verb in verbs}


def schemas() -> dict:
    """Each resource serving declared operations: its schema, Create and Update (when writable), Version."""
    out: dict = {}
    for res in RESOURCES:
        if not res.generic_operations:
            continue
        schema_name = res.schema or ""
        out[schema_name] = {"type": "object", "properties": out_props(res)}
        inputs = write_props(res)
        if inputs:
            create: dict = {"type": "object", "properties": inputs}
            if create_required(res):
                create["required"] = create_required(res)
            if res.required_one_of:
                create["anyOf"] = [{"required": [name]} for name in res.required_one_of]
            out[schema_name + "Create"] = create
            out[schema_name + "Update"] = {"type": "object", "properties": dict(inputs)}
        if res.versioning:
            out[schema_name + "Version"] = {"type": "object", "properties": version_props(res)}
    out.update(SPECIAL_SCHEMAS)
    return out


# A brand's or a product's assigned attribute (entity_attributes.EntityAttributes), its value, and their write.
ATTRIBUTE_VALUE = {"type": "object", "properties": {"id": INT, "version_id": INT, "value": NSTR}}
ATTRIBUTE_WRITE = {"type": "object", "required": ["attribute_id"], "properties": {
    "attribute_id": INT, "version_id": {"type": "integer", "minimum": 0},
    "values": {"type": "array", "items": {"type": "object", "required": ["value"], "properties": {"value": STR}}}}}


def assigned_attribute(value: dict) -> dict:
    return {"type": "object", "required": ["attribute_id"], "properties": {
        "attribute_id": INT, "name": STR, "slug": NSTR, "user_defined_key": NSTR,
        "type": {"type": "string", "enum": ENTITY_ATTR_TYPES}, "values": {"type": "array", "items": value}}}


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
    "BrandAttributeValue": ATTRIBUTE_VALUE,
    "BrandAttribute": assigned_attribute(ref("BrandAttributeValue")),
    "BrandAttributeWrite": ATTRIBUTE_WRITE,
    "CategoryChannel": {"type": "object", "properties": {"id": INT, "category_id": INT, "channel_id": INT,
                                                         "web_id": NINT}},
}


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
    for res, method, path, declared in declared_operations():
        if declared.binding is None:
            assert res is not None
            item = operation(res, path.removeprefix(V), declared)
        else:
            item = bespoke_operation(res, path, declared)
        paths.setdefault(path, {})[method] = item
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
    import gen_jasper_spec_products  # the products' schemas (its own module)

    gen_jasper_spec_products.extend(spec)
    in_the_seeds_words(spec)
    contract_names(spec)
    return spec


def contract_names(node) -> None:
    """Every operationId written as the handler binding (a generic operation's, `attributes.get`; a link's,
    `product_operations.webhooks.enable`) to the contract name a client uses (`getAttribute`, `enableWebhook`)."""
    from mock_server.vendors.jasper.operations import operation_id

    if isinstance(node, dict):
        if "." in str(node.get("operationId", "")):  # a bespoke operation's is its contract name already
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
