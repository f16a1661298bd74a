"""What the request journal costs: throughput with the journal on against off, in the same run, and the memory
of a full journal at its default size.

Two fakes run at once, each one process on 127.0.0.1: `pim-mock serve --clock manual` (journal on, 10,000
entries, the default) and the same with `--journal-size 0` (off). Both serve one finished Products Manager
import. wrk alternates between them, on/off/on/off… for --rounds rounds, on two requests:
  * GET  /productsmanager/api/v1/imports/{id}          (no body)
  * POST /pims/api/en-us/pim/manage/products           (a 47-byte JSON body: listProduct)
    wrk -t2 -c32 -d10s --latency
Reported per request kind: req/s and the server's CPU µs per request, medians, and the ratios on/off
(req/s: 1.0 means free; CPU/request: lower is better).

Memory: (a) in-process, tracemalloc around filling a `Journal` of the default size with 10,000 entries as the
middleware records them (the headers of a wrk GET; and a worst case with every body at the 4 KiB cap);
(b) the RSS of both servers after every round: the journal-on server's, once full, stays flat however many
requests pass (a bounded ring), and the difference to the journal-off server is the journal's real cost.

Also, because wrk on 2 shared cores is noisy: (c) the journal and fault middlewares' own cost per request,
in-process around a bare ASGI app (µs per request, median of 5 × 20,000 requests, journal on and off); and
(d) the whole app in-process (the ASGI call without a socket, the GET and POST above), journal on and off
alternated in 7 rounds of 2,000 requests each after filling the ring: µs per request, medians, ratio on/off.

    /tmp/venv/bin/python benchmarks/journal.py            # 3 rounds of 10 s per request kind
    /tmp/venv/bin/python benchmarks/journal.py --quick    # 1 round of 3 s
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tracemalloc

import _harness as h

KINDS = ("GET import", "POST pims")


def fill_journal(body: bytes, headers: list, entries: int) -> float:
    """MB that a `Journal` holds once `entries` requests like this one are in it (tracemalloc)."""
    from mock_server.tooling.journal import DEFAULT_BODY_BYTES, DEFAULT_SIZE, Entry, Journal

    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    journal = Journal(DEFAULT_SIZE, DEFAULT_BODY_BYTES)
    for n in range(entries):
        # what the middleware keeps: fresh header bytes per request (as the server parses them), the capped
        # body, the operation once the request is over
        fresh = tuple((bytes(bytearray(k)), bytes(bytearray(v))) for k, v in headers)
        entry = Entry(journal.next_seq(), 1710493200.0 + n, 1.8e9 + n, "productsmanager", "GET",
                      f"/productsmanager/api/v1/imports/{n:08d}", f"/api/v1/imports/{n:08d}", b"",
                      fresh, {"connexion_routing": {"api_base_path": "/productsmanager",
                                                                          "operation_id": "getImport"}})
        entry.body = bytes(body[:DEFAULT_BODY_BYTES])
        entry.body_size = len(body)
        entry.status = 200
        journal.append(entry)
        entry.settle()
    used = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    assert len(journal) == min(entries, DEFAULT_SIZE)
    return used / 1e6


def middleware_cost() -> list[tuple[str, float]]:
    """µs per request of the tooling middlewares around a bare app, in-process (no network, no Connexion)."""
    import asyncio
    import time

    from mock_server.config import Config
    from mock_server.middleware.faults import FaultMiddleware
    from mock_server.middleware.journal import JournalMiddleware
    from mock_server.runtime import Runtime

    async def bare(scope, receive, send):
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        pass

    async def run(app, n: int) -> float:
        started = time.perf_counter()
        for _ in range(n):
            await app({"type": "http", "method": "GET", "path": "/productsmanager/api/v1/imports/abc",
                       "query_string": b"", "headers": [(b"host", b"127.0.0.1:8080"),
                                                        (b"authorization", b"Bearer pm_test_key_0001")]},
                      receive, send)
        return (time.perf_counter() - started) / n * 1e6

    figures = []
    for label, size in (("bare app", None), ("journal off + faults", 0), ("journal on + faults", 10_000)):
        app = bare
        runtime = None
        if size is not None:
            runtime = Runtime(Config(clock="manual", journal_size=size))
            app = JournalMiddleware(FaultMiddleware(bare, runtime), runtime)
        asyncio.run(run(app, 12_000))  # warm-up, and a full ring
        figures.append((label, h.median([asyncio.run(run(app, 20_000)) for _ in range(5)])))
        if runtime is not None:
            runtime.close()
    return figures


def _scope(method: str, path: str, headers: dict[str, str], body: bytes) -> dict:
    raw = [(k.lower().encode(), v.encode()) for k, v in {"Host": "127.0.0.1:8080", **headers}.items()]
    if body:
        raw += [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    return {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method, "scheme": "http",
            "server": (h.HOST, 8080), "client": (h.HOST, 50000), "root_path": "", "path": path,
            "raw_path": path.encode(), "query_string": b"", "headers": raw}


def whole_app_cost(rounds: int = 7, per_round: int = 2000) -> list[tuple[str, float, float, int]]:
    """(request, µs on, µs off, status) through the whole app in-process, journal on and off alternated."""
    import asyncio
    import gc
    import time

    from mock_server.app import create_app
    from mock_server.config import Config

    apps = {"on": create_app(Config(clock="manual", swagger_ui=False)),
            "off": create_app(Config(clock="manual", swagger_ui=False, journal_size=0))}
    pims_body = json.dumps({"action": "listProduct", "sku": "Part-number00"}).encode()
    kinds = {"GET import (404)": ("GET", f"{h.PM}/imports/abc", h.AUTH, b""),
             "POST pims listProduct": ("POST", h.PIMS_PRODUCTS, h.PIMS_AUTH, pims_body)}

    async def run(app, kind, n: int) -> tuple[float, int]:
        method, path, headers, body = kinds[kind]
        statuses = []

        async def send(message):
            if message["type"] == "http.response.start":
                statuses.append(message["status"])

        started = time.perf_counter()
        for _ in range(n):
            messages = [{"type": "http.request", "body": body, "more_body": False}]

            async def receive(messages=messages):
                return messages.pop() if messages else {"type": "http.disconnect"}

            await app(_scope(method, path, headers, body), receive, send)
        return (time.perf_counter() - started) / n * 1e6, statuses[-1]

    gc.collect()
    gc.freeze()  # as `pim-mock serve` does (mock_server/cli.py)
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 100)
    figures = []
    try:
        for kind in kinds:
            for app in apps.values():
                asyncio.run(run(app, kind, 10_500))  # warm-up; fills the ring
            times: dict[str, list[float]] = {"on": [], "off": []}
            for _ in range(rounds):
                for name, app in apps.items():
                    us, status = asyncio.run(run(app, kind, per_round))
                    times[name].append(us)
            figures.append((kind, h.median(times["on"]), h.median(times["off"]), status))
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        for app in apps.values():
            app.runtime.close()
    return figures


def prepare(port: int) -> str:
    job = h.upload_csv(port, b"ean,title,price\n2100000000012,Mug,9.90\n")
    h.advance_clock(port, 3600)
    status, _ = h.request(port, "GET", f"{h.PM}/imports/{job['id']}", headers=h.AUTH)
    assert status == 200
    return job["id"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="1 round of 3 s: a smoke test of the script")
    ap.add_argument("--rounds", type=int, default=None, help="on/off rounds per request kind (default 3)")
    ap.add_argument("--seconds", type=float, default=None, help="seconds per wrk run (default 10)")
    ap.add_argument("--connections", type=int, default=32)
    args = ap.parse_args(argv)
    os.environ.setdefault("PIMKIT_DATA_DIR", str(h.REPO))  # the in-process parts read the checkout's specs
    rounds = args.rounds or (1 if args.quick else 3)
    seconds = args.seconds or (3 if args.quick else 10)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found (Debian package `wrk`)")

    wrk_get_headers = [(b"host", b"127.0.0.1:8080"), (b"authorization", b"Bearer pm_test_key_0001")]
    memory = [("GET, wrk's headers, no body", fill_journal(b"", wrk_get_headers, 10_000)),
              ("GET, a browser's 9 headers, no body", fill_journal(b"", wrk_get_headers + [
                  (b"user-agent", b"Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101 Firefox/128.0"),
                  (b"accept", b"application/json, text/plain, */*"), (b"accept-language", b"en-GB,en;q=0.5"),
                  (b"accept-encoding", b"gzip, deflate, br"), (b"connection", b"keep-alive"),
                  (b"x-request-id", b"3f1e2a4b-8c7d-4e6f-9a0b-1c2d3e4f5a6b"), (b"cookie", b"session=abc123")],
                  10_000)),
              ("POST, every body at the 4 KiB cap", fill_journal(b"x" * 8192, wrk_get_headers, 10_000)),
              ("same, 30,000 requests through a 10,000 ring", fill_journal(b"x" * 8192, wrk_get_headers, 30_000))]
    print(h.table(["full journal (10,000 entries)", "MB"], [(k, f"{v:.1f}") for k, v in memory]), flush=True)
    print()
    print(h.table(["in-process, around a bare ASGI app", "µs/request"],
                  [(k, f"{v:.1f}") for k, v in middleware_cost()]), flush=True)
    print()
    whole = whole_app_cost(rounds=3 if args.quick else 7)
    print(h.table(["in-process, whole app", "status", "journal on µs", "journal off µs", "ratio on/off"],
                  [(k, status, f"{on:.0f}", f"{off:.0f}", f"{on / off:.3f}") for k, on, off, status in whole]),
          flush=True)
    print()

    on_port, off_port = h.free_port(), h.free_port()
    servers = {
        "on": h.Server(h.fake_argv(on_port), port=on_port, env=h.fake_env(), cwd=h.REPO, name="journal-on"),
        "off": h.Server(h.fake_argv(off_port) + ["--journal-size", "0"], port=off_port, env=h.fake_env(),
                        cwd=h.REPO, name="journal-off"),
    }
    ports = {"on": on_port, "off": off_port}
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    rss: dict[str, list[float]] = {"on": [], "off": []}
    try:
        for name, server in servers.items():
            h.wait_until(server, h.fake_ready(ports[name]), timeout=30)
        jobs = {name: prepare(port) for name, port in ports.items()}
        pims_body = json.dumps({"action": "listProduct", "sku": "Part-number00"}).encode()
        post = h.wrk_lua_post(pims_body, {**h.PIMS_AUTH, "Content-Type": "application/json"})
        print(f"wrk -t2 -c{args.connections} -d{seconds:g}s, {rounds} round(s) per kind, on/off alternated",
              flush=True)
        for kind in KINDS:
            for name in ("on", "off"):  # warm-up
                url, script, headers = target(kind, ports[name], jobs[name], post)
                h.run_wrk(url, seconds=2, threads=2, connections=args.connections, script=script, headers=headers)
            for _ in range(rounds):
                for name in ("on", "off"):
                    url, script, headers = target(kind, ports[name], jobs[name], post)
                    cpu = h.group_cpu_seconds(servers[name].pid)
                    out = h.parse_wrk(h.run_wrk(url, seconds=seconds, threads=2, connections=args.connections,
                                                script=script, headers=headers))
                    cpu = h.group_cpu_seconds(servers[name].pid) - cpu
                    if out["non2xx"] or out["socket_errors"]:
                        raise RuntimeError(f"{name} {kind}: {out}")
                    results.setdefault((kind, name), []).append((out["rps"], cpu / out["requests"] * 1e6))
                    rss[name].append(h.status_kb(servers[name].pid, "VmRSS") / 1024)
                    print(f"  {kind:<11} journal {name:<3} {out['rps']:8.0f} req/s "
                          f"{cpu / out['requests'] * 1e6:6.0f} µs CPU/req  RSS {rss[name][-1]:.0f} MB", flush=True)
        _, entries = h.request_json(on_port, "GET", "/__admin/requests?limit=0")
    finally:
        for server in servers.values():
            server.stop()

    rows = []
    for kind in KINDS:
        on_rps = h.median([r for r, _ in results[(kind, "on")]])
        off_rps = h.median([r for r, _ in results[(kind, "off")]])
        on_cpu = h.median([c for _, c in results[(kind, "on")]])
        off_cpu = h.median([c for _, c in results[(kind, "off")]])
        rows.append((kind, f"{on_rps:.0f}", f"{off_rps:.0f}", f"{on_rps / off_rps:.3f}", f"{on_cpu:.0f}",
                     f"{off_cpu:.0f}", f"{on_cpu / off_cpu:.3f}"))
    print()
    print(h.table(["request", "on req/s", "off req/s", "ratio on/off", "on µs CPU/req", "off µs CPU/req",
                   "CPU ratio"], rows))
    print()
    print(h.table(["server", "RSS after each run (MB)"],
                  [(name, ", ".join(f"{v:.0f}" for v in values)) for name, values in rss.items()]))
    print(f"\njournal entries kept by the journal-on server at the end: {entries['total']} (ring of 10,000)")
    return 0


def target(kind: str, port: int, job_id: str, post_script: str) -> tuple[str, str | None, dict | None]:
    if kind == "GET import":
        return f"http://{h.HOST}:{port}{h.PM}/imports/{job_id}", None, h.AUTH
    return f"http://{h.HOST}:{port}{h.PIMS_PRODUCTS}", post_script, None


if __name__ == "__main__":
    sys.exit(main())
