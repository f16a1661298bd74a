"""The PIMS operation (openapi/pims.yaml): check the key and View, run the action, shape the answer.

One POST carries six actions (PI-01, PI-04); Connexion has validated the body against the action's schema,
so each action below only calls the domain and shapes the seed's body around what it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from connexion import request
from starlette.responses import Response

from mock_server.context import runtime
from mock_server.errors import UnsupportedMediaType
from mock_server.responses import json_response
from mock_server.runtime import Runtime
from mock_server.specs import Messages
from mock_server.vendors.pims import access, history, listing, products, rules
from mock_server.vendors.pims.model import ApiKey, Model, View
from mock_server.vendors.pims.state import state as vendor_state


def check_key(apikey: str, required_scopes: list[str] | None = None) -> dict | None:
    """The `ApiKey` header (PI-03): one of the fixture keys, or 401."""
    return access.token_info(vendor_state(runtime()).model, apikey)


@dataclass(frozen=True)
class Call:
    rt: Runtime
    model: Model
    key: ApiKey
    view: View
    locale: str

    @property
    def messages(self) -> Messages:
        return self.rt.messages["pims"]

    def definition(self) -> dict:
        return self.model.definition(self.view, self.locale)

    def attributes(self, doc: dict, family: products.Family) -> dict:
        return products.attributes(self.model, self.view, family.add(doc), family)


def _product_body(call: Call, doc: dict) -> dict:
    """The Product shape (seed: List/Edit/Create Product): attributes and definition under `data`."""
    attributes = call.attributes(doc, products.Family(call.rt))
    return {"status": "OK", "sku": doc["sku"], "data": {"attributes": attributes, "definition": call.definition()}}


def _list_body(call: Call, docs: list[dict], count: int) -> dict:
    """The ProductList shape (seed: List Products By Sku, Get List Products): definition once, at the top."""
    family = products.Family(call.rt)  # variations on one page share their parent's document
    items = [{"data": {"attributes": call.attributes(doc, family)}, "sku": doc["sku"]} for doc in docs]
    return {"products": items, "definition": call.definition(), "status": "OK", "sku_count": count}


def list_product(call: Call, body: dict) -> dict:
    _, doc = products.find(call.rt, body["sku"])
    return _product_body(call, doc)


def list_products_by_sku(call: Call, body: dict) -> dict:
    """PI-07, PI-11: the products asked for, in the order asked, each once; unknown SKUs left out (PIMS-D08)."""
    store = call.rt.store
    wanted = dict.fromkeys(sku.strip() for sku in body["skus"])
    ids = [doc_id for sku in wanted if (doc_id := store.lookup(rules.PRODUCTS, rules.SKU, sku)) is not None]
    docs = store.get_many(rules.PRODUCTS, ids)
    return _list_body(call, docs, len(docs))


def get_list(call: Call, body: dict) -> dict:
    index = vendor_state(call.rt).index
    query = listing.Parser(call.model, index, call.view, call.messages).parse(body.get("params"))
    chosen = listing.select(call.model, index, query, call.messages)
    start = (query.page - 1) * query.limit
    ids = index.page(chosen, query.order, start, start + query.limit)
    return _list_body(call, call.rt.store.get_many(rules.PRODUCTS, ids), len(chosen))


def _attributes_sent(body: dict) -> dict:
    return ((body.get("data") or {}).get("attributes")) or {}


def create_product(call: Call, body: dict) -> dict:
    return _product_body(call, products.create(call.rt, call.key, call.view, body["sku"], _attributes_sent(body)))


def edit_product(call: Call, body: dict) -> dict:
    return _product_body(call, products.edit(call.rt, call.key, call.view, body["sku"], _attributes_sent(body)))


def history_product(call: Call, body: dict) -> dict:
    _, doc = products.find(call.rt, body["sku"])
    limit, page = listing.pagination(body.get("params"))
    total, entries = history.page(call.rt, doc["sku"], call.view, limit, page)
    return {"status": "OK", "total_count": total, "history": entries, "definition": call.definition()}


ACTIONS: dict[str, Callable[[Call, dict], dict]] = {
    "listProduct": list_product,
    "listProductsBySku": list_products_by_sku,
    "getList": get_list,
    "createProduct": create_product,
    "editProduct": edit_product,
    "historyProduct": history_product,
}


async def manage_products(locale: str, body: dict, token_info: dict, **_kwargs: Any) -> Response:
    """The one operation (`action` in the body picks it); `token_info` is what check_key gave for the ApiKey."""
    rt = runtime()
    if not isinstance(body, dict):  # no Content-Type at all: Connexion hands the raw bytes over unchecked
        raise UnsupportedMediaType(rt.messages["pims"]("requests", "unsupported_media_type"),
                                   code="unsupported_media_type")
    model: Model = vendor_state(rt).model
    key = model.keys[token_info["key"]]
    action = body["action"]
    access.require(key, action, rt.messages["pims"])
    view = access.view_for(model, key, request.headers.get("ApiView"), rt.messages["pims"])
    call = Call(rt, model, key, view, locale.replace("_", "-").lower())
    return json_response(ACTIONS[action](call, body))
