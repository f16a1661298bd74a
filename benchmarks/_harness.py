"""What the benchmark scripts share: starting and stopping servers, /proc readings, small HTTP calls, tables.

Not a benchmark itself. Every server runs on 127.0.0.1 on a free port, in its own process group, and is
stopped by `Server.stop()` (SIGTERM to the group, then SIGKILL) — use it as a context manager.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
TOKEN = "pm_test_key_0001"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PM = "/productsmanager/api/v1"
PIXEE = "/pixee/api/v1"
PIXEE_AUTH = {"Authorization": "Bearer pixee_test_key_0001"}
PIMS_PRODUCTS = "/pims/api/en-us/pim/manage/products"
PIMS_AUTH = {"ApiKey": "api_pims_editor_0009"}  # a Data Editor key of fixtures/pims/fixtures.json
CLK_TCK = os.sysconf("SC_CLK_TCK")
PRISM_DEFAULT = "/tmp/prism/node_modules/.bin/prism"


# --- processes ------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """A child process in its own session (so its whole group can be signalled), output to a temp log."""

    def __init__(self, argv: Sequence[str], *, port: int, env: dict | None = None, cwd: Path | None = None,
                 name: str = "server") -> None:
        self.argv = list(argv)
        self.port = port
        self.name = name
        self.log = tempfile.NamedTemporaryFile(prefix=f"pimkit-bench-{name}-", suffix=".log", delete=False)
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(self.argv, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     env=env, cwd=cwd, start_new_session=True)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def alive(self) -> bool:
        return self.proc.poll() is None

    def log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(Path(self.log.name).read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, grace: float = 5.0) -> None:
        try:
            if self.proc.poll() is None:
                _signal_group(self.proc.pid, signal.SIGTERM)
                try:
                    self.proc.wait(grace)
                except subprocess.TimeoutExpired:
                    _signal_group(self.proc.pid, signal.SIGKILL)
                    self.proc.wait(grace)
            # Children the leader may have left behind are in its group: sweep them, if any remain.
            if group_pids(self.proc.pid):
                _signal_group(self.proc.pid, signal.SIGKILL)
        finally:
            self.log.close()
            try:
                os.unlink(self.log.name)
            except OSError:
                pass


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def fake_argv(port: int, clock: str = "manual", extra: Sequence[str] = ()) -> list[str]:
    return [sys.executable, "-m", "mock_server.cli", "serve", "--host", HOST, "--port", str(port), "--clock", clock,
            *extra]


def fake_env(data_dir: Path | None = None) -> dict:
    """The fake's environment; `data_dir` (a tree with `openapi/` and `fixtures/`) replaces the checkout's data."""
    env = dict(os.environ)
    env["PIMKIT_DATA_DIR"] = str(data_dir or REPO)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env.setdefault("PYTHONWARNINGS", "ignore")
    return env


def start_fake(clock: str = "manual", port: int | None = None, data_dir: Path | None = None,
               extra: Sequence[str] = (), cpus: str | None = None) -> Server:
    """The fake on a free port; `cpus` pins it (`taskset -c`, e.g. "0": one core)."""
    port = port or free_port()
    return Server(pinned(fake_argv(port, clock, extra), cpus), port=port, env=fake_env(data_dir), cwd=REPO,
                  name="fake")


def data_dir_copy(target: Path, replace: dict[str, Path] | None = None) -> Path:
    """A data tree at `target` laid out like the checkout: `openapi/` a symlink to the checkout's, each vendor's
    `fixtures/<vendor>/` copied, except the vendors in `replace` (vendor → a directory to copy instead)."""
    replace = replace or {}
    target.mkdir(parents=True, exist_ok=True)
    (target / "openapi").symlink_to(REPO / "openapi", target_is_directory=True)
    for vendor_dir in sorted((REPO / "fixtures").iterdir()):
        if vendor_dir.is_dir():
            shutil.copytree(replace.get(vendor_dir.name, vendor_dir), target / "fixtures" / vendor_dir.name)
    return target


def prism_bin(explicit: str | None = None) -> str:
    for candidate in (explicit, os.environ.get("PRISM_BIN"), shutil.which("prism"), PRISM_DEFAULT):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit("Stoplight Prism not found: pass --prism PATH or set PRISM_BIN")


def wait_until(server: Server, probe: Callable[[], bool], timeout: float, interval: float = 0.01) -> float:
    """Seconds from the server's launch until `probe()` is true; raises if it dies or times out."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if not server.alive():
            raise RuntimeError(f"{server.name} exited with {server.proc.returncode}:\n{server.log_tail()}")
        try:
            if probe():
                return time.perf_counter() - server.started
        except OSError:
            pass
        time.sleep(interval)
    raise RuntimeError(f"{server.name} not ready after {timeout} s:\n{server.log_tail()}")


