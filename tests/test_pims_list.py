"""getList in process: pagination, default and explicit order, flags, categories, filter_values, search and
condition_query, checked against a reference evaluation of the listed data."""

from __future__ import annotations

import random

import pytest
from _pims import ACTIVE_PARENTS, DELETED, INACTIVE, VARIANTS, create, edit, error, get_list, ok, skus

DEFAULT_LIST = sorted(ACTIVE_PARENTS + INACTIVE, key=str.casefold)


def all_pages(client, limit: int, **params) -> list[str]:
    seen, page = [], 1
    while True:
        body = get_list(client, pagination={"limit": limit, "page": page}, **params)
        if not body["products"]:
            return seen
        assert body["sku_count"] >= len(seen) + len(body["products"])
        seen += skus(body)
        page += 1


# --- defaults, pagination -----------------------------------------------------------------------------
def test_the_default_list_is_every_non_deleted_parent_in_sku_order(client):
    body = ok(client, {"action": "getList"})
    assert skus(body) == DEFAULT_LIST and body["sku_count"] == len(DEFAULT_LIST)
    assert skus(ok(client, {"action": "getList", "params": {}})) == DEFAULT_LIST


def test_default_page_size_is_24_and_pages_cover_every_product_once(client):
    for i in range(30):
        create(client, f"BULK-{i:02d}", price=i)
    first = get_list(client)
    assert len(first["products"]) == 24 and first["sku_count"] == 30 + len(DEFAULT_LIST)
    for limit in (1, 7, 24, 500):
        listed = all_pages(client, limit)
        assert len(listed) == len(set(listed)) == first["sku_count"], limit
        assert listed == sorted(listed, key=str.casefold)
    page2 = get_list(client, pagination={"limit": 10, "page": 2})
    assert skus(page2) == all_pages(client, 1)[10:20]
    assert get_list(client, pagination={"limit": 10, "page": 99})["products"] == []
    assert get_list(client, pagination={"limit": 10, "page": 99})["sku_count"] == first["sku_count"]


@pytest.mark.parametrize(("pagination", "message"), [
    ({"limit": 0}, "params.pagination.limit should be in the range of 1 to 500!"),
    ({"limit": 501}, "params.pagination.limit should be in the range of 1 to 500!"),
    ({"limit": -1}, "params.pagination.limit should be in the range of 1 to 500!"),
    ({"page": 0}, "params.pagination.page should be greater than 0!"),
    ({"page": -3}, "params.pagination.page should be greater than 0!"),
    ({"limit": "10"}, "params.pagination.limit should be an integer!"),
    ({"limit": 2.5}, "params.pagination.limit should be an integer!"),
    ({"page": 10_000_001}, "params.pagination.page should be at most 10000000!"),
])
def test_pagination_out_of_range_is_an_error(client, pagination, message):
    assert error(client, {"action": "getList", "params": {"pagination": pagination}}, 400) == message


# --- flags ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("true", [True, "true"])
def test_deleted_and_variants_are_hidden_unless_asked(client, true):
    assert set(skus(get_list(client, include_deleted=true))) == set(DEFAULT_LIST + DELETED)
    with_variants = skus(get_list(client, include_variants=true))
    assert set(with_variants) == set(DEFAULT_LIST + VARIANTS)
    position = with_variants.index("Part-number00")  # variations sort by their parent's SKU, right after it
    assert with_variants[position:position + 3] == ["Part-number00", "Part-number01", "Part-number02"]
    assert skus(get_list(client, include_deleted=False, include_variants="false")) == DEFAULT_LIST


def test_soft_delete_hides_a_product_and_restore_brings_it_back(client):
    edit(client, "IMP-1002", status="deleted")
    assert "IMP-1002" not in skus(get_list(client))
    assert "IMP-1002" in skus(get_list(client, include_deleted="true"))
    edit(client, "IMP-1002", status="inactive")
    assert "IMP-1002" in skus(get_list(client))


