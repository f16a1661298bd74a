"""Product relations, their attribute values, and product tags (seed 002 "Product Relations" … "Product Tags")."""

from __future__ import annotations

from collections.abc import Mapping

from mock_server.errors import BadRequest, NotFound
from mock_server.vendors.jasper import products
from mock_server.vendors.jasper.engine import Engine
from mock_server.vendors.jasper.resources import CARDINALITY


def _relations(engine: Engine, product_id: int) -> list[dict]:
    return engine.rows(engine.resources["product_relations"], product_id)


def groups(engine: Engine, product_id: int, type_id: int | None = None) -> dict[str, list[dict]]:
    """`{"<relation type name>": [related products]}` (J-157, X-50: grouped by the type's name)."""
    types = engine.resources["product_relation_types"]
    if type_id is not None:
        engine.get(types, type_id)
    out: dict[str, list[dict]] = {}
    names: dict[int, str] = {}
    for row in _relations(engine, product_id):
        if type_id is not None and row["relation_type_id"] != type_id:
            continue
        tid = row["relation_type_id"]
        if tid not in names:
            names[tid] = engine.get(types, tid)["name"]
        related = engine.get(engine.resources["products"], row["related_product_id"])
        out.setdefault(names[tid], []).append(products.base(engine, related, 0))
    if type_id is not None and not out:
        out[engine.get(types, type_id)["name"]] = []
    return out


def find(engine: Engine, product_id: int, related_id: int, type_id: int) -> dict | None:
    for row in _relations(engine, product_id):
        if row["related_product_id"] == related_id and row["relation_type_id"] == type_id:
            return row
    return None


def require(engine: Engine, product_id: int, related_id: int, type_id: int) -> dict:
    _check_ends(engine, product_id, related_id, type_id)
    row = find(engine, product_id, related_id, type_id)
    if row is None:
        raise NotFound(f"Product {product_id} has no relation to {related_id} of type {type_id}.")
    return row


def _check_ends(engine: Engine, product_id: int, related_id: int, type_id: int) -> dict:
    engine.get(engine.resources["products"], product_id)
    engine.get(engine.resources["products"], related_id)
    return engine.get(engine.resources["product_relation_types"], type_id)


def relate(engine: Engine, product_id: int, related_id: int, type_id: int) -> bool:
    """Relate two products on a type (idempotent); the type's cardinality is enforced. Returns created."""
    with engine.store.lock:
        kind = _check_ends(engine, product_id, related_id, type_id)
        if product_id == related_id:
            raise BadRequest("A product cannot be related to itself.")
        if find(engine, product_id, related_id, type_id) is not None:
            return False
        one_related, one_holder = CARDINALITY.get(str(kind.get("relationship_cardinality")), (False, False))
        res = engine.resources["product_relations"]
        if one_related and any(r["relation_type_id"] == type_id for r in _relations(engine, product_id)):
            raise BadRequest(f"Relation type {type_id} allows one related product per product.")
        if one_holder:
            holders = engine.index["product_relations"].referrers["related_product_id"].get(related_id, ())
            rows = engine.store.get_many(engine.table("product_relations"), sorted(holders))
            if any(r["relation_type_id"] == type_id for r in rows):
                raise BadRequest(f"Product {related_id} is already related under relation type {type_id}.")
        engine.create(res, {"related_product_id": related_id, "relation_type_id": type_id}, product_id)
        return True


def unrelate(engine: Engine, product_id: int, related_id: int, type_id: int) -> None:
    row = require(engine, product_id, related_id, type_id)
    engine.delete(engine.resources["product_relations"], row["id"], product_id)


# --- relation attributes (J-161 … J-163) -------------------------------------------------------------------------
def attribute_values(engine: Engine, relation: Mapping) -> list[dict]:
    return engine.rows(engine.resources["product_relation_attribute_values"], relation["id"])


