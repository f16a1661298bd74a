"""Jasper over HTTP, in process: the seed's example requests, round trips, versions, pagination, references."""

from __future__ import annotations

import pytest

J = "/jasper/api/v1"
H = {"Authorization": "Bearer jasper-test-token"}


def call(client, method, path, expect=None, **kw):
    response = client.request(method, J + path, headers=kw.pop("headers", H), **kw)
    if expect is not None:
        assert response.status_code == expect, response.text
    return response


def test_ping_is_the_virtual_clock_in_the_seed_format(client):
    assert call(client, "GET", "/ping", 200).json() == {"time": "Fri Mar 15 09:00:00 UTC 2024"}
    client.post("/__admin/clock/advance", json={"seconds": 86400 * 7 + 3})
    assert call(client, "GET", "/ping").json() == {"time": "Fri Mar 22 09:00:03 UTC 2024"}


def test_seed_attribute_examples(client):
    items = call(client, "GET", "/attributes", 200).json()["attributes"]
    assert [(a["id"], a["name"], a["type"], a["slug"]) for a in items] == [
        (1, "Brand", "text", "Brand"), (2, "Country", "multiselect", "Country"),
        (3, "Attribute Three", "text", "attribute-three")]  # the seed's product and relation curls name attribute 3
    assert [v["value"] for v in items[1]["typeValuesArray"]] == ["Brazil", "Canada", "France", "USA"]
    assert {v["version_id"] for v in items[1]["typeValuesArray"]} == {0}
    versioned = call(client, "GET", "/attributes/version/1", 200).json()["attributes"]
    assert [(a["name"], a["slug"]) for a in versioned] == [
        ("Marca", "Brand"), ("Pais", "Country"), ("Attribute Three", "attribute-three")]
    tvs = versioned[1]["typeValuesArray"]
    assert [(v["id"], v["value"], v["version_id"], v["master_attribute_type_value_id"]) for v in tvs] == [
        (6, "Brasil", 1, 1), (17, "Canada", 1, 2), (18, "França", 1, 3), (19, "Estados Unidos", 1, 4)]
    one = call(client, "GET", "/attributes/1", 200).json()["attribute"]
    assert one["note"] is None and one["length"] is None and one["publish"] is True
    assert call(client, "GET", "/attributes/1/version/1", 200).json()["attribute"]["name"] == "Marca"


def test_create_attribute_echoes_input_and_enforces_enum_and_uniqueness(client):
    body = {"name": "Shipment Type", "type": "text", "sort_order": 3, "publish": False,
            "created_at": "2000-01-01"}
    made = call(client, "POST", "/attributes", 201, json=body).json()["attribute"]
    assert made["id"] == 4 and made["publish"] is False and made["sort_order"] == 3  # fixtures hold 1-3
    assert made["created_at"] != "2000-01-01"
    assert call(client, "POST", "/attributes", 400, json={"name": "Shipment Type", "type": "text"}).json()[
        "message"] == "The name has already been taken."
    assert call(client, "POST", "/attributes", 400, json={"name": "A1", "type": "color"}).json()["message"]
    for i, kind in enumerate(["selectbox", "date", "text", "textarea", "multiselect"]):
        call(client, "POST", "/attributes", 201, json={"name": f"T{i}", "type": kind})
    call(client, "POST", "/attributes", 400, json={"name": "S", "type": "text", "sort_order": "x"})


def test_put_attribute_is_partial(client):
    call(client, "PUT", "/attributes/2", 200, json={"name": "Countries of origin"})
    got = call(client, "GET", "/attributes/2").json()["attribute"]
    assert (got["name"], got["type"], got["sort_order"], got["publish"]) == (
        "Countries of origin", "multiselect", 0, True)


def test_version_isolation_both_ways(client):
    call(client, "PUT", "/attributes/2/version/1", 200, json={"name": "País"})
    assert call(client, "GET", "/attributes/2").json()["attribute"]["name"] == "Country"
    assert call(client, "GET", "/attributes/2/version/1").json()["attribute"]["name"] == "País"
    call(client, "PUT", "/attributes/2", 200, json={"name": "Land"})
    assert call(client, "GET", "/attributes/2/version/1").json()["attribute"]["name"] == "País"
    # A configured version without a row is created by the PUT; an unconfigured one is 404.
    made = call(client, "PUT", "/attributes/2/type_values/1/version/2", 200, json={"name": "Brésil"}).json()
    assert made["attribute_type_value"]["value"] == "Brésil" and made["attribute_type_value"]["slug"] is None
    assert call(client, "GET", "/attributes/2/type_values/1").json()["attribute_type_value"]["value"] == "Brazil"
    call(client, "PUT", "/attributes/2/version/99", 404, json={"name": "x"})
    call(client, "DELETE", "/attributes/2/version/1", 200)
    assert call(client, "GET", "/attributes/2/version/1").json()["attribute"]["name"] == "Land"
    call(client, "DELETE", "/attributes/2/version/1", 404)


