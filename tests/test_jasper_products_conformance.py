"""The products' conformance wiring without a server: the profile lists several scenario modules and rule files, every
rule a products scenario or check cites is in the rules, and the checks judge what they are given."""

from __future__ import annotations

import base64
import hashlib
import hmac

import httpx
import pytest

from conformance import apis
from conformance.checks import REGISTRIES
from conformance.checks import jasper_products as checks
from conformance.checks.failures import CheckFailure
from conformance.rules import RuleBook
from conformance.scenarios import SCENARIOS


@pytest.fixture(scope="module")
def profile():
    found = apis.get_profile("jasper")
    found.load_scenarios()
    return found


def test_profile_lists_modules_and_rule_files(profile):
    assert "conformance.scenarios.jasper_products" in profile.scenarios
    assert "jasper_products" in profile.rules
    assert {"webhook_delivered_signed", "barcode_upserts", "variants_and_remove_from_parent"} <= set(
        SCENARIOS["jasper"])


def test_merged_rulebook_has_every_cited_rule(profile):
    book = RuleBook.load(profile.rules)
    assert book.api == "jasper" and book.get("J-130") and book.get("X-42")
    cited = {rule for spec in SCENARIOS["jasper"].values() if spec.func.__module__.startswith(
        "conformance.scenarios.jasper_products") for rule in spec.rules}
    cited |= {rule for name, spec in REGISTRIES["jasper"].items() if spec.func.__module__ ==
              "conformance.checks.jasper_products" for rule in spec.rules}
    assert cited and not {r for r in cited if book.get(r) is None}


def test_rule_files_merge_in_order():
    one = RuleBook.load("jasper_products")
    assert RuleBook.load(["jasper_products"]).rules.keys() == one.rules.keys()


def _run(check, **observed):
    return check.check_spec.func(None, **observed)


def test_signature_check_accepts_hex_prefixed_or_base64_and_refuses_another_secret():
    body = b'{"event":"product.created"}'
    digest = hmac.new(b"s3cret", body, hashlib.sha256)
    for header in ("sha256=" + digest.hexdigest(), digest.hexdigest(), base64.b64encode(digest.digest()).decode()):
        assert _run(checks.delivery_signed, request={"headers": {"X-Sig": header}, "body": body}, secret="s3cret")
    with pytest.raises(CheckFailure):
        _run(checks.delivery_signed, request={"headers": {"X-Sig": digest.hexdigest()}, "body": body},
             secret="other")


def test_relation_check_accepts_either_spelling_and_needs_the_item():
    plain = {"id": 1}
    assert _run(checks.relation_embedded, plain=plain, item={"id": 1, "all-prices": [{"id": 7}]}, name="all-prices",
                contains=7)
    assert _run(checks.relation_embedded, plain=plain, item={"id": 1, "all_prices": [{"id": 7}]}, name="all-prices",
                contains=7)
    for item in ({"id": 1}, {"id": 1, "all_prices": []}):
        with pytest.raises(CheckFailure):
            _run(checks.relation_embedded, plain=plain, item=item, name="all-prices", contains=7)
    with pytest.raises(CheckFailure):  # present without with= too
        _run(checks.relation_embedded, plain={"id": 1, "tags": []}, item={"id": 1, "tags": ["a"]}, name="tags",
             contains="a", field=None)


def test_unpublished_accepts_either_flag():
    parent = {"id": 1, "children": []}
    for child in ({"id": 2, "parent_id": None, "enabled": 0, "is_visible": 1},
                  {"id": 2, "parent_id": None, "enabled": 1, "is_visible": 0}):
        assert _run(checks.removed_child_unpublished, child=child, parent=parent)
    with pytest.raises(CheckFailure):
        _run(checks.removed_child_unpublished, child={"id": 2, "parent_id": None, "enabled": 1, "is_visible": 1},
             parent=parent)
    with pytest.raises(CheckFailure):
        _run(checks.removed_child_unpublished, child={"id": 2, "parent_id": None, "enabled": 0},
             parent={"children": [{"id": 2}]})


def _answer(status: int, body: object) -> httpx.Response:
    return httpx.Response(status, json=body, request=httpx.Request("POST", "http://vendor.test/api/v1/webhooks"))


def test_webhook_check_reports_a_created_answer_without_the_webhook():
    # mypy found it: a 201 without a "webhooks" object raised AttributeError inside the check instead of failing it
    enabled = {"webhooks": {"status": "enabled", "signing_secret": "s" * 32}}
    assert _run(checks.webhook_created_enabled, response=_answer(201, enabled))
    for body in ({}, {"webhooks": None}, {"webhooks": ["enabled"]}):
        with pytest.raises(CheckFailure):
            _run(checks.webhook_created_enabled, response=_answer(201, body))


def test_listed_ids_are_reported_whatever_a_server_sends_for_an_id():
    # mypy found it: a child or price without an integer id made sorting the ids raise TypeError (None < int)
    assert _run(checks.children_listed, parent={"children": [{"id": 11}, {"id": 9}]}, expected=[9, 11])
    with pytest.raises(CheckFailure, match=r"children ids \[9, None\]"):
        _run(checks.children_listed, parent={"children": [{"id": None}, {"id": 9}]}, expected=[9, 11])
    item = {"active-prices": [{"id": 3}, {"price": 1}]}
    with pytest.raises(CheckFailure, match=r"active price ids \[3, None\]"):
        _run(checks.active_prices_by_date, item=item, expected={3}, label="today")
