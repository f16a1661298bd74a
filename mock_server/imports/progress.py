"""Which import jobs the clock has set moving: the core's index, so no request scans every job.

Rows reach a catalogue only as the clock processes them, and only through the clock's progression: an admin
clock advance (manual mode, awaited: what it made due is applied before it answers) or the runtime's ticker (real
mode). A request reads what the progression has applied; it never writes rows for being the first to look
(README "Imports run side by side"). A job enters the index with the instant its rows start moving; the
progression takes the jobs due by the clock, oldest first, and drops each once it has nothing more to apply, so a
clock move costs what is due, not the number of jobs held.
"""

from __future__ import annotations

import heapq
import itertools


class Progress:
    def __init__(self) -> None:
        self._waiting: list[tuple[float, int, str, str]] = []  # (due, seq, vendor, job id), a heap
        self._moving: dict[str, dict[str, tuple[float, int]]] = {}  # vendor -> job id -> (order, seq)
        self._seq = itertools.count()

    def schedule(self, vendor: str, job_id: str, due: float, order: float) -> None:
        """`job_id`'s rows start moving at `due`; jobs moving together are applied by `order` (their creation)."""
        heapq.heappush(self._waiting, (due, next(self._seq), vendor, job_id + "\0" + repr(order)))

    def due(self, vendor: str, now: float) -> list[str]:
        """The vendor's jobs whose rows the clock has set moving and that still have rows to apply, oldest first."""
        while self._waiting and self._waiting[0][0] <= now:
            _, seq, owner, key = heapq.heappop(self._waiting)
            job_id, order = key.split("\0")
            self._moving.setdefault(owner, {})[job_id] = (float(order), seq)
        moving = self._moving.get(vendor, {})
        return sorted(moving, key=moving.__getitem__)

    def done(self, vendor: str, job_id: str) -> None:
        """Nothing more to apply for `job_id` (finished, cancelled, failed)."""
        self._moving.get(vendor, {}).pop(job_id, None)

    def held(self) -> int:
        return len(self._waiting) + sum(len(jobs) for jobs in self._moving.values())

    def forget(self, vendor: str) -> None:
        """A reset of `vendor`: none of its jobs will move any more."""
        self._waiting = [entry for entry in self._waiting if entry[2] != vendor]
        heapq.heapify(self._waiting)
        self._moving.pop(vendor, None)
