"""Wizart imports on the fake: a 20,000-row CSV with a 2,000-image ZIP taken to a terminal status (server CPU,
peak memory), and the throughput and p99 latency of the 2.1 import-status endpoint.

  (a) import — fresh server (`python -m mock_server.cli serve --clock manual`, free loopback port). The CSV follows
      the `wall` template; row i names image i mod 2,000; the ZIP stores 2,000 distinct 4 KB images (incompressible,
      ~8 MB). Per run: read the server's CPU (utime+stime, /proc/<pid>/stat), upload (POST /wizart/api/v2.1/imports
      with a Bearer token from /oauth/token), advance the virtual clock past the checks and the queue (5 s + 1 ms:
      the fake waits for the worker's pass over the CSV and the archive, and imports no row yet), read the CPU
      ("analyse"), advance past the end (rows / 100 rows/s + margin), GET the import until terminal, read the CPU
      ("apply") and the peak RSS (VmHWM). The import must end `success` with rows_imported = --rows.
  (b) status — on the server of the last run, `wrk -t2 -c32` for --seconds on GET /wizart/api/v2.1/imports/{id}
      of that finished import (after a 1 s warm-up): requests/s, p50 and p99, server CPU per request.

    /tmp/venv/bin/python benchmarks/wizart_import.py            # 20,000 rows, 2,000 images, 3 runs, wrk 10 s
    /tmp/venv/bin/python benchmarks/wizart_import.py --quick    # 2,000 rows, 200 images, 1 run, wrk 3 s (smoke)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import sys
import time
import zipfile
from urllib.parse import urlencode

import _harness as h

CLIENT = {"grant_type": "client_credentials", "client_id": "wizart_test_client",
          "client_secret": "wizart_test_secret_0001"}
BASE = "/wizart/api/v2.1"
PRE_QUEUE_S = 5.0  # four checks of 1 s and the queue's 1 s minimum (mock_server/vendors/wizart/rules.FLOW)
ROWS_PER_SECOND = 100.0
TERMINAL = ("success", "warning", "failure")


def catalog(rows: int, images: int) -> tuple[bytes, bytes]:
    lines = ["sku,name,collection,width_cm,height_cm,pattern_repeat_cm,price,image"]
    lines += [f"BENCH-{i:06d},Wallpaper {i},Bench,53,1005,64,{10 + i % 90}.90,img-{i % images:05d}.jpg"
              for i in range(rows)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for n in range(images):
            archive.writestr(f"img-{n:05d}.jpg", os.urandom(4096))
    return ("\n".join(lines) + "\n").encode(), out.getvalue()


def token(port: int) -> str:
    body = urlencode(CLIENT).encode()
    status, raw = h.request(port, "POST", "/wizart/oauth/token", body,
                            {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 200:
        raise RuntimeError(f"token answered {status}: {raw[:300]!r}")
    return json.loads(raw)["access_token"]


def read(port: int, auth: dict, import_id: str) -> dict:
    status, data = h.request_json(port, "GET", f"{BASE}/imports/{import_id}", headers=auth, timeout=600)
    if status != 200:
        raise RuntimeError(f"GET import answered {status}: {data}")
    return data["data"]["attributes"]


def one_run(csv: bytes, archive: bytes, rows: int, keep: bool = False):
    server = h.start_fake(clock="manual")
    try:
        h.wait_until(server, h.fake_ready(server.port), timeout=60)
        auth = {"Authorization": f"Bearer {token(server.port)}"}
        body, ctype = h.multipart({"product_type": "wall"}, {"csv": ("catalog.csv", csv, "text/csv"),
                                                             "images": ("images.zip", archive, "application/zip")})
        cpu0, t0 = h.cpu_seconds(server.pid), time.perf_counter()
        status, raw = h.request(server.port, "POST", f"{BASE}/imports", body, {**auth, "Content-Type": ctype}, 600)
        if status != 202:
            raise RuntimeError(f"upload answered {status}: {raw[:500]!r}")
        import_id = json.loads(raw)["data"]["id"]
        h.advance_clock(server.port, PRE_QUEUE_S + 0.001)
        seen = read(server.port, auth, import_id)
        if seen["status"] != "importing_data" or seen["rows_imported"] != 0:
            raise RuntimeError(f"expected importing_data with no row yet, got {seen}")
        cpu1 = h.cpu_seconds(server.pid)
        h.advance_clock(server.port, rows / ROWS_PER_SECOND + 10)
        final = read(server.port, auth, import_id)
        while final["status"] not in TERMINAL:
            time.sleep(0.05)
            final = read(server.port, auth, import_id)
        cpu2, t2 = h.cpu_seconds(server.pid), time.perf_counter()
        if final["status"] != "success" or final["rows_imported"] != rows:
            raise RuntimeError(f"expected success with {rows} rows, got {final}")
        run = {"analyse_cpu": cpu1 - cpu0, "apply_cpu": cpu2 - cpu1, "cpu": cpu2 - cpu0, "wall": t2 - t0,
               "peak_mb": h.status_kb(server.pid, "VmHWM") / 1024, "import_id": import_id, "auth": auth}
        if keep:
            return run, server
        return run, None
    finally:
        if not keep:
            server.stop()


def status_throughput(server, auth: dict, import_id: str, seconds: float, connections: int) -> dict:
    url = f"http://{h.HOST}:{server.port}{BASE}/imports/{import_id}"
    h.run_wrk(url, seconds=1, threads=2, connections=connections, headers=auth)
    c0 = h.cpu_seconds(server.pid)
    out = h.parse_wrk(h.run_wrk(url, seconds=seconds, threads=2, connections=connections, headers=auth))
    out["cpu_us"] = (h.cpu_seconds(server.pid) - c0) / max(1, out["requests"]) * 1e6
    if out["non2xx"] or out["socket_errors"]:
        raise RuntimeError(f"wrk: {out['non2xx']} non-2xx answers, {out['socket_errors']} socket errors")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--images", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.quick:
        args.rows, args.images, args.runs, args.seconds = 2_000, 200, 1, 3
    csv, archive = catalog(args.rows, args.images)
    print(f"CSV {len(csv) / 1e6:.1f} MB, {args.rows:,} rows; ZIP {len(archive) / 1e6:.1f} MB, {args.images:,} images")
    runs, server = [], None
    try:
        for n in range(args.runs):
            run, server = one_run(csv, archive, args.rows, keep=n == args.runs - 1)
            runs.append(run)
            print(f"  run {n + 1}: {run['cpu']:.2f} s CPU ({run['analyse_cpu']:.2f} analyse + "
                  f"{run['apply_cpu']:.2f} apply), peak {run['peak_mb']:.0f} MB, wall {run['wall']:.2f} s", flush=True)
        print()
        print(h.table(["import (median of runs)", "CPU s", "analyse CPU s", "apply CPU s", "peak RSS MB", "wall s"],
                      [[f"{args.rows:,} rows + {args.images:,} images", h.median([r["cpu"] for r in runs]),
                        h.median([r["analyse_cpu"] for r in runs]), h.median([r["apply_cpu"] for r in runs]),
                        h.median([r["peak_mb"] for r in runs]), h.median([r["wall"] for r in runs])]]))
        if shutil.which("wrk") is None:
            print("\nwrk not found: the status endpoint is not measured")
            return 0
        last = runs[-1]
        out = status_throughput(server, last["auth"], last["import_id"], args.seconds, args.connections)
        print()
        print(h.table(["GET 2.1 import status", "req/s", "p50 ms", "p99 ms", "server CPU µs/req", "requests"],
                      [[f"wrk -t2 -c{args.connections}, {args.seconds:g} s", out["rps"], out["p50"], out["p99"],
                        out["cpu_us"], out["requests"]]]))
    finally:
        if server is not None:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
