"""Compare two loaded OpenAPI 3.0 documents: pure functions over two dicts, no I/O.

`diff(old, new)` returns every `Finding`, breaking ones first. Operations are matched by method and path
template with parameter names blanked (`/items/{id}` is `/items/{item_id}`); path parameters by position.
`$ref`s are resolved within each document, `allOf` is merged, `oneOf`/`anyOf` variants are matched by the
`$ref` they name (else by position), and a pair of schemas already being compared is not entered again, so
recursive schemas terminate. A pair's findings are reused wherever it appears again, unless its comparison was
cut short by a cycle through a pair opened further out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from conformance.specdiff.rules import BREAKING, RULES

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
REQUEST, RESPONSE = "request", "response"
_TEMPLATE = re.compile(r"\{[^}/]*\}")
# constraint -> +1 when a larger value is tighter (min*), -1 when a smaller one is (max*)
_CONSTRAINTS = {
    "minLength": 1, "minItems": 1, "minimum": 1, "minProperties": 1,
    "maxLength": -1, "maxItems": -1, "maximum": -1, "maxProperties": -1,
}  # fmt: skip


@dataclass(frozen=True)
class Finding:
    kind: str
    rule: str
    operation: str
    location: str
    old: Any
    new: Any
    message: str
    spec: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "rule": self.rule,
            "spec": self.spec,
            "operation": self.operation,
            "location": self.location,
            "old": self.old,
            "new": self.new,
            "message": self.message,
        }


# A finding inside a schema, relative to where the schema sits: (rule, path segments, old, new).
_Raw = tuple[str, tuple[str, ...], Any, Any]


def _map(value: Any) -> Mapping[str, Any]:
    """A malformed document (a list where a mapping belongs, a null) reads as empty rather than crashing."""
    return value if isinstance(value, Mapping) else {}


def _seq(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _names(value: Any) -> set[str]:
    return {name for name in _seq(value) if isinstance(name, str)}


def _escape(segment: str) -> str:
    return str(segment).replace("~", "~0").replace("/", "~1")


def _pointer(segments: Iterable[str]) -> str:
    return "/".join(_escape(s) for s in segments)


def _finding(rule_id: str, operation: str, segments: Iterable[str], old: Any, new: Any, spec: str) -> Finding:
    rule = RULES[rule_id]
    location = _pointer(segments)
    subject = location or operation
    detail = f" ({_show(old)} → {_show(new)})" if old is not None or new is not None else ""
    return Finding(rule.kind, rule_id, operation, location, old, new, f"{rule.summary}: {subject}{detail}", spec)


def _show(value: Any) -> str:
    return "—" if value is None else str(value)


class _Doc:
    """One document: `$ref` resolution and the merged view of a schema."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw

    def lookup(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            return {}  # remote refs are out of scope: treated as an unconstrained schema
        node: Any = self.raw
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, Mapping) or part not in node:
                return {}
            node = node[part]
        return node

    def resolve(self, node: Any) -> Any:
        seen: set[str] = set()
        while isinstance(node, Mapping) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
            seen.add(node["$ref"])
            node = self.lookup(node["$ref"])
        return {} if isinstance(node, Mapping) and "$ref" in node else node

    def schema(self, node: Any, _seen: frozenset[int] = frozenset()) -> dict[str, Any]:
        """The schema with refs resolved and `allOf` members merged into one view (properties, required)."""
        node = self.resolve(node)
        if not isinstance(node, Mapping):
            return {}
        if "allOf" not in node or id(node) in _seen:
            return dict(node)
        merged: dict[str, Any] = {k: v for k, v in node.items() if k != "allOf"}
        properties = dict(_map(merged.get("properties")))
        required = sorted(_names(merged.get("required")))
        for member in _seq(node["allOf"]):
            part = self.schema(member, _seen | {id(node)})
            properties.update(_map(part.get("properties")))
            required += sorted(_names(part.get("required")) - set(required))
            for key, value in part.items():
                if key not in ("properties", "required"):
                    merged.setdefault(key, value)
        if properties:
            merged["properties"] = properties
        if required:
            merged["required"] = required
        return merged


def _identity(node: Any) -> Any:
    if isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        return node["$ref"]
    return id(node)


def _type_of(schema: Mapping[str, Any]) -> str | None:
    kind = schema.get("type")
    if kind is None and "properties" in schema:
        return "object"
    return kind if isinstance(kind, str) else None


