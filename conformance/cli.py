"""`pim-conformance`: check a server against pimkit's contracts.

    pim-conformance run --api NAME --base-url URL [--token T] [--junit FILE] [--json FILE] [--html FILE]
                        [--strict] [--seed N] [--max-examples N] [--timeout SECONDS] [--fail-under SCORE]
    pim-conformance run --api all --base-url http://HOST:PORT       (the five APIs of one fake, by prefix)
    pim-conformance run --api all|NAME --config targets.toml [--workers N]   (several targets: targets.py)
    pim-conformance list [--api NAME]
    pim-conformance diff OLD.yaml NEW.yaml | --base REF  [--format console|json] [--fail-on breaking|any|none]
    pim-conformance compare --api NAME --left URL --right URL [--seed N] [--json FILE] [--html FILE]
                        (the same scenarios against two targets, and where they differ: conformance/compare/)

Exit codes: 0 the target conforms, 1 violations found (with --fail-under: the score is below it), 2 usage error
(unknown API, bad arguments, missing data, a report path that cannot be written), 3 target unreachable (no
HTTP answer to the first probe), 4 the suite itself crashed or erred (a bug in pim-conformance; when violations
were also found: 1, errors listed). Several targets: 1 over 3 over 2 over 4 (DECISIONS.md QA-D05).
"""

from __future__ import annotations

import argparse
import math
import secrets
import sys
import time
import traceback

from rich.console import Console

from conformance import apis, targets
from conformance.compare import command as compare_command
from conformance.errors import ConformanceError, UsageError
from conformance.parallel import Outcome, run_all, run_one
from conformance.reporting import console as console_report
from conformance.reporting import html_report, json_report, junit
from conformance.reporting.files import check_report_paths, write_reports
from conformance.runner import LAYERS, RunConfig, preflight_all, run
from conformance.score import overall_score
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


def _score(text: str) -> float:
    value = float(text)
    if not math.isfinite(value) or not 0 <= value <= 100:
        raise argparse.ArgumentTypeError("must be a percentage from 0 to 100")
    return value


def _header_token(text: str) -> str:
    """The token goes into `Authorization: Bearer …`: visible ASCII only (no control characters, no é)."""
    if not text or any(not (0x21 <= ord(c) <= 0x7E) for c in text):
        raise argparse.ArgumentTypeError("must be visible ASCII characters only (it is sent in a header)")
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="pim-conformance", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    run_cmd = commands.add_parser("run", help="check a server against an API's contracts")
    run_cmd.add_argument(
        "--api", required=True, help=f"the API to check: {', '.join(apis.supported())}, or all (the five vendors')"
    )
    run_cmd.add_argument(
        "--base-url",
        help="the API's base URL, e.g. http://127.0.0.1:8080/productsmanager; with --api all, the fake's root",
    )
    run_cmd.add_argument(
        "--config", metavar="TOML", help="the targets to check (API, base URL, token_env): conformance/targets.py"
    )
    run_cmd.add_argument(
        "--workers", type=_positive_int, default=1, help="targets checked at once, each in its own process (default 1)"
    )
    run_cmd.add_argument(
        "--fail-under",
        type=_score,
        metavar="SCORE",
        help="gate on the score (percent): exit 1 only when it is below SCORE, violations or not",
    )
    run_cmd.add_argument("--html", metavar="FILE", help="write a self-contained HTML report for people")
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
    # `compare`: the drift between two targets, e.g. the fake and a vendor's staging (conformance/compare/)
    compare_command.add_parser(commands)
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


def _configs(args: argparse.Namespace, seed: int) -> tuple[list[RunConfig], bool]:
    """The runs asked for, and whether they are a suite (several targets) rather than one classic run."""
    base = RunConfig(
        api=args.api,
        base_url=args.base_url or "",
        token=args.token,
        strict=args.strict,
        seed=seed,
        max_examples=args.max_examples,
        timeout=args.timeout,
        layers=(args.only,) if args.only else LAYERS,
        scenarios=frozenset(args.scenario),
    )
    if args.config:
        if args.token:
            raise UsageError("--token is not taken with --config: each target's token_env names its secret")
        return targets.from_file(args.config, base, args.api), True
    if not args.base_url:
        raise UsageError("--base-url is required (or --config targets.toml)")
    if args.api == "all":
        if args.token:
            raise UsageError("--token is not taken with --api all: use --config with a token_env per target")
        return targets.all_on_one_fake(args.base_url, base), True
    apis.get_profile(args.api)  # an unknown API is a usage error before anything else happens
    base.token = base.token or targets.token_from_env(args.api)
    base.credentials = targets.credentials_from_env(args.api, where="environment")
    return [base], False


