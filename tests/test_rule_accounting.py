"""Every seed rule accounted for (issue #15): each of SEED-RULES.md's rules is either cited by a registered check
of its API or carries, in the rule data, the reason no black-box probe can check it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conformance import apis
from conformance.checks import REGISTRIES
from conformance.results import CaseResult, Kind
from conformance.rules import RuleBook, account, is_seed_rule, rules_line, run_rule_summary, suite_rule_summary

APIS = ("wizart", "pims", "jasper", "pixee", "productsmanager")
EXPECTED = {"wizart": 20, "pims": 50, "jasper": 181, "pixee": 33, "productsmanager": 17}  # 301 in all


def seed_rules_file() -> Path | None:
    """shared/SEED-RULES.md beside the checkout (or beside one of its parents: worktrees nest a level deeper)."""
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "SEED-RULES.md"
        if candidate.exists():
            return candidate
    return None


@pytest.mark.parametrize("api", APIS)
def test_every_seed_rule_of_the_api_is_probed_or_has_a_reason(api):
    book = account(api)
    assert len(book.seed_rules) == EXPECTED[api]
    assert book.unaccounted == (), f"{api}: neither cited by a check nor given an unprobed reason: {book.unaccounted}"
    for rule, reason in book.unprobed.items():
        assert rule not in book.cited, f"{rule} is cited by a check and also says it cannot be probed"
        assert len(reason) > 20, (rule, reason)


def test_301_seed_rules_accounted_for():
    total = sum(len(account(api).seed_rules) for api in APIS)
    assert total == 301
    assert sum(len(account(api).unaccounted) for api in APIS) == 0


@pytest.mark.skipif(seed_rules_file() is None, reason="shared/SEED-RULES.md is not beside the checkout")
def test_the_rule_data_holds_exactly_the_rules_of_seed_rules_md():
    text = seed_rules_file().read_text(encoding="utf-8")
    listed = set(re.findall(r"^- \[ \] ([A-Z]+-\d+) ", text, re.M))
    assert len(listed) == 301
    held = set()
    for api in APIS:
        held |= {r for r in RuleBook.load(apis.get_profile(api).rules).rules if is_seed_rule(r)}
    assert held == listed


@pytest.mark.parametrize("api", APIS)
def test_every_rule_a_check_cites_is_in_the_rule_data(api):
    book = RuleBook.load(apis.get_profile(api).rules)
    apis.get_profile(api).load_scenarios()
    for spec in REGISTRIES.get(api, {}).values():
        unknown = [r for r in spec.rules if r not in book.rules]
        assert not unknown, (api, spec.name, unknown)


def test_a_run_reports_the_rules_its_judging_checks_probed_and_those_that_failed():
    results = [
        CaseResult(Kind.SCENARIO, "refused", "values_follow_the_definition", rules=("PI-31", "PI-32", "PI-37"),
                   passed=2),
        CaseResult(Kind.SCENARIO, "definition_complete", "values_follow_the_definition", rules=("PI-02", "PI-34"),
                   failed=1),
        CaseResult(Kind.SCHEMA, "not_a_server_error", "POST /api/en-us/pim/manage/products", rules=("PI-01",)),
    ]
    summary = run_rule_summary("pims", results)
    assert summary["total"] == 50
    assert summary["probed"] == 5  # the skipped schema check probed nothing
    assert summary["failed"] == ["PI-02", "PI-34"]
    assert "PI-01" in summary["not_probed"] and "PI-31" not in summary["not_probed"]
    assert rules_line(summary, "pims") == "seed rules probed 5 / 50 (pims) · failed: PI-02 PI-34"


def test_a_shared_check_counts_only_the_rules_its_scenario_names():
    # `refused` cites J-007 (a read-only token) among many; judged in invalid_input_is_refused it did not probe it.
    refused = CaseResult(Kind.SCENARIO, "refused", "invalid_input_is_refused", rules=("J-005", "J-007", "J-016"),
                         passed=3)
    summary = run_rule_summary("jasper", [refused])
    assert summary["probed"] == 2 and "J-007" in summary["not_probed"]


def test_several_targets_of_one_api_count_a_rule_once():
    one = run_rule_summary("pims", [CaseResult(Kind.SCENARIO, "x", "y", rules=("PI-01", "PI-02"), passed=1)])
    two = run_rule_summary("pims", [CaseResult(Kind.SCENARIO, "x", "y", rules=("PI-02", "PI-03"), failed=1)])
    both = suite_rule_summary([("pims", one), ("pims", two)])
    assert both["by_api"]["pims"] == {"total": 50, "probed": 3, "failed": ["PI-02", "PI-03"]}
    assert (both["total"], both["probed"]) == (50, 3)
