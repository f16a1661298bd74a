"""Wizart's live state outside the store: settings, token tables, issued tokens, and the import queue."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mock_server.auth import IssuedTokens
from mock_server.vendors.wizart import rules

if TYPE_CHECKING:
    from mock_server.runtime import Runtime
    from mock_server.vendors.wizart.imports import ImportState

NAME = "wizart"


def issued_tokens() -> IssuedTokens:
    return IssuedTokens("wzat_")  # issued access tokens, dropped from memory once expired


@dataclass
class Queue:
    """Where the import queue stands: the next import (by sequence) to place, and when each worker is free."""

    next: int = 0
    free: list[float] = field(default_factory=list)  # a heap of the times the busy workers become free


@dataclass
class WizartState:
    settings: rules.Settings  # Config.timings["wizart"]
    accepted: dict[str, tuple[str, ...]]  # operationId -> the token kinds it takes (x-token-types)
    accounts: dict[str, str]  # fixture account token -> its kind
    queue_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    tokens: IssuedTokens = field(default_factory=issued_tokens)
    imports: dict[str, ImportState] = field(default_factory=dict)  # import id -> its live side
    order: list[str] = field(default_factory=list)  # import ids by sequence
    queue: Queue = field(default_factory=Queue)
    product_ids: list[int] = field(default_factory=list)  # every product listed, in listing order


def state(rt: Runtime) -> WizartState:
    return rt.state_of(NAME, WizartState)
