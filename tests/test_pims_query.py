"""condition_query: the tokenizer and parser (valid forms, precedence, hostile input), LIKE matching, and
evaluation over a hand-built index against a reference evaluation."""

from __future__ import annotations

import itertools
import time

import pytest

from mock_server.vendors.pims.evaluate import Evaluator, like_matcher, literal_prefix
from mock_server.vendors.pims.index import ProductIndex
from mock_server.vendors.pims.model import Model
from mock_server.vendors.pims.query import (
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_TERMS,
    And,
    Attr,
    Between,
    Compare,
    In,
    IsNull,
    Like,
    Literal,
    Not,
    Or,
    QueryError,
    attributes,
    parse,
    tokenize,
)


def lit(value, number=False):
    return Literal(value, number, 0)


def strip(node):
    """The tree without positions, to compare shapes."""
    if isinstance(node, Attr):
        return ("attr", node.name)
    if isinstance(node, Literal):
        return ("num" if node.is_number else "str", node.value)
    if isinstance(node, And | Or):
        return (type(node).__name__, tuple(strip(i) for i in node.items))
    if isinstance(node, Not):
        return ("Not", strip(node.item))
    if isinstance(node, Compare):
        return (node.op, strip(node.left), strip(node.right))
    if isinstance(node, Like):
        return ("like", strip(node.operand), strip(node.pattern))
    if isinstance(node, In):
        return ("in", strip(node.operand), tuple(strip(v) for v in node.values))
    if isinstance(node, Between):
        return ("between", strip(node.operand), strip(node.low), strip(node.high))
    if isinstance(node, IsNull):
        return ("null", strip(node.operand))
    raise AssertionError(node)


A, B = ("attr", "a"), ("attr", "b")

VALID = {
    "[[sku]] not LIKE 'IMP%'": ("Not", ("like", ("attr", "sku"), ("str", "IMP%"))),
    "[[a]] = 1": ("=", A, ("num", "1")),
    "[[a]] == 'x'": ("=", A, ("str", "x")),
    "[[a]] != -2.5": ("Not", ("=", A, ("num", "-2.5"))),
    "[[a]] <> 'x'": ("Not", ("=", A, ("str", "x"))),
    "[[a]]<=.5": ("<=", A, ("num", ".5")),
    "[[a]] >= 3 and [[b]] < 4": ("And", ((">=", A, ("num", "3")), ("<", B, ("num", "4")))),
    "'x' = [[a]]": ("=", ("str", "x"), A),
    "[[a]] = [[b]]": ("=", A, B),
    "[[a]] IN ('x', 2, \"y\")": ("in", A, (("str", "x"), ("num", "2"), ("str", "y"))),
    "[[a]] not in (1)": ("Not", ("in", A, (("num", "1"),))),
    "[[a]] BETWEEN 1 AND 5": ("between", A, ("num", "1"), ("num", "5")),
    "[[a]] NOT BETWEEN 1 AND 5 AND [[b]] = 1": ("And", (("Not", ("between", A, ("num", "1"), ("num", "5"))),
                                                        ("=", B, ("num", "1")))),
    "[[a]] is null": ("null", A),
    "[[a]] IS NOT NULL": ("Not", ("null", A)),
    "[[ My attr ]] = 'it''s'": ("=", ("attr", "My attr"), ("str", "it's")),
    "[[a]] = 'back\\'slash'": ("=", A, ("str", "back'slash")),
    "[[a]] = '' ": ("=", A, ("str", "")),
    "[[a]] = 'DROP TABLE products; --'": ("=", A, ("str", "DROP TABLE products; --")),
    "NOT NOT [[a]] = 1": ("Not", ("Not", ("=", A, ("num", "1")))),
    "(((([[a]] = 1))))": ("=", A, ("num", "1")),
}


@pytest.mark.parametrize("text", VALID)
def test_valid_forms_parse_to_their_tree(text):
    assert strip(parse(text)) == VALID[text]


def test_and_binds_tighter_than_or_and_not_tighter_than_and():
    tree = strip(parse("[[a]] = 1 OR [[b]] = 2 AND NOT [[a]] = 3"))
    assert tree == ("Or", (("=", A, ("num", "1")),
                           ("And", (("=", B, ("num", "2")), ("Not", ("=", A, ("num", "3")))))))
    grouped = strip(parse("([[a]] = 1 OR [[b]] = 2) AND [[a]] = 3"))
    assert grouped[0] == "And" and grouped[1][0][0] == "Or"


def test_chains_are_flat_so_length_never_becomes_depth():
    tree = parse(" AND ".join(["[[a]] = 1"] * 200))
    assert isinstance(tree, And) and len(tree.items) == 200


