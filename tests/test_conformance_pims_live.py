"""`pim-conformance run --api pims` as a user runs it, against the fake served live and against broken
variants of it: the fake conforms (strictly too), each broken variant fails."""

from __future__ import annotations

import json

import pytest
from _live import PIMS_PREFIX, fake_servers, passed_checks, run_suite
from broken_variants import Request, Rewrite, Several
from broken_variants_pims import BROKEN, SEED_RULE_PROBES, ErrorsWith200, _action, with_body

pytestmark = [pytest.mark.live, pytest.mark.slow]

FAST = ("--max-examples", "2", "--seed", "20240315")
# The checks that must catch each broken variant (at least one of them fails).
CAUGHT_BY = {
    "wrong_message": {"seed_error_message"},
    "deleted_leak": {"listed_as_expected"},
    "history_not_recorded": {"history_shows_change"},
    "pagination_repeat": {"pages_cover_every_product_once"},
    "view_ignored": {"view_applied"},
}
# What the fake's conformance must have shown, not merely not contradicted.
CONTRACT_CHECKS = {
    "seed_error_message",
    "error_envelope",
    "write_accepted",
    "product_shows_values",
    "history_shows_change",
    "listed_as_expected",
    "pages_cover_every_product_once",
    "sku_count_consistent",
    "write_refused",
    "view_applied",
    "variation_skus_listed",
    "variation_matrix_covers_family",
    "selection_matches_reference",
    "order_matches_reference",
    # seed-rule probes (issue #15)
    "definition_complete",
    "refused_or_not_stored",
    "unknown_attribute_ignored",
    "limit_in_range",
    "not_filterable_refused",
    "history_pages_of_24",
}


class OrderIgnored(Rewrite):
    """getList drops params.order: products come in the default order (SKU ASC) whatever was asked."""

    def request(self, request: Request) -> Request:
        action, body = _action(request)
        if action == "getList" and isinstance(body.get("params"), dict) and "order" in body["params"]:
            body["params"] = {k: v for k, v in body["params"].items() if k != "order"}
            return with_body(request, json.dumps(body).encode())
        return request


@pytest.fixture
def serve():
    """serve(rewrite=None) -> the PIMS base URL of a fresh fake, maybe wrapped; all stopped after."""
    yield from fake_servers(PIMS_PREFIX)


def test_the_fake_conforms_to_the_contract_and_to_its_own_choices(serve, tmp_path):
    """One --strict run (every check a plain run makes, and the fake's own choices); the plain run of the fake
    is tests/test_qa_live.py's `--api all` (score 100 on every API)."""
    run = run_suite(serve(), "--strict", *FAST, tmp_path=tmp_path, api="pims")
    assert run.exit_code == 0, run.explain()
    assert run.report["api"] == "pims" and run.report["verdict"] == "conforms"
    assert {r["kind"] for r in run.report["results"] if r["status"] == "passed"} == {"schema", "scenario"}
    assert CONTRACT_CHECKS <= passed_checks(run), sorted(CONTRACT_CHECKS - passed_checks(run))
    rules = run.report["seed_rules"]  # every seed rule probed, none failed (issue #15)
    assert (rules["probed"], rules["total"], rules["failed"]) == (50, 50, []), rules["not_probed"]
    assert "error_status_is_the_fakes" in passed_checks(run, strict_only=True)
    assert {"status_code_conformance", "negative_data_rejection"} <= passed_checks(run)  # Schemathesis, strict-only


@pytest.mark.parametrize("variant", sorted(BROKEN))
def test_each_broken_variant_fails_the_suite(serve, tmp_path, variant):
    run = run_suite(serve(BROKEN[variant]()), *FAST, "--only", "scenarios", tmp_path=tmp_path, api="pims")
    assert run.exit_code == 1, run.explain()
    assert run.failed_checks() & CAUGHT_BY[variant], f"caught by {sorted(run.failed_checks())}\n{run.explain()}"


def test_the_seed_rule_probes_catch_their_broken_variants(serve, tmp_path):
    """These variants at once (one server, one run): each breaks one probe's rule, and its check fails."""
    rewrite = Several(*(variant() for variant, _, _ in SEED_RULE_PROBES.values()))
    scenarios = [arg for _, scenario, _ in SEED_RULE_PROBES.values() for arg in ("--scenario", scenario)]
    run = run_suite(serve(rewrite), *FAST, "--only", "scenarios", *scenarios, tmp_path=tmp_path, api="pims")
    assert run.exit_code == 1, run.explain()
    failed = {(r["operation"], r["check"]) for r in run.report["results"] if r["status"] == "failed"}
    for name, (_, scenario, checks) in SEED_RULE_PROBES.items():
        assert any((scenario, check) in failed for check in checks), (name, sorted(failed))


def test_a_vendor_answering_errors_with_200_passes_without_strict(serve, tmp_path):
    base = serve(ErrorsWith200())
    run = run_suite(base, *FAST, tmp_path=tmp_path, api="pims")
    assert run.exit_code == 0, run.explain()
    assert CONTRACT_CHECKS <= passed_checks(run), sorted(CONTRACT_CHECKS - passed_checks(run))

    strict = run_suite(base, "--strict", "--only", "scenarios", *FAST, tmp_path=tmp_path, api="pims")
    assert strict.exit_code == 1, strict.explain()
    assert "error_status_is_the_fakes" in strict.failed_checks()


def test_an_ignored_order_fails_the_reference_evaluation(serve, tmp_path):
    run = run_suite(serve(OrderIgnored()), *FAST, "--only", "scenarios", tmp_path=tmp_path, api="pims")
    assert run.exit_code == 1, run.explain()
    assert run.failed_checks() == {"order_matches_reference"}, run.explain()
