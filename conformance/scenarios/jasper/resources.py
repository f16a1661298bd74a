"""Every catalog resource round-trips: create → read → update → read → delete → 404 (J-004 … J-090)."""

from __future__ import annotations

from dataclasses import dataclass, field

from conformance.bodies import json_body
from conformance.checks.jasper import envelope_holds, gone_after_delete, reads_back, refused, write_accepted
from conformance.scenarios import Abort, ScenarioContext, scenario
from conformance.scenarios.jasper.client import API, JasperApi, id_of, jasper_api


@dataclass(frozen=True)
class Kind:
    path: str  # collection path; "{parent}" is filled with a parent made for the round trip
    keys: tuple[str, ...]  # single-item envelope keys the seed shows (several where its examples disagree)
    plural: str
    create: dict
    update: dict
    fields: tuple[str, ...]
    deletable: bool = True
    parent: str | None = None  # a Kind name whose fresh row is the parent
    unique_name: bool = field(default=True)


KINDS = {
    "attribute": Kind("/attributes", ("attribute",), "attributes", {"name": "Shipment Type", "type": "text",
                      "sort_order": 3, "publish": False}, {"name": "Countries of origin"},
                      ("id", "name", "type", "sort_order", "publish")),
    "type_value": Kind("/attributes/{parent}/type_values", ("attribute_type_value",), "attribute_type_values",
                       {"value": "Blue"}, {"value": "Navy"}, ("id", "attribute_id", "value"), parent="attribute"),
    "attribute_set": Kind("/attribute_sets", ("attribute_set", "attribute set"), "attribute_sets",
                          {"name": "Gaskets", "sort_order": 3}, {"name": "Bikes"}, ("id", "name", "sort_order")),
    "block": Kind("/blocks", ("block",), "blocks", {"name": "Header Script", "slug": "header-script"},
                  {"name": "Other Script"}, ("id", "name", "slug"), deletable=False),
    "brand": Kind("/brands", ("brand",), "brands", {"name": "New Adidas"}, {"name": "Newer Adidas",
                  "search_keywords": "a,b"}, ("id", "name")),
    "brand_asset": Kind("/brands/{parent}/assets", ("brand_asset",), "brand_assets",
                        {"source_uri": "https://cdnpim.com/coolimage.png", "alttext": "Description of image",
                         "thumbnail": 1}, {"alttext": "B"}, ("id", "brand_id", "uri", "alttext", "thumbnail"),
                        parent="brand"),
    "category": Kind("/categories", ("category",), "categories", {"parent_id": 0, "name": "Men's"},
                     {"name": "Shopify New Root", "is_visible": False}, ("id", "parent_id", "name")),
    "category_asset": Kind("/categories/{parent}/assets", ("category_asset",), "category_assets",
                           {"source_uri": "https://cdnpim.com/coolimage.png", "thumbnail": 0}, {"alttext": "C"},
                           ("id", "category_id", "uri"), parent="category"),
    "display_group": Kind("/display-groups", ("display_group",), "display_groups",
                          {"name": "Technical Specifications"}, {"name": "Textile Classifications"}, ("id", "name"),
                          deletable=False),
    "generic_entity": Kind("/generic-entities", ("generic_entity",), "generic_entities",
                           {"name": "Designer", "is_tree": 0, "display_on_navigation": 1, "publishable": 0,
                            "is_product_attribute": 0, "priority": 3}, {"priority": 4},
                           ("id", "name", "priority", "parent_id")),
    "concrete_entity": Kind("/generic-entities/{parent}/concrete-entities", ("concrete_entity",), "concrete_entities",
                            {"name": "Winter Lookbook", "priority": 2}, {"priority": 3},
                            ("id", "name", "priority", "generic_entity_id"), parent="generic_entity"),
    "option": Kind("/options", ("option",), "options", {"name": "Finish"}, {"name": "Type of Finish"}, ("id", "name")),
    "option_value": Kind("/options/{parent}/values", ("value_value",), "value_values",
                         {"value": "Blue", "label": "Blue", "sort_order": 2, "is_default": True},
                         {"value": "Pink", "label": "Pink"}, ("id", "option_id", "value", "label"), parent="option"),
    "option_set": Kind("/option_sets", ("option_set", "option set", "attribute_set"), "option_sets",
                       {"name": "Gaskets"}, {"name": "Bikes"}, ("id", "name")),
    "page": Kind("/pages", ("page",), "pages", {"name": "Our History", "url": "/our-history/"},
                 {"name": "Where We Are"}, ("id", "name", "url"), deletable=False),
    "template": Kind("/templates", ("template",), "templates", {"name": "Header", "slug": "header"}, {"name": "Other"},
                     ("id", "name", "slug"), deletable=False),
}


def _unique(api: JasperApi, body: dict) -> dict:
    return {**body, "name": api.name(body["name"])} if "name" in body else body


