"""Jasper products over HTTP, in process: products, variants, versions, lists and with=, barcodes, prices."""

from __future__ import annotations

import functools

import pytest

from tests import _jasper_products
from tests._jasper_products import H, call, error
from tests.conftest import advance

app, client = _jasper_products.app, _jasper_products.client  # one fake per module, reset before each test



def make(client, sku, **fields):
    return call(client, "POST", "/products", 201, json={"name": sku.title(), "sku": sku, **fields}).json()["product"]


# --- products ----------------------------------------------------------------------------------------------------
def test_seed_create_and_child_create_examples(client):
    made = make(client, "GREEN1", enabled=1, is_visible=1)
    assert (made["name"], made["sku"], made["enabled"], made["is_visible"]) == ("Green1", "GREEN1", 1, 1)
    parent = make(client, "TEE-P", option_set_id=1)
    child = call(client, "POST", "/products", 201, json={
        "name": "T-Shirt", "sku": "TEE-C1", "enabled": 1, "is_visible": 1, "parent_id": parent["id"],
        "option_values": [{"option_id": 1, "option_value_id": 2}]}).json()["product"]
    assert child["parent_id"] == parent["id"]
    for key, value in {"is_bundle": 0, "featured": 0, "shipping_weight": "0.00", "shipping_override": "inherit",
                       "special_order": 0}.items():
        assert child[key] == value
    for key in ("generic_entities", "product_attributes", "related_products", "categories", "channels", "barcodes",
                "prices", "inventory", "children"):
        assert child[key] == [], key
    shown = call(client, "GET", f"/products/{parent['id']}", 200).json()["product"]
    assert [c["id"] for c in shown["children"]] == [child["id"]]


def test_a_parent_id_of_zero_is_none_and_the_list_defaults_are_the_declarations(client):
    """`parent_id: 0` is "no parent" by the declared reference (zero_is_null); the list without a query uses the
    declared defaults (parents only, 25 a page, page 1)."""
    from mock_server.vendors.jasper.resources import LIST_DEFAULTS

    made = make(client, "ZERO-P", parent_id=0)
    assert made["parent_id"] is None
    assert call(client, "PUT", f"/products/{made['id']}", 200, json={"parent_id": 0}).json()["product"][
        "parent_id"] is None
    child = make(client, "ZERO-C", parent_id=made["id"], option_values=[{"option_id": 1, "option_value_id": 2}])
    listed = call(client, "GET", "/products", 200).json()
    assert (LIST_DEFAULTS["type"], LIST_DEFAULTS["limit"]) == ("parents", listed["meta"]["per_page"]) == (
        "parents", 25)
    assert listed["meta"]["current_page"] == LIST_DEFAULTS["page"] == 1
    every = call(client, "GET", "/products", 200, params={"limit": 1000}).json()["products"]
    assert made["id"] in {p["id"] for p in every} and child["id"] not in {p["id"] for p in every}


def test_sku_unique_lookup_and_delete(client):
    made = make(client, "U-1")
    assert error(call(client, "POST", "/products", json={"name": "x", "sku": "U-1"})) == \
        "The sku has already been taken."
    assert call(client, "GET", "/products/sku/U-1", 200).json()["product"]["id"] == made["id"]
    error(call(client, "GET", "/products/sku/NOPE"), 404)
    call(client, "DELETE", f"/products/{made['id']}", 200)
    error(call(client, "GET", f"/products/{made['id']}"), 404)
    error(call(client, "GET", "/products/sku/U-1"), 404)
    make(client, "U-1")  # the sku is free again


