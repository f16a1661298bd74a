"""Import 100,000 CSV rows into the fake's Products Manager API: wall time, server CPU, server peak memory.

What it does, per run (fresh server each time, manual clock):
  1. generates once a CSV `ean,title,price,brand` of --rows rows: EAN-13s with GS1 in-store prefixes 20-29
     and correct check digits, every --invalid-every-th row broken (bad check digit, 12 digits, no title,
     bad price, in turn) — the expected error count is known;
  2. starts `python -m mock_server.cli serve --clock manual` on a free loopback port, waits for
     /__admin/health;
  3. reads the server's CPU (utime+stime, /proc/<pid>/stat), uploads the file
     (POST /productsmanager/api/v1/imports), advances the virtual clock past the end of the import
     (1 s pending + rows / 500 rows/s + margin), polls GET /imports/{id} until completed /
     completed_with_errors, and reads the CPU again and the peak RSS (VmHWM, /proc/<pid>/status);
  4. checks the counts (total, error rows, the errors listing's total) and stops the server.

Reported (medians over the runs): upload→terminal wall time, server CPU seconds consumed by the import
(upload parsing + row processing + the polls), server peak RSS. Targets: ≤ 10 s CPU, ≤ 300 MB peak RSS.
Wall time on this 2-core, shared machine includes the client (this script), which runs beside the server.

    /tmp/venv/bin/python benchmarks/import_100k.py            # 100,000 rows, 3 runs
    /tmp/venv/bin/python benchmarks/import_100k.py --quick    # 10,000 rows, 1 run (smoke)
    /tmp/venv/bin/python benchmarks/import_100k.py --rows 200000 --repeats 5
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass

import _harness as h

CPU_TARGET_S = 10.0
RSS_TARGET_MB = 300.0
ROWS_PER_SECOND = 500.0  # the fake's Products Manager rate of virtual time (rules.FLOW)
PENDING_S = 1.0

BRANDS = ["Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent", "Tyrell"]
NOUNS = ["stapler", "notebook", "fineliner", "desk lamp", "mug", "cable", "backpack", "folder", "marker", "ruler"]
ADJECTIVES = ["blue", "black", "recycled", "large", "compact", "premium", "classic", "matte", "A5", "A4"]


def check_digit(d12: str) -> int:
    return (10 - sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(d12)) % 10) % 10


def generate_csv(rows: int, invalid_every: int, seed: int) -> tuple[bytes, int]:
    """The file and how many of its rows are invalid. EANs are unique: prefix 20-29 + a distinct 10-digit body."""
    rnd = random.Random(seed)
    lines = ["ean,title,price,brand"]
    invalid = 0
    for i in range(rows):
        d12 = f"{20 + i % 10}{(i * 7919 + 12345) % 10**10:010d}"
        ean = d12 + str(check_digit(d12))
        title = f"{rnd.choice(ADJECTIVES)} {rnd.choice(NOUNS)} #{i}"
        price = f"{rnd.randint(0, 99999) / 100:.2f}"
        brand = rnd.choice(BRANDS)
        if invalid_every and i % invalid_every == invalid_every - 1:
            invalid += 1
            kind = (i // invalid_every) % 4
            if kind == 0:
                ean = d12 + str((check_digit(d12) + 1) % 10)  # wrong check digit
            elif kind == 1:
                ean = d12  # 12 digits: bad format
            elif kind == 2:
                title = ""  # missing title
            else:
                price = "-4.50"  # negative: invalid price
        lines.append(f"{ean},{title},{price},{brand}")
    return ("\n".join(lines) + "\n").encode(), invalid


@dataclass
class Run:
    upload_s: float
    wall_s: float
    cpu_s: float
    startup_cpu_s: float
    rss_before_mb: float
    peak_mb: float
    status: str
    total_rows: int
    error_rows: int
    listed_errors: int


def one_run(content: bytes, rows: int, timeout: float) -> Run:
    with h.start_fake(clock="manual") as server:
        h.wait_until(server, h.fake_ready(server.port), timeout=60)
        pid = server.pid
        cpu0 = h.cpu_seconds(pid)
        rss0 = h.status_kb(pid, "VmRSS") / 1024
        t0 = time.perf_counter()
        job = h.upload_csv(server.port, content, timeout=timeout)
        t_upload = time.perf_counter() - t0
        h.advance_clock(server.port, PENDING_S + rows / ROWS_PER_SECOND + 10)
        final = h.poll_until_terminal(server.port, job["id"], timeout=max(1.0, timeout - t_upload))
        wall = time.perf_counter() - t0
        cpu1 = h.cpu_seconds(pid)
        peak = h.status_kb(pid, "VmHWM") / 1024
        status, page = h.request_json(server.port, "GET", f"{h.PM}/imports/{job['id']}/errors?page=1&per_page=100",
                                      headers=h.AUTH)
        listed = page["meta"]["total"] if status == 200 else -1
        return Run(t_upload, wall, cpu1 - cpu0, cpu0, rss0, peak, final["status"], final["total_rows"],
                   final["error_rows"], listed)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="10,000 rows, 1 run: a smoke test of the script")
    ap.add_argument("--rows", type=int, default=None, help="data rows in the file (default 100,000)")
    ap.add_argument("--repeats", type=int, default=None, help="runs, each on a fresh server (default 3)")
    ap.add_argument("--invalid-every", type=int, default=1000, help="every N-th row is invalid (0: none)")
    ap.add_argument("--seed", type=int, default=20240315)
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds allowed per run, upload to terminal")
    args = ap.parse_args(argv)
    rows = args.rows or (10_000 if args.quick else 100_000)
    repeats = args.repeats or (1 if args.quick else 3)

    content, invalid = generate_csv(rows, args.invalid_every, args.seed)
    print(f"CSV: {rows:,} rows, {invalid} invalid, {len(content) / 1e6:.1f} MB; {repeats} run(s), fresh server each",
          flush=True)
    runs: list[Run] = []
    problems: list[str] = []
    for n in range(1, repeats + 1):
        run = one_run(content, rows, args.timeout)
        runs.append(run)
        print(f"  run {n}: {run.wall_s:.2f} s wall, {run.cpu_s:.2f} s CPU, {run.peak_mb:.0f} MB peak "
              f"-> {run.status}", flush=True)
        expected = (run.total_rows, run.error_rows, run.listed_errors)
        if expected != (rows, invalid, invalid) or run.status != ("completed_with_errors" if invalid else "completed"):
            problems.append(f"run {n}: status {run.status}, total_rows {run.total_rows} (expected {rows}), "
                            f"error_rows {run.error_rows} / listed {run.listed_errors} (expected {invalid})")

    print()
    print(h.table(
        ["run", "upload s", "upload→terminal s", "import CPU s", "RSS before MB", "peak RSS MB", "status"],
        [[str(i), r.upload_s, r.wall_s, r.cpu_s, r.rss_before_mb, r.peak_mb, r.status] for i, r in enumerate(runs, 1)],
    ))
    med_cpu = h.median([r.cpu_s for r in runs])
    med_peak = h.median([r.peak_mb for r in runs])
    print()
    print(h.table(["median", "value", "target", "verdict"], [
        ["upload→terminal wall s", h.median([r.wall_s for r in runs]), "", ""],
        ["upload (POST) s", h.median([r.upload_s for r in runs]), "", ""],
        ["import CPU s (server)", med_cpu, f"≤ {CPU_TARGET_S:g}", h.verdict(med_cpu, CPU_TARGET_S)],
        ["peak RSS MB (server, VmHWM)", med_peak, f"≤ {RSS_TARGET_MB:g}", h.verdict(med_peak, RSS_TARGET_MB)],
        ["server start-up CPU s", h.median([r.startup_cpu_s for r in runs]), "", ""],
        ["RSS before upload MB", h.median([r.rss_before_mb for r in runs]), "", ""],
    ]))
    if problems:
        print("\nWrong counts (the figures above are still printed):\n  " + "\n  ".join(problems))
    return 0


if __name__ == "__main__":
    sys.exit(main())