# --- categories -----------------------------------------------------------------------------------------
def test_cat_id_selects_a_category_and_subcategories_its_subtree(client):
    # 3 Fishing > 4 Rods > 5 Telescopic; 6 Reels. IMP-1001 is in Telescopic, ABC-* in Rods, IMP-1002 in Reels.
    assert skus(get_list(client, cat_id=0)) == DEFAULT_LIST
    assert skus(get_list(client, cat_id=3)) == []
    assert skus(get_list(client, cat_id=4)) == ["ABC-2001", "ABC-2002"]
    assert skus(get_list(client, cat_id=4, subcategories="true")) == ["ABC-2001", "ABC-2002", "IMP-1001"]
    assert skus(get_list(client, cat_id=3, subcategories=True)) == ["ABC-2001", "ABC-2002", "IMP-1001", "IMP-1002"]
    assert skus(get_list(client, cat_id=7)) == ["ABC-2002", "TEST-SKU"]
    assert error(client, {"action": "getList", "params": {"cat_id": 77}}, 404) == "Category 77 does not exist!"
    assert error(client, {"action": "getList", "params": {"cat_id": -1}}, 400) == \
        "params.cat_id should be greater than -1!"


# --- order --------------------------------------------------------------------------------------------
def prices(body) -> list[float | None]:
    return [None if p["data"]["attributes"]["price"] is None else float(p["data"]["attributes"]["price"])
            for p in body["products"]]


def test_order_by_attributes_and_directions(client):
    ascending = get_list(client, order=[{"attribute": "price"}])
    assert prices(ascending) == sorted(prices(ascending))
    descending = get_list(client, order=[{"attribute": "price", "direction": "desc"}])
    assert prices(descending) == sorted(prices(descending), reverse=True)
    assert skus(get_list(client, order=[{"attribute": "sku", "direction": "DESC"}])) == DEFAULT_LIST[::-1]
    # ties (same brand) are broken by the next item, then by SKU
    body = get_list(client, order=[{"attribute": "brand"}, {"attribute": "price", "direction": "DESC"}])
    rows = [(a["brand"] or "", -float(a["price"])) for a in (p["data"]["attributes"] for p in body["products"])]
    assert rows == sorted(rows)
    # an attribute without a value sorts first ascending (IMP-1001 is the only one with an EAN)
    assert skus(get_list(client, order=[{"attribute": "ean", "direction": "DESC"}]))[0] == "IMP-1001"
    assert get_list(client, order=[{"attribute": "weight"}])["sku_count"] == len(DEFAULT_LIST)  # Indexable only


@pytest.mark.parametrize(("order", "message"), [
    ([{"attribute": "categories"}], "Cannot order by 'categories': it is a Collection!"),
    ([{"attribute": "tags"}], "Cannot order by 'tags': it is a Collection!"),
    ([{"attribute": "description"}], "Cannot order by 'description': it should be Filterable or Indexable!"),
    ([{"attribute": "thumbnail"}], "Cannot order by 'thumbnail': it should be Filterable or Indexable!"),
    ([{"attribute": "nope"}], "Attribute 'nope' does not exist!"),
    ([{"attribute": "price", "direction": "UP"}], "Order direction should be ASC or DESC!"),
    ([{"attribute": "price", "direction": 1}], "Order direction should be ASC or DESC!"),
    ([{"direction": "ASC"}], "params.order[0].attribute cannot be empty!"),
    ({"attribute": "price"}, "params.order should be an array!"),
])
def test_bad_order_is_an_error(client, order, message):
    assert error(client, {"action": "getList", "params": {"order": order}}, 400) == message