def test_variant_rules(client):
    parent = make(client, "VP", option_set_id=1)
    loose = make(client, "VL")
    # no option_values, unknown option value, value of another option, parent missing, option outside the set
    error(call(client, "POST", "/products", json={"name": "c", "sku": "C1", "parent_id": parent["id"]}))
    error(call(client, "POST", "/products", json={"name": "c", "sku": "C1", "parent_id": parent["id"],
                                                  "option_values": [{"option_id": 1, "option_value_id": 99}]}))
    error(call(client, "POST", "/products", json={"name": "c", "sku": "C1", "parent_id": parent["id"],
                                                  "option_values": [{"option_id": 2, "option_value_id": 2}]}))
    error(call(client, "POST", "/products", json={"name": "c", "sku": "C1", "parent_id": 9999,
                                                  "option_values": [{"option_id": 1, "option_value_id": 2}]}))
    call(client, "POST", "/option_sets/2/options", 201, json={"option_id": 2})
    call(client, "DELETE", "/option_sets/2/options/1", 200)  # the fixture set 2 holds option 1 (the seed's delete)
    call(client, "POST", "/options/2/values", 201, json={"value": "Red"})
    restricted = make(client, "VR", option_set_id=2)
    error(call(client, "POST", "/products", json={"name": "c", "sku": "C1", "parent_id": restricted["id"],
                                                  "option_values": [{"option_id": 1, "option_value_id": 2}]}))
    child = make(client, "C1", parent_id=parent["id"], option_values=[{"option_id": 1, "option_value_id": 2}])
    # a product made its own parent; a variant of a variant; a parent made a child
    error(call(client, "PUT", f"/products/{loose['id']}", json={
        "parent_id": loose["id"], "option_values": [{"option_id": 1, "option_value_id": 2}]}))
    error(call(client, "POST", "/products", json={"name": "g", "sku": "G1", "parent_id": child["id"],
                                                  "option_values": [{"option_id": 1, "option_value_id": 2}]}))
    error(call(client, "PUT", f"/products/{parent['id']}", json={
        "parent_id": loose["id"], "option_values": [{"option_id": 1, "option_value_id": 2}]}))
    # a parent without an option set takes any option's value
    free = make(client, "C2", parent_id=loose["id"], option_values=[{"option_id": 1, "option_value_id": 2}])
    assert free["parent_id"] == loose["id"]


def test_remove_from_parent_detaches_and_unpublishes(client):
    parent = make(client, "RP")
    child = make(client, "RC", parent_id=parent["id"], option_values=[{"option_id": 1, "option_value_id": 2}])
    assert call(client, "GET", "/products?sku=RC&type=all").json()["products"][0]["parent_id"] == parent["id"]
    done = call(client, "DELETE", f"/products/{child['id']}/remove-from-parent", 200).json()["product"]
    assert (done["parent_id"], done["enabled"], done["is_visible"]) == (None, 0, 0)
    assert call(client, "GET", f"/products/{parent['id']}").json()["product"]["children"] == []
    # now a parent product itself: listed among parents; removing again is 400, and a missing product 404
    assert [p["sku"] for p in call(client, "GET", "/products?sku=RC").json()["products"]] == ["RC"]
    error(call(client, "DELETE", f"/products/{child['id']}/remove-from-parent"))
    error(call(client, "DELETE", "/products/99999/remove-from-parent"), 404)


def test_deleting_a_parent_deletes_its_variants(client):
    parent = make(client, "DP")
    child = make(client, "DC", parent_id=parent["id"], option_values=[{"option_id": 1, "option_value_id": 2}])
    call(client, "DELETE", f"/products/{parent['id']}", 200)
    error(call(client, "GET", f"/products/{child['id']}"), 404)


def test_put_is_partial_and_read_only_arrays_are_kept(client):
    call(client, "PUT", "/products/2", 200, json={"name": "Bluish T-Shirt", "sku": "BLUE1",
                                                  "product_url": "bluish-tshirt", "prices": [{"msrp": 1}],
                                                  "children": [{"id": 1}], "inventory": []})
    got = call(client, "GET", "/products/2").json()["product"]
    assert (got["name"], got["sku"], got["product_url"], got["enabled"], got["is_visible"]) == (
        "Bluish T-Shirt", "BLUE1", "bluish-tshirt", 1, 1)
    assert [p["msrp"] for p in got["prices"]] == [254.0]
    assert got["children"] == [] and [i["count_on_hand"] for i in got["inventory"]] == [52]


