"""Tenants (issue 18): a new tenant's first request, 1,000 idle tenants' memory, one tenant's latency beside 100
busy ones, and throughput of 1 and 2 replicas behind nginx.

Needs `taskset` (util-linux), Debian's `nginx` (scale) and `wrk` (Debian 4.1.0: `apt-get install -y wrk`); without
wrk a pure-Python load generator stands in, clearly labelled, whose CPU cost per request makes its figures
not comparable. The busy part pins the server to CPU 0 and every load generator to CPU 1; the scale part pins
replica A to CPU 0 and replica B to CPU 1 (nginx and wrk float), and compares, side by side, replicas nginx
reaches on TCP ports and on Unix sockets (`pim-mock serve --uds`; `--links tcp` or `--links unix` for one).

    .venv/bin/python benchmarks/tenants.py   # --quick: fewer of everything; --only first|idle|steps|busy|scale
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import multiprocessing
import os
import random
import resource
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _harness import (  # noqa: E402
    HOST,
    REPO,
    Server,
    Wrk,
    fake_argv,
    fake_env,
    free_port,
    group_cpu_seconds,
    median,
    parse_wrk,
    percentile,
    pinned,
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


# --- a test's activity on its tenant: one declaration, sent by wrk (Lua) or, without wrk, by Python ------------
CSV = "ean,title,price,brand\r\n2000000000008,Bench shirt,9.99,Bench\r\n2000000000015,Bench cap,4.50,Bench\r\n"
BOUNDARY = "pimkitbenchboundary"
PM_AUTH = {"Authorization": "Bearer pm_test_key_0001"}
JSON = {"Content-Type": "application/json"}
Step = tuple[str, str, dict[str, str], str | None]  # method, path inside the tenant, headers, body
# What one test does on its tenant, in order, over and over: five reads, a write, a small import upload and a
# clock advance (which runs the import).
MIX: list[Step] = [
    ("GET", PRODUCT, AUTH, None),
    ("GET", "/jasper/api/v1/products", AUTH, None),
    ("PUT", PRODUCT, {**AUTH, **JSON}, '{"name": "Renamed by the benchmark"}'),
    ("GET", PRODUCT, AUTH, None),
    ("POST", "/productsmanager/api/v1/imports",
     {**PM_AUTH, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"},
     f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="format"\r\n\r\ncsv\r\n'
     f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="bench.csv"\r\n'
     f"Content-Type: text/csv\r\n\r\n{CSV}\r\n--{BOUNDARY}--\r\n"),
    ("GET", "/jasper/api/v1/products", AUTH, None),
    ("POST", "/__admin/clock/advance", JSON, '{"seconds": 5}'),
    ("GET", PRODUCT, AUTH, None),
]
PROBE: list[Step] = [("GET", PRODUCT, AUTH, None)]


def lua(value: object) -> str:
    """`value` (None, a string, a dict of them) as a Lua literal."""
    if value is None:
        return "nil"
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string of this ASCII text is a valid Lua string literal
    if isinstance(value, dict):
        return "{" + ", ".join(f"[{lua(k)}] = {lua(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


def mix_lua(tenants: list[str], steps: list[Step], mean_gap_ms: float) -> str:
    """A wrk script: request k goes to tenant k mod T, and each tenant walks through `steps` in order. With
    `mean_gap_ms`, each connection waits an exponentially distributed gap of that mean after each answer, so
    requests arrive paced (near Poisson while answers are much faster than the gap), not as fast as answered."""
    rows = ",\n".join(f"  {{{lua(m)}, {lua(p)}, {lua(h)}, {lua(b)}}}" for m, p, h, b in steps)
    script = f"""\
