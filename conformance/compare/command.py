"""`pim-conformance compare`: run the same scenarios, with the same seed, against two targets; report the drift.

    pim-conformance compare --api NAME --left URL --right URL [--left-token T] [--right-token T] [--seed N]
                            [--only schema|scenarios] [--scenario NAME] [--strict] [--json FILE] [--html FILE]
    pim-conformance compare --api NAME --base-url URL_A --base-url URL_B …       (the same, as `run` spells it)
    pim-conformance compare --api NAME --config targets.toml [--left NAME --right NAME]   (two targets of NAME)

Exit codes: 0 no difference in contract (seed-open ones may be listed), 1 a difference in contract, 2 usage
error, 3 a target unreachable, 4 the suite erred on a side and no contract difference was found.
"""

from __future__ import annotations

import argparse
import secrets
import time
from collections.abc import Callable

from rich.console import Console

from conformance import apis, targets
from conformance.compare import differ, report
from conformance.compare.choices import Choices
from conformance.compare.observe import Recorder
from conformance.compare.profile import Profile
from conformance.errors import UsageError
from conformance.reporting.files import check_report_paths, write_reports
from conformance.resources import load_spec
from conformance.runner import LAYERS, RunConfig, run
from conformance.spec import SpecIndex

EXIT_SAME, EXIT_DRIFT, EXIT_USAGE, EXIT_CRASH = 0, 1, 2, 4


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from conformance.cli import _header_token, _positive_float, _positive_int

    cmd = commands.add_parser("compare", help="run the same scenarios against two targets; report where they differ")
    cmd.add_argument("--api", required=True, help=f"the API: {', '.join(apis.supported())}")
    cmd.add_argument("--left", metavar="URL|NAME", help="the first target's base URL (a target name with --config)")
    cmd.add_argument("--right", metavar="URL|NAME", help="the second target's base URL (a target name with --config)")
    cmd.add_argument("--base-url", action="append", default=[], help="give twice: the left target, then the right")
    cmd.add_argument("--config", metavar="TOML", help="targets.toml holding the two targets (conformance/targets.py)")
    cmd.add_argument("--token", type=_header_token, help="token for both targets (default: the fake's fixtures)")
    cmd.add_argument("--left-token", type=_header_token, help="token for the left target only")
    cmd.add_argument("--right-token", type=_header_token, help="token for the right target only")
    cmd.add_argument("--seed", type=int, help="seed for both runs (default: random, printed)")
    cmd.add_argument("--max-examples", type=_positive_int, default=15, help="examples per operation (default 15)")
    cmd.add_argument("--timeout", type=_positive_float, default=120.0, help="seconds to wait for one import")
    cmd.add_argument("--only", choices=LAYERS, default="scenarios",
                     help="the layer compared (default scenarios; schema: Schemathesis's generated requests)")
    cmd.add_argument("--scenario", action="append", default=[], help="compare only this scenario (repeatable)")
    cmd.add_argument("--strict", action="store_true", help="also run the checks of the fake's own choices")
    cmd.add_argument("--json", metavar="FILE", help="write the drift report as JSON (data/drift.schema.json)")
    cmd.add_argument("--html", metavar="FILE", help="write the drift report as one self-contained HTML page")
    cmd.add_argument("--quiet", action="store_true", help="print only the differences in contract and the verdict")