def test_versions_are_isolated_and_put_creates_a_missing_version(client):
    assert call(client, "GET", "/products/2/version/2").json()["product"]["name"] == "T-shirt bleu"
    # product 1 has no version-2 row: PUT creates it
    assert call(client, "GET", "/products/1/version/2").json()["product"]["name"] == "Red T-Shirt"
    call(client, "PUT", "/products/1/version/2", 200, json={"name": "T-shirt rouge", "sku": "ROUGE-1"})
    assert call(client, "GET", "/products/1/version/2").json()["product"]["name"] == "T-shirt rouge"
    assert call(client, "GET", "/products/1").json()["product"]["name"] == "Red T-Shirt"
    call(client, "PUT", "/products/1", 200, json={"name": "Crimson T-Shirt"})
    assert call(client, "GET", "/products/1/version/2").json()["product"]["name"] == "T-shirt rouge"
    assert call(client, "GET", "/products/1/version/1").json()["product"]["name"] == "Tshirt Rouge"
    error(call(client, "PUT", "/products/1/version/9", json={"name": "x"}), 404)
    call(client, "DELETE", "/products/1/version/2", 200)
    assert call(client, "GET", "/products/1/version/2").json()["product"]["name"] == "Crimson T-Shirt"
    call(client, "GET", "/products/1", 200)
    listed = call(client, "GET", "/products/version/1?sku=ts-rouge1").json()["products"]
    assert [p["id"] for p in listed] == [1]


# --- lists -------------------------------------------------------------------------------------------------------
def test_list_pagination_defaults_and_links(client):
    for i in range(30):
        make(client, f"P{i:02d}")
    body = call(client, "GET", "/products", 200).json()
    parents = 5 + 30  # fixtures: 1, 2, 3, 5, 680 are parents, 4 and 123 variants (of 3 and 5)
    assert len(body["products"]) == 25 and body["meta"]["per_page"] == 25 and body["meta"]["total"] == parents
    assert body["links"]["prev"] is None and body["links"]["next"].endswith("page=2")
    page2 = call(client, "GET", "/products?page=2&limit=10").json()
    assert [p["id"] for p in page2["products"]] == [p["id"] for p in
                                                    call(client, "GET", "/products?limit=40").json()["products"]][10:20]
    assert (page2["meta"]["current_page"], page2["meta"]["from"], page2["meta"]["to"]) == (2, 11, 20)
    assert page2["links"]["next"].endswith("limit=10&page=3")
    seen = []
    for page in range(1, 5):
        seen += [p["id"] for p in call(client, "GET", f"/products?limit=10&page={page}").json()["products"]]
    assert len(seen) == len(set(seen)) == parents
    past = call(client, "GET", "/products?page=99").json()
    assert past["products"] == [] and past["meta"]["from"] is None
    version = call(client, "GET", "/products/version/1").json()
    assert version["links"]["first"].endswith("/products/version/1?limit=25&page=1")
    for bad in ("limit=0", "limit=1001", "page=0", "limit=x"):
        error(call(client, "GET", f"/products?{bad}"))


def test_type_and_status_filters(client):
    call(client, "PUT", "/products/2", 200, json={"enabled": 0})
    ids = lambda q: [p["id"] for p in call(client, "GET", f"/products/version/0?{q}", 200).json()["products"]]  # noqa
    assert ids("") == [1, 2, 3, 5, 680]
    assert ids("type=all") == [1, 2, 3, 4, 5, 123, 680]
    assert ids("status=enabled") == [1, 3, 5, 680]
    assert ids("status=disabled") == [2]
    assert ids("type=all&status=enabled") == [1, 3, 4, 5, 123, 680]
    call(client, "PUT", "/products/4", 200, json={"enabled": False})
    assert ids("type=all&status=disabled") == [2, 4]
    assert ids("sku=RED1") == [1] and ids("sku=NOPE") == [] and ids("sku=TSHIRT-NO") == []
    assert ids("sku=TSHIRT-NO&type=all") == [4]
    for bad in ("type=children", "status=on", "with=everything", "with=variants,,x"):
        error(call(client, "GET", f"/products?{bad}"))


WITH_KEYS = {"variants": "variants", "attributes": "attributes", "active-prices": "active_prices",
             "all-prices": "all_prices", "inventory": "inventory", "generic-entities": "generic_entities",
             "related-products": "related_products", "tags": "tags", "assets": "assets", "categories": "categories"}


