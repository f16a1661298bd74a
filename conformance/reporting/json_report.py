"""`--json FILE`: the run as one JSON document, for CI and dashboards. Its JSON Schema is committed at
conformance/data/report.schema.json (draft 2020-12); the tests validate every report they write against it.

Two shapes, told apart by `kind`:
- "run" (one API, `pim-conformance run --api NAME --base-url URL`): the run's fields below, at the top;
- "suite" (`--api all` or `--config targets.toml`): {"kind": "suite", "score", "verdict", "fail_under",
  "runs": [one "run" document per target], "violations": [...all of them],
  "seed_rules": {"total", "probed", "by_api": {api: {"total", "probed", "failed"}}}}.

A run document (version 2; version 1's fields are unchanged, the rest are additions):

{
  "version": 2, "kind": "run", "tool": "pim-conformance",
  "api": "productsmanager", "label": "productsmanager",      # label: the target's name in targets.toml
  "target": "http://127.0.0.1:8080/productsmanager",
  "strict": false, "seed": 1234, "max_examples": 15,  "duration_seconds": 12.3,
  "admin_api": true, "notes": ["…"],
  "verdict": "conforms" | "violations" | "suite_error",
  "suite_errors": ["…"],
  "replay": "pim-conformance run --api … --seed 1234 …",   # repeats this run exactly
  "score": {"score": 97.5, "applicable": n, "passed": n,     # percent; null when nothing applied
            "by_layer": {"schema": {...}, "scenario": {...}}},
  "counts": {"results": n, "passed": n, "failed": n, "skipped": n, "assertions_passed": n, "assertions_failed": n},
  "seed_rules": {"total": n, "probed": n, "failed": ["PI-06"], "not_probed": ["J-008"],  # the API's seed rules
                 "unprobeable": {"id": "why no black-box probe can check it"}},   # SEED-RULES.md ids
  "coverage": {"operations": {"documented": n, "exercised": n}, "statuses": {...}, "messages": {...},
               "by_operation": [{"operation": "GET /x", "exercised": true, "statuses_documented": [200, 404],
                                 "statuses_seen": [200], "statuses_not_seen": [404], "statuses_undocumented": []}],
               "unmatched_requests": n},
  "violations": [{"operation": "GET /api/v1/imports/{id}", "check": "…", "expected": "…", "received": "…",
                  "curl": "curl -sS -X GET … -H \"Authorization: Bearer $TOKEN\"", "citations": ["…"], …}],
  "results": [{"id": "kind:operation:check", "kind": "schema" | "scenario", "check", "operation", "rules",
               "status": "passed" | "failed" | "skipped", "passed": n, "failed": n, "strict_only": false,
               "message", "reproduction", "other_failures", "skip_reason", "citations",
               "failed_operation", "curl", "expected", "received"}]
}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conformance.results import RunReport
from conformance.rules import run_rule_summary, suite_rule_summary
from conformance.score import overall_score, score_summary, violations

VERSION = 2


def as_dict(report: RunReport) -> dict[str, Any]:
    return {
        "version": VERSION,
        "kind": "run",
        "tool": "pim-conformance",
        "api": report.api,
        "label": report.label or report.api,
        "target": report.target,
        "strict": report.strict,
        "seed": report.seed,
        "max_examples": report.max_examples,
        "duration_seconds": round(report.duration, 3),
        "admin_api": report.admin_api,
        "notes": list(report.notes),
        "verdict": report.verdict,
        "suite_errors": list(report.suite_errors),
        "replay": report.replay,
        "score": score_summary(report),
        "counts": report.counts(),
        "skipped": report.skipped(),
        "coverage": report.coverage,
        "seed_rules": run_rule_summary(report.api, report.results),
        "violations": violations(report),
        "results": [
            {
                "id": r.id,
                "kind": r.kind.value,
                "check": r.check,
                "operation": r.operation,
                "rules": list(r.rules),
                "status": r.status.value,
                "passed": r.passed,
                "failed": r.failed,
                "strict_only": r.strict_only,
                "message": r.message,
                "reproduction": r.reproduction,
                "other_failures": list(r.more_failures),
                "skip_reason": r.skip_reason if r.status.value == "skipped" else None,
                "citations": list(r.citations),
                "failed_operation": r.failed_operation,
                "curl": r.curl,
                "expected": r.expected,
                "received": r.received,
            }
            for r in report.results
        ],
    }


def suite_dict(
    reports: list[RunReport],
    *,
    verdict: str,
    fail_under: float | None,
    errors: list[dict[str, Any]],
    duration: float | None = None,
) -> dict[str, Any]:
    """Several targets: their run documents, the overall score (the mean of the APIs', QA-D02) and every
    violation. `errors`: targets that could not be run at all ({"target", "api", "exit_code", "message"})."""
    runs = [as_dict(report) for report in reports]
    return {
        "version": VERSION,
        "kind": "suite",
        "tool": "pim-conformance",
        "score": overall_score(reports),
        "fail_under": fail_under,
        "verdict": verdict,
        # the run's wall time (targets run one after another or side by side); without it, the longest target's
        "duration_seconds": round(duration if duration is not None else max((r.duration for r in reports),
                                                                              default=0.0), 3),
        "runs": runs,
        "seed_rules": suite_rule_summary((run["api"], run["seed_rules"]) for run in runs),
        "errors": errors,
        "violations": [v for run in runs for v in run["violations"]],
    }


def dump(document: dict[str, Any], path: str | Path) -> None:
    Path(path).write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write(report: RunReport, path: str | Path) -> None:
    dump(as_dict(report), path)
