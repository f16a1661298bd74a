"""Throughput and tail latency of the fake against Stoplight Prism, same spec, same GET, side by side.

Both servers run at once, each one process on 127.0.0.1, and wrk runs against them in turn:
  * the fake: `python -m mock_server.cli serve --clock manual`, one import created from a 10-row CSV
    and stepped to `completed_with_errors`, so GET /productsmanager/api/v1/imports/{id} answers 200 with
    the job's state (request validation and auth on, as served);
  * Prism: `prism mock -h 127.0.0.1 -p PORT -v silent SPEC` on a copy of openapi/productsmanager.yaml
    whose `servers` are removed and whose paths carry the `/productsmanager` prefix (Prism ignores a
    relative servers prefix, docs/STACK-NOTES.md), so both answer the very same URL path; Prism returns the
    operation's static example (static mode, no state).
Each server is warmed up, then wrk runs alternate fake/prism/fake/prism... for --rounds rounds:
    wrk -t2 -c32 -d10s --latency -H 'Authorization: Bearer pm_test_key_0001' URL
Reported: req/s, p50/p99 latency and the server's CPU µs per request (all its threads and processes, from
/proc) per run, medians per server, and the ratios fake/prism of the medians (req/s: higher is better for
the fake; p99 and CPU/request: lower is better). wrk shares the machine's 2 cores with both
servers (the idle one sleeps), so absolute figures are low; the ratio is what to compare.

    /tmp/venv/bin/python benchmarks/throughput_vs_prism.py            # 3 rounds of 10 s
    /tmp/venv/bin/python benchmarks/throughput_vs_prism.py --quick    # 1 round of 3 s
    /tmp/venv/bin/python benchmarks/throughput_vs_prism.py --rounds 5 --connections 64 --prism /path/to/prism
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import _harness as h
import yaml

SPEC = h.REPO / "openapi" / "productsmanager.yaml"
PREFIX = "/productsmanager"
SAMPLE_CSV = (
    b"ean,title,price,brand\n"
    b"2000000000008,Blue stapler,4.90,Acme\n"
    b"2000000000015,Black fineliner,1.20,Globex\n"
    b"2000000000022,A5 notebook,3.50,Initech\n"
    b"2000000000039,Desk lamp,24.00,Umbrella\n"
    b"2000000000046,Mug,6.00,Stark\n"
    b"2000000000053,Cable,2.10,Wayne\n"
    b"2000000000060,Backpack,39.90,Hooli\n"
    b"2000000000077,Folder,0.80,Vandelay\n"
    b"2000000000084,Marker,1.10,Soylent\n"
    b"2000000000090,Ruler,0.50,Tyrell\n"  # wrong check digit: one error row
)


@dataclass
class WrkResult:
    server: str
    round: int
    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    cpu_us: float  # server CPU (all its threads / processes) per request, µs


# --- Prism's spec ---------------------------------------------------------------------------------
def prism_spec(directory: Path) -> Path:
    """The spec with no `servers` and every path under the fake's prefix: Prism then serves the same URLs."""
    spec = yaml.load(SPEC.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    spec.pop("servers", None)
    spec["paths"] = {PREFIX + path: item for path, item in spec["paths"].items()}
    out = directory / "productsmanager-prism.yaml"

    class NoAliases(yaml.SafeDumper):  # shared objects would come out as YAML anchors (docs/STACK-NOTES.md)
        def ignore_aliases(self, data):
            return True

    out.write_text(yaml.dump(spec, Dumper=NoAliases, sort_keys=False, allow_unicode=True))
    return out


# --- wrk ------------------------------------------------------------------------------------------
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _latency_ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not m:
        raise ValueError(f"unparsed latency {text!r}")
    return float(m.group(1)) * _UNITS_MS[m.group(2)]


def parse_wrk(output: str) -> tuple[float, float, float, int, int, int]:
    """(req/s, p50 ms, p99 ms, requests, non-2xx/3xx, socket errors) from `wrk --latency` output."""
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    pct = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, flags=re.MULTILINE))
    requests = int(re.search(r"(\d+) requests in", output).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return (rps, _latency_ms(pct["50"]), _latency_ms(pct["99"]), requests, int(non2xx.group(1)) if non2xx else 0,
            sum(int(g) for g in sock.groups()) if sock else 0)


def wrk(url: str, *, seconds: float, threads: int, connections: int) -> str:
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency",
           "-H", f"Authorization: Bearer {h.TOKEN}", url]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    return done.stdout


# --- the servers ----------------------------------------------------------------------------------
def prepare_fake(port: int) -> str:
    """One import, stepped to its terminal status; the path of its GET."""
    job = h.upload_csv(port, SAMPLE_CSV, filename="sample.csv")
    h.advance_clock(port, 60)
    final = h.poll_until_terminal(port, job["id"], timeout=30)
    if final["status"] != "completed_with_errors":
        raise RuntimeError(f"sample import ended {final['status']}: {final}")
    return f"{h.PM}/imports/{job['id']}"


