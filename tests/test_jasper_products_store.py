"""The Store's in-place writes (used by Jasper's engine): the same answers as TinyDB's own API, in O(1)."""

from __future__ import annotations

import pytest
from tinydb.table import Document

from mock_server.store import Store


def test_documents_with_ids_then_automatic_ids_never_collide():
    store = Store()
    assert store.insert("t", Document({"name": "a"}, doc_id=5)) == 5
    assert store.insert_many("t", [Document({"name": "b"}, doc_id=7), Document({"name": "c"}, doc_id=6)]) == [7, 6]
    assert store.insert("t", {"name": "auto"}) == 8
    assert [d["name"] for d in store.get_many("t", [5, 6, 7, 8])] == ["a", "c", "b", "auto"]
    with pytest.raises(ValueError, match="already exists"):
        store.insert("t", Document({"name": "again"}, doc_id=6))
    with pytest.raises(ValueError):
        store.insert_many("t", [Document({}, doc_id=9), Document({}, doc_id=9)])
    assert store.get("t", 9) is None and store.count("t") == 4


def test_updates_and_removals_in_place_and_copies_out():
    store = Store()
    store.declare_index("t", "sku")
    store.insert_many("t", [Document({"sku": "A", "tags": []}, doc_id=1), Document({"sku": "B"}, doc_id=2)])
    tags = ["x"]
    store.update("t", 1, {"tags": tags, "sku": "A2"})
    tags.append("changed outside")
    assert store.get("t", 1) == {"sku": "A2", "tags": ["x"]} and store.lookup("t", "sku", "A2") == 1
    got = store.get("t", 1)
    got["tags"].append("mutated copy")
    assert store.get("t", 1)["tags"] == ["x"]
    with pytest.raises(KeyError):
        store.update_many("t", {2: {"sku": "B2"}, 99: {"sku": "Z"}})
    assert store.get("t", 2) == {"sku": "B"}  # nothing written when one id is missing
    store.remove("t", 1)
    store.remove_many("t", [2])
    assert store.count("t") == 0 and store.lookup("t", "sku", "B") is None
    with pytest.raises(KeyError):
        store.remove("t", 1)


def test_reset_replaces_what_in_place_writes_wrote():
    store = Store()
    store.insert("t", Document({"v": 1}, doc_id=1))
    store.reset({"t": [{"v": 2}]})
    assert [d["v"] for d in store.all("t")] == [2]
    store.insert("t", Document({"v": 3}, doc_id=10))
    assert store.insert("t", {"v": 4}) == 11
