"""Products: variants, the product views, `with=` relations and the list filters (seed 002 "Products").

Products are a declared resource (`resources.py`); what the declaration cannot say is here, as small functions:
the variant rules (J-107, J-116), what a product view embeds (J-095, J-100, J-108) and the list filters `type`,
`status`, `sku` (J-097 … J-099), served from an index of ids kept in step with the engine's writes.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from mock_server.errors import BadRequest, NotFound
from mock_server.vendors.jasper.engine import Engine
from mock_server.vendors.jasper.entity_attributes import EntityAttributes
from mock_server.vendors.jasper.index import ResourceIndex

ATTRIBUTES = EntityAttributes("products", "product_attributes", "product_attribute_values")


def res(engine: Engine, name: str):
    return engine.resources[name]


# --- variants (J-107, J-109, J-116) ---------------------------------------------------------------------------
def check_variant(engine: Engine, body: Mapping, current: Mapping | None = None) -> None:
    """A child needs option_values naming options (of the parent's option set, when it has one) and their values;
    its parent must exist, not be the product itself, and not be a child (one level of variants)."""
    parent_id = body.get("parent_id", current.get("parent_id") if current else None)
    if not parent_id:
        return
    parent = engine.store.get(engine.table("products"), parent_id) if isinstance(parent_id, int) else None
    if parent is None or (current is not None and parent_id == current["id"]):
        raise BadRequest("The selected parent_id is invalid.")
    if parent.get("parent_id"):
        raise BadRequest("The parent product is itself a variant: variants are one level deep.")
    if current is not None and engine.index["products"].referrers["parent_id"].get(current["id"]):
        raise BadRequest("A product with variants cannot become a variant.")
    values = body.get("option_values", current.get("option_values") if current else None)
    if not values:
        raise BadRequest("The option_values field is required for a variant child product.")
    option_set = parent.get("option_set_id")
    for entry in values:
        option_id, value_id = entry.get("option_id"), entry.get("option_value_id")
        value = engine.store.get(engine.table("option_values"), value_id) if isinstance(value_id, int) else None
        if value is None or value.get("option_id") != option_id:
            raise BadRequest(f"The option value {value_id} is not a value of option {option_id}.")
        if option_set and (option_set, option_id) not in engine.index["option_set_options"].addressed:
            raise BadRequest(f"Option {option_id} is not in the parent's option set {option_set}.")


def remove_from_parent(engine: Engine, product_id: int) -> dict:
    """Detach a child from its parent and unpublish it (J-116, X-60: enabled and is_visible become 0)."""
    products = res(engine, "products")
    doc = engine.get(products, product_id)
    if not doc.get("parent_id"):
        raise BadRequest(f"Product {product_id} has no parent.")
    return engine.update(products, product_id, {"parent_id": None, "option_values": [], "enabled": 0,
                                                "is_visible": 0})


# --- the list index --------------------------------------------------------------------------------------------
def _key(doc: Mapping) -> tuple[bool, bool]:
    return bool(doc.get("parent_id")), bool(doc.get("enabled"))


class ProductLists:
    """Product ids by (is a child, is enabled), each sorted; a filtered list is one of them or a merge of two.

    Kept in step by the engine's change events and rebuilt when the engine reloads its indexes (a reset)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._source: ResourceIndex | None = None
        self.lists: dict[tuple[bool, bool], list[int]] = {}
        self.where: dict[int, tuple[bool, bool]] = {}
        self._merged: dict[tuple[str, str], list[int]] = {}
        engine.subscribe(self.on_change)

    def _fresh(self) -> None:
        index = self.engine.index.get("products")
        if index is None or index is self._source:  # (None: the engine has not loaded its indexes yet)
            return
        self._source = index
        self.lists = {(c, e): [] for c in (False, True) for e in (False, True)}
        self.where = {}
        self._merged = {}
        for doc in self.engine.store.peek_many(self.engine.table("products"), list(index.ids)):
            self._place(doc["id"], _key(doc))

    def _place(self, doc_id: int, key: tuple[bool, bool] | None) -> None:
        old = self.where.pop(doc_id, None)
        if old is not None:
            ids = self.lists[old]
            at = bisect_left(ids, doc_id)
            if at < len(ids) and ids[at] == doc_id:
                del ids[at]
        if key is not None:
            ids = self.lists[key]
            if not ids or ids[-1] < doc_id:
                ids.append(doc_id)
            else:
                insort(ids, doc_id)
            self.where[doc_id] = key
        self._merged = {}

    def on_change(self, resource: str, action: str, view: dict) -> None:
        if resource != "products" or self._source is None or "version_id" in view and view["version_id"]:
            return
        with self.engine.store.lock:
            if self._source is not self.engine.index.get("products"):
                return
            self._place(view["id"], None if action == "deleted" else _key(view))

    def ids(self, kind: str, status: str) -> list[int]:
        with self.engine.store.lock:
            self._fresh()
            cached = self._merged.get((kind, status))
            if cached is not None:
                return cached
            children, enabled = KIND_FILTER[kind], STATUS_FILTER[status]
            parts = [self.lists[(c, e)] for c in children for e in enabled]
            ids = parts[0] if len(parts) == 1 else sorted(i for part in parts for i in part)
            self._merged[(kind, status)] = ids
            return ids


# --- views -----------------------------------------------------------------------------------------------------
def base(engine: Engine, doc: dict, version: int) -> dict:
    """The product's own fields, as version `version` shows them."""
    return dict(engine.version_view(res(engine, "products"), doc, version))


def _rows(engine: Engine, name: str, product_id: int) -> list[dict]:
    return engine.store.peek_many(engine.table(name), list(engine.index[name].under(product_id)))


def _children(engine: Engine, doc: dict) -> list[dict]:
    ids = sorted(engine.index["products"].referrers["parent_id"].get(doc["id"], ()))
    return engine.store.peek_many(engine.table("products"), ids)


def is_active(price: Mapping, now: datetime) -> bool:
    """A price is active when `from` ≤ now ≤ `to`, an absent bound being open (J-135, JS2-D07)."""
    start, end = parse_time(price.get("from")), parse_time(price.get("to"))
    return (start is None or start <= now) and (end is None or now <= end)


PRICE_AMOUNTS = ("msrp", "cost", "map", "sell_price")


def price_problem(body: Mapping) -> BadRequest | None:
    """A price needs at least one amount (J-137; ProductPriceCreate's anyOf in the spec)."""
    if all(body.get(k) is None for k in PRICE_AMOUNTS):
        return BadRequest("A price needs at least one of msrp, cost, map or sell_price.")
    return None


def parse_time(value) -> datetime | None:
    """An ISO 8601 date or datetime; without an offset it is UTC. Raises ValueError when it is neither."""
    if value in (None, ""):
        return None
    stamp = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def prices(engine: Engine, doc: dict, version: int) -> list[dict]:
    return _rows(engine, "product_prices", doc["id"])


def active_prices(engine: Engine, doc: dict, version: int) -> list[dict]:
    now = engine.clock.now_dt()
    return [p for p in prices(engine, doc, version) if is_active(p, now)]


def attributes(engine: Engine, doc: dict, version: int) -> list[dict]:
    return ATTRIBUTES.list(engine, doc["id"])


def inventory(engine: Engine, doc: dict, version: int) -> list[dict]:
    return _rows(engine, "product_inventory", doc["id"])


def assets(engine: Engine, doc: dict, version: int) -> list[dict]:
    return _rows(engine, "product_assets", doc["id"])


def barcodes(engine: Engine, doc: dict, version: int) -> list[dict]:
    return _rows(engine, "product_barcodes", doc["id"])


def channels(engine: Engine, doc: dict, version: int) -> list[dict]:
    return _rows(engine, "product_channels", doc["id"])


def categories(engine: Engine, doc: dict, version: int) -> list[dict]:
    return engine.store.peek_many(engine.table("categories"), list(doc.get("category_ids") or []))


def tags(engine: Engine, doc: dict, version: int) -> list[str]:
    row_id = engine.index["product_tags"].addressed.get((doc["id"], version))
    row = engine.store.get(engine.table("product_tags"), row_id) if row_id else None
    return list(row["tags"]) if row else []


def generic_entities(engine: Engine, doc: dict, version: int) -> list[dict]:
    """The product's concrete entities (the values of generic entities it carries), JS2-D05."""
    return engine.store.peek_many(engine.table("concrete_entities"), list(doc.get("concrete_entity_ids") or []))


def related_products(engine: Engine, doc: dict, version: int) -> list[dict]:
    rows = _rows(engine, "product_relations", doc["id"])
    out = []
    for row in rows:
        related = engine.store.get(engine.table("products"), row["related_product_id"])
        if related is not None:
            out.append({**base(engine, related, version), "relation_type_id": row["relation_type_id"]})
    return out


def variants(extras: tuple[str, ...]) -> Callable[[Engine, dict, int], list[dict]]:
    """The product's children in the same version, each with the variant relations asked for."""
    def build(engine: Engine, doc: dict, version: int) -> list[dict]:
        out = []
        for child in _children(engine, doc):
            item = base(engine, child, version)
            for key in extras:
                item[key] = VARIANT_EXTRAS[key](engine, child, version)
            out.append(item)
        return out
    return build


VARIANT_EXTRAS = {"attributes": attributes, "prices": prices, "inventory": inventory}

# with= name -> (response key, builder). The variants-* names add their relation to every variant (J-100).
WITH: dict[str, tuple[str, Callable | None]] = {  # None: the variants' builder, made per request
    "variants": ("variants", None),
    "variants-attributes": ("variants", None),
    "variants-prices": ("variants", None),
    "variants-inventory": ("variants", None),
    "attributes": ("attributes", attributes),
    "active-prices": ("active_prices", active_prices),
    "all-prices": ("all_prices", prices),
    "inventory": ("inventory", inventory),
    "generic-entities": ("generic_entities", generic_entities),
    "related-products": ("related_products", related_products),
    "tags": ("tags", tags),
    "assets": ("assets", assets),
    "categories": ("categories", categories),
}
# What GET /products embeds without with= (J-095: "with attributes, categories, channels, product children and
# assets"), and what a single product shows (the child-create example's arrays, J-108).
LIST_DEFAULT = {"attributes": attributes, "categories": categories, "channels": channels,
                "children": variants(()), "assets": assets}
SINGLE = {"generic_entities": generic_entities, "product_attributes": attributes,
          "related_products": related_products, "categories": categories, "channels": channels,
          "barcodes": barcodes, "prices": prices, "inventory": inventory, "children": variants(()),
          "assets": assets}


def parse_with(value: str | None) -> dict[str, Callable] | None:
    """`with=variants,assets` -> {response key: builder}; None when absent. An unknown name is 400 (JS2-D04): the
    `with` parameter's pattern, made from WITH's names (resources.LIST_QUERY), refuses it before a handler runs."""
    if value is None:
        return None
    names = [n.strip() for n in value.split(",") if n.strip()]
    out: dict[str, Callable] = {}
    extras = tuple(k.split("-", 1)[1] for k in names if k.startswith("variants-"))
    for name in names:
        key, builder = WITH[name]
        out[key] = variants(extras) if builder is None else builder
    return out


def view(engine: Engine, doc: dict, version: int, relations: Mapping[str, Callable]) -> dict:
    item = base(engine, doc, version)
    for key, build in relations.items():
        item[key] = build(engine, doc, version)
    return item


def single(engine: Engine, doc: dict, version: int = 0) -> dict:
    return view(engine, doc, version, SINGLE)


# --- lists -----------------------------------------------------------------------------------------------------
# The list's `type` and `status` filters: each value -> the (is a child, is enabled) lists it shows. The keys are
# the spec's enums (resources.LIST_QUERY reads them from here).
KIND_FILTER: dict[str, tuple[bool, ...]] = {"all": (False, True), "parents": (False,)}
STATUS_FILTER: dict[str, tuple[bool, ...]] = {"all": (False, True), "enabled": (True,), "disabled": (False,)}


def list_ids(engine: Engine, lists: ProductLists, *, kind: str, status: str, sku: str | None,
             version: int) -> list[int]:
    """The ids a product list shows, in id order (J-097 … J-099); `kind` and `status` are the spec's enums."""
    ids = lists.ids(kind, status)
    if sku is None:
        return ids
    found = sorted(set(sku_holders(engine, sku, version)))
    allowed = set(ids)
    return [i for i in found if i in allowed]


def sku_holders(engine: Engine, sku: str, version: int) -> list[int]:
    """Products whose sku, as `version` shows it, is `sku`: the master's unless the version translates it."""
    index = engine.index["products"]
    out = []
    holder = index.holder_of("sku", None, sku)
    if holder is not None and (not version or _version_sku(engine, holder, version) in (None, sku)):
        out.append(holder)
    if version:
        for (master, v), row_id in index.versions.items():
            if v == version and master != holder:
                row = engine.store.get(engine.table("products__versions"), row_id)
                if row and row.get("sku") == sku:
                    out.append(master)
    return out


def _version_sku(engine: Engine, product_id: int, version: int) -> str | None:
    row = engine.version_row(res(engine, "products"), product_id, version)
    return row.get("sku") if row else None


def by_sku(engine: Engine, sku: str) -> dict:
    holder = engine.index["products"].holder_of("sku", None, sku)
    if holder is None:
        raise NotFound(f"Product with sku {sku} not found.")
    return engine.get(res(engine, "products"), holder)
