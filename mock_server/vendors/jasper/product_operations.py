"""Jasper's product operations (products, their sub-resources, webhooks, exports): the bindings `handlers.py` imports.

Each binding's methods serve the operations `resources.py` declares for them (`bespoke("product_operations.products_",
"list", …)`); the resolver (`operations.py`) maps their operationIds here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from urllib.parse import quote

from connexion import request
from starlette.responses import Response

from mock_server.context import public_url, runtime
from mock_server.errors import BadRequest, NotFound
from mock_server.responses import json_response
from mock_server.vendors.jasper import barcodes as barcode_rules
from mock_server.vendors.jasper import paging, products, relations
from mock_server.vendors.jasper import webhooks as hooks
from mock_server.vendors.jasper.endpoints import DELETED, Endpoints, engine, request_path, require_write
from mock_server.vendors.jasper.engine import page_slice
from mock_server.vendors.jasper.products import ATTRIBUTES
from mock_server.vendors.jasper.resources import BY_NAME, LIST_DEFAULTS
from mock_server.vendors.jasper.state import state as vendor_state


def _product(product_id: int) -> dict:
    eng = engine()
    return eng.get(eng.resources["products"], product_id)


# --- products (J-091 … J-117) ----------------------------------------------------------------------------------
class Products:
    async def list(self, **kwargs):
        return self._list(0, request_path(), defaults=products.LIST_DEFAULT, keep_limit=False, **kwargs)

    async def list_version(self, version_id: int, **kwargs):
        engine().require_version(version_id)
        return self._list(version_id, request_path(), defaults={}, keep_limit=True, **kwargs)

    def _list(self, version: int, path: str, *, defaults: dict, keep_limit: bool, **kwargs):
        eng = engine()
        # the filters' defaults (and their enums and ranges, which Connexion enforces): the declaration's LIST_QUERY
        query = {**LIST_DEFAULTS, **{k: v for k, v in kwargs.items() if v is not None}}
        page, per_page = query["page"], query["limit"]
        relations_ = products.parse_with(kwargs.get("with"))
        kind, status, sku = query["type"], query["status"], kwargs.get("sku")
        with eng.store.lock:
            ids = products.list_ids(eng, vendor_state(runtime()).product_lists, kind=kind, status=status, sku=sku,
                                    version=version)
            docs = eng.store.peek_many(eng.table("products"), page_slice(ids, page, per_page))
            items = [products.view(eng, doc, version, defaults if relations_ is None else relations_)
                     for doc in docs]
        sent = request.query_params  # Connexion fills in defaults: the links carry what the client sent
        extra = "".join(f"{k}={quote(sent[k], safe=',')}&" for k in ("sku", "type", "status", "with") if k in sent)
        if keep_limit or "limit" in sent:
            extra += f"limit={per_page}&"
        return json_response({"products": items,
                              **paging.envelope(path, page, per_page, len(ids), len(items), extra)})

    async def get(self, product_id: int, **_kwargs):
        return json_response({"product": products.single(engine(), _product(product_id))})

    async def get_version(self, product_id: int, version_id: int, **_kwargs):
        eng = engine()
        eng.require_version(version_id)
        return json_response({"product": products.single(eng, _product(product_id), version_id)})

    async def by_sku(self, sku: str, **_kwargs):
        eng = engine()
        return json_response({"product": products.single(eng, products.by_sku(eng, sku))})

    async def create(self, body: dict | None = None, **kwargs):
        require_write(kwargs)
        eng = engine()
        body = body or {}
        with eng.store.lock:
            products.check_variant(eng, body)
            made = eng.create(eng.resources["products"], body)
            return json_response({"product": products.single(eng, made)}, 201)

    async def update(self, product_id: int, body: dict | None = None, **kwargs):
        require_write(kwargs)
        eng = engine()
        body = body or {}
        with eng.store.lock:
            current = _product(product_id)
            if "parent_id" in body or "option_values" in body:
                products.check_variant(eng, body, current)
            done = eng.update(eng.resources["products"], product_id, body)
            return json_response({"product": products.single(eng, done)})

    async def update_version(self, product_id: int, version_id: int, body: dict | None = None, **kwargs):
        require_write(kwargs)
        eng = engine()
        eng.put_version(eng.resources["products"], product_id, version_id, body or {})
        return json_response({"product": products.single(eng, _product(product_id), version_id)})

    async def delete(self, product_id: int, **kwargs):
        require_write(kwargs)
        eng = engine()
        eng.delete(eng.resources["products"], product_id)
        return json_response(DELETED)

    async def delete_version(self, product_id: int, version_id: int, **kwargs):
        require_write(kwargs)
        eng = engine()
        eng.delete_version(eng.resources["products"], product_id, version_id)
        return json_response(DELETED)

    async def remove_from_parent(self, product_id: int, **kwargs):
        require_write(kwargs)
        eng = engine()
        done = products.remove_from_parent(eng, product_id)
        return json_response({"product": products.single(eng, done)})

    async def assign_category(self, product_id: int, body: dict, **kwargs):
        """POST …/categories {"category_id": "1"} (a string is read as the id, X-44): the category is added to
        the product's category_ids; the answer is the category under `product_categories` (J-134)."""
        require_write(kwargs)
        eng = engine()
        raw = body["category_id"]  # an integer or a string of digits: the spec's anyOf
        category_id = int(raw) if isinstance(raw, str) else raw
        with eng.store.lock:
            doc = _product(product_id)
            category = eng.store.get(eng.table("categories"), category_id) if category_id > 0 else None
            if category is None:
                raise BadRequest("The selected category_id is invalid.")
            ids = list(doc.get("category_ids") or [])
            if category_id not in ids:
                eng.update(eng.resources["products"], product_id, {"category_ids": ids + [category_id]})
        return json_response({"product_categories": category}, 201)

    async def set_channel(self, product_id: int, channel_id: int, body: dict, **kwargs):
        """POST …/channel/<CHANNELID> {"web_id": 1}: create or update the product's web id there (J-152)."""
        require_write(kwargs)
        eng = engine()
        _product(product_id)
        eng.get(eng.resources["channels"], channel_id)
        view, created = eng.upsert(eng.resources["product_channels"],
                                   {"channel_id": channel_id, "web_id": body.get("web_id")}, product_id)
        return json_response({"product_channel": view}, 201 if created else 200)


