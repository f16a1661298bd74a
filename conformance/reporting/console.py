"""The console summary: a table of every check with its rules and counts, each failure in full, the verdict."""

from __future__ import annotations

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from conformance.results import Outcome, RunReport

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
        if result.reproduction:
            body.append("Reproduce:\n" + result.reproduction, style="dim")
        title = f"✗ {result.check} — {result.kind.value}: {result.operation} [{' '.join(result.rules)}]"
        console.print(Panel(body, title=title, title_align="left", border_style="red"))

    counts = report.counts()
    if counts["skipped"] and not only_failures:
        console.print(
            Text(
                f"{counts['skipped']} checks did not run: the fake's own choices (--strict) or nothing they apply to "
                "was observed; --json and --junit list them.",
                style="dim",
            )
        )
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
