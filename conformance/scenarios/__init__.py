"""Behaviour scenarios: plain HTTP conversations with the target, each naming the seed rules it probes.

A scenario is a function of a `ScenarioContext`, registered with `@scenario(api, rules=...)`. It drives
the target and hands what it observed to checks through `ctx.verify(check, **observations)` (or
`ctx.require`, which stops the scenario when a later step depends on the property). Generated inputs come
from Hypothesis through `ctx.for_examples`, seeded by the run's `--seed`, without shrinking: every example
is a real import on a real server, so a failure is reported with the example that showed it.
"""

from __future__ import annotations

import traceback
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
import hypothesis
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st

from conformance import curl
from conformance.checks import CheckContext, CheckFunction, spec_of
from conformance.checks.failures import CheckFailure
from conformance.results import CaseResult, Kind, Tally
from conformance.rules import RuleBook
from conformance.target import Target


@dataclass(frozen=True)
class ScenarioSpec:
    name: str
    api: str
    func: Callable[[ScenarioContext], None]
    rules: tuple[str, ...]
    strict: bool

    @property
    def summary(self) -> str:
        return (self.func.__doc__ or self.name).strip().splitlines()[0]


SCENARIOS: dict[str, dict[str, ScenarioSpec]] = {}


def scenario(api: str, *, rules: list[str], strict: bool = False) -> Callable[[Callable], Callable]:
    def register(func: Callable[[ScenarioContext], None]) -> Callable[[ScenarioContext], None]:
        spec = ScenarioSpec(name=func.__name__, api=api, func=func, rules=tuple(rules), strict=strict)
        SCENARIOS.setdefault(api, {})[spec.name] = spec
        return func

    return register


class Abort(Exception):
    """A step the rest of the scenario depends on failed; the failure is already recorded."""


@dataclass
class RunOptions:
    seed: int
    max_examples: int
    timeout: float
    strict: bool


