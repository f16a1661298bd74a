"""Wizart operations (openapi/wizart.yaml), both versions: check the token kind, call the domain, shape a JSON:API
document. Each operation exists once per version (`get_import_v20`, `get_import_v21`), bound below."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import quote

from connexion import request
from starlette.responses import Response

from mock_server.clock import iso
from mock_server.context import runtime
from mock_server.errors import NotFound
from mock_server.responses import json_response
from mock_server.uploads import save_upload
from mock_server.vendors.wizart import archive, documents, imports, rules, tokens
from mock_server.vendors.wizart.documents import respond
from mock_server.vendors.wizart.state import state as vendor_state

T = TypeVar("T")

PREFIX = "/wizart"


def check_token(token: str, required_scopes=None) -> dict | None:
    return tokens.verify(runtime(), token)


def _messages():
    return runtime().messages["wizart"]


def _base(version: str) -> str:
    return f"{PREFIX}/api/v{version}"


# --- OAuth ---------------------------------------------------------------------------------------------------

async def issue_token(body: dict | None = None, **_kwargs):
    answer = tokens.issue(runtime(), body or {}, request.headers.get("authorization"))
    return json_response(answer, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


# --- imports -------------------------------------------------------------------------------------------------

def import_resource(version: str, doc: dict, view: imports.View, fields: dict | None = None) -> dict:
    messages = _messages()
    attributes = {
        "status": view.status, "product_type": doc["product_type"], "csv_file_name": doc["csv_file_name"],
        "archive_file_name": doc["archive_file_name"], "log_file": rules.log_file(doc["id"]),
        "created_at": iso(doc["created_at"]), "finished_at": iso(view.finished_at),
    }
    if version != "2.0":  # 2.1 added the row counters (DECISIONS.md WZ-D03)
        attributes.update(rows_total=view.rows_total, rows_processed=view.rows_processed,
                          rows_imported=view.rows_imported, rows_skipped=view.rows_skipped,
                          failed_row=view.failed_row)
    self_link = f"{_base(version)}/imports/{doc['id']}"
    # JSON:API allows only `self` among a resource's links: the log's address goes in meta (WZ-D13)
    meta = {"state": rules.STATE[view.status], "description": messages("meanings", view.status),
            "log_url": f"{self_link}/log"}
    if view.failure is not None:
        code, params = view.failure
        meta["failure"] = {"code": code, "detail": messages("failures", code, **params)}
    related = f"{_base(version)}/products?{quote('filter[import]')}={quote(doc['id'])}"
    return documents.resource("imports", doc["id"], attributes, fields=fields, meta=meta,
                              links={"self": self_link},
                              relationships={"products": {"links": {"related": related}}})


async def _permitted(operation: str, version: str, token_info: dict | None):
    rt = runtime()
    kind = tokens.permit(rt, f"{operation}_v{version.replace('.', '')}", token_info)
    return rt, kind


async def create_import(version: str, body: dict | None = None, csv=None, images=None, token_info=None, **_):
    rt = runtime()
    tokens.permit(rt, f"create_import_v{version.replace('.', '')}", token_info)
    messages = _messages()
    if csv is None or images is None:
        raise archive.missing_part("csv" if csv is None else "images", messages)
    csv_upload = await save_upload(csv, missing_message=messages("requests", "missing_file", part="csv"))
    zip_upload = await save_upload(images, missing_message=messages("requests", "missing_file", part="images"))
    try:
        # off the event loop: reading a central directory of thousands of members must not stall other clients
        listing = await asyncio.to_thread(archive.inspect, zip_upload.path, zip_upload.size, imports.settings(rt),
                                          messages)
    except Exception:
        csv_upload.path.unlink(missing_ok=True)
        zip_upload.path.unlink(missing_ok=True)
        raise
    doc = imports.create(rt, (body or {})["product_type"], csv_upload, zip_upload, listing)
    view = await imports.observe(rt, doc)
    resource = import_resource(version, doc, view)
    return respond({"data": resource, "links": {"self": resource["links"]["self"]}}, status=202,
                   headers={"Location": resource["links"]["self"]})


async def get_import(version: str, importId: str, fields=None, token_info=None, **_):  # noqa: N803 - spec name
    rt, _kind = await _permitted("get_import", version, token_info)
    doc = imports.find(rt, importId)
    resource = import_resource(version, doc, await imports.observe(rt, doc), fields)
    return respond({"data": resource, "links": {"self": resource["links"]["self"]}})


ImportPair = tuple[dict, imports.View]  # an import's document and what a client observes of it now
SORT_KEYS: dict[str, Callable[[ImportPair], Any]] = {
    "created_at": lambda pair: (pair[0]["created_at"], pair[0]["seq"]), "status": lambda pair: pair[1].status,
    "product_type": lambda pair: pair[0]["product_type"]}


def sort_in_place(items: list[T], sort: str | None, keys: Mapping[str, Callable[[T], Any]], default: str = "") -> None:
    """JSON:API `sort`: comma-separated keys, `-` for descending; applied last key first (stable sorts)."""
    for key in reversed((sort or default).split(",")) if sort or default else ():
        items.sort(key=keys[key.lstrip("-")], reverse=key.startswith("-"))


async def list_imports(version: str, page=None, sort=None, filter=None, fields=None, token_info=None, **_):  # noqa: A002
    rt, _kind = await _permitted("list_imports", version, token_info)
    filters = filter or {}
    docs = [d for d in rt.store.all(rules.IMPORTS)]
    pairs = [(d, await imports.observe(rt, d)) for d in docs]
    pairs = [(d, v) for d, v in pairs
             if filters.get("status") in (None, v.status) and filters.get("product_type") in (None, d["product_type"])]
    sort_in_place(pairs, sort, SORT_KEYS, "-created_at")
    number, size = documents.page_of(page)
    window = pairs[(number - 1) * size:number * size]
    items = [import_resource(version, d, v, fields) for d, v in window]
    query = documents.query_of(sort=sort, filter=filter, fields=fields)
    return respond(documents.collection(items, path=f"{_base(version)}/imports", query=query, number=number,
                                        size=size, total=len(pairs)))


async def get_import_log(version: str, importId: str, token_info=None, **_):  # noqa: N803
    rt, _kind = await _permitted("get_import_log", version, token_info)
    doc = imports.find(rt, importId)
    text = imports.log_text(rt, doc, await imports.observe(rt, doc))
    name = rules.log_file(doc["id"])
    return Response(text, media_type="text/plain; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- products ------------------------------------------------------------------------------------------------

ProductPair = tuple[int, dict]  # a product's id and document
PRODUCT_SORT: dict[str, Callable[[ProductPair], Any]] = {
    "sku": lambda pair: str(pair[1].get("sku", "")), "name": lambda pair: str(pair[1].get("name", "")),
    "price": lambda pair: (pair[1].get("price") is None, pair[1].get("price") or 0)}
HIDDEN = ("import_id",)


def product_resource(version: str, doc_id: int, doc: dict, fields: dict | None = None) -> dict:
    attributes = {k: v for k, v in doc.items() if k not in HIDDEN}
    relationships = None
    if doc.get("import_id"):
        relationships = {"import": {"data": {"type": "imports", "id": doc["import_id"]},
                                    "links": {"related": f"{_base(version)}/imports/{doc['import_id']}"}}}
    return documents.resource("products", str(doc_id), attributes, fields=fields, relationships=relationships,
                              links={"self": f"{_base(version)}/products/{doc_id}"})


def _device_meta(kind: str) -> dict:
    """Responses are optimised per device (seed): the fake only says which rendition it served (WZ-D06)."""
    return {"optimized_for": kind} if kind in rules.DEVICE_KINDS else {}


async def list_products(version: str, page=None, sort=None, filter=None, fields=None, token_info=None, **_):  # noqa: A002
    rt, kind = await _permitted("list_products", version, token_info)
    filters = filter or {}
    state = vendor_state(rt)
    if "import" in filters:
        owner = state.imports.get(filters["import"])
        ids = list(owner.product_ids) if owner is not None else []
    else:
        ids = list(state.product_ids)
    number, size = documents.page_of(page)
    if "product_type" in filters or sort:
        docs = list(zip(ids, rt.store.get_many(rules.PRODUCTS, ids), strict=True))
        docs = [(i, d) for i, d in docs if filters.get("product_type") in (None, d.get("product_type"))]
        sort_in_place(docs, sort, PRODUCT_SORT)
        total, window = len(docs), docs[(number - 1) * size:number * size]
    else:
        chosen = ids[(number - 1) * size:number * size]
        total, window = len(ids), list(zip(chosen, rt.store.get_many(rules.PRODUCTS, chosen), strict=True))
    items = [product_resource(version, i, d, fields) for i, d in window]
    query = documents.query_of(sort=sort, filter=filter, fields=fields)
    return respond(documents.collection(items, path=f"{_base(version)}/products", query=query, number=number,
                                        size=size, total=total, meta=_device_meta(kind)))


async def get_product(version: str, productId: str, fields=None, token_info=None, **_):  # noqa: N803
    rt, kind = await _permitted("get_product", version, token_info)
    numeric = productId.isascii() and productId.isdigit() and len(productId) < 12
    doc = rt.store.get(rules.PRODUCTS, int(productId)) if numeric else None
    if doc is None:
        raise NotFound(_messages()("requests", "product_not_found", id=productId), code="not_found",
                       parameter="productId")
    resource = product_resource(version, int(productId), doc, fields)
    document = {"data": resource, "links": {"self": resource["links"]["self"]}}
    if kind in rules.DEVICE_KINDS:
        document["meta"] = _device_meta(kind)
    return respond(document)


# --- one handler per operation and version -------------------------------------------------------------------

def _bind(func, version: str):
    async def handler(**kwargs):
        return await func(version, **kwargs)

    handler.__name__ = f"{func.__name__}_v{version.replace('.', '')}"
    return handler


for _func in (create_import, get_import, list_imports, get_import_log, list_products, get_product):
    for _version in rules.VERSIONS:
        _handler = _bind(_func, _version)
        globals()[_handler.__name__] = _handler