def test_type_values_are_scoped_and_follow_their_attribute(client):
    call(client, "GET", "/attributes/1/type_values/1", 404)
    made = call(client, "POST", "/attributes/2/type_values", 201, json={"value": "Blue"}).json()
    tv = made["attribute_type_value"]
    assert tv["attribute_id"] == 2 and tv["value"] == "Blue"
    values = call(client, "GET", "/attributes/2").json()["attribute"]["typeValuesArray"]
    assert tv["id"] in [v["id"] for v in values]
    call(client, "PUT", f"/attributes/2/type_values/{tv['id']}", 200, json={"name": "Country of origin"})
    assert call(client, "GET", f"/attributes/2/type_values/{tv['id']}").json()[
        "attribute_type_value"]["value"] == "Country of origin"
    call(client, "DELETE", f"/attributes/2/type_values/{tv['id']}", 200)
    call(client, "GET", f"/attributes/2/type_values/{tv['id']}", 404)
    call(client, "GET", "/attributes/999/type_values", 404)


def test_deleting_an_attribute_removes_it_everywhere(client):
    call(client, "DELETE", "/attributes/2", 200)
    call(client, "GET", "/attributes/2", 404)
    call(client, "GET", "/attributes/2/type_values/1", 404)
    members = call(client, "GET", "/attribute_sets/1/attributes").json()["attribute_set_attributes"]
    assert [m["attribute_id"] for m in members] == [1]
    assert [a["attribute_id"] for a in call(client, "GET", "/brands/1/attributes").json()["brand_attributes"]] == [1]


def test_attribute_sets_and_their_attributes(client):
    made = call(client, "POST", "/attribute_sets", 201, json={"name": "Gaskets", "sort_order": 3}).json()
    assert made["attribute_set"] == {"id": 6, "name": "Gaskets", "sort_order": 3}  # fixtures: 1, 2, 4, 5
    call(client, "POST", "/attribute_sets", 400, json={"name": "Gaskets"})
    call(client, "POST", "/attribute_sets/2/attributes", 201, json={"attribute_id": 3})
    call(client, "POST", "/attribute_sets/2/attributes", 200, json={"attribute_id": 3})
    call(client, "POST", "/attribute_sets/2/attributes", 400, json={"attribute_id": 999})
    assert [m["attribute_id"] for m in call(client, "GET", "/attribute_sets/2/attributes").json()[
        "attribute_set_attributes"]] == [1, 3]
    call(client, "DELETE", "/attribute_sets/2/attributes/1", 200)
    call(client, "DELETE", "/attribute_sets/2/attributes/3", 200)
    assert call(client, "GET", "/attribute_sets/2/attributes").json()["attribute_set_attributes"] == []
    call(client, "DELETE", "/attribute_sets/1", 200)
    assert call(client, "GET", "/categories/1").json()["category"]["attribute_sets"] == [4, 5]


@pytest.mark.parametrize("path,key", [("/brands", "brand"), ("/options", "option"), ("/option_sets", "option_set"),
                                      ("/templates", "template"), ("/blocks", "block"), ("/pages", "page"),
                                      ("/display-groups", "display_group"), ("/generic-entities", "generic_entity")])
def test_round_trip(client, path, key):
    made = call(client, "POST", path, 201, json={"name": "Alpha Beta"}).json()[key]
    assert made["id"] == (4 if path == "/options" else 3) and made["name"] == "Alpha Beta"  # fixture option 3
    call(client, "PUT", f"{path}/{made['id']}", 200, json={"name": "Gamma"})
    assert call(client, "GET", f"{path}/{made['id']}", 200).json()[key]["name"] == "Gamma"
    if "slug" in made:
        assert call(client, "GET", f"{path}/{made['id']}").json()[key]["slug"] == "alpha-beta"
    gone = call(client, "DELETE", f"{path}/{made['id']}")
    if gone.status_code == 200:
        assert gone.json() == {"message": "Deleted."}
        call(client, "GET", f"{path}/{made['id']}", 404)
    else:  # blocks, pages, templates and display groups have no DELETE (J-042)
        assert gone.status_code == 404
        call(client, "GET", f"{path}/{made['id']}", 200)


