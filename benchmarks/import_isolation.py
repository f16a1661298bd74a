"""Imports never slow anyone else (issue 14 §1): request latency while big imports run, request cost with
thousands of unsettled jobs, and a year's clock advance past a per-minute automation.

Three measurements, each on a fresh fake (`python -m mock_server.cli serve`, free loopback port):

  (a) busy    — real clock. Upload a ~19.5 MB XLSX to Pixee and a ~19.5 MB CSV to Products Manager (random
      200-character names make the files big for few rows; the upload limit is 20 MiB), then, while both are
      being read, GET one read operation of every API in turn (PIMS has only a POST: its getList; Products
      Manager: another, small import — the big one's own GET waits for its file once its rows are due, as it
      should) --requests times each, one keep-alive connection; the same loop on an idle fake first. Reported:
      p50 and p99 per API, idle and busy. Target: p99 ≤ 50 ms while busy. --imports xlsx or csv runs one alone.
  (b) jobs    — manual clock. The median of `GET /pixee/api/v1/imports/jobs/{id}` (one job) and of a 404 on Pixee,
      with 0 and with --jobs unsettled Pixee jobs (dry runs, never confirmed) held. Target: the same cost.
  (c) year    — manual clock. A per-minute automation, then `POST /__admin/clock/advance {"seconds": 31536000}`,
      timed (the ten made-up runs' jobs are read before it answers). Target ≤ 100 ms of skipping.

    .venv/bin/python benchmarks/import_isolation.py             # 300 requests per API, 5,000 jobs
    .venv/bin/python benchmarks/import_isolation.py --quick     # 50 requests, 500 jobs (smoke)
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import os
import statistics
import threading
import time
from urllib.parse import urlencode

import _harness as h

SIZE = int(19.5 * 1024 * 1024)
NAME_CHARS = 200
JASPER = {"Authorization": "Bearer jasper-test-token"}
WIZART_CLIENT = {"grant_type": "client_credentials", "client_id": "wizart_test_client",
                 "client_secret": "wizart_test_secret_0001"}


def ean(n: int) -> str:
    first12 = f"20{n:010d}"
    odd, even = sum(int(d) for d in first12[0::2]), sum(int(d) for d in first12[1::2])
    return first12 + str((10 - (odd + 3 * even) % 10) % 10)


def big_csv(size: int) -> bytes:
    out, n, total = [b"ean,title,price\n"], 0, 0
    while total < size:
        line = f"{ean(n)},{os.urandom(NAME_CHARS // 2).hex()},{n % 97 + 0.5}\n".encode()
        out.append(line)
        total += len(line)
        n += 1
    return b"".join(out)


def big_xlsx(size: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["ean", "name", "price"])
    for n in range(size // (NAME_CHARS - 60)):  # random hex text compresses to about 60 %
        sheet.append([ean(n), os.urandom(NAME_CHARS // 2).hex(), n % 97 + 0.5])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(port: int, path: str, auth: dict, name: str, content: bytes, ctype: str) -> str:
    body, content_type = h.multipart({}, {"file": (name, content, ctype)})
    status, raw = h.request(port, "POST", path, body, {**auth, "Content-Type": content_type}, timeout=300)
    if status not in (201, 202):
        raise RuntimeError(f"upload to {path} answered {status}: {raw[:300]!r}")
    return json.loads(raw)["id"]


def wizart_token(port: int) -> dict:
    status, raw = h.request(port, "POST", "/wizart/oauth/token", urlencode(WIZART_CLIENT).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 200:
        raise RuntimeError(f"wizart token answered {status}")
    return {"Authorization": "Bearer " + json.loads(raw)["access_token"], "Accept": "application/vnd.api+json"}


def operations(port: int, pm_job: str) -> dict[str, tuple[str, str, bytes | None, dict]]:
    pims = json.dumps({"action": "getList", "params": {"cat_id": 0, "pagination": {"limit": 20, "page": 1}}}).encode()
    return {
        "jasper": ("GET", "/jasper/api/v1/products?limit=20", None, JASPER),
        "pims": ("POST", h.PIMS_PRODUCTS, pims, {**h.PIMS_AUTH, "Content-Type": "application/json"}),
        "wizart": ("GET", "/wizart/api/v2.1/products", None, wizart_token(port)),
        "pixee": ("GET", f"{h.PIXEE}/imports/automations", None, h.PIXEE_AUTH),
        "productsmanager": ("GET", f"{h.PM}/imports/{pm_job}", None, h.AUTH),
    }


def latencies(port: int, ops: dict, rounds: int, keep_going=lambda: True) -> dict[str, list[float]]:
    conn = http.client.HTTPConnection(h.HOST, port, timeout=120)
    seen: dict[str, list[float]] = {name: [] for name in ops}
    for _ in range(rounds):
        if not keep_going():
            break
        for name, (method, path, body, headers) in ops.items():
            start = time.perf_counter()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            seen[name].append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                raise RuntimeError(f"{name} answered {response.status}")
    conn.close()
    return seen


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


MODES = {"child": ("--read-in-child-mb", "1"), "thread": ("--read-in-child-mb", "-1")}


def busy(requests: int, kinds: tuple[str, ...] = ("xlsx", "csv"), modes: tuple[str, ...] = ("child", "thread"),
         runs: int = 1) -> None:
    """(a) for each mode (files parsed in a child process, or on the worker threads), `runs` times alternating;
    the medians over runs of each API's p50 and p99."""
    print(f"(a) GET latency, idle vs while a {SIZE / 2**20:.1f} MB XLSX (Pixee) and CSV (Products Manager) import")
    xlsx, csv = big_xlsx(SIZE), big_csv(SIZE)
    print(f"    files: xlsx {len(xlsx) / 2**20:.1f} MB, csv {len(csv) / 2**20:.1f} MB")
    results: dict[str, list] = {mode: [] for mode in modes}
    for run in range(runs):
        for mode in modes:
            print(f"    run {run + 1}, files read: {mode}")
            results[mode].append(_busy_once(requests, kinds, xlsx, csv, MODES[mode]))
    for mode, found in results.items():
        print(f"    files read: {mode}; medians over {runs} run(s)")
        print(f"    {'API':16} {'idle p50':>9} {'idle p99':>9} {'busy p50':>9} {'busy p99':>9}  (ms)")
        for name in found[0]:
            cells = [statistics.median(r[name][i] for r in found) for i in range(4)]
            print(f"    {name:16} " + " ".join(f"{c:9.1f}" for c in cells))


