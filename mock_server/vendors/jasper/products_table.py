"""Jasper's product resources, declared for the same engine (seed 002 "Products" … "Product Tags", "Exports",
"Webhooks"). `table.py` appends `PRODUCT_RESOURCES` to its own tuple; the rules the table cannot say are in
`products.py`, `barcodes.py`, `prices.py`, `webhooks.py` and `exports.py`.
"""

from __future__ import annotations

from mock_server.vendors.jasper import webhook_export_views
from mock_server.vendors.jasper.model import CASCADE, PULL, SET_NULL, Ref, Resource, Versioning

# Product fields in the order the seed's examples show them; the defaults are the child-create example's (J-108).
PRODUCT_FIELDS: dict[str, object] = {
    "name": None, "sku": None, "product_url": None, "page_title": None, "style_id": None, "brand_id": None,
    "parent_id": None, "option_set_id": None, "option_values": [], "is_bundle": 0, "bundle_id": None,
    "category_ids": [], "concrete_entity_ids": [], "enabled": 1, "is_visible": 1, "featured": 0,
    "shipping_weight": "0.00", "shipping_override": "inherit", "special_order": 0, "desc_short": None,
    "desc_long": None,
}
# What a product version translates (the version examples change name, sku, product_url, page_title: JS2-D03).
PRODUCT_TRANSLATED = ("name", "sku", "product_url", "page_title", "desc_short", "desc_long")

PRODUCT_RESOURCES: tuple[Resource, ...] = (
    Resource(
        "products", "product", "products", PRODUCT_FIELDS, unique=("sku",),
        refs={"brand_id": Ref("brands", SET_NULL), "parent_id": Ref("products", CASCADE),
              "option_set_id": Ref("option_sets", SET_NULL), "bundle_id": Ref("products", SET_NULL),
              "category_ids": Ref("categories", PULL, many=True),
              "concrete_entity_ids": Ref("concrete_entities", PULL, many=True)},
        int_booleans=("is_bundle", "enabled", "is_visible", "featured", "special_order"), timestamps=True,
        versioning=Versioning(translated=PRODUCT_TRANSLATED), per_page=25,
        max_limit=1000,  # the seed gives no maximum: the fake's (JS2-D02)
    ),
    Resource(
        "product_assets", "product_asset", "product_assets",
        {"uri": None, "sort_order": 0, "private": 0, "alttext": None, "name": None, "desc": None, "type": None,
         "thumbnail": 0},
        parent="products", parent_field="product_id", int_booleans=("thumbnail", "private"),
        renames={"image_url": "uri", "source_uri": "uri"},
    ),
    Resource("product_barcodes", "barcode", "barcodes", {"type": None, "barcode": None},
             parent="products", parent_field="product_id", timestamps=True),
    Resource(
        "product_prices", "product_price", "product_prices",
        {"msrp": None, "map": None, "cost": None, "sell_price": None, "from": None, "to": None, "currency_id": None,
         "tax_class_id": None, "author": None, "booktype": None, "batch_id": None, "sell_price_reason": None,
         "base": None},
        parent="products", parent_field="product_id", timestamps=True,
    ),
    Resource(
        "product_inventory", "product_inventory", "product_inventory",
        {"site": None, "bin": None, "location": None, "type": None, "count_on_hand": 0, "count_on_hold": 0,
         "source": None, "batch_id": None},
        parent="products", parent_field="product_id",
    ),
    Resource(
        "product_attributes", "product_attribute", "product_attributes",
        {"attribute_id": None, "user_defined_key": "{}"},
        parent="products", parent_field="product_id", refs={"attribute_id": Ref("attributes")},
        address_by="attribute_id",
    ),
    Resource(
        "product_attribute_values", "product_attribute_value", "product_attribute_values",
        {"attribute_id": None, "version_id": 0, "value": None},
        parent="products", parent_field="product_id", refs={"attribute_id": Ref("attributes")},
    ),
    Resource(
        "product_channels", "product_channel", "product_channels", {"channel_id": None, "web_id": None},
        parent="products", parent_field="product_id", refs={"channel_id": Ref("channels")}, address_by="channel_id",
    ),
    Resource(
        "product_relation_types", "product_relation_type", "product_relation_types",
        {"name": None, "description": None, "child_label": None, "parent_label": None,
         "relationship_cardinality": "many-to-many", "label": None, "deleted_at": None},
        timestamps=True,
    ),
    Resource(
        "product_relations", "product_relation", "product_relations",
        {"related_product_id": None, "relation_type_id": None},
        parent="products", parent_field="product_id",
        refs={"related_product_id": Ref("products"), "relation_type_id": Ref("product_relation_types")},
    ),
    Resource(
        "product_relation_attribute_values", "product_relation_attribute_value", "product_relation_attribute_values",
        {"entity_id": None, "attribute_id": None, "value": None},
        # Nested two deep (product → relation → values): the relation is a reference, not the engine's parent,
        # so the relation's own lookups (relations.require) stand for the parent check.
        parent_field="relation_id", refs={"attribute_id": Ref("attributes"), "relation_id": Ref("product_relations")},
        address_by="attribute_id", timestamps=True,
    ),
    Resource("product_tags", "product_tag", "product_tags", {"version_id": 0, "tags": []},
             parent="products", parent_field="product_id", address_by="version_id"),
    Resource(
        "webhooks", "webhooks", "webhooks",
        {"created_by": None, "updated_by": None, "status": "enabled", "name": None, "callback_url": None,
         "entity_type": "product", "include_entity_data": 1, "signing_secret": None, "headers": None,
         "connection_timeout": 3, "retry_policy": "linear", "minimum_retry_interval": 60, "retry_limit": 3,
         "channel_id": None, "event_type": None},
        refs={"channel_id": Ref("channels", SET_NULL)}, timestamps=True, view=webhook_export_views.webhook,
    ),
    Resource("exports", "export", "exports",
             {"profile_id": None, "status": "queued", "filename": None, "file_url": None},
             timestamps=True, view=webhook_export_views.export),
)