def test_assets_rename_source_uri_and_serialise_thumbnail_as_bits(client):
    made = call(client, "POST", "/brands/2/assets", 201,
                json={"source_uri": "https://cdnpim.com/a.png", "alttext": "A", "thumbnail": True}).json()
    asset = made["brand_asset"]
    assert (asset["brand_id"], asset["uri"], asset["thumbnail"]) == (2, "https://cdnpim.com/a.png", 1)
    call(client, "GET", f"/brands/1/assets/{asset['id']}", 404)
    call(client, "PUT", f"/brands/2/assets/{asset['id']}", 200, json={"alttext": "B", "thumbnail": 0})
    assert call(client, "GET", f"/brands/2/assets/{asset['id']}").json()["brand_asset"]["alttext"] == "B"
    call(client, "POST", "/categories/2/assets", 201, json={"source_uri": "https://x/y.png"})
    call(client, "POST", "/blocks/1/assets", 404, json={"source_uri": "https://x/y.png"})
    assert [a["id"] for a in call(client, "GET", "/pages/1/assets", 200).json()["page_assets"]] == [2]


@pytest.mark.parametrize("path,key,parent_field", [
    ("/blocks/2/assets/1", "block_asset", "block_id"), ("/brands/2/assets/1", "brand_asset", "brand_id"),
    ("/categories/2/assets/1", "category_asset", "category_id"), ("/pages/2/assets/1", "page_asset", "page_id"),
    ("/options/2/values/1", "value_value", "option_id")])
def test_the_seeds_get_examples_answer_on_a_fresh_fake(client, path, key, parent_field):
    item = call(client, "GET", path, 200).json()[key]
    assert item["id"] == 1 and item[parent_field] == 2


def test_brand_attributes(client):
    created = call(client, "POST", "/brands/2/attributes", 201,
                   json={"attribute_id": 1, "version_id": 0, "values": [{"value": "Text"}]}).json()
    item = created["brand_attributes"]
    assert item["attribute_id"] == 1 and [v["value"] for v in item["values"]] == ["Text"]
    value_id = item["values"][0]["id"]
    call(client, "PUT", f"/brands/2/attributes/1/values/{value_id}", 200,
         json={"attribute_id": 1, "version_id": 1, "values": [{"value": "Text Update"}]})
    one = call(client, "GET", "/brands/2/attributes/1", 200).json()["brands_attributes"]
    assert [(v["version_id"], v["value"]) for v in one[0]["values"]] == [(1, "Text Update")]
    call(client, "DELETE", f"/brands/2/attributes/1/values/{value_id}", 200)
    assert call(client, "GET", "/brands/2/attributes/1").json()["brands_attributes"][0]["values"] == []
    call(client, "POST", "/brands/2/assigned-attributes", 201, json={"attribute_id": 2})
    call(client, "POST", "/brand/2/assigned-attribute-sets", 200, json={"attribute_set_id": 1})
    assert [a["attribute_id"] for a in call(client, "GET", "/brands/2/attributes").json()["brand_attributes"]] == [1, 2]
    call(client, "POST", "/brands/2/assigned-attribute-sets", 400, json={"attribute_set_id": 99})


def test_categories_parent_and_channels(client):
    call(client, "POST", "/categories", 400, json={"name": "X"})
    root = call(client, "POST", "/categories", 201, json={"parent_id": 0, "name": "Root2"}).json()["category"]
    assert root["parent_id"] is None
    child = call(client, "POST", "/categories", 201, json={"parent_id": root["id"], "name": "Men's"}).json()
    call(client, "POST", "/categories", 400, json={"parent_id": 999, "name": "Orphan"})
    call(client, "PUT", f"/categories/{root['id']}", 200, json={"attribute_sets": [1, 2]})
    call(client, "PUT", f"/categories/{root['id']}", 400, json={"attribute_sets": [1, 99]})
    assert call(client, "GET", f"/categories/{root['id']}").json()["category"]["attribute_sets"] == [1, 2]
    assert call(client, "POST", "/categories/2/channel/2", 201, json={"web_id": 1}).json()["category_channel"][
        "web_id"] == 1
    assert call(client, "POST", "/categories/2/channel/2", 200, json={"web_id": 7}).json()["category_channel"][
        "web_id"] == 7
    call(client, "POST", "/categories/2/channel/9", 404, json={"web_id": 7})
    call(client, "DELETE", f"/categories/{root['id']}", 200)
    call(client, "GET", f"/categories/{child['category']['id']}", 404)


def test_channels_are_read_only(client):
    assert call(client, "GET", "/channels/2", 200).json()["channel"]["channel_name"] == "BigCommerce"
    for method in ("POST", "PUT", "DELETE"):
        path = "/channels" if method == "POST" else "/channels/1"
        assert call(client, method, path, json={"channel_name": "x"}).status_code in (400, 404)