def test_keywords_are_case_insensitive_and_attributes_are_collected_in_order():
    tree = parse("[[b]] lIkE 'x' oR [[a]] In (1) AnD [[c]] iS nOt NuLl")
    assert [a.name for a in attributes(tree)] == ["b", "a", "c"]


def test_tokens_carry_their_position():
    assert [(t.kind, t.position) for t in tokenize("[[a]] = 'x'")] == [
        ("attr", 0), ("op", 6), ("string", 8), ("end", 11)]


INVALID = {
    "": "the query is empty",
    "   ": "the query is empty",
    "[[a]]": "expected a comparison",
    "[[a]] = ": "expected [[attribute]], a string or a number but found the end of the query",
    "[[a]] = 'open": "the string opened with ' is not closed",
    "[[a = 1": "not closed with ]]",
    "[[]] = 1": "attribute name is empty",
    "sku = 1": "unexpected word 'sku': attributes are written [[name]]",
    "[[a]] = 1 ; DROP TABLE x": "unexpected character ';'",
    "[[a]] = 1 OR": "expected [[attribute]], a string or a number but found the end of the query",
    "([[a]] = 1": "expected ')'",
    "[[a]] = 1)": "expected AND, OR or the end of the query but found ')'",
    "[[a]] = NULL": "use IS NULL",
    "[[a]] LIKE [[b]]": "a LIKE pattern must be a string or a number",
    "[[a]] IN 1": "expected '(' after IN",
    "[[a]] IN ()": "expected [[attribute]], a string or a number but found ')'",
    "[[a]] IN (1,": "found the end of the query",
    "[[a]] IN (1 2)": "expected ')' or ','",
    "[[a]] BETWEEN 1 OR 2": "expected AND in BETWEEN",
    "[[a]] IS 1": "expected NULL after IS",
    "[[a]] NOT = 1": "expected LIKE, IN or BETWEEN after NOT",
    "[[a]] = 1 [[b]] = 2": "expected AND, OR or the end of the query but found [[b]]",
    "1 = 1 UNION SELECT": "unexpected word 'UNION'",
    "[[a]] = 'x' -- comment": "unexpected character '-'",
    "[[a]] = `x`": "unexpected character '`'",
    "[[a]] = 1e5": "unexpected word 'e5'",
}


@pytest.mark.parametrize("text", INVALID)
def test_bad_syntax_is_a_query_error_with_a_reason_and_a_position(text):
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert caught.value.key == "syntax"
    assert INVALID[text] in caught.value.params["reason"]
    assert 1 <= caught.value.params["position"] <= len(text) + 1


def test_positions_point_at_the_offending_token():
    with pytest.raises(QueryError) as caught:
        parse("[[a]] = 1 AND [[b]] ~ 2")
    assert caught.value.params["position"] == 21


@pytest.mark.parametrize("text", [
    "(" * 10_000 + "[[a]] = 1" + ")" * 10_000,
    "NOT " * 10_000 + "[[a]] = 1",
    "(" * 10_000,
    "((NOT " * 5_000 + "[[a]] = 1",
])
def test_deep_nesting_is_refused_clearly_before_the_stack_runs_out(text):
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert caught.value.key == "too_deep" and caught.value.params["limit"] == MAX_DEPTH


def test_nesting_up_to_the_limit_is_fine():
    depth = MAX_DEPTH
    assert strip(parse("(" * depth + "[[a]] = 1" + ")" * depth)) == ("=", A, ("num", "1"))


def test_too_many_conditions_and_too_long_queries_are_refused():
    with pytest.raises(QueryError) as caught:
        parse(" OR ".join(["[[a]] = 1"] * (MAX_TERMS + 1)))
    assert caught.value.key == "too_many_terms"
    with pytest.raises(QueryError) as caught:
        parse("[[a]] = '" + "x" * MAX_LENGTH + "'")
    assert caught.value.key == "too_long"


# --- LIKE -------------------------------------------------------------------------------------------------
LIKE_CASES = [
    ("IMP%", "imp-1", True), ("IMP%", "XIMP", False), ("%rod%", "carbon rod 2", True), ("%rod", "rods", False),
    ("a_c", "abc", True), ("a_c", "abbc", False), ("%", "", True), ("", "", True), ("", "x", False),
    ("a%b%c", "axxbyyc", True), ("a%b%c", "acb", False), ("%a%a%", "aa", True), ("%a%a%", "a", False),
    ("100\\%", "100%", True), ("100\\%", "1000", False), ("a\\_b", "a_b", True), ("a\\_b", "axb", False),
    ("%.%", "1.5", True), ("[x]%", "[x]y", True), ("ab%ba", "aba", False), ("ab%ba", "abba", True),
]


