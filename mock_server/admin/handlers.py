"""Admin operations: one small task each (WireMock's admin API as the model)."""

from __future__ import annotations

from typing import Any

from mock_server.context import runtime
from mock_server.errors import BadRequest
from mock_server.responses import json_response


async def health():
    rt = runtime()
    apis = {name: v.prefix for name, v in rt.vendors.items()}
    body: dict[str, Any] = {"status": "ok", "apis": apis, "clock": rt.clock.snapshot()}
    if rt.saver is not None:  # `--data`: a failing log or compaction turns the fake `degraded`, with the reason
        body["persistence"] = rt.saver.health()
        if body["persistence"]["status"] != "ok":
            body["status"] = "degraded"
    problems = [p for v in rt.vendors.values() if v.problems is not None for p in v.problems(rt)]
    if problems:  # a vendor's own failure (a failing automation): served, but something needs a look (ENG-D09)
        body["status"], body["problems"] = "degraded", problems
    return json_response(body)


async def reset():
    runtime().reset()
    return json_response({"status": "reset"})


async def get_clock():
    return json_response(runtime().clock.snapshot())


async def advance_clock(body: dict):
    rt = runtime()
    try:
        rt.clock.advance(float(body["seconds"]))
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc
    await rt.clock_moved()
    return json_response(rt.clock.snapshot())


# The integrator tooling's operations live beside these (one module per concern), resolved from here.
from mock_server.admin.tooling import (  # noqa: E402,F401
    add_fault,
    clear_faults,
    clear_requests,
    count_requests,
    delete_fault,
    find_requests,
    get_request,
    list_faults,
    list_requests,
    list_unmatched_requests,
    load_data,
    verify_requests,
)


# --- maintenance mode and rate limits (mock_server/throttle.py) -----------------------------------
def _known_api(api: str) -> str:
    if api not in runtime().vendors:
        raise BadRequest(f"Unknown API {api!r}; known: {', '.join(runtime().vendors)}.")
    return api


async def get_throttle():
    return json_response(runtime().throttle.snapshot())


async def set_maintenance(body: dict):
    """Switch an API's maintenance mode: every request to it answers 503 while on."""
    rt = runtime()
    rt.throttle.set_maintenance(_known_api(body["api"]), body["enabled"])
    return json_response(rt.throttle.snapshot())


async def set_rate_limit(body: dict):
    """Set (or, with `requests: null`, remove) an API's per-token rate limit: past it, 429 with Retry-After."""
    from mock_server.throttle import RateLimit

    rt = runtime()
    api = _known_api(body["api"])
    limit = None if body.get("requests") is None else RateLimit(body["requests"], body.get("per_seconds", 60))
    rt.throttle.set_limit(api, limit)
    return json_response(rt.throttle.snapshot())


# --- outgoing webhook deliveries (mock_server/webhooks.py; Jasper's webhooks) ---------------------------------------
async def webhook_deliveries(**filters):
    """The dispatcher's attempt log, filtered by api, webhook_id, outcome or event (fields or meta fields)."""
    dispatcher = runtime().webhooks
    match = {k: v for k, v in filters.items() if k in ("api", "webhook_id", "outcome", "event") and v is not None}
    return json_response({"deliveries": dispatcher.log(**match), "pending": dispatcher.pending()})



# Tenants and snapshots (mock_server/tenants.py).
from mock_server.admin.tenants import (  # noqa: E402,F401
    delete_snapshot,
    delete_tenant,
    list_snapshots,
    list_tenants,
    restore_snapshot,
    save_snapshot,
)
