"""Tenants (issue 18): a new tenant's first request, 1,000 idle tenants' memory, one tenant's latency beside 100
busy ones, and throughput of 1 and 2 replicas behind nginx (needs /usr/sbin/nginx).

    .venv/bin/python benchmarks/tenants.py   # --quick: fewer requests and tenants; --only first|idle|busy|scale
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _harness import HOST, Server, free_port, median, percentile, start_fake, status_kb, table, wait_until  # noqa: E402

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=("first", "idle", "busy", "scale"))
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


if __name__ == "__main__":
    main()
