"""The virtual clock: what every time-dependent answer of the fake is a function of.

`real` follows wall time (plus whatever was advanced); `manual` stands still until advanced, so the
same uploads and the same advances give the same observations on every machine.
"""

from __future__ import annotations

import functools
import math
import threading
import time
from datetime import UTC, datetime

LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()


class VirtualClock:
    def __init__(self, mode: str, start: datetime) -> None:
        if mode not in ("real", "manual"):
            raise ValueError(f"unknown clock mode {mode!r}")
        self.mode = mode
        self._lock = threading.Lock()
        self._offset = 0.0
        self._manual_now = start.timestamp()

    def now(self) -> float:
        """Seconds since the epoch, on the virtual clock."""
        if self.mode == "manual":
            return self._manual_now
        return time.time() + self._offset

    def now_dt(self) -> datetime:
        return datetime.fromtimestamp(self.now(), tz=UTC)

    def advance(self, seconds: float) -> float:
        if not math.isfinite(seconds) or seconds < 0:
            raise ValueError("the clock only moves forward, by a finite number of seconds")
        if self.now() + seconds > LATEST:
            raise ValueError("the clock cannot pass 9999-12-31T23:59:59Z")
        with self._lock:
            if self.mode == "manual":
                self._manual_now += seconds
            else:
                self._offset += seconds
        return self.now()

    def state(self) -> dict:
        """What a restart needs to go on from here (`--data`)."""
        return {"mode": self.mode, "manual_now": self._manual_now, "offset": self._offset}

    def restore(self, state: dict) -> None:
        """Go on from a saved `state()`: a manual clock where it stood, a real one with the same advance."""
        with self._lock:
            self._manual_now = float(state["manual_now"])
            self._offset = float(state["offset"])

    def snapshot(self) -> dict:
        return {"mode": self.mode, "now": iso(self.now()), "epoch": self.now()}


def iso(epoch: float | None) -> str | None:
    """RFC 3339 with a `Z`, to the second, as the seeds write timestamps."""
    return None if epoch is None else _iso_second(int(epoch))


@functools.lru_cache(maxsize=4096)
def _iso_second(second: int) -> str:
    return datetime.fromtimestamp(second, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