class _SchemaDiff:
    """Compares schemas of two documents; remembers each compared pair (cycles, and shared components)."""

    def __init__(self, old: _Doc, new: _Doc) -> None:
        self.old, self.new = old, new
        self._done: dict[tuple[Any, Any, str], list[_Raw]] = {}
        self._open: list[tuple[Any, Any, str]] = []  # the pairs being compared, outermost first
        self._low: list[int] = []  # per open pair: the outermost open pair its comparison came back to

    def compare(self, old_node: Any, new_node: Any, direction: str) -> list[_Raw]:
        key = (_identity(old_node), _identity(new_node), direction)
        if key in self._done:
            return self._done[key]
        if key in self._open:  # a recursive schema: this pair is already being compared further up
            self._low[-1] = min(self._low[-1], self._open.index(key))
            return []
        depth = len(self._open)
        self._open.append(key)
        self._low.append(depth)
        try:
            found = self._compare(self.old.schema(old_node), self.new.schema(new_node), direction)
        finally:
            self._open.pop()
            low = self._low.pop()
        if self._low:
            self._low[-1] = min(self._low[-1], low)
        if low >= depth:  # complete: it did not stop at a pair opened further out (that would be cut short)
            self._done[key] = found
        return found

    def _compare(self, old: dict[str, Any], new: dict[str, Any], d: str) -> list[_Raw]:
        found: list[_Raw] = []
        found += self._types(old, new, d)
        found += self._nullable(old, new, d)
        found += self._enums(old, new, d)
        found += self._constraints(old, new, d)
        found += self._properties(old, new, d)
        for key in ("items", "additionalProperties"):
            if isinstance(old.get(key), Mapping) and isinstance(new.get(key), Mapping):
                found += [(r, (key, *seg), o, n) for r, seg, o, n in self.compare(old[key], new[key], d)]
        for key in ("oneOf", "anyOf"):
            found += self._variants(old, new, key, d)
        return found

    @staticmethod
    def _types(old: Mapping[str, Any], new: Mapping[str, Any], d: str) -> list[_Raw]:
        found: list[_Raw] = []
        before, after = _type_of(old), _type_of(new)
        if before and after and before != after:
            if (before, after) == ("integer", "number"):
                found.append((f"{d}-type-widened" if d == REQUEST else "response-type-changed", (), before, after))
            elif (before, after) == ("number", "integer") and d == RESPONSE:
                found.append(("response-type-narrowed", (), before, after))
            else:
                found.append((f"{d}-type-changed", (), before, after))
            return found
        fmt_old, fmt_new = old.get("format"), new.get("format")
        if fmt_old != fmt_new:
            if d == REQUEST:
                rule = "request-format-removed" if fmt_new is None else "request-format-changed"
            else:
                rule = "response-format-added" if fmt_old is None else "response-format-changed"
            found.append((rule, ("format",), fmt_old, fmt_new))
        return found

    @staticmethod
    def _nullable(old: Mapping[str, Any], new: Mapping[str, Any], d: str) -> list[_Raw]:
        before, after = bool(old.get("nullable")), bool(new.get("nullable"))
        if before == after:
            return []
        rule = f"{d}-became-nullable" if after else f"{d}-became-not-nullable"
        return [(rule, ("nullable",), before, after)]

    @staticmethod
    def _enums(old: Mapping[str, Any], new: Mapping[str, Any], d: str) -> list[_Raw]:
        before, after = (v if isinstance(v := side.get("enum"), list) else None for side in (old, new))
        if before is None:
            return [] if after is None else [(f"{d}-enum-added", ("enum",), None, list(after))]
        if after is None:
            return [(f"{d}-enum-removed", ("enum",), list(before), None)]
        found: list[_Raw] = []
        for value in before:
            if value not in after:
                found.append((f"{d}-enum-value-removed", ("enum",), value, None))
        for value in after:
            if value not in before:
                open_enum = d == RESPONSE and (old.get("x-extensible-enum") or new.get("x-extensible-enum"))
                rule = "response-extensible-enum-value-added" if open_enum else f"{d}-enum-value-added"
                found.append((rule, ("enum",), None, value))
        return found

    @staticmethod
    def _constraints(old: Mapping[str, Any], new: Mapping[str, Any], d: str) -> list[_Raw]:
        """Only requests: a client's value that was valid may no longer be. Response bounds are not judged."""
        if d != REQUEST:
            return []
        found: list[_Raw] = []
        for key, sign in _CONSTRAINTS.items():
            before, after = old.get(key), new.get(key)
            if before == after or not all(isinstance(v, int | float | type(None)) for v in (before, after)):
                continue
            tighter = before is None or (after is not None and (after - before) * sign > 0)
            found.append(("request-constraint-tightened" if tighter else "request-constraint-loosened", (key,),
                          before, after))  # fmt: skip
        if old.get("pattern") != new.get("pattern") and all(
            isinstance(v, str | type(None)) for v in (old.get("pattern"), new.get("pattern"))
        ):
            rule = "request-constraint-loosened" if new.get("pattern") is None else "request-constraint-tightened"
            found.append((rule, ("pattern",), old.get("pattern"), new.get("pattern")))
        return found

    def _properties(self, old: Mapping[str, Any], new: Mapping[str, Any], d: str) -> list[_Raw]:
        found: list[_Raw] = []
        props_old, props_new = _map(old.get("properties")), _map(new.get("properties"))
        req_old, req_new = _names(old.get("required")), _names(new.get("required"))
        hidden = "readOnly" if d == REQUEST else "writeOnly"  # not part of this direction's payload
        for name in sorted(set(props_old) | set(props_new), key=str):
            p_old, p_new = props_old.get(name), props_new.get(name)
            if any(self._flag(doc, p, hidden) for doc, p in ((self.old, p_old), (self.new, p_new))):
                continue
            where = ("properties", name)
            if p_new is None:
                found.append((f"{d}-property-removed", where, name, None))
            elif p_old is None:
                if d == REQUEST:
                    rule = "new-required-request-property" if name in req_new else "new-optional-request-property"
                else:
                    rule = "response-property-added"
                found.append((rule, where, None, name))
            else:
                if (name in req_old) != (name in req_new):
                    rule = f"{d}-property-became-required" if name in req_new else f"{d}-property-became-optional"
                    found.append((rule, where, "required" if name in req_old else "optional",
                                  "required" if name in req_new else "optional"))  # fmt: skip
                found += [(r, (*where, *seg), o, n) for r, seg, o, n in self.compare(p_old, p_new, d)]
        return found

    def _variants(self, old: Mapping[str, Any], new: Mapping[str, Any], key: str, d: str) -> list[_Raw]:
        def keyed(variants: Any) -> dict[str, Any]:
            return {
                (v["$ref"] if isinstance(v, Mapping) and isinstance(v.get("$ref"), str) else f"#{i}"): v
                for i, v in enumerate(_seq(variants))
            }

        if key not in old and key not in new:
            return []
        before, after = keyed(old.get(key)), keyed(new.get(key))
        found: list[_Raw] = []
        for name in before:
            if name not in after:
                found.append((f"{d}-variant-removed", (key,), name, None))
        for name in after:
            if name not in before:
                found.append((f"{d}-variant-added", (key,), None, name))
            else:
                found += [(r, (key, str(name).rsplit("/", 1)[-1], *seg), o, n)
                          for r, seg, o, n in self.compare(before[name], after[name], d)]  # fmt: skip
        return found

    @staticmethod
    def _flag(doc: _Doc, node: Any, flag: str) -> bool:
        return node is not None and bool(doc.schema(node).get(flag))


