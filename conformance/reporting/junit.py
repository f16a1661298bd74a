"""`--junit FILE`: one <testsuite> per target, one <testcase> per check per operation (Schemathesis) or per
scenario (behaviour). A failure names the operation its request went to, the curl reproducer and the seed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from conformance.results import CaseResult, Outcome, RunReport
from conformance.rules import run_rule_summary
from conformance.score import run_score


def _failure_text(result: CaseResult) -> str:
    parts = [result.message or ""]
    if result.failed_operation:
        parts.append(f"Operation: {result.failed_operation}")
    if result.curl:
        parts.append("Request (credentials masked):\n" + result.curl)
    if result.more_failures:
        parts.append("Also: " + "; ".join(result.more_failures))
    if result.citations:
        parts.append("Seed rule: " + "\n".join(result.citations))
    if result.reproduction:
        parts.append("Reproduce:\n" + result.reproduction)
    return "\n\n".join(part for part in parts if part)


def build(reports: RunReport | Sequence[RunReport]) -> ET.ElementTree:
    reports = [reports] if isinstance(reports, RunReport) else list(reports)
    totals = {"tests": 0, "failures": 0, "errors": 0}
    root = ET.Element("testsuites", name="pim-conformance")
    for report in reports:
        counts = report.counts()
        tests = counts["results"] + len(report.suite_errors)
        totals["tests"] += tests
        totals["failures"] += counts["failed"]
        totals["errors"] += len(report.suite_errors)
        label = report.label or report.api
        suite = ET.SubElement(
            root,
            "testsuite",
            name=f"pim-conformance {label}",
            tests=str(tests),
            failures=str(counts["failed"]),
            skipped=str(counts["skipped"]),
            errors=str(len(report.suite_errors)),
            time=f"{report.duration:.3f}",
        )
        props = ET.SubElement(suite, "properties")
        score = run_score(report)
        for name, value in (
            ("api", report.api),
            ("target", report.target),
            ("seed", report.seed),
            ("strict", report.strict),
            ("score", "n/a" if score is None else f"{score:.2f}"),
            ("replay", report.replay or ""),
            *seed_rule_properties(report),
        ):
            ET.SubElement(props, "property", name=name, value=str(value))
        for result in report.results:
            case = ET.SubElement(
                suite, "testcase", classname=f"{label}.{result.kind.value}.{result.operation}", name=result.check
            )
            if result.rules:
                case.append(_properties(rules=" ".join(result.rules)))
            if result.status is Outcome.FAILED:
                failure = ET.SubElement(case, "failure", message=(result.title or "failed"), type=result.check)
                failure.text = _failure_text(result)
            elif result.status is Outcome.SKIPPED:
                ET.SubElement(case, "skipped", message=result.skip_reason or "did not apply")
        for n, text in enumerate(report.suite_errors, 1):
            case = ET.SubElement(suite, "testcase", classname=f"{label}.suite", name=f"suite_error_{n}")
            ET.SubElement(case, "error", message="the suite itself erred (a bug in pim-conformance)").text = text
    for name, value in totals.items():
        root.set(name, str(value))
    ET.indent(root)
    return ET.ElementTree(root)


def seed_rule_properties(report: RunReport) -> list[tuple[str, str]]:
    summary = run_rule_summary(report.api, report.results)
    return [("seed_rules_probed", f"{summary['probed']}/{summary['total']}"),
            ("seed_rules_failed", " ".join(summary["failed"]))]


def _properties(**values: str) -> ET.Element:
    props = ET.Element("properties")
    for name, value in values.items():
        ET.SubElement(props, "property", name=name, value=value)
    return props


def write(reports: RunReport | Sequence[RunReport], path: str | Path) -> None:
    build(reports).write(str(path), encoding="utf-8", xml_declaration=True)