def test_generic_and_concrete_entities(client):
    made = call(client, "POST", "/generic-entities", 201, json={
        "name": "Designer", "is_tree": 0, "display_on_navigation": 1, "publishable": 0,
        "is_product_attribute": 0, "priority": 3}).json()["generic_entity"]
    assert made["description"] is None and made["parent_id"] is None and made["display_on_navigation"] == 1
    call(client, "PUT", "/generic-entites/3", 200, json={"priority": 4, "is_tree": True})
    got = call(client, "GET", "/generic-entities/3").json()["generic_entity"]
    assert (got["priority"], got["is_tree"]) == (4, 1)
    ce = call(client, "POST", "/generic-entities/3/concrete-entities", 201,
              json={"name": "Winter Lookbook", "priority": 2}).json()["concrete_entity"]
    assert ce["generic_entity_id"] == 3 and ce["parent_id"] is None
    call(client, "GET", f"/generic-entities/1/concrete-entities/{ce['id']}", 404)
    call(client, "PUT", f"/generic-entities/3/concrete-entities/{ce['id']}", 400, json={"parent_id": 1})
    call(client, "PUT", f"/generic-entities/3/concrete-entites/{ce['id']}", 200, json={"priority": 9})
    listing = call(client, "GET", "/generic-entities/3/concrete-entities", 200).json()
    assert listing["meta"]["per_page"] == 1000 and listing["concrete_entities"][0]["priority"] == 9
    call(client, "DELETE", "/generic-entities/3", 200)
    call(client, "GET", "/generic-entities/3/concrete-entities", 404)


def test_pagination_is_laravel_and_covers_every_item_once(app, client):
    engine = app.runtime.vendor_state["jasper"].engine
    res = engine.resources["generic_entities"]
    for i in range(2100):
        engine.create(res, {"name": f"G{i}"})
    seen, page = [], 1
    while True:
        body = call(client, "GET", f"/generic-entities?page={page}", 200).json()
        meta, links = body["meta"], body["links"]
        assert meta["total"] == 2102 and meta["last_page"] == 3 and meta["per_page"] == 1000
        assert links["first"].endswith("/jasper/api/v1/generic-entities?page=1")
        assert links["last"].endswith("page=3")
        assert (links["prev"] is None) == (page == 1) and (links["next"] is None) == (page == 3)
        assert meta["from"] == (page - 1) * 1000 + 1 and meta["to"] == min(page * 1000, 2102)
        seen += [e["id"] for e in body["generic_entities"]]
        if links["next"] is None:
            break
        page += 1
    assert seen == sorted(set(seen)) and len(seen) == 2102
    past = call(client, "GET", "/generic-entities?page=4", 200).json()
    assert past["generic_entities"] == [] and past["meta"]["from"] is None and past["meta"]["current_page"] == 4
    call(client, "GET", "/generic-entities?page=0", 400)
    call(client, "GET", "/generic-entities?page=x", 400)


def test_option_values_and_option_set_options(client):
    made = call(client, "POST", "/options/2/values", 201,
                json={"value": "Blue", "label": "Blue", "sort_order": 2, "is_default": True}).json()["value_value"]
    assert made["option_id"] == 2 and made["is_default"] is True
    values = call(client, "GET", "/options/2/values").json()["value_values"]
    assert [v["value"] for v in values] == ["Yes", "Green", "Blue"]
    call(client, "POST", "/option_sets/2/options", 201, json={"option_id": 2, "sort_order": 2})
    call(client, "POST", "/option_sets/2/options", 200, json={"option_id": 2, "sort_order": 5})
    rows = call(client, "GET", "/option_sets/2/options").json()["option_set_options"]
    assert [(r["option_id"], r["sort_order"]) for r in rows] == [(1, 1), (2, 5)]
    assert call(client, "DELETE", "/option_sets/2/options/2", 200).json() == {"message": "Deleted."}
    call(client, "DELETE", "/options/1", 200)
    assert [r["option_id"] for r in call(client, "GET", "/option_sets/1/options").json()["option_set_options"]] == [2]


def test_change_listeners_hear_every_write(app, client):
    heard = []
    app.runtime.vendor_state["jasper"].engine.subscribe(lambda *event: heard.append(event[:2]))
    call(client, "POST", "/brands", 201, json={"name": "B"})
    call(client, "PUT", "/brands/3", 200, json={"name": "C"})
    call(client, "DELETE", "/brands/1", 200)
    assert heard[:3] == [("brands", "created"), ("brands", "updated"), ("brands", "deleted")]
    assert ("brand_assets", "deleted") in heard
