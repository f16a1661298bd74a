"""PIMS rules without HTTP: the spec and its messages, the attribute model, access, values, the index,
the body explainer and the fixtures' seeding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mock_server.errors import BadRequest, Forbidden, NotFound
from mock_server.specs import Messages, load_spec
from mock_server.vendors.base import read_fixture
from mock_server.vendors.pims import rules, seed
from mock_server.vendors.pims.access import require, token_info, view_for
from mock_server.vendors.pims.explain import FIELD_MESSAGES, Explainer
from mock_server.vendors.pims.history import formatted_date_round
from mock_server.vendors.pims.index import FieldIndex, ProductIndex, values_of
from mock_server.vendors.pims.model import Categories, Model
from mock_server.vendors.pims.values import Values

REPO = Path(__file__).resolve().parent.parent
SPEC = load_spec("pims")
MESSAGES = Messages(SPEC["x-messages"])
FIXTURES = read_fixture(REPO / "fixtures" / "pims")


@pytest.fixture(scope="module")
def model():
    return Model(FIXTURES)


# --- the spec ---------------------------------------------------------------------------------------------
SEED_MESSAGES = {
    ("products", "product_not_found"): "Product does not exist!",
    ("products", "sku_list_missing"): "SKU list is not provided!",
    ("products", "sku_list_not_array"): "List of SKUs should be an ARRAY!",
    ("products", "sku_list_empty"): "The SKU list is empty!",
    ("products", "sku_empty"): "SKU cannot be empty!",
    ("products", "product_exists"): "Product already exists!",
}


def test_the_catalog_holds_the_seeds_messages_verbatim():
    for (group, key), text in SEED_MESSAGES.items():
        assert MESSAGES(group, key) == text


def test_every_message_the_code_names_is_in_the_catalog():
    named = re.compile(r'\(\s*"(products|body|values|list|query|access|requests)",\s*"(\w+)"')
    failed = re.compile(r'fail\(\s*"(\w+)"')  # Values.fail: the `values` group
    either = re.compile(r'messages\(group,\s*"(\w+)"')  # listing: `list` or `query`
    used = set()
    for path in (REPO / "mock_server" / "vendors" / "pims").glob("*.py"):
        text = path.read_text()
        used |= set(named.findall(text))
        used |= {("values", key) for key in failed.findall(text)}
        used |= {(group, key) for key in either.findall(text) for group in ("list", "query")}
    used |= {pair for table in FIELD_MESSAGES.values() for pair in table.values()}
    assert len(used) > 50, "the patterns found too few messages"
    missing = sorted(f"{g}.{k}" for g, k in used if k not in MESSAGES.group(g))
    assert not missing


def test_the_operation_takes_the_six_actions_through_a_discriminated_one_of():
    schema = SPEC["components"]["schemas"]["ActionRequest"]
    assert len(schema["oneOf"]) == 6 and schema["discriminator"]["propertyName"] == "action"
    assert rules.ACTIONS == ("listProduct", "listProductsBySku", "getList", "createProduct", "editProduct",
                             "historyProduct")
    operation = SPEC["paths"]["/api/{locale}/pim/manage/products"]["post"]
    assert operation["operationId"] == "manageProducts"
    assert {f"PI-{i:02d}" for i in range(1, 51)} | {f"X-{i}" for i in range(70, 83)} == set(operation["x-rules"])
    scheme = SPEC["components"]["securitySchemes"]["ApiKey"]
    assert (scheme["in"], scheme["name"]) == ("header", "ApiKey")
    assert [s["url"] for s in SPEC["servers"]] == ["https://instancename.piminto.com", "/pims"]


def test_defaults_and_limits_come_from_the_spec():
    assert (rules.DEFAULT_LIMIT, rules.DEFAULT_PAGE, rules.DEFAULT_CAT_ID, rules.SKU_MAX_LENGTH) == (24, 1, 0, 255)
    assert rules.STATUSES == ("active", "inactive", "deleted")


def test_mask_and_day_rounding_match_the_seeds_example():
    assert rules.mask_key("api_pims_editor_0009") == "axxx...xxx9"
    assert formatted_date_round(1707831737) == "2024-02-13 00:00:00"
    assert formatted_date_round(1708668919) == "2024-02-23 00:00:00"
    assert [rules.flag(v) for v in (True, "true", False, "false", None)] == [True, True, False, False, False]


# --- the model --------------------------------------------------------------------------------------------
def test_attribute_flags_are_read_from_the_definition_strings(model):
    sku, categories, weight, description = (model.attributes[n] for n in ("sku", "categories", "weight",
                                                                           "description"))
    assert sku.unique and sku.filterable and sku.orderable
    assert categories.collection and categories.filterable and not categories.orderable
    assert weight.orderable and not weight.filterable and weight.numeric
    assert not description.orderable and description.searchable
    assert model.attributes["brand"].dictionary == ("Acme", "Globex", "Initech", "Umbrella")


def test_categories_have_paths_and_subtrees():
    tree = Categories([{"id": 1, "name": "A", "parent_id": None}, {"id": 2, "name": " B ", "parent_id": 1},
                       {"id": 3, "name": "C", "parent_id": 2}, {"id": 4, "name": "D", "parent_id": None}])
    assert tree.paths == {1: "A", 2: "A > B", 3: "A > B > C", 4: "D"}
    assert sorted(tree.subtree(1)) == [1, 2, 3] and tree.subtree(4) == [4]
    assert tree.resolve("a>b >  c") == "A > B > C" and tree.resolve(2) == "A > B" and tree.resolve("3") == "A > B > C"
    assert tree.resolve("A > X") is None and tree.resolve(9) is None and tree.resolve(True) is None
    with pytest.raises(ValueError, match="own ancestor"):
        Categories([{"id": 1, "name": "A", "parent_id": 2}, {"id": 2, "name": "B", "parent_id": 1}])


def test_definitions_are_per_view_and_locale(model):
    marketing = model.definition(model.views["Marketing"], "fr-fr")
    assert list(marketing)[:3] == ["sku", "name", "copy"]
    assert marketing["name"]["label"] == {"fr-fr": "Titre"} and "comment" in marketing["name"]
    assert model.definition(model.full_view, "xx-yy")["price"]["label"] == {"xx-yy": "Price"}


def test_fixtures_that_name_unknown_attributes_or_views_are_refused():
    broken = {**FIXTURES, "views": {"V": {"attributes": {"title": "name"}}}}
    with pytest.raises(ValueError, match="must show sku"):
        Model(broken)
    keys = {"api_keys": [{"key": "k", "permissions": [], "views": ["Nope"]}]}
    with pytest.raises(ValueError, match="unknown View"):
        Model({**FIXTURES, "credentials": keys})


# --- access -----------------------------------------------------------------------------------------------
def test_keys_permissions_and_views(model):
    editor, viewer, marketing = (model.keys[k] for k in ("api_pims_editor_0009", "api_pims_viewer_0001",
                                                         "api_pims_marketing_0002"))
    assert token_info(model, "nope") is None and token_info(model, editor.key)["sub"] == "axxx...xxx9"
    require(editor, "createProduct", MESSAGES)
    require(viewer, "getList", MESSAGES)
    with pytest.raises(Forbidden, match="createProduct requires Data Editor"):
        require(viewer, "createProduct", MESSAGES)
    assert view_for(model, editor, None, MESSAGES) is model.full_view
    assert view_for(model, viewer, None, MESSAGES).name == "Catalog"
    assert view_for(model, viewer, " Marketing ", MESSAGES).name == "Marketing"
    assert view_for(model, editor, "Catalog", MESSAGES).name == "Catalog"
    with pytest.raises(Forbidden):
        view_for(model, marketing, "Catalog", MESSAGES)
    with pytest.raises(NotFound, match="View 'X' does not exist!"):
        view_for(model, editor, "X", MESSAGES)


def test_a_key_without_permissions_may_do_nothing():
    fixtures = {**FIXTURES, "credentials": {"api_keys": [{"key": "k0", "permissions": []}]}}
    with pytest.raises(Forbidden, match="no Data Viewer or Data Editor"):
        require(Model(fixtures).keys["k0"], "getList", MESSAGES)


# --- values -----------------------------------------------------------------------------------------------
def test_values_through_a_renaming_view(model):
    values = Values(model, model.views["Marketing"], MESSAGES)
    assert values.changes({"name": "T", "list_price": 5, "title": "ignored", "nope": 1}, "S") == \
        {"title": "T", "price": "5"}
    with pytest.raises(BadRequest, match="'list_price' should be a number"):
        values.changes({"list_price": "five"}, "S")


# --- the index --------------------------------------------------------------------------------------------
def test_field_index_keeps_value_maps_in_step():
    field = FieldIndex(numeric=True)
    field.put(1, ("10",))
    field.put(2, ("2.5", "30"))
    assert field.number_range(5, None) == {1, 2} and field.number_range(None, 5) == {2}
    field.put(2, ())
    assert field.by_value == {"10": {1}} and field.present() == {1} and field.number_range(None, 5) == set()
    assert values_of(None) == values_of("") == values_of([]) == () and values_of(["a", "", None]) == ("a",)


def test_default_order_puts_variations_after_their_parent(model):
    index = ProductIndex(model)
    docs = [{"sku": "B"}, {"sku": "a2", "variation_of": "Z"}, {"sku": "Z"}, {"sku": "a1"}, {"sku": "Z1",
                                                                                          "variation_of": "Z"}]
    index.load((i, {"status": "active", **d}) for i, d in enumerate(docs, start=1))
    order = [index.sku_of[i] for i in index.ordering(())]
    assert order == ["a1", "B", "Z", "a2", "Z1"]
    assert [index.sku_of[i] for i in index.page({1, 3, 4}, (), 0, 2)] == ["a1", "B"]


# --- the explainer ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("body", "message"), [
    ({"action": "listProductsBySku"}, "SKU list is not provided!"),
    ({"action": "listProductsBySku", "skus": 5}, "List of SKUs should be an ARRAY!"),
    ({"action": "listProductsBySku", "skus": []}, "The SKU list is empty!"),
    ({"action": "createProduct", "sku": " "}, "SKU cannot be empty!"),
    ({"action": "getList", "params": {"pagination": {"limit": 0}}},
     "params.pagination.limit should be in the range of 1 to 500!"),
    ({"action": "getList", "params": {"order": [{"attribute": "x", "direction": "up"}]}},
     "Order direction should be ASC or DESC!"),
    ({"action": "historyProduct"}, "SKU cannot be empty!"),
    ({"action": "nope"}, "Unknown action 'nope'! Use one of: listProduct, listProductsBySku, getList, createProduct, "
                         "editProduct, historyProduct."),
    ([], "The request body should be a JSON object!"),
])
def test_the_explainer_names_the_first_problem_of_the_actions_schema(body, message):
    assert Explainer().body(body, MESSAGES) == message


def test_the_explainer_accepts_what_the_spec_accepts():
    for body in ({"action": "getList"}, {"action": "listProduct", "sku": "a"},
                 {"action": "createProduct", "sku": "a", "data": {"attributes": {"x": [1]}}, "extra": 1}):
        assert Explainer().body(body, MESSAGES) is None


# --- seeding ----------------------------------------------------------------------------------------------
def test_seed_derives_variation_skus_and_splits_history_per_product():
    tables = seed(FIXTURES)
    products = {doc["sku"]: doc for doc in tables[rules.PRODUCTS]}
    assert products["Part-number00"]["variation_skus"] == ["Part-number01", "Part-number02"]
    assert products["IMP-1001"]["variation_skus"] == [] and products["IMP-1001"]["variation_of"] is None
    assert [e["new"] for e in tables[rules.history_table("TEST-SKU")]] == [{"price": "110.50"},
                                                                           {"title": "New Test SKU"}]


def test_orderings_stay_exact_across_writes_without_a_full_sort(model):
    """After random writes (new products, changed prices and brands, deletions, re-parenting), every cached
    ordering equals a fresh sort of the same catalogue."""
    import random

    rng = random.Random(7)
    specs = [(), (("price", True),), (("brand", False), ("price", True)), (("sku", True),)]

    def doc(n: int) -> dict:
        return {"sku": f"S{n:03d}", "status": rng.choice(["active", "deleted"]),
                "price": rng.choice([None, "5", "10.5", "10.5", "99"]), "brand": rng.choice([None, "acme", "Zed"]),
                "variation_of": rng.choice([None, None, "S001"])}

    index = ProductIndex(model)
    index.load((n, doc(n)) for n in range(1, 60))
    for spec in specs:
        index.ordering(spec)
    for n in [rng.randrange(1, 80) for _ in range(120)]:
        index.put(n, doc(n))
    bases = {key: set(index.base(*key)) for key in [(False, False), (True, True)]}
    fresh = ProductIndex(model)
    fresh.load((doc_id, {"sku": index.sku_of[doc_id], "variation_of": index.parent_of[doc_id],
                         "status": "deleted" if doc_id in index.deleted else "active",
                         **{name: list(field.of.get(doc_id, ())) for name, field in index.fields.items()
                            if name not in ("sku", "variation_of", "status")}})
               for doc_id in index.sku_of)
    for spec in specs:
        assert index.ordering(spec) == fresh.ordering(spec), spec
    for key, members in bases.items():
        assert members == fresh.base(*key)
