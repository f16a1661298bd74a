"""Tenants importing (issue 18, the process-wide pools): threads and a neighbour's import latency beside 100
importing tenants, before and after the pools. The "before" server runs the tree of `--before` (default 3424120,
per-tenant threads; extracted with `git archive`); before and after alternate, `--runs` of each.

    .venv/bin/python benchmarks/tenant_imports.py   # --quick: 20 tenants of 2,000 rows, one run of each
"""

from __future__ import annotations

import argparse
import http.client
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
    fake_ready,
    free_port,
    median,
    percentile,
    table,
    wait_until,
)

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
        wait_until(fake, fake_ready(fake.port), 60)
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
    parser.add_argument("--before", default="3424120", help="the commit the 'before' figures run")
    parser.add_argument("--runs", type=int, default=3, help="alternating runs of each side")
    args = parser.parse_args()
    quick = args.quick
    print(table(["server", "importing tenants", "rows each", "threads peak", "their uploads s",
                 "neighbour imports", "neighbour p50 ms", "p90 ms", "max ms", "all read s"],
                importing(20 if quick else 100, 2000 if quick else 20_000, 1 if quick else args.runs, args.before)))


if __name__ == "__main__":
    main()
