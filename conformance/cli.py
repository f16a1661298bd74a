"""`pim-conformance`: check a server against pimkit's contracts.

    pim-conformance run --api NAME --base-url URL [--token T] [--junit FILE] [--json FILE]
                        [--strict] [--seed N] [--max-examples N] [--timeout SECONDS]
    pim-conformance list [--api NAME]
    pim-conformance diff OLD.yaml NEW.yaml | --base REF  [--format console|json] [--fail-on breaking|any|none]

Exit codes: 0 the target conforms, 1 violations found, 2 usage error (unknown API, bad arguments,
missing data, a report path that cannot be written), 3 target unreachable (no HTTP answer to the first probe),
4 the suite itself crashed or erred (a bug in pim-conformance; when violations were also found: 1, errors listed).
"""

from __future__ import annotations

import argparse
import math
import os
import secrets
import sys
import traceback
from pathlib import Path

from rich.console import Console

from conformance import apis
from conformance.errors import ConformanceError, UsageError
from conformance.reporting import console as console_report
from conformance.reporting import json_report, junit
from conformance.runner import LAYERS, RunConfig, run
from conformance.specdiff import cli as specdiff_cli

EXIT_CONFORMS, EXIT_VIOLATIONS, EXIT_USAGE, EXIT_UNREACHABLE, EXIT_CRASH = 0, 1, 2, 3, 4


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError("must be a finite number of seconds above 0")
    return value


def _header_token(text: str) -> str:
    """The token goes into `Authorization: Bearer …`: visible ASCII only (no control characters, no é)."""
    if not text or any(not (0x21 <= ord(c) <= 0x7E) for c in text):
        raise argparse.ArgumentTypeError("must be visible ASCII characters only (it is sent in a header)")
    return text


def _check_report_path(option: str, path: str) -> None:
    """Fail before the run, not after it, when a report cannot be written."""
    target = Path(path)
    if target.is_dir():
        raise UsageError(f"{option} {path!r} is a directory")
    parent = target.parent if str(target.parent) else Path(".")
    if target.exists():
        writable = os.access(target, os.W_OK)
    else:
        writable = parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)
    if not writable:
        raise UsageError(f"{option} {path!r} cannot be written")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pim-conformance", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    run_cmd = commands.add_parser("run", help="check a server against an API's contracts")
    run_cmd.add_argument("--api", required=True, help=f"the API to check: {', '.join(apis.supported())}")
    run_cmd.add_argument(
        "--base-url", required=True, help="the API's base URL, e.g. http://127.0.0.1:8080/productsmanager"
    )
    run_cmd.add_argument(
        "--token", type=_header_token, help="API key / bearer token (default: the fake's fixture credentials)"
    )
    run_cmd.add_argument("--junit", metavar="FILE", help="write a JUnit XML report")
    run_cmd.add_argument(
        "--json", metavar="FILE", help="write a JSON report (shape: conformance/reporting/json_report.py)"
    )
    run_cmd.add_argument("--strict", action="store_true", help="also check the fake's own choices (x-fake-choice)")
    run_cmd.add_argument("--seed", type=int, help="seed for Schemathesis and Hypothesis (default: random, printed)")
    run_cmd.add_argument("--max-examples", type=_positive_int, default=15, help="examples per operation (default 15)")
    run_cmd.add_argument(
        "--timeout", type=_positive_float, default=120.0, help="seconds to wait for one import to finish (default 120)"
    )
    run_cmd.add_argument("--only", choices=LAYERS, help="run one layer: schema (Schemathesis) or scenarios")
    run_cmd.add_argument("--scenario", action="append", default=[], help="run only this scenario (repeatable)")
    run_cmd.add_argument("--quiet", action="store_true", help="print only failures and the verdict")

    list_cmd = commands.add_parser("list", help="list the scenarios and checks of an API")
    list_cmd.add_argument("--api", default="productsmanager")

    # `diff`: spec changes that break clients (conformance/specdiff/)
    specdiff_cli.add_parser(commands)
    return parser


def _list(api: str, out: Console) -> int:
    from conformance.checks import REGISTRIES
    from conformance.scenarios import SCENARIOS

    apis.get_profile(api).load_scenarios()  # the scenario modules import the checks they run
    for spec in SCENARIOS.get(api, {}).values():
        out.print(f"scenario {spec.name} [{' '.join(spec.rules)}]{' (strict)' if spec.strict else ''}: {spec.summary}")
    for check in REGISTRIES.get(api, {}).values():
        out.print(f"check {check.name} [{' '.join(check.rules)}]{' (strict)' if check.strict else ''}")
    return EXIT_CONFORMS


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # A pipe or a CI log has no width of its own: give the table room rather than rich's 80 columns.
    out = Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 160)
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    try:
        if args.command == "list":
            return _list(args.api, out)
        if args.command == "diff":
            return specdiff_cli.main(args, out)
        apis.get_profile(args.api)  # an unknown API is a usage error before anything else happens
        for option, path in (("--json", args.json), ("--junit", args.junit)):
            if path:
                _check_report_path(option, path)
        seed = args.seed if args.seed is not None else secrets.randbelow(2**32)
        config = RunConfig(
            api=args.api,
            base_url=args.base_url,
            token=args.token,
            strict=args.strict,
            seed=seed,
            max_examples=args.max_examples,
            timeout=args.timeout,
            layers=(args.only,) if args.only else LAYERS,
            scenarios=frozenset(args.scenario),
        )
        err.print(f"pim-conformance: {args.api} at {args.base_url}, seed {seed}" + (", strict" if args.strict else ""))
        report = run(config, progress=None if args.quiet else lambda text: err.print(f"  … {text}", style="dim"))
    except UsageError as exc:
        err.print(f"pim-conformance: error: {exc}", style="bold red")
        return EXIT_USAGE
    except ConformanceError as exc:
        err.print(f"pim-conformance: {exc}", style="bold red")
        return exc.exit_code
    except KeyboardInterrupt:
        err.print("pim-conformance: interrupted", style="bold red")
        return 130
    except Exception:
        err.print("pim-conformance: the suite itself crashed (a bug in pim-conformance):", style="bold red")
        err.print(traceback.format_exc())
        return EXIT_CRASH
    try:
        if args.junit:
            junit.write(report, args.junit)
        if args.json:
            json_report.write(report, args.json)
    except OSError as exc:  # checked up front, but the file system may still refuse (disk full, a race)
        console_report.render(report, out, only_failures=args.quiet)
        err.print(f"pim-conformance: error: a report could not be written: {exc}", style="bold red")
        return EXIT_USAGE
    console_report.render(report, out, only_failures=args.quiet)
    if report.failed:
        return EXIT_VIOLATIONS
    if report.suite_errors:
        err.print("pim-conformance: the suite itself erred (a bug in pim-conformance): see above", style="bold red")
        return EXIT_CRASH
    return EXIT_CONFORMS


if __name__ == "__main__":
    sys.exit(main())
