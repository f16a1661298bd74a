"""The fake's admin API (openapi/admin.yaml): journal, verification and faults, over HTTP only.

`--base-url` is the admin API itself (`http://HOST:PORT/__admin`). The probes are sent to a path no API
serves, on the same origin, with a unique marker in it, so that they cannot be confused with anything else
the server is asked meanwhile.
"""

from __future__ import annotations

import secrets
from typing import Any

import httpx

from conformance.checks.admin import (
    API,
    fault_answers,
    invalid_definition_refused,
    journal_counts_requests,
    verify_follows_count,
)
from conformance.scenarios import ScenarioContext, scenario


def _probe_path() -> str:
    return f"/pim-conformance-probe/{secrets.token_hex(6)}"


def _no_faults(ctx: ScenarioContext) -> None:
    """Faults left by an earlier layer (Schemathesis adds random valid ones) would hit the probes too."""
    ctx.target.request("DELETE", "/faults")


def _probe(ctx: ScenarioContext, path: str, **kwargs: Any) -> httpx.Response:
    # beside the admin API: at the origin, or under a tenant's prefix (`…/t/<tenant>/__admin` probes `…/t/<tenant>/…`)
    root = ctx.target.base_url.rsplit("/__admin", 1)[0]
    return ctx.target.client.request(kwargs.pop("method", "GET"), root + path, **kwargs)


@scenario(API, rules=["TL-D01", "TL-D02"])
def journal_records_and_verifies(ctx: ScenarioContext) -> None:
    """Requests sent are counted by path, by a body field and through find; verify judges exact counts."""
    _no_faults(ctx)
    path = _probe_path()
    ctx.note(f"probe path {path}")
    for n in range(3):
        _probe(ctx, path, method="POST", json={"sku": "X" if n < 2 else "Y"})
    admin = ctx.target
    ctx.verify(journal_counts_requests, response=admin.request("POST", "/requests/count", json={"path": path}),
               sent=3)
    ctx.verify(journal_counts_requests, sent=2,
               response=admin.request("POST", "/requests/count", json={"path": path, "body": {"sku": "X"}}))
    ctx.verify(journal_counts_requests, sent=1,
               response=admin.request("POST", "/requests/find", json={"path_pattern": path + "$",
                                                                       "body": {"sku": "Y"}}))
    for expectation, ok in (({"count": 2}, True), ({"count": 3}, False), ({"at_least": 3}, False),
                            ({"at_most": 2}, True)):
        body = {"method": "POST", "path": path, "body": {"sku": "X"}, **expectation}
        ctx.verify(verify_follows_count, response=admin.request("POST", "/requests/verify", json=body), count=2,
                   ok=ok)


@scenario(API, rules=["TL-D05"])
def faults_apply_and_go(ctx: ScenarioContext) -> None:
    """A status fault with a count applies that many times; a removed fault no longer applies."""
    _no_faults(ctx)
    path = _probe_path()
    admin = ctx.target
    created = admin.request("POST", "/faults", json={"kind": "status", "status": 503, "path_pattern": path,
                                                     "count": 1})
    ctx.note(f"fault {created.status_code} {created.text[:200]}")
    ctx.verify(fault_answers, response=_probe(ctx, path), status=503, faulted=True)
    ctx.verify(fault_answers, response=_probe(ctx, path), status=503, faulted=False)
    second = admin.request("POST", "/faults", json={"kind": "status", "status": 500, "path_pattern": path})
    fault_id = second.json().get("id") if second.status_code == 201 else None
    ctx.verify(fault_answers, response=_probe(ctx, path), status=500, faulted=True)
    admin.request("DELETE", f"/faults/{fault_id}")
    ctx.verify(fault_answers, response=_probe(ctx, path), status=500, faulted=False)


@scenario(API, rules=["TL-D02", "TL-D05"])
def invalid_definitions_refused(ctx: ScenarioContext) -> None:
    """Unknown kinds, probabilities outside 0–1, negative latencies, regexes that do not compile, bad times: 400."""
    admin = ctx.target
    for definition in ({"kind": "explode"}, {"kind": "drop", "probability": 1.5}, {"kind": "latency", "ms": -1},
                       {"kind": "drop", "path_pattern": "(["}):
        ctx.verify(invalid_definition_refused, response=admin.request("POST", "/faults", json=definition))
    for query in ({"since": "yesterday"}, {"until": "2024-03-15T10:00:00"}):
        ctx.verify(invalid_definition_refused, response=admin.request("GET", "/requests", params=query))
