"""The seed rules a check cites: id -> title and verbatim quote, read from `data/rules/<api>.yaml`."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from conformance.resources import load_package_yaml


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    quote: str
    near_quote: bool = False
    implied: bool = False
    unprobed: str | None = None  # why no black-box probe can check it (a statement about the vendor's internals)

    def cite(self) -> str:
        mark = "~" if self.near_quote else ""
        return f"{self.id} {self.title}: {mark}“{self.quote}”"


@dataclass(frozen=True)
class RuleBook:
    api: str
    seed: str
    rules: Mapping[str, Rule]
    # check name -> operationId (or "*") -> rule ids, for Schemathesis checks
    schema_checks: Mapping[str, Mapping[str, tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def load(cls, name: str | Iterable[str]) -> RuleBook:
        """One rules file, or several (an API covered in parts) merged: later files add rules and schema checks."""
        if isinstance(name, str):
            return cls.from_dict(load_package_yaml("rules", f"{name}.yaml"))
        parts = [load_package_yaml("rules", f"{part}.yaml") for part in name]
        merged: dict[str, Any] = {**parts[0], "rules": {}, "schema_checks": {}}
        for part in parts:
            merged["rules"].update(part.get("rules", {}))
            merged["schema_checks"].update(part.get("schema_checks", {}))
        return cls.from_dict(merged)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleBook:
        rules = {
            rid: Rule(
                id=rid,
                title=item["title"],
                quote=item["quote"],
                near_quote=bool(item.get("near_quote")),
                implied=bool(item.get("implied")),
                unprobed=item.get("unprobed") or None,
            )
            for rid, item in data.get("rules", {}).items()
        }
        schema_checks = {
            check: {op: tuple(ids) for op, ids in by_op.items()}
            for check, by_op in data.get("schema_checks", {}).items()
        }
        return cls(api=data["api"], seed=data.get("seed", ""), rules=rules, schema_checks=schema_checks)

    def get(self, rule_id: str) -> Rule | None:
        return self.rules.get(rule_id)

    def citations(self, rule_ids: Iterable[str]) -> list[str]:
        return [rule.cite() for rule in (self.rules.get(rid) for rid in rule_ids) if rule is not None]

    def for_schema_check(self, check: str, operation_id: str | None, operation_rules: Iterable[str]) -> tuple[str, ...]:
        by_op = self.schema_checks.get(check, {})
        if operation_id and operation_id in by_op:
            return by_op[operation_id]
        if "*" in by_op:
            return by_op["*"]
        return tuple(operation_rules)


# --- Which seed rules the suite accounts for ---------------------------------------------------------------------

SEED_RULE_PREFIXES = ("WZ-", "PI-", "J-", "PX-", "PM-")  # the X-ids are the seeds' inconsistencies, not rules


def is_seed_rule(rule_id: str) -> bool:
    return rule_id.startswith(SEED_RULE_PREFIXES)


@dataclass(frozen=True)
class RuleAccount:
    """One API's seed rules: those a registered check cites (a behaviour check, or a Schemathesis check the
    rule data maps), those the rule data says no black-box probe can check (with the reason), and the rest."""

    api: str
    seed_rules: tuple[str, ...]
    cited: frozenset[str]
    unprobed: Mapping[str, str]

    @property
    def probed(self) -> tuple[str, ...]:
        return tuple(r for r in self.seed_rules if r in self.cited)

    @property
    def unaccounted(self) -> tuple[str, ...]:
        return tuple(r for r in self.seed_rules if r not in self.cited and r not in self.unprobed)


@functools.cache
def account(api: str) -> RuleAccount:
    """The rule account of `--api api`, from its rule data and its registered checks."""
    from conformance.apis import get_profile  # late: apis -> resources only, but keep rules.py import-light
    from conformance.checks import REGISTRIES

    profile = get_profile(api)
    profile.load_scenarios()
    book = RuleBook.load(profile.rules)
    cited = {rule for spec in REGISTRIES.get(api, {}).values() for rule in spec.rules}
    cited |= {rule for by_op in book.schema_checks.values() for ids in by_op.values() for rule in ids}
    seed_rules = tuple(sorted((r for r in book.rules if is_seed_rule(r)), key=_rule_order))
    unprobed = {r: why for r in seed_rules if (why := book.rules[r].unprobed)}
    return RuleAccount(api=api, seed_rules=seed_rules, cited=frozenset(cited), unprobed=unprobed)


def _rule_order(rule_id: str) -> tuple[str, int]:
    prefix, _, number = rule_id.rpartition("-")
    return prefix, int(number) if number.isdigit() else 0


def run_rule_summary(api: str, results: Iterable[Any]) -> dict[str, Any]:
    """What one run probed of the API's seed rules: those cited by a check that judged something (passed or
    failed), those a failed check cites, and those no black-box probe can check. `results` are CaseResults."""
    from conformance.scenarios import SCENARIOS

    book = account(api)
    judged: set[str] = set()
    failed: set[str] = set()
    for result in results:
        status = getattr(result.status, "value", result.status)
        rules = set(result.rules)
        is_scenario = getattr(result.kind, "value", "") == "scenario"
        scenario = SCENARIOS.get(api, {}).get(result.operation) if is_scenario else None
        if scenario is not None and rules & set(scenario.rules):  # a shared check probes what its scenario names
            rules &= set(scenario.rules)
        if status in ("passed", "failed"):
            judged |= rules
        if status == "failed":
            failed |= rules
    ordered = list(book.seed_rules)
    return {
        "total": len(ordered),
        "probed": sum(r in judged for r in ordered),
        "failed": [r for r in ordered if r in failed],
        "not_probed": [r for r in ordered if r not in judged and r not in book.unprobed],
        "unprobeable": dict(book.unprobed),
    }


def suite_rule_summary(runs: Iterable[tuple[str, Mapping[str, Any]]]) -> dict[str, Any]:
    """Several runs' summaries, as (api, run_rule_summary) pairs: per API (a rule probed by any of its targets
    counts once), and in all: "seed rules probed N / total" over the APIs run."""
    by_api: dict[str, dict[str, Any]] = {}
    for api, summary in runs:
        book = account(api)
        entry = by_api.setdefault(api, {"total": summary["total"], "not_probed": set(book.seed_rules), "failed": set()})
        entry["not_probed"] &= set(summary["not_probed"]) | set(summary["unprobeable"])
        entry["failed"] |= set(summary["failed"])
    apis = {
        api: {"total": e["total"], "probed": e["total"] - len(e["not_probed"]),
              "failed": sorted(e["failed"], key=_rule_order)}
        for api, e in by_api.items()
    }
    return {"total": sum(a["total"] for a in apis.values()), "probed": sum(a["probed"] for a in apis.values()),
            "by_api": apis}


def rules_line(summary: Mapping[str, Any], api: str | None = None) -> str:
    """`seed rules probed 48 / 50 (pims) · failed: PI-06 PI-11`: the line every report shows."""
    text = f"seed rules probed {summary['probed']} / {summary['total']}" + (f" ({api})" if api else "")
    unprobeable = len(summary.get("unprobeable") or ())
    if unprobeable:
        text += f", {unprobeable} not checkable black-box"
    failed = summary.get("failed") or []
    return text + (f" · failed: {' '.join(failed)}" if failed else "")