def _exit_code(outcomes: list[Outcome], fail_under: float | None) -> tuple[int, str]:
    reports = [o.report for o in outcomes if o.report is not None]
    score = overall_score(reports)
    if fail_under is not None:
        if score is None or score < fail_under:
            return EXIT_VIOLATIONS, "below_threshold"
    elif any(r.failed for r in reports):
        return EXIT_VIOLATIONS, "violations"
    for code in (EXIT_UNREACHABLE, EXIT_USAGE, EXIT_CRASH):
        if any(o.exit_code == code for o in outcomes):
            return code, "incomplete" if code != EXIT_CRASH else "suite_error"
    if any(r.suite_errors for r in reports):
        return EXIT_CRASH, "suite_error"
    return EXIT_CONFORMS, "conforms"


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
        if args.command == "compare":
            return compare_command.main(args, out, err)
        if not args.config and not args.base_url:
            parser.error("the following arguments are required: --base-url (or --config targets.toml)")
        seed = args.seed if args.seed is not None else secrets.randbelow(2**32)
        configs, suite = _configs(args, seed)
        check_report_paths(args, "json", "junit", "html")
        if suite:
            return _run_suite(args, configs, out, err)
        config = configs[0]
        err.print(
            f"pim-conformance: {config.api} at {config.base_url}, seed {seed}" + (", strict" if args.strict else "")
        )

        def say(_index: int, kind: str, text: str) -> None:
            if not args.quiet and kind == "progress" and text:
                err.print(f"  … {text}", style="dim")

        outcome = run_one(0, config, say, runner=run)
        if outcome.report is None:
            code = EXIT_CRASH if outcome.exit_code is None else outcome.exit_code  # run_one sets it: never None
            prefix = {EXIT_USAGE: "error: ", EXIT_CRASH: ""}.get(code, "")
            err.print(f"pim-conformance: {prefix}{outcome.error}", style="bold red")
            return code
        report = outcome.report
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
    code, verdict = _exit_code([outcome], args.fail_under)
    written = write_reports(
        args, err,
        junit=lambda path: junit.write(report, path),
        json=lambda path: json_report.write(report, path),
        html=lambda path: html_report.write([report], path, fail_under=args.fail_under, verdict=verdict),
    )
    console_report.render(report, out, only_failures=args.quiet)
    if not written:
        return EXIT_USAGE
    if code == EXIT_CRASH:
        err.print("pim-conformance: the suite itself erred (a bug in pim-conformance): see above", style="bold red")
    if args.fail_under is not None:
        gate = "passed" if code != EXIT_VIOLATIONS else "FAILED"
        out.print(f"Gate --fail-under {args.fail_under:g}: {gate}")
    return code


def _run_suite(args: argparse.Namespace, configs: list[RunConfig], out: Console, err: Console) -> int:
    # A wrong URL or token on any target stops the run before any check (QA-D14); an unreachable target does not
    # stop the others (QA-D05): it is reported with exit 3 where it would have run.
    stopped = [(config, exc) for config, exc in preflight_all(configs) if exc.exit_code == EXIT_USAGE]
    for config, exc in stopped:
        err.print(f"pim-conformance: {config.name}: {exc}", style="bold red")
    if stopped:
        err.print(f"pim-conformance: {len(stopped)} of {len(configs)} targets failed the pre-flight: nothing was run")
        return EXIT_USAGE
    err.print(
        f"pim-conformance: {len(configs)} targets, {args.workers} at once"
        + (f", seed {args.seed}" if args.seed is not None else f", seed {configs[0].seed}")
    )
    started = time.monotonic()
    if args.quiet:
        outcomes = run_all(configs, args.workers)
    else:
        with console_report.LiveProgress(configs, err) as live:
            outcomes = run_all(configs, args.workers, progress=live.update)
    wall = time.monotonic() - started
    reports = [o.report for o in outcomes if o.report is not None]
    code, verdict = _exit_code(outcomes, args.fail_under)
    errors = [
        {"target": o.config.name, "api": o.config.api, "exit_code": o.exit_code, "message": o.error}
        for o in outcomes
        if o.report is None
    ]
    written = write_reports(
        args, err,
        junit=lambda path: junit.write(reports, path),
        json=lambda path: json_report.dump(
            json_report.suite_dict(reports, verdict=verdict, fail_under=args.fail_under, errors=errors, duration=wall),
            path,
        ),
        html=lambda path: html_report.write(reports, path, fail_under=args.fail_under, verdict=verdict, errors=errors),
    )
    if not written:
        return EXIT_USAGE
    for report in reports:
        if report.failed or report.suite_errors:
            console_report.render(report, out, only_failures=True)
        if not args.quiet:
            for line in console_report.skipped_lines(report):
                out.print(f"{report.label}: {line}", style="dim")
    for error in errors:
        err.print(f"pim-conformance: {error['target']}: not run (exit {error['exit_code']}): {error['message']}",
                  style="bold red")
    overall = overall_score(reports)
    out.print(console_report.summary_table(outcomes, overall))
    gate = f" · gate --fail-under {args.fail_under:g}" if args.fail_under is not None else ""
    shown = "n/a" if overall is None else f"{overall:.2f} %"
    out.print(f"{verdict.upper()}: overall score {shown}{gate} · exit {code}")
    return code


if __name__ == "__main__":
    sys.exit(main())
