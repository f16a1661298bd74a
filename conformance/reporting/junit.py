"""`--junit FILE`: one <testcase> per check per operation (Schemathesis) or per scenario (behaviour)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from conformance.results import CaseResult, Outcome, RunReport


def _failure_text(result: CaseResult) -> str:
    parts = [result.message or ""]
    if result.more_failures:
        parts.append("Also: " + "; ".join(result.more_failures))
    if result.citations:
        parts.append("Seed rule: " + "\n".join(result.citations))
    if result.reproduction:
        parts.append("Reproduce:\n" + result.reproduction)
    return "\n\n".join(part for part in parts if part)


def build(report: RunReport) -> ET.ElementTree:
    counts = report.counts()
    root = ET.Element(
        "testsuites",
        name="pim-conformance",
        tests=str(counts["results"] + len(report.suite_errors)),
        failures=str(counts["failed"]),
        errors=str(len(report.suite_errors)),
    )
    suite = ET.SubElement(
        root,
        "testsuite",
        name=f"pim-conformance {report.api}",
        tests=str(counts["results"] + len(report.suite_errors)),
        failures=str(counts["failed"]),
        skipped=str(counts["skipped"]),
        errors=str(len(report.suite_errors)),
        time=f"{report.duration:.3f}",
    )
    props = ET.SubElement(suite, "properties")
    for name, value in (("target", report.target), ("seed", report.seed), ("strict", report.strict)):
        ET.SubElement(props, "property", name=name, value=str(value))
    for result in report.results:
        case = ET.SubElement(
            suite, "testcase", classname=f"{report.api}.{result.kind.value}.{result.operation}", name=result.check
        )
        if result.rules:
            ET.SubElement(case, "properties").append(ET.Element("property", name="rules", value=" ".join(result.rules)))
        if result.status is Outcome.FAILED:
            failure = ET.SubElement(case, "failure", message=(result.title or "failed"), type=result.check)
            failure.text = _failure_text(result)
        elif result.status is Outcome.SKIPPED:
            ET.SubElement(case, "skipped", message=result.skip_reason or "did not apply")
    for n, text in enumerate(report.suite_errors, 1):
        case = ET.SubElement(suite, "testcase", classname=f"{report.api}.suite", name=f"suite_error_{n}")
        ET.SubElement(case, "error", message="the suite itself erred (a bug in pim-conformance)").text = text
    ET.indent(root)
    return ET.ElementTree(root)


def write(report: RunReport, path: str | Path) -> None:
    build(report).write(str(path), encoding="utf-8", xml_declaration=True)
