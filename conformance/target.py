"""The server under test, over HTTP only: requests with or without the token, the first probe, and time.

Time is how long a scenario waits for an import. Against the fake, `/__admin` is detected at run time and
its manual clock is advanced instead of sleeping; against any other server the suite sleeps and polls
until `--timeout`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from conformance.errors import TargetUnreachable, UsageError

DEFAULT = object()  # "use the run's token" in `Target.request(token=...)`
ADMIN_TOKEN_ENV = "PIM_MOCK_ADMIN_TOKEN"  # the fake's `--admin-token`, sent to its /__admin only


def admin_headers() -> dict[str, str]:
    token = os.environ.get(ADMIN_TOKEN_ENV)
    return {"X-Admin-Token": token} if token else {}

# The reason every check skipped for want of the fake's controllable clock starts with (reports count them).
NEEDS_CLOCK = "needs the fake's clock (/__admin), which this target has not"


@dataclass(frozen=True)
class Exchange:
    """One request and its answer, kept so a failure can say which call it came from."""

    method: str
    url: str
    status: int
    request_body: str | None = None

    def describe(self) -> str:
        sent = f" with {self.request_body}" if self.request_body else ""
        return f"{self.method} {self.url}{sent} -> {self.status}"


class Target:
    def __init__(
        self,
        base_url: str,
        token: str | None,  # None: no token yet (an OAuth API asks for one once the target answers)
        *,
        request_timeout: float = 30.0,
        auth_header: str = "Authorization",
        auth_scheme: str = "Bearer",
    ) -> None:
        try:
            parts = urlsplit(base_url)
            parts.port  # noqa: B018 - a port that is not a number raises here
            httpx.URL(base_url)
        except (ValueError, httpx.InvalidURL) as exc:
            raise UsageError(f"--base-url must be an absolute http(s) URL, not {base_url!r}: {exc}") from None
        if parts.scheme not in ("http", "https") or not parts.netloc or not parts.hostname:
            raise UsageError(f"--base-url must be an absolute http(s) URL, not {base_url!r}")
        if token is not None and (not token or any(not (0x21 <= ord(c) <= 0x7E) for c in token)):
            raise UsageError("the token must be visible ASCII characters only: it is sent in a header")
        self.base_url = base_url.rstrip("/")
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.admin_url = f"{self.origin}/__admin"  # the fake's admin API, once `detect_admin` has found it
        self.token = token
        self.auth_header = auth_header
        self.auth_scheme = auth_scheme
        self.client = httpx.Client(timeout=request_timeout, follow_redirects=False)
        self.journal: list[Exchange] = []
        self.clock: Clock = SleepingClock()
        self.last_request: httpx.Request | None = None  # for a failure's curl reproducer
        self.coverage: Any = None  # a conformance.coverage.Coverage told of every answer, when set
        self.credentials: dict[str, str] = {}  # a vendor's other credentials by name (RunConfig.credentials)

    def close(self) -> None:
        self.client.close()

    def headers(self, token: Any = DEFAULT) -> dict[str, str]:
        token = self.token if token is DEFAULT else token
        if token is None:
            return {}
        return {self.auth_header: f"{self.auth_scheme} {token}" if self.auth_scheme else token}

    def request(self, method: str, path: str, *, token: Any = DEFAULT, describe: str | None = None,
                **kwargs: Any) -> httpx.Response:
        """`path` is relative to the base URL; `describe` summarises the body for failure messages."""
        headers = {**self.headers(token), **kwargs.pop("headers", {})}
        url = f"{self.base_url}{path}"
        response = self.client.request(method, url, headers=headers, **kwargs)
        auth = "" if token is DEFAULT else (" without a token" if token is None else " with another token")
        self.journal.append(Exchange(method, str(response.request.url) + auth, response.status_code, describe))
        self.last_request = response.request
        if self.coverage is not None:
            self.coverage.observe(method, str(response.request.url), response.status_code, response.content)
        return response

    def last_exchange(self) -> str:
        return self.journal[-1].describe() if self.journal else "(no request sent)"

    def probe(self) -> None:
        """Any HTTP answer proves the target is there; no answer at all is exit code 3."""
        try:
            self.client.get(self.base_url + "/", headers=self.headers())
        except httpx.TransportError as exc:
            raise TargetUnreachable(f"{self.base_url} is unreachable: {type(exc).__name__}: {exc}") from exc

    def admin_candidates(self) -> list[str]:
        """Where the fake's `/__admin` may be for this base URL, most specific first: under each proper prefix of
        its path, so a tenant's base URL (`…/t/<tenant>/jasper`) finds the tenant's (`…/t/<tenant>/__admin`) and a
        plain one (`…/jasper`) the origin's, with no request more than before."""
        segments = [s for s in urlsplit(self.base_url).path.split("/") if s]
        return [self.origin + "".join("/" + s for s in segments[:n]) + "/__admin"
                for n in range(len(segments) - 1, -1, -1)]

    def detect_admin(self) -> bool:
        """Use the fake's manual clock when its `/__admin/health` says there is one (found by `admin_candidates`).
        A fake started with `--admin-token` wants it: the suite sends `$PIM_MOCK_ADMIN_TOKEN`, to `/__admin` only."""
        for admin_url in self.admin_candidates():
            try:
                response = self.client.get(f"{admin_url}/health", headers=admin_headers())
                body = response.json() if response.status_code == 200 else None
            except (httpx.HTTPError, ValueError):
                continue
            if not isinstance(body, Mapping) or body.get("status") != "ok":
                continue
            self.admin_url = admin_url
            clock = body.get("clock")
            if isinstance(clock, Mapping) and clock.get("mode") == "manual":
                self.clock = AdminClock(self.client, admin_url, headers=admin_headers())
            return True
        return False


