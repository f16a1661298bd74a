"""`pim-mock serve --faults FILE --lenient --data FILE` as a user runs it: real processes on free loopback ports."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import httpx
import pytest
from _tooling import PM, PM_AUTH, PX, PX_AUTH
from test_cli_live import free_port, wait_healthy

pytestmark = pytest.mark.live

FAULTS = """\
- {kind: status, status: 429, api: pixee, retry_after: 9}
- {kind: latency, distribution: uniform, min_ms: 1, max_ms: 2, api: productsmanager}
"""


def serve(*args: str) -> tuple[str, subprocess.Popen]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "mock_server.cli", "serve", "--port", str(port),
                                "--clock", "manual", *args],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, process)
    except BaseException:
        stop(process)
        raise
    return base, process


def stop(process: subprocess.Popen) -> int:
    """A clean stop (SIGINT, as Ctrl-C): uvicorn shuts down and the fake saves its state."""
    os.killpg(process.pid, signal.SIGINT)
    try:
        return process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait()


def test_faults_file_lenient_and_data_across_a_restart(tmp_path):
    (tmp_path / "faults.yaml").write_text(FAULTS)
    state = tmp_path / "state.json"
    args = ("--faults", str(tmp_path / "faults.yaml"), "--lenient", "--data", str(state))
    base, process = serve(*args)
    try:
        listed = httpx.get(f"{base}/__admin/faults").json()["faults"]
        assert [(f["kind"], f.get("api")) for f in listed] == [("status", "pixee"), ("latency", "productsmanager")]
        response = httpx.get(f"{base}{PX}/automations", headers=PX_AUTH)
        assert response.status_code == 429 and response.headers["Retry-After"] == "9"
        job = httpx.post(f"{base}{PM}/imports", headers=PM_AUTH, params={"bogus": "1"},
                         files={"file": ("c.csv", b"ean,title\n2000000000008,Kept\n")}).json()  # lenient: bogus ignored
        httpx.post(f"{base}/__admin/clock/advance", json={"seconds": 60})
        (entry,) = httpx.get(f"{base}/__admin/requests", params={"operation": "createImport"}).json()["requests"]
        assert "unknown query parameter 'bogus' ignored" in entry["violations"]
    finally:
        assert stop(process) == 0
    assert state.exists()

    base, process = serve("--data", str(state))
    try:
        assert httpx.get(f"{base}/__admin/clock").json()["now"] == "2024-03-15T09:01:00Z"
        status = httpx.get(f"{base}{PM}/imports/{job['id']}", headers=PM_AUTH).json()
        assert (status["status"], status["created_rows"]) == ("completed", 1)
        assert httpx.get(f"{base}/__admin/faults").json()["faults"] == []  # faults are not state
        assert httpx.get(f"{base}{PM}/imports/x", headers=PM_AUTH, params={"bogus": "1"}).status_code == 400
    finally:
        stop(process)


@pytest.mark.parametrize("content", ["- {kind: drop, probability: 3}\n", "kind: drop\n"])
def test_a_bad_faults_file_stops_serve_with_exit_code_2(tmp_path, content):
    (tmp_path / "faults.yaml").write_text(content)
    done = subprocess.run([sys.executable, "-m", "mock_server.cli", "serve", "--port", str(free_port()),
                           "--faults", str(tmp_path / "faults.yaml")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and done.stderr.startswith("pim-mock: ")