# --- filter_values ----------------------------------------------------------------------------------------
def test_filter_values_single_several_and_ranges(client):
    assert skus(get_list(client, filter_values={"brand": "Acme"})) == ["IMP-1001", "IMP-1002"]
    assert skus(get_list(client, filter_values={"brand": "acme|Globex"})) == ["ABC-2001", "IMP-1001", "IMP-1002"]
    assert skus(get_list(client, filter_values={"price": "39.5;;100"})) == ["ABC-2001", "IMP-1002", "Part-number00"]
    assert skus(get_list(client, filter_values={"price": "100;;39.5"})) == ["ABC-2001", "IMP-1002", "Part-number00"]
    assert skus(get_list(client, filter_values={"price": "15|110.5"})) == ["ABC-2002", "TEST-SKU"]
    assert skus(get_list(client, filter_values={"price": "1;;20|100"})) == ["ABC-2002", "Part-number00"]
    assert skus(get_list(client, filter_values={"price": 129.99})) == ["IMP-1001"]
    assert skus(get_list(client, filter_values={"categories": "Accessories"})) == ["ABC-2002", "TEST-SKU"]
    assert skus(get_list(client, filter_values={"categories": "7|fishing>rods"})) == ["ABC-2001", "ABC-2002",
                                                                                     "TEST-SKU"]
    assert skus(get_list(client, filter_values={"brand": "Acme", "color": "Silver"})) == ["IMP-1002"]
    assert skus(get_list(client, filter_values={"brand": ""})) == DEFAULT_LIST  # an empty value filters nothing
    assert skus(get_list(client, filter_values={"status": "inactive"})) == ["ABC-2002"]


@pytest.mark.parametrize(("filters", "message"), [
    ({"price": "a;;b"}, "Range 'a;;b' of 'price' should be two numbers separated by ';;' (digits and periods only)!"),
    ({"price": "-1;;5"}, "Range '-1;;5' of 'price' should be two numbers separated by ';;' (digits and periods only)!"),
    ({"price": "1;;2;;3"}, "Range '1;;2;;3' of 'price' should be two numbers separated by ';;' (digits and periods "
                           "only)!"),
    ({"price": "1..2;;3"}, "Range '1..2;;3' of 'price' should be two numbers separated by ';;' (digits and periods "
                           "only)!"),
    ({"price": "10;;"}, "Range '10;;' of 'price' should be two numbers separated by ';;' (digits and periods only)!"),
    ({"title": "1;;2"}, "Attribute 'title' does not hold numbers: a range cannot filter it!"),
    ({"price": "cheap"}, "Attribute 'price' holds numbers: 'cheap' is not a number!"),
    ({"description": "x"}, "Attribute 'description' is not Filterable!"),
    ({"weight": "1"}, "Attribute 'weight' is not Filterable!"),
    ({"nope": "x"}, "Attribute 'nope' does not exist!"),
    ({"brand": ["Acme"]}, "params.filter_values.brand is not valid!"),
])
def test_bad_filter_values_are_errors(client, filters, message):
    assert error(client, {"action": "getList", "params": {"filter_values": filters}}, 400) == message


# --- search -----------------------------------------------------------------------------------------------
def test_search_matches_every_word_in_some_searchable_attribute(client):
    assert skus(get_list(client, search="rod")) == ["ABC-2001", "ABC-2002", "IMP-1001"]
    assert skus(get_list(client, search="ROD carbon")) == ["IMP-1001"]
    assert skus(get_list(client, search="acme")) == ["IMP-1001", "IMP-1002"]  # brand is Searchable
    assert skus(get_list(client, search="beginners")) == ["ABC-2001"]  # description is Searchable
    assert skus(get_list(client, search="Silver")) == []  # color is not Searchable
    assert skus(get_list(client, search="  ")) == DEFAULT_LIST
    assert skus(get_list(client, search="zzz")) == []


# --- condition_query --------------------------------------------------------------------------------------
def test_the_seeds_condition_query_example(client):
    body = get_list(client, condition_query="[[sku]] not LIKE 'IMP%'")
    assert skus(body) == ["ABC-2001", "ABC-2002", "Part-number00", "TEST-SKU"]


def test_condition_query_combines_with_the_other_parameters(client):
    body = get_list(client, condition_query="[[price]] >= 39.5 AND ([[brand]] = 'acme' OR [[color]] = 'Green')",
                    order=[{"attribute": "price", "direction": "DESC"}], include_deleted="true")
    assert skus(body) == ["IMP-1001", "IMP-1002", "ABC-2001"]
    assert skus(get_list(client, condition_query="[[variation_of]] = 'Part-number00'",
                         include_variants="true")) == VARIANTS
    assert skus(get_list(client, condition_query="[[variation_of]] IS NULL", cat_id=4)) == ["ABC-2001", "ABC-2002"]