@pytest.mark.parametrize(("pattern", "text", "expected"), LIKE_CASES)
def test_like_matches_as_sql_does(pattern, text, expected):
    assert like_matcher(pattern.casefold())(text.casefold()) is expected


def test_a_hostile_like_pattern_is_matched_in_linear_time():
    match = like_matcher("%a" * 40 + "%b")
    started = time.perf_counter()
    assert match("a" * 5000) is False
    assert time.perf_counter() - started < 0.5


def test_literal_prefix_is_recognised_only_for_plain_prefixes():
    assert literal_prefix("IMP%") == "imp"
    assert literal_prefix("I_P%") is None and literal_prefix("%IMP") is None and literal_prefix("IMP\\%") is None


# --- evaluation over a hand-built index, against a reference -----------------------------------------
ATTRS = {
    "sku": {"type": "string", "isUnique": "1", "isFilterable": "1"},
    "status": {"type": "string", "isFilterable": "1"},
    "categories": {"type": "category", "collection": "1", "isFilterable": "1"},
    "variation_of": {"type": "sku", "isFilterable": "1"},
    "variation_skus": {"type": "sku", "collection": "1"},
    "variation_attributes": {"type": "attribute", "collection": "1"},
    "price": {"type": "number", "isFilterable": "1"},
    "cost": {"type": "number", "isFilterable": "1"},
    "title": {"type": "string", "isFilterable": "1"},
    "tags": {"type": "string", "collection": "1", "isFilterable": "1"},
}
ROWS = [
    {"sku": "IMP1", "price": "10", "cost": "4", "title": "Carbon Rod", "tags": ["a", "b"]},
    {"sku": "imp2", "price": "25.5", "cost": "30", "title": "reel"},
    {"sku": "ABC1", "price": "100.00", "title": "Rod holder", "tags": ["b"]},
    {"sku": "ABC2", "cost": "1", "title": None, "tags": []},
    {"sku": "Z_9", "price": "-3", "cost": "-3", "title": "100% cotton"},
]


@pytest.fixture(scope="module")
def built():
    model = Model({"attributes": {k: {"label": {}, "comment": {}, **v} for k, v in ATTRS.items()},
                   "credentials": {"api_keys": []}})
    index = ProductIndex(model)
    index.load((i, {"status": "active", **row}) for i, row in enumerate(ROWS, start=1))
    return index


def run(index, text):
    tree = parse(text)
    fields = {a.name: index.fields[a.name] for a in attributes(tree)}
    return sorted(index.sku_of[i] for i in Evaluator(index, fields).true(tree))


def value(row, name):
    v = row.get(name)
    return None if v in (None, "", []) else v


# Reference: SQL three-valued logic written out directly, product by product.
def ref_cmp(row, name, op, literal):
    v = value(row, name)
    if v is None:
        return None
    vals = v if isinstance(v, list) else [v]
    if name in ("price", "cost"):
        return any({"=": float(x) == literal, "<": float(x) < literal, ">": float(x) > literal,
                    "<=": float(x) <= literal, ">=": float(x) >= literal}[op] for x in vals)
    return any({"=": x.casefold() == literal.casefold(), "<": x.casefold() < literal.casefold(),
                ">": x.casefold() > literal.casefold()}[op] for x in vals)


def sql_not(x):
    return None if x is None else not x


def sql_and(x, y):
    return False if x is False or y is False else (None if x is None or y is None else True)


def sql_or(x, y):
    return True if x is True or y is True else (None if x is None or y is None else False)


