"""Products: variants and remove-from-parent, with= relations embedding what they name, versions isolated
(J-095, J-098, J-100, J-103, J-107, J-109, J-113, J-116, X-60)."""

from __future__ import annotations

from conformance.checks import jasper_products as checks
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.jasper_products.client import API, VERSION, id_of, jasper_products_api, new_product


@scenario(API, rules=["J-107", "J-109", "J-098", "J-116", "X-60"])
def variants_and_remove_from_parent(ctx: ScenarioContext) -> None:
    """A child needs option_values, is listed under its parent and only with type=all; remove-from-parent detaches
    and unpublishes it."""
    api = jasper_products_api(ctx)
    option, value = api.option_value()
    parent_response = api.create_product("PARENT")
    ctx.require(checks.change_accepted, response=parent_response, what="a parent product")
    parent = id_of(parent_response, ("product",))
    ctx.verify(checks.invalid_refused, response=api.post("/products", {
        "name": "Child", "sku": api.sku("NOOPT"), "parent_id": parent}), why="a child without option_values")
    child_response = api.create_product("CHILD", parent_id=parent,
                                        option_values=[{"option_id": option, "option_value_id": value}])
    ctx.require(checks.change_accepted, response=child_response, what="a child product with option_values")
    child = id_of(child_response, ("product",))
    ctx.note(f"parent {parent}, child {child}")
    ctx.verify(checks.children_listed, parent=api.product(parent), expected=[child])
    sku = api.sku("CHILD")
    ctx.verify(checks.type_filter_applied, child=child,
               parents_only=[i.get("id") for i in api.listed(sku=sku, type="parents")],
               all_types=[i.get("id") for i in api.listed(sku=sku, type="all")])
    ctx.verify(checks.invalid_refused, response=api.get("/products/version/1", type="children"),
               why="type outside all, parents")
    ctx.verify(checks.invalid_refused, response=api.get("/products/version/1", status="on"),
               why="status outside all, enabled, disabled")
    ctx.require(checks.change_accepted, response=api.delete(f"/products/{child}/remove-from-parent"),
                what="remove-from-parent")
    ctx.verify(checks.removed_child_unpublished, child=api.product(child), parent=api.product(parent))


RELATIONS = ("variants", "attributes", "active-prices", "all-prices", "inventory", "related-products", "tags",
             "assets", "categories", "generic-entities")


@scenario(API, rules=["J-100", "J-095"])
def with_relations_embed_what_they_name(ctx: ScenarioContext) -> None:
    """Each with= relation adds its own key holding what it names; without with= the version list has none."""
    api = jasper_products_api(ctx)
    option, value = api.option_value()
    pid = new_product(ctx, api, "WITH")
    child = id_of(api.create_product("WITH-C", parent_id=pid,
                                     option_values=[{"option_id": option, "option_value_id": value}]), ("product",))
    other = id_of(api.create_product("WITH-R"), ("product",))
    price = id_of(api.post(f"/products/{pid}/prices", {"base": "US", "msrp": 10.5}), ("product_price",))
    inventory = id_of(api.post(f"/products/{pid}/inventory", {"count_on_hand": 5}), ("product_inventory",))
    asset = id_of(api.post(f"/products/{pid}/assets", {"image_url": "https://cdn.example/a.png"}), ("product_asset",))
    category = id_of(api.post("/categories", {"name": f"Cat {api.tag}", "parent_id": 0}), ("category",))
    api.post(f"/products/{pid}/categories", {"category_id": category})
    attribute = id_of(api.post("/attributes", {"name": f"Attr {api.tag}", "type": "text"}), ("attribute",))
    api.post(f"/products/{pid}/attributes", {"attribute_id": attribute, "version_id": 0, "values": [{"value": "v"}]})
    kind = id_of(api.post("/product-relation-types", {"name": f"Rel {api.tag}"}), ("product_relation_type",))
    api.post(f"/products/{pid}/relations/{other}/type/{kind}", {})
    tag = f"tag-{api.tag}"
    api.post(f"/products/{pid}/tags", {"product_id": pid, str(VERSION): [tag]})
    ctx.note(f"product {pid}: child {child}, price {price}, inventory {inventory}, asset {asset}, category "
             f"{category}, attribute {attribute}, related {other} (type {kind})")
    contains = {"variants": (child, "id"), "attributes": (attribute, "attribute_id"), "active-prices": (price, "id"),
                "all-prices": (price, "id"), "inventory": (inventory, "id"), "related-products": (other, "id"),
                "tags": (tag, None), "assets": (asset, "id"), "categories": (category, "id"),
                "generic-entities": (None, "id")}
    sku = api.sku("WITH")
    plain = api.listed(sku=sku)
    if not plain:
        ctx.require(checks.change_accepted, response=api.get(f"/products/version/{VERSION}", sku=sku),
                    what="the version list filtered by the product's sku")
        return
    for name in RELATIONS:
        items = api.listed(sku=sku, **{"with": name})
        target, field = contains[name]
        ctx.verify(checks.relation_embedded, plain=plain[0], item=items[0] if items else {}, name=name,
                   contains=target, field=field)
    ctx.verify(checks.invalid_refused, response=api.get(f"/products/version/{VERSION}", **{"with": "everything"}),
               why="an unknown with= relation")


@scenario(API, rules=["J-103", "J-113", "J-115"])
def product_versions_isolated(ctx: ScenarioContext) -> None:
    """Writing version 1 leaves the master alone and vice versa; a PUT to a missing version creates it."""
    api = jasper_products_api(ctx)
    pid = new_product(ctx, api, "VERS")
    master_name = f"VERS {api.tag}"
    ctx.require(checks.change_accepted, response=api.put(f"/products/{pid}/version/{VERSION}", {"name": "Versão"}),
                what="a PUT to a version the product does not have yet")
    ctx.verify(checks.product_version_isolated, master=api.product(pid), version=api.product(pid, VERSION),
               field="name", master_value=master_name, version_value="Versão")
    ctx.require(checks.change_accepted, response=api.put(f"/products/{pid}", {"name": "Master 2"}),
                what="a master update")
    ctx.verify(checks.product_version_isolated, master=api.product(pid), version=api.product(pid, VERSION),
               field="name", master_value="Master 2", version_value="Versão")
    ctx.require(checks.change_accepted, response=api.delete(f"/products/{pid}/version/{VERSION}"),
                what="a version delete")
    ctx.verify(checks.change_accepted, response=api.get(f"/products/{pid}"),
               what="a GET of the master after its version was deleted")
