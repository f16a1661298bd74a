"""Outgoing webhooks: delivered for real, off the request path, retried on the virtual clock.

A vendor builds a `Delivery` (where, what, how to retry) and hands it to `Dispatcher.send`, which returns at once:
the write that caused the event never waits for, nor fails because of, its delivery. Each tenant has one
`Dispatcher` (its queue, on its clock, and its log); the posts are made by the process's one `DeliveryPool`
(`Shared.delivery_pool`, `mock_server/pools.py`), a few threads serving the tenants in turn, one attempt each, and
at most `workers` of one tenant's attempts at once and one of a webhook's (POOL-D03). An attempt is posted with a
timeout and without following redirects, recorded in a bounded log, and a failed one is scheduled again at
`clock.now() + retry_delay(...)` — so with a manual clock a retry happens when the clock is advanced past it, and
with the real clock when that time comes. A webhook's attempts are posted one at a time, in the order they fall due,
so its receiver gets them in that order.

What the vendor decides (the body, the signature header, which events fire) stays in the vendor; this module
knows only HTTP, time and bounds.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import hmac
import itertools
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import httpx

from mock_server.clock import VirtualClock, iso
from mock_server.pools import DRAIN_SECONDS, FairPool

# The process's webhook threads (Config.webhook_workers, README "Tenants"): posts mostly wait on the network,
# so a few more than the cores.
DEFAULT_POOL_WORKERS = 4

# Retry policy -> delay before retry n (n = 1 for the first retry) from the minimum interval.
RETRY_DELAYS: dict[str, Callable[[float, int], float] | None] = {
    "linear": lambda interval, n: interval * n,
    "exponential": lambda interval, n: interval * 2 ** (n - 1),
    "no_retry": None,
}


def retry_delay(policy: str, interval: float, limit: int, retry: int) -> float | None:
    """Seconds to wait before retry number `retry`, or None when there is none (no_retry, or past the limit)."""
    delays = RETRY_DELAYS[policy]
    if delays is None or retry > limit:
        return None
    return float(delays(interval, retry))


def hmac_sha256(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Delivery:
    webhook_id: object
    url: str
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    timeout: float = 3.0
    retry_policy: str = "no_retry"
    retry_interval: float = 60.0
    retry_limit: int = 0
    # What the vendor wants to find again in the log (event name, entity type and id, …).
    meta: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.retry_policy not in RETRY_DELAYS:
            raise ValueError(f"unknown retry policy {self.retry_policy!r}; known: {', '.join(RETRY_DELAYS)}")
        if self.timeout <= 0 or self.retry_interval < 0 or self.retry_limit < 0:
            raise ValueError("timeout must be positive; retry interval and limit not negative")


def attempt_outcome(status_code: int | None) -> str:
    """An attempt is `delivered` on any 2xx; a redirect is not followed, so it fails like any other answer."""
    return "delivered" if status_code is not None and 200 <= status_code < 300 else "failed"


@dataclass(order=True)
class _Due:
    at: float
    seq: int
    delivery: Delivery = field(compare=False)
    attempt: int = field(compare=False)
    delivery_id: int = field(compare=False)
    generation: int = field(compare=False)


class DeliveryPool(FairPool):
    """The process's webhook threads and their one HTTP client (connections kept alive across tenants)."""

    def __init__(self, workers: int = DEFAULT_POOL_WORKERS, transport: httpx.BaseTransport | None = None) -> None:
        super().__init__("webhooks", workers)
        self._transport = transport
        self._client: httpx.Client | None = None  # made with the first delivery: start-up stays cheap

    def client(self) -> httpx.Client:
        with self.cond:
            if self._client is None:
                self._client = httpx.Client(follow_redirects=False, transport=self._transport)
            return self._client

    def stop(self) -> None:
        super().stop()
        with self.cond:
            client, self._client = self._client, None
        if client is not None:
            client.close()


