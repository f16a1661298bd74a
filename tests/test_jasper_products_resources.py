"""Jasper's product other resources over HTTP: exports on the clock, product assets, inventory, categories, channels,
attributes per version, relation types, relations and their attributes, tags per version."""

from __future__ import annotations

import csv
import io

from tests import _jasper_products
from tests._jasper_products import H, call, error
from tests.conftest import advance

app, client = _jasper_products.app, _jasper_products.client  # one fake per module, reset before each test


# --- exports -----------------------------------------------------------------------------------------------------
def test_export_moves_from_queued_to_finished_and_downloads_a_real_file(client):
    made = call(client, "POST", "/exports", 201, json={"profile_id": 1}).json()["export"]
    assert (made["status"], made["profile_id"], made["file_url"]) == ("queued", 1, None)
    path = f"/exports/{made['id']}"
    download = f"/jasper/exports/{made['id']}/download"
    assert client.get(download, headers=H).status_code == 404
    advance(client, 5)
    assert call(client, "GET", path, 200).json()["export"]["status"] == "processing"
    advance(client, 25)
    done = call(client, "GET", path, 200).json()["export"]
    assert done["status"] == "finished" and done["file_url"].endswith(download)
    assert done["filename"] == f"export-{made['id']}.csv"
    response = client.get(download, headers=H)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["sku"] for r in rows] == ["RED1", "TSHIRT-BLUE-2", "TSHIRT", "TSHIRT-NO", "POLO", "12345",
                                         "SNEAKER"]
    assert client.get(download).status_code == 401


def test_export_bad_input(client):
    error(call(client, "GET", "/exports/999"), 404)
    for body in ({}, {"profile_id": "x"}, {"profile_id": 0}):
        error(call(client, "POST", "/exports", json=body))
    assert call(client, "GET", "/exports/1", 200).json()["export"]["status"] == "finished"


# --- assets, inventory, categories, channels ---------------------------------------------------------------------
def test_product_assets_round_trip(client):
    made = call(client, "POST", "/products/2/assets", 201,
                json={"image_url": "https://cdnpim.com/coolimage.png"}).json()["product_asset"]
    assert (made["product_id"], made["uri"], made["thumbnail"]) == (2, "https://cdnpim.com/coolimage.png", 0)
    path = f"/products/2/assets/{made['id']}"
    body = {"alttext": "Description of image", "name": "N", "desc": "D", "type": "T", "thumbnail": 1}
    updated = call(client, "PUT", path, 200, json=body).json()["product_asset"]
    assert {k: updated[k] for k in body} == body
    assert [a["id"] for a in call(client, "GET", "/products/2/assets").json()["product_assets"]] == [1, made["id"]]
    call(client, "DELETE", path, 200)
    error(call(client, "GET", path), 404)
    error(call(client, "GET", "/products/1/assets/999"), 404)
    error(call(client, "POST", "/products/2/assets", json={"alttext": "no uri"}))
    error(call(client, "GET", "/products/999/assets"), 404)


def test_inventory_envelope_and_path_wins(client):
    made = call(client, "POST", "/products/2/inventory", 201, json={"product_id": 3, "count_on_hand": 75}).json()
    row = made["product_inventory"]
    assert (row["product_id"], row["count_on_hand"]) == (2, 75)
    path = f"/products/2/inventory/{row['id']}"
    updated = call(client, "PUT", path, 200, json={"count_on_hand": 22}).json()["product_inventory"]
    assert (updated["count_on_hand"], updated["count_on_hold"]) == (22, 0)
    listed = call(client, "GET", "/products/2/inventory").json()["product_inventory"]
    assert [i["count_on_hand"] for i in listed] == [52, 22]
    call(client, "DELETE", path, 200)
    error(call(client, "GET", path), 404)
    error(call(client, "POST", "/products/2/inventory", json={"count_on_hand": "many"}))


def test_assign_category_and_channel_web_id(client):
    got = call(client, "POST", "/products/2/categories", 201, json={"category_id": "1"}).json()
    assert got["product_categories"]["id"] == 1 and got["product_categories"]["name"] == "Shopify Root"
    assert [c["id"] for c in call(client, "GET", "/products/2").json()["product"]["categories"]] == [1]
    error(call(client, "POST", "/products/2/categories", json={"category_id": 99}))
    error(call(client, "POST", "/products/2/categories", json={"category_id": "x1"}))
    # no handler checks the id's type: the spec's anyOf (an integer or a string of digits) refuses the rest first
    for bad in (True, 1.5, None, "12a", [1]):
        message = error(call(client, "POST", "/products/2/categories", json={"category_id": bad}))
        assert message.endswith("is not valid under any of the given schemas - 'category_id'"), message
    first = call(client, "POST", "/products/2/channel/2", 201, json={"web_id": 1}).json()["product_channel"]
    again = call(client, "POST", "/products/2/channel/2", 200, json={"web_id": 9}).json()["product_channel"]
    assert first["id"] == again["id"] and again["web_id"] == 9
    assert [(c["channel_id"], c["web_id"]) for c in call(client, "GET", "/products/2").json()["product"]["channels"]] \
        == [(2, 9)]
    error(call(client, "POST", "/products/2/channel/99", json={"web_id": 1}), 404)
    # deleting the category pulls it from the product
    call(client, "DELETE", "/categories/1", 200)
    assert call(client, "GET", "/products/2").json()["product"]["category_ids"] == []


