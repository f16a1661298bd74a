"""The conformance score, and the violations list, of one run and of several (DECISIONS.md QA-D01..QA-D03).

A check is *applicable* when it judged something (passed or failed); a skipped one (the fake's own choice
without --strict, or nothing it applies to was observed) is left out of both sides of the ratio.
Within a layer every applicable (check, operation) or (check, scenario) result weighs the same; the two
layers weigh half each when both ran, so Jasper's ~170 operations times a dozen Schemathesis checks do not
drown the stateful behaviour the scenarios check. The overall score is the mean of the APIs' scores: each
API counts once, whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from conformance.results import Kind, Outcome, RunReport

LAYER_WEIGHTS = {Kind.SCHEMA: 0.5, Kind.SCENARIO: 0.5}


def layer_counts(report: RunReport) -> dict[str, dict[str, int]]:
    counts = {kind.value: {"passed": 0, "failed": 0} for kind in Kind}
    for result in report.results:
        if result.status is not Outcome.SKIPPED:
            counts[result.kind.value][result.status.value] += 1
    return counts


def run_score(report: RunReport) -> float | None:
    """Percent, 0–100, rounded to 0.01; None when no check applied at all."""
    counts = layer_counts(report)
    total_weight, score = 0.0, 0.0
    for kind, weight in LAYER_WEIGHTS.items():
        passed, failed = counts[kind.value]["passed"], counts[kind.value]["failed"]
        if passed + failed:
            total_weight += weight
            score += weight * passed / (passed + failed)
    return round(100.0 * score / total_weight, 2) if total_weight else None


def overall_score(reports: Iterable[RunReport]) -> float | None:
    scores = [s for s in (run_score(r) for r in reports) if s is not None]
    return round(sum(scores) / len(scores), 2) if scores else None


def score_summary(report: RunReport) -> dict[str, Any]:
    counts = layer_counts(report)
    return {
        "score": run_score(report),
        "applicable": sum(c["passed"] + c["failed"] for c in counts.values()),
        "passed": sum(c["passed"] for c in counts.values()),
        "by_layer": {
            kind: {**c, "applicable": c["passed"] + c["failed"], "weight": LAYER_WEIGHTS[Kind(kind)]}
            for kind, c in counts.items()
        },
    }


def violations(report: RunReport) -> list[dict[str, Any]]:
    """One entry per failed check: where, the request that showed it, expected versus received, the seed."""
    found = []
    for result in report.failed:
        found.append(
            {
                "id": result.id,
                "api": report.api,
                "target": report.label or report.api,
                "check": result.check,
                "kind": result.kind.value,
                # The documented operation the violating request was sent to; a scenario's own name otherwise.
                "operation": result.failed_operation or result.operation,
                "scenario": result.operation if result.kind is Kind.SCENARIO else None,
                "title": result.title,
                "expected": result.expected,
                "received": result.received,
                "curl": result.curl,
                "reproduction": result.reproduction,
                "rules": list(result.rules),
                "citations": list(result.citations),
                "occurrences": result.failed,
            }
        )
    return found