class ScenarioContext:
    def __init__(
        self,
        spec: ScenarioSpec,
        *,
        target: Target,
        checks: CheckContext,
        tally: Tally,
        rulebook: RuleBook,
        options: RunOptions,
    ) -> None:
        self.spec = spec
        self.target = target
        self.checks = checks
        self.tally = tally
        self.rulebook = rulebook
        self.options = options
        self.notes: list[str] = []

    @property
    def strict(self) -> bool:
        return self.options.strict

    def note(self, text: str) -> None:
        """Context for the reproduction of any failure recorded from now on in this example."""
        self.notes.append(text)

    def _result(self, name: str, rules: tuple[str, ...], strict_only: bool) -> CaseResult:
        result = self.tally.get(Kind.SCENARIO, self.spec.name, name, rules=rules, strict_only=strict_only)
        if not result.citations:
            result.citations = self.rulebook.citations(rules)
        return result

    def reproduction(self) -> str:
        base_url = getattr(self.target, "base_url", "URL")
        replay = (
            f"pim-conformance run --api {self.spec.api} --base-url {base_url} --only scenarios "
            f"--scenario {self.spec.name} --seed {self.options.seed} --max-examples {self.options.max_examples}"
        )
        lines = [f"seed {self.options.seed}; replay: {replay}", *self.notes]
        lines.append(f"last request: {self.target.last_exchange()}")
        return "\n".join(lines)

    def _evidence(self) -> dict[str, str | None]:
        """The last request sent: which documented operation it was, and a curl command replaying it."""
        request = getattr(self.target, "last_request", None)
        if request is None:
            return {"failed_operation": None, "curl": None}
        coverage = getattr(self.target, "coverage", None)
        label = coverage.label_of(request.method, str(request.url)) if coverage is not None else None
        return {"failed_operation": label, "curl": curl.from_httpx(request, [self.target.token or ""])}

    def verify(self, func: CheckFunction, /, **observed: Any) -> bool:
        """Run one check on what was observed; record pass, failure, or nothing when it does not apply."""
        spec = spec_of(func)
        result = self._result(spec.name, spec.rules, spec.strict)
        if spec.strict and not self.strict:
            self.tally.skip(result, "checks the fake's own choice: --strict only")
            return True
        try:
            outcome = spec.func(self.checks, **observed)
        except CheckFailure as failure:
            self.tally.record_failure(
                result,
                title=failure.title,
                message=failure.message,
                reproduction=self.reproduction(),
                **self._evidence(),
                expected=str(failure.expected)[:1500],
                received=str(failure.received)[:1500],
            )
            return False
        if outcome is not None:
            self.tally.record_pass(result)
        return True

    def skip(self, func: CheckFunction, reason: str) -> None:
        """Say that a check could not run here and why (listed in every report, never silently lost)."""
        spec = spec_of(func)
        self.tally.skip(self._result(spec.name, spec.rules, spec.strict), reason)

    def require(self, func: CheckFunction, /, **observed: Any) -> None:
        if not self.verify(func, **observed):
            raise Abort(spec_of(func).name)

    def for_examples(
        self, strategy: st.SearchStrategy, body: Callable[[Any], None], *, count: int, label: str = ""
    ) -> None:
        """Run `body` on `count` examples of `strategy`, seeded by --seed and `label`, never shrinking.

        Each call site passes its own `label`, so that two calls in one scenario draw different examples.
        """
        seed = self.options.seed ^ zlib.crc32(f"{self.spec.name}:{label}".encode())

        @hypothesis.settings(
            max_examples=count,
            database=None,
            deadline=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
            print_blob=False,
            report_multiple_bugs=False,
        )
        @hypothesis.seed(seed)
        @hypothesis.given(strategy)
        def run(example: Any) -> None:
            shown = curl.mask_secrets(repr(example), [getattr(self.target, "token", None) or ""])
            shown = shown if len(shown) <= 600 else shown[:600] + "…"
            self.notes = [f"Hypothesis example of {self.spec.name}{f' ({label})' if label else ''}: {shown}"]
            try:
                body(example)
            except Abort:
                pass
            except Exception as exc:  # one example's crash must not hide the others
                self.crashed(exc)

        run()

    def crashed(self, exc: BaseException) -> None:
        """A scenario stopped on an exception. The target going silent mid-scenario (a transport error) is its
        failure; any other exception is a bug of the suite (a check or scenario that did not expect what it
        saw), recorded as a suite error: never a violation (exit 4 unless a real violation was found)."""
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        frames = traceback.extract_tb(exc.__traceback__)
        if frames:  # where it happened, for a bug report against the suite itself
            detail += f" (at {frames[-1].filename}:{frames[-1].lineno})"
        if not isinstance(exc, httpx.TransportError):
            self.tally.record_suite_error(
                f"scenario {self.spec.name} crashed: {detail}\n{self.reproduction()}\n"
                + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-3000:]
            )
            return
        result = self._result("scenario_completed", self.spec.rules, False)
        self.tally.record_failure(
            result,
            title="Scenario could not finish: the target stopped answering",
            message=f"Scenario could not finish\nReceived: {detail}\nExpected: the target answers every request",
            reproduction=self.reproduction(),
            **self._evidence(),
            expected="the target answers every request",
            received=detail,
        )


def run_scenarios(
    api: str,
    *,
    target: Target,
    checks: CheckContext,
    tally: Tally,
    rulebook: RuleBook,
    options: RunOptions,
    only: set[str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> None:
    # Contract scenarios first, those probing the fake's own choices last.
    for spec in sorted(SCENARIOS.get(api, {}).values(), key=lambda spec: spec.strict):
        if only and spec.name not in only:
            continue
        if spec.strict and not options.strict:
            skipped = tally.get(Kind.SCENARIO, spec.name, "(scenario)", rules=spec.rules, strict_only=True)
            tally.skip(skipped, "probes the fake's own choices: --strict only")
            continue
        if progress:
            progress(spec.name)
        ctx = ScenarioContext(spec, target=target, checks=checks, tally=tally, rulebook=rulebook, options=options)
        try:
            spec.func(ctx)
        except Abort:
            pass
        except Exception as exc:  # a target that stops answering (its failure), or a bug of the suite
            ctx.crashed(exc)
