"""The `--data` crash test: a storm of Jasper creates, kill -9 at a random moment, a restart, and a check that every
acknowledged create is there (same id, same SKU) and that no id is handed out twice. Shared by
tests/test_durability_live.py (3 rounds, in CI) and benchmarks/durability.py (20 rounds and more)."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

J = "/jasper/api/v1"
J_AUTH = {"Authorization": "Bearer jasper-test-token"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(state: Path, *extra: str) -> tuple[str, subprocess.Popen]:
    """`pim-mock serve --data state` on a free loopback port, healthy, in its own process group."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "mock_server.cli", "serve", "--port", str(port), "--clock",
                                "manual", "--data", str(state), *extra], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}: {process.stdout.read()}")
        try:
            if httpx.get(f"{base}/__admin/health", timeout=2).status_code == 200:
                return base, process
        except httpx.TransportError:
            time.sleep(0.05)
    kill(process)
    raise AssertionError("server not healthy in time")


def kill(process: subprocess.Popen, sig: int = signal.SIGKILL) -> int:
    try:
        os.killpg(process.pid, sig)
    except ProcessLookupError:
        pass
    return process.wait(timeout=30)


def present(base: str) -> dict[int, str]:
    """Every Jasper product the server holds: id -> SKU."""
    found: dict[int, str] = {}
    with httpx.Client(base_url=base, headers=J_AUTH, timeout=30) as client:
        for page in range(1, 10_000):
            products = client.get(f"{J}/products", params={"limit": 1000, "page": page}).json()["products"]
            found.update({p["id"]: p["sku"] for p in products})
            if len(products) < 1000:
                return found
    return found


@dataclass
class Round:
    acknowledged: int = 0  # creates answered 201 in this round
    missing: list[int] = field(default_factory=list)  # acknowledged before, absent (or changed) after the restart
    reused: list[int] = field(default_factory=list)  # ids handed out again after the restart


def crash_round(state: Path, acknowledged: dict[int, str], rng: random.Random, tag: str, writers: int = 4,
                storm_seconds: tuple[float, float] = (0.1, 1.0)) -> Round:
    """Start the server on `state`, check every create in `acknowledged` survived, storm it with creates, kill -9
    it mid-storm. `acknowledged` (id -> SKU) gains this round's acknowledged creates."""
    result = Round()
    base, process = serve(state)
    try:
        seen = present(base)
        result.missing = sorted(i for i, sku in acknowledged.items() if seen.get(i) != sku)
        before = max(acknowledged, default=0)
        lock, stop, first, fresh = threading.Lock(), threading.Event(), threading.Event(), {}

        def write(writer: int) -> None:
            with httpx.Client(base_url=base, headers=J_AUTH, timeout=10) as client:
                n = 0
                while not stop.is_set():
                    sku = f"{tag}-{writer}-{n}"
                    n += 1
                    try:
                        answer = client.post(f"{J}/products", json={"name": f"Storm {sku}", "sku": sku})
                    except httpx.TransportError:
                        return  # killed mid-request: not acknowledged
                    if answer.status_code == 201:
                        with lock:
                            fresh[answer.json()["product"]["id"]] = sku
                        first.set()

        threads = [threading.Thread(target=write, args=(w,)) for w in range(writers)]
        for thread in threads:
            thread.start()
        first.wait(30)  # the storm is acknowledging writes: from here, kill at a random moment
        time.sleep(rng.uniform(*storm_seconds))
        kill(process)  # kill -9, mid-storm
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        result.acknowledged = len(fresh)
        result.reused = sorted(i for i in fresh if i <= before)
        acknowledged.update(fresh)
    finally:
        if process.poll() is None:
            kill(process)
    return result