class Dispatcher:
    """One tenant's bounded queue of due deliveries and bounded log of attempts, posted by a `DeliveryPool`."""

    def __init__(self, clock: VirtualClock, *, workers: int = 2, max_pending: int = 10_000,
                 log_size: int = 10_000, transport: httpx.BaseTransport | None = None,
                 pool: DeliveryPool | None = None) -> None:
        self.clock = clock
        self.workers = workers  # at most this many of this tenant's attempts are posted at once
        self.max_pending = max_pending
        # the process's pool (Shared.delivery_pool); one of its own, with `workers` threads, when none is given
        self.pool = pool if pool is not None else DeliveryPool(workers, transport)
        self._own_pool = pool is None
        self._log: deque[dict] = deque(maxlen=log_size)
        self._heap: list[_Due] = []
        self._cond = self.pool.cond  # the pool's lock guards the queue and the log
        self._seq = itertools.count(1)
        self._ids = itertools.count(1)
        self._generation = 0
        self._in_flight = 0
        self._posting: set[object] = set()  # webhooks with an attempt under way
        self._closed = False

    # -- what vendors and the admin API call ------------------------------------------------------------

    def send(self, delivery: Delivery) -> int:
        """Queue a first attempt, due now; returns the delivery's id. Never blocks on the network."""
        delivery_id = next(self._ids)
        with self._cond:
            if len(self._heap) >= self.max_pending:
                self._record(delivery, delivery_id, 1, outcome="dropped", error="the delivery queue is full")
                return delivery_id
            self._closed = False  # a delivery after a close is served again
            self._push(delivery, delivery_id, attempt=1, at=self.clock.now())
        return delivery_id

    def log(self, **match: object) -> list[dict]:
        """Attempts, oldest first; `match` keeps those whose fields (or `meta` fields) equal the given values."""
        with self._cond:
            records = list(self._log)
        return [r for r in records if all(r.get(k, r["meta"].get(k)) == v for k, v in match.items())]

    def pending(self) -> int:
        with self._cond:
            return len(self._heap) + self._in_flight

    def wake(self) -> None:
        """The clock moved: let the pool look for retries that fell due."""
        with self._cond:
            if self._heap:
                self.pool.offer(self)
            self._cond.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Until nothing is due now nor being posted (retries scheduled later do not count)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._due_now() and self._in_flight == 0, timeout)

    def reset(self) -> None:
        """Forget every queued retry and every log record; posts already under way are not recorded."""
        with self._cond:
            self._heap.clear()
            self._log.clear()
            self._generation += 1
            self._cond.notify_all()

    def close(self) -> None:
        """The tenant is going away: queued deliveries are dropped, and this returns once none of its posts is
        under way (each is bounded by its timeout)."""
        with self._cond:
            self._closed = True
            self._heap.clear()
            self._generation += 1
            self.pool.leave(self)
            self._cond.wait_for(lambda: self._in_flight == 0, DRAIN_SECONDS)
        if self._own_pool:
            self.pool.stop()

    # -- the pool's side (mock_server/pools.py Member; called holding the pool's lock) --------------------------

    def take(self) -> Callable[[], None] | None:
        """The earliest due attempt whose webhook has none under way (a receiver gets its webhook's attempts one at
        a time, in due order); at most `workers` of this tenant's at once."""
        if self._in_flight >= self.workers:
            return None
        now, held, found = self.clock.now(), [], None
        while self._heap and self._heap[0].at <= now:
            due = heapq.heappop(self._heap)
            if due.delivery.webhook_id in self._posting:
                held.append(due)
            else:
                found = due
                break
        for due in held:
            heapq.heappush(self._heap, due)
        if found is None:
            return None
        self._in_flight += 1
        self._posting.add(found.delivery.webhook_id)
        return functools.partial(self._attempt, found)

    def has_work(self) -> bool:
        return bool(self._heap)

    def wait_hint(self) -> float | None:
        """A real clock moves by itself: look again when the earliest retry falls due, at most a second later."""
        if not self._heap or self.clock.mode != "real":
            return None
        return min(max(self._heap[0].at - self.clock.now(), 0.01), 1.0)

    # -- inside ---------------------------------------------------------------------------------------------

    def _push(self, delivery: Delivery, delivery_id: int, attempt: int, at: float) -> None:
        heapq.heappush(self._heap, _Due(at, next(self._seq), delivery, attempt, delivery_id, self._generation))
        self.pool.offer(self)

    def _due_now(self) -> bool:
        return bool(self._heap) and self._heap[0].at <= self.clock.now()

    def _attempt(self, due: _Due) -> None:
        status_code: int | None = None
        error: str | None = "not posted"
        try:
            status_code, error = self._post(due.delivery)
        finally:
            with self._cond:
                self._in_flight -= 1
                self._posting.discard(due.delivery.webhook_id)
                if due.generation == self._generation:
                    self._finish(due, status_code, error)
                if self._heap and not self._closed:
                    self.pool.offer(self)
                self._cond.notify_all()

    def _post(self, delivery: Delivery) -> tuple[int | None, str | None]:
        try:
            response = self.pool.client().post(delivery.url, content=delivery.body, headers=dict(delivery.headers),
                                         timeout=delivery.timeout)
        except httpx.HTTPError as exc:
            return None, f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # a URL httpx cannot even parse: a failed attempt, not a dead worker
            return None, f"{type(exc).__name__}: {exc}"
        return response.status_code, None

    def _finish(self, due: _Due, status_code: int | None, error: str | None) -> None:
        outcome = attempt_outcome(status_code)
        next_at = None
        if outcome == "failed":
            d = due.delivery
            delay = retry_delay(d.retry_policy, d.retry_interval, d.retry_limit, retry=due.attempt)
            if delay is not None:
                next_at = self.clock.now() + delay
                self._push(d, due.delivery_id, due.attempt + 1, next_at)
            else:
                outcome = "gave_up"
        self._record(due.delivery, due.delivery_id, due.attempt, outcome=outcome, status_code=status_code,
                     error=error, next_attempt_at=iso(next_at) if next_at is not None else None)

    def _record(self, delivery: Delivery, delivery_id: int, attempt: int, *, outcome: str,
                status_code: int | None = None, error: str | None = None, next_attempt_at: str | None = None) -> None:
        self._log.append({
            "delivery_id": delivery_id,
            "webhook_id": delivery.webhook_id,
            "attempt": attempt,
            "at": iso(self.clock.now()),
            "url": delivery.url,
            "outcome": outcome,
            "status_code": status_code,
            "error": error,
            "next_attempt_at": next_attempt_at,
            "meta": dict(delivery.meta),
        })