def check_get(name: str, port: int, path: str) -> int:
    status, body = h.request(port, "GET", path, headers=h.AUTH)
    if status != 200:
        raise RuntimeError(f"{name}: GET {path} answered {status}: {body[:300]!r}")
    return len(body)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="1 round of 3 s, 1 s warm-up: a smoke test")
    ap.add_argument("--rounds", type=int, default=None, help="rounds of fake+prism runs (default 3)")
    ap.add_argument("--seconds", type=float, default=None, help="seconds per wrk run (default 10)")
    ap.add_argument("--warmup", type=float, default=None, help="seconds of wrk warm-up per server (default 3)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--prism", default=None, help=f"Prism executable (default: $PRISM_BIN, prism, {h.PRISM_DEFAULT})")
    args = ap.parse_args(argv)
    rounds = args.rounds or (1 if args.quick else 3)
    seconds = args.seconds or (3.0 if args.quick else 10.0)
    warmup = args.warmup if args.warmup is not None else (1.0 if args.quick else 3.0)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found (Debian package `wrk`)")
    prism = h.prism_bin(args.prism)

    with tempfile.TemporaryDirectory(prefix="pimkit-bench-") as tmp:
        spec = prism_spec(Path(tmp))
        prism_port = h.free_port()
        with h.start_fake(clock="manual") as fake, \
                h.Server([prism, "mock", "-h", h.HOST, "-p", str(prism_port), "-v", "silent", str(spec)],
                         port=prism_port, name="prism") as prism_server:
            h.wait_until(fake, h.fake_ready(fake.port), timeout=60)
            path = prepare_fake(fake.port)
            h.wait_until(prism_server, lambda: h.request(prism_port, "GET", path, headers=h.AUTH, timeout=2)[0] == 200,
                         timeout=90, interval=0.2)
            targets = {"fake": fake.port, "prism": prism_port}
            servers = {"fake": fake, "prism": prism_server}
            sizes = {name: check_get(name, port, path) for name, port in targets.items()}
            print(f"GET {path}: fake body {sizes['fake']} B, prism body {sizes['prism']} B; "
                  f"wrk -t{args.threads} -c{args.connections} -d{seconds:g}s, {rounds} round(s)", flush=True)
            for port in targets.values():
                wrk(f"http://{h.HOST}:{port}{path}", seconds=warmup, threads=args.threads,
                    connections=args.connections)
            results: list[WrkResult] = []
            for rnd in range(1, rounds + 1):
                for name, port in targets.items():
                    pgid = servers[name].pid
                    cpu0 = h.group_cpu_seconds(pgid)
                    out = wrk(f"http://{h.HOST}:{port}{path}", seconds=seconds, threads=args.threads,
                              connections=args.connections)
                    cpu = h.group_cpu_seconds(pgid) - cpu0
                    parsed = parse_wrk(out)
                    res = WrkResult(name, rnd, *parsed, cpu_us=cpu / max(1, parsed[3]) * 1e6)
                    results.append(res)
                    print(f"  round {rnd} {name:<5} {res.rps:8.0f} req/s  p50 {res.p50_ms:6.2f} ms  "
                          f"p99 {res.p99_ms:6.2f} ms  {res.cpu_us:5.0f} µs CPU/req", flush=True)

    print()
    print(h.table(["run", "server", "req/s", "p50 ms", "p99 ms", "server CPU µs/req", "requests", "non-2xx",
                   "socket errors"],
                  [[f"round {r.round}", r.server, r.rps, r.p50_ms, r.p99_ms, r.cpu_us, r.requests, r.non_2xx,
                    r.socket_errors] for r in results]))
    med = {name: {k: h.median([getattr(r, k) for r in results if r.server == name])
                  for k in ("rps", "p50_ms", "p99_ms", "cpu_us")} for name in targets}
    rps_ratio = med["fake"]["rps"] / med["prism"]["rps"]
    p99_ratio = med["fake"]["p99_ms"] / med["prism"]["p99_ms"]
    print()
    print(h.table(["median", "req/s", "p50 ms", "p99 ms", "server CPU µs/req"],
                  [[name, m["rps"], m["p50_ms"], m["p99_ms"], m["cpu_us"]] for name, m in med.items()]
                  + [["ratio fake/prism", rps_ratio, med["fake"]["p50_ms"] / med["prism"]["p50_ms"], p99_ratio,
                      med["fake"]["cpu_us"] / med["prism"]["cpu_us"]]]))
    rps_verdict = h.verdict(rps_ratio, 1.0, lower_is_better=False)
    print(f"\nthroughput fake/prism {rps_ratio:.2f} (target ≥ 1.0: {rps_verdict}); "
          f"p99 fake/prism {p99_ratio:.2f} (target ≤ 1.0: {h.verdict(p99_ratio, 1.0)})")
    bad = [r for r in results if r.non_2xx or r.socket_errors]
    if bad:
        print("warning: runs with non-2xx answers or socket errors: "
              + ", ".join(f"round {r.round} {r.server}" for r in bad))
    return 0


if __name__ == "__main__":
    sys.exit(main())
