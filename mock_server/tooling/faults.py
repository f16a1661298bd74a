"""Faults as data: what to break (a kind and its parameters), where (API, operation, path, method), how often.

    latency    delay the answer: fixed `ms`, `uniform` between `min_ms` and `max_ms`, or `lognormal` around
               `median_ms` with `sigma`
    status     answer `status` with the vendor's error body instead of serving (429 carries `Retry-After`)
    drop       close the connection without an answer
    empty      serve, then send the answer's status and headers with an empty body
    truncate   serve, then send about half the body and close the connection

A fault applies to a request it matches with `probability` (0–1), at most `count` times (None: forever).
`parse` checks a definition wherever it comes from (admin API, `--faults` file, `X-Pim-Mock-Fault` header)
and raises `BadFault` for anything it cannot apply; the admin API answers that with a 400.
"""

from __future__ import annotations

import itertools
import math
import random
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from mock_server.tooling.patterns import UnsafePattern, compile_path_pattern, search

KINDS = ("latency", "status", "drop", "empty", "truncate")
DISTRIBUTIONS = ("fixed", "uniform", "lognormal")
MAX_LATENCY_MS = 600_000
SCOPE_FIELDS = ("api", "operation", "path_pattern", "method")
# The parameters each kind takes, beside the scope, probability and count.
PARAMETERS = {
    "latency": {"distribution", "ms", "min_ms", "max_ms", "median_ms", "sigma"},
    "status": {"status", "retry_after", "message"},
    "drop": set(),
    "empty": set(),
    "truncate": set(),
}
COMMON = {"kind", "probability", "count", "id", *SCOPE_FIELDS}
HEADER = "x-pim-mock-fault"


class BadFault(ValueError):
    """A fault definition that cannot be applied."""


@dataclass
class Fault:
    kind: str
    params: dict = field(default_factory=dict)
    api: str | None = None
    operation: str | None = None
    path_pattern: str | None = None
    method: str | None = None
    probability: float = 1.0
    count: int | None = None
    id: int = 0
    applied: int = 0
    _regex: re.Pattern | None = field(default=None, repr=False, compare=False)

    @property
    def remaining(self) -> int | None:
        return None if self.count is None else max(0, self.count - self.applied)

    def view(self) -> dict:
        out = {"id": self.id, "kind": self.kind, **self.params, "probability": self.probability,
               "count": self.count, "remaining": self.remaining, "applied": self.applied}
        out.update({k: getattr(self, k) for k in SCOPE_FIELDS if getattr(self, k) is not None})
        return out

    def describe(self) -> str:
        detail = ",".join(f"{k}={v}" for k, v in sorted(self.params.items()))
        return f"{self.kind}({detail})" if detail else self.kind

    def delay_seconds(self, rng: random.Random) -> float:
        p = self.params
        shape = p.get("distribution", "fixed")
        if shape == "uniform":
            ms = rng.uniform(p["min_ms"], p["max_ms"])
        elif shape == "lognormal":
            ms = p["median_ms"] * math.exp(rng.gauss(0.0, p.get("sigma", 0.5)))
        else:
            ms = p["ms"]
        return min(ms, MAX_LATENCY_MS) / 1000.0


def _number(raw: Mapping, name: str, *, minimum: float = 0.0, maximum: float | None = None,
            integer: bool = False) -> float | int:
    value = raw.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or (integer and not isinstance(value, int)):
        raise BadFault(f"{name} must be {'an integer' if integer else 'a number'}, not {value!r}")
    if not math.isfinite(value) or value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum:g} and {maximum:g}" if maximum is not None else f">= {minimum:g}"
        raise BadFault(f"{name} must be {bound}, not {value!r}")
    return value


def _latency(raw: Mapping) -> dict:
    shape = raw.get("distribution", "fixed")
    if shape not in DISTRIBUTIONS:
        raise BadFault(f"distribution must be one of {', '.join(DISTRIBUTIONS)}, not {shape!r}")
    if shape == "fixed":
        return {"distribution": shape, "ms": _number(raw, "ms", maximum=MAX_LATENCY_MS)}
    if shape == "uniform":
        low, high = _number(raw, "min_ms", maximum=MAX_LATENCY_MS), _number(raw, "max_ms", maximum=MAX_LATENCY_MS)
        if low > high:
            raise BadFault("min_ms must not be above max_ms")
        return {"distribution": shape, "min_ms": low, "max_ms": high}
    sigma = _number(raw, "sigma", maximum=5) if "sigma" in raw else 0.5
    return {"distribution": shape, "median_ms": _number(raw, "median_ms", maximum=MAX_LATENCY_MS), "sigma": sigma}


