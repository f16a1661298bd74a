"""Every seed rule accounted for (issue #15): each of SEED-RULES.md's rules is either cited by a registered check
of its API or carries, in the rule data, the reason no black-box probe can check it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conformance import apis
from conformance.checks import REGISTRIES
from conformance.rules import RuleBook, account, is_seed_rule

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
