"""createProduct / editProduct in process: typed values, dictionaries, statuses, read-only attributes,
uniqueness, variation bookkeeping and the history every write records."""

from __future__ import annotations

import pytest
from _pims import create, edit, error, get_list, history, ok, product, skus
from conftest import advance

# 2024-03-15T09:00:00Z, the manual clock's start (config.MANUAL_CLOCK_START)
START = 1710493200


def write_error(client, attributes: dict, status: int = 400, sku: str = "IMP-1001") -> str:
    return error(client, {"action": "editProduct", "sku": sku, "data": {"attributes": attributes}}, status)


# --- values -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("attributes", "stored"), [
    ({"price": "100.00"}, {"price": "100.00"}),
    ({"price": 110.5}, {"price": "110.5"}),
    ({"price": 7}, {"price": "7"}),
    ({"price": " 3.25 "}, {"price": "3.25"}),
    ({"stock": 12.0}, {"stock": "12"}),
    ({"stock": "-4"}, {"stock": "-4"}),
    ({"title": 42}, {"title": "42"}),
    ({"title": None}, {"title": None}),
    ({"price": ""}, {"price": None}),
    ({"brand": "Umbrella"}, {"brand": "Umbrella"}),
    ({"brand": None}, {"brand": None}),
    ({"thumbnail": "/media/a.png"}, {"thumbnail": "/media/a.png"}),
    ({"categories": [5, "Fishing>Reels", "fishing > reels"]},
     {"categories": ["Fishing > Rods > Telescopic", "Fishing > Reels"]}),
    ({"categories": "Accessories"}, {"categories": ["Accessories"]}),
    ({"categories": []}, {"categories": []}),
    ({"tags": ["a", "b", "a", ""]}, {"tags": ["a", "b"]}),
    ({"ean": "12345678"}, {"ean": "12345678"}),
    ({"status": "inactive"}, {"status": "inactive"}),
])
def test_values_are_stored_as_text_of_their_type(client, attributes, stored):
    after = edit(client, "IMP-1001", **attributes)["data"]["attributes"]
    assert {k: after[k] for k in stored} == stored
    assert {k: product(client, "IMP-1001")[k] for k in stored} == stored


@pytest.mark.parametrize(("attributes", "message"), [
    ({"price": "abc"}, "Value of attribute 'price' should be a number!"),
    ({"price": "1e5"}, "Value of attribute 'price' should be a number!"),
    ({"price": True}, "Value of attribute 'price' should be a number!"),
    ({"price": [1]}, "Value of attribute 'price' should be a number!"),
    ({"price": {"amount": 1}}, "Value of attribute 'price' should be a number!"),
    ({"stock": "1.5"}, "Value of attribute 'stock' should be a whole number!"),
    ({"stock": 2.5}, "Value of attribute 'stock' should be a whole number!"),
    ({"title": ["a"]}, "Value of attribute 'title' should be a text!"),
    ({"title": "x" * 256}, "Value of attribute 'title' is too long: at most 255 characters!"),
    ({"thumbnail": "not a url"}, "Value of attribute 'thumbnail' should be a URL (http://, https:// or a /path)!"),
    ({"brand": "Nike"}, "Value 'Nike' of attribute 'brand' is not in its dictionary! Allowed values: Acme, Globex, "
                        "Initech, Umbrella."),
    ({"brand": "acme"}, "Value 'acme' of attribute 'brand' is not in its dictionary! Allowed values: Acme, Globex, "
                        "Initech, Umbrella."),
    ({"rod_diameter": "3 in"}, "Value '3 in' of attribute 'rod_diameter' is not in its dictionary! Allowed values: "
                               "1.66 in (4.22 cm), 2.375 in (6.03 cm), 2.625 in (6.67 cm), 2.875 in (7.3 cm), "
                               "3.5 in (8.89 cm)."),
    ({"status": "archived"}, "Status can only take the following values: active, inactive, deleted!"),
    ({"status": None}, "Status can only take the following values: active, inactive, deleted!"),
    ({"status": "Deleted"}, "Status can only take the following values: active, inactive, deleted!"),
    ({"ean": "12AB"}, "Value '12AB' of attribute 'ean' does not match its validation rule ^[0-9]{8,14}$!"),
    ({"categories": ["Nowhere"]}, "Category 'Nowhere' does not exist!"),
    ({"categories": [99]}, "Category '99' does not exist!"),
    ({"variation_skus": ["X"]}, "Attribute 'variation_skus' is read only!"),
    ({"variation_skus": []}, "Attribute 'variation_skus' is read only!"),
    ({"variation_matrix": {}}, "Attribute 'variation_matrix' is read only!"),
    ({"sku": "OTHER"}, "Attribute 'sku' cannot change the SKU of a product!"),
    ({"variation_attributes": ["nope"]}, "'nope' cannot be a variation attribute: no such attribute!"),
    ({"variation_attributes": ["tags"]}, "'tags' cannot be a variation attribute: it is a Collection!"),
    ({"variation_attributes": ["sku"]}, "'sku' cannot be a variation attribute: it identifies the product!"),
])
def test_values_of_the_wrong_type_are_refused_and_nothing_changes(client, attributes, message):
    before = product(client, "IMP-1001")
    assert write_error(client, {"title": "changed", **attributes}) == message
    assert product(client, "IMP-1001") == before
    assert history(client, "IMP-1001")["total_count"] == 0


