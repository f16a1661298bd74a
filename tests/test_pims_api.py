"""PIMS in process: each action's shape, every documented message, keys, Views and locales."""

from __future__ import annotations

import json

import pytest
from _pims import EDITOR, MARKETING, PIMS, VIEWER, create, edit, error, get_list, history, ok, post, product, skus

SEED_EXAMPLE_ATTRIBUTES = {
    "sku": "Part-number00",
    "categories": ["CategoryNameParent > CategoryName"],
    "status": "active",
    "title": "Title PART-number00",
    "price": "100.00",
    "rod_diameter": "2.875 in (7.3 cm)",
    "variation_attributes": ["rod_diameter"],
    "variation_of": None,
    "variation_skus": ["Part-number01", "Part-number02"],
    "variation_matrix": {
        "Part-number01": {"rod_diameter": ["1.66 in (4.22 cm)"]},
        "Part-number02": {"rod_diameter": ["2.625 in (6.67 cm)"]},
        "Part-number00": {"rod_diameter": ["2.875 in (7.3 cm)"]},
    },
}
DEFINITION_KEYS = {"type", "collection", "isUnique", "label", "validation", "isSearchable", "isIndexable",
                   "isFilterable", "group", "comment"}


# --- listProduct ------------------------------------------------------------------------------------------
def test_list_product_returns_the_seeds_example_product_with_every_attribute_and_the_definition(client):
    body = ok(client, {"action": "listProduct", "sku": "Part-number00"})
    assert set(body) == {"status", "sku", "data"} and body["sku"] == "Part-number00"
    attributes = body["data"]["attributes"]
    assert {k: attributes[k] for k in SEED_EXAMPLE_ATTRIBUTES} == SEED_EXAMPLE_ATTRIBUTES
    definition = body["data"]["definition"]
    # the key has no View: every attribute of the PIMS, each described (PI-33, PI-34)
    assert set(definition) == set(attributes) - {"variation_matrix"}
    assert list(attributes)[-1] == "variation_matrix" and attributes["description"] is None and attributes["tags"] == []
    for name, entry in definition.items():
        assert DEFINITION_KEYS <= set(entry), name
        assert set(entry["label"]) == {"en-us"} and set(entry["comment"]) == {"en-us"}
    assert set(definition["rod_diameter"]["dictionary"]) == {"visible", "sortingMethod", "columns", "validation",
                                                             "sorting", "unique", "data"}
    assert "2.875 in (7.3 cm)" in definition["rod_diameter"]["dictionary"]["data"]
    assert definition["sku"]["isUnique"] == "1" and definition["categories"]["collection"] == "1"


def test_a_variation_names_its_parent_and_shows_the_familys_matrix(client):
    attributes = product(client, "Part-number01")
    assert attributes["variation_of"] == "Part-number00" and attributes["variation_skus"] == []
    assert attributes["variation_attributes"] == ["rod_diameter"]  # taken from the parent
    assert attributes["variation_matrix"] == SEED_EXAMPLE_ATTRIBUTES["variation_matrix"]
    assert product(client, "TEST-SKU")["variation_matrix"] == {}


def test_labels_follow_the_locale_of_the_path(client):
    body = ok(client, {"action": "listProduct", "sku": "IMP-1001"}, headers=EDITOR)
    assert body["data"]["definition"]["price"]["label"] == {"en-us": "Price"}
    french = client.post(PIMS.replace("en-us", "fr-fr"), json={"action": "listProduct", "sku": "IMP-1001"},
                         headers=EDITOR).json()
    assert french["data"]["definition"]["price"]["label"] == {"fr-fr": "Prix"}
    german = client.post(PIMS.replace("en-us", "DE_de"), json={"action": "listProduct", "sku": "IMP-1001"},
                         headers=EDITOR).json()
    assert german["data"]["definition"]["price"]["label"] == {"de-de": "Price"}  # en-us text where none


def test_list_product_messages(client):
    assert error(client, {"action": "listProduct", "sku": "NOPE"}, 404) == "Product does not exist!"
    assert error(client, {"action": "listProduct", "sku": ""}, 400) == "SKU cannot be empty!"
    assert error(client, {"action": "listProduct"}, 400) == "SKU cannot be empty!"
    assert product(client, "  IMP-1001  ")["sku"] == "IMP-1001"


