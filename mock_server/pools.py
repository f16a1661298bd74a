"""Process-wide worker pools: a fixed number of threads serving every tenant's queued work, tenants in turn.

Each tenant's import engine and webhook dispatcher is a `Member` of its process's pool (`Shared.import_pool`,
`Shared.delivery_pool`): the member keeps its own queue, order rules and bookkeeping; the pool only decides whose
turn it is. Members with work wait in a ring; a free thread takes the first, asks it for one unit of work (an
import slice, one delivery attempt), puts it back at the end of the ring if it has more, and runs the unit outside
the lock. So a tenant with 50 queued imports gets one turn in N when N tenants have work, and a tenant's single
import is never queued behind a neighbour's fifty (openapi/DECISIONS.md POOL-D01).

The pool's condition (`cond`) is also every member's lock: a member changes its queue holding it, and calls
`offer(self)` when it may have work. Threads start on the first offer, at most `workers` of them, and stay.
"""

from __future__ import annotations

import collections
import logging
import threading
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger(__name__)

# How long a member's `close` waits for its units already running (a batch being written, a post under way).
DRAIN_SECONDS = 10.0


class Member(Protocol):
    """A tenant's queue served by a `FairPool`. Every method is called holding the pool's `cond`."""

    def take(self) -> Callable[[], None] | None:
        """One unit of work to run now (counted as running by the member), or None when nothing is due."""

    def has_work(self) -> bool:
        """Anything queued, due now or later: False takes the member out of the ring until its next `offer`."""

    def wait_hint(self) -> float | None:
        """Seconds until work may fall due without an `offer` (a retry on a real clock); None: only on an offer."""


class FairPool:
    """At most `workers` threads, shared by every member, members served round-robin one unit at a time."""

    def __init__(self, name: str, workers: int) -> None:
        self.name = name
        self.workers = max(1, workers)
        self.cond = threading.Condition()
        self._ring: collections.deque[Member] = collections.deque()  # members that may have work, next first
        self._listed: set[int] = set()  # id() of the members in the ring
        self._threads: list[threading.Thread] = []
        self._stopping = False

    def offer(self, member: Member) -> None:
        """`member` may have work (call holding `cond`): it joins the ring's end if not in it, a thread wakes."""
        if id(member) not in self._listed:
            self._listed.add(id(member))
            self._ring.append(member)
        self.cond.notify()
        self._stopping = False  # work given after a stop starts the threads again
        self._threads = [t for t in self._threads if t.is_alive()]
        while len(self._threads) < self.workers:
            thread = threading.Thread(target=self._serve, name=f"pimkit-{self.name}-{len(self._threads)}",
                                      daemon=True)
            self._threads.append(thread)
            thread.start()

    def leave(self, member: Member) -> None:
        """Take `member` out of the ring (call holding `cond`): a tenant going away."""
        if id(member) in self._listed:
            self._listed.discard(id(member))
            self._ring.remove(member)

    def threads(self) -> int:
        return sum(t.is_alive() for t in self._threads)

    def members_waiting(self) -> int:
        with self.cond:
            return len(self._ring)

    def stop(self) -> None:
        """End the threads (the process is closing); a later `offer` starts them again."""
        with self.cond:
            self._stopping = True
            self.cond.notify_all()
            threads, self._threads = self._threads, []
        for thread in threads:
            if thread is not threading.current_thread():
                thread.join(timeout=DRAIN_SECONDS)

    def _next(self) -> Callable[[], None] | None:
        """The next unit, the members taking turns; None once stopping. Called holding `cond`."""
        while not self._stopping:
            for _ in range(len(self._ring)):
                member = self._ring.popleft()
                unit = member.take()
                if member.has_work():
                    self._ring.append(member)
                else:
                    self._listed.discard(id(member))
                if unit is not None:
                    return unit
            hints = [hint for member in self._ring if (hint := member.wait_hint()) is not None]
            self.cond.wait(min(hints) if hints else None)
        return None

    def _serve(self) -> None:
        while True:
            with self.cond:
                unit = self._next()
            if unit is None:
                return
            try:
                unit()
            except Exception:  # a member's bug must not kill a thread every tenant shares
                log.exception("a unit of %s work crashed", self.name)