def test_the_sku_may_be_repeated_in_the_attributes(client):
    body = ok(client, {"action": "editProduct", "sku": "IMP-1001",
                       "data": {"attributes": {"sku": " IMP-1001", "title": "same"}}})
    assert body["data"]["attributes"]["title"] == "same"


def test_unique_attributes_refuse_a_value_another_product_has(client):
    assert write_error(client, {"ean": "4006381333931"}, status=409, sku="IMP-1002") == \
        "Value '4006381333931' of attribute 'ean' is already used by product 'IMP-1001'!"
    edit(client, "IMP-1001", ean="4006381333931")  # its own value again: fine
    edit(client, "IMP-1001", ean=None)
    edit(client, "IMP-1002", ean="4006381333931")  # free once released


def test_create_with_a_status_and_without(client):
    assert create(client, "S-1")["data"]["attributes"]["status"] == "active"
    assert create(client, "S-2", status="deleted")["data"]["attributes"]["status"] == "deleted"
    assert "S-2" not in skus(get_list(client)) and "S-1" in skus(get_list(client))


# --- variations -----------------------------------------------------------------------------------------
def test_creating_and_reparenting_variations_keeps_the_parents_in_step(client):
    create(client, "Part-number03", variation_of="Part-number00", rod_diameter="3.5 in (8.89 cm)")
    parent = product(client, "Part-number00")
    assert parent["variation_skus"] == ["Part-number01", "Part-number02", "Part-number03"]
    assert parent["variation_matrix"]["Part-number03"] == {"rod_diameter": ["3.5 in (8.89 cm)"]}
    assert list(parent["variation_matrix"])[-1] == "Part-number00"

    create(client, "KIT-0")
    edit(client, "KIT-0", variation_attributes=["rod_diameter", "price"])
    edit(client, "Part-number01", variation_of="KIT-0")
    assert product(client, "Part-number00")["variation_skus"] == ["Part-number02", "Part-number03"]
    kit = product(client, "KIT-0")
    assert kit["variation_skus"] == ["Part-number01"]
    assert kit["variation_matrix"] == {"Part-number01": {"rod_diameter": ["1.66 in (4.22 cm)"], "price": ["100.00"]},
                                       "KIT-0": {"rod_diameter": [], "price": []}}
    child = product(client, "Part-number01")
    assert child["variation_of"] == "KIT-0" and child["variation_attributes"] == ["rod_diameter", "price"]
    assert child["variation_matrix"] == kit["variation_matrix"]

    edit(client, "Part-number01", variation_of=None)  # no longer a variation
    assert product(client, "KIT-0")["variation_skus"] == [] and product(client, "KIT-0")["variation_matrix"] == {}
    assert product(client, "Part-number01")["variation_of"] is None
    assert "Part-number01" in skus(get_list(client))  # now a product of its own, listed without the flag