# ---------------------------------------------------------------------------------------------- operations


def _norm_path(path: str) -> str:
    return _TEMPLATE.sub("{}", path)


def _operations(doc: _Doc) -> dict[tuple[str, str], tuple[str, Mapping[str, Any], Mapping[str, Any]]]:
    """(METHOD, normalised path) -> (path as written, operation, path item)."""
    found = {}
    for path, item in _map(doc.raw.get("paths")).items():
        item = doc.resolve(item)
        if not isinstance(item, Mapping) or not isinstance(path, str):
            continue
        for method in HTTP_METHODS:
            if isinstance(item.get(method), Mapping):
                found[(method.upper(), _norm_path(path))] = (path, item[method], item)
    return found


def _parameters(doc: _Doc, path: str, op: Mapping[str, Any], item: Mapping[str, Any]) -> dict[tuple, Mapping]:
    """(in, name) -> parameter; a path parameter is keyed by its position in the template, not its name."""
    positions = {name: i for i, name in enumerate(m.group(0)[1:-1] for m in _TEMPLATE.finditer(path))}
    by_name: dict[tuple[str, str], Mapping] = {}
    for raw in [*_seq(item.get("parameters")), *_seq(op.get("parameters"))]:  # the operation's win
        param = doc.resolve(raw)
        if isinstance(param, Mapping) and isinstance(param.get("name"), str):
            by_name[(str(param.get("in", "query")), param["name"])] = param
    params: dict[tuple, Mapping] = {}
    # a path parameter whose name is not in the template (a spec renamed on one side only) takes a free slot
    free = iter(sorted(set(positions.values()) - {positions[n] for w, n in by_name if w == "path" and n in positions}))
    for (where, name), param in by_name.items():
        if where == "path":
            params[(where, positions[name] if name in positions else next(free, name))] = param
        else:  # header names are case-insensitive
            params[(where, name.lower() if where == "header" else name)] = param
    return params


