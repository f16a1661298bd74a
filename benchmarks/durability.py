"""`--data`: nothing acknowledged is lost, and durability costs writes little at 200,000 products.

  * crash: the crash test of tests/test_durability_live.py with more rounds: 4 writers storm POST
    /jasper/api/v1/products, the fake is killed with SIGKILL 0.1–1.0 s after the first create is acknowledged,
    restarted, and every create answered 201 must be there (same id, same SKU) and no id handed out again.
    Reported: rounds, acknowledged creates, lost, reused (both must be 0).
  * latency: Jasper fixtures of 50,000 parents with 3 variants each (200,000 product rows); POST
    /jasper/api/v1/products on one keep-alive connection, the fake without --data and with --data side by side
    (alternating per round): --data with its defaults (no compaction falls in 2,000 writes), with
    `--data-sync os`, and with `--data-compact-mb 0.25`, so that the log is compacted (a full snapshot of the 200k
    rows, written by a forked child) several times during the run. Reported: p50, p99, max per run, the ratios
    of the median p99s.

    python benchmarks/durability.py                  # 20 crash rounds; 3 latency rounds of 2,000 writes
    python benchmarks/durability.py --quick          # 3 crash rounds; 1 latency round of 500 writes, 20k products
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import sys
import tempfile
import time
from pathlib import Path

import _harness as h
from jasper_products import big_fixtures

sys.path.insert(0, str(h.REPO / "tests"))
from _crash_storm import crash_round  # noqa: E402

MODES = {"memory": None, "--data": [], "--data --data-sync os": ["--data-sync", "os"],
         "--data, compacting": ["--data-compact-mb", "0.25"]}
HEADERS = {"Authorization": "Bearer jasper-test-token", "Content-Type": "application/json"}


def crash(rounds: int, seed: int) -> list:
    rng, acknowledged, totals = random.Random(seed), {}, [0, 0, 0]
    with tempfile.TemporaryDirectory() as tmp:
        state = Path(tmp) / "state.json"
        for n in range(rounds + 1):  # the last start only checks the last round
            result = crash_round(state, acknowledged, rng, tag=f"R{n}",
                                 storm_seconds=(0.1, 1.0) if n < rounds else (0.05, 0.1))
            totals[0] += result.acknowledged if n < rounds else 0
            totals[1] += len(result.missing)
            totals[2] += len(result.reused)
            print(f"  round {n + 1:>2}: acknowledged {result.acknowledged:>5}  lost {len(result.missing)}  "
                  f"reused {len(result.reused)}", flush=True)
    return [rounds, totals[0], totals[1], totals[2]]


def writes(port: int, count: int, offset: int) -> list[float]:
    conn = http.client.HTTPConnection(h.HOST, port, timeout=60)
    seconds = []
    for n in range(count):
        body = json.dumps({"name": f"Bench {offset + n}", "sku": f"BENCH-{offset + n}", "desc_long": "x" * 200})
        began = time.perf_counter()
        conn.request("POST", "/jasper/api/v1/products", body=body, headers=HEADERS)
        response = conn.getresponse()
        response.read()
        seconds.append(time.perf_counter() - began)
        assert response.status == 201, response.status
    conn.close()
    return seconds


def latency(parents: int, count: int, rounds: int) -> list[list]:
    rows, p99 = [], {label: [] for label in MODES}
    with tempfile.TemporaryDirectory() as tmp:
        data = h.data_dir_copy(Path(tmp) / "data", replace={"jasper": big_fixtures(Path(tmp) / "big", parents)})
        for n in range(rounds):
            for label, extra in MODES.items():
                port = h.free_port()
                state = Path(tmp) / f"state-{n}-{len(rows)}.json"
                argv = h.fake_argv(port)
                if extra is not None:
                    argv += ["--data", str(state), *extra]
                with h.Server(argv, port=port, env=h.fake_env(data), cwd=h.REPO, name="fake") as fake:
                    h.wait_until(fake, h.fake_ready(port), timeout=600)
                    writes(port, 50, 10**6 * (n + 1))  # warm-up
                    first = newest_segment(state)
                    ms = [s * 1000 for s in writes(port, count, 0)]
                    compactions = newest_segment(state) - first
                p99[label].append(h.percentile(ms, 99))
                rows.append([f"{label} #{n + 1}", count, h.median(ms), h.percentile(ms, 99), max(ms),
                             "" if extra is None else compactions])
    for label in list(MODES)[1:]:
        ratio = h.median(p99[label]) / h.median(p99["memory"])
        rows.append([f"median p99 ratio {label} / memory", "", "", round(ratio, 2), "", ""])
    return rows


def newest_segment(state: Path) -> int:
    return max((int(p.name.rsplit(".", 1)[1]) for p in state.parent.glob(state.name + ".log.*")), default=0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--rounds", type=int, default=None, help="crash rounds (default 20; --quick 3)")
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--latency-rounds", type=int, default=None, help="latency rounds (default 3; --quick 1)")
    parser.add_argument("--skip-crash", action="store_true")
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args(argv)
    if not args.skip_crash:
        rounds = args.rounds or (3 if args.quick else 20)
        print(f"crash: {rounds} rounds of a write storm then kill -9", flush=True)
        result = crash(rounds, args.seed)
        print(h.table(["rounds", "acknowledged", "lost", "reused ids"], [result]), flush=True)
    if not args.skip_latency:
        parents, count, rounds = (5_000, 500, 1) if args.quick else (50_000, 2_000, 3)
        print(f"latency: POST /jasper/api/v1/products x{count} at {parents * 4:,} products", flush=True)
        rows = latency(parents, count, args.latency_rounds or rounds)
        print(h.table(["run", "writes", "p50 ms", "p99 ms", "max ms", "compactions"], rows), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