def make(ctx: ScenarioContext, api: JasperApi, name: str, made: dict[str, str]) -> str:
    """Create one row of kind `name` (and its parent first); returns its path."""
    kind = KINDS[name]
    path = kind.path
    if kind.parent:
        path = path.replace("{parent}", str(made.get(kind.parent) or make(ctx, api, kind.parent, made)).split("/")[-1])
    response = api.post(path, _unique(api, kind.create))
    ctx.require(write_accepted, response=response, what=f"POST {path}")
    ctx.verify(envelope_holds, response=response, keys=kind.keys, fields=("id",))
    new_id = id_of(response, kind.keys)
    if new_id is None:
        raise Abort(f"no id in the create response of {path}")
    made[name] = f"{path}/{new_id}"
    return made[name]


@scenario(API, rules=["J-004", "J-005", "J-011", "J-014", "J-020", "J-021", "J-023", "J-034", "J-037", "J-041",
                      "J-044", "J-045", "J-046", "J-048", "J-058", "J-062", "J-066", "J-071", "J-074", "J-078",
                      "J-079", "J-081", "J-082", "J-083", "J-088", "J-090"])
def round_trips(ctx: ScenarioContext) -> None:
    """Each writable catalog resource: create, read back, update (partial), read back, delete, 404."""
    api = jasper_api(ctx)
    made: dict[str, str] = {}
    for name, kind in KINDS.items():
        ctx.note(f"resource {name}")
        try:
            item = make(ctx, api, name, made)
        except Abort:
            continue
        got = api.get(item)
        ctx.verify(envelope_holds, response=got, keys=kind.keys, fields=kind.fields)
        expected = {k: v for k, v in _unique(api, kind.create).items() if k in kind.fields and k != "parent_id"}
        ctx.verify(reads_back, response=got, keys=kind.keys, expected=expected)
        update = _unique(api, kind.update)
        ctx.verify(write_accepted, response=api.put(item, update), what=f"PUT {item}")
        ctx.verify(reads_back, response=api.get(item), keys=kind.keys, expected={**expected, **update})
        listing = api.get(item.rsplit("/", 1)[0])
        ctx.verify(envelope_holds, response=listing, keys=(kind.plural,), fields=("id",), many=True)
    for name in reversed(list(made)):
        if KINDS[name].deletable:
            item = made[name]
            if ctx.verify(write_accepted, response=api.delete(item), what=f"DELETE {item}"):
                ctx.verify(gone_after_delete, response=api.get(item))


READ_ONLY = [("/channels", "channels", ("channel",), ("id", "channel_name", "sync", "price_base",
                                                       "inventory_location")),
             ("/blocks/{first}/assets", "block_assets", ("block_asset",), ("id", "block_id", "uri")),
             ("/pages/{first}/assets", "page_assets", ("page_asset",), ("id", "page_id", "uri"))]


# 405 is outside the seed's status table (J-003, X-57), but HTTP's own answer to a method a resource lacks.
NOT_WRITABLE = (400, 403, 404, 405)
PROBE_BLOCK = "pim-conformance-probe-block"


@scenario(API, rules=["J-042", "J-043", "J-064", "J-065", "J-089"])
def read_only_resources(ctx: ScenarioContext) -> None:
    """Channels and block/page assets list and read one by one under the seed's envelopes; channels, block assets
    and blocks refuse the writes the seed does not document (a block has no DELETE)."""
    api = jasper_api(ctx)
    for path, plural, keys, fields in READ_ONLY:
        if "{first}" in path:
            owner = path.split("/")[1]
            owners = api.get(f"/{owner}").json().get(owner) or []
            if not owners:
                continue
            path = path.replace("{first}", str(owners[0]["id"]))
        listing = api.get(path)
        if not ctx.verify(envelope_holds, response=listing, keys=(plural,), fields=fields, many=True):
            continue
        for item in listing.json()[plural][:2]:
            ctx.verify(envelope_holds, response=api.get(f"{path}/{item['id']}"), keys=keys, fields=fields)
        if plural in ("channels", "block_assets"):
            first = (listing.json()[plural] or [{}])[0].get("id", 1)
            for method, where, body in (("POST", path, {"name": api.name("Nope")}), ("PUT", f"{path}/{first}",
                                        {"name": api.name("Nope")}), ("DELETE", f"{path}/{first}", None)):
                if method == "POST" and plural == "block_assets":
                    body = {"source_uri": "https://cdnpim.com/coolimage.png"}
                ctx.verify(refused, response=api.call(method, where, body), why=f"{plural} are read-only",
                           statuses=NOT_WRITABLE)
    # A block cannot be deleted by anyone, so the suite keeps one probe block per target and reuses it.
    blocks = (json_body(api.get("/blocks")) or {}).get("blocks") or []
    block_id = next((b.get("id") for b in blocks if isinstance(b, dict) and b.get("slug") == PROBE_BLOCK), None)
    if block_id is None:
        made_block = api.post("/blocks", {"name": "pim-conformance probe block", "slug": PROBE_BLOCK})
        if ctx.verify(write_accepted, response=made_block, what="POST /blocks"):
            block_id = id_of(made_block, ("block",))
    if block_id is not None:
        ctx.verify(refused, response=api.delete(f"/blocks/{block_id}"), why="blocks have no DELETE",
                   statuses=NOT_WRITABLE)
