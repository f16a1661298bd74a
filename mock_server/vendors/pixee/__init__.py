"""Pixee imports (seed 003): jobs with dry runs, pause/resume/cancel, logs, preview, cron automations."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from mock_server.app_errors import schema_error
from mock_server.errors import FakeError
from mock_server.specs import Messages
from mock_server.vendors.base import Rendered, Vendor, api_key_banner, envelope
from mock_server.vendors.pixee import automations, jobs, persist, rules, state

if TYPE_CHECKING:  # the runtime imports the vendor registry
    from mock_server.runtime import Runtime

log = logging.getLogger(__name__)

# `{"detail": text, "code": code}` (the seed shows no error body, DECISIONS.md PX-D02).
_envelope = envelope(lambda code, message: {"detail": message, "code": code})


def _explained(error: FakeError, messages: Messages) -> FakeError:
    """A `file_source` the spec's oneOf refused, said as the fields its type needs (or the type not known)."""
    context = schema_error(error)
    if not (context is not None and list(context.absolute_path) == ["file_source"] and context.validator == "oneOf"):
        return error
    source = context.instance
    problem = automations.source_problem(source, messages)
    if problem is None and isinstance(source, dict):
        known = sorted(rules.SOURCE_FIELDS)
        return error.but(message=f"{source.get('type')!r} is not one of {known} - 'file_source.type'", generic=None)
    return problem or error


def render_error(error: FakeError, messages: Messages) -> Rendered:
    return _envelope(_explained(error, messages), messages)


def seed(fixtures: dict) -> dict[str, list]:
    return {rules.PRODUCTS: fixtures.get("products", []), rules.AUTOMATIONS: fixtures.get("automations", [])}


def setup(runtime: Runtime) -> None:
    for table, key in ((rules.PRODUCTS, "ean"), (rules.JOBS, "id"), (rules.AUTOMATIONS, "id")):
        runtime.store.declare_index(table, key)


async def _run_due_logged(runtime: Runtime) -> None:
    try:
        await automations.run_due(runtime)
    except Exception:  # a bug must not vanish with its background task: logged; the next tick tries again
        log.exception("running due Pixee automations failed")


async def tick(runtime: Runtime, wait: bool = True) -> None:
    """Bring Pixee up to the clock (the runtime calls this when the clock moves): due automations run, moving
    jobs apply their rows. An admin advance (`wait`) waits for the runs it made due, their source fetches
    included (each within its 30 s deadline), so manual mode stays deterministic; the real-mode ticker runs them
    in a background task and goes on applying rows meanwhile (ENG-D11)."""
    if wait:
        await automations.run_due(runtime)
    else:
        live = state.state(runtime)
        if live.runs_task is None or live.runs_task.done():
            live.runs_task = asyncio.get_running_loop().create_task(_run_due_logged(runtime))
    await jobs.progress(runtime, wait)


def on_reset(runtime: Runtime) -> None:
    jobs.forget_all(runtime)
    automations.reschedule(runtime)


VENDOR = Vendor(
    name="pixee",
    spec="pixee",
    handlers="mock_server.vendors.pixee.handlers",
    render_error=render_error,
    seed=seed,
    state=state.create,
    setup=setup,
    banner=api_key_banner,
    on_reset=on_reset,
    on_clock=tick,
    persist=(persist.dump, persist.restore),
    problems=automations.problems,
)