def set_attribute(engine: Engine, relation: Mapping, attribute_id: object, value: object) -> dict:
    """Create or update the relation's value of one attribute (entity_id: the related product, JS2-D14)."""
    if not isinstance(attribute_id, int) or isinstance(attribute_id, bool):
        raise BadRequest("The attribute_id must be an integer.")
    if value is not None and not isinstance(value, (str, int, float)):
        raise BadRequest("The value must be a string.")
    res = engine.resources["product_relation_attribute_values"]
    view, _created = engine.upsert(res, {"attribute_id": attribute_id, "entity_id": relation["related_product_id"],
                                         "value": None if value is None else str(value)}, relation["id"])
    return view


def set_attributes(engine: Engine, relation: Mapping, body: object) -> None:
    """POST …/attributes: `{"attributes": [{"attribute_id", "value"}, …]}`, a bare array of those, or one of them
    (the seed's body is `{}`, X-51); every item is checked before any is written."""
    items = body.get("attributes") if isinstance(body, dict) and "attributes" in body else body
    if isinstance(items, dict):
        items = [items] if items else []
    if not isinstance(items, list) or not all(isinstance(i, dict) and "attribute_id" in i for i in items):
        raise BadRequest("Send {\"attributes\": [{\"attribute_id\": …, \"value\": …}]}.")
    for item in items:
        if not isinstance(item["attribute_id"], int) or engine.store.get(engine.table("attributes"),
                                                                          item["attribute_id"]) is None:
            raise BadRequest("The selected attribute_id is invalid.")
    for item in items:
        set_attribute(engine, relation, item["attribute_id"], item.get("value"))


def delete_attribute(engine: Engine, relation: Mapping, attribute_id: int) -> None:
    res = engine.resources["product_relation_attribute_values"]
    row = engine.address(res, relation["id"], attribute_id)
    engine.delete(res, row["id"], relation["id"])


# --- tags (J-164 … J-167) --------------------------------------------------------------------------------------
def tags_of(engine: Engine, product_id: int, versions: list[int]) -> dict:
    doc = engine.get(engine.resources["products"], product_id)
    return {"product_id": product_id, **{str(v): products.tags(engine, doc, v) for v in versions}}


def _tag_list(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise BadRequest("Tags are an array of strings.")
    return list(dict.fromkeys(value))


def set_tags(engine: Engine, product_id: int, version: int, tags: list[str]) -> None:
    res = engine.resources["product_tags"]
    engine.upsert(res, {"version_id": version, "tags": tags}, product_id)


def put_tags(engine: Engine, product_id: int, version: int, body: Mapping) -> dict:
    """PUT …/tags/<v>: the version's tags become the body's list (its own key, else the first list: the seed
    sends key "0" to version 1 and gets "1" back, X-52). The path's version wins."""
    engine.require_version(version)
    engine.get(engine.resources["products"], product_id)
    lists = {k: v for k, v in (body or {}).items() if k != "product_id"}
    if not lists:
        raise BadRequest("Send the tags as {\"<version id>\": [\"tag\", …]}.")
    tags = _tag_list(lists.get(str(version), next(iter(lists.values()))))
    set_tags(engine, product_id, version, tags)
    return tags_of(engine, product_id, [version])


def post_tags(engine: Engine, product_id: int, body: Mapping) -> dict:
    """POST …/tags: each version key in the body sets that version's tags; the answer shows every version."""
    engine.get(engine.resources["products"], product_id)
    lists = {k: v for k, v in (body or {}).items() if k != "product_id"}
    plan = []
    for key, value in lists.items():
        if not key.isdigit() or int(key) not in engine.versions:
            raise BadRequest(f"Version {key} is not configured.")
        plan.append((int(key), _tag_list(value)))
    if not plan:
        raise BadRequest("Send the tags as {\"<version id>\": [\"tag\", …]}.")
    for version, tags in plan:
        set_tags(engine, product_id, version, tags)
    return tags_of(engine, product_id, sorted(engine.versions))