def _param_schema(param: Mapping[str, Any]) -> Any:
    if "schema" in param:
        return param["schema"]
    content = _map(param.get("content"))
    return next((media.get("schema") for media in content.values() if isinstance(media, Mapping)), None)


def _security(doc: _Doc, op: Mapping[str, Any]) -> dict[frozenset[str], dict[str, set[str]]]:
    """The alternatives (sets of scheme names) that satisfy the operation; the empty set means no auth."""
    requirements = [_map(req) for req in _seq(op["security"] if "security" in op else doc.raw.get("security"))]
    if not requirements:
        return {frozenset(): {}}
    return {
        frozenset(str(name) for name in req): {str(name): _names(scopes) for name, scopes in req.items()}
        for req in requirements
    }


class _Differ:
    def __init__(self, old: Mapping[str, Any], new: Mapping[str, Any], spec: str) -> None:
        self.old, self.new, self.spec = _Doc(old), _Doc(new), spec
        self.schemas = _SchemaDiff(self.old, self.new)
        self.found: list[Finding] = []

    def add(self, rule: str, operation: str, segments: Iterable[str], old: Any = None, new: Any = None) -> None:
        self.found.append(_finding(rule, operation, segments, old, new, self.spec))

    def add_schema(self, operation: str, base: tuple[str, ...], old: Any, new: Any, direction: str) -> None:
        for rule, segments, before, after in self.schemas.compare(old, new, direction):
            self.add(rule, operation, (*base, *segments), before, after)

    def run(self) -> list[Finding]:
        old_ops, new_ops = _operations(self.old), _operations(self.new)
        for key in sorted(set(old_ops) | set(new_ops)):
            if key not in new_ops:
                self.add("operation-removed", f"{key[0]} {old_ops[key][0]}", ())
            elif key not in old_ops:
                self.add("operation-added", f"{key[0]} {new_ops[key][0]}", ())
            else:
                self.operation(f"{key[0]} {new_ops[key][0]}", old_ops[key], new_ops[key])
        self.schemes()
        return sorted(self.found, key=lambda f: (f.kind != BREAKING, f.spec, f.operation, f.location, f.rule))

    def operation(self, label: str, old: tuple, new: tuple) -> None:
        self.parameters(label, old, new)
        self.request_body(label, old[1], new[1])
        self.responses(label, old[1], new[1])
        self.security(label, old[1], new[1])

    def parameters(self, label: str, old: tuple, new: tuple) -> None:
        before, after = _parameters(self.old, *old), _parameters(self.new, *new)
        for key in sorted(set(before) | set(after), key=str):
            p_old, p_new = before.get(key), after.get(key)
            name = (p_new or before[key])["name"]  # the key is in one of the two
            where = ("parameters", key[0], name)
            if p_new is None:
                self.add("request-parameter-removed", label, where, name, None)
                continue
            required_new = bool(p_new.get("required")) or key[0] == "path"
            if p_old is None:
                rule = "new-required-request-parameter" if required_new else "new-optional-request-parameter"
                self.add(rule, label, where, None, name)
                continue
            required_old = bool(p_old.get("required")) or key[0] == "path"
            if required_old != required_new:
                rule = "request-parameter-became-required" if required_new else "request-parameter-became-optional"
                self.add(rule, label, where, required_old, required_new)
            s_old, s_new = _param_schema(p_old), _param_schema(p_new)
            if s_old is not None and s_new is not None:
                self.add_schema(label, (*where, "schema"), s_old, s_new, REQUEST)

    def request_body(self, label: str, old_op: Mapping[str, Any], new_op: Mapping[str, Any]) -> None:
        before, after = self.old.resolve(old_op.get("requestBody")), self.new.resolve(new_op.get("requestBody"))
        before, after = (_map(body) if body is not None else None for body in (before, after))
        where = ("requestBody",)
        if not after:
            if before:
                self.add("request-body-removed", label, where)
            return
        if not before:
            rule = "request-body-added-required" if after.get("required") else "request-body-added-optional"
            self.add(rule, label, where)
            return
        if bool(before.get("required")) != bool(after.get("required")):
            rule = "request-body-became-required" if after.get("required") else "request-body-became-optional"
            self.add(rule, label, where, bool(before.get("required")), bool(after.get("required")))
        self.media(label, (*where, "content"), _map(before.get("content")), _map(after.get("content")), REQUEST)

    def media(self, label: str, where: tuple[str, ...], before: Mapping, after: Mapping, direction: str) -> None:
        for media_type in sorted(set(before) | set(after), key=str):
            if media_type not in after:
                self.add(f"{direction}-media-type-removed", label, (*where, media_type), media_type, None)
            elif media_type not in before:
                self.add(f"{direction}-media-type-added", label, (*where, media_type), None, media_type)
            else:
                s_old, s_new = _map(before[media_type]).get("schema"), _map(after[media_type]).get("schema")
                if s_old is not None and s_new is not None:
                    self.add_schema(label, (*where, media_type, "schema"), s_old, s_new, direction)

    def responses(self, label: str, old_op: Mapping[str, Any], new_op: Mapping[str, Any]) -> None:
        before = {str(code): r for code, r in _map(old_op.get("responses")).items()}
        after = {str(code): r for code, r in _map(new_op.get("responses")).items()}
        for status in sorted(set(before) | set(after)):
            r_old = _map(self.old.resolve(before[status])) if status in before else None
            r_new = _map(self.new.resolve(after[status])) if status in after else None
            where = ("responses", status)
            if r_new is None:
                self.add("response-status-removed", label, where, status, None)
            elif r_old is None:
                self.add("response-status-added", label, where, None, status)
            else:
                content_old, content_new = _map(r_old.get("content")), _map(r_new.get("content"))
                self.media(label, (*where, "content"), content_old, content_new, RESPONSE)
                self.headers(label, where, _map(r_old.get("headers")), _map(r_new.get("headers")))

    def headers(self, label: str, where: tuple[str, ...], before: Mapping, after: Mapping) -> None:
        """Response headers, matched without regard to case (HTTP header names are case-insensitive)."""
        before = {str(name).lower(): (str(name), h) for name, h in before.items()}
        after = {str(name).lower(): (str(name), h) for name, h in after.items()}
        for key in sorted(set(before) | set(after)):
            if key not in after:
                self.add("response-header-removed", label, (*where, "headers", before[key][0]), before[key][0], None)
            elif key not in before:
                self.add("response-header-added", label, (*where, "headers", after[key][0]), None, after[key][0])
            else:
                s_old = _param_schema(_map(self.old.resolve(before[key][1])))
                s_new = _param_schema(_map(self.new.resolve(after[key][1])))
                if s_old is not None and s_new is not None:
                    self.add_schema(label, (*where, "headers", after[key][0], "schema"), s_old, s_new, RESPONSE)

    def security(self, label: str, old_op: Mapping[str, Any], new_op: Mapping[str, Any]) -> None:
        before, after = _security(self.old, old_op), _security(self.new, new_op)
        no_auth: frozenset[str] = frozenset()
        if no_auth in before and no_auth not in after:
            self.add("security-added", label, ("security",), None, [sorted(a) for a in after])
        elif no_auth in after and no_auth not in before:
            self.add("security-removed", label, ("security",), [sorted(a) for a in before], None)
        if no_auth in before or no_auth in after:
            return  # either nothing was needed before, or nothing is needed now: the alternatives do not matter
        for alternative in sorted(set(before) | set(after), key=sorted):
            if not alternative:
                continue
            names = " + ".join(sorted(alternative))
            if alternative not in after:
                self.add("security-alternative-removed", label, ("security",), names, None)
            elif alternative not in before:
                self.add("security-alternative-added", label, ("security",), None, names)
            else:
                for scheme in sorted(alternative):
                    for scope in sorted(after[alternative][scheme] - before[alternative][scheme]):
                        self.add("security-scope-added", label, ("security", scheme), None, scope)
                    for scope in sorted(before[alternative][scheme] - after[alternative][scheme]):
                        self.add("security-scope-removed", label, ("security", scheme), scope, None)

    def schemes(self) -> None:
        """A scheme kept under the same name but sent differently (another header, bearer → apiKey)."""
        before = _map(_map(self.old.raw.get("components")).get("securitySchemes"))
        after = _map(_map(self.new.raw.get("components")).get("securitySchemes"))
        for name in sorted(set(before) & set(after), key=str):
            s_old, s_new = _map(self.old.resolve(before[name])), _map(self.new.resolve(after[name]))
            for key in ("type", "in", "name", "scheme"):
                if s_old.get(key) != s_new.get(key):
                    where = ("components", "securitySchemes", name, key)
                    self.add("security-scheme-changed", "*", where, s_old.get(key), s_new.get(key))


def diff(old: Mapping[str, Any], new: Mapping[str, Any], spec: str = "") -> list[Finding]:
    """Every change from `old` to `new`, breaking first; `spec` labels the findings (a file name)."""
    return _Differ(old, new, spec).run()
