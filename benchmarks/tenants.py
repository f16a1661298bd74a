"""Tenants (issue 18): a new tenant's first request, 1,000 idle tenants' memory, one tenant's latency beside 100
busy ones, throughput of 1 and 2 replicas behind nginx (needs /usr/sbin/nginx), and threads and a neighbour's
import latency beside 100 importing tenants, before and after the process-wide pools (`--only imports`: the
"before" server runs the tree of `--before` (default 3424120, extracted with `git archive`), alternating runs).

    .venv/bin/python benchmarks/tenants.py   # --quick: fewer requests and tenants; --only first|idle|busy|scale|imports
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import multiprocessing
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _harness import (  # noqa: E402
    HOST,
    REPO,
    Server,
    fake_argv,
    fake_env,
    free_port,
    median,
    percentile,
    start_fake,
    status_kb,
    table,
    wait_until,
)

from mock_server.scaleout import nginx_config  # noqa: E402

PRODUCT = "/jasper/api/v1/products/1"
AUTH = {"Authorization": "Bearer jasper-test-token"}


def ready(port: int):
    def probe() -> bool:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=1)
            conn.request("GET", "/__admin/health")
            return conn.getresponse().status == 200
        except OSError:
            return False
    return probe


def timed_gets(port: int, paths: list[str]) -> list[float]:
    """Each path once, in order, on one keep-alive connection: milliseconds per request."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    out = []
    for path in paths:
        started = time.perf_counter()
        conn.request("GET", path, headers=AUTH)
        response = conn.getresponse()
        response.read()
        assert response.status == 200, (path, response.status)
        out.append((time.perf_counter() - started) * 1000)
    conn.close()
    return out


def first_requests(n: int) -> list[list[object]]:
    with start_fake() as fake:
        wait_until(fake, ready(fake.port), 60)
        timed_gets(fake.port, [PRODUCT] * 50)  # warm
        new = timed_gets(fake.port, [f"/t/first-{i}{PRODUCT}" for i in range(n)])
        again = timed_gets(fake.port, [f"/t/first-{i}{PRODUCT}" for i in range(n)])
    return [["a new tenant's first request", n, median(new), percentile(new, 90), "≤ 10 ms p50"],
            ["the same tenants' next request", n, median(again), percentile(again, 90), ""]]


def idle_tenants(n: int) -> list[list[object]]:
    with start_fake() as fake:
        wait_until(fake, ready(fake.port), 60)
        timed_gets(fake.port, [PRODUCT] * 20)
        before = status_kb(fake.pid, "VmRSS") / 1024
        timed_gets(fake.port, [f"/t/idle-{i}{PRODUCT}" for i in range(n)])
        time.sleep(1)
        after = status_kb(fake.pid, "VmRSS") / 1024
    return [[n, round(before), round(after), round((after - before) * 1024 / n), "≤ 300 MB with 1,000"]]


# --- load ------------------------------------------------------------------------------------------------
async def _client(port: int, paths: list[str], until: float, rate: float | None, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    i = 0
    next_at = time.monotonic()
    while time.monotonic() < until:
        path = paths[i % len(paths)]
        i += 1
        writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer jasper-test-token\r\n\r\n".encode())
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionResetError):
            # the server closed the keep-alive connection (nginx: keepalive_requests, 1,000 by default): reconnect
            writer.close()
            reader, writer = await asyncio.open_connection(HOST, port)
            continue
        length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                          if line.lower().startswith(b"content-length")))
        await reader.readexactly(length)
        counts[0] += 1
        if rate:
            next_at += 1 / rate
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
    writer.close()


def load(port: int, paths: list[str], seconds: float, connections: int, rate: float | None = None) -> int:
    """Requests answered in `seconds` by `connections` keep-alive clients cycling over `paths` (each at `rate`
    requests/s when given, else as fast as answered)."""
    counts = [0]

    async def main() -> None:
        until = time.monotonic() + seconds
        await asyncio.gather(*(_client(port, paths[c::connections] or paths, until, rate, counts)
                               for c in range(connections)))
    asyncio.run(main())
    return counts[0]