@pytest.mark.parametrize("name", sorted(WITH_KEYS))
def test_with_embeds_exactly_what_it_names(client, name):
    plain = call(client, "GET", "/products/version/0?sku=RED1", 200).json()["products"][0]
    assert not set(WITH_KEYS.values()) & set(plain)
    item = call(client, "GET", f"/products/version/0?sku=RED1&with={name}", 200).json()["products"][0]
    assert set(item) - set(plain) == {WITH_KEYS[name]}
    value = item[WITH_KEYS[name]]
    expected_nonempty = {"attributes", "active-prices", "all-prices", "inventory", "generic-entities",
                         "related-products", "tags", "assets", "categories"}
    if name in expected_nonempty:
        assert value, f"{name} embedded nothing"
    if name == "tags":
        assert value == ["tag_1", "tag_2", "tag_3"]
    if name == "categories":
        assert [c["id"] for c in value] == [2]
    if name == "related-products":
        assert [p["id"] for p in value] == [2, 5]


def test_with_variants_and_their_relations(client):
    call(client, "POST", "/products/4/prices", 201, json={"base": "US", "msrp": 9.5})
    item = call(client, "GET", "/products?sku=TSHIRT&with=variants", 200).json()["products"][0]
    assert [v["id"] for v in item["variants"]] == [4] and "prices" not in item["variants"][0]
    item = call(client, "GET", "/products?sku=TSHIRT&with=variants-prices,variants-inventory").json()["products"][0]
    variant = item["variants"][0]
    assert [p["msrp"] for p in variant["prices"]] == [9.5] and variant["inventory"] == [] and \
        "attributes" not in variant
    # in a version, variants show that version's translations
    call(client, "PUT", "/products/4/version/1", 200, json={"name": "Camiseta Não"})
    item = call(client, "GET", "/products/version/1?sku=TSHIRT&with=variants").json()["products"][0]
    assert item["variants"][0]["name"] == "Camiseta Não"


def test_default_list_embeds_the_documented_relations(client):
    item = call(client, "GET", "/products?sku=RED1", 200).json()["products"][0]
    for key in ("attributes", "categories", "channels", "children", "assets"):
        assert key in item, key
    assert item["attributes"][0]["attribute_id"] == 1


# --- barcodes ----------------------------------------------------------------------------------------------------
GOOD = {"UPC-A": "123456789000", "ITF-14": "01234567891234", "GTIN-13": "1234567890123", "EAN": "4006381333931",
        "Custom": "0000444498765321"}


def test_barcode_length_rules(client):
    for kind, code in GOOD.items():
        made = call(client, "POST", "/products/2/barcodes", 201, json={"type": kind, "barcode": code}).json()
        assert (made["product_id"], made["type"], made["barcode"]) == (2, kind, code)
        assert "barcode" not in made or isinstance(made["barcode"], str)
    call(client, "POST", "/products/2/barcodes", 201, json={"type": "Custom", "barcode": "1"})
    bad = [("UPC-A", "12345678900"), ("UPC-A", "1234567890001"), ("UPC-A", "12345678900A"),
           ("ITF-14", "0123456789123"), ("GTIN-13", "123456789012"), ("GTIN-13", "12345678901234"),
           ("EAN", "123456789012"), ("Custom", "AB12"), ("Custom", ""), ("ISBN", "1234567890"),
           ("UPC-A", 123456789000), ("EAN", "１２３４５６７８９０１２３")]
    for kind, code in bad:
        error(call(client, "POST", "/products/2/barcodes", json={"type": kind, "barcode": code}))
    assert len(call(client, "GET", "/products/2/barcodes").json()["barcodes"]) == 6


def test_barcode_update_and_delete_are_bare_and_scoped(client):
    before = call(client, "GET", "/products/1/barcodes").json()["barcodes"][0]
    advance(client, 60)
    updated = call(client, "PUT", "/products/1/barcodes/1", 200,
                   json={"type": "UPC-A", "barcode": "123456789123"}).json()
    assert updated["barcode"] == "123456789123" and updated["created_at"] == before["created_at"]
    assert updated["updated_at"] > before["updated_at"]
    error(call(client, "PUT", "/products/1/barcodes/1", json={"barcode": "1234"}))
    error(call(client, "PUT", "/products/1/barcodes/1", json=UPSERT))  # the seed's curl path for the upsert
    error(call(client, "PUT", "/products/1/barcodes/1", json={"type": "ITF-14"}))  # 12 digits stay: too short
    error(call(client, "PUT", "/products/2/barcodes/1", json={"type": "UPC-A", "barcode": "123456789123"}), 404)
    error(call(client, "DELETE", "/products/2/barcodes/1"), 404)
    gone = call(client, "DELETE", "/products/1/barcodes/1", 200).json()
    assert gone["id"] == 1 and gone["barcode"] == "123456789123"
    assert [b["id"] for b in call(client, "GET", "/products/1/barcodes").json()["barcodes"]] == [2]