class Clock:
    """Lets time pass for the target: `wait(attempt)` before the attempt-th poll; False once out of time.

    `advance(seconds)` lets a set amount of time pass (a scenario that pauses a job watches it stand still
    while time runs), and `now()` is the target's time, so a schedule can be set a little ahead of it.
    """

    def start(self, timeout: float) -> None:
        self.started = time.monotonic()
        self.deadline = self.started + timeout

    def wait(self, attempt: int) -> bool:
        raise NotImplementedError

    def advance(self, seconds: float) -> None:
        raise NotImplementedError

    def now(self) -> float:
        """The target's time, as a POSIX timestamp."""
        return time.time()

    def describe(self, attempts: int) -> str:
        return f"{attempts} polls over {time.monotonic() - self.started:.1f} s"


class SleepingClock(Clock):
    def wait(self, attempt: int) -> bool:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            return False
        time.sleep(min(0.2 * 1.5**attempt, 5.0, remaining))
        return True

    def advance(self, seconds: float) -> None:
        time.sleep(seconds)


class AdminClock(Clock):
    """The fake's virtual clock: advancing it is instant, so waits grow fast but are bounded in count."""

    max_attempts = 25

    def __init__(self, client: httpx.Client, admin_url: str, headers: Mapping[str, str] | None = None) -> None:
        self.client = client
        self.admin_url = admin_url
        self.headers = dict(headers or {})

    def wait(self, attempt: int) -> bool:
        if attempt >= self.max_attempts or time.monotonic() > self.deadline:
            return False
        seconds = min(2.0**attempt, 3600.0)
        response = self.client.post(f"{self.admin_url}/clock/advance", json={"seconds": seconds},
                                    headers=self.headers)
        return response.status_code == 200

    def advance(self, seconds: float) -> None:
        response = self.client.post(f"{self.admin_url}/clock/advance", json={"seconds": seconds},
                                    headers=self.headers)
        response.raise_for_status()

    def now(self) -> float:
        response = self.client.get(f"{self.admin_url}/clock", headers=self.headers)
        response.raise_for_status()
        return float(response.json()["epoch"])

    def describe(self, attempts: int) -> str:
        virtual = sum(min(2.0**n, 3600.0) for n in range(attempts))
        return f"{attempts} advances of the fake's clock ({virtual:.0f} s of virtual time)"