# --- attributes ----------------------------------------------------------------------------------------------------
def test_product_attributes_per_version_and_their_envelopes(client):
    listed = call(client, "GET", "/products/1/attributes", 200).json()["product_attributes"]
    assert [(v["version_id"], v["value"]) for v in listed[0]["values"]] == [(0, "Text"), (1, "Texte")]
    made = call(client, "POST", "/products/2/attributes", 201, json={
        "attribute_id": 2, "version_id": 0, "values": [{"value": "Brazil"}]}).json()["products_attributes"]
    call(client, "POST", "/products/2/attributes", 201, json={
        "attribute_id": 2, "version_id": 1, "values": [{"value": "Brasil"}]})
    assert made["attribute_id"] == 2 and made["type"] == "multiselect"
    one = call(client, "GET", "/products/2/attributes/2", 200).json()["products_attributes"]
    assert [(v["version_id"], v["value"]) for v in one[0]["values"]] == [(0, "Brazil"), (1, "Brasil")]
    many = call(client, "PUT", "/products/2/attributes", 200, json=[
        {"attribute_id": 2, "version_id": 0, "values": [{"value": "No"}]},
        {"attribute_id": 1, "version_id": 0, "values": [{"value": "Yes"}]}]).json()["products_attributes"]
    assert [(i["attribute_id"], [v["value"] for v in i["values"] if v["version_id"] == 0]) for i in many] == [
        (2, ["No"]), (1, ["Yes"])]
    value_id = one[0]["values"][1]["id"]
    updated = call(client, "PUT", f"/products/2/attributes/2/values/{value_id}", 200, json={
        "attribute_id": 2, "version_id": 1, "values": [{"value": "Text Update"}]}).json()["product_attributes"]
    assert "Text Update" in [v["value"] for v in updated["values"]]
    call(client, "DELETE", f"/products/2/attributes/2/values/{value_id}", 200)
    assert [v["version_id"] for v in call(client, "GET", "/products/2/attributes/2").json()[
        "products_attributes"][0]["values"]] == [0]
    error(call(client, "POST", "/products/2/attributes", json={"attribute_id": 99, "values": []}))
    error(call(client, "POST", "/products/2/attributes", json={"attribute_id": 1, "version_id": 9, "values": []}))
    error(call(client, "PUT", "/products/2/attributes", json=[{"attribute_id": 99}]))
    error(call(client, "PUT", "/products/2/attributes", json={"attribute_id": 1}))


def test_assign_attribute_and_attribute_set(client):
    call(client, "POST", "/products/2/assigned-attributes", 201, json={"attribute_id": 2})
    call(client, "POST", "/products/2/assigned-attributes", 200, json={"attribute_id": 2})
    assert [a["attribute_id"] for a in call(client, "GET", "/products/2/attributes").json()["product_attributes"]] \
        == [2]
    got = call(client, "POST", "/products/3/assigned-attribute-sets", 200, json={"attribute_set_id": 1}).json()
    members = [m["attribute_id"] for m in call(client, "GET", "/attribute_sets/1/attributes").json()[
        "attribute_set_attributes"]]
    assert sorted(a["attribute_id"] for a in got["product_attributes"]) == sorted(members)
    error(call(client, "POST", "/products/3/assigned-attribute-sets", json={"attribute_set_id": 99}))
    error(call(client, "POST", "/products/3/assigned-attributes", json={"attribute_id": 99}))


# --- relation types, relations, relation attributes ------------------------------------------------------------------
def test_relation_types_round_trip_and_cardinality_enum(client):
    made = call(client, "POST", "/product-relation-types", 201, json={"name": "Jackets"}).json()[
        "product_relation_type"]
    assert made["name"] == "Jackets" and made["created_at"] and made["relationship_cardinality"] == "many-to-many"
    path = f"/product-relation-types/{made['id']}"
    assert call(client, "PUT", path, 200, json={"name": "Shoes"}).json()["product_relation_type"]["name"] == "Shoes"
    assert call(client, "DELETE", path, 200).json() == {"message": "Deleted."}
    error(call(client, "GET", path), 404)
    error(call(client, "POST", "/product-relation-types", json={"name": "X", "relationship_cardinality": "some"}))
    assert [t["name"] for t in call(client, "GET", "/product-relation-types").json()["product_relation_types"]] == [
        "Footwear", "Athletic footwear"]