def test_a_deleted_product_is_still_listed_by_sku(client):
    assert product(client, "OLD-0001")["status"] == "deleted"


# --- listProductsBySku ------------------------------------------------------------------------------------
def test_list_products_by_sku_in_the_order_asked_without_the_unknown_ones(client):
    body = ok(client, {"action": "listProductsBySku", "skus": ["IMP-1002", "NOPE", "Part-number00", "IMP-1002",
                                                                "OLD-0001"]})
    assert set(body) == {"products", "definition", "status", "sku_count"}
    assert skus(body) == ["IMP-1002", "Part-number00", "OLD-0001"] and body["sku_count"] == 3
    first = body["products"][0]
    assert set(first) == {"data", "sku"} and set(first["data"]) == {"attributes"}
    assert first["data"]["attributes"]["sku"] == "IMP-1002" and "price" in body["definition"]
    assert ok(client, {"action": "listProductsBySku", "skus": ["NOPE"]})["sku_count"] == 0


@pytest.mark.parametrize(("body", "message"), [
    ({"action": "listProductsBySku"}, "SKU list is not provided!"),
    ({"action": "listProductsBySku", "skus": "A1"}, "List of SKUs should be an ARRAY!"),
    ({"action": "listProductsBySku", "skus": {"0": "A1"}}, "List of SKUs should be an ARRAY!"),
    ({"action": "listProductsBySku", "skus": None}, "List of SKUs should be an ARRAY!"),
    ({"action": "listProductsBySku", "skus": []}, "The SKU list is empty!"),
])
def test_list_products_by_sku_messages(client, body, message):
    assert error(client, body, 400) == message


# --- createProduct / editProduct --------------------------------------------------------------------------
def test_create_returns_the_new_product_with_every_attribute(client):
    body = create(client, "NEW-1", title="New", price=12.5, brand="Acme", categories=["fishing > rods"],
                  tags="solo")
    attributes = body["data"]["attributes"]
    assert body["sku"] == "NEW-1" and "definition" in body["data"]
    assert attributes["status"] == "active" and attributes["price"] == "12.5" and attributes["brand"] == "Acme"
    assert attributes["categories"] == ["Fishing > Rods"] and attributes["tags"] == ["solo"]
    assert attributes["variation_of"] is None and attributes["color"] is None
    assert product(client, "NEW-1") == attributes


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"action": "createProduct", "sku": ""}, 400, "SKU cannot be empty!"),
    ({"action": "createProduct", "sku": "   "}, 400, "SKU cannot be empty!"),
    ({"action": "createProduct"}, 400, "SKU cannot be empty!"),
    ({"action": "createProduct", "sku": "Part-number00"}, 409, "Product already exists!"),
    ({"action": "createProduct", "sku": " Part-number00 "}, 409, "Product already exists!"),
    ({"action": "editProduct", "sku": ""}, 400, "SKU cannot be empty!"),
    ({"action": "editProduct"}, 400, "SKU cannot be empty!"),
    ({"action": "editProduct", "sku": "NOPE", "data": {"attributes": {"title": "x"}}}, 404,
     "Product does not exist!"),
])
def test_write_messages(client, body, status, message):
    assert error(client, body, status) == message


def test_edit_does_not_create(client):
    error(client, {"action": "editProduct", "sku": "NOPE", "data": {"attributes": {"title": "x"}}}, 404)
    assert error(client, {"action": "listProduct", "sku": "NOPE"}, 404) == "Product does not exist!"


def test_edit_changes_only_what_is_sent_and_ignores_unknown_names(client):
    before = product(client, "IMP-1001")
    body = edit(client, "IMP-1001", title="T3", nope_attr="x")
    after = body["data"]["attributes"]
    assert after["title"] == "T3" and "nope_attr" not in after
    assert {k: v for k, v in after.items() if k != "title"} == {k: v for k, v in before.items() if k != "title"}


def test_pause_reindexing_is_accepted(client):
    ok(client, {"action": "createProduct", "sku": "P-Y", "pauseReIndexing": "Y"})
    ok(client, {"action": "editProduct", "sku": "P-Y", "pauseReIndexing": "", "data": {"attributes": {"title": "t"}}})


