"""Scale-out behind nginx: the configuration that routes each tenant to one `pim-mock serve` replica.

A tenant lives in one process, so replicas share nothing: nginx hashes the tenant (the `/t/<tenant>/` path
segment, else the `X-Pim-Mock-Tenant` header, else "" for the default tenant) onto the replicas with a
consistent hash, so every request of a tenant lands on the same replica, and adding or removing one moves only
~1/N of the tenants. `pim-mock nginx-config` prints it; docs/scale-out.md explains it and gives a Kubernetes
example.

A tenant has one home, so nginx must never send its request elsewhere: no retry on another replica
(`proxy_next_upstream off`) and no replica taken out of the ring after an error (`max_fails=0`) — either would
answer from a replica that does not hold the tenant, with a fresh tenant from the fixtures. A replica that is down
answers 502 for its tenants instead. nginx closes an idle upstream connection before the replica does
(`keepalive_timeout` below the replica's keep-alive, mock_server/serving.py): else a request sent as the replica
closes it is reset, and answered 502. Every replica has the same `weight`, 10: nginx puts 160 points per unit of
weight on its ring, and with 160 the busier of two replicas got 51.7 % of the tenants (median; 54.9 % at the 90th
percentile, 59.1 % at worst, over 100 pairs of ports and 20,000 tenant names), with 1,600 50.6 %, 51.4 % and 53.6 %
(simulated with nginx's CRC32 ring, which agreed with nginx's own choice for 2,000 of 2,000 tenants).
"""

from __future__ import annotations

from mock_server.serving import KEEP_ALIVE_TIMEOUT

RING_WEIGHT = 10  # the same for every replica: only the number of points each has on nginx's ring

TEMPLATE = """\
# pim-mock scale-out: every request of a tenant goes to the same replica (docs/scale-out.md)
worker_processes {workers};
{daemon}pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {workdir}/client_body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    # the tenant: /t/<tenant>/... first, else the X-Pim-Mock-Tenant header, else "" (the default tenant)
    map $uri $pim_mock_tenant {{
        "~^/t/(?<tenant>[^/]+)" $tenant;
        default $http_x_pim_mock_tenant;
    }}
    upstream pim_mock {{
        hash $pim_mock_tenant consistent;
{servers}
        keepalive 64;
        keepalive_timeout {idle}s;
    }}
    server {{
        listen {listen};
        client_max_body_size {body_mb}m;
        location / {{
            proxy_pass http://pim_mock;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_request_buffering off;
            proxy_buffering off;
            proxy_read_timeout 600s;
            proxy_next_upstream off;
        }}
    }}
}}
"""


def nginx_config(listen: str, replicas: list[str], *, workdir: str = "/tmp/pim-mock-nginx", workers: int = 1,
                 foreground: bool = False, body_mb: int = 25) -> str:
    """An nginx.conf serving `listen` (`127.0.0.1:8080`, `8080`) in front of `replicas` (`host:port` each, or
    `unix:/path` for a replica started with `--uds /path`)."""
    if not replicas:
        raise ValueError("at least one replica (host:port or unix:/path)")
    servers = "\n".join(f"        server {replica} max_fails=0 weight={RING_WEIGHT};" for replica in replicas)
    return TEMPLATE.format(workers=workers, daemon="daemon off;\n" if foreground else "", workdir=workdir,
                           servers=servers, listen=listen, body_mb=body_mb, idle=KEEP_ALIVE_TIMEOUT - 1)
