"""A plain (non-editable) install of the built wheel serves, finding its specs and fixtures inside itself."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest
from test_cli_live import free_port, wait_healthy

REPO = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.live, pytest.mark.slow]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(REPO)], check=True)
    return next(out.glob("pimkit-*.whl"))


def test_wheel_carries_specs_and_fixtures(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"pimkit_data/openapi/productsmanager.yaml", "pimkit_data/openapi/admin.yaml",
            "pimkit_data/fixtures/productsmanager/fixtures.json", "mock_server/app.py",
            "conformance/cli.py"} <= names


def test_installed_wheel_serves_from_its_own_data(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True)
    # Dependencies come from this environment; the project itself only from the installed wheel.
    env = {k: v for k, v in os.environ.items() if k != "PIMKIT_DATA_DIR"}
    env["PYTHONPATH"] = str(target)
    probe = subprocess.run([sys.executable, "-c", "import mock_server, conformance; "
                            "print(mock_server.__file__); print(conformance.__file__)"],
                           cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert all(line.startswith(str(target)) for line in probe.stdout.split())
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "mock_server.cli", "serve", "--port", str(port)],
                               cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base, process)
        assert httpx.get(f"{base}/productsmanager/openapi.json").json()["info"]["title"].startswith("Products")
    finally:
        process.terminate()
        process.wait(timeout=10)
