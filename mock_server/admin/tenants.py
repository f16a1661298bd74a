"""Admin operations on tenants and snapshots (mock_server/tenants.py): each acts on the request's own tenant."""

from __future__ import annotations

from mock_server.context import runtime
from mock_server.errors import Conflict
from mock_server.responses import json_response


def _tenants():
    return runtime().shared.tenants


async def list_tenants():
    tenants = _tenants()
    return json_response({"tenant": runtime().tenant, "tenants": tenants.names(), "max_tenants": tenants.max_tenants,
                          "idle_seconds": tenants.idle_seconds, "created": tenants.created,
                          "evicted": tenants.evicted})


async def delete_tenant():
    rt = runtime()
    if not rt.tenant:
        raise Conflict("The default tenant cannot be deleted; POST /__admin/reset brings it back to the fixtures.",
                         code="default_tenant")
    _tenants().delete(rt.tenant)
    return json_response({"deleted": rt.tenant})


async def list_snapshots():
    from mock_server.tenants import describe

    return json_response({"snapshots": [describe(name, taken) for name, taken in _tenants().snapshots.items()]})


async def save_snapshot(body: dict):
    return json_response(_tenants().save(body["name"], runtime()), status=201)


async def restore_snapshot(name: str):
    return json_response(_tenants().restore(name, runtime()))


async def delete_snapshot(name: str):
    _tenants().forget(name)
    return json_response({"deleted": name})
