"""Jasper's catalog resources, declared (seed 002 "Attributes" … "Templates"): the engine serves them all.

Fields are listed in the order the seed's examples show them, with the default a create fills in.
Behaviour beyond the table lives in small functions beside it (`views.py`, `entity_attributes.py`).
The products (products, webhooks, exports) adds its resources to `RESOURCES` the same way.
"""

from __future__ import annotations

from mock_server.vendors.jasper import views
from mock_server.vendors.jasper.model import CASCADE, PULL, SET_NULL, Ref, Resource, Versioning
from mock_server.vendors.jasper.products_table import PRODUCT_RESOURCES

SEO = {"seo_meta_desc": None, "seo_meta_keywords": None, "seo_meta_title": None, "search_keywords": None}


def asset(name: str, parent: str, parent_field: str, *, sort_order: bool = False) -> Resource:
    """Block, brand, category and page assets: a uri (sent as source_uri, X-16), alt text, a 1/0 thumbnail."""
    fields = {"uri": None, "alttext": None, **({"sort_order": 0} if sort_order else {}), "thumbnail": 0}
    return Resource(name, name[:-1], name, fields, parent=parent, parent_field=parent_field,
                    int_booleans=("thumbnail",), renames={"source_uri": "uri"})


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "attributes", "attribute", "attributes",
        {"name": None, "type": "text", "display_group_id": None, "note": None, "length": None, "sort_order": 0,
         "slug": None, "publish": True, "version_id": 0},
        unique=("name",), refs={"display_group_id": Ref("display_groups", SET_NULL)},
        aliases={"display_group": "display_group_id"}, timestamps=True, slug=("name", "copy"),
        versioning=Versioning(translated=("name", "note")), view=views.attribute,
    ),
    Resource(
        "attribute_type_values", "attribute_type_value", "attribute_type_values",
        {"value": None, "slug": None, "sort_order": 0, "version_id": 0},
        parent="attributes", parent_field="attribute_id", aliases={"name": "value"}, timestamps=True,
        slug=("value", "copy"),
        versioning=Versioning(translated=("value", "slug"), own_ids=True, link_field="master_attribute_type_value_id"),
    ),
    Resource("attribute_sets", "attribute_set", "attribute_sets", {"name": None, "sort_order": 0}, unique=("name",)),
    Resource(
        "attribute_set_attributes", "attribute_set_attribute", "attribute_set_attributes", {"attribute_id": None},
        parent="attribute_sets", parent_field="attribute_set_id", refs={"attribute_id": Ref("attributes")},
        address_by="attribute_id",
    ),
    Resource("blocks", "block", "blocks", {"name": None, "slug": None, "content": None}, slug=("name", "slugify")),
    asset("block_assets", "blocks", "block_id", sort_order=True),
    Resource("brands", "brand", "brands", {"name": None, "desc": None, **SEO}),
    asset("brand_assets", "brands", "brand_id"),
    # A brand's assigned attributes and their values per version (entity_attributes.py serves them).
    Resource(
        "brand_attributes", "brand_attribute", "brand_attributes", {"attribute_id": None, "user_defined_key": "{}"},
        parent="brands", parent_field="brand_id", refs={"attribute_id": Ref("attributes")},
        address_by="attribute_id",
    ),
    Resource(
        "brand_attribute_values", "brand_attribute_value", "brand_attribute_values",
        {"attribute_id": None, "version_id": 0, "value": None},
        parent="brands", parent_field="brand_id", refs={"attribute_id": Ref("attributes")},
    ),
    Resource(
        "categories", "category", "categories",
        {"parent_id": None, "name": None, "desc": None, "attribute_sets": [], "is_visible": True, **SEO},
        refs={"parent_id": Ref("categories", CASCADE, zero_is_null=True),
              "attribute_sets": Ref("attribute_sets", PULL, many=True)},
    ),
    asset("category_assets", "categories", "category_id"),
    Resource(
        "category_channels", "category_channel", "category_channels", {"channel_id": None, "web_id": None},
        parent="categories", parent_field="category_id", refs={"channel_id": Ref("channels")},
        address_by="channel_id",
    ),
    Resource("channels", "channel", "channels",
             {"channel_name": None, "sync": False, "price_base": None, "inventory_location": None}),
    Resource("display_groups", "display_group", "display_groups", {"name": None, "sort_order": 0, "is_visible": True}),
    Resource(
        "generic_entities", "generic_entity", "generic_entities",
        {"name": None, "description": None, "is_tree": 0, "is_product_attribute": 0, "priority": 0, "parent_id": None,
         "publishable": 0, "display_on_navigation": 0, "options": []},
        refs={"parent_id": Ref("generic_entities", SET_NULL)},
        int_booleans=("is_tree", "is_product_attribute", "publishable", "display_on_navigation"), per_page=1000,
    ),
    Resource(
        "concrete_entities", "concrete_entity", "concrete_entities",
        {"name": None, "priority": 0, "parent_id": None, "slug": None},
        parent="generic_entities", parent_field="generic_entity_id",
        refs={"parent_id": Ref("concrete_entities", SET_NULL, same_parent=True)}, slug=("name", "slugify"),
        per_page=1000,
    ),
    Resource("options", "option", "options", {"name": None}),
    # The seed's own envelope names, consistent across every option-value example.
    Resource(
        "option_values", "value_value", "value_values",
        {"value": None, "label": None, "sort_order": 0, "is_default": False},
        parent="options", parent_field="option_id",
    ),
    Resource("option_sets", "option_set", "option_sets", {"name": None}),
    Resource(
        "option_set_options", "option_set_option", "option_set_options", {"option_id": None, "sort_order": 0},
        parent="option_sets", parent_field="option_set_id", refs={"option_id": Ref("options")},
        address_by="option_id",
    ),
    Resource(
        "pages", "page", "pages",
        {"name": None, "slug": None, "content": None, "mobile_body": None, "url": None, "has_mobile_version": False,
         "is_customers_only": False, "is_homepage": False, "is_visible": True, **SEO},
        slug=("name", "slugify"),
    ),
    asset("page_assets", "pages", "page_id"),
    Resource("templates", "template", "templates", {"name": None, "slug": None, "content": None},
             slug=("name", "slugify")),
) + PRODUCT_RESOURCES  # products, their sub-resources, webhooks, exports (products_table.py)

BY_NAME = {r.name: r for r in RESOURCES}
