"""The store: no lost writes under concurrency, no shared objects handed out, indexes kept."""

from __future__ import annotations

import threading

from mock_server.store import Store


def test_concurrent_inserts_are_all_kept():
    store = Store()
    store.declare_index("t", "key")

    def work(n: int) -> None:
        for i in range(200):
            store.insert("t", {"key": f"{n}-{i}"})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.count("t") == 2000
    assert all(store.lookup("t", "key", f"{n}-{i}") is not None for n in range(10) for i in range(200))


def test_documents_handed_out_are_copies():
    store = Store()
    doc_id = store.insert("t", {"nested": {"a": 1}})
    store.get("t", doc_id)["nested"]["a"] = 2
    store.all("t")[0]["nested"]["a"] = 3
    assert store.get("t", doc_id) == {"nested": {"a": 1}}


def test_peek_reads_the_stored_document_in_place_and_none_for_a_missing_id():
    """`peek` is for a caller that only looks (Jasper's check that a parent exists): no deep copy (the nested
    values are the stored ones), and an update replaces the document rather than changing what was peeked."""
    store = Store()
    doc_id = store.insert("t", {"nested": {"a": 1}})
    first = store.peek("t", doc_id)
    assert first == {"nested": {"a": 1}} and store.peek("t", doc_id)["nested"] is first["nested"]
    assert store.get("t", doc_id)["nested"] is not first["nested"]  # what `get` hands out is a copy
    assert store.peek("t", doc_id + 1) is None and store.peek("other", doc_id) is None
    store.update("t", doc_id, {"nested": {"a": 2}})
    assert first == {"nested": {"a": 1}} and store.peek("t", doc_id) == {"nested": {"a": 2}}


def test_documents_taken_in_are_copies_and_keep_their_kind():
    store = Store()
    given = {"list": [{"a": 1}], "pair": (1, [2])}
    doc_id = store.insert("t", given)
    given["list"][0]["a"] = 2
    given["pair"][1].append(3)
    store.update("t", doc_id, {"more": given["list"]})
    given["list"].append("x")
    got = store.get("t", doc_id)
    assert got == {"list": [{"a": 1}], "pair": (1, [2]), "more": [{"a": 2}]}
    assert type(got["pair"]) is tuple
    got["more"][0]["a"] = 9
    assert store.get_many("t", [doc_id])[0]["more"] == [{"a": 2}]


def test_update_many_applies_each_change_to_its_own_document_and_reindexes():
    store = Store()
    store.declare_index("p", "ean")
    ids = store.insert_many("p", [{"ean": "1", "t": "a"}, {"ean": "2", "t": "b"}, {"ean": "3", "t": "c"}])
    store.update_many("p", {ids[2]: {"t": "C"}, ids[0]: {"t": "A", "ean": "9"}})
    assert [d["t"] for d in store.all("p")] == ["A", "b", "C"]
    assert store.lookup("p", "ean", "9") == ids[0]
    assert store.get_many("p", [ids[1], ids[2]]) == [{"ean": "2", "t": "b"}, {"ean": "3", "t": "C"}]


def test_reset_reseeds_and_rebuilds_indexes():
    store = Store()
    store.declare_index("p", "ean")
    store.insert("p", {"ean": "1"})
    store.insert("other", {"x": 1})
    store.reset({"p": [{"ean": "7"}]})
    assert store.all("p") == [{"ean": "7"}]
    assert store.lookup("p", "ean", "1") is None and store.lookup("p", "ean", "7") == 1
    assert store.count("other") == 0
