"""Where the `pim_mock` fixture's server runs (mock_server/pytest_plugin.py): uvicorn in a thread of the pytest
process, or, under pytest-xdist, one process that every worker of the run shares."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

DEFAULT_CONFIG = {"clock": "manual", "swagger_ui": False}


class Server:
    """uvicorn serving the app on 127.0.0.1 (a free port) in a daemon thread."""

    def __init__(self, app) -> None:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="error", access_log=False, lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True,
                                       name="pim-mock")

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the pim_mock server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


def shared_server(config: dict, basetemp: Path) -> str:
    """Under pytest-xdist: the origin of the run's one server process, started by the first worker to get here.
    The workers of one run share `basetemp`'s parent (pytest-xdist's own recipe); the server stops by itself when
    the run's controller process (every worker's parent) is gone."""
    import fcntl

    root = basetemp.parent
    with open(root / "pim-mock.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        found = root / "pim-mock.json"
        if found.exists():
            return json.loads(found.read_text())["origin"]
        port_file = root / "pim-mock.port"
        log = open(root / "pim-mock.log", "wb")  # noqa: SIM115 - the server's own output, kept for a failure
        process = subprocess.Popen([sys.executable, "-m", "mock_server.tooling.plugin_server", json.dumps(config),
                                    str(port_file), str(os.getppid())], stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        deadline = time.monotonic() + 60
        while not port_file.exists() or not port_file.read_text().strip():
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError(f"the shared pim_mock server did not start (see {root / 'pim-mock.log'})")
            time.sleep(0.05)
        origin = f"http://127.0.0.1:{int(port_file.read_text())}"
        found.write_text(json.dumps({"origin": origin, "pid": process.pid}))
        return origin


def serve_until_parent_exits(config: dict, port_file: str, parent: int) -> None:
    """The shared server's process (`python -m mock_server.tooling.plugin_server CONFIG PORT_FILE PARENT_PID`)."""
    import warnings

    warnings.filterwarnings("ignore")
    from mock_server.app import create_app
    from mock_server.config import Config

    app = create_app(Config(**{**DEFAULT_CONFIG, **config}))
    server = Server(app)
    server.start()
    Path(port_file).write_text(str(server.port))
    try:
        while True:  # the run's controller: once it is gone, so is every worker
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                break
            time.sleep(0.5)
    finally:
        server.stop()
        app.runtime.close()


if __name__ == "__main__":
    serve_until_parent_exits(json.loads(sys.argv[1]), sys.argv[2], int(sys.argv[3]))
