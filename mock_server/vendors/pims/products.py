"""PIMS products: finding, writing (createProduct / editProduct) and showing them through a View.

Every write happens under the store's lock, updates the query index, and records one history transaction
per product it changes (PI-47). Variation bookkeeping (PI-38..PI-40): a product names its parent with
`variation_of`; the parent's `variation_skus` follows, and `variation_matrix` is computed on every read.
"""

from __future__ import annotations

from typing import Any

from mock_server.errors import BadRequest, Conflict, NotFound
from mock_server.runtime import Runtime
from mock_server.specs import Messages
from mock_server.vendors.pims import history, rules
from mock_server.vendors.pims.index import ProductIndex, values_of
from mock_server.vendors.pims.model import ApiKey, Model, View
from mock_server.vendors.pims.state import state
from mock_server.vendors.pims.values import Values


def messages(rt: Runtime) -> Messages:
    return rt.messages["pims"]


def clean_sku(rt: Runtime, sku: str) -> str:
    """The SKU of a request: surrounding blanks dropped; a blank one is empty (PI-26, PI-28, X-70)."""
    cleaned = sku.strip()
    if not cleaned:
        raise BadRequest(messages(rt)("products", "sku_empty"), code="sku_empty")
    return cleaned


def find(rt: Runtime, sku: str) -> tuple[int, dict]:
    doc_id = rt.store.lookup(rules.PRODUCTS, rules.SKU, clean_sku(rt, sku))
    doc = None if doc_id is None else rt.store.get(rules.PRODUCTS, doc_id)
    if doc_id is None or doc is None:
        raise NotFound(messages(rt)("products", "product_not_found"), code="product_not_found")
    return doc_id, doc


# --- showing ------------------------------------------------------------------------------------------
class Family:
    """Documents of variation families read while shaping one response, each fetched once."""

    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.docs: dict[str, dict | None] = {}

    def add(self, doc: dict) -> dict:
        self.docs[doc[rules.SKU]] = doc
        return doc

    def doc(self, sku: str) -> dict | None:
        if sku not in self.docs:
            doc_id = self.rt.store.lookup(rules.PRODUCTS, rules.SKU, sku)
            self.docs[sku] = None if doc_id is None else self.rt.store.get(rules.PRODUCTS, doc_id)
        return self.docs[sku]


def attributes(model: Model, view: View, doc: dict, family: Family) -> dict:
    """Every attribute of the View with its value (null, or [] for a Collection, when unset), PI-33."""
    parent = family.doc(doc[rules.VARIATION_OF]) if doc.get(rules.VARIATION_OF) else None
    out: dict = {}
    for internal, external in view.to_external.items():
        attr = model.attributes[internal]
        source = parent if internal == rules.VARIATION_ATTRIBUTES and parent is not None else doc
        value = source.get(internal)
        if internal == rules.VARIATION_ATTRIBUTES:
            value = [view.to_external[name] for name in value or () if name in view.to_external]
        out[external] = ([] if attr.collection else None) if value is None else value
        if internal == rules.VARIATION_SKUS:
            out[rules.VARIATION_MATRIX] = matrix(view, parent or doc, family)
    return out


def matrix(view: View, head: dict, family: Family) -> dict:
    """variation SKU -> {variation attribute -> [value]} over the whole family, the parent last (PI-39)."""
    members = head.get(rules.VARIATION_SKUS) or []
    if not members:
        return {}
    names = [n for n in head.get(rules.VARIATION_ATTRIBUTES) or () if n in view.to_external]
    out = {}
    for sku in [*members, head[rules.SKU]]:
        doc = family.doc(sku) or {}
        out[sku] = {view.to_external[n]: list(values_of(doc.get(n))) for n in names}
    return out


# --- writing ------------------------------------------------------------------------------------------
def _index(rt: Runtime) -> ProductIndex:
    return state(rt).index


def _empty(model: Model, name: str) -> list[str] | None:
    return [] if model.attributes[name].collection else None


def _check_unique(rt: Runtime, model: Model, view: View, doc_id: int | None, changes: dict) -> None:
    index = _index(rt)
    for name, value in changes.items():
        attr = model.attributes[name]
        if not attr.unique or name == rules.SKU:
            continue
        for text in values_of(value):
            holders = index.fields[name].by_value.get(text, set()) - {doc_id}
            if holders:
                raise Conflict(messages(rt)("values", "unique_taken", value=text[:100],
                                            attribute=view.to_external.get(name, name),
                                            sku=index.sku_of[min(holders)]), code="unique_taken")


def _check_parent(rt: Runtime, sku: str, doc: dict, parent_sku: str | None) -> None:
    """PI-40: a variation names an existing parent that is not a variation; a parent cannot become one."""
    if parent_sku is None:
        return
    say = messages(rt)
    if parent_sku == sku:
        raise BadRequest(say("values", "parent_is_self"), code="invalid_parent")
    found = rt.store.find(rules.PRODUCTS, rules.SKU, parent_sku)
    if found is None:
        raise BadRequest(say("values", "parent_not_found", parent=parent_sku[:255]), code="invalid_parent")
    if found.get(rules.VARIATION_OF):
        raise BadRequest(say("values", "parent_is_variation", parent=parent_sku,
                             grandparent=found[rules.VARIATION_OF]), code="invalid_parent")
    if doc.get(rules.VARIATION_SKUS):
        raise BadRequest(say("values", "has_variations", sku=sku), code="invalid_parent")


