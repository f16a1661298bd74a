"""Every seed rule accounted for (issue #15): each of SEED-RULES.md's rules is either cited by a registered check
of its API or carries, in the rule data, the reason no black-box probe can check it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conformance import apis
from conformance.checks import REGISTRIES
from conformance.checks.listing import page_size_for, walk_problems, walk_whole
from conformance.results import CaseResult, Kind
from conformance.rules import RuleBook, account, is_seed_rule, rules_line, run_rule_summary, suite_rule_summary

APIS = ("wizart", "pims", "jasper", "pixee", "productsmanager")
EXPECTED = {"wizart": 20, "pims": 50, "jasper": 181, "pixee": 33, "productsmanager": 17}  # 301 in all


SEED_RULES = Path(__file__).resolve().parent.parent / "docs" / "SEED-RULES.md"


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


def test_the_rule_data_holds_exactly_the_rules_of_seed_rules_md():
    text = SEED_RULES.read_text(encoding="utf-8")
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


# --- the shared whole walk (conformance/checks/listing.py) ---------------------------------------------------------

def _walk_of(pages: dict[int, list[int]], **kw):
    return walk_whole(1, lambda n: {"items": pages.get(n, []), "next": n + 1 if n + 1 in pages else None},
                      lambda body: body["items"], lambda body, n, items: body["next"], **kw)


def test_a_whole_walk_reads_every_page_and_finds_nothing_wrong_with_a_clean_listing():
    walk = _walk_of({1: [1, 2], 2: [3, 4], 3: [5]})
    assert walk.complete and len(walk.pages) == 3 and walk.items == [1, 2, 3, 4, 5]
    assert walk_problems(walk, key=int, expected={1, 5}) == []


def test_an_item_served_twice_or_skipped_across_pages_is_named():
    walk = _walk_of({1: [1, 2], 2: [2, 4]})
    assert walk_problems(walk, key=int, expected={3}) == ["repeated (served on two pages or twice on one): ['2']",
                                                          "skipped (on no page): ['3']"]


def test_a_walk_cut_by_its_bound_judges_only_what_it_read():
    walk = _walk_of({n: [n] for n in range(1, 10)}, max_pages=3)
    assert not walk.complete and walk.items == [1, 2, 3]
    assert walk_problems(walk, key=int, expected={9}) == []  # never "missing" from pages it did not read


def test_a_next_leading_back_is_named():
    walk = walk_whole(1, lambda n: [n], lambda body: body, lambda body, n, items: 1)
    assert walk.looped and walk_problems(walk, key=int) == ["page 1's next leads back to a page already read"]


def test_the_page_size_grows_with_the_collection_so_any_size_fits_the_bound():
    assert page_size_for(7, smallest=2) == 2
    assert page_size_for(100_000, smallest=2) == 2000  # 50 pages
    assert page_size_for(100_000, smallest=2, largest=500) == 500