def fake_ready(port: int) -> Callable[[], bool]:
    return lambda: request(port, "GET", "/__admin/health", timeout=2)[0] == 200


# --- /proc ----------------------------------------------------------------------------------------
def cpu_seconds(pid: int) -> float:
    """utime + stime of every thread of `pid` so far (/proc/<pid>/stat fields 14 and 15)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat.rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def _group_stats(pgid: int) -> list[list[str]]:
    """/proc/<pid>/stat fields (after the command name) of every live process in process group `pgid`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            found.append(fields)
    return found


def group_pids(pgid: int) -> int:
    """How many live processes are in process group `pgid`."""
    return len(_group_stats(pgid))


def group_cpu_seconds(pgid: int) -> float:
    """CPU seconds of every live process in process group `pgid` (a server and any children it started)."""
    return sum(int(f[11]) + int(f[12]) for f in _group_stats(pgid)) / CLK_TCK


def status_kb(pid: int, key: str) -> int:
    """A `kB` figure from /proc/<pid>/status: VmHWM (peak RSS), VmRSS (current)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    raise KeyError(key)


# --- HTTP -----------------------------------------------------------------------------------------
def request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
            timeout: float = 30) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def request_json(port: int, method: str, path: str, payload: object = None, headers: dict | None = None,
                 timeout: float = 30) -> tuple[int, object]:
    hdrs = dict(headers or {})
    body = None
    if payload is not None:
        body = json.dumps(payload).encode()
        hdrs["Content-Type"] = "application/json"
    status, raw = request(port, method, path, body, hdrs, timeout)
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode(errors="replace")


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    """A multipart/form-data body and its Content-Type; `files` maps a field to (filename, content, type)."""
    boundary = "pimkitbench" + os.urandom(8).hex()
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, (filename, content, ctype) in files.items():
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: {ctype}\r\n\r\n")
        parts += [head.encode(), content, b"\r\n"]
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def upload_csv(port: int, content: bytes, filename: str = "catalog.csv", timeout: float = 120) -> dict:
    body, ctype = multipart({"format": "csv"}, {"file": (filename, content, "text/csv")})
    status, raw = request(port, "POST", f"{PM}/imports", body, {**AUTH, "Content-Type": ctype}, timeout)
    if status not in (200, 201, 202):
        raise RuntimeError(f"upload answered {status}: {raw[:500]!r}")
    return json.loads(raw)


def advance_clock(port: int, seconds: float) -> None:
    status, data = request_json(port, "POST", "/__admin/clock/advance", {"seconds": seconds})
    if status != 200:
        raise RuntimeError(f"clock advance answered {status}: {data}")


TERMINAL = ("completed", "completed_with_errors", "failed")


def poll_until_terminal(port: int, job_id: str, *, timeout: float, max_polls: int = 10_000,
                        interval: float = 0.05) -> dict:
    """GET the job until a terminal status; bounded by `timeout` seconds and `max_polls` requests."""
    deadline = time.perf_counter() + timeout
    for _ in range(max_polls):
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            break
        status, data = request_json(port, "GET", f"{PM}/imports/{job_id}", headers=AUTH, timeout=remaining)
        if status != 200:
            raise RuntimeError(f"GET import answered {status}: {data}")
        if data["status"] in TERMINAL:
            return data
        time.sleep(interval)
    raise RuntimeError(f"import {job_id} not terminal after {timeout} s / {max_polls} polls")


# --- wrk ------------------------------------------------------------------------------------------
_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _latency_ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s)", text)
    if not m:
        raise ValueError(f"unparsed latency {text!r}")
    return float(m.group(1)) * _UNITS_MS[m.group(2)]


def parse_wrk(output: str) -> dict:
    """req/s, p50/p90/p99 (ms), requests, non-2xx/3xx and socket errors from `wrk --latency` output."""
    pct = dict(re.findall(r"^\s+(50|90|99)%\s+(\S+)", output, flags=re.MULTILINE))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
            "p50": _latency_ms(pct["50"]), "p90": _latency_ms(pct["90"]), "p99": _latency_ms(pct["99"]),
            "requests": int(re.search(r"(\d+) requests in", output).group(1)),
            "non2xx": int(non2xx.group(1)) if non2xx else 0,
            "socket_errors": sum(int(g) for g in sock.groups()) if sock else 0}


def wrk_lua_post(body: bytes, headers: dict[str, str]) -> str:
    """A wrk Lua script that sends every request as a POST with `body` and `headers`."""
    lines = ['wrk.method = "POST"', f"wrk.body = {json.dumps(body.decode())}"]
    lines += [f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in headers.items()]
    return "\n".join(lines) + "\n"


def pinned(argv: Sequence[str], cpus: str | None) -> list[str]:
    """`argv` run on the CPUs `cpus` ("0", "1", "0-1") through `taskset -c`, or as it is when `cpus` is None."""
    return ["taskset", "-c", cpus, *argv] if cpus is not None else list(argv)


class Wrk:
    """A wrk run in the background (start it, do something else, then `.result()`); `script` is Lua source."""

    def __init__(self, url: str, *, seconds: float, threads: int, connections: int, script: str | None = None,
                 headers: dict[str, str] | None = None, cpus: str | None = None) -> None:
        cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--latency"]
        for k, v in (headers or {}).items():
            cmd += ["-H", f"{k}: {v}"]
        self.lua = tempfile.NamedTemporaryFile("w", prefix="pimkit-bench-", suffix=".lua")
        if script is not None:
            self.lua.write(script)
            self.lua.flush()
            cmd += ["-s", self.lua.name]
        self.seconds = seconds
        self.proc = subprocess.Popen(pinned(cmd + [url], cpus), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)

    def result(self) -> str:
        try:
            out, err = self.proc.communicate(timeout=self.seconds + 60)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.lua.close()
        if self.proc.returncode != 0:
            raise RuntimeError(f"wrk failed ({self.proc.returncode}): {err or out}")
        return out


def run_wrk(url: str, *, seconds: float, threads: int, connections: int, script: str | None = None,
            headers: dict[str, str] | None = None, cpus: str | None = None) -> str:
    """wrk's output; `script` is Lua source (written to a temp file for wrk's `-s`)."""
    return Wrk(url, seconds=seconds, threads=threads, connections=connections, script=script, headers=headers,
               cpus=cpus).result()


# --- figures --------------------------------------------------------------------------------------
def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100), linear interpolation between the closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown-compatible table, columns right-aligned except the first."""
    cells = [[str(h) for h in headers]] + [[_fmt(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(row: list[str]) -> str:
        padded = [c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        return "| " + " | ".join(padded) + " |"

    sep = "| " + " | ".join("-" * w for w in widths) + " |"
    return "\n".join([line(cells[0]), sep] + [line(r) for r in cells[1:]])


def _fmt(value: object) -> str:
    if isinstance(value, float):
        if value != value:
            return "n/a"
        return f"{value:,.2f}" if abs(value) < 1000 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def verdict(value: float, limit: float, *, lower_is_better: bool = True) -> str:
    ok = value <= limit if lower_is_better else value >= limit
    return "PASS" if ok else "MISS"
