"""The seed rules a check cites: id -> title and verbatim quote, read from `data/rules/<api>.yaml`."""

from __future__ import annotations

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
