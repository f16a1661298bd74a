"""Pixee imports (seed 003): jobs with dry runs, pause/resume/cancel, logs, preview, cron automations."""

from __future__ import annotations

import asyncio
import logging
import math

from mock_server.imports.timeline import configured_flow
from mock_server.vendors.base import Vendor, api_key_banner, envelope
from mock_server.vendors.pixee import automations, jobs, persist, rules

log = logging.getLogger(__name__)

# `{"detail": text, "code": code}` (the seed shows no error body, DECISIONS.md PX-D02).
render_error = envelope(lambda code, message: {"detail": message, "code": code})


def seed(fixtures: dict) -> dict[str, list]:
    return {rules.PRODUCTS: fixtures.get("products", []), rules.AUTOMATIONS: fixtures.get("automations", [])}


def setup(runtime) -> None:
    for table, key in ((rules.PRODUCTS, "ean"), (rules.JOBS, "id"), (rules.AUTOMATIONS, "id")):
        runtime.store.declare_index(table, key)
    state = runtime.state["pixee"]
    state["flow"] = configured_flow(rules.FLOW, runtime.config.timings, "pixee", frozenset({"source_deadline_seconds"}))
    state["jobs"] = {}
    state["scheduler_lock"] = asyncio.Lock()
    state["next_automation_at"] = -math.inf  # unknown: the next clock move looks at every automation


async def _run_due_logged(runtime) -> None:
    try:
        await automations.run_due(runtime)
    except Exception:  # a bug must not vanish with its background task: logged; the next tick tries again
        log.exception("running due Pixee automations failed")


async def tick(runtime, wait: bool = True) -> None:
    """Bring Pixee up to the clock (the runtime calls this when the clock moves): due automations run, moving
    jobs apply their rows. An admin advance (`wait`) waits for the runs it made due, their source fetches
    included (each within its 30 s deadline), so manual mode stays deterministic; the real-mode ticker runs them
    in a background task and goes on applying rows meanwhile (ENG-D11)."""
    if wait:
        await automations.run_due(runtime)
    else:
        state = runtime.state["pixee"]
        running = state.get("runs_task")
        if running is None or running.done():
            state["runs_task"] = asyncio.get_running_loop().create_task(_run_due_logged(runtime))
    await jobs.progress(runtime, wait)


def on_reset(runtime) -> None:
    jobs.forget_all(runtime)
    automations.reschedule(runtime)


VENDOR = Vendor(
    name="pixee",
    spec="pixee",
    handlers="mock_server.vendors.pixee.handlers",
    render_error=render_error,
    seed=seed,
    setup=setup,
    banner=api_key_banner,
    on_reset=on_reset,
    on_clock=tick,
    persist=(persist.dump, persist.restore),
    problems=automations.problems,
)