@pytest.mark.parametrize(("query", "message"), [
    ("[[description]] LIKE '%rod%'", "Attribute 'description' in condition_query is not Filterable!"),
    ("[[nope]] = 1", "Attribute 'nope' in condition_query does not exist!"),
    ("[[price]] = 'cheap'", "Attribute 'price' holds numbers: 'cheap' is not a number!"),
    ("[[sku]] = 'x' OR", "Syntax error in condition_query at position 17: expected [[attribute]], a string or a "
                         "number but found the end of the query"),
    ("[[sku]] = 'unbalanced", "Syntax error in condition_query at position 11: the string opened with ' is not "
                              "closed"),
    ("(" * 10_000 + "[[sku]] = 'x'" + ")" * 10_000,
     "condition_query is nested too deeply: at most 64 levels of parentheses or NOT!"),
    ("[[sku]] = 'x'; DROP TABLE products", "Syntax error in condition_query at position 14: unexpected character ';'"),
    ("1=1 UNION SELECT * FROM users", "Syntax error in condition_query at position 5: unexpected word 'UNION': "
                                      "attributes are written [[name]], strings 'in quotes'"),
])
def test_bad_condition_queries_are_clear_errors(client, query, message):
    assert error(client, {"action": "getList", "params": {"condition_query": query}}, 400) == message


def test_injection_strings_inside_literals_are_just_text(client):
    assert skus(get_list(client, condition_query="[[sku]] = 'x'' OR ''1''=''1'")) == []
    assert skus(get_list(client, condition_query="[[title]] = '\\' OR 1=1 --'")) == []


# --- reference evaluation over generated data -------------------------------------------------------------
@pytest.fixture
def catalog(client):
    rng = random.Random(5)
    rows = []
    for i in range(60):
        row = {"sku": f"GEN-{i:03d}", "price": f"{rng.randint(1, 400) / 4:.2f}", "stock": rng.randint(0, 9),
               "brand": rng.choice(["Acme", "Globex", "Initech", None]),
               "title": rng.choice(["Alpha rod", "beta REEL", "Gamma net", "delta line"]),
               "status": rng.choice(["active", "active", "inactive", "deleted"])}
        create(client, row["sku"], **{k: v for k, v in row.items() if k != "sku" and v is not None})
        rows.append(row)
    return rows


REFERENCES = {
    "[[price]] > 50 AND [[stock]] < 5": lambda r: float(r["price"]) > 50 and r["stock"] < 5,
    "[[brand]] IN ('acme', 'initech') OR [[title]] LIKE '%reel%'":
        lambda r: (r["brand"] or "").lower() in ("acme", "initech") or "reel" in r["title"].lower(),
    "NOT [[brand]] = 'Globex'": lambda r: r["brand"] is not None and r["brand"] != "Globex",
    "[[brand]] IS NULL OR [[price]] BETWEEN 10 AND 20": lambda r: r["brand"] is None or 10 <= float(r["price"]) <= 20,
    "[[title]] NOT LIKE '_eta%' AND [[stock]] != 3": lambda r: not r["title"].lower()[1:].startswith("eta")
    and r["stock"] != 3,
}


@pytest.mark.parametrize("query", REFERENCES)
def test_condition_query_agrees_with_a_reference_over_the_listed_data(client, catalog, query):
    listed = all_pages(client, 7, condition_query=f"[[sku]] LIKE 'GEN-%' AND ({query})",
                       order=[{"attribute": "price", "direction": "DESC"}, {"attribute": "sku"}])
    expected = [r for r in catalog if r["status"] != "deleted" and REFERENCES[query](r)]
    expected.sort(key=lambda r: (-float(r["price"]), r["sku"]))
    assert listed == [r["sku"] for r in expected]
    with_deleted = all_pages(client, 500, include_deleted="true", condition_query=f"[[sku]] LIKE 'GEN%' AND ({query})")
    assert sorted(with_deleted) == sorted(r["sku"] for r in catalog if REFERENCES[query](r))
