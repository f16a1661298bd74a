"""Jasper's resource engine without HTTP: a small declared table (a product-like resource with nested assets,
versions) driven through create / read / update / delete, versions, cascades and listeners."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mock_server.clock import VirtualClock
from mock_server.errors import BadRequest, NotFound
from mock_server.store import Store
from mock_server.vendors.jasper.engine import Engine, seed_tables
from mock_server.vendors.jasper.model import BIT, PULL, SET_NULL, TS, Field, Ref, Resource, Versioning

TABLE = (
    Resource("tags", "tag", "tags", {"name": Field()}, unique=("name",)),
    Resource("products", "product", "products",
             {"name": Field(), "sku": Field(), "parent_id": Field(), "tags": Field([]),
              "created_at": Field(out=TS, stored=False)},  # shows a created_at: stamped by the clock
             unique=("sku",), refs={"parent_id": Ref("products", SET_NULL), "tags": Ref("tags", PULL, many=True)},
             versioning=Versioning(translated=("name",)), per_page=25, max_limit=100),
    Resource("assets", "asset", "assets",
             {"uri": Field(), "thumbnail": Field(0, out=BIT),  # shown as 1/0: stored as 1/0
              "image_url": Field(stored=False, alias_of="uri")},
             parent="products", parent_field="product_id"),
)


@pytest.fixture
def engine():
    store = Store()
    eng = Engine(store, VirtualClock("manual", datetime(2024, 3, 15, 9, tzinfo=UTC)), TABLE, versions=[1, 2])
    store.reset(seed_tables(eng.resources, {"tags": [{"id": 1, "name": "sale"}],
                                            "products": [{"id": 1, "name": "Shirt", "sku": "S1", "tags": [1]}]}))
    eng.load()
    return eng


def res(engine, name):
    return engine.resources[name]


def test_create_fills_defaults_timestamps_and_renames(engine):
    product = engine.create(res(engine, "products"), {"name": "Cap", "sku": "C1", "id": 77, "created_at": "x"})
    assert product == {"id": 2, "name": "Cap", "sku": "C1", "parent_id": None, "tags": [],
                       "created_at": "2024-03-15T09:00:00+00:00", "updated_at": "2024-03-15T09:00:00+00:00"}
    asset = engine.create(res(engine, "assets"), {"image_url": "u", "thumbnail": True}, parent_id=2)
    assert asset == {"id": 1, "product_id": 2, "uri": "u", "thumbnail": 1}
    with pytest.raises(NotFound):
        engine.create(res(engine, "assets"), {"uri": "u"}, parent_id=99)
    with pytest.raises(NotFound):
        engine.get(res(engine, "assets"), 1, parent_id=1)


def test_unique_and_references_are_400(engine):
    products = res(engine, "products")
    with pytest.raises(BadRequest, match="sku has already been taken"):
        engine.create(products, {"sku": "S1"})
    with pytest.raises(BadRequest, match="selected tags is invalid"):
        engine.create(products, {"sku": "S2", "tags": [1, 5]})
    with pytest.raises(BadRequest, match="selected parent_id is invalid"):
        engine.update(products, 1, {"parent_id": 1})
    assert engine.update(products, 1, {"sku": "S1"})["sku"] == "S1"  # its own value is no duplicate


def test_ids_are_never_reused(engine):
    products = res(engine, "products")
    second = engine.create(products, {"sku": "A"})
    engine.delete(products, second["id"])
    assert engine.create(products, {"sku": "B"})["id"] == second["id"] + 1


def test_delete_cascades_nulls_and_pulls(engine):
    products, tags = res(engine, "products"), res(engine, "tags")
    child = engine.create(products, {"sku": "K", "parent_id": 1})
    engine.create(res(engine, "assets"), {"uri": "a"}, parent_id=1)
    heard = []
    engine.subscribe(lambda *event: heard.append(event[:2]))
    engine.delete(tags, 1)
    assert engine.get(products, 1)["tags"] == []
    engine.delete(products, 1)
    assert engine.get(products, child["id"])["parent_id"] is None
    assert engine.list(res(engine, "assets"), child["id"]) == []
    assert heard == [("tags", "deleted"), ("products", "updated"), ("products", "deleted"),
                     ("products", "updated"), ("assets", "deleted")]


def test_versions_are_isolated_and_created_on_put(engine):
    products = res(engine, "products")
    assert engine.get_version(products, 1, 1)["name"] == "Shirt"  # no row yet: the master's values
    engine.put_version(products, 1, 1, {"name": "Chemise", "sku": "ignored"})
    assert engine.get(products, 1)["name"] == "Shirt" and engine.get(products, 1)["sku"] == "S1"
    assert engine.get_version(products, 1, 1)["name"] == "Chemise"
    engine.update(products, 1, {"name": "T-shirt"})
    assert engine.get_version(products, 1, 1)["name"] == "Chemise"
    assert engine.get_version(products, 1, 2)["name"] == "T-shirt"
    with pytest.raises(NotFound):
        engine.put_version(products, 1, 9, {"name": "x"})
    engine.delete_version(products, 1, 1)
    assert engine.get_version(products, 1, 1)["name"] == "T-shirt"
    with pytest.raises(NotFound):
        engine.delete_version(products, 1, 1)


def test_pages_slice_the_index(engine):
    products = res(engine, "products")
    for n in range(60):
        engine.create(products, {"sku": f"P{n}"})
    engine.put_version(products, 30, 1, {"name": "Trente"})
    items, total = engine.page(products, None, 2, 25, version=1)
    assert total == 61 and [i["id"] for i in items] == list(range(26, 51))
    assert next(i for i in items if i["id"] == 30)["name"] == "Trente"
    assert engine.page(products, None, 4, 25)[0] == []


def test_load_rebuilds_the_indexes(engine):
    products = res(engine, "products")
    engine.create(products, {"sku": "Z"})
    engine.load()
    with pytest.raises(BadRequest):
        engine.create(products, {"sku": "Z"})
    assert [p["sku"] for p in engine.list(products)] == ["S1", "Z"]
