"""`pim-conformance diff`: what a change to an OpenAPI 3.0 spec breaks for existing clients.

    pim-conformance diff OLD.yaml NEW.yaml [--format console|json] [--fail-on breaking|any|none]
    pim-conformance diff --base REF [--spec-dir openapi]   # every spec of the working tree against git REF

Exit codes (those of pim-conformance): 0 nothing that `--fail-on` counts, 1 findings that it counts (breaking
ones by default), 2 usage error (a missing file, a file that is not an OpenAPI 3 document, an unknown REF).

JSON output (`--format json`), schema `pimkit.specdiff/1`:

    {"schema": "pimkit.specdiff/1",
     "compared": [{"spec": "openapi/x.yaml", "old": "<REF>:openapi/x.yaml", "new": "openapi/x.yaml"}],
     "summary": {"breaking": 1, "non_breaking": 2, "fail_on": "breaking", "failed": true},
     "findings": [{"kind": "breaking" | "non-breaking", "rule": "operation-removed", "spec": "openapi/x.yaml",
                   "operation": "GET /items/{id}", "location": "responses/200/content/...", "old": ..., "new": ...,
                   "message": "..."}]}

`location` is a JSON pointer relative to the operation (RFC 6901 escapes: `application~1json`); `old`/`new`
are the values before and after (null when absent). Findings are sorted breaking first.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from conformance.specdiff import load
from conformance.specdiff.engine import Finding, diff
from conformance.specdiff.rules import BREAKING

SCHEMA = "pimkit.specdiff/1"
FAIL_ON = ("breaking", "any", "none")


def add_parser(commands: argparse._SubParsersAction) -> None:
    cmd = commands.add_parser(
        "diff",
        help="list what a change to an OpenAPI spec breaks for existing clients (exit 1 if breaking)",
        description=__doc__.split("\n\n")[0],
    )
    cmd.add_argument("old", nargs="?", metavar="OLD.yaml", help="the spec before the change")
    cmd.add_argument("new", nargs="?", metavar="NEW.yaml", help="the spec after the change")
    cmd.add_argument("--base", metavar="REF", help="compare every spec of --spec-dir against git REF")
    cmd.add_argument("--spec-dir", default="openapi", help="with --base: the directory of specs (default openapi)")
    cmd.add_argument("--format", choices=("console", "json"), default="console", help="output (default console)")
    cmd.add_argument(
        "--fail-on", choices=FAIL_ON, default="breaking", help="exit 1 on breaking findings (default), any, or none"
    )


def collect(args: argparse.Namespace) -> tuple[list[dict[str, str]], list[Finding]]:
    """The comparisons made and their findings; UsageError on bad arguments or unreadable documents."""
    from conformance.errors import UsageError

    if args.base:
        if args.old or args.new:
            raise UsageError("give either OLD.yaml NEW.yaml or --base REF, not both")
        pairs = load.pairs_against_revision(args.base, args.spec_dir)
        compared = [{"spec": p.label, "old": f"{args.base}:{p.label}", "new": p.label} for p in pairs]
    else:
        if not (args.old and args.new):
            raise UsageError("diff needs OLD.yaml and NEW.yaml (or --base REF)")
        pairs = [load.Pair(args.new, load.read_file(args.old), load.read_file(args.new))]
        compared = [{"spec": args.new, "old": args.old, "new": args.new}]
    findings = [finding for pair in pairs for finding in diff(pair.old, pair.new, pair.label)]
    findings.sort(key=lambda f: f.kind != BREAKING)  # stable: keeps each spec's own order within a kind
    return compared, findings


def failed(findings: list[Finding], fail_on: str) -> bool:
    if fail_on == "none":
        return False
    return any(f.kind == BREAKING or fail_on == "any" for f in findings)


def as_json(compared: list[dict[str, str]], findings: list[Finding], fail_on: str) -> dict[str, Any]:
    breaking = sum(f.kind == BREAKING for f in findings)
    return {
        "schema": SCHEMA,
        "compared": compared,
        "summary": {
            "breaking": breaking,
            "non_breaking": len(findings) - breaking,
            "fail_on": fail_on,
            "failed": failed(findings, fail_on),
        },
        "findings": [f.as_dict() for f in findings],
    }


def render(compared: list[dict[str, str]], findings: list[Finding], fail_on: str, out: Console) -> None:
    several = len(compared) > 1
    for kind, style in ((BREAKING, "bold red"), ("non-breaking", "green")):
        rows = [f for f in findings if f.kind == kind]
        if not rows:
            continue
        table = Table(title=f"{kind} ({len(rows)})", title_style=style, title_justify="left", expand=False)
        if several:
            table.add_column("spec")
        for column in ("operation", "rule", "location", "old → new"):
            table.add_column(column, overflow="fold")
        for f in rows:
            cells = [f.operation, f.rule, f.location or "—", f"{_cell(f.old)} → {_cell(f.new)}"]
            table.add_row(*([f.spec] if several else []), *cells)
        out.print(table)
    breaking = sum(f.kind == BREAKING for f in findings)
    verdict = "FAIL" if failed(findings, fail_on) else "OK"
    out.print(
        f"{verdict}: {breaking} breaking, {len(findings) - breaking} non-breaking change(s) "
        f"in {len(compared)} spec(s) (--fail-on {fail_on})",
        style="bold red" if verdict == "FAIL" else "bold green",
    )


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def main(args: argparse.Namespace, out: Console) -> int:
    """Runs the subcommand; UsageError propagates to pim-conformance's own handler (exit 2)."""
    compared, findings = collect(args)
    if args.format == "json":
        print(json.dumps(as_json(compared, findings, args.fail_on), indent=2, ensure_ascii=False, default=str))
    else:
        render(compared, findings, args.fail_on, out)
    return 1 if failed(findings, args.fail_on) else 0
