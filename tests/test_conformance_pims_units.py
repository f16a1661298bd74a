"""The PIMS profile, its rules and its checks, without a server."""

from __future__ import annotations

import httpx
import pytest

from conformance import apis
from conformance.checks import REGISTRIES, CheckContext
from conformance.checks.failures import CheckFailure
from conformance.checks.pims import evaluation, messages, products, variations
from conformance.resources import load_spec
from conformance.rules import RuleBook
from conformance.schema_run import build_config
from conformance.spec import SpecIndex
from conformance.target import Target


@pytest.fixture(scope="module")
def ctx() -> CheckContext:
    profile = apis.get_profile("pims")
    return CheckContext(spec=SpecIndex(load_spec(profile.spec)), lifecycle=apis.Lifecycle({}, frozenset()))


def answer(body, status: int = 200) -> httpx.Response:
    request = httpx.Request("POST", "http://pims.test/api/en-us/pim/manage/products", json={"action": "x"})
    return httpx.Response(status, json=body, request=request)


def test_the_profile_sends_the_editor_key_as_apikey():
    profile = apis.get_profile("pims")
    assert profile.default_token() == "api_pims_editor_0009" and profile.lifecycle is None
    assert profile.auth_headers("k") == {"ApiKey": "k"} and profile.auth_headers(None) == {}
    target = Target("http://pims.test/pims", "k", auth_header=profile.auth_header, auth_scheme=profile.auth_scheme)
    assert target.headers() == {"ApiKey": "k"} and target.headers(None) == {}
    assert Target("http://x.test", "t").headers() == {"Authorization": "Bearer t"}  # the others are unchanged
    config = build_config(
        base_url="http://pims.test/pims",
        token="k",
        seed=1,
        max_examples=1,
        strict_only={},
        request_timeout=5,
        auth_headers=profile.auth_headers("k"),
    )
    assert config.projects.default.headers == {"ApiKey": "k"}


def test_error_status_codes_are_strict_only_and_positive_data_never():
    profile = apis.get_profile("pims")
    assert {"status_code_conformance", "negative_data_rejection", "ignored_auth"} <= set(
        profile.strict_only_schema_checks["*"]
    )
    assert profile.never_schema_checks == {"manageProducts": ("positive_data_acceptance",)}


def test_every_rule_a_check_cites_is_in_the_rulebook():
    book = RuleBook.load("pims")
    assert book.get("PI-06").quote == '"status_message": "Product does not exist!"'
    cited = {rule for spec in REGISTRIES["pims"].values() for rule in spec.rules}
    assert cited and cited <= set(book.rules)


def test_a_seed_message_is_judged_by_its_body_not_its_status(ctx):
    expected = {"status": "Error", "status_message": "Product does not exist!"}
    assert messages.seed_error_message(ctx, response=answer(expected, 200), message=expected["status_message"])
    assert messages.seed_error_message(ctx, response=answer(expected, 404), message=expected["status_message"])
    with pytest.raises(CheckFailure):
        messages.seed_error_message(ctx, response=answer({**expected, "status_message": "Product does not exist."},
                                                         404), message=expected["status_message"])
    with pytest.raises(CheckFailure):
        messages.seed_error_message(ctx, response=answer(expected, 500), message=expected["status_message"])
    # A field beside the two is the vendor's to add: only --strict holds the fake's exactly-two choice.
    extra = answer({**expected, "extra": 1}, 404)
    assert messages.seed_error_message(ctx, response=extra, message=expected["status_message"])
    with pytest.raises(CheckFailure):
        messages.seed_error_message(CheckContext(spec=ctx.spec, lifecycle=ctx.lifecycle, strict=True), response=extra,
                                    message=expected["status_message"])


def test_pages_with_a_repeat_or_a_gap_fail(ctx):
    def page(*skus):
        return answer({"status": "OK", "products": [{"sku": s} for s in skus], "sku_count": 3})

    assert products.pages_cover_every_product_once(ctx, pages=[page("A", "B"), page("C")], expected="ABC", limit=2)
    with pytest.raises(CheckFailure, match="repeated"):
        products.pages_cover_every_product_once(ctx, pages=[page("A", "B"), page("B")], expected="ABC", limit=2)


def test_sku_count_may_count_the_page_outside_strict(ctx):
    response = answer({"status": "OK", "products": [{"sku": "A"}], "sku_count": 1})
    assert products.sku_count_consistent(ctx, response=response, total=3)
    strict = CheckContext(spec=ctx.spec, lifecycle=ctx.lifecycle, strict=True)
    with pytest.raises(CheckFailure):
        products.sku_count_consistent(strict, response=response, total=3)


def test_variation_skus_may_be_flat_or_nested(ctx):
    def parent(skus, matrix=None):
        return answer({"status": "OK", "data": {"attributes": {"variation_skus": skus, "variation_matrix": matrix}}})

    for skus in (["C2", "C1"], [["C1", "C2"]]):
        assert variations.variation_skus_listed(ctx, response=parent(skus), parent="P", expected=["C1", "C2"])
    for wrong in (["C1"], ["C1", "C2", "C1"], "C1,C2", None):
        with pytest.raises(CheckFailure):
            variations.variation_skus_listed(ctx, response=parent(wrong), parent="P", expected=["C1", "C2"])
    matrix = {"C1": {}, "P": {}}
    assert variations.variation_matrix_covers_family(ctx, response=parent([], matrix), parent="P", family=["P", "C1"])
    with pytest.raises(CheckFailure):
        variations.variation_matrix_covers_family(ctx, response=parent([], matrix), parent="P", family=["P"])


def test_order_allows_ties_in_any_order_and_selection_is_a_set(ctx):
    def listed(*skus):
        return answer({"status": "OK", "products": [{"sku": s} for s in skus], "sku_count": len(skus)})

    groups = [["A"], ["B", "C"], ["D"]]
    for ok in (listed("A", "B", "C", "D"), listed("A", "C", "B", "D")):
        assert evaluation.order_matches_reference(ctx, response=ok, groups=groups, order="price ASC")
    for wrong in (listed("B", "A", "C", "D"), listed("A", "B", "C"), listed("A", "B", "C", "D", "E")):
        with pytest.raises(CheckFailure):
            evaluation.order_matches_reference(ctx, response=wrong, groups=groups, order="price ASC")
    assert evaluation.selection_matches_reference(ctx, response=listed("B", "A"), expected=["A", "B"], query="q")
    for wrong in (listed("A"), listed("A", "B", "B"), listed("A", "B", "C")):
        with pytest.raises(CheckFailure):
            evaluation.selection_matches_reference(ctx, response=wrong, expected=["A", "B"], query="q")