local tenants = {{{", ".join(lua(t) for t in tenants)}}}
local steps = {{
{rows}
}}
local wire = {{}}  -- every request built once, so that wrk spends as little CPU per request as it can
local n = 0
function init(args)
  math.randomseed(os.time() + tonumber(tostring({{}}):sub(8), 16))
  for k = 0, #tenants * #steps - 1 do
    local tenant = tenants[(k % #tenants) + 1]
    local step = steps[(math.floor(k / #tenants) % #steps) + 1]
    wire[k + 1] = wrk.format(step[1], "/t/" .. tenant .. step[2], step[3], step[4])
  end
end
function request()
  n = n + 1
  return wire[((n - 1) % #wire) + 1]
end
"""
    if mean_gap_ms:
        script += f"function delay() return -{mean_gap_ms} * math.log(1 - math.random()) end\n"
    return script


async def _paced_client(port: int, requests: list[bytes], until: float, mean_gap: float, latencies: list[float],
                        failures: list[str], offset: int) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    i = offset
    while time.monotonic() < until:
        wire = requests[i % len(requests)]
        i += 1
        started = time.perf_counter()
        writer.write(wire)
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
        latencies.append((time.perf_counter() - started) * 1000)
        if head[9:10] not in (b"2", b"3"):  # "HTTP/1.1 200": the status's first digit
            failures.append(head[9:12].decode())
        if mean_gap:
            await asyncio.sleep(random.expovariate(1 / mean_gap))
    writer.close()


def python_load(port: int, tenants: list[str], steps: list[Step], seconds: float, connections: int,
                mean_gap_ms: float, cpus: str | None, out: multiprocessing.Queue) -> None:
    """The pure-Python stand-in for wrk (a child process, pinned as wrk would be): the same requests in the same
    order; its latencies (ms) and how many answers were not 2xx/3xx go on `out`. Its own CPU per request is many
    times wrk's."""
    if cpus is not None:
        os.sched_setaffinity(0, {int(c) for c in cpus.split(",")})
    wire = []
    for k in range(len(tenants) * len(steps)):
        method, path, headers, body = steps[(k // len(tenants)) % len(steps)]
        data = (body or "").encode()
        head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        wire.append(f"{method} /t/{tenants[k % len(tenants)]}{path} HTTP/1.1\r\nHost: bench\r\n{head}"
                    f"Content-Length: {len(data)}\r\n\r\n".encode() + data)
    latencies: list[float] = []
    failures: list[str] = []

    async def clients() -> None:
        until = time.monotonic() + seconds
        await asyncio.gather(*(_paced_client(port, wire, until, mean_gap_ms / 1000, latencies, failures, c * 7919)
                               for c in range(connections)))
    asyncio.run(clients())
    out.put((latencies, len(failures)))


class Load:
    """`connections` clients sending `steps` round `tenants` for `seconds`: wrk when `use_wrk`, else `python_load`
    in a child process. `.result()` → {"rps", "p50", "p99", "requests", "non2xx"}."""

    def __init__(self, port: int, tenants: list[str], steps: list[Step], *, seconds: float, connections: int,
                 mean_gap_ms: float = 0.0, cpus: str | None = None, use_wrk: bool = True) -> None:
        self.seconds = seconds
        self.wrk: Wrk | None = None
        if use_wrk:
            self.wrk = Wrk(f"http://{HOST}:{port}/", seconds=seconds, threads=1, connections=connections,
                           script=mix_lua(tenants, steps, mean_gap_ms), cpus=cpus)
            return
        self.queue: multiprocessing.Queue = multiprocessing.Queue()
        self.child = multiprocessing.Process(target=python_load, args=(port, tenants, steps, seconds, connections,
                                                                       mean_gap_ms, cpus, self.queue))
        self.child.start()

    def result(self) -> dict:
        if self.wrk is not None:
            return parse_wrk(self.wrk.result())
        latencies, failures = self.queue.get(timeout=self.seconds + 60)
        self.child.join()
        return {"rps": len(latencies) / self.seconds, "p50": percentile(latencies, 50),
                "p99": percentile(latencies, 99), "requests": len(latencies), "non2xx": failures}


def walk(port: int, tenants: list[str], steps: list[Step]) -> None:
    """Each tenant through `steps` once, every answer checked (a broken mix fails loudly, not as a figure)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    for tenant in tenants:
        for method, path, headers, body in steps:
            conn.request(method, f"/t/{tenant}{path}", body=body, headers=headers)
            response = conn.getresponse()
            answer = response.read()
            if response.status >= 300:
                raise RuntimeError(f"{method} /t/{tenant}{path} answered {response.status}: {answer[:300]!r}")
    conn.close()


def mix_steps(rounds: int) -> list[list[object]]:
    """Each MIX step's time on its own: the steps in order round 100 tenants, one request at a time on one
    keep-alive connection (the server pinned to CPU 0, this client to CPU 1), the first round not counted. What
    a probe arriving during a background request waits for is at most that request's time."""
    os.sched_setaffinity(0, {1})
    tenants = [f"step-{i}" for i in range(100)]
    times: list[list[float]] = [[] for _ in MIX]
    with start_fake(cpus="0") as fake:
        wait_until(fake, ready(fake.port), 60)
        conn = http.client.HTTPConnection(HOST, fake.port, timeout=30)
        cpu = 0.0
        for r in range(rounds + 1):
            before = group_cpu_seconds(fake.pid)
            for tenant in tenants:
                for i, (method, path, headers, body) in enumerate(MIX):
                    started = time.perf_counter()
                    conn.request(method, f"/t/{tenant}{path}", body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    assert response.status < 300, (method, path, response.status)
                    if r:
                        times[i].append((time.perf_counter() - started) * 1000)
            if r:
                cpu += group_cpu_seconds(fake.pid) - before
        conn.close()
    os.sched_setaffinity(0, range(os.cpu_count() or 1))
    rows: list[list[object]] = [[f"{i + 1}. {method} {path}", len(times[i]), median(times[i]),
                                 percentile(times[i], 90), percentile(times[i], 99)]
                                for i, (method, path, _, _) in enumerate(MIX)]
    everything = [t for step in times for t in step]
    rows.append(["all steps", len(everything), median(everything), percentile(everything, 90),
                 f"{percentile(everything, 99):.2f} (server CPU {cpu / len(everything) * 1e6:.0f} µs/request)"])
    return rows


def neighbours(rounds: int, seconds: float, rate: float, probe_rate: float, use_wrk: bool) -> list[list[object]]:
    """The probe tenant's paced reads alone, beside 100 tenants each running MIX, and beside the same MIX at the
    same total rate on one tenant: all three in every round, in a rotating order. Server on CPU 0, load on CPU 1.
    """
    many = [f"busy-{i}" for i in range(100)]
    conditions = {"alone": None, "beside 100 busy tenants": many, "same activity on 1 tenant": ["busy-solo"]}
    figures: dict[str, list[dict]] = {label: [] for label in conditions}
    with start_fake(cpus="0") as fake:
        wait_until(fake, ready(fake.port), 60)
        walk(fake.port, [*many, "busy-solo"], MIX)
        walk(fake.port, ["probe"] * 50, PROBE)
        for r in range(rounds):
            labels = list(conditions)
            for label in labels[r % 3:] + labels[:r % 3]:
                tenants = conditions[label]
                background = None
                if tenants:  # 100 connections either way: the same arrivals at the server
                    background = Load(fake.port, tenants, MIX, seconds=seconds + 2, connections=100,
                                      mean_gap_ms=100 * 1000 / rate, cpus="1", use_wrk=use_wrk)
                    time.sleep(1)
                cpu = group_cpu_seconds(fake.pid)
                probe = Load(fake.port, ["probe"], PROBE, seconds=seconds, connections=1,
                             mean_gap_ms=1000 / probe_rate, cpus="1", use_wrk=use_wrk).result()
                answered = probe["requests"]
                if background is not None:
                    probe["background"] = background.result()
                    # the span measured: the probe's seconds and the background's last one
                    answered += probe["background"]["requests"] * (seconds + 1) / (seconds + 2)
                probe["cpu"] = (group_cpu_seconds(fake.pid) - cpu) / answered * 1e6
                figures[label].append(probe)
    alone = median([f["p99"] for f in figures["alone"]])
    solo = median([f["p99"] for f in figures["same activity on 1 tenant"]])
    rows: list[list[object]] = []
    for label, runs in figures.items():
        p99 = median([f["p99"] for f in runs])
        background_rps = [f["background"]["rps"] for f in runs if "background" in f]
        rows.append([label, round(median(background_rps)) if background_rps else 0,
                     sum(f["requests"] for f in runs), median([f["p50"] for f in runs]),
                     ", ".join(f"{f['p99']:.2f}" for f in runs), p99, f"{p99 / alone:.2f}×", f"{p99 / solo:.2f}×",
                     median([f["cpu"] for f in runs])])
    return rows


class UnixHTTPConnection(http.client.HTTPConnection):
    """http.client over a Unix domain socket (a replica started with `--uds`)."""

    def __init__(self, path: str, timeout: float = 30) -> None:
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


class Replica:
    """A `pim-mock serve` pinned to `cpus`, on a free TCP port or on a Unix socket in `work` (`--uds`)."""

    def __init__(self, cpus: str, work: Path | None = None) -> None:
        self.uds = str(work / f"replica-cpu{cpus}.sock") if work is not None else None
        if self.uds is None:
            self.server = start_fake(cpus=cpus)
            self.upstream = f"{HOST}:{self.server.port}"
        else:
            self.server = Server(pinned(fake_argv(0, extra=["--uds", self.uds]), cpus), port=0, env=fake_env(),
                                 cwd=REPO, name="fake")
            self.upstream = f"unix:{self.uds}"
        wait_until(self.server, lambda: self.get("/__admin/health")[0] == 200, 60)

    def get(self, path: str) -> tuple[int, bytes]:
        if self.uds is not None and not os.path.exists(self.uds):
            return 0, b""
        conn = UnixHTTPConnection(self.uds) if self.uds else http.client.HTTPConnection(HOST, self.server.port,
                                                                                         timeout=30)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def tenants(self) -> list[str]:
        return json.loads(self.get("/__admin/tenants")[1])["tenants"]


def start_nginx(replicas: list[Replica], work: Path) -> Server:
    """nginx (one worker, the configuration `pim-mock nginx-config` prints) on a free port in front of `replicas`,
    its files in `work`."""
    port = free_port()
    conf = work / "nginx.conf"
    conf.write_text(nginx_config(f"{HOST}:{port}", [r.upstream for r in replicas], workdir=str(work),
                                 foreground=True))
    front = Server(["/usr/sbin/nginx", "-p", str(work), "-c", str(conf), "-e", str(work / "error.log")], port=port,
                   name="nginx")
    wait_until(front, ready(port), 30)
    return front


LINKS = {"tcp": "replicas on TCP ports", "unix": "replicas on Unix sockets"}


def scale(rounds: int, seconds: float, connections: int, tenants: int, links: list[str],
          use_wrk: bool) -> tuple[list[list[object]], dict[str, float]]:
    """MIX round `tenants` tenants, as fast as answered, through nginx to replica A (pinned to CPU 0), and through
    a second nginx to A and replica B (pinned to CPU 1); nginx and the load generator float. For each of `links`
    ("tcp": replicas on ports, "unix": on Unix sockets, `--uds`) its own replicas and fronts, all kept up; the
    rounds alternate 1 and 2 replicas and the links."""
    names = [f"scale-{i}" for i in range(tenants)]
    servers: list[Server] = []
    work = Path(tempfile.mkdtemp(prefix="pimkit-bench-nginx-"))
    work.chmod(0o755)  # nginx started as root runs its worker as nobody: it must reach the sockets in here
    fronts: dict[tuple[str, int], Server] = {}
    held: dict[str, tuple[Replica, Replica]] = {}
    try:
        for link in links:
            a = Replica("0", work if link == "unix" else None)
            servers.append(a.server)
            b = Replica("1", work if link == "unix" else None)
            servers.append(b.server)
            held[link] = (a, b)
            for n, replicas in ((1, [a]), (2, [a, b])):
                (work / f"{link}-{n}").mkdir()
                fronts[(link, n)] = start_nginx(replicas, work / f"{link}-{n}")
                servers.append(fronts[(link, n)])
                walk(fronts[(link, n)].port, names, MIX)  # every tenant created on the replica it hashes to
        busiest = {link: max(len(b.tenants()), tenants - len(b.tenants())) / tenants for link, (_, b) in held.items()}
        figures: dict[tuple[str, int], list[dict]] = {key: [] for key in fronts}
        for r in range(rounds):
            order = list(fronts)
            for key in order[r % len(order):] + order[:r % len(order)]:
                a, b = held[key[0]]
                front = fronts[key]
                cpu = {"replicas": lambda a=a, b=b: group_cpu_seconds(a.server.pid) + group_cpu_seconds(b.server.pid),
                       "nginx": lambda front=front: group_cpu_seconds(front.pid),
                       "client": lambda: resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime
                       + resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime}  # wrk, once reaped
                before = {part: read() for part, read in cpu.items()}
                run = Load(front.port, names, MIX, seconds=seconds, connections=connections, use_wrk=use_wrk).result()
                run.update({f"cpu_{part}": (read() - before[part]) / run["requests"] * 1e6
                            for part, read in cpu.items()})
                figures[key].append(run)
    finally:
        for server in reversed(servers):
            server.stop()
        for link, n in fronts:
            log = work / f"{link}-{n}" / "error.log"
            errors = [line for line in log.read_text().splitlines() if "[error]" in line] if log.exists() else []
            if errors:
                print(f"nginx in front of {n} replica(s) ({link}) logged {len(errors)} errors, the last: {errors[-1]}")
        shutil.rmtree(work, ignore_errors=True)
    for link, share in busiest.items():
        print(f"{LINKS[link]}: behind 2 replicas, {share:.1%} of the {tenants} tenants on the busier (nginx's hash)")
    rows: list[list[object]] = []
    for (link, n), runs in figures.items():
        rows.append([f"{n} ({link})", ", ".join(f"{f['rps']:,.0f}" for f in runs), median([f["rps"] for f in runs]),
                     median([f["p99"] for f in runs]), sum(f["non2xx"] for f in runs),
                     *(median([f[f"cpu_{part}"] for f in runs]) for part in ("replicas", "nginx", "client"))])
        rows[-1].append("" if n == 1 else f"{rows[-1][2] / rows[-2][2]:.2f}× (target ≥ 1.7×)")
    return rows, busiest


def dedicated_cores(one_row: list[object], two_row: list[object], busiest: float) -> str:
    """What the CPU per request says two cores of our own would give: one replica is bound by its core (or by
    nginx + the client on the other), two by the sum of every part over both cores, or by the replica holding
    the larger share `busiest` of the tenants (every tenant gets the same number of requests)."""
    server, proxy, client = (float(str(one_row[i])) for i in (5, 6, 7))
    one = min(1e6 / server, 1e6 / (proxy + client))
    server2, proxy2, client2 = (float(str(two_row[i])) for i in (5, 6, 7))
    two = min(2e6 / (server2 + proxy2 + client2), 1e6 / (busiest * server2))
    even = 2e6 / (server2 + proxy2 + client2)
    return (f"{one_row[0].split()[1]} CPU per request (µs): replicas {server:.0f} / {server2:.0f}, nginx "
            f"{proxy:.0f} / {proxy2:.0f}, client {client:.0f} / {client2:.0f} (1 / 2 replicas). On 2 cores of our "
            f"own that allows at most {one:,.0f} req/s with 1 replica and {two:,.0f} with 2 ({busiest:.0%} of the "
            f"tenants on the busier replica): {two / one:.2f}× ({even / one:.2f}× with the tenants split evenly).")


def load_average() -> str:
    """The machine's load: these figures are only comparable on a machine whose other work is stated."""
    one, five, _ = os.getloadavg()
    return f"load average at the end: {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", choices=("first", "idle", "steps", "busy", "scale"))
    parser.add_argument("--rounds", type=int, help="rounds of the busy and scale parts (default 3; --quick 1)")
    parser.add_argument("--rate", type=float, default=200.0,
                        help="busy: the background's requests/s in all (default 200: 2 a second per busy tenant)")
    parser.add_argument("--probe-rate", type=float, default=50.0, help="busy: the probe tenant's requests/s")
    parser.add_argument("--links", default="tcp,unix",
                        help="scale: how nginx reaches the replicas, compared side by side: tcp (ports), unix "
                             "(Unix sockets, `pim-mock serve --uds`), or both (default tcp,unix)")
    parser.add_argument("--python-load", action="store_true",
                        help="the pure-Python load generator even when wrk is on PATH (not comparable with wrk)")
    args = parser.parse_args()
    quick = args.quick
    rounds = args.rounds or (1 if quick else 3)
    use_wrk = shutil.which("wrk") is not None and not args.python_load
    if shutil.which("taskset") is None:
        raise SystemExit("taskset (util-linux) is needed: the servers and the load generator are pinned to cores")
    if not use_wrk:
        print("LOAD GENERATOR: pure Python (wrk not on PATH, or --python-load). Its CPU per request is many times "
              "wrk's and competes with the server: these are NOT the README's (wrk) figures.")
    if args.only in (None, "first"):
        print(table(["request", "n", "p50 ms", "p90 ms", "target"], first_requests(50 if quick else 300)))
    if args.only in (None, "idle"):
        print(table(["tenants", "RSS before MB", "RSS after MB", "KB per tenant", "target"],
                    idle_tenants(100 if quick else 1000)))
    if args.only in (None, "steps"):
        print(table(["MIX step, alone", "requests", "p50 ms", "p90 ms", "p99 ms"], mix_steps(1 if quick else 5)))
    if args.only in (None, "busy"):
        seconds = 5 if quick else 20
        print(f"busy: the server pinned to CPU 0, the load ({'wrk' if use_wrk else 'Python'}) to CPU 1. Background:"
              f" the {len(MIX)}-step test activity (5 reads, a write, a CSV import, a clock advance) on 100 "
              f"connections paced at {args.rate:g} req/s in all; probe: GET {PRODUCT} on one connection paced at "
              f"{args.probe_rate:g}/s for {seconds} s; {rounds} round(s), conditions in rotating order.")
        print(table(["probe tenant", "background req/s", "probes", "p50 ms", "p99 ms per round", "p99 ms (median)",
                     "p99 vs alone", "p99 vs 1 busy tenant", "server µs/request"],
                    neighbours(rounds, seconds, args.rate, args.probe_rate, use_wrk)))
        print(load_average())
    if args.only in (None, "scale"):
        seconds, connections, tenants = (5 if quick else 15), 64, (200 if quick else 600)
        links = [link for link in args.links.split(",") if link]
        if not links or any(link not in LINKS for link in links):
            raise SystemExit(f"--links: tcp, unix or both (tcp,unix), not {args.links!r}")
        print(f"scale: replica A pinned to CPU 0, B to CPU 1; nginx (1 worker) and "
              f"{'wrk -t1' if use_wrk else 'Python'} -c{connections} float; the {len(MIX)}-step mix round {tenants} "
              f"tenants as fast as answered, {seconds} s a run, {rounds} round(s) rotating through 1 and 2 "
              f"replicas, {' and '.join(LINKS[link] for link in links)}.")
        rows, busiest = scale(rounds, seconds, connections, tenants, links, use_wrk)
        print(table(["replicas", "req/s per round", "req/s (median)", "p99 ms", "non-2xx", "replicas µs/req",
                     "nginx µs/req", "client µs/req", "ratio"], rows))
        for i, link in enumerate(links):
            print(dedicated_cores(rows[2 * i], rows[2 * i + 1], busiest[link]))
        print(load_average())


if __name__ == "__main__":
    main()