def _busy_once(requests: int, kinds, xlsx: bytes, csv: bytes, extra) -> dict[str, tuple[float, ...]]:
    with h.start_fake(clock="real", extra=extra) as server:
        h.wait_until(server, h.fake_ready(server.port), 60)
        small = upload(server.port, f"{h.PM}/imports", h.AUTH, "small.csv", big_csv(1000), "text/csv")
        ops = operations(server.port, small)
        idle = latencies(server.port, ops, requests)
        started = time.perf_counter()
        if "xlsx" in kinds:
            px = upload(server.port, f"{h.PIXEE}/imports/jobs", h.PIXEE_AUTH, "big.xlsx", xlsx,
                        "application/vnd.ms-excel")
        if "csv" in kinds:
            # the GET stays on the small job: the big one's own GET rightly waits for its file once rows are due
            pm = upload(server.port, f"{h.PM}/imports", h.AUTH, "big.csv", csv, "text/csv")
        done = threading.Event()

        def finished() -> None:  # the Pixee job leaves `analyzing` once its file is read (or the PM job ends)
            while not done.is_set() and "xlsx" not in kinds:
                status, job = h.request_json(server.port, "GET", f"{h.PM}/imports/{pm}", headers=h.AUTH, timeout=600)
                if status == 200 and job["total_rows"]:  # known once read (a 503 meanwhile, ENG-D05)
                    done.set()
                time.sleep(0.5)
            while not done.is_set():
                status, job = h.request_json(server.port, "GET", f"{h.PIXEE}/imports/jobs/{px}", headers=h.PIXEE_AUTH,
                                             timeout=600)  # once its rows are due, it waits for its own analysis
                if status == 200 and job["status"] != "analyzing" and job["total_rows"]:
                    done.set()
                time.sleep(0.5)

        watcher = threading.Thread(target=finished, daemon=True)
        watcher.start()
        loaded = latencies(server.port, ops, requests, keep_going=lambda: not done.is_set())
        done.set()
        watcher.join()
        print(f"    uploads + {min(len(v) for v in loaded.values())} rounds in {time.perf_counter() - started:.1f} s")
    return {name: (pct(idle[name], .5), pct(idle[name], .99), pct(loaded[name], .5), pct(loaded[name], .99))
            for name in ops}


