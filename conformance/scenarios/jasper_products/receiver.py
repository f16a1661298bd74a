"""A loopback HTTP server the webhook scenarios run themselves: it records every POST and answers a fixed status.

The target must be able to reach 127.0.0.1 on the suite's machine, which holds when the target runs there too
(`loopback_target`); otherwise the delivery scenarios are skipped with that reason.
"""

from __future__ import annotations

import ipaddress
import time
from urllib.parse import urlsplit

from conformance.loopback import PostRecorder


def loopback_target(base_url: str) -> bool:
    host = urlsplit(base_url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class HookReceiver(PostRecorder):
    """Records every POST and answers `status`."""

    def __init__(self, status: int = 200) -> None:
        super().__init__("pim-conformance-hooks")
        self.status = status

    def respond(self, request: dict) -> tuple[int, dict[str, str]]:
        return self.status, {}

    def wait_for(self, count: int, timeout: float = 10.0) -> int:
        """Until `count` posts arrived or `timeout` passed; the number seen."""
        deadline = time.monotonic() + timeout
        while self.count() < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.count()

    def settle(self, quiet: float = 0.4) -> int:
        """Let posts that are on their way arrive: wait until none came for `quiet` seconds."""
        seen = self.count()
        while True:
            time.sleep(quiet)
            now = self.count()
            if now == seen:
                return now
            seen = now

    def mentioning(self, text: str) -> int:
        """How many posts so far carry `text` in their body (a write's own marker: counts no other write's)."""
        needle = text.encode()
        with self._lock:
            return sum(needle in request["body"] for request in self.requests)

    def wait_for_text(self, text: str, timeout: float = 10.0) -> int:
        """Until a post carrying `text` arrived or `timeout` passed; how many carry it."""
        deadline = time.monotonic() + timeout
        while not self.mentioning(text) and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.mentioning(text)