def _stored(rt: Runtime, doc_id: int) -> dict:
    """A product this request has just written or found, under the store lock: there by construction."""
    doc = rt.store.get(rules.PRODUCTS, doc_id)
    if doc is None:
        raise LookupError(f"product {doc_id} is gone while the store lock is held")
    return doc


def _parent_of(value: object) -> str | None:
    """variation_of as stored: a SKU (a scalar attribute: never a list), or None."""
    return value if isinstance(value, str) else None


def _save(rt: Runtime, doc_id: int, fields: dict) -> dict:
    rt.store.update(rules.PRODUCTS, doc_id, fields)
    doc = _stored(rt, doc_id)
    _index(rt).put(doc_id, doc)
    return doc


def _relink(rt: Runtime, user: str, child: str, old_parent: str | None, new_parent: str | None) -> None:
    """Keep the parents' variation_skus in step with a child's variation_of, one transaction each."""
    for parent, add in ((old_parent, False), (new_parent, True)):
        if parent is None:
            continue
        doc_id = rt.store.lookup(rules.PRODUCTS, rules.SKU, parent)
        doc = None if doc_id is None else rt.store.get(rules.PRODUCTS, doc_id)
        if doc_id is None or doc is None:  # a parent no longer stored: no list to keep in step
            continue
        before = list(doc.get(rules.VARIATION_SKUS) or [])
        after = [s for s in before if s != child] + ([child] if add else [])
        if after != before:
            _save(rt, doc_id, {rules.VARIATION_SKUS: after})
            history.record(rt, parent, user, {rules.VARIATION_SKUS: before}, {rules.VARIATION_SKUS: after})


def create(rt: Runtime, key: ApiKey, view: View, sku: str, sent: dict) -> dict:
    """createProduct (PI-26, PI-27): a new product from the attributes sent; status active unless given."""
    model: Model = state(rt).model
    sku = clean_sku(rt, sku)
    with rt.store.lock:
        if rt.store.lookup(rules.PRODUCTS, rules.SKU, sku) is not None:
            raise Conflict(messages(rt)("products", "product_exists"), code="product_exists")
        changes = Values(model, view, messages(rt)).changes(sent, sku)
        doc: dict[str, Any] = {rules.SKU: sku, rules.STATUS: rules.DEFAULT_STATUS, rules.VARIATION_OF: None,
                               rules.VARIATION_SKUS: []}
        doc.update({k: v for k, v in changes.items() if k != rules.STATUS or v is not None})
        _check_parent(rt, sku, doc, _parent_of(doc[rules.VARIATION_OF]))
        if doc[rules.VARIATION_OF] and rules.VARIATION_ATTRIBUTES in changes:
            raise BadRequest(messages(rt)("values", "read_only_variation", parent=doc[rules.VARIATION_OF],
                                          attribute=view.to_external[rules.VARIATION_ATTRIBUTES]),
                             code="read_only")
        _check_unique(rt, model, view, None, doc)
        doc_id = rt.store.insert(rules.PRODUCTS, doc)
        _index(rt).put(doc_id, doc)
        new = {k: v for k, v in doc.items() if v is not None and v != []}
        history.record(rt, sku, key.user, {k: None for k in new}, new)
        _relink(rt, key.user, sku, None, _parent_of(doc[rules.VARIATION_OF]))
        return _stored(rt, doc_id)


def edit(rt: Runtime, key: ApiKey, view: View, sku: str, sent: dict) -> dict:
    """editProduct (PI-28..PI-32, PI-35, PI-36): only the attributes sent change; one transaction."""
    model: Model = state(rt).model
    with rt.store.lock:
        doc_id, doc = find(rt, sku)
        sku = doc[rules.SKU]
        changes = Values(model, view, messages(rt)).changes(sent, sku)

        def current(name: str) -> object:
            value = doc.get(name)
            return _empty(model, name) if value is None else value

        diff = {k: v for k, v in changes.items() if current(k) != (_empty(model, k) if v is None else v)}
        parent = _parent_of(diff.get(rules.VARIATION_OF, doc.get(rules.VARIATION_OF)))
        if rules.VARIATION_OF in diff:
            _check_parent(rt, sku, doc, parent)
        if parent and rules.VARIATION_ATTRIBUTES in changes:
            raise BadRequest(messages(rt)("values", "read_only_variation", parent=parent,
                                          attribute=view.to_external[rules.VARIATION_ATTRIBUTES]), code="read_only")
        _check_unique(rt, model, view, doc_id, diff)
        if not diff:
            return doc
        saved = _save(rt, doc_id, diff)
        history.record(rt, sku, key.user, {k: doc.get(k) for k in diff}, diff)
        if rules.VARIATION_OF in diff:
            _relink(rt, key.user, sku, doc.get(rules.VARIATION_OF), parent)
            saved = _stored(rt, doc_id)
        return saved