UPSERT = {"barcodes": [{"type": "UPC-A", "barcode": "123456789123"}, {"type": "Custom", "barcode": "0000444498765321"}]}


def test_upsert_with_delete_keeps_only_the_payload(client):
    body = call(client, "PUT", "/products/1/barcodes/upsert", 200, json=UPSERT).json()
    assert [(b["id"], b["type"], b["barcode"]) for b in body["barcodes"]] == [
        (1, "UPC-A", "123456789123"), (3, "Custom", "0000444498765321")]
    assert call(client, "GET", "/products/1/barcodes").json() == body


def test_upsert_without_delete_keeps_the_others(client):
    body = call(client, "POST", "/products/1/barcodes/upsert", 200, json=UPSERT).json()
    assert [(b["id"], b["type"], b["barcode"]) for b in body["barcodes"]] == [
        (1, "UPC-A", "123456789123"), (2, "ITF-14", "01234567891234"), (3, "Custom", "0000444498765321")]


def test_upsert_checks_every_item_before_writing(client):
    bad = {"barcodes": [{"type": "Custom", "barcode": "77"}, {"type": "UPC-A", "barcode": "12345678901"}]}
    for method in ("PUT", "POST"):
        error(call(client, method, "/products/1/barcodes/upsert", json=bad))
    assert len(call(client, "GET", "/products/1/barcodes").json()["barcodes"]) == 2
    error(call(client, "PUT", "/products/1/barcodes/upsert", json={"barcodes": [{"id": 99, "type": "EAN",
                                                                                 "barcode": GOOD["EAN"]}]}))
    error(call(client, "PUT", "/products/1/barcodes/upsert", json={"barcodes": "x"}))
    error(call(client, "PUT", "/products/999/barcodes/upsert", json=UPSERT), 404)
    # an empty PUT upsert leaves no barcode; by id matches across types
    body = call(client, "POST", "/products/1/barcodes/upsert", 200, json={"barcodes": [
        {"id": 2, "type": "EAN", "barcode": GOOD["EAN"]}]}).json()
    assert (body["barcodes"][1]["id"], body["barcodes"][1]["type"]) == (2, "EAN")
    assert call(client, "PUT", "/products/1/barcodes/upsert", 200, json={"barcodes": []}).json() == {"barcodes": []}


@pytest.mark.parametrize("query, words", [
    ({"type": "variants"}, "'variants' is not one of ['all', 'parents']"),
    ({"status": "archived"}, "'archived' is not one of ['all', 'enabled', 'disabled']"),
    ({"limit": 1001}, "1001 is greater than the maximum of 1000"),
    ({"with": "assets,bogus"}, "'assets,bogus' does not match"),  # the pattern made from products.WITH
])
def test_the_spec_refuses_list_filters_before_the_handler(client, query, words):
    """The list's enums and its limit are the spec's alone: Connexion's words, the vendor's envelope."""
    for path in ("/products", "/products/version/1"):
        assert words in error(call(client, "GET", path, params=query))


@functools.cache
def _spec_components() -> dict:
    import yaml

    from mock_server.resources import spec_file

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(spec_file("jasper").read_text(encoding="utf-8"), Loader=loader)["components"]


def _spec_refuses(name: str, body: object) -> bool:
    """Whether a request schema of the committed spec (its $refs resolved in place) refuses `body`."""
    import jsonschema

    components = _spec_components()
    return not jsonschema.Draft4Validator({**components["schemas"][name], "components": components}).is_valid(body)


