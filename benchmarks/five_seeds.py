"""Determinism (issue 15): the whole suite over all five APIs against the fake, five times with different seeds,
each on a fresh fake, then the first seed once more on its own fresh fake: every run must conform, and the repeat
must give the same verdict check for check.

    python benchmarks/five_seeds.py [--seeds 1,2,3,4,5] [--workers 2] [--max-examples 15] [--apis pims,…]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from _live import LiveServer, fake_app  # noqa: E402

APIS = ("productsmanager", "pixee", "pims", "jasper", "wizart")


def one_run(seed: int, workers: int, examples: int, out: Path, apis: list[str]) -> tuple[int, float, dict]:
    app = fake_app()
    try:
        with LiveServer(app) as server:
            report = out / f"seed-{seed}-{time.monotonic_ns()}.json"
            config = out / "targets.toml"
            config.write_text("".join(f'[[target]]\napi = "{api}"\nbase_url = "{server.origin}/{api}"\n\n'
                                      for api in apis))
            started = time.monotonic()
            done = subprocess.run(
                [sys.executable, "-m", "conformance", "run", "--api", "all", "--config", str(config),
                 "--workers", str(workers), "--max-examples", str(examples), "--seed", str(seed), "--quiet",
                 "--json", str(report)], cwd=out, capture_output=True, text=True)
            wall = time.monotonic() - started
    finally:
        app.runtime.close()
    document = json.loads(report.read_text()) if report.exists() else {}
    if done.returncode:
        print(done.stdout[-3000:], done.stderr[-2000:])
    return done.returncode, wall, document


def outcomes(document: dict) -> dict[str, str]:
    return {f"{run['api']}:{r['id']}": r["status"] for run in document.get("runs", []) for r in run["results"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-examples", type=int, default=15)
    parser.add_argument("--apis", default=",".join(APIS), help="a comma-separated subset (CI runs a small one)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: PIMS only, seed 1 twice, one example")
    args = parser.parse_args()
    if args.quick:
        args.seeds, args.apis, args.max_examples = "1", "pims", 1
    seeds = [int(s) for s in args.seeds.split(",")]
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        first = None
        for seed in [*seeds, seeds[0]]:
            code, wall, document = one_run(seed, args.workers, args.max_examples, Path(tmp), args.apis.split(","))
            verdicts = {run["api"]: run["verdict"] for run in document.get("runs", [])}
            print(f"seed {seed}: exit {code}, {wall:.0f} s, score {document.get('score')}, {verdicts}", flush=True)
            failures += code != 0
            if first is None:
                first = outcomes(document)
            elif seed == seeds[0]:
                again = outcomes(document)
                changed = sorted(k for k in first.keys() | again.keys() if first.get(k) != again.get(k))
                print(f"seed {seed} repeated: {len(changed)} checks changed outcome {changed[:10]}")
                failures += bool(changed)
    print("ALL GREEN" if not failures else f"{failures} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