def test_relations_grouped_by_type_name(client):
    seeded = call(client, "GET", "/products/1/relations", 200).json()["product_relations"]
    assert [(k, [(p["id"], p["sku"]) for p in v]) for k, v in seeded.items()] == [
        ("Footwear", [(2, "TSHIRT-BLUE-2"), (5, "POLO")])]
    call(client, "DELETE", "/products/1/relations/5/type/1", 200)  # the seed's delete example
    got = call(client, "POST", "/products/1/relations/3/type/1", 201).json()["product_relations"]
    assert [p["id"] for p in got["Footwear"]] == [2, 3]
    call(client, "POST", "/products/1/relations/3/type/1", 200)
    call(client, "POST", "/products/1/relations/2/type/2", 201)
    groups = call(client, "GET", "/products/1/relations").json()["product_relations"]
    assert {k: [p["id"] for p in v] for k, v in groups.items()} == {"Footwear": [2, 3], "Athletic footwear": [2]}
    only = call(client, "GET", "/products/1/relations/type/2").json()["product_relations"]
    assert list(only) == ["Athletic footwear"]
    # one-to-many: product 2 is already held under type 2, by product 1
    error(call(client, "POST", "/products/3/relations/2/type/2"))
    error(call(client, "POST", "/products/1/relations/1/type/1"))
    error(call(client, "POST", "/products/1/relations/99/type/1"), 404)
    error(call(client, "POST", "/products/1/relations/3/type/99"), 404)
    call(client, "DELETE", "/products/1/relations/3/type/1", 200)
    assert [p["id"] for p in call(client, "GET", "/products/1/relations/type/1").json()["product_relations"][
        "Footwear"]] == [2]
    error(call(client, "DELETE", "/products/1/relations/3/type/1"), 404)
    # deleting a related product drops the relation
    call(client, "DELETE", "/products/2", 200)
    assert call(client, "GET", "/products/1/relations").json() == {"product_relations": {}}


def test_relation_attributes_upsert_and_delete(client):
    base = "/products/1/relations/2/type/1"
    rows = call(client, "GET", base + "/attributes", 200).json()["product_relation_attribute_values"]
    assert [(r["entity_id"], r["attribute_id"], r["value"]) for r in rows] == [(2, 1, "blue")]
    call(client, "POST", base + "/attributes", 200, json={"attributes": [{"attribute_id": 1, "value": "red"},
                                                                           {"attribute_id": 2, "value": "BR"}]})
    rows = call(client, "GET", base + "/attributes").json()["product_relation_attribute_values"]
    assert [(r["attribute_id"], r["value"]) for r in rows] == [(1, "red"), (2, "BR")]
    one = call(client, "POST", base + "/attribute/2", 200, json={"value": "CA"}).json()[
        "product_relation_attribute_values"]
    assert [(r["attribute_id"], r["value"]) for r in one] == [(2, "CA")]
    call(client, "DELETE", base + "/attribute/2", 200)
    assert [r["attribute_id"] for r in call(client, "GET", base + "/attributes").json()[
        "product_relation_attribute_values"]] == [1]
    error(call(client, "DELETE", base + "/attribute/2"), 404)
    error(call(client, "POST", base + "/attributes", json={"attributes": [{"attribute_id": 99}]}))
    error(call(client, "POST", base + "/attributes", json={"attributes": "x"}))
    error(call(client, "GET", "/products/1/relations/3/type/1/attributes"), 404)
    error(call(client, "POST", base + "/attribute/99", json={"value": "x"}), 404)


# --- tags ------------------------------------------------------------------------------------------------------------
def test_tags_per_version(client):
    assert call(client, "GET", "/products/1/tags/2", 200).json() == {"product_id": 1, "2": ["tag_x", "tag_y", "tag_z"]}
    assert call(client, "GET", "/products/2/tags").json() == {"product_id": 2, "0": [], "1": [], "2": []}
    got = call(client, "PUT", "/products/2/tags/1", 200, json={"product_id": 2, "0": ["a", "b"]}).json()
    assert got == {"product_id": 2, "1": ["a", "b"]}
    assert call(client, "GET", "/products/2/tags/0").json() == {"product_id": 2, "0": []}
    body = {"product_id": 2, "0": ["t0"], "2": ["t2", "t2"]}
    assert call(client, "POST", "/products/2/tags", 200, json=body).json() == {
        "product_id": 2, "0": ["t0"], "1": ["a", "b"], "2": ["t2"]}
    assert call(client, "POST", "/products/2/tags/0", 200, json={"0": []}).json()["0"] == []
    # version 2 translates product 2's sku: the version list finds it by that sku only
    assert call(client, "GET", "/products/version/2?sku=TSHIRT-BLUE-2").json()["products"] == []
    assert call(client, "GET", "/products/version/2?sku=BLEU-TSHIRT-2&with=tags").json()["products"][0]["tags"] == [
        "t2"]
    for bad in ({"9": ["x"]}, {"0": "x"}, {"0": [1]}, {}):
        error(call(client, "POST", "/products/2/tags", json=bad))
    error(call(client, "PUT", "/products/2/tags/9", json={"9": ["x"]}), 404)
    error(call(client, "GET", "/products/999/tags"), 404)
