"""Products listed and paged whole, read by id and SKU, updated in part and deleted; their assets, barcodes,
categories and inventory (J-091 … J-141). Each scenario makes its own products and deletes them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from conformance.bodies import json_body
from conformance.checks import jasper_products as checks
from conformance.checks.jasper import catalog as shared
from conformance.checks.jasper import envelope_holds, gone_after_delete, pages_cover_every_item_once, reads_back
from conformance.checks.jasper_products import products as listed
from conformance.checks.listing import Walk, page_size_for, walk_whole
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.jasper_products.client import (
    API,
    JasperProductsApi,
    id_of,
    item_of,
    jasper_products_api,
    new_product,
)

DEFAULT_PER_PAGE = 25  # J-091, J-101
BOOLEAN = (0, 1, True, False)
U = "https://cdnpim.com/coolimage.png"
DEFAULTS = {"is_bundle": 0, "featured": 0, "shipping_weight": "0.00", "shipping_override": "inherit",
            "special_order": 0}  # J-108
EMPTY_ARRAYS = ("generic_entities", "product_attributes", "related_products", "categories", "channels", "barcodes",
                "prices", "inventory", "children")  # J-108


def walk(api: JasperProductsApi, path: str, key: str, query: Mapping[str, Any]) -> Walk:
    """`path` walked whole from page 1, its page size grown with the collection (listing.page_size_for)."""
    first = json_body(api.get(path, limit=1, **query))
    total = ((first or {}).get("meta") or {}).get("total") if isinstance(first, Mapping) else None
    limit = page_size_for(total if isinstance(total, int) else 0, smallest=2)

    def fetch(page: int) -> Any:
        return json_body(api.get(path, limit=limit, page=page, **query))

    def items_of(body: Any) -> list | None:
        return body.get(key) if isinstance(body, Mapping) and isinstance(body.get(key), list) else None

    def next_of(body: Any, page: int, items: list) -> int | None:
        return page + 1 if (body.get("links") or {}).get("next") else None

    return walk_whole(1, fetch, items_of, next_of)


@scenario(API, rules=["J-091", "J-092", "J-093", "J-094", "J-096", "J-097", "J-101"])
def products_paged_whole(ctx: ScenarioContext) -> None:
    """The product list and the version list: 25 a page by default, and walked whole with `limit` and `page`,
    every product once, meta and links consistent; the version list filtered by SKU."""
    api = jasper_products_api(ctx)
    made = [new_product(ctx, api, f"PAGE{n}") for n in range(3)]
    try:
        ctx.verify(listed.default_page_size, response=api.get("/products"), key="products", per_page=DEFAULT_PER_PAGE)
        ctx.verify(listed.default_page_size, response=api.get("/products/version/1"), key="products",
                   per_page=DEFAULT_PER_PAGE, limit_in_links=True)
        for path in ("/products", "/products/version/1"):
            ctx.note(f"walking {path}")
            whole = walk(api, path, "products", {})
            ctx.verify(pages_cover_every_item_once, pages=whole.pages, key="products", expected_ids=set(made),
                       complete=whole.complete)
        sku = api.sku("PAGE1")
        ctx.verify(listed.filtered_to, items=api.listed(sku=sku), field="sku", value=sku)
    finally:
        for product in made:
            api.delete(f"/products/{product}")


@scenario(API, rules=["J-102", "J-104", "J-106", "J-108", "J-110", "J-111", "J-112", "J-114", "J-117"])
def product_read_update_delete(ctx: ScenarioContext) -> None:
    """A new product has the seed's defaults and its categories; it reads by id and SKU, takes a partial update
    that leaves read-only arrays alone, refuses a taken SKU, and is gone by id and SKU once deleted."""
    api = jasper_products_api(ctx)
    category = id_of(api.post("/categories", {"parent_id": 0, "name": api.name("Cat")}), ("category",))
    product = new_product(ctx, api, "ITEM", **({"category_ids": [category]} if category is not None else {}))
    path, sku = f"/products/{product}", api.sku("ITEM")
    try:
        got = api.get(path)
        ctx.verify(envelope_holds, response=got, keys=("product",),
                   fields=("id", "name", "sku", "product_url", "page_title", "enabled", "is_visible"))
        item = item_of(got, ("product",))
        for flag in ("enabled", "is_visible"):
            ctx.verify(shared.value_one_of, item=item, field=flag, allowed=BOOLEAN, what=f"GET {path}")
        ctx.verify(reads_back, response=got, keys=("product",), expected=DEFAULTS)
        ctx.verify(shared.items_have_fields, items=[item], fields=EMPTY_ARRAYS, what=f"GET {path}: its arrays")
        if category is not None:
            ctx.verify(shared.listed_as_written, items=item.get("categories"), field="id", value=category,
                       what="the categories of a product created with category_ids")
        ctx.verify(reads_back, response=api.get(f"/products/sku/{sku}"), keys=("product",),
                   expected={"id": product, "sku": sku})
        ctx.verify(gone_after_delete, response=api.get(f"/products/sku/{api.sku('NO-SUCH')}"))
        ctx.verify(checks.invalid_refused, response=api.post("/products", {"name": "Twin", "sku": sku}),
                   why="a SKU already taken")
        ctx.verify(checks.change_accepted, response=api.put(path, {"prices": [{"msrp": 1}], "children": [],
                                                                     "inventory": []}), what="PUT read-only arrays")
        ctx.verify(shared.read_only_ignored, item=item_of(api.get(path), ("product",)), field="prices",
                   sent=[{"msrp": 1}], what=f"GET {path} after a PUT of prices")
        update = {"name": api.name("Bluish T-Shirt"), "product_url": f"bluish-{api.tag.lower()}"}
        ctx.verify(checks.change_accepted, response=api.put(path, update), what="a partial PUT")
        ctx.verify(reads_back, response=api.get(path), keys=("product",),
                   expected={**update, "sku": sku, "enabled": True, "is_visible": True})
        ctx.verify(checks.invalid_refused, response=api.delete(f"{path}/remove-from-parent"),
                   why="remove-from-parent of a parentless product",
                   statuses=(400, 404))
        ctx.verify(checks.change_accepted, response=api.delete(path), what=f"DELETE {path}")
        ctx.verify(gone_after_delete, response=api.get(path))
        ctx.verify(gone_after_delete, response=api.get(f"/products/sku/{sku}"))
    finally:
        api.delete(path)
        if category is not None:
            api.delete(f"/categories/{category}")


@scenario(API, rules=["J-118", "J-119", "J-120", "J-121", "J-128", "J-129", "J-133", "J-134", "J-140", "J-141"])
def product_assets_barcodes_inventory(ctx: ScenarioContext) -> None:
    """A product's assets, barcodes, categories and inventory: created, listed, read, updated and deleted under
    the seed's envelopes, and scoped to their product."""
    api = jasper_products_api(ctx)
    product, other = new_product(ctx, api, "SUB"), new_product(ctx, api, "OTHER")
    base = f"/products/{product}"
    category = id_of(api.post("/categories", {"parent_id": 0, "name": api.name("Cat")}), ("category",))
    try:
        asset = api.post(f"{base}/assets", {"image_url": U})
        ctx.verify(reads_back, response=asset, keys=("product_asset",), expected={"product_id": product, "uri": U})
        asset_path = f"{base}/assets/{id_of(asset, ('product_asset',))}"
        ctx.verify(shared.items_have_fields, items=shared.items_of(api.get(f"{base}/assets"), "product_assets"),
                   fields=("id", "product_id", "uri", "alttext", "name", "desc", "type", "thumbnail", "sort_order",
                           "private"), what=f"GET {base}/assets")
        change = {"alttext": "Description of image", "name": "N", "desc": "D", "type": "T", "thumbnail": 1}
        ctx.verify(checks.change_accepted, response=api.put(asset_path, change), what=f"PUT {asset_path}")
        ctx.verify(reads_back, response=api.get(asset_path), keys=("product_asset",), expected=change)
        ctx.verify(checks.change_accepted, response=api.delete(asset_path), what=f"DELETE {asset_path}")
        ctx.verify(gone_after_delete, response=api.get(asset_path))

        code = api.post(f"{base}/barcodes", {"type": "UPC-A", "barcode": "123456789123"})
        ctx.require(checks.change_accepted, response=code, what="a UPC-A barcode")
        code_id = (json_body(code) or {}).get("id") or id_of(code, ("barcode",))
        code_path = f"{base}/barcodes/{code_id}"
        codes = shared.items_of(api.get(f"{base}/barcodes"), "barcodes")
        ctx.verify(shared.items_have_fields, items=codes, fields=("id", "product_id", "type", "barcode", "created_at",
                                                                  "updated_at"), what=f"GET {base}/barcodes")
        created_at = next((c.get("created_at") for c in codes or [] if c.get("id") == code_id), None)
        ctx.verify(checks.invalid_refused, response=api.put(code_path, {"type": "UPC-A", "barcode": "12345"}),
                   why="a UPC-A barcode of 5 digits")
        foreign = f"/products/{other}/barcodes/{code_id}"
        for response, why in ((api.put(foreign, {"type": "UPC-A", "barcode": "123456789124"}), "PUT another's"),
                              (api.delete(foreign), "DELETE another product's barcode")):
            ctx.verify(checks.invalid_refused, response=response, why=why, statuses=(404,))
        moved = api.put(code_path, {"type": "UPC-A", "barcode": "123456789124"})
        ctx.verify(checks.change_accepted, response=moved, what=f"PUT {code_path}")
        after = next((c for c in shared.items_of(api.get(f"{base}/barcodes"), "barcodes") or []
                      if c.get("id") == code_id), {})
        ctx.verify(shared.listed_as_written, items=[after], field="created_at", value=created_at,
                   what="created_at after the update")
        ctx.verify(shared.listed_as_written, items=[after], field="barcode", value="123456789124",
                   what="the barcode after the update")
        ctx.verify(shared.listed_as_written, items=[json_body(api.delete(code_path)) or {}], field="id",
                   value=code_id, what="the DELETE's answer: the deleted barcode")
        ctx.verify(shared.listed_as_written, items=shared.items_of(api.get(f"{base}/barcodes"), "barcodes"),
                   field="id", value=code_id, listed=False, what="the barcodes after the DELETE")

        if category is not None:
            assigned = api.post(f"{base}/categories", {"category_id": str(category)})
            ctx.verify(reads_back, response=assigned, keys=("product_categories",), expected={"id": category})
            ctx.verify(shared.listed_as_written, items=item_of(api.get(base), ("product",)).get("categories"),
                       field="id", value=category, what="the product's categories after the assignment")
        ctx.verify(checks.invalid_refused, response=api.post(f"{base}/categories", {"category_id": 99999999}),
                   why="an unknown category", statuses=(400, 404))

        stock = api.post(f"{base}/inventory", {"count_on_hand": 75})
        ctx.verify(reads_back, response=stock, keys=("product_inventory",),
                   expected={"product_id": product, "count_on_hand": 75})
        stock_path = f"{base}/inventory/{id_of(stock, ('product_inventory',))}"
        ctx.verify(envelope_holds, response=api.get(f"{base}/inventory"), keys=("product_inventory",),
                   fields=("id", "product_id", "count_on_hand"), many=True)
        ctx.verify(envelope_holds, response=api.get(stock_path), keys=("product_inventory",),
                   fields=("id", "product_id", "count_on_hand"))
        ctx.verify(checks.change_accepted, response=api.put(stock_path, {"count_on_hand": 22}), what="PUT inventory")
        ctx.verify(reads_back, response=api.get(stock_path), keys=("product_inventory",),
                   expected={"product_id": product, "count_on_hand": 22})
        ctx.verify(checks.change_accepted, response=api.delete(stock_path), what=f"DELETE {stock_path}")
        ctx.verify(gone_after_delete, response=api.get(stock_path))
    finally:
        for path in (base, f"/products/{other}", f"/categories/{category}" if category is not None else None):
            if path:
                api.delete(path)
