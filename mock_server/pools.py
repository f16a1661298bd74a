"""Process-wide worker pools: a fixed number of threads serving every tenant's queued work, tenants in turn.

Each tenant's import engine and webhook dispatcher is a `Member` of its process's pool (`Shared.import_pool`,
`Shared.delivery_pool`): the member keeps its own queue, order rules and bookkeeping; the pool only decides whose
turn it is. A free thread takes the waiting member that has used the least thread time, asks it for one unit of
work (an import slice, one delivery attempt) and runs it outside the lock. So tenants with work share the threads
evenly, and a tenant's single import is never queued behind a neighbour's fifty (openapi/DECISIONS.md POOL-D01).

The pool's condition (`cond`) is also every member's lock: a member changes its queue holding it, and calls
`offer(self)` when it may have work. Threads start on the first offer, at most `workers` of them, and stay.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
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
    """At most `workers` threads, shared by every member; the member that has used the least thread time goes next.

    Fair queuing on thread time: each member with work carries the seconds its units have used (`_used`); a free
    thread serves the member with the least (ties: the one waiting longest) and charges it the unit's duration. A
    member that starts having work joins at the pool's virtual time (`_vtime`, the charge of the last member
    served), so it goes next — a tenant's first import waits for the slices under way, not for a round of every
    busy neighbour — but it cannot bank the time it spent idle."""

    def __init__(self, name: str, workers: int) -> None:
        self.name = name
        self.workers = max(1, workers)
        self.cond = threading.Condition()
        self._waiting: dict[int, Member] = {}  # id() -> member that may have work, in the order they joined
        self._used: weakref.WeakKeyDictionary[Member, float] = weakref.WeakKeyDictionary()
        self._vtime = 0.0
        self._threads: list[threading.Thread] = []
        self._stopping = False

    def offer(self, member: Member) -> None:
        """`member` may have work (call holding `cond`): it joins the waiting members if not among them."""
        if id(member) not in self._waiting:
            self._waiting[id(member)] = member
            self._used[member] = max(self._used.get(member, 0.0), self._vtime)
        self.cond.notify()
        self._stopping = False  # work given after a stop starts the threads again
        self._threads = [t for t in self._threads if t.is_alive()]
        while len(self._threads) < self.workers:
            thread = threading.Thread(target=self._serve, name=f"pimkit-{self.name}-{len(self._threads)}",
                                      daemon=True)
            self._threads.append(thread)
            thread.start()

    def leave(self, member: Member) -> None:
        """Take `member` out of the waiting members (call holding `cond`): a tenant going away."""
        self._waiting.pop(id(member), None)

    def threads(self) -> int:
        return sum(t.is_alive() for t in self._threads)

    def members_waiting(self) -> int:
        with self.cond:
            return len(self._waiting)

    def stop(self) -> None:
        """End the threads (the process is closing); a later `offer` starts them again."""
        with self.cond:
            self._stopping = True
            self.cond.notify_all()
            threads, self._threads = self._threads, []
        for thread in threads:
            if thread is not threading.current_thread():
                thread.join(timeout=DRAIN_SECONDS)

    def _next(self) -> tuple[Member, Callable[[], None]] | None:
        """The next member's unit, the least served first; None once stopping. Called holding `cond`."""
        used = self._used.get
        while not self._stopping:
            if self._waiting:
                least = min(self._waiting.values(), key=lambda m: used(m, 0.0))  # the first such in join order
                others = sorted((m for m in self._waiting.values() if m is not least), key=lambda m: used(m, 0.0))
                for member in (least, *others) if len(self._waiting) > 1 else (least,):
                    unit = member.take()
                    if not member.has_work():
                        del self._waiting[id(member)]
                    if unit is not None:
                        self._vtime = max(self._vtime, used(member, 0.0))
                        return member, unit
            hints = [hint for member in self._waiting.values() if (hint := member.wait_hint()) is not None]
            self.cond.wait(min(hints) if hints else None)
        return None

    def _serve(self) -> None:
        while True:
            with self.cond:
                turn = self._next()
            if turn is None:
                return
            member, unit = turn
            started = time.perf_counter()
            try:
                unit()
            except Exception:  # a member's bug must not kill a thread every tenant shares
                log.exception("a unit of %s work crashed", self.name)
            with self.cond:
                if member in self._used:
                    self._used[member] += time.perf_counter() - started
