"""Contract or choice: what the spec says about an operation, a status code, a response field, a message.

A difference is seed-open (listed apart, exit 0) when the spec marks the place it shows at as the fake's
own choice (`x-fake-choice`) or as designed where the seed is silent (`x-inferred`), on the operation, on
its response for that status code, or on any schema node along the field's path; when the field is not in
the spec at all (extra fields are allowed wherever the seed does not forbid them); when the request matched
no documented operation (405 and 501 are both right for a method the API does not have); when the check
registry makes the status code or the body's schema the fake's choice for the operation; and when neither
side's message is a documented text. Everything else the seed states is contract.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from conformance.spec import Operation, SpecIndex, template_pattern

MARKS = ("x-fake-choice", "x-inferred")


def _mark(node: Any) -> str | None:
    """The reason a spec node carries for being a choice, or None."""
    if not isinstance(node, Mapping):
        return None
    for mark in MARKS:
        value = node.get(mark)
        if value:
            return f"{mark}: {value}" if isinstance(value, str) else mark
    return None


class Choices:
    """`strict_only`: the API's Schemathesis checks that probe the fake's own choices (apis.yaml
    `schema.strict_only`, operationId or "*" -> check names): `status_code_conformance` there makes which code of
    a class an operation answers a choice, `response_schema_conformance` the shape of its bodies."""

    def __init__(self, spec: SpecIndex, strict_only: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.spec = spec
        self.strict_only = strict_only or {}
        self.catalog = {key: template_pattern(text) for key, text in _catalog(spec).items()}
        self.names = frozenset(_property_names(spec.raw))

    def operation(self, label: str) -> Operation | None:
        return self.spec.operation_by_label(label)

    def of_operation(self, label: str) -> str | None:
        op = self.operation(label)
        if op is None:
            return "no documented operation: the seed does not say how to answer it"
        mark = _mark(op.raw)
        return f"operation {mark}" if mark else None

    def _responses(self, label: str) -> Mapping[str, Any]:
        """The operation's documented responses (none when the operation is not documented)."""
        op = self.operation(label)
        return op.raw.get("responses", {}) if op is not None else {}

    def registry(self, label: str, check: str) -> str | None:
        """Why `check` is the fake's choice on this operation by the check registry, or None."""
        op = self.operation(label)
        if op is None or check not in (*self.strict_only.get("*", ()), *self.strict_only.get(op.id, ())):
            return None
        return f"{check} is the fake's choice here (apis.yaml schema.strict_only)"

    def of_status(self, label: str, code: int) -> str | None:
        """Why answering `code` (rather than something else) is a choice here, or None: contract."""
        reason = self.of_operation(label)
        if reason:
            return reason
        responses = self._responses(label)
        raw = responses.get(str(code)) or responses.get(f"{str(code)[0]}XX")
        mark = _mark(raw) or _mark(self.spec.resolve(raw)) if raw is not None else None
        return f"response {code} {mark}" if mark else None

    def of_field(self, label: str, code: int, path: str) -> str | None:
        """Why `path` (e.g. `data[].status`) of the `code` answer is a choice, or None: contract."""
        reason = self.of_operation(label) or self.registry(label, "response_schema_conformance")
        if reason:
            return reason
        responses = self._responses(label)
        response = self.spec.resolve(responses.get(str(code)) or responses.get(f"{str(code)[0]}XX"))
        media = ((response or {}).get("content") or {}).values()
        schemas = [m.get("schema") for m in media if isinstance(m, Mapping) and m.get("schema") is not None]
        if not schemas:
            return f"the spec documents no body for {code}" if response is None else None
        reasons = [self._along(schema, path) for schema in schemas]
        return None if any(r is None for r in reasons) else reasons[0]

    def _along(self, schema: Any, path: str) -> str | None:
        """Walk `path` down `schema` (properties, items, allOf/oneOf/anyOf); the first choice mark met."""
        nodes = [schema]
        parts = [] if path == "$" else path.replace("[]", ".[]").strip(".").split(".")
        for part in ["$", *parts]:
            found: list[Any] = []
            for node in nodes:
                for branch in self._branches(node):
                    mark = _mark(branch)
                    if mark:
                        return mark
                    if part == "$":
                        found.append(branch)
                    elif part == "[]" and isinstance(branch.get("items"), Mapping):
                        found.append(branch["items"])
                    elif isinstance(branch.get("properties"), Mapping) and part in branch["properties"]:
                        found.append(branch["properties"][part])
                    elif isinstance(branch.get("additionalProperties"), Mapping):
                        found.append(branch["additionalProperties"])
            if not found:
                return "not in the spec: extra fields are allowed where the seed does not forbid them"
            nodes = found
        for node in nodes:
            for branch in self._branches(node):
                mark = _mark(branch)
                if mark:
                    return mark
        return None

    def _branches(self, node: Any) -> list[Mapping[str, Any]]:
        """`node` resolved, and the schemas it combines (allOf/oneOf/anyOf), flattened."""
        node = self.spec.resolve(node)
        if not isinstance(node, Mapping):
            return []
        out = [node]
        for key in ("allOf", "oneOf", "anyOf"):
            for sub in node.get(key) or ():
                out.extend(self._branches(sub))
        return out

    def documented_message(self, normalised: str) -> bool:
        return normalised.startswith("x-messages:")


def _property_names(node: Any) -> set[str]:
    names: set[str] = set()
    if isinstance(node, Mapping):
        if isinstance(node.get("properties"), Mapping):
            names.update(map(str, node["properties"]))
        for value in node.values():
            names |= _property_names(value)
    elif isinstance(node, list):
        for value in node:
            names |= _property_names(value)
    return names


def _catalog(spec: SpecIndex) -> dict[str, str]:
    found = {}
    for group, items in (spec.raw.get("x-messages") or {}).items():
        if isinstance(items, Mapping):
            for key, text in items.items():
                literals = re.split(r"\{[A-Za-z_][A-Za-z0-9_]*\}", text) if isinstance(text, str) else [""]
                if len(max(literals, key=lambda part: len(part.strip())).strip()) >= 3:
                    found[f"{group}.{key}"] = text.strip()
    return found