def neighbours(requests: int, seconds: float, rate: float) -> list[list[object]]:
    rows = []
    with start_fake() as fake:
        wait_until(fake, ready(fake.port), 60)
        many = [f"/t/busy-{i}{PRODUCT}" for i in range(100)]
        one = ["/t/busy-solo" + PRODUCT]
        timed_gets(fake.port, many + one + ["/t/probe" + PRODUCT] * 50)
        for label, paths in (("alone", None), ("beside 100 busy tenants", many), ("same load on 1 tenant", one)):
            background = None
            if paths:
                background = multiprocessing.Process(target=load, args=(fake.port, paths, seconds, 10, rate / 10))
                background.start()
                time.sleep(0.5)
            probe = timed_gets(fake.port, ["/t/probe" + PRODUCT] * requests)
            if background:
                background.join()
            rows.append([label, requests, median(probe), percentile(probe, 99)])
    alone = rows[0][3]
    for row in rows:
        row.append(f"{row[3] / alone:.2f}×")
    return rows


def scale(seconds: float, connections: int) -> list[list[object]]:
    nginx = "/usr/sbin/nginx"
    rows = []
    paths = [f"/t/scale-{i}{PRODUCT}" for i in range(64)]
    for replicas in (1, 2):
        fakes = [start_fake() for _ in range(replicas)]
        try:
            for fake in fakes:
                wait_until(fake, ready(fake.port), 60)
            port = free_port()
            work = Path(tempfile.mkdtemp(prefix="pimkit-bench-nginx-"))
            conf = work / "nginx.conf"
            conf.write_text(nginx_config(f"{HOST}:{port}", [f"{HOST}:{f.port}" for f in fakes], workdir=str(work),
                                         foreground=True))
            with Server([nginx, "-p", str(work), "-c", str(conf), "-e", str(work / "error.log")], port=port,
                        name="nginx") as front:
                wait_until(front, ready(port), 30)
                load(port, paths, 2, connections)  # warm: every tenant created
                answered = load(port, paths, seconds, connections)
            rows.append([replicas, answered, round(answered / seconds)])
        finally:
            for fake in fakes:
                fake.stop()
    rows[1].append(f"{rows[1][2] / rows[0][2]:.2f}× (target ≥ 1.7×)")
    rows[0].append("")
    return rows


# --- many tenants importing: threads, and a neighbour's import ------------------------------------------------
PIXEE_JOBS = "/pixee/api/v1/imports/jobs"


def pixee_csv(rows: int) -> bytes:
    from mock_server.imports.rows import ean13_check_digit

    lines = ["ean,name,price"]
    for n in range(rows):
        first12 = f"21{n:010d}"
        lines.append(f"{first12}{ean13_check_digit(first12)},Item {n},{n % 100}.50")
    return ("\n".join(lines) + "\n").encode()


def pixee_upload(port: int, tenant: str, content: bytes) -> str:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"supplier_code\"\r\n\r\nSUPPLIER_A\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"catalog.csv\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    conn.request("POST", f"/t/{tenant}{PIXEE_JOBS}", body=body,
                 headers={"Authorization": "Bearer pixee_test_key_0001",
                          "Content-Type": f"multipart/form-data; boundary={boundary}"})
    response = conn.getresponse()
    answer = response.read()
    conn.close()
    assert response.status == 202, answer
    return answer.decode()


def advance(port: int, tenant: str, seconds: float) -> int:
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    conn.request("POST", f"/t/{tenant}/__admin/clock/advance", body=f'{{"seconds": {seconds}}}',
                 headers={"Content-Type": "application/json"})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response.status


def threads_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("Threads:"):
            return int(line.split()[1])
    raise KeyError("Threads")


def before_tree(commit: str) -> Path:
    """The repository at `commit`, extracted once into a temporary directory (its server runs from there)."""
    target = Path(tempfile.gettempdir()) / f"pimkit-bench-tree-{commit}"
    if not (target / "mock_server").exists():
        target.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", commit], check=True, capture_output=True)
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)
    return target


def start_tree(tree: Path) -> Server:
    port = free_port()
    env = fake_env(tree)
    env["PYTHONPATH"] = str(tree)  # its own mock_server first, ahead of this checkout's editable install
    return Server(fake_argv(port, "manual"), port=port, env=env, cwd=tree, name="fake")


