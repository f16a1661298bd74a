"""A real-vendor run: the fake with a real clock behind a proxy whose `/__admin` answers 404, checked over all five
APIs as a vendor's staging would be (`--config targets.toml --workers 2`). Prints the wall time, the verdict per
target and the scenarios skipped for want of the fake's clock, with their reason and count.

    python benchmarks/real_vendor_run.py [--workers 2] [--max-examples 15] [--seed N] [--apis pims,jasper]
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

from _live import LiveServer  # noqa: E402
from broken_variants import RewritingApp  # noqa: E402
from fair_variants import NoAdmin  # noqa: E402

APIS = ("productsmanager", "pixee", "pims", "jasper", "wizart")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-examples", type=int, default=15)
    parser.add_argument("--seed", type=int, default=20261206)
    parser.add_argument("--apis", default=",".join(APIS))
    parser.add_argument("--quick", action="store_true", help="a smoke run: PIMS only, one example")
    args = parser.parse_args()
    if args.quick:
        args.apis, args.max_examples = "pims", 1
    from mock_server.app import create_app
    from mock_server.config import Config

    app = create_app(Config(clock="real", swagger_ui=False))
    try:
        with LiveServer(RewritingApp(app, NoAdmin())) as server, tempfile.TemporaryDirectory() as tmp:
            config = Path(tmp) / "targets.toml"
            config.write_text("".join(
                f'[[target]]\napi = "{api}"\nbase_url = "{server.origin}/{api}"\n\n' for api in args.apis.split(",")
            ))
            report = Path(tmp) / "report.json"
            started = time.monotonic()
            done = subprocess.run(
                [sys.executable, "-m", "conformance", "run", "--api", "all", "--config", str(config), "--workers",
                 str(args.workers), "--max-examples", str(args.max_examples), "--seed", str(args.seed), "--quiet",
                 "--json", str(report)], cwd=REPO, capture_output=True, text=True)
            wall = time.monotonic() - started
            print(done.stdout[-4000:], done.stderr[-2000:])
            print(f"exit {done.returncode}, wall time {wall:.0f} s, --workers {args.workers}, "
                  f"--max-examples {args.max_examples}, seed {args.seed}")
            if report.exists():
                for run in json.loads(report.read_text())["runs"]:
                    skipped = [r for r in run["results"] if r["status"] == "skipped" and r["kind"] == "scenario"]
                    print(f"{run['label']}: {run['verdict']} in {run['duration_seconds']:.0f} s, "
                          f"{len(skipped)} scenario checks skipped")
                    for r in skipped:
                        print(f"    {r['operation']} {r['check']}: {r.get('skip_reason')}")
            return done.returncode
    finally:
        app.runtime.close()


if __name__ == "__main__":
    sys.exit(main())