@pytest.mark.parametrize("path, schema, body", [
    ("/products/2/barcodes", "ProductBarcodeCreate", {"type": "EAN", "barcode": "123456789012"}),
    ("/products/2/barcodes/upsert", "ProductBarcodeUpsert", {"barcodes": [{"type": "UPC-A", "barcode": "1"}]}),
    ("/products/2/prices", "ProductPriceCreate", {"base": "US"}),
])
def test_the_spec_refuses_digits_and_amounts_before_the_handler(client, path, schema, body):
    """No handler checks a create's barcode digits, an upsert item's or a price's amounts: the spec refuses them
    (its schema, read from openapi/jasper.yaml, says no) and the fake answers the vendor's 400, writing nothing."""
    assert _spec_refuses(schema, body)
    before = call(client, "GET", path.removesuffix("/upsert"), 200).json()
    error(call(client, "POST", path, json=body))
    assert call(client, "GET", path.removesuffix("/upsert"), 200).json() == before


# --- prices ------------------------------------------------------------------------------------------------------
def test_price_rules(client):
    error(call(client, "POST", "/products/2/prices", json={"msrp": 75.99}))
    error(call(client, "POST", "/products/2/prices", json={"base": "US"}))
    error(call(client, "POST", "/products/2/prices", json={"base": "US", "msrp": "x"}))
    error(call(client, "POST", "/products/2/prices", json={"base": "US", "msrp": 1, "from": "yesterday"}))
    error(call(client, "POST", "/products/2/prices", json={"base": "US", "msrp": 1, "from": "2024-03-02",
                                                           "to": "2024-03-01"}))
    made = call(client, "POST", "/products/2/prices", 201, json={"base": "US", "map": 5}).json()["product_price"]
    assert (made["product_id"], made["map"], made["base"]) == (2, 5, "US")
    assert call(client, "GET", f"/products/2/prices/{made['id']}", 200).json()["product_price"]["map"] == 5
    error(call(client, "DELETE", f"/products/2/prices/{made['id']}"), 404)
    error(call(client, "PUT", f"/products/2/prices/{made['id']}", json={"map": 6}), 404)
    assert call(client, "GET", f"/products/2/prices/{made['id']}", 200).json()["product_price"]["map"] == 5
    error(call(client, "GET", f"/products/1/prices/{made['id']}"), 404)


def test_active_prices_follow_the_virtual_clock(client):
    # the fake starts at 2024-03-15T09:00:00Z
    windows = {"past": ("2024-01-01", "2024-03-01"), "now": ("2024-03-15T08:00:00Z", "2024-03-16T00:00:00+00:00"),
               "future": ("2024-03-20T00:00:00", None), "open": (None, None)}
    ids = {}
    for name, (start, end) in windows.items():
        ids[name] = call(client, "POST", "/products/2/prices", 201, json={
            "base": "US", "sell_price": 1.0, "from": start, "to": end}).json()["product_price"]["id"]

    def active():
        item = call(client, "GET", "/products/version/0?sku=TSHIRT-BLUE-2&with=active-prices,all-prices").json()
        product = item["products"][0]
        assert len(product["all_prices"]) == 5
        direct = {p["id"] for p in call(client, "GET", "/products/2/prices/active").json()["product_prices"]}
        embedded = {p["id"] for p in product["active_prices"]}
        assert direct == embedded
        return embedded

    assert active() == {1, ids["now"], ids["open"]}  # fixture price 1 is product 2's (JS-D21)
    advance(client, 86400 * 6)  # 2024-03-21
    assert active() == {1, ids["future"], ids["open"]}


# --- bad input never 500s ------------------------------------------------------------------------------------------
def test_bad_product_input_gets_the_error_body(client):
    for body in ({"name": "x"}, {"sku": "x"}, {"name": "x", "sku": "y", "enabled": "yes"},
                 {"name": "x", "sku": "y", "option_values": "a"}, {"name": "x", "sku": "y", "brand_id": 99},
                 {"name": "x", "sku": "y", "category_ids": [99]}, {"name": "x", "sku": "y", "parent_id": "one"}):
        error(call(client, "POST", "/products", json=body))
    error(call(client, "POST", "/products", content=b'{"name":', headers={**H, "Content-Type": "application/json"}))
    error(call(client, "GET", "/products/abc"), 404)
    error(call(client, "GET", "/products/999"), 404)
    error(call(client, "GET", "/products", headers={}), 401)
    error(call(client, "POST", "/products", json={"name": "x", "sku": "y"},
               headers={"Authorization": "Bearer jasper-read-only-token"}), 403)