def _sides(args: argparse.Namespace, seed: int) -> list[RunConfig]:
    if args.api == "all":
        raise UsageError("compare takes one API at a time: --api NAME")
    apis.get_profile(args.api)
    base = RunConfig(
        api=args.api, base_url="", strict=args.strict, seed=seed, max_examples=args.max_examples,
        timeout=args.timeout, layers=(args.only,), scenarios=frozenset(args.scenario),
    )
    if args.config:
        if args.base_url or args.token or args.left_token or args.right_token:
            raise UsageError("with --config, targets come from the file: no --base-url or tokens (token_env)")
        found = targets.from_file(args.config, base, args.api)
        if args.left or args.right:
            by_name = {c.name: c for c in found}
            missing = [n for n in (args.left, args.right) if n not in by_name]
            if missing or not (args.left and args.right):
                raise UsageError(f"--left/--right name two targets of {args.config}: {', '.join(sorted(by_name))}")
            found = [by_name[args.left], by_name[args.right]]
        if len(found) != 2:
            raise UsageError(f"{args.config} has {len(found)} target(s) for {args.api}: name two with --left/--right")
        for config in found:  # the seed and layer are the comparison's, not each target's
            config.seed, config.layers, config.scenarios = seed, base.layers, base.scenarios
        return found
    urls = [u for u in (args.left, args.right) if u] + args.base_url
    if len(urls) != 2:
        raise UsageError("give two targets: --left URL --right URL, --base-url twice, or --config targets.toml")
    tokens = (args.left_token or args.token, args.right_token or args.token)
    return [
        RunConfig(**{**base.__dict__, "base_url": url, "token": token, "label": name})
        for url, token, name in zip(urls, tokens, ("left", "right"), strict=True)
    ]


def compare(sides: list[RunConfig], say: Callable[[str], None] = lambda _text: None) -> report.DriftReport:
    """Both runs, one after the other in this process, then the differences."""
    profile = apis.get_profile(sides[0].api)
    spec = SpecIndex(load_spec(profile.spec))
    choices = Choices(spec, profile.strict_only_schema_checks)
    vocabulary = profile.lifecycle.vocabulary if profile.lifecycle else frozenset()
    started = time.monotonic()
    runs, profiles = [], []
    for config in sides:
        recorder = Recorder(catalog=choices.catalog, vocabulary=vocabulary, names=choices.names)

        def told(text: str, side: str = config.label or config.base_url) -> None:
            say(f"{side}: {text}")

        runs.append(run(config, progress=recorder.progress(told), recorder=recorder))
        profiles.append(Profile.of(recorder.observations))
    terminal = profile.lifecycle.terminal if profile.lifecycle else frozenset()
    drifts = differ.diff(profiles[0], profiles[1], choices, terminal)
    drifts += differ.verdicts(runs[0].results, runs[1].results)
    drifts.sort(key=lambda d: (not d.contract, d.operation, differ.KINDS.index(d.kind), d.what))
    left, right = sides
    replay = (
        f"pim-conformance compare --api {left.api} --left {left.base_url} --right {right.base_url} "
        f"--only {left.layers[0]} --seed {left.seed}" + "".join(f" --scenario {s}" for s in sorted(left.scenarios))
    )
    return report.DriftReport(
        api=left.api, seed=left.seed,
        left=report.Side.of(left.label or "left", runs[0]), right=report.Side.of(right.label or "right", runs[1]),
        drifts=drifts, duration=time.monotonic() - started, replay=replay,
    )


def main(args: argparse.Namespace, out: Console, err: Console) -> int:
    """UsageError and ConformanceError (unreachable, …) reach cli.main, which turns them into exit codes."""
    seed = args.seed if args.seed is not None else secrets.randbelow(2**32)
    sides = _sides(args, seed)
    check_report_paths(args, "json", "html")
    err.print(f"pim-conformance compare: {args.api}, {sides[0].base_url} versus {sides[1].base_url}, seed {seed}")
    say = (lambda _text: None) if args.quiet else lambda text: err.print(f"  … {text}", style="dim")
    drift = compare(sides, say)
    if not write_reports(
        args, err, json=lambda path: report.write_json(drift, path), html=lambda path: report.write_html(drift, path)
    ):
        return EXIT_USAGE
    report.render(drift, out, quiet=args.quiet)
    if drift.contract:
        return EXIT_DRIFT
    return EXIT_CRASH if drift.verdict == "suite_error" else EXIT_SAME
