"""Pixee imports on the fake: 100,000-row XML and XLSX imports (server CPU, peak memory) and the latency of
a deep page of a job's error logs.

Three measurements, each on fresh servers (`python -m mock_server.cli serve --clock manual`, free loopback port):

  (a) XML  — `<products><product><ean/><name/><price/></product>…</products>` (flat), --rows rows;
  (b) XLSX — the same rows in one sheet (`ean,name,price`), written with openpyxl's write-only mode.
      Per run: read the server's CPU (utime+stime of all its threads, /proc/<pid>/stat), upload
      (POST /pixee/api/v1/imports/jobs, multipart `file`, `supplier_code`), advance the virtual clock by the
      2 s of analyzing (+1 ms: no row is processed yet; the fake answers once the worker has read and
      validated the whole file), read the CPU ("analyse"), advance past the end of the job (rows / 500
      rows/s + margin; the fake applies the rows the clock has passed while answering that call), GET the
      job until `completed`, read the CPU again ("apply") and the peak RSS (VmHWM, /proc/<pid>/status).
      Import CPU = analyse + apply, upload to `completed`. Every EAN is a valid, distinct EAN-13 (GS1
      prefixes 20–29), so the job must end `completed` with total_rows = successful_rows =
      products_created = --rows. Targets, those of the Products Manager CSV import: ≤ 10 s CPU, ≤ 300 MB
      peak RSS.
  (c) logs — a CSV (`ean,name,price`) of --rows rows whose EANs are all "ABC123": each row leaves exactly
      one error log line. Once the job is `completed`, `GET …/jobs/{id}/logs?level=error&skip=S&limit=200`
      is timed for S = 0, 50,000 and 90,000 (for fewer rows: 0, rows/2, rows*9/10), the three offsets
      interleaved in a rotating order on one keep-alive connection, --requests times each after a
      warm-up. Reported per offset: median, p90 and max latency, server CPU per request, and the ratio
      of the deep offsets' median to skip=0's. The latency must not grow with skip. Each answer is
      checked: 200 items, first row_number = skip + 2 (the header is row 1), meta.total = rows.

    /tmp/venv/bin/python benchmarks/pixee_imports.py            # 100,000 rows, 3 runs per format, 200 requests
    /tmp/venv/bin/python benchmarks/pixee_imports.py --quick    # 10,000 rows, 1 run, 30 requests (smoke)
    /tmp/venv/bin/python benchmarks/pixee_imports.py --only logs --requests 500
"""

from __future__ import annotations

import argparse
import http.client
import io
import json
import random
import sys
import time
from dataclasses import dataclass
from xml.sax.saxutils import escape

import _harness as h

CPU_TARGET_S = 10.0
RSS_TARGET_MB = 300.0
ANALYZING_S = 2.0  # the fake's Pixee timings (mock_server/vendors/pixee/rules.FLOW)
ROWS_PER_SECOND = 500.0
PAGE = 200  # the logs page size measured (the API's maximum)
LOG_PATH = "{base}/imports/jobs/{id}/logs?level=error&skip={skip}&limit={limit}"
TERMINAL = ("completed", "failed", "cancelled")
SUPPLIER = "BENCH-SUPPLIER"
BAD_EAN = "ABC123"

NOUNS = ["stapler", "notebook", "fineliner", "desk lamp", "mug", "cable", "backpack", "folder", "marker", "ruler"]
ADJECTIVES = ["blue", "black", "recycled", "large", "compact", "premium", "classic", "matte", "A5", "A4"]


# --- files ----------------------------------------------------------------------------------------
def check_digit(d12: str) -> int:
    return (10 - sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(d12)) % 10) % 10


def products(rows: int, seed: int) -> list[tuple[str, str, float]]:
    """(ean, name, price) per row: valid EAN-13s, distinct (prefix 20-29 + a distinct 10-digit body)."""
    rnd = random.Random(seed)
    out = []
    for i in range(rows):
        d12 = f"{20 + i % 10}{(i * 7919 + 12345) % 10**10:010d}"
        out.append((d12 + str(check_digit(d12)), f"{rnd.choice(ADJECTIVES)} {rnd.choice(NOUNS)} & co #{i}",
                    rnd.randint(1, 99999) / 100))
    return out


def xml_file(items: list[tuple[str, str, float]]) -> bytes:
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<products>\n']
    parts += [f"<product><ean>{ean}</ean><name>{escape(name)}</name><price>{price:.2f}</price></product>\n"
              for ean, name, price in items]
    parts.append("</products>\n")
    return "".join(parts).encode()


