"""Pixee imports (seed 003): jobs with dry runs, pause/resume/cancel, logs, preview, cron automations."""

from __future__ import annotations

import asyncio

from mock_server.errors import FakeError, Unauthorized
from mock_server.specs import Messages
from mock_server.vendors.base import Vendor
from mock_server.vendors.pixee import automations, jobs, rules


def render_error(error: FakeError, messages: Messages) -> tuple[dict, str]:
    """`{"detail": text, "code": code}` (the seed shows no error body, DECISIONS.md PX-D02)."""
    message = error.message
    if error.extra.get("generic"):
        params = {k: v for k, v in error.extra.items() if k != "generic"}
        message = messages.get("requests", error.code, default=error.message, detail=error.message, **params)
    if isinstance(error, Unauthorized):
        error.headers.setdefault("WWW-Authenticate", "Bearer")
    return {"detail": message, "code": error.code}, "application/json"


def seed(fixtures: dict) -> dict[str, list]:
    return {rules.PRODUCTS: fixtures.get("products", []), rules.AUTOMATIONS: fixtures.get("automations", [])}


def setup(runtime) -> None:
    for table, key in ((rules.PRODUCTS, "ean"), (rules.JOBS, "id"), (rules.AUTOMATIONS, "id")):
        runtime.store.declare_index(table, key)
    state = runtime.state["pixee"]
    state["timings"] = rules.Timings().with_overrides(runtime.config.timings.get("pixee", {}))
    state["jobs"] = {}
    state["scheduler_lock"] = asyncio.Lock()


async def tick(runtime) -> None:
    """Bring Pixee up to the clock: due automations run, processing jobs apply their rows."""
    await automations.run_due(runtime)
    await jobs.catch_up(runtime)


def banner(fixtures: dict) -> list[str]:
    return [f"Authorization: Bearer {key}" for key in fixtures["credentials"]["api_keys"]]


VENDOR = Vendor(
    name="pixee",
    spec="pixee",
    handlers="mock_server.vendors.pixee.handlers",
    render_error=render_error,
    seed=seed,
    setup=setup,
    banner=banner,
    on_reset=jobs.forget_all,
    on_clock=tick,
)