# --- historyProduct ---------------------------------------------------------------------------------------
def test_history_of_the_seeds_example(client):
    body = history(client, "TEST-SKU")
    assert set(body) == {"status", "total_count", "history", "definition"} and body["total_count"] == 2
    assert body["history"] == [
        {"user": "axxx...xxx9", "new": {"price": "110.50"}, "old": {"price": "100"},
         "formatted_date_round": "2024-02-13 00:00:00", "date": 1707831737},
        {"user": "axxx...xxx9", "new": {"title": "New Test SKU"}, "old": {"title": "Test SKU"},
         "formatted_date_round": "2024-02-23 00:00:00", "date": 1708668919},
    ]


def test_history_messages(client):
    assert error(client, {"action": "historyProduct", "sku": "NOPE"}, 404) == "Product does not exist!"
    assert error(client, {"action": "historyProduct", "sku": ""}, 400) == "SKU cannot be empty!"


# --- access: keys and Views -------------------------------------------------------------------------------
def test_no_key_or_an_unknown_key_gets_the_error_body(client):
    for headers in ({}, {"ApiKey": "nope"}, {"ApiKey": ""}, {"Authorization": "Bearer api_pims_editor_0009"}):
        response = post(client, {"action": "listProduct", "sku": "IMP-1001"}, headers=headers)
        assert response.status_code == 401, headers
        assert response.json() == {"status": "Error", "status_message": "ApiKey is missing or not valid!"}
        assert response.headers["WWW-Authenticate"].startswith("ApiKey")


def test_a_read_only_key_reads_but_cannot_write(client):
    assert product(client, "IMP-1001", headers=VIEWER)["sku"] == "IMP-1001"
    assert get_list(client, headers=VIEWER)["sku_count"] > 0
    ok(client, {"action": "historyProduct", "sku": "TEST-SKU"}, headers=VIEWER)
    for action in ("createProduct", "editProduct"):
        body = {"action": action, "sku": "IMP-1001", "data": {"attributes": {"title": "hacked"}}}
        assert error(client, body, 403, headers=VIEWER) == \
            f"Access denied! {action} requires Data Editor ApiKey permissions."
    assert product(client, "IMP-1001")["title"] == "Imperial telescopic carbon rod 3.6 m"
    assert error(client, {"action": "listProduct", "sku": "VIEWER-NEW"}, 404) == "Product does not exist!"


def test_the_default_view_limits_attributes_when_no_view_is_sent(client):
    catalog = product(client, "IMP-1001", headers=VIEWER)
    assert "ean" not in catalog and "stock" not in catalog and "weight" not in catalog
    assert catalog["title"] == "Imperial telescopic carbon rod 3.6 m" and "variation_matrix" in catalog
    every = product(client, "IMP-1001", headers=EDITOR)
    assert {"ean", "stock", "weight"} <= set(every)


def test_api_view_selects_a_view_that_renames_attributes(client):
    body = ok(client, {"action": "listProduct", "sku": "IMP-1001"}, headers={**VIEWER, "ApiView": "Marketing"})
    attributes, definition = body["data"]["attributes"], body["data"]["definition"]
    assert set(attributes) == {"sku", "name", "copy", "list_price", "image", "brand", "status", "categories",
                               "keywords"}
    assert attributes["name"] == "Imperial telescopic carbon rod 3.6 m" and attributes["list_price"] == "129.99"
    assert set(definition) == set(attributes) and definition["list_price"]["label"] == {"en-us": "Price"}
    # the same key with no header: its default View
    assert "title" in product(client, "IMP-1001", headers=VIEWER)
    # a key with no View of its own may select any View of the dictionary
    assert "list_price" in product(client, "IMP-1001", headers={**EDITOR, "ApiView": "Marketing"})
    # an empty ApiView counts as none
    assert "weight" in product(client, "IMP-1001", headers={**EDITOR, "ApiView": " "})


def test_an_unknown_view_or_one_the_key_may_not_use_is_an_error(client):
    body = {"action": "listProduct", "sku": "IMP-1001"}
    assert error(client, body, 404, headers={**VIEWER, "ApiView": "Nope"}) == "View 'Nope' does not exist!"
    assert error(client, body, 403, headers={**MARKETING, "ApiView": "Catalog"}) == \
        "View 'Catalog' is not available for this ApiKey!"


