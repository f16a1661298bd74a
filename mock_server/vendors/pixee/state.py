"""Pixee's live state outside the store: its import flow, the jobs in memory, the automation scheduler."""

from __future__ import annotations

import asyncio
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mock_server.imports.timeline import Flow, configured_flow
from mock_server.vendors.pixee import rules

if TYPE_CHECKING:
    from mock_server.runtime import Runtime
    from mock_server.vendors.pixee.jobs import JobState

NAME = "pixee"


@dataclass
class PixeeState:
    flow: Flow  # the import timings, as configured (README "Import timings")
    jobs: dict[str, JobState] = field(default_factory=dict)  # job id -> what is held in memory while it runs
    scheduler_lock: asyncio.Lock = field(default_factory=asyncio.Lock)  # one automation run at a time
    next_automation_at: float = -math.inf  # unknown: the next clock move looks at every automation
    # the real-mode ticker's background run of due automations (ENG-D11), while it runs
    runs_task: asyncio.Task | None = None


def create(runtime: Runtime) -> PixeeState:
    return PixeeState(configured_flow(rules.FLOW, runtime.config.timings, NAME, frozenset({"source_deadline_seconds"})))


def state(rt: Runtime) -> PixeeState:
    return rt.state_of(NAME, PixeeState)
