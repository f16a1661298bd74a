"""Start-up time of the fake: from launching `pim-mock serve` to the first 200 from GET /__admin/health.

Each start is a fresh process, `python -m mock_server.cli serve --host 127.0.0.1 --port PORT --clock manual`
(what the `pim-mock` console script runs), on a free loopback port; the script polls /__admin/health every
10 ms from the moment of launch and stops the server after its first 200. The first start also warms the
OS file cache (imports, .pyc files); it is reported but counts like the others. Also reported: the
server's CPU seconds at that moment (from /proc/<pid>/stat), which is less noisy than wall time on a
shared machine. Target: median ≤ 1.5 s.

    /tmp/venv/bin/python benchmarks/startup.py             # 7 starts
    /tmp/venv/bin/python benchmarks/startup.py --quick     # 2 starts (smoke)
    /tmp/venv/bin/python benchmarks/startup.py --starts 15
"""

from __future__ import annotations

import argparse
import sys

import _harness as h

TARGET_S = 1.5


def one_start(timeout: float) -> tuple[float, float, float]:
    """(seconds to the first healthy answer, server CPU seconds then, RSS MB then)."""
    with h.start_fake(clock="manual") as server:
        ready = h.wait_until(server, h.fake_ready(server.port), timeout=timeout)
        return ready, h.cpu_seconds(server.pid), h.status_kb(server.pid, "VmRSS") / 1024


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="2 starts: a smoke test of the script")
    ap.add_argument("--starts", type=int, default=None, help="fresh starts to time (default 7)")
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds allowed per start")
    args = ap.parse_args(argv)
    starts = args.starts or (2 if args.quick else 7)

    results = []
    for n in range(1, starts + 1):
        results.append(one_start(args.timeout))
        print(f"  start {n}: {results[-1][0]:.3f} s", flush=True)
    print()
    print(h.table(["start", "to first 200 s", "server CPU s", "RSS MB"],
                  [[str(i), f"{r[0]:.3f}", f"{r[1]:.2f}", f"{r[2]:.1f}"] for i, r in enumerate(results, 1)]))
    med = h.median([r[0] for r in results])
    print()
    print(h.table(["median", "value", "target", "verdict"], [
        ["launch → first 200 s", f"{med:.3f}", f"≤ {TARGET_S:g}", h.verdict(med, TARGET_S)],
        ["server CPU s at ready", h.median([r[1] for r in results]), "", ""],
        ["min / max s", f"{min(r[0] for r in results):.3f} / {max(r[0] for r in results):.3f}", "", ""],
    ]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
