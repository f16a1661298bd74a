"""Row rules: EAN-13, price, title, column mapping."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_server.imports.rows import (
    ColumnMapper,
    ean13_check_digit,
    ean13_problem,
    parse_price,
    product_problem,
    unknown_targets,
)

FIELDS = frozenset({"ean", "title", "price", "brand"})


def test_known_valid_ean():
    assert ean13_problem("4006381333931") is None
    assert ean13_check_digit("400638133393") == 1


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_every_computed_check_digit_validates_and_every_other_digit_fails(first12):
    good = ean13_check_digit(first12)
    assert ean13_problem(first12 + str(good)) is None
    for digit in set(range(10)) - {good}:
        assert ean13_problem(first12 + str(digit)) == "invalid_ean_checksum"


@pytest.mark.parametrize("value, problem", [
    (None, "missing_ean"), ("", "missing_ean"), ("   ", "missing_ean"),
    ("invalid-ean", "invalid_ean_format"), ("400638133393", "invalid_ean_format"),
    ("40063813339311", "invalid_ean_format"), ("4006381333932", "invalid_ean_checksum"),
    (" 4006381333931 ", None),
    ("٤٠٠٦٣٨١٣٣٣٩٣١", "invalid_ean_format"), ("４００６３８１３３３９３１", "invalid_ean_format"),  # not ASCII digits
])
def test_ean_problems(value, problem):
    assert ean13_problem(value) == problem


@pytest.mark.parametrize("value, expected", [
    ("12.50", "12.50"), ("0", "0"), (3, "3"), (2.5, "2.5"), ("-1", None), (-0.5, None), ("1,5", None),
    ("abc", None), (True, None), (float("nan"), None), ("1e3", None), ("", None), ("١٢", None),
])
def test_price(value, expected):
    parsed = parse_price(value)
    assert (None if parsed is None else str(parsed)) == expected


@pytest.mark.parametrize("fields, problem", [
    ({"ean": "4006381333931", "title": "Pen", "price": "1.2"}, None),
    ({"ean": "4006381333931", "title": "Pen"}, None),
    ({"ean": "4006381333931", "title": "Pen", "price": ""}, None),
    ({"ean": "4006381333931", "title": " ", "price": "1"}, "missing_title"),
    ({"ean": "4006381333931", "title": "Pen", "price": "-2"}, "invalid_price"),
    ({"ean": "bad", "title": "", "price": "-2"}, "invalid_ean_format"),  # the first rule broken wins
])
def test_product_problem_order(fields, problem):
    assert product_problem(fields) == problem


def test_mapping_renames_and_same_named_columns_still_match():
    mapper = ColumnMapper({"EAN": "ean", "Titre": "title"}, FIELDS)
    assert mapper({"EAN": "1", "Titre": "t", "Price": "2", "Couleur": "rouge"}) == {"ean": "1", "title": "t",
                                                                                      "price": "2"}


def test_mapping_target_wins_over_a_same_named_column():
    mapper = ColumnMapper({"Code": "ean"}, FIELDS)
    assert mapper({"Code": "1", "ean": "2"}) == {"ean": "1"}


def test_unknown_targets():
    assert unknown_targets({"a": "ean", "b": "colour", "c": "size"}, FIELDS) == ["colour", "size"]


@pytest.mark.parametrize("text, expected", [
    ("53", 53), ("-2.5", -2.5), ("007", 7), ("1" + "0" * 15, 10**15),
    ("1" + "0" * 309, None), ("1" + "0" * 16, None), ("1e5", None), ("inf", None), ("nan", None), ("Infinity", None),
    (float("inf"), None), (float("nan"), None), (1e300, None), (True, None), ("12,5", None), ("", None),
    (2.5, 2.5), (10**30, None),
])
def test_number_columns_take_finite_plain_numbers_within_range(text, expected):
    from mock_server.imports.rows import parse_number

    assert parse_number(text) == expected
