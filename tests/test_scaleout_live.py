"""Scale-out: two `pim-mock serve` replicas behind Debian's nginx, configured by `pim-mock nginx-config` (a consistent
hash on the tenant), one on a Unix domain socket (`--uds`), one on a TCP port. Every tenant's writes, clock and
reads land on one replica, so each client sees its own state as if there were one server. nginx runs in the
foreground on a free port and is stopped by its pid."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from test_cli_live import free_port, stop_group, wait_healthy

from mock_server.scaleout import nginx_config
from mock_server.serving import KEEP_ALIVE_TIMEOUT

pytestmark = pytest.mark.live

NGINX = "/usr/sbin/nginx"
J = "/jasper/api/v1"
JH = {"Authorization": "Bearer jasper-test-token"}


def replica_client(replica: str) -> httpx.Client:
    """A client of one replica, named as nginx names it: `127.0.0.1:PORT` or `unix:PATH`."""
    if replica.startswith("unix:"):
        return httpx.Client(transport=httpx.HTTPTransport(uds=replica.removeprefix("unix:")),
                            base_url="http://localhost", timeout=10)
    return httpx.Client(base_url=f"http://{replica}", timeout=10)


def start_replica(stack: ExitStack, processes: dict[str, subprocess.Popen] | None = None,
                  uds: Path | None = None) -> str:
    """A replica on a free port, or on the Unix socket `uds`: its name in nginx's configuration."""
    port = free_port()
    where = ["--uds", str(uds)] if uds else ["--port", str(port)]
    process = subprocess.Popen([sys.executable, "-m", "mock_server.cli", "serve", *where, "--clock", "manual"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    stack.callback(lambda: process.poll() is None and stop_group(process))  # a test may have stopped it already
    replica = f"unix:{uds}" if uds else f"127.0.0.1:{port}"
    if uds:
        deadline = time.monotonic() + 20
        while not uds.exists():
            assert process.poll() is None and time.monotonic() < deadline, "the replica never bound its socket"
            time.sleep(0.05)
        with replica_client(replica) as client:
            assert client.get("/__admin/health").status_code == 200  # the admin API: a socket's clients are local
    else:
        wait_healthy(f"http://{replica}", process)
    if processes is not None:
        processes[replica] = process
    return replica


def start_nginx(stack: ExitStack, replicas: list[str], workdir) -> str:
    if not os.access(NGINX, os.X_OK):
        pytest.fail(f"{NGINX} is missing: the scale-out test runs Debian's nginx (apt-get install nginx-light)")
    port = free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(nginx_config(f"127.0.0.1:{port}", replicas, workdir=str(workdir), foreground=True))
    process = subprocess.Popen([NGINX, "-p", str(workdir), "-c", str(conf), "-e", str(workdir / "error.log")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    stack.callback(stop_group, process)
    base = f"http://127.0.0.1:{port}"
    wait_healthy(base, process)
    return base


def test_two_replicas_behind_nginx_keep_every_tenants_state_consistent(tmp_path):
    with ExitStack() as stack:
        processes: dict[str, subprocess.Popen] = {}
        # nginx started as root serves from workers of another user (nobody): the socket's directory must let them
        # in, which pytest's tmp_path (0700) does not (docs/scale-out.md)
        socket_dir = Path(tempfile.mkdtemp(prefix="pimkit-uds-"))
        socket_dir.chmod(0o755)
        stack.callback(shutil.rmtree, socket_dir, True)
        socket_path = socket_dir / "replica.sock"
        replicas = [start_replica(stack, processes, uds=socket_path), start_replica(stack, processes)]
        front = start_nginx(stack, replicas, tmp_path)
        tenants = [f"team-{i}" for i in range(16)]
        with httpx.Client(base_url=front, timeout=10) as http:
            start = http.get("/__admin/clock").json()["epoch"]
            made = {}
            for i, tenant in enumerate(tenants):
                answer = http.post(f"/t/{tenant}{J}/products", json={"name": tenant, "sku": f"SKU-{tenant}"},
                                   headers=JH)
                assert answer.status_code == 201, answer.text
                made[tenant] = answer.json()["product"]["id"]
                assert http.post(f"/t/{tenant}/__admin/clock/advance", json={"seconds": 60 * (i + 1)}).is_success
            for i, tenant in enumerate(tenants):  # reads after writes, through nginx: each tenant's own state
                product = http.get(f"/t/{tenant}{J}/products/{made[tenant]}", headers=JH)
                assert product.status_code == 200 and product.json()["product"]["sku"] == f"SKU-{tenant}"
                assert http.get(f"/t/{tenant}/__admin/clock").json()["epoch"] == start + 60 * (i + 1)
                by_header = http.get(f"{J}/products/{made[tenant]}", headers={**JH, "X-Pim-Mock-Tenant": tenant})
                assert by_header.status_code == 200 and by_header.json()["product"]["sku"] == f"SKU-{tenant}"
        # each tenant lives on exactly one replica, and the two share the load
        homes = {}
        for tenant in tenants:
            held = []
            for replica in replicas:
                with replica_client(replica) as client:
                    if tenant in client.get("/__admin/tenants").json()["tenants"]:
                        held.append(replica)
            assert len(held) == 1, (tenant, held)
            homes[tenant] = held[0]
        assert set(homes.values()) == set(replicas)
        # a replica down: its tenants get 502, never an answer from the other replica (which does not hold them)
        gone, survivor = replicas
        stop_group(processes[gone])
        assert processes[gone].returncode == 0 and not socket_path.exists()  # a clean stop takes its socket away
        orphan = next(tenant for tenant in tenants if homes[tenant] == gone)
        with httpx.Client(base_url=front, timeout=10) as http:
            for _ in range(3):  # nginx would mark the replica failed after the first error and re-route the rest
                assert http.get(f"/t/{orphan}{J}/products/{made[orphan]}", headers=JH).status_code == 502
        with replica_client(survivor) as client:
            assert orphan not in client.get("/__admin/tenants").json()["tenants"]


def test_nginx_closes_an_idle_upstream_connection_before_the_replica_does():
    # a request nginx sends on a connection the replica is closing for idleness is reset: nginx must close first
    config = nginx_config("127.0.0.1:8080", ["127.0.0.1:8081"])
    idle = re.search(r"keepalive_timeout (\d+)s;", config)
    assert idle is not None and int(idle.group(1)) < KEEP_ALIVE_TIMEOUT


def test_nginx_config_takes_replicas_on_ports_and_on_unix_sockets(capsys):
    from mock_server.cli import main

    assert main(["nginx-config", "--replica", "unix:/run/pim-mock/a.sock", "--replica", "127.0.0.1:8082"]) == 0
    servers = re.findall(r"^\s*server (\S+) max_fails=0 weight=10;$", capsys.readouterr().out, flags=re.MULTILINE)
    assert servers == ["unix:/run/pim-mock/a.sock", "127.0.0.1:8082"]


def test_nginx_is_installed_by_ci_when_missing():
    ci = open(os.path.join(os.path.dirname(__file__), "..", ".ci", "run")).read()
    assert "apt-get install -y nginx" in ci