def xlsx_file(items: list[tuple[str, str, float]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("products")
    sheet.append(["ean", "name", "price"])
    for ean, name, price in items:
        sheet.append([ean, name, price])  # EAN as text, as a catalogue keeps it; price as a number
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def bad_ean_csv(rows: int) -> bytes:
    lines = ["ean,name,price"] + [f"{BAD_EAN},item {i},{(i % 9999) / 100 + 1:.2f}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


# --- driving Pixee --------------------------------------------------------------------------------
def upload(port: int, filename: str, content: bytes, ctype: str, timeout: float) -> dict:
    body, form_type = h.multipart({"supplier_code": SUPPLIER}, {"file": (filename, content, ctype)})
    status, raw = h.request(port, "POST", f"{h.PIXEE}/imports/jobs", body,
                            {**h.PIXEE_AUTH, "Content-Type": form_type}, timeout)
    if status != 202:
        raise RuntimeError(f"upload answered {status}: {raw[:500]!r}")
    return json.loads(raw)


def advance(port: int, seconds: float, timeout: float) -> None:
    # The fake brings Pixee up to the clock while answering: this call may apply every row.
    status, data = h.request_json(port, "POST", "/__admin/clock/advance", {"seconds": seconds}, timeout=timeout)
    if status != 200:
        raise RuntimeError(f"clock advance answered {status}: {data}")


def poll_job(port: int, job_id: str, timeout: float, max_polls: int = 2000, interval: float = 0.05) -> dict:
    """GET the job until a terminal status; bounded by `timeout` seconds and `max_polls` requests."""
    deadline = time.perf_counter() + timeout
    for _ in range(max_polls):
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            break
        status, data = h.request_json(port, "GET", f"{h.PIXEE}/imports/jobs/{job_id}", headers=h.PIXEE_AUTH,
                                      timeout=remaining)
        if status != 200:
            raise RuntimeError(f"GET job answered {status}: {data}")
        if data["status"] in TERMINAL:
            return data
        time.sleep(interval)
    raise RuntimeError(f"job {job_id} not terminal after {timeout} s / {max_polls} polls")


@dataclass
class Span:
    """One job from upload to terminal, in two phases: upload + analysis (the clock advanced just past the
    2 s of analyzing, which makes the fake wait for the worker's analysis and apply no row yet), then
    application (the clock advanced past the end, the job polled to terminal)."""

    final: dict
    post_s: float
    analyse_s: float  # wall: POST + the first advance
    apply_s: float  # wall: the second advance + polls
    analyse_cpu_s: float
    apply_cpu_s: float

    @property
    def wall_s(self) -> float:
        return self.analyse_s + self.apply_s

    @property
    def cpu_s(self) -> float:
        return self.analyse_cpu_s + self.apply_cpu_s


def import_to_end(port: int, pid: int, filename: str, content: bytes, ctype: str, rows: int, timeout: float) -> Span:
    """Upload, advance the clock past analysis, then past the job's end, poll to terminal."""
    cpu0 = h.cpu_seconds(pid)
    t0 = time.perf_counter()
    job = upload(port, filename, content, ctype, timeout)
    t_post = time.perf_counter() - t0
    advance(port, ANALYZING_S + 0.001, timeout=max(1.0, timeout - t_post))  # 0.001 s of processing: 0 rows
    t1 = time.perf_counter()
    cpu1 = h.cpu_seconds(pid)
    advance(port, rows / ROWS_PER_SECOND + 10, timeout=max(1.0, timeout - (t1 - t0)))
    final = poll_job(port, job["id"], timeout=max(1.0, timeout - (time.perf_counter() - t0)))
    t2 = time.perf_counter()
    return Span(final, t_post, t1 - t0, t2 - t1, cpu1 - cpu0, h.cpu_seconds(pid) - cpu1)


# --- (a), (b): imports ----------------------------------------------------------------------------
@dataclass
class ImportRun:
    fmt: str
    span: Span
    rss_before_mb: float
    peak_mb: float

    @property
    def final(self) -> dict:
        return self.span.final

    @property
    def cpu_s(self) -> float:
        return self.span.cpu_s

    @property
    def wall_s(self) -> float:
        return self.span.wall_s


def import_run(fmt: str, content: bytes, rows: int, timeout: float) -> ImportRun:
    ctype = {"xml": "application/xml",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[fmt]
    with h.start_fake(clock="manual") as server:
        h.wait_until(server, h.fake_ready(server.port), timeout=60)
        rss0 = h.status_kb(server.pid, "VmRSS") / 1024
        span = import_to_end(server.port, server.pid, f"catalog.{fmt}", content, ctype, rows, timeout)
        peak = h.status_kb(server.pid, "VmHWM") / 1024
        return ImportRun(fmt, span, rss0, peak)


def import_problems(run: ImportRun, rows: int) -> list[str]:
    f = run.final
    expected = {"status": "completed", "file_type": run.fmt, "total_rows": rows, "successful_rows": rows,
                "failed_rows": 0, "products_created": rows, "products_updated": 0, "supplier_code": SUPPLIER}
    return [f"{run.fmt}: {k} = {f.get(k)!r}, expected {v!r}" for k, v in expected.items() if f.get(k) != v]


def measure_imports(fmt: str, content: bytes, rows: int, repeats: int, timeout: float) -> list[ImportRun]:
    runs = []
    for n in range(1, repeats + 1):
        run = import_run(fmt, content, rows, timeout)
        runs.append(run)
        print(f"  {fmt} run {n}: {run.wall_s:.2f} s wall, {run.cpu_s:.2f} s CPU, {run.peak_mb:.0f} MB peak "
              f"-> {run.final['status']}", flush=True)
    return runs


# --- (c): logs latency ----------------------------------------------------------------------------
@dataclass
class LogsResult:
    rows: int
    import_cpu_s: float
    import_wall_s: float
    peak_mb: float
    latencies: dict[int, list[float]]
    cpu_per_request: dict[int, float]
    problems: list[str]


def _check_page(skip: int, rows: int, data: dict) -> str | None:
    items, meta = data.get("items", []), data.get("meta", {})
    want = min(PAGE, max(0, rows - skip))
    if len(items) != want or meta.get("total") != rows:
        return f"skip={skip}: {len(items)} items, total {meta.get('total')} (expected {want}, {rows})"
    if items and (items[0]["row_number"] != skip + 2 or items[0]["level"] != "error" or items[0]["value"] != BAD_EAN):
        return f"skip={skip}: first item {items[0]} (expected row_number {skip + 2}, an error on {BAD_EAN})"
    return None


def measure_logs(rows: int, skips: list[int], requests: int, warmup: int, timeout: float) -> LogsResult:
    content = bad_ean_csv(rows)
    problems: list[str] = []
    with h.start_fake(clock="manual") as server:
        h.wait_until(server, h.fake_ready(server.port), timeout=60)
        pid = server.pid
        span = import_to_end(server.port, pid, "bad_eans.csv", content, "text/csv", rows, timeout)
        final, wall, import_cpu = span.final, span.wall_s, span.cpu_s
        peak = h.status_kb(pid, "VmHWM") / 1024
        if (final["status"], final["total_rows"], final["failed_rows"]) != ("completed", rows, rows):
            problems.append(f"logs job: status {final['status']}, total_rows {final['total_rows']}, "
                            f"failed_rows {final['failed_rows']} (expected completed, {rows}, {rows})")
        print(f"  logs job: {rows:,} error rows, {wall:.2f} s wall, {import_cpu:.2f} s CPU -> {final['status']}",
              flush=True)

        paths = {s: LOG_PATH.format(base=h.PIXEE, id=final["id"], skip=s, limit=PAGE) for s in skips}
        latencies: dict[int, list[float]] = {s: [] for s in skips}
        cpu: dict[int, float] = dict.fromkeys(skips, 0.0)
        conn = http.client.HTTPConnection(h.HOST, server.port, timeout=timeout)
        try:
            def get(skip: int) -> tuple[float, float]:
                c0 = h.cpu_seconds(pid)
                t0 = time.perf_counter()
                conn.request("GET", paths[skip], headers=h.PIXEE_AUTH)
                resp = conn.getresponse()
                raw = resp.read()
                elapsed = time.perf_counter() - t0
                spent = h.cpu_seconds(pid) - c0
                if resp.status != 200:
                    raise RuntimeError(f"GET logs skip={skip} answered {resp.status}: {raw[:300]!r}")
                if len(problems) < 10:
                    problem = _check_page(skip, rows, json.loads(raw))
                    if problem:
                        problems.append(problem)
                return elapsed, spent

            for i in range(warmup):
                get(skips[i % len(skips)])
            for i in range(requests):
                # rotate the order, so no offset always follows the same one
                for k in range(len(skips)):
                    skip = skips[(i + k) % len(skips)]
                    elapsed, spent = get(skip)
                    latencies[skip].append(elapsed)
                    cpu[skip] += spent
        finally:
            conn.close()
    return LogsResult(rows, import_cpu, wall, peak, latencies, {s: cpu[s] / requests for s in skips}, problems)


# --- report ---------------------------------------------------------------------------------------
def report_imports(runs_by_fmt: dict[str, list[ImportRun]]) -> None:
    print()
    print(h.table(
        ["run", "POST s", "upload→completed s", "import CPU s", "analyse CPU s", "apply CPU s", "RSS before MB",
         "peak RSS MB", "status"],
        [[f"{r.fmt} {i}", r.span.post_s, r.wall_s, r.cpu_s, r.span.analyse_cpu_s, r.span.apply_cpu_s, r.rss_before_mb,
          r.peak_mb, r.final["status"]]
         for runs in runs_by_fmt.values() for i, r in enumerate(runs, 1)],
    ))
    rows = []
    for fmt, runs in runs_by_fmt.items():
        cpu = h.median([r.cpu_s for r in runs])
        peak = h.median([r.peak_mb for r in runs])
        rows += [
            [f"{fmt}: import CPU s (server)", cpu, f"≤ {CPU_TARGET_S:g}", h.verdict(cpu, CPU_TARGET_S)],
            [f"{fmt}: peak RSS MB (VmHWM)", peak, f"≤ {RSS_TARGET_MB:g}", h.verdict(peak, RSS_TARGET_MB)],
            [f"{fmt}: upload→completed wall s", h.median([r.wall_s for r in runs]), "", ""],
            [f"{fmt}: CPU analyse / apply s", f"{h.median([r.span.analyse_cpu_s for r in runs]):.2f} / "
                                              f"{h.median([r.span.apply_cpu_s for r in runs]):.2f}", "", ""],
        ]
    print()
    print(h.table(["median", "value", "target", "verdict"], rows))


def report_logs(result: LogsResult, skips: list[int]) -> None:
    base = h.median(result.latencies[skips[0]])
    print()
    print(f"GET logs?level=error&skip=S&limit={PAGE} on a job with {result.rows:,} error lines, "
          f"{len(result.latencies[skips[0]])} requests per offset (interleaved, keep-alive):")
    print(h.table(
        ["skip", "median ms", "p90 ms", "max ms", "server CPU ms/req", "median / skip=0"],
        [[f"{s:,}", h.median(lat) * 1000, h.percentile(lat, 90) * 1000, max(lat) * 1000,
          result.cpu_per_request[s] * 1000, h.median(lat) / base]
         for s, lat in result.latencies.items()],
    ))
    deepest = h.median(result.latencies[skips[-1]]) / base
    print()
    print(h.table(["logs", "value", "target", "verdict"], [
        [f"median skip={skips[-1]:,} / skip=0", deepest, "≤ 1.25 (flat)", h.verdict(deepest, 1.25)],
        ["logs job import CPU s / peak RSS MB", f"{result.import_cpu_s:.2f} / {result.peak_mb:.0f}", "", ""],
    ]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="10,000 rows, 1 run, 30 requests: a smoke test")
    ap.add_argument("--rows", type=int, default=None, help="data rows per file (default 100,000)")
    ap.add_argument("--repeats", type=int, default=None, help="import runs per format, fresh server each (default 3)")
    ap.add_argument("--requests", type=int, default=None, help="timed logs requests per offset (default 200)")
    ap.add_argument("--warmup", type=int, default=15, help="untimed logs requests first")
    ap.add_argument("--only", choices=("xml", "xlsx", "logs"), action="append",
                    help="run only this part (repeatable); default all three")
    ap.add_argument("--seed", type=int, default=20240315)
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds allowed per import, upload to completed")
    args = ap.parse_args(argv)
    rows = args.rows or (10_000 if args.quick else 100_000)
    repeats = args.repeats or (1 if args.quick else 3)
    requests = args.requests or (30 if args.quick else 200)
    parts = args.only or ["xml", "xlsx", "logs"]
    skips = [0, 50_000, 90_000] if rows == 100_000 else [0, rows // 2, rows * 9 // 10]

    problems: list[str] = []
    runs_by_fmt: dict[str, list[ImportRun]] = {}
    items = products(rows, args.seed) if {"xml", "xlsx"} & set(parts) else []
    for fmt, make in (("xml", xml_file), ("xlsx", xlsx_file)):
        if fmt not in parts:
            continue
        t0 = time.perf_counter()
        content = make(items)
        print(f"{fmt.upper()}: {rows:,} rows, {len(content) / 1e6:.1f} MB (generated in "
              f"{time.perf_counter() - t0:.1f} s); {repeats} run(s), fresh server each", flush=True)
        runs_by_fmt[fmt] = measure_imports(fmt, content, rows, repeats, args.timeout)
        problems += [p for r in runs_by_fmt[fmt] for p in import_problems(r, rows)]
    if runs_by_fmt:
        report_imports(runs_by_fmt)

    if "logs" in parts:
        print(f"\nLogs: CSV of {rows:,} rows, every EAN {BAD_EAN!r}; skips {skips}, {requests} requests each",
              flush=True)
        result = measure_logs(rows, skips, requests, args.warmup, args.timeout)
        problems += result.problems
        report_logs(result, skips)

    if problems:
        print("\nWrong answers (the figures above are still printed):\n  " + "\n  ".join(problems[:20]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