def request_cost(jobs: int, requests: int) -> None:
    print(f"(b) Pixee request cost with 0 and {jobs:,} unsettled jobs (manual clock), median of {requests}")
    tiny = b"ean,name,price\n" + f"{ean(1)},Item,1.5\n".encode()
    with h.start_fake() as server:
        h.wait_until(server, h.fake_ready(server.port), 60)
        body, ctype = h.multipart({"dry_run": "true"}, {"file": ("a.csv", tiny, "text/csv")})
        headers = {**h.PIXEE_AUTH, "Content-Type": ctype}
        one = json.loads(h.request(server.port, "POST", f"{h.PIXEE}/imports/jobs", body, headers)[1])["id"]

        def timed() -> tuple[float, float]:
            conn = http.client.HTTPConnection(h.HOST, server.port, timeout=60)
            found, missing = [], []
            for n in range(requests):
                pairs = ((f"{h.PIXEE}/imports/jobs/{one}", found), (f"{h.PIXEE}/imports/jobs/nope{n}", missing))
                for path, into in pairs:
                    start = time.perf_counter()
                    conn.request("GET", path, headers=h.PIXEE_AUTH)
                    conn.getresponse().read()
                    into.append((time.perf_counter() - start) * 1000)
            conn.close()
            return statistics.median(found), statistics.median(missing)

        empty = timed()
        conn = http.client.HTTPConnection(h.HOST, server.port, timeout=60)
        for _ in range(jobs):
            conn.request("POST", f"{h.PIXEE}/imports/jobs", body=body, headers=headers)
            conn.getresponse().read()
        conn.close()
        full = timed()
    print(f"    GET job: {empty[0]:.2f} ms at 0, {full[0]:.2f} ms at {jobs:,} ({full[0] / empty[0]:.2f}×)")
    print(f"    404:     {empty[1]:.2f} ms at 0, {full[1]:.2f} ms at {jobs:,} ({full[1] / empty[1]:.2f}×)")


def year() -> None:
    print("(c) POST /__admin/clock/advance of a year past a per-minute automation")
    automation = {"name": "every minute", "schedule": "* * * * *",
                  "file_source": {"type": "sftp", "host": "sftp.supplier.com", "path": "/exports/products.csv"},
                  "mapping": {"EAN": "ean", "Titre": "name", "Prix HT": "price"}}
    with h.start_fake() as server:
        h.wait_until(server, h.fake_ready(server.port), 60)
        status, _ = h.request_json(server.port, "POST", f"{h.PIXEE}/imports/automations", automation, h.PIXEE_AUTH)
        assert status == 201, status
        h.request_json(server.port, "POST", "/__admin/clock/advance", {"seconds": 60})  # one run: warm
        start = time.perf_counter()
        status, _ = h.request_json(server.port, "POST", "/__admin/clock/advance", {"seconds": 31_536_000},
                                   timeout=600)
        took = (time.perf_counter() - start) * 1000
        assert status == 200, status
        start = time.perf_counter()
        h.request_json(server.port, "POST", "/__admin/clock/advance", {"seconds": 31_536_000 * 50}, timeout=600)
        fifty = (time.perf_counter() - start) * 1000
    print(f"    a year: {took:.0f} ms (ten runs made up, 525,590 counted as skipped); fifty years: {fifty:.0f} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--jobs", type=int, default=5000)
    ap.add_argument("--only", choices=("busy", "jobs", "year"))
    ap.add_argument("--quick", action="store_true", help="50 requests, 500 jobs")
    ap.add_argument("--imports", default="xlsx,csv", help="which big imports run during (a): xlsx, csv or both")
    ap.add_argument("--modes", default="child,thread",
                    help="(a) with files parsed in a child process (child, the default), on the threads, or both")
    ap.add_argument("--runs", type=int, default=1, help="(a) repeated, modes alternating; medians reported")
    args = ap.parse_args()
    if args.quick:
        args.requests, args.jobs = 50, 500
    if args.only in (None, "year"):
        year()
    if args.only in (None, "jobs"):
        request_cost(args.jobs, args.requests)
    if args.only in (None, "busy"):
        busy(args.requests, tuple(args.imports.split(",")), tuple(args.modes.split(",")), args.runs)


if __name__ == "__main__":
    main()
