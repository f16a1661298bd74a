"""Wall time of a full conformance run over the five APIs against the fake, and how it scales with --workers.

Run by hand (it takes several minutes): each run gets a fresh `pim-mock serve --clock manual` on a free port,
then `pim-conformance run --api all --base-url … --workers N` with the default number of examples (15) unless
--max-examples says otherwise. Prints each run and, per worker count, the median wall time.

    python benchmarks/conformance_run.py [--workers 1,2,4] [--repeat 1] [--max-examples 15]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import REPO, fake_ready, start_fake, wait_until  # noqa: E402


def one_run(workers: int, max_examples: int) -> dict:
    fake = start_fake("manual")
    port = fake.port
    try:
        wait_until(fake, fake_ready(port), timeout=60)
        with tempfile.TemporaryDirectory() as tmp:
            report = Path(tmp) / "r.json"
            env = {**os.environ, "PIMKIT_DATA_DIR": str(REPO), "PYTHONPATH": str(REPO)}
            started = time.monotonic()
            done = subprocess.run(
                [sys.executable, "-m", "conformance", "run", "--api", "all", "--base-url", f"http://127.0.0.1:{port}",
                 "--workers", str(workers), "--max-examples", str(max_examples), "--seed", "1", "--quiet",
                 "--json", str(report)],
                env=env, capture_output=True, text=True, timeout=3600,
            )
            wall = time.monotonic() - started
            data = json.loads(report.read_text())
    finally:
        fake.stop()
    return {
        "workers": workers,
        "wall": wall,
        "exit": done.returncode,
        "score": data["score"],
        "per_api": {run["api"]: round(run["duration_seconds"], 1) for run in data["runs"]},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--max-examples", type=int, default=15)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, max examples {args.max_examples}")
    medians = {}
    for workers in (int(w) for w in args.workers.split(",")):
        walls = []
        for _ in range(args.repeat):
            result = one_run(workers, args.max_examples)
            walls.append(result["wall"])
            print(f"workers {workers}: {result['wall']:.1f} s wall, exit {result['exit']}, score {result['score']}, "
                  f"per API (s) {result['per_api']}", flush=True)
        medians[workers] = statistics.median(walls)
    base = medians.get(1)
    for workers, wall in medians.items():
        speedup = f", {base / wall:.2f}x of --workers 1" if base else ""
        print(f"median --workers {workers}: {wall:.1f} s{speedup}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
