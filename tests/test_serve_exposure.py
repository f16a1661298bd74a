"""`pim-mock serve` beyond loopback: a clear warning on stderr (louder without --admin-token), and the token
and connection options reaching the server."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import httpx
import pytest
from test_cli_live import free_port
from test_tooling_cli import stop

from mock_server.cli import exposure_warning, parser


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"])
def test_no_warning_on_loopback(host):
    assert exposure_warning(host, admin_token=False) is None


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "myhost.example"])
def test_a_bind_beyond_loopback_warns_and_louder_without_a_token(host):
    quiet, loud = exposure_warning(host, admin_token=True), exposure_warning(host, admin_token=False)
    assert quiet.startswith("WARNING") and host in quiet and "requires --admin-token" in quiet
    assert loud.count("WARNING") == 2 and "loopback clients only" in loud and "--admin-token" in loud


def test_the_options_are_parsed_and_the_token_may_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PIM_MOCK_ADMIN_TOKEN", "from-env")
    args = parser().parse_args(["serve", "--max-connections", "40", "--header-timeout", "2.5", "--body-timeout", "9"])
    assert (args.admin_token, args.max_connections, args.header_timeout, args.body_timeout) == ("from-env", 40, 2.5, 9)
    with pytest.raises(SystemExit):
        parser().parse_args(["serve", "--max-connections", "0"])


@pytest.mark.live
def test_serve_with_an_admin_token_from_the_environment_requires_it():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "mock_server.cli", "serve", "--port", str(port), "--clock",
                                "manual", "--max-connections", "50", "--header-timeout", "3"],
                               env={**os.environ, "PIM_MOCK_ADMIN_TOKEN": "tok-123"}, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None and time.monotonic() < deadline, "the server did not start"
            try:
                refused = httpx.post(f"{base}/__admin/reset", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        allowed = httpx.post(f"{base}/__admin/reset", headers={"Authorization": "Bearer tok-123"}, timeout=5)
    finally:
        stop(process)
    assert refused.status_code == 401 and allowed.status_code == 200


def test_serve_refuses_a_unix_socket_path_that_is_an_ordinary_file(tmp_path, capsys):
    """`--uds PATH` replaces a stale socket at PATH (asyncio does), but never a file that is not a socket."""
    from mock_server.cli import main

    data = tmp_path / "state.json"
    data.write_text("{}")
    assert main(["serve", "--uds", str(data)]) == 2
    assert f"--uds {data} exists and is not a socket" in capsys.readouterr().err
    assert data.read_text() == "{}"
    assert parser().parse_args(["serve", "--uds", "/run/pim-mock/a.sock"]).uds == "/run/pim-mock/a.sock"


def test_serve_refuses_a_unix_socket_path_it_cannot_use_with_one_line(tmp_path, capsys):
    """Every `--uds PATH` that cannot be listened on is refused before start-up, exit 2 with one line: no path,
    a path longer than a Unix socket's address holds, a directory that does not exist or cannot be written."""
    from mock_server.cli import UDS_PATH_MAX, main

    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    cases = {
        "": "--uds needs a path",
        str(tmp_path / ("s" * UDS_PATH_MAX)): f"longer than the {UDS_PATH_MAX} bytes",
        str(tmp_path / "missing" / "a.sock"): f"no directory {tmp_path / 'missing'}",
    }
    if os.geteuid() != 0:  # root may write anywhere
        cases[str(locked / "a.sock")] = "permission denied"
    for path, message in cases.items():
        assert main(["serve", "--uds", path]) == 2, path
        err = capsys.readouterr().err
        assert message in err and err.count("\n") == 1 and "Traceback" not in err, err


def test_a_socket_a_live_server_listens_on_is_never_taken_over_but_a_stale_one_is_reused(tmp_path, capsys):
    """A second `serve --uds` on the socket of a running one is refused as a port in use is (exit 3), leaving
    the running server's socket where it is; a socket nobody listens on (a killed server's) may be reused."""
    import socket

    from mock_server.cli import main, uds_problem

    path = tmp_path / "a.sock"
    live = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        live.bind(str(path))
        live.listen()
        inode = path.stat().st_ino
        assert main(["serve", "--uds", str(path)]) == 3
        assert "address already in use" in capsys.readouterr().err
        assert path.stat().st_ino == inode
    finally:
        live.close()
    assert path.exists() and uds_problem(str(path)) is None  # left behind, nobody listening: stale
