"""`pim-mock serve` as a user runs it: a real process on a free loopback port, stopped after."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

pytestmark = pytest.mark.live


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base: str, process: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}: {process.stdout.read()}")
        try:
            if httpx.get(f"{base}/__admin/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("server not healthy in time")


@pytest.fixture
def served():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_server.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--clock", "manual"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
        yield base, process
    finally:
        stop_group(process)


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to the process's group (started with `start_new_session`), SIGKILL after 10 s."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_serve_prints_base_urls_and_credentials_then_serves_an_import(served):
    base, process = served
    banner = ""
    while "admin" not in banner:
        banner += process.stdout.readline()
    assert f"{base}/productsmanager" in banner and "Bearer pm_test_key_0001" in banner
    auth = {"Authorization": "Bearer pm_test_key_0001"}
    created = httpx.post(f"{base}/productsmanager/api/v1/imports", headers=auth,
                         files={"file": ("c.csv", b"ean,title\n2000000000008,t\n")})
    assert created.status_code == 202
    httpx.post(f"{base}/__admin/clock/advance", json={"seconds": 60})
    status = httpx.get(f"{base}/productsmanager/api/v1/imports/{created.json()['id']}", headers=auth).json()
    assert (status["status"], status["created_rows"]) == ("completed", 1)
