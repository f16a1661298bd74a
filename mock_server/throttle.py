"""Maintenance mode and per-token rate limits, per API: what the admin API switches and the middleware applies.

A rate limit is `requests` per fixed window of `per_seconds` on the virtual clock, counted per presented
token (the Authorization header, or none), so a test steps through a window deterministically with the
manual clock. Both are off unless the config or the admin API turns them on.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class RateLimit:
    requests: int
    per_seconds: float

    def __post_init__(self) -> None:
        if self.requests < 1 or not (0 < self.per_seconds < math.inf):
            raise ValueError("a rate limit needs requests >= 1 and a positive, finite per_seconds")


class Throttle:
    def __init__(self, configured: Mapping[str, Mapping] | None = None) -> None:
        self._configured = {api: RateLimit(**limit) for api, limit in (configured or {}).items()}
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self.maintenance: set[str] = set()
            self.limits: dict[str, RateLimit] = dict(self._configured)
            self._counts: dict[tuple[str, str, int], int] = {}

    def set_maintenance(self, api: str, enabled: bool) -> None:
        with self._lock:
            (self.maintenance.add if enabled else self.maintenance.discard)(api)

    def set_limit(self, api: str, limit: RateLimit | None) -> None:
        with self._lock:
            if limit is None:
                self.limits.pop(api, None)
            else:
                self.limits[api] = limit
            self._counts = {k: v for k, v in self._counts.items() if k[0] != api}

    def retry_after(self, api: str, token: str, now: float) -> int | None:
        """Count one request; None when it may pass, else the seconds until its window ends."""
        limit = self.limits.get(api)
        if limit is None:
            return None
        window = int(now // limit.per_seconds)
        key = (api, token, window)
        with self._lock:
            if len(self._counts) > 10_000:  # forget past windows
                self._counts = {k: v for k, v in self._counts.items() if k[2] >= window}
            count = self._counts.get(key, 0) + 1
            self._counts[key] = count
        if count <= limit.requests:
            return None
        return max(1, math.ceil((window + 1) * limit.per_seconds - now))

    def snapshot(self) -> dict:
        return {"maintenance": sorted(self.maintenance),
                "rate_limits": {api: {"requests": lim.requests, "per_seconds": lim.per_seconds}
                                for api, lim in sorted(self.limits.items())}}
