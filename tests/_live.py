"""Helpers for the conformance suite's live tests: serve an ASGI app on a free loopback port in a thread,
and run `pim-conformance` against it as a user would (a subprocess)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

REPO = Path(__file__).resolve().parent.parent
PM_PREFIX = "/productsmanager"
PIXEE_PREFIX = "/pixee"
PIMS_PREFIX = "/pims"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """uvicorn serving `app` on 127.0.0.1 in a daemon thread; a context manager that always stops it."""

    def __init__(self, app: Any, **options: Any) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(app, log_level="error", access_log=False, lifespan="off", **options)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


@dataclass
class SuiteRun:
    exit_code: int
    stdout: str
    stderr: str
    report: dict[str, Any] | None

    def failed_checks(self) -> set[str]:
        return {r["check"] for r in (self.report or {}).get("results", []) if r["status"] == "failed"}

    def explain(self) -> str:
        return f"exit {self.exit_code}\n--- stdout ---\n{self.stdout[-6000:]}\n--- stderr ---\n{self.stderr[-3000:]}"


def run_suite(
    base_url: str, *args: str, tmp_path: Path, timeout: float = 300, api: str = "productsmanager"
) -> SuiteRun:
    """`python -m conformance run --api API --base-url URL …` with a JSON report read back."""
    report = tmp_path / f"report-{time.monotonic_ns()}.json"
    env = {**os.environ, "COLUMNS": "200"}
    env.setdefault("PIMKIT_DATA_DIR", str(REPO))
    # Run the `conformance` package this test process imports (the checkout, or an installed wheel).
    import conformance

    home = str(Path(conformance.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (home, env.get("PYTHONPATH")) if p)
    command = [sys.executable, "-m", "conformance", "run", "--api", api, "--base-url", base_url]
    command += ["--json", str(report), *args]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=timeout)
    data = json.loads(report.read_text()) if report.exists() else None
    return SuiteRun(done.returncode, done.stdout, done.stderr, data)


def passed_checks(run: SuiteRun, *, strict_only: bool | None = None) -> set[str]:
    """The checks a run passed (only the fake's own choices, or only the contract, when `strict_only` says)."""
    return {
        r["check"]
        for r in run.report["results"]
        if r["status"] == "passed" and (strict_only is None or r["strict_only"] == strict_only)
    }


def fake_app():
    """A fresh fake (manual clock, fixtures loaded); the caller closes `app.runtime`."""
    from mock_server.app import create_app
    from mock_server.config import Config

    return create_app(Config(clock="manual", swagger_ui=False))


def fake_servers(prefix: str):
    """The body of a `serve` fixture: yields `start(rewrite=None) -> base URL` (origin + `prefix`), each call a
    fresh fake served live, behind a broken-variant `rewrite` when given; all stopped after the test."""
    from contextlib import ExitStack

    from broken_variants import RewritingApp

    with ExitStack() as stack:
        def start(rewrite=None) -> str:
            app = fake_app()
            stack.callback(app.runtime.close)
            server = stack.enter_context(LiveServer(RewritingApp(app, rewrite) if rewrite else app))
            return server.origin + prefix

        yield start
JASPER_PREFIX = "/jasper"
