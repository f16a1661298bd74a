"""The drift report: the two sides, every difference (contract first, the seed-open ones apart), as console,
JSON (schema: conformance/data/drift.schema.json) and a self-contained HTML page (text escaped, no script)."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from conformance.compare.differ import Drift
from conformance.results import RunReport

VERSION = 1


@dataclass
class Side:
    name: str  # "left" / "right", or the target's name in targets.toml
    base_url: str
    verdict: str
    counts: dict[str, int]
    duration: float
    admin_api: bool
    suite_errors: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, name: str, report: RunReport) -> Side:
        return cls(name, report.target, report.verdict, report.counts(), report.duration, report.admin_api,
                   list(report.suite_errors))

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "base_url": self.base_url, "verdict": self.verdict, "counts": self.counts,
            "duration_seconds": round(self.duration, 3), "admin_api": self.admin_api,
            "suite_errors": self.suite_errors,
        }


@dataclass
class DriftReport:
    api: str
    seed: int
    left: Side
    right: Side
    drifts: list[Drift]
    duration: float = 0.0
    replay: str = ""

    @property
    def contract(self) -> list[Drift]:
        return [d for d in self.drifts if d.contract]

    @property
    def seed_open(self) -> list[Drift]:
        return [d for d in self.drifts if not d.contract]

    @property
    def verdict(self) -> str:
        if self.contract:
            return "contract_drift"
        if self.left.suite_errors or self.right.suite_errors:
            return "suite_error"
        return "seed_open_only" if self.drifts else "no_drift"

    def as_dict(self) -> dict[str, Any]:
        operations = sorted({d.operation for d in self.contract})
        return {
            "version": VERSION, "kind": "drift", "tool": "pim-conformance", "api": self.api, "seed": self.seed,
            "verdict": self.verdict, "duration_seconds": round(self.duration, 3), "replay": self.replay,
            "left": self.left.as_dict(), "right": self.right.as_dict(),
            "counts": {"contract": len(self.contract), "seed_open": len(self.seed_open),
                       "operations_with_contract_drift": len(operations)},
            "contract": [d.as_dict() for d in self.contract],
            "seed_open": [d.as_dict() for d in self.seed_open],
        }


def _table(title: str, drifts: list[Drift], report: DriftReport, *, reasons: bool) -> Table:
    table = Table(title=title, title_justify="left", show_lines=False)
    for column in ("operation", "kind", "what differs", report.left.name, report.right.name):
        table.add_column(column, overflow="fold")
    if reasons:
        table.add_column("why it is open", overflow="fold", style="dim")
    for d in drifts:
        table.add_row(d.operation, d.kind, d.what, d.left, d.right, *([d.reason] if reasons else []))
    return table


def render(report: DriftReport, out: Console, *, quiet: bool = False) -> None:
    left, right = report.left, report.right
    out.print(f"Drift report · {report.api} · seed {report.seed}")
    for side in (left, right):
        out.print(f"  {side.name}: {side.base_url} · run verdict {side.verdict} · {side.duration:.1f} s")
    if report.contract:
        out.print(_table(f"Differences in contract ({len(report.contract)})", report.contract, report, reasons=False))
    if report.seed_open and not quiet:
        out.print(_table(f"Differences the seed leaves open ({len(report.seed_open)})", report.seed_open, report,
                         reasons=True))
    for side in (left, right):
        for error in side.suite_errors:
            out.print(f"suite error on {side.name}: {error.splitlines()[0]}", style="bold red")
    out.print(
        f"{report.verdict.upper()}: {len(report.contract)} difference(s) in contract, "
        f"{len(report.seed_open)} the seed leaves open"
    )


def write_json(report: DriftReport, path: str | Path) -> None:
    Path(path).write_text(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1b1f24}table{border-collapse:collapse;width:100%;
margin:8px 0 20px}th,td{border-bottom:1px solid #eaeef2;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}.bad{color:#cf222e}.ok{color:#1a7f37}.dim{color:#656d76}code{word-break:break-all}"""


def _html_rows(drifts: list[Drift], *, reasons: bool) -> str:
    rows = []
    for d in drifts:
        cells = [d.operation, d.kind, d.what, d.left, d.right, *([d.reason] if reasons else [])]
        rows.append("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in cells) + "</tr>")
    return "\n".join(rows)


def write_html(report: DriftReport, path: str | Path) -> None:
    e = html.escape
    left, right = report.left, report.right
    head = "".join(f"<th>{e(c)}</th>" for c in ("operation", "kind", "what differs", left.name, right.name))
    verdict_class = "bad" if report.contract else "ok"
    sections = [
        f"<h1>Drift report · {e(report.api)}</h1>",
        f"<p>seed {report.seed} · <code>{e(report.replay)}</code></p>",
        "<ul>" + "".join(f"<li><b>{e(s.name)}</b>: <code>{e(s.base_url)}</code> · run verdict {e(s.verdict)}</li>"
                         for s in (left, right)) + "</ul>",
        f'<p class="{verdict_class}"><b>{e(report.verdict)}</b>: {len(report.contract)} difference(s) in contract, '
        f"{len(report.seed_open)} the seed leaves open</p>",
        f"<h2>Differences in contract ({len(report.contract)})</h2>",
        f"<table><thead><tr>{head}</tr></thead><tbody>{_html_rows(report.contract, reasons=False)}</tbody></table>",
        f"<h2>Differences the seed leaves open ({len(report.seed_open)})</h2>",
        f"<table><thead><tr>{head}<th>why it is open</th></tr></thead>"
        f"<tbody>{_html_rows(report.seed_open, reasons=True)}</tbody></table>",
    ]
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Drift report · {e(report.api)}</title>'
        f"<style>{CSS}</style></head><body>{''.join(sections)}</body></html>\n"
    )
    Path(path).write_text(page, encoding="utf-8")
