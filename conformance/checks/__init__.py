"""Behaviour checks: one plain function per property, registered by `@check`, named after what it asserts.

A check takes a `CheckContext` and keyword observations (a job trace, a response, a generated catalog),
and either returns True (the property held), returns None (it does not apply to what was observed), or
raises its own `CheckFailure` subclass with a "Received … / Expected …" message. `@check` records the seed
rules it probes and whether it asserts a contract (every server) or one of the fake's own choices
(`strict=True`, run only with `--strict`). Guards such as `@for_terminal_jobs` decide applicability, so the
checks themselves stay straight-line.

Each API has its own registry (`REGISTRIES[api]`), so two APIs may each have, say, an `auth_required`
check. The modules directly in this package are Products Manager's, the first vendor the suite covered (`REGISTRY`);
another API's checks live in a subpackage named after it (`checks/pixee/`), registered with `api=`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from conformance.apis import Lifecycle
from conformance.spec import SpecIndex

CheckFunction = Callable[..., bool | None]


@dataclass(frozen=True)
class CheckSpec:
    name: str
    func: CheckFunction
    rules: tuple[str, ...]
    strict: bool


FIRST_API = "productsmanager"
REGISTRIES: dict[str, dict[str, CheckSpec]] = {}
REGISTRY = REGISTRIES.setdefault(FIRST_API, {})  # Products Manager's checks


def check(
    *, rules: tuple[str, ...] | list[str], strict: bool = False, api: str = FIRST_API
) -> Callable[[CheckFunction], CheckFunction]:
    def register(func: CheckFunction) -> CheckFunction:
        spec = CheckSpec(name=func.__name__, func=func, rules=tuple(rules), strict=strict)
        REGISTRIES.setdefault(api, {})[spec.name] = spec
        func.check_spec = spec  # type: ignore[attr-defined]  # a function attribute: reports and tests read it
        return func

    return register


def spec_of(func: CheckFunction) -> CheckSpec:
    spec: CheckSpec = func.check_spec  # type: ignore[attr-defined]
    return spec


@dataclass(frozen=True)
class CheckContext:
    """What a check may know besides its observations: the spec, the status machine, the run's mode."""

    spec: SpecIndex
    lifecycle: Lifecycle
    strict: bool = False
    extras: Mapping[str, Any] = field(default_factory=dict)

    def is_terminal(self, status: object) -> bool:
        return status in self.lifecycle.terminal


def applies_when(predicate: Callable[..., bool]) -> Callable[[CheckFunction], CheckFunction]:
    """Skip the check (return None) unless `predicate(ctx, **observations)` holds."""

    def decorate(func: CheckFunction) -> CheckFunction:
        @functools.wraps(func)
        def guarded(ctx: CheckContext, **observed: Any) -> bool | None:
            if not predicate(ctx, **observed):
                return None
            return func(ctx, **observed)

        return guarded

    return decorate


def _job_is_terminal(ctx: CheckContext, *, job: Mapping[str, Any] | None = None, **_: Any) -> bool:
    return isinstance(job, Mapping) and ctx.is_terminal(job.get("status"))


def _job_counted(ctx: CheckContext, *, job: Mapping[str, Any] | None = None, **_: Any) -> bool:
    return isinstance(job, Mapping) and job.get("status") in ctx.lifecycle.counted


def _is_json_object(ctx: CheckContext, *, response: Any = None, **_: Any) -> bool:
    try:
        return isinstance(response.json(), Mapping)
    except ValueError:
        return False


for_terminal_jobs = applies_when(_job_is_terminal)
for_counted_jobs = applies_when(_job_counted)
for_json_bodies = applies_when(_is_json_object)