products_ = Products()
product_assets = Endpoints.of(BY_NAME["product_assets"])
product_inventory = Endpoints.of(BY_NAME["product_inventory"])
product_relation_types = Endpoints.of(BY_NAME["product_relation_types"])


# --- barcodes (J-121 … J-133): bare objects, no envelope (X-43) ----------------------------------------------------
class Barcodes:
    def _res(self):
        return engine().resources["product_barcodes"]

    async def list(self, product_id: int, **_kwargs):
        return json_response({"barcodes": engine().rows(self._res(), product_id)})

    async def create(self, product_id: int, body: dict, **kwargs):
        require_write(kwargs)  # the digits per type: ProductBarcodeCreate's oneOf (the spec)
        return json_response(engine().create(self._res(), body, product_id), 201)

    async def update(self, product_id: int, barcode_id: int, body: dict, **kwargs):
        require_write(kwargs)
        eng = engine()
        if "barcodes" in body:  # the seed's upsert curls aim at …/barcodes/1: say where upserts go
            raise BadRequest("A list of barcodes is upserted at …/barcodes/upsert, not …/barcodes/<BARCODEID>.")
        with eng.store.lock:
            current = eng.get(self._res(), barcode_id, product_id)
            barcode_rules.check_write(body, current)
            return json_response(eng.update(self._res(), barcode_id, body, product_id))

    async def delete(self, product_id: int, barcode_id: int, **kwargs):
        require_write(kwargs)
        eng = engine()
        with eng.store.lock:
            gone = eng.get(self._res(), barcode_id, product_id)
            eng.delete(self._res(), barcode_id, product_id)
        return json_response(gone)

    async def upsert_with_delete(self, product_id: int, body: dict, **kwargs):
        return self._upsert(product_id, body, True, kwargs)

    async def upsert_without_delete(self, product_id: int, body: dict, **kwargs):
        return self._upsert(product_id, body, False, kwargs)

    def _upsert(self, product_id: int, body: dict, delete_untouched: bool, kwargs: dict):
        require_write(kwargs)
        eng = engine()
        _product(product_id)
        rows = barcode_rules.upsert(eng, product_id, body["barcodes"], delete_untouched=delete_untouched)
        return json_response({"barcodes": rows})


product_barcodes = Barcodes()


# --- prices (J-135 … J-139): no update, no delete ------------------------------------------------------------------
class Prices(Endpoints):
    async def create(self, body: dict | None = None, **kwargs):
        require_write(kwargs)
        body = body or {}  # at least one amount: ProductPriceCreate's anyOf (the spec, J-137)
        try:
            start, end = products.parse_time(body.get("from")), products.parse_time(body.get("to"))
        except ValueError:
            raise BadRequest("The from and to fields must be ISO 8601 dates or datetimes.") from None
        if start and end and end < start:
            raise BadRequest("The to date must be on or after the from date.")
        return await super().create(body, **kwargs)

    async def active(self, product_id: int, **_kwargs):
        """GET …/prices/active: the prices active on the virtual clock now (JS2-D07, x-inferred)."""
        eng = engine()
        doc = _product(product_id)
        return json_response({"product_prices": products.active_prices(eng, doc, 0)})