def one_import_run(tree: Path, tenants: int, rows: int) -> dict:
    """`tenants` tenants each upload a Pixee file of `rows` rows, one after another. Meanwhile, every second, a new
    neighbour tenant uploads 100 rows and advances its clock, which waits for its file to be read: upload to
    advance answered is that neighbour's import latency. Threads: the server's peak while the files are read."""
    content, small = pixee_csv(rows), pixee_csv(100)
    with start_tree(tree) as fake:
        wait_until(fake, ready(fake.port), 60)
        idle_threads = threads_of(fake.pid)
        peak = [idle_threads]
        uploading = threading.Event()
        probes: list[float] = []

        def sample() -> None:
            while uploading.is_set():
                peak[0] = max(peak[0], threads_of(fake.pid))
                time.sleep(0.05)

        def probe() -> None:
            k = 0
            while uploading.is_set():
                time.sleep(1.0)
                t0 = time.perf_counter()
                pixee_upload(fake.port, f"neighbour-{k}", small)
                assert advance(fake.port, f"neighbour-{k}", 3600) == 200
                probes.append((time.perf_counter() - t0) * 1000)
                k += 1

        uploading.set()
        helpers = [threading.Thread(target=f, daemon=True) for f in (sample, probe)]
        for helper in helpers:
            helper.start()
        started = time.perf_counter()
        for n in range(tenants):
            pixee_upload(fake.port, f"busy-{n}", content)
        uploaded = time.perf_counter() - started
        uploading.clear()
        for helper in helpers:
            helper.join()
        for n in range(tenants):  # every busy tenant's file read: its advance waits for it
            advance(fake.port, f"busy-{n}", 0)
        everything = time.perf_counter() - started
    return {"idle": idle_threads, "peak": peak[0], "uploaded": uploaded, "probes": probes, "all": everything}


def importing(tenants: int, rows: int, runs: int, before: str) -> list[list[object]]:
    trees = [("before (" + before + ")", before_tree(before)), ("after (this tree)", REPO)]
    results: dict[str, list[dict]] = {label: [] for label, _ in trees}
    for run in range(runs):
        for label, tree in (trees if run % 2 == 0 else trees[::-1]):
            measured = one_import_run(tree, tenants, rows)
            results[label].append(measured)
            print(label, {k: (v if k != "probes" else [round(x) for x in v]) for k, v in measured.items()},
                  file=sys.stderr, flush=True)
    out = []
    for label, measured in results.items():
        probes = [x for m in measured for x in m["probes"]]
        out.append([label, tenants, rows, median([m["peak"] for m in measured]),
                    round(median([m["uploaded"] for m in measured]), 1), len(probes), median(probes),
                    percentile(probes, 90), max(probes), round(median([m["all"] for m in measured]), 1)])
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=("first", "idle", "busy", "scale", "imports"))
    parser.add_argument("--before", default="3424120", help="commit the 'before' import figures run (imports)")
    parser.add_argument("--runs", type=int, default=3, help="alternating runs of each side (imports)")
    parser.add_argument("--rate", type=float, default=200.0, help="background requests/s in the busy part")
    args = parser.parse_args()
    quick = args.quick
    if args.only in (None, "first"):
        print(table(["request", "n", "p50 ms", "p90 ms", "target"], first_requests(50 if quick else 300)))
    if args.only in (None, "idle"):
        print(table(["tenants", "RSS before MB", "RSS after MB", "KB per tenant", "target"],
                    idle_tenants(100 if quick else 1000)))
    if args.only in (None, "busy"):
        print(table(["probe tenant", "requests", "p50 ms", "p99 ms", "p99 vs alone"],
                    neighbours(200 if quick else 1000, 4 if quick else 12, args.rate)))
    if args.only in (None, "scale"):
        print(table(["replicas", "answered", "req/s", "ratio"], scale(3 if quick else 10, 32)))
    if args.only in (None, "imports"):
        print(table(["server", "importing tenants", "rows each", "threads peak", "their uploads s",
                     "neighbour imports", "neighbour p50 ms", "p90 ms", "max ms", "all read s"],
                    importing(20 if quick else 100, 2000 if quick else 20_000, 1 if quick else args.runs,
                              args.before)))


if __name__ == "__main__":
    main()
