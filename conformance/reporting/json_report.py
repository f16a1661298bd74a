"""`--json FILE`: the run as one JSON document, for CI and dashboards. The shape is stable (version 1):

{
  "version": 1,
  "tool": "pim-conformance",
  "api": "productsmanager",
  "target": "http://127.0.0.1:8080/productsmanager",
  "strict": false,                      # whether checks of the fake's own choices ran
  "seed": 1234,                         # replays the run: --seed 1234
  "max_examples": 15,
  "duration_seconds": 12.3,
  "admin_api": true,                    # the target answered /__admin/health (the fake)
  "notes": ["…"],                       # remarks on the run, e.g. how the suite waited for imports
  "verdict": "conforms" | "violations" | "suite_error",   # suite_error: the suite itself erred, found nothing
  "suite_errors": ["…"],                # errors of the suite (a bug in it), never violations of the target
  "counts": {"results": n, "passed": n, "failed": n, "skipped": n,
             "assertions_passed": n, "assertions_failed": n},
  "results": [
    {
      "id": "scenario:import_catalogs:row_counts_add_up",   # kind:operation:check, unique
      "kind": "schema" | "scenario",
      "check": "row_counts_add_up",
      "operation": "POST /api/v1/imports" | "import_catalogs",  # the operation, or the scenario's name
      "rules": ["PM-15"],
      "status": "passed" | "failed" | "skipped",
      "passed": 3, "failed": 0,         # how often the property held / did not
      "strict_only": false,
      "message": null | "Title\nReceived: …\nExpected: …",   # the first failure
      "reproduction": null | "curl …" | "seed …, the generated file …",
      "other_failures": [],             # titles of further, different failures
      "skip_reason": null | "…",
      "citations": ["PM-15 Row-count invariants: ~“…”"]
    }
  ]
}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conformance.results import RunReport

VERSION = 1


def as_dict(report: RunReport) -> dict[str, Any]:
    return {
        "version": VERSION,
        "tool": "pim-conformance",
        "api": report.api,
        "target": report.target,
        "strict": report.strict,
        "seed": report.seed,
        "max_examples": report.max_examples,
        "duration_seconds": round(report.duration, 3),
        "admin_api": report.admin_api,
        "notes": list(report.notes),
        "verdict": report.verdict,
        "suite_errors": list(report.suite_errors),
        "counts": report.counts(),
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
            }
            for r in report.results
        ],
    }


def write(report: RunReport, path: str | Path) -> None:
    Path(path).write_text(json.dumps(as_dict(report), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