def _status(raw: Mapping) -> dict:
    status = int(_number(raw, "status", minimum=400, maximum=599, integer=True))
    params: dict = {"status": status}
    if "retry_after" in raw or status in (429, 503):
        params["retry_after"] = int(_number({"retry_after": raw.get("retry_after", 1)}, "retry_after",
                                            maximum=86_400, integer=True))
    if raw.get("message") is not None:
        if not isinstance(raw["message"], str):
            raise BadFault("message must be a string")
        params["message"] = raw["message"]
    return params


BUILD_PARAMS: dict[str, Callable[[dict], dict]] = {"latency": _latency, "status": _status, "drop": dict,
                                                   "empty": dict, "truncate": dict}


def parse(raw: object, apis: tuple[str, ...] = ()) -> Fault:
    """A checked `Fault` from its JSON/YAML form; `apis` (when given) are the names a scope may take."""
    if not isinstance(raw, Mapping):
        raise BadFault("a fault is an object")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise BadFault(f"kind must be one of {', '.join(KINDS)}, not {kind!r}")
    unknown = set(raw) - COMMON - PARAMETERS[kind]
    if unknown:
        raise BadFault(f"unknown field(s) for a {kind} fault: {', '.join(sorted(unknown))}")
    params = BUILD_PARAMS[kind]({k: v for k, v in raw.items() if k in PARAMETERS[kind]})
    probability = _number(raw, "probability", maximum=1) if "probability" in raw else 1.0
    count = raw.get("count")
    if count is not None:
        count = int(_number(raw, "count", minimum=1, integer=True))
    api, method, pattern = raw.get("api"), raw.get("method"), raw.get("path_pattern")
    if api is not None and apis and api not in apis:
        raise BadFault(f"api must be one of {', '.join(apis)}, not {api!r}")
    for name in SCOPE_FIELDS:
        if raw.get(name) is not None and not isinstance(raw.get(name), str):
            raise BadFault(f"{name} must be a string")
    try:
        regex = compile_path_pattern(pattern) if pattern is not None else None
    except UnsafePattern as exc:
        raise BadFault(str(exc)) from exc
    return Fault(kind=kind, params=params, api=api, operation=raw.get("operation"), path_pattern=pattern,
                 method=method.upper() if method else None, probability=float(probability), count=count,
                 _regex=regex)


def parse_header(value: str) -> Fault:
    """`X-Pim-Mock-Fault: status=503`, `latency=250` (ms), `drop`, `empty`, `truncate`; `;`-separated extras
    such as `status=429; retry_after=3`."""
    parts = [p.strip() for p in value.split(";") if p.strip()]
    if not parts:
        raise BadFault(f"empty {HEADER} header")
    kind, _, first = parts[0].partition("=")
    raw: dict = {"kind": kind.strip()}
    if first:
        raw[{"status": "status", "latency": "ms"}.get(raw["kind"], raw["kind"])] = _scalar(first)
    for extra in parts[1:]:
        key, _, val = extra.partition("=")
        raw[key.strip()] = _scalar(val)
    return parse(raw)


def _scalar(text: str) -> object:
    text = text.strip()
    for convert in (int, float):
        try:
            return convert(text)
        except ValueError:
            pass
    return text


class Faults:
    """The faults in force, in the order they were added; the first one that matches and fires applies."""

    def __init__(self, seed: int | None = None) -> None:
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.rng = random.Random(seed)

    def __bool__(self) -> bool:
        return bool(self._faults)

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            fault = replace(fault, id=next(self._ids), applied=0)
            self._faults.append(fault)
            return fault

    def all(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def remove(self, fault_id: int) -> bool:
        with self._lock:
            before = len(self._faults)
            self._faults = [f for f in self._faults if f.id != fault_id]
            return len(self._faults) < before

    def clear(self) -> None:
        with self._lock:
            self._faults = []

    def pick(self, api: str | None, method: str, path: str, operation_id) -> Fault | None:
        """The fault this request gets, if any (`operation_id()` is asked only when a fault needs it)."""
        with self._lock:
            for fault in self._faults:
                if fault.remaining == 0 or not _in_scope(fault, api, method, path, operation_id):
                    continue
                if fault.probability < 1.0 and self.rng.random() >= fault.probability:
                    continue
                fault.applied += 1
                return fault
        return None


def _in_scope(fault: Fault, api, method: str, path: str, operation_id) -> bool:
    return ((fault.api is None or fault.api == api)
            and (fault.method is None or fault.method == method)
            and (fault._regex is None or search(fault._regex, path))
            and (fault.operation is None or fault.operation == operation_id()))
