"""The result model every layer reports into and every report renders from.

One `CaseResult` is one check on one operation (Schemathesis) or one scenario: how often it held, how
often it did not, and the first failure's message and reproduction. `Tally` collects them in order.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    SCHEMA = "schema"
    SCENARIO = "scenario"


class Outcome(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass
class CaseResult:
    kind: Kind
    check: str
    operation: str  # "POST /api/v1/imports" for schema checks, the scenario's name for scenarios
    rules: tuple[str, ...] = ()
    passed: int = 0
    failed: int = 0
    strict_only: bool = False
    skip_reason: str | None = None
    title: str | None = None  # the first failure's title
    message: str | None = None  # the first failure's "Received … / Expected …"
    reproduction: str | None = None  # how to replay the first failure (curl, seed, generated file)
    citations: list[str] = field(default_factory=list)  # seed quotes of `rules`
    more_failures: list[str] = field(default_factory=list)  # titles of other, distinct failures
    # The first failure, for people: the spec operation of the request that showed it ("GET /imports/{id}"),
    # that request as a curl command (credentials masked), and what was expected versus received.
    failed_operation: str | None = None
    curl: str | None = None
    expected: str | None = None
    received: str | None = None

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.operation}:{self.check}"

    @property
    def status(self) -> Outcome:
        if self.failed:
            return Outcome.FAILED
        if self.passed:
            return Outcome.PASSED
        return Outcome.SKIPPED


class Tally:
    """Results keyed by (kind, operation, check), in the order they were first seen."""

    def __init__(self) -> None:
        self._results: dict[tuple[str, str, str], CaseResult] = {}
        # Errors of the suite itself (a bug in a scenario, an internal Schemathesis error): never violations.
        self.suite_errors: list[str] = []

    def get(
        self, kind: Kind, operation: str, check: str, *, rules: Iterable[str] = (), strict_only: bool = False
    ) -> CaseResult:
        key = (kind, operation, check)
        result = self._results.get(key)
        if result is None:
            result = CaseResult(
                kind=kind, check=check, operation=operation, rules=tuple(rules), strict_only=strict_only
            )
            self._results[key] = result
        return result

    def record_pass(self, result: CaseResult) -> None:
        result.passed += 1

    def record_failure(
        self,
        result: CaseResult,
        *,
        title: str,
        message: str,
        reproduction: str | None,
        failed_operation: str | None = None,
        curl: str | None = None,
        expected: str | None = None,
        received: str | None = None,
    ) -> None:
        result.failed += 1
        if result.message is None:
            result.title, result.message, result.reproduction = title, message, reproduction
            result.failed_operation, result.curl = failed_operation, curl
            result.expected, result.received = expected, received
        elif title != result.title and title not in result.more_failures:
            result.more_failures.append(title)

    def skip(self, result: CaseResult, reason: str) -> None:
        if not result.passed and not result.failed:
            result.skip_reason = reason

    def record_suite_error(self, text: str) -> None:
        if text not in self.suite_errors:
            self.suite_errors.append(text)

    def results(self) -> list[CaseResult]:
        return list(self._results.values())


@dataclass
class RunReport:
    api: str
    target: str
    strict: bool
    seed: int
    max_examples: int
    results: list[CaseResult]
    duration: float = 0.0
    admin_api: bool = False
    notes: list[str] = field(default_factory=list)
    suite_errors: list[str] = field(default_factory=list)  # bugs of the suite: the verdict is incomplete
    coverage: dict | None = None  # Coverage.as_dict(): operations, status codes and messages exercised
    label: str | None = None  # the target's name in a multi-target run (targets.toml), else the API's
    replay: str | None = None  # the command that repeats the run exactly

    @property
    def failed(self) -> list[CaseResult]:
        return [r for r in self.results if r.status is Outcome.FAILED]

    @property
    def conforms(self) -> bool:
        return not self.failed and not self.suite_errors

    @property
    def verdict(self) -> str:
        """ "violations" whenever the target broke a contract (even if the suite also erred), "suite_error" when
        the suite erred and found none, else "conforms"."""
        if self.failed:
            return "violations"
        return "suite_error" if self.suite_errors else "conforms"

    def skipped(self) -> list[dict]:
        """The checks that did not run, by reason: {"reason", "count", "scenarios"} (no coverage lost silently)."""
        by_reason: dict[str, list[CaseResult]] = {}
        for result in self.results:
            if result.status is Outcome.SKIPPED:
                by_reason.setdefault(result.skip_reason or "nothing it applies to was observed", []).append(result)
        return [
            {"reason": reason, "count": len(results),
             "scenarios": sorted({r.operation for r in results if r.kind is Kind.SCENARIO})}
            for reason, results in by_reason.items()
        ]

    def counts(self) -> dict[str, int]:
        statuses = [r.status for r in self.results]
        return {
            "results": len(statuses),
            "passed": statuses.count(Outcome.PASSED),
            "failed": statuses.count(Outcome.FAILED),
            "skipped": statuses.count(Outcome.SKIPPED),
            "assertions_passed": sum(r.passed for r in self.results),
            "assertions_failed": sum(r.failed for r in self.results),
        }