REFERENCE = {
    "[[price]] > 20": lambda r: ref_cmp(r, "price", ">", 20),
    "[[price]] = 100": lambda r: ref_cmp(r, "price", "=", 100),
    "[[price]] != 100": lambda r: sql_not(ref_cmp(r, "price", "=", 100)),
    "NOT [[price]] > 20": lambda r: sql_not(ref_cmp(r, "price", ">", 20)),
    "[[price]] < 20 OR [[cost]] > 10": lambda r: sql_or(ref_cmp(r, "price", "<", 20), ref_cmp(r, "cost", ">", 10)),
    "NOT ([[price]] < 20 OR [[cost]] > 10)": lambda r: sql_not(sql_or(ref_cmp(r, "price", "<", 20),
                                                                        ref_cmp(r, "cost", ">", 10))),
    "[[price]] < 20 AND NOT [[cost]] > 10": lambda r: sql_and(ref_cmp(r, "price", "<", 20),
                                                              sql_not(ref_cmp(r, "cost", ">", 10))),
    "[[sku]] not LIKE 'IMP%'": lambda r: not r["sku"].casefold().startswith("imp"),
    "[[title]] LIKE '%rod%'": lambda r: None if value(r, "title") is None else "rod" in r["title"].casefold(),
    "[[title]] NOT LIKE '%rod%'": lambda r: sql_not(None if value(r, "title") is None
                                                    else "rod" in r["title"].casefold()),
    "[[title]] LIKE '100\\%%'": lambda r: None if value(r, "title") is None else r["title"].startswith("100%"),
    "[[title]] IS NULL": lambda r: value(r, "title") is None,
    "[[title]] IS NOT NULL OR [[price]] < 0": lambda r: value(r, "title") is not None or ref_cmp(r, "price", "<", 0),
    "[[tags]] = 'b'": lambda r: ref_cmp(r, "tags", "=", "b"),
    "[[tags]] != 'b'": lambda r: sql_not(ref_cmp(r, "tags", "=", "b")),
    "[[sku]] IN ('imp1', 'ABC2', 'nope')": lambda r: r["sku"].casefold() in ("imp1", "abc2"),
    "[[price]] NOT IN (10, '25.5')": lambda r: sql_not(None if value(r, "price") is None
                                                       else float(r["price"]) in (10, 25.5)),
    "[[price]] BETWEEN 10 AND 25.5": lambda r: sql_and(ref_cmp(r, "price", ">=", 10), ref_cmp(r, "price", "<=", 25.5)),
    "[[title]] BETWEEN 'a' AND 'd'": lambda r: None if value(r, "title") is None
    else "a" <= r["title"].casefold() <= "d",
    "[[price]] > [[cost]]": lambda r: None if value(r, "price") is None or value(r, "cost") is None
    else float(r["price"]) > float(r["cost"]),
    "10 < [[price]]": lambda r: ref_cmp(r, "price", ">", 10),
    "'a' = 'A'": lambda r: True,
    "1 = 2 OR [[sku]] = 'z_9'": lambda r: r["sku"] == "Z_9",
    "[[sku]] = 'x' OR 1 = 1": lambda r: True,
    "[[title]] < 'reel'": lambda r: ref_cmp(r, "title", "<", "reel"),
}


@pytest.mark.parametrize("text", REFERENCE)
def test_evaluation_agrees_with_a_row_by_row_reference(built, text):
    expected = sorted(row["sku"] for row in ROWS if REFERENCE[text](row) is True)
    assert run(built, text) == expected


def test_not_and_three_valued_logic_partition_the_products(built):
    """For every predicate, true + false + unknown (a missing value) is every product exactly once."""
    for text in ("[[price]] > 20", "[[title]] LIKE '%o%'", "[[tags]] IN ('a')", "[[price]] > [[cost]]"):
        tree = parse(text)
        fields = {a.name: built.fields[a.name] for a in attributes(tree)}
        evaluator = Evaluator(built, fields)
        true, false = evaluator.true(tree), evaluator.false(tree)
        assert not true & false
        assert evaluator.true(Not(tree)) == false


def test_a_number_compared_with_a_numeric_attribute_must_be_a_number(built):
    with pytest.raises(QueryError) as caught:
        run(built, "[[price]] = 'cheap'")
    assert caught.value.key == "not_a_number" and caught.value.params["attribute"] == "price"


def test_every_combination_of_two_predicates_matches_the_reference(built):
    """AND / OR / NOT over pairs of reference predicates: the evaluator and the reference agree."""
    names = ["[[price]] > 20", "[[title]] LIKE '%rod%'", "[[tags]] = 'b'", "[[cost]] < 5"]
    for left, right in itertools.product(names, repeat=2):
        for op, combine in (("AND", sql_and), ("OR", sql_or)):
            for negate in (False, True):
                text = f"{'NOT ' if negate else ''}({left} {op} {right})"

                def reference(row, left=left, right=right, combine=combine, negate=negate):
                    result = combine(REFERENCE_BASE[left](row), REFERENCE_BASE[right](row))
                    return sql_not(result) if negate else result

                expected = sorted(row["sku"] for row in ROWS if reference(row) is True)
                assert run(built, text) == expected, text


REFERENCE_BASE = {
    "[[price]] > 20": REFERENCE["[[price]] > 20"],
    "[[title]] LIKE '%rod%'": REFERENCE["[[title]] LIKE '%rod%'"],
    "[[tags]] = 'b'": REFERENCE["[[tags]] = 'b'"],
    "[[cost]] < 5": lambda r: ref_cmp(r, "cost", "<", 5),
}