@pytest.mark.parametrize(("sku", "attributes", "message"), [
    ("IMP-1001", {"variation_of": "NOPE"}, "Parent product 'NOPE' does not exist!"),
    ("IMP-1001", {"variation_of": "IMP-1001"}, "A product cannot be a variation of itself!"),
    ("IMP-1001", {"variation_of": "Part-number01"},
     "Product 'Part-number01' is itself a variation of 'Part-number00': variations cannot have variations!"),
    ("Part-number00", {"variation_of": "IMP-1001"},
     "Product 'Part-number00' has variations and cannot become a variation itself!"),
    ("Part-number01", {"variation_attributes": ["price"]},
     "Attribute 'variation_attributes' of a variation is taken from its parent 'Part-number00'; edit the parent!"),
])
def test_variation_rules(client, sku, attributes, message):
    assert write_error(client, attributes, sku=sku) == message


def test_creating_a_variation_of_an_unknown_parent_creates_nothing(client):
    body = {"action": "createProduct", "sku": "ORPHAN", "data": {"attributes": {"variation_of": "NOPE"}}}
    assert error(client, body, 400) == "Parent product 'NOPE' does not exist!"
    assert error(client, {"action": "listProduct", "sku": "ORPHAN"}, 404) == "Product does not exist!"


# --- history ----------------------------------------------------------------------------------------------
def test_every_write_is_one_transaction_with_old_and_new_values(client):
    create(client, "H-1", title="Test SKU", price="100")
    advance(client, 3600 * 30)  # the next day
    edit(client, "H-1", price="110.50", title="New Test SKU", nope="ignored")
    edit(client, "H-1", price="110.50")  # no change: no transaction
    body = history(client, "H-1")
    assert body["total_count"] == 2 and "price" in body["definition"]
    created, edited = body["history"]
    assert created == {"user": "axxx...xxx9", "old": {"sku": None, "status": None, "title": None, "price": None},
                       "new": {"sku": "H-1", "status": "active", "title": "Test SKU", "price": "100"},
                       "formatted_date_round": "2024-03-15 00:00:00", "date": START}
    assert edited == {"user": "axxx...xxx9", "old": {"price": "100", "title": "Test SKU"},
                      "new": {"price": "110.50", "title": "New Test SKU"},
                      "formatted_date_round": "2024-03-16 00:00:00", "date": START + 3600 * 30}


def test_delete_and_restore_are_recorded(client):
    edit(client, "IMP-1002", status="deleted")
    edit(client, "IMP-1002", status="active")
    entries = history(client, "IMP-1002")["history"]
    assert [(e["old"], e["new"]) for e in entries] == [({"status": "active"}, {"status": "deleted"}),
                                                      ({"status": "deleted"}, {"status": "active"})]


def test_variation_links_are_recorded_on_the_parent(client):
    create(client, "Part-number03", variation_of="Part-number00")
    last = history(client, "Part-number00")["history"][-1]
    assert last["old"] == {"variation_skus": ["Part-number01", "Part-number02"]}
    assert last["new"] == {"variation_skus": ["Part-number01", "Part-number02", "Part-number03"]}


def test_history_pages_hold_24_transactions_by_default(client):
    create(client, "H-2")
    for i in range(29):
        edit(client, "H-2", stock=i)
    first = history(client, "H-2")
    assert first["total_count"] == 30 and len(first["history"]) == 24
    second = history(client, "H-2", limit=24, page=2)
    assert len(second["history"]) == 6 and second["history"][-1]["new"] == {"stock": "28"}
    small = [history(client, "H-2", limit=7, page=p)["history"] for p in range(1, 6)]
    assert [e for page in small for e in page] == first["history"] + second["history"]
    assert history(client, "H-2", limit=10, page=9)["history"] == []
    assert error(client, {"action": "historyProduct", "sku": "H-2", "params": {"pagination": {"limit": 0}}}, 400) \
        == "params.pagination.limit should be in the range of 1 to 500!"
