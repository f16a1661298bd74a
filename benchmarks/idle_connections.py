"""Idle sockets against the fake (issue 14 §4): can a new client still get an answer while 1,000 connections
sit open sending nothing?

Two servers side by side, each limited to 1,024 open files (a common default soft limit): `plain`, the app
on uvicorn with its default options (as `pim-mock serve` ran before), and `guarded`, `pim-mock serve` with its
defaults (request-head deadline 10 s, at most 500 connections, the longest-idle closed to make room). For
each: open N idle sockets (default 1,100: more than the server's open files), then time M sequential
requests from new clients (`GET /__admin/health`, 5 s timeout), and count how many idle sockets the server
has closed by then and after the head deadline.

    .venv/bin/python benchmarks/idle_connections.py            # 1,100 idle sockets, 20 requests
    .venv/bin/python benchmarks/idle_connections.py --quick    # 200 idle sockets, 5 requests
"""

from __future__ import annotations

import argparse
import resource
import socket
import sys
import time

import _harness as h

FILES = 1024
PLAIN = ("import uvicorn, sys; from mock_server.app import create_app; from mock_server.config import Config; "
         "uvicorn.run(create_app(Config(clock='manual')), host='127.0.0.1', port=int(sys.argv[1]), "
         "log_level='critical', access_log=False)")


# Runs the rest of its argv as a Python process limited to FILES open files (soft and hard).
LIMITED = (f"import os, resource, sys; resource.setrlimit(resource.RLIMIT_NOFILE, ({FILES}, {FILES})); "
           "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])")


def start(kind: str) -> h.Server:
    port = h.free_port()
    argv = [sys.executable, "-c", PLAIN, str(port)] if kind == "plain" else h.fake_argv(port)
    return h.Server([sys.executable, "-c", LIMITED, *argv[1:]], port=port, env=h.fake_env(), cwd=h.REPO, name=kind)


def closed(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1) == b""
    except BlockingIOError:
        return False
    except OSError:
        return True


def measure(kind: str, idle_count: int, requests: int) -> dict:
    with start(kind) as server:
        h.wait_until(server, h.fake_ready(server.port), timeout=60)
        idle = []
        for _ in range(idle_count):
            try:
                idle.append(socket.create_connection((h.HOST, server.port), timeout=5))
            except OSError:
                break
        time.sleep(0.5)
        latencies, failures = [], 0
        for _ in range(requests):
            started = time.perf_counter()
            try:
                status = h.request(server.port, "GET", "/__admin/health", timeout=5)[0]
                ok = status == 200
            except OSError:
                ok = False
            if ok:
                latencies.append((time.perf_counter() - started) * 1000)
            else:
                failures += 1
        closed_now = sum(closed(s) for s in idle)
        time.sleep(11)
        closed_later = sum(closed(s) for s in idle)
        for sock in idle:
            sock.close()
    return {"server": kind, "idle opened": len(idle), "ok": len(latencies), "failed": failures,
            "median ms": h.median(latencies) if latencies else None,
            "idle closed at once": closed_now, "idle closed after 11 s": closed_later}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="200 idle sockets, 5 requests")
    ap.add_argument("--idle", type=int, default=None, help="idle sockets to open (default 1100: past the 1,024 files)")
    ap.add_argument("--requests", type=int, default=None, help="new-client requests to time (default 20)")
    args = ap.parse_args(argv)
    idle = args.idle or (200 if args.quick else 1100)
    requests = args.requests or (5 if args.quick else 20)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < idle * 2 + 100:  # this process holds the idle sockets of one server at a time
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, idle * 2 + 100), hard))
    rows = [measure(kind, idle, requests) for kind in ("plain", "guarded")]
    print(f"{idle} idle sockets, then {requests} requests from new clients; servers limited to {FILES} open files")
    print(h.table(list(rows[0]), [list(r.values()) for r in rows]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