product_prices = Prices.of(BY_NAME["product_prices"])


# --- product attributes (J-142 … J-151); the envelope key changes with the operation (X-47) --------------------
class ProductAttributes:
    async def list(self, product_id: int, **_kwargs):
        return json_response({"product_attributes": ATTRIBUTES.list(engine(), product_id)})

    async def get(self, product_id: int, attribute_id: int, **_kwargs):
        return json_response({"products_attributes": [ATTRIBUTES.get(engine(), product_id, attribute_id)]})

    async def create(self, product_id: int, body: dict, **kwargs):
        require_write(kwargs)
        item, _created = ATTRIBUTES.set_values(engine(), product_id, _known_attribute(body))
        return json_response({"products_attributes": item}, 201)

    async def update_many(self, product_id: int, body: Sequence[dict], **kwargs):
        require_write(kwargs)
        eng = engine()
        with eng.store.lock:
            eng.get(eng.resources["products"], product_id)
            for entry in body:
                _known_attribute(entry)
                ATTRIBUTES._version(eng, entry.get("version_id", 0))
            items = [ATTRIBUTES.set_values(eng, product_id, entry)[0] for entry in body]
        return json_response({"products_attributes": items})

    async def update_value(self, product_id: int, attribute_id: int, value_id: int, body: dict, **kwargs):
        require_write(kwargs)
        item = ATTRIBUTES.update_value(engine(), product_id, attribute_id, value_id, body)
        return json_response({"product_attributes": item})

    async def delete_value(self, product_id: int, attribute_id: int, value_id: int, **kwargs):
        require_write(kwargs)
        ATTRIBUTES.delete_value(engine(), product_id, attribute_id, value_id)
        return json_response(DELETED)

    async def assign(self, product_id: int, body: dict, **kwargs):
        require_write(kwargs)
        item, created = ATTRIBUTES.assign(engine(), product_id, _known_attribute(body)["attribute_id"])
        return json_response({"product_attributes": item}, 201 if created else 200)

    async def assign_set(self, product_id: int, body: dict, **kwargs):
        require_write(kwargs)
        items = ATTRIBUTES.assign_set(engine(), product_id, body["attribute_set_id"])
        return json_response({"product_attributes": items})


def _known_attribute(body: dict) -> dict:
    """The body's attribute exists (its presence and type: ProductAttributeWrite, the spec)."""
    eng = engine()
    if eng.store.get(eng.table("attributes"), body["attribute_id"]) is None:
        raise BadRequest("The selected attribute_id is invalid.")
    return body


product_attributes = ProductAttributes()


# --- relations, relation attributes, tags (J-153 … J-167) ---------------------------------------------------------
class Relations:
    async def list(self, product_id: int, **_kwargs):
        eng = engine()
        _product(product_id)
        return json_response({"product_relations": relations.groups(eng, product_id)})

    async def list_type(self, product_id: int, relation_type_id: int, **_kwargs):
        eng = engine()
        _product(product_id)
        return json_response({"product_relations": relations.groups(eng, product_id, relation_type_id)})

    async def create(self, product_id: int, related_id: int, relation_type_id: int, **kwargs):
        require_write(kwargs)
        eng = engine()
        created = relations.relate(eng, product_id, related_id, relation_type_id)
        return json_response({"product_relations": relations.groups(eng, product_id, relation_type_id)},
                             201 if created else 200)

    async def delete(self, product_id: int, related_id: int, relation_type_id: int, **kwargs):
        require_write(kwargs)
        relations.unrelate(engine(), product_id, related_id, relation_type_id)
        return json_response(DELETED)

    async def attributes(self, product_id: int, related_id: int, relation_type_id: int, **_kwargs):
        eng = engine()
        rel = relations.require(eng, product_id, related_id, relation_type_id)
        return json_response({"product_relation_attribute_values": relations.attribute_values(eng, rel)})

    async def set_attributes(self, product_id: int, related_id: int, relation_type_id: int, body=None, **kwargs):
        require_write(kwargs)
        eng = engine()
        with eng.store.lock:
            rel = relations.require(eng, product_id, related_id, relation_type_id)
            relations.set_attributes(eng, rel, body if body is not None else {})
            return json_response({"product_relation_attribute_values": relations.attribute_values(eng, rel)})

    async def set_attribute(self, product_id: int, related_id: int, relation_type_id: int, attribute_id: int,
                            body: dict | None = None, **kwargs):
        require_write(kwargs)
        eng = engine()
        with eng.store.lock:
            rel = relations.require(eng, product_id, related_id, relation_type_id)
            if eng.store.get(eng.table("attributes"), attribute_id) is None:
                raise NotFound(f"Attribute {attribute_id} not found.")
            row = relations.set_attribute(eng, rel, attribute_id, (body or {}).get("value"))
            return json_response({"product_relation_attribute_values": [row]})

    async def delete_attribute(self, product_id: int, related_id: int, relation_type_id: int, attribute_id: int,
                               **kwargs):
        require_write(kwargs)
        eng = engine()
        rel = relations.require(eng, product_id, related_id, relation_type_id)
        relations.delete_attribute(eng, rel, attribute_id)
        return json_response(DELETED)


