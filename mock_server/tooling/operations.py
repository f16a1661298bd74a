"""Every operation of a mounted API as data (method, path template, id), to name what a request hit or nearly hit.

Connexion routes the requests themselves; this table serves the rare questions routing does not answer: which
operation a fault scoped by operation id applies to (asked before routing), and, for a request that matched
no operation, which operations it came closest to and why.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass

METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_PARAM = re.compile(r"\\{[^/}]+\\}")

WRONG_METHOD = "wrong method"
MISSING_PARAMETER = "missing parameter"
UNKNOWN_PATH = "unknown path"


@dataclass(frozen=True)
class Operation:
    api: str
    operation_id: str
    method: str  # upper case
    path: str  # the spec's template, without the API's prefix
    pattern: re.Pattern
    required_query: tuple[str, ...]
    required_headers: tuple[str, ...]


def _required(parameters: list, where: str) -> tuple[str, ...]:
    return tuple(p["name"] for p in parameters if p.get("in") == where and p.get("required"))


def table(api: str, spec: Mapping) -> tuple[Operation, ...]:
    """The operations of one spec, in spec order (`$ref` parameters resolved against its components)."""
    components = spec.get("components", {}).get("parameters", {})

    def resolve(param: Mapping) -> Mapping:
        ref = param.get("$ref", "")
        return components.get(ref.rsplit("/", 1)[-1], {}) if ref else param

    ops = []
    for path, item in spec.get("paths", {}).items():
        shared = [resolve(p) for p in item.get("parameters", [])]
        pattern = re.compile("^" + _PARAM.sub("[^/]+", re.escape(path)) + "/?$")
        for method in METHODS:
            op = item.get(method)
            if not isinstance(op, Mapping) or "operationId" not in op:
                continue
            params = shared + [resolve(p) for p in op.get("parameters", [])]
            ops.append(Operation(api, op["operationId"], method.upper(), path, pattern,
                                 _required(params, "query"), _required(params, "header")))
    return tuple(ops)


class Operations:
    """The tables of every mounted API, by API name."""

    def __init__(self, specs: Mapping[str, Mapping]) -> None:
        self._specs = specs

    @functools.cached_property
    def by_api(self) -> dict[str, tuple[Operation, ...]]:
        return {api: table(api, spec) for api, spec in self._specs.items()}

    def match(self, api: str, method: str, local_path: str) -> Operation | None:
        for op in self.by_api.get(api, ()):
            if op.method == method and op.pattern.match(local_path):
                return op
        return None

    def near_misses(self, api: str | None, method: str, local_path: str, query: Mapping[str, object],
                    headers: Mapping[str, str], limit: int = 3) -> list[dict]:
        """The operations a request came closest to, best first, each with the reason it did not match."""
        if api is None:
            return []
        scored = []
        for op in self.by_api.get(api, ()):
            reason, score = _compare(op, method, local_path, query, headers)
            scored.append((score, op, reason))
        scored.sort(key=lambda s: -s[0])
        return [{"operation_id": op.operation_id, "method": op.method, "path": op.path, "reason": reason,
                 "score": round(score, 3)} for score, op, reason in scored[:limit] if score > 0]


def _compare(op: Operation, method: str, path: str, query: Mapping, headers: Mapping) -> tuple[str, float]:
    if op.pattern.match(path):
        if op.method != method:
            return f"{WRONG_METHOD}: {method} instead of {op.method}", 0.9
        missing = [f"query {q!r}" for q in op.required_query if q not in query]
        missing += [f"header {h!r}" for h in op.required_headers if h.lower() not in headers]
        if missing:
            return f"{MISSING_PARAMETER}: {', '.join(missing)}", 1.0
        return "matched", 1.0
    stripped = path.rstrip("/")
    template_parts, path_parts = op.path.strip("/").split("/"), stripped.strip("/").split("/")
    # `/imports/` or `/imports` against `/imports/{id}`: the path parameter itself is missing.
    if len(template_parts) == len(path_parts) + 1 and template_parts[-1].startswith("{"):
        parent = "/" + "/".join(template_parts[:-1])
        if re.fullmatch(_PARAM.sub("[^/]+", re.escape(parent)), stripped):
            return f"{MISSING_PARAMETER}: path parameter {template_parts[-1]} is empty", 0.8
    similarity = difflib.SequenceMatcher(None, op.path, path).ratio()
    penalty = 0.0 if op.method == method else 0.1
    return f"{UNKNOWN_PATH}: no operation at {path}", max(0.0, similarity * 0.7 - penalty)
