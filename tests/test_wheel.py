"""A plain (non-editable) install of the built wheel serves, finding its specs and fixtures inside itself."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest
from _live import PM_PREFIX, fake_servers
from test_cli_live import free_port, wait_healthy

REPO = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.live, pytest.mark.slow]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
                    str(REPO)], check=True)
    return next(out.glob("pimkit-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """The wheel installed alone (`pip install --no-deps --target`), once for the tests below: they only read it."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True)
    return target


def only_the_wheel(installed: Path) -> dict[str, str]:
    """Dependencies come from this environment; the project itself only from the installed wheel. Not this
    run's xdist variables either: an inner pytest that saw PYTEST_XDIST_WORKER would take itself for a worker
    and look for a shared pim_mock server beside its basetemp."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PIMKIT_DATA_DIR", "PYTHONPATH") and not k.startswith("PYTEST_XDIST_")}
    env["PYTHONPATH"] = str(installed)
    return env


def test_wheel_carries_specs_and_fixtures(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"pimkit_data/openapi/productsmanager.yaml", "pimkit_data/openapi/admin.yaml",
            "pimkit_data/fixtures/productsmanager/fixtures.json", "mock_server/app.py",
            "conformance/cli.py"} <= names


def test_installed_wheel_serves_from_its_own_data(installed, tmp_path):
    target, env = installed, only_the_wheel(installed)
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


def readme_example() -> dict[str, str]:
    """The README's worked example for integrators: file name (from each block's first comment) -> code."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("<!-- integrator-example:start -->", 1)[1].split("<!-- integrator-example:end -->", 1)[0]
    blocks = [b.split("```", 1)[0] for b in section.split("```python\n")[1:]]
    return {block.split(":", 1)[0].lstrip("# ").strip(): block for block in blocks}


def test_the_pytest_plugin_works_from_a_separate_directory_with_only_the_wheel_installed(installed, tmp_path):
    """`pip install` of the project is all an integrator needs: the `pim_mock` fixture comes through the
    `pytest11` entry point, and the README's worked example passes as written."""
    target = installed
    project = tmp_path / "integrator"
    project.mkdir()
    files = readme_example()
    assert set(files) == {"catalog_client.py", "test_catalog_client.py"}
    for name, code in files.items():
        (project / name).write_text(code, encoding="utf-8")
    env = only_the_wheel(installed)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--trace-config"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "2 passed" in done.stdout
    plugin = next(line for line in done.stdout.splitlines() if "mock_server.pytest_plugin" in line)
    assert str(target) in plugin  # the installed wheel's plugin, not the checkout's


@pytest.fixture
def serve():
    """serve() -> the productsmanager base URL of a fresh fake served live (tests/_live.py); stopped after."""
    yield from fake_servers(PM_PREFIX)


def test_pim_conformance_from_the_wheel_runs_from_its_own_data(installed, serve, tmp_path):
    """`pim-conformance` from a plain wheel install finds its specs, fixtures and rules without the checkout."""
    command = [str(installed / "bin" / "pim-conformance"), "run", "--api", "productsmanager", "--base-url", serve()]
    command += ["--only", "scenarios", "--scenario", "authentication", "--seed", "3"]
    done = subprocess.run(command, cwd=tmp_path, env=only_the_wheel(installed), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "CONFORMS" in done.stdout