product_relations = Relations()


class Tags:
    async def list(self, product_id: int, **_kwargs):
        eng = engine()
        return json_response(relations.tags_of(eng, product_id, sorted(eng.versions)))

    async def get(self, product_id: int, version_id: int, **_kwargs):
        eng = engine()
        eng.require_version(version_id)
        return json_response(relations.tags_of(eng, product_id, [version_id]))

    async def put(self, product_id: int, version_id: int, body: dict, **kwargs):
        require_write(kwargs)
        return json_response(relations.put_tags(engine(), product_id, version_id, body))

    async def post(self, product_id: int, body: dict, **kwargs):
        require_write(kwargs)
        return json_response(relations.post_tags(engine(), product_id, body))

    async def post_version(self, product_id: int, version_id: int, body: dict, **kwargs):
        """POST …/tags/<VERSION-ID> (the HTTP Request line, X-52): as POST …/tags; the body's keys say the versions."""
        require_write(kwargs)
        engine().require_version(version_id)
        return json_response(relations.post_tags(engine(), product_id, body))


product_tags = Tags()


# --- webhooks (J-168 … J-181) -----------------------------------------------------------------------------------
class Webhooks(Endpoints):
    async def create(self, body: dict | None = None, **kwargs):
        require_write(kwargs)
        fields = hooks.check(body or {})
        fields.update(signing_secret=hooks.new_secret(), created_by=1, updated_by=1)  # status: its declared default
        return self._one(engine().create(self.res, fields), 201)

    async def update(self, body: dict | None = None, **kwargs):
        require_write(kwargs)
        fields = hooks.check(body or {})
        fields["updated_by"] = 1
        return self._one(engine().update(self.res, self._key(kwargs), fields))

    async def disable(self, **kwargs):
        return self._status("disabled", kwargs)

    async def enable(self, **kwargs):
        return self._status("enabled", kwargs)

    def _status(self, status: str, kwargs: dict):
        require_write(kwargs)
        return self._one(engine().update(self.res, self._key(kwargs), {"status": status}))


webhooks = Webhooks.of(BY_NAME["webhooks"])
webhooks_alias = webhooks


# --- exports (J-067, X-27) ----------------------------------------------------------------------------------------
EXPORT_COLUMNS = ("id", "sku", "name", "parent_id", "brand_id", "enabled", "is_visible", "product_url")


class Exports(Endpoints):
    async def create(self, body: dict | None = None, **kwargs):
        """POST /exports {"profile_id": 1} (x-inferred, JS2-D12): queued now, finished 30 s later on the clock."""
        require_write(kwargs)
        eng = engine()
        with eng.store.lock:
            made = eng.create(self.res, {"profile_id": (body or {})["profile_id"]})
            base = public_url(request).split("/api/v1/", 1)[0]
            fields = {"filename": f"export-{made['id']}.csv", "file_url": f"{base}/exports/{made['id']}/download"}
            return self._one(eng.update(self.res, made["id"], fields), 201)

    async def download(self, export_id: int, **_kwargs):
        """The export's file: a CSV of the products as they are when it is read (finished exports only)."""
        eng = engine()
        view = eng.view(self.res, eng.get(self.res, export_id))
        if view["status"] != "finished":
            raise NotFound(f"Export {export_id} is {view['status']}: its file is not ready.")
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(EXPORT_COLUMNS)
        with eng.store.lock:
            res = eng.resources["products"]
            for start in range(0, len(eng.index["products"].ids), 1000):
                ids = eng.index["products"].ids[start:start + 1000]
                for doc in eng.store.peek_many(eng.table(res.name), ids):
                    writer.writerow(["" if doc.get(c) is None else doc.get(c) for c in EXPORT_COLUMNS])
        name = view.get("filename") or f"export-{export_id}.csv"
        return Response(out.getvalue(), media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})


exports = Exports.of(BY_NAME["exports"])