def test_writes_name_attributes_as_the_view_does(client):
    body = create(client, "MKT-1", headers=MARKETING, name="Promo", list_price="9.90", title="ignored",
                  keywords=["sale"])
    assert body["data"]["attributes"]["name"] == "Promo" and body["data"]["attributes"]["list_price"] == "9.90"
    every = product(client, "MKT-1")
    assert every["title"] == "Promo" and every["price"] == "9.90" and every["tags"] == ["sale"]
    assert every["weight"] is None  # `title` is not a name of the Marketing View: ignored
    entry = history(client, "MKT-1", headers=MARKETING)["history"][0]
    assert entry["new"]["name"] == "Promo" and "title" not in entry["new"] and entry["user"] == "axxx...xxx2"


def test_lists_and_history_follow_the_view(client):
    body = get_list(client, headers={**VIEWER, "ApiView": "Marketing"}, order=[{"attribute": "list_price"}])
    assert "list_price" in body["definition"] and "price" not in body["definition"]
    prices = [float(p["data"]["attributes"]["list_price"]) for p in body["products"]]
    assert prices == sorted(prices)
    assert error(client, {"action": "getList", "params": {"order": [{"attribute": "price"}]}}, 400,
                 headers=MARKETING) == "Attribute 'price' does not exist!"
    edit(client, "TEST-SKU", stock=3)  # not in the Marketing View: that transaction is not shown to it
    assert history(client, "TEST-SKU")["total_count"] == 3
    shown = history(client, "TEST-SKU", headers=MARKETING)
    assert shown["total_count"] == 2
    assert [(e["old"], e["new"]) for e in shown["history"]] == [({"list_price": "100"}, {"list_price": "110.50"}),
                                                                ({"name": "Test SKU"}, {"name": "New Test SKU"})]


def test_every_response_is_json_in_the_envelope(client):
    for response in (client.get(PIMS, headers=EDITOR), client.post(PIMS + "/x", json={}, headers=EDITOR),
                     client.post(PIMS, content=b"a=b", headers={**EDITOR, "Content-Type": "text/plain"})):
        body = json.loads(response.text)
        assert set(body) == {"status", "status_message"} and body["status"] == "Error"
    assert client.get(PIMS, headers=EDITOR).status_code == 405
    assert client.get(PIMS, headers=EDITOR).headers["Allow"] == "POST"


def test_every_answer_conforms_to_the_spec(make_app):
    """With response validation on, a body that breaks the spec would be a 500."""
    bodies = [
        {"action": "listProduct", "sku": "Part-number01"},
        {"action": "listProductsBySku", "skus": ["Part-number00", "NOPE", "IMP-1001"]},
        {"action": "getList",
         "params": {"include_variants": True, "include_deleted": "true", "pagination": {"limit": 500}}},
        {"action": "createProduct", "sku": "V-1",
         "data": {"attributes": {"variation_of": "Part-number00", "price": 1}}},
        {"action": "editProduct", "sku": "V-1", "data": {"attributes": {"status": "deleted", "tags": ["x"]}}},
        {"action": "historyProduct", "sku": "V-1"},
        {"action": "historyProduct", "sku": "Part-number00", "params": {"pagination": {"limit": 1, "page": 2}}},
        {"action": "listProduct", "sku": "NOPE"},
        {"action": "createProduct", "sku": "V-1"},
        {"action": "listProductsBySku", "skus": []},
    ]
    with make_app(validate_responses=True).test_client() as client:
        for headers in (EDITOR, VIEWER, {**VIEWER, "ApiView": "Marketing"}):
            for payload in bodies:
                response = post(client, payload, headers=headers)
                assert response.status_code < 500, (payload, response.text)


def test_admin_reset_restores_the_fixtures(client):
    create(client, "GONE-1")
    edit(client, "Part-number01", variation_of=None)
    edit(client, "TEST-SKU", title="changed")
    assert client.post("/__admin/reset").status_code == 200
    assert error(client, {"action": "listProduct", "sku": "GONE-1"}, 404) == "Product does not exist!"
    assert product(client, "Part-number00")["variation_skus"] == ["Part-number01", "Part-number02"]
    assert history(client, "TEST-SKU")["total_count"] == 2
    assert "GONE-1" not in skus(get_list(client, include_variants="true", include_deleted="true"))
