"""The console summary: a table of every check with its rules and counts, each failure in full, the verdict."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from rich.console import Console, JustifyMethod
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from conformance.results import Outcome, RunReport
from conformance.rules import rules_line, run_rule_summary, suite_rule_summary

if TYPE_CHECKING:
    from conformance.parallel import Outcome as TargetOutcome
    from conformance.runner import RunConfig

STYLES = {Outcome.PASSED: "green", Outcome.FAILED: "bold red", Outcome.SKIPPED: "dim"}


def render(report: RunReport, console: Console, *, only_failures: bool = False) -> None:
    table = Table(title=f"pim-conformance · {report.api} · {report.target}", show_lines=False, expand=False)
    table.add_column("Check")
    table.add_column("Operation / scenario")
    table.add_column("Rules")
    table.add_column("Passed", justify="right")
    table.add_column("Failed", justify="right")
    table.add_column("Result")
    shown = report.failed if only_failures else [r for r in report.results if r.status is not Outcome.SKIPPED]
    for result in shown:
        style = STYLES[result.status]
        label = result.status.value + (
            " (strict)" if result.strict_only and result.status is not Outcome.SKIPPED else ""
        )
        table.add_row(
            result.check,
            f"{result.kind.value}: {result.operation}",
            " ".join(result.rules),
            str(result.passed),
            str(result.failed),
            Text(label, style=style),
        )
    if shown:
        console.print(table)

    for result in report.failed:
        body = Text()
        body.append((result.message or "") + "\n", style="")
        if result.more_failures:
            body.append("Also: " + "; ".join(result.more_failures) + "\n", style="yellow")
        for citation in result.citations:
            body.append(f"Seed: {citation}\n", style="cyan")
        if result.failed_operation:
            body.append(f"Operation: {result.failed_operation}\n", style="bold")
        if result.curl:
            body.append("Request (credentials masked):\n" + result.curl + "\n", style="")
        if result.reproduction:
            body.append("Reproduce:\n" + result.reproduction, style="dim")
        title = f"✗ {result.check} — {result.kind.value}: {result.operation} [{' '.join(result.rules)}]"
        console.print(Panel(body, title=title, title_align="left", border_style="red"))

    counts = report.counts()
    if counts["skipped"] and not only_failures:
        for line in skipped_lines(report):
            console.print(Text(line, style="yellow" if "clock" in line or "admin" in line else "dim"))
    mode = "strict (the fake's own choices included)" if report.strict else "contract"
    clock = "the fake's admin API" if report.admin_api else "no admin API"
    for note in report.notes:
        console.print(Text(note, style="yellow"))
    for error in report.suite_errors:
        body = Text(error + "\n(a bug in pim-conformance, not a violation by the target: please report it)")
        console.print(Panel(body, title="⚠ suite error", title_align="left", border_style="magenta"))
    verdict_style = "bold green" if report.conforms else "bold red"
    held = f"{counts['assertions_passed']} assertions held, {counts['assertions_failed']} did not"
    tally = f"{counts['passed']} passed, {counts['failed']} failed, {counts['skipped']} skipped ({held})"
    line = f"{report.verdict.upper()}: {tally} · {mode} · {clock} · seed {report.seed} · {report.duration:.1f}s"
    console.print(Text(line, style=verdict_style))
    console.print(score_line(report))
    console.print(Text(rules_line(run_rule_summary(report.api, report.results), report.api),
                       style="bold red" if report.failed else "dim"))
    if report.failed and report.replay:
        console.print(Text(f"Replay exactly: {report.replay}", style="dim"))


def score_line(report: RunReport) -> Text:
    from conformance.score import score_summary

    summary = score_summary(report)
    coverage = report.coverage or {}
    ops = coverage.get("operations", {})
    score = "n/a" if summary["score"] is None else f"{summary['score']:.2f} %"
    text = f"Score {score} ({summary['passed']}/{summary['applicable']} checks applicable passed)"
    if ops:
        text += f" · operations exercised {ops['exercised']}/{ops['documented']}"
    return Text(text, style="bold green" if report.conforms else "bold red")


def summary_table(outcomes: Sequence[TargetOutcome], overall: float | None, *,
                  title: str = "pim-conformance: all targets") -> Table:
    """The final table of a multi-target run: one row per target."""
    from conformance.score import score_summary

    table = Table(title=title, expand=False)
    columns: tuple[tuple[str, JustifyMethod], ...] = (
        ("Target", "left"),
        ("API", "left"),
        ("Score", "right"),
        ("Checks", "right"),
        ("Violations", "right"),
        ("Operations", "right"),
        ("Statuses", "right"),
        ("Messages", "right"),
        ("Time", "right"),
        ("Verdict", "left"),
    )
    for name, justify in columns:
        table.add_column(name, justify=justify)
    for outcome in outcomes:
        report = outcome.report
        if report is None:
            table.add_row(
                outcome.config.name,
                outcome.config.api,
                "–",
                "–",
                "–",
                "–",
                "–",
                "–",
                "–",
                Text(f"not run (exit {outcome.exit_code}): {outcome.error}"[:120], style="bold red"),
            )
            continue
        summary, coverage = score_summary(report), report.coverage or {}

        def pair(key: str, coverage: Mapping[str, Any] = coverage) -> str:
            part = coverage.get(key, {})
            return f"{part.get('exercised', 0)}/{part.get('documented', 0)}" if part.get("documented") else "n/a"

        score = "n/a" if summary["score"] is None else f"{summary['score']:.2f} %"
        table.add_row(
            report.label or report.api,
            report.api,
            score,
            f"{summary['passed']}/{summary['applicable']}",
            str(len(report.failed)),
            pair("operations"),
            pair("statuses"),
            pair("messages"),
            f"{report.duration:.1f}s",
            Text(report.verdict, style="green" if report.conforms else "bold red"),
        )
    table.caption = "overall score " + ("n/a" if overall is None else f"{overall:.2f} %") + " (mean of the targets')"
    ran = [(o.report.api, run_rule_summary(o.report.api, o.report.results)) for o in outcomes if o.report is not None]
    if ran:
        table.caption += " · " + rules_line(suite_rule_summary(ran))
    return table


class LiveProgress:
    """A live table while targets run: queued, the phase each is in, done. `update` is the `run_all` callback."""

    def __init__(self, configs: Sequence[RunConfig], console: Console) -> None:
        import time

        from rich.live import Live

        self.time = time
        self.configs = configs
        self.state = ["queued"] * len(configs)
        self.started: list[float | None] = [None] * len(configs)
        self.ended: list[float | None] = [None] * len(configs)
        self.live = Live(self._render(), console=console, refresh_per_second=4, transient=False)

    def _render(self) -> Table:
        table = Table(title="pim-conformance: running", expand=False)
        for name in ("Target", "API", "Base URL", "State", "Time"):
            table.add_column(name)
        now = self.time.monotonic()
        for i, config in enumerate(self.configs):
            start, end = self.started[i], self.ended[i]
            elapsed = "" if start is None else f"{(end or now) - start:.0f}s"
            table.add_row(config.name, config.api, config.base_url, self.state[i][:70], elapsed)
        return table

    def update(self, index: int, kind: str, text: str) -> None:
        if kind == "start":
            self.started[index] = self.time.monotonic()
            self.state[index] = "running"
        elif kind == "progress":
            self.state[index] = text
        else:
            self.ended[index] = self.time.monotonic()
            self.state[index] = f"done: {text}"
        self.live.update(self._render())

    def __enter__(self) -> LiveProgress:
        self.live.__enter__()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.live.update(self._render())
        self.live.__exit__(kind, error, trace)


def skipped_lines(report: RunReport) -> list[str]:
    """What did not run, by reason, naming the scenarios (issue 15: no coverage is lost silently)."""
    lines = []
    for group in report.skipped():
        scenarios = group["scenarios"]
        named = f" (scenarios: {', '.join(scenarios[:12])}{' …' if len(scenarios) > 12 else ''})" if scenarios else ""
        lines.append(f"{group['count']} checks did not run: {group['reason']}{named}")
    return lines
