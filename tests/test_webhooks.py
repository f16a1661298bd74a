"""The webhook dispatcher: real HTTP posts to a local receiver, retries on a manual clock, bounds."""

from __future__ import annotations

import time
from collections import deque
from datetime import UTC, datetime

import pytest

from conformance.loopback import PostRecorder
from mock_server.clock import VirtualClock
from mock_server.webhooks import Delivery, Dispatcher, hmac_sha256, retry_delay

START = datetime(2024, 3, 15, 9, 0, tzinfo=UTC)


class Receiver(PostRecorder):
    """A loopback HTTP server that records every request and answers from a script of (status, delay)."""

    def __init__(self, script: list[tuple[int, float]] | None = None, default: int = 200) -> None:
        super().__init__("test-webhook-receiver")
        self.script = deque(script or [])
        self.default = default

    def respond(self, request: dict) -> tuple[int, dict[str, str]]:
        status, delay = self.script.popleft() if self.script else (self.default, 0.0)
        time.sleep(delay)
        return status, ({"Location": "/elsewhere"} if 300 <= status < 400 else {})


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock("manual", START)


@pytest.fixture
def dispatcher(clock):
    d = Dispatcher(clock, workers=2)
    yield d
    d.close()


def test_retry_delays_follow_the_policy():
    assert [retry_delay("linear", 60, 3, n) for n in (1, 2, 3, 4)] == [60, 120, 180, None]
    assert [retry_delay("exponential", 60, 3, n) for n in (1, 2, 3, 4)] == [60, 120, 240, None]
    assert retry_delay("no_retry", 60, 10, 1) is None
    assert retry_delay("linear", 60, 0, 1) is None


def test_unknown_policy_and_bad_bounds_are_refused():
    with pytest.raises(ValueError, match="unknown retry policy"):
        Delivery(webhook_id=1, url="http://127.0.0.1:9/", body=b"", retry_policy="sometimes")
    with pytest.raises(ValueError):
        Delivery(webhook_id=1, url="http://127.0.0.1:9/", body=b"", timeout=0)


def test_a_delivery_posts_body_and_headers_and_is_logged(dispatcher):
    body = b'{"event":"product.updated"}'
    with Receiver() as receiver:
        signature = hmac_sha256("secret", body)
        dispatcher.send(Delivery(webhook_id=7, url=receiver.url(), body=body,
                                 headers={"Content-Type": "application/json", "header-title": "header_value",
                                          "X-Signature": signature}, meta={"event": "product.updated"}))
        assert dispatcher.wait_idle()
    [request] = receiver.requests
    assert request["body"] == body
    assert request["headers"]["header-title"] == "header_value"
    assert request["headers"]["X-Signature"] == signature
    [record] = dispatcher.log(webhook_id=7)
    assert record["outcome"] == "delivered" and record["status_code"] == 200 and record["attempt"] == 1
    assert record["at"] == "2024-03-15T09:00:00Z" and record["meta"] == {"event": "product.updated"}
    assert dispatcher.log(event="product.updated") == [record]


def test_failed_attempts_retry_only_when_the_manual_clock_reaches_them(dispatcher, clock):
    with Receiver(script=[(500, 0), (503, 0)]) as receiver:
        dispatcher.send(Delivery(webhook_id=1, url=receiver.url(), body=b"x", retry_policy="exponential",
                                 retry_interval=60, retry_limit=5))
        assert dispatcher.wait_idle()
        assert len(receiver.requests) == 1
        first = dispatcher.log()[0]
        assert first["outcome"] == "failed" and first["status_code"] == 500
        assert first["next_attempt_at"] == "2024-03-15T09:01:00Z"

        clock.advance(59)
        dispatcher.wake()
        assert dispatcher.wait_idle()
        assert len(receiver.requests) == 1  # not due yet

        clock.advance(1)
        dispatcher.wake()
        assert dispatcher.wait_idle()
        assert len(receiver.requests) == 2
        assert dispatcher.log()[1]["next_attempt_at"] == "2024-03-15T09:03:00Z"  # 120 s after the retry

        clock.advance(120)
        dispatcher.wake()
        assert dispatcher.wait_idle()
    assert [r["outcome"] for r in dispatcher.log()] == ["failed", "failed", "delivered"]
    assert [r["attempt"] for r in dispatcher.log()] == [1, 2, 3]
    assert dispatcher.pending() == 0


def test_retries_stop_at_the_limit(dispatcher, clock):
    with Receiver(default=500) as receiver:
        dispatcher.send(Delivery(webhook_id=1, url=receiver.url(), body=b"x", retry_policy="linear",
                                 retry_interval=60, retry_limit=2))
        for _ in range(5):
            assert dispatcher.wait_idle()
            clock.advance(600)
            dispatcher.wake()
        assert dispatcher.wait_idle()
    assert len(receiver.requests) == 3  # the first attempt and two retries
    assert [r["outcome"] for r in dispatcher.log()] == ["failed", "failed", "gave_up"]
    assert dispatcher.pending() == 0


def test_no_retry_gives_up_at_once(dispatcher, clock):
    with Receiver(default=500) as receiver:
        dispatcher.send(Delivery(webhook_id=1, url=receiver.url(), body=b"x", retry_policy="no_retry",
                                 retry_limit=10))
        assert dispatcher.wait_idle()
        clock.advance(86_400)
        dispatcher.wake()
        assert dispatcher.wait_idle()
    assert len(receiver.requests) == 1
    assert [r["outcome"] for r in dispatcher.log()] == ["gave_up"]


def test_a_redirect_is_not_followed(dispatcher):
    with Receiver(script=[(302, 0)]) as receiver:
        dispatcher.send(Delivery(webhook_id=1, url=receiver.url(), body=b"x"))
        assert dispatcher.wait_idle()
    assert [r["path"] for r in receiver.requests] == ["/hook"]
    assert dispatcher.log()[0]["status_code"] == 302 and dispatcher.log()[0]["outcome"] == "gave_up"


def test_a_slow_receiver_times_out_and_an_unreachable_one_fails(dispatcher):
    with Receiver(script=[(200, 1.5)]) as receiver:
        dispatcher.send(Delivery(webhook_id=1, url=receiver.url(), body=b"x", timeout=0.2))
        dispatcher.send(Delivery(webhook_id=2, url="http://127.0.0.1:1/nothing-listens", body=b"x"))
        dispatcher.send(Delivery(webhook_id=3, url="not a url at all", body=b"x"))
        assert dispatcher.wait_idle(timeout=10)
    by_id = {r["webhook_id"]: r for r in dispatcher.log()}
    assert "Timeout" in by_id[1]["error"] and by_id[1]["status_code"] is None
    assert by_id[2]["outcome"] == "gave_up" and by_id[2]["error"]
    assert by_id[3]["outcome"] == "gave_up" and by_id[3]["error"]


def test_send_never_waits_for_the_receiver(dispatcher):
    with Receiver(script=[(200, 1.0)]) as receiver:
        started = time.monotonic()
        dispatcher.send(Delivery(webhook_id=1, url=receiver.url(), body=b"x"))
        assert time.monotonic() - started < 0.5
        assert dispatcher.wait_idle()


def test_a_full_queue_drops_and_says_so(clock):
    d = Dispatcher(clock, workers=1, max_pending=2)
    try:
        # Scheduled in the future on a manual clock, these stay queued: the third is over the bound.
        for webhook in (1, 2):
            with d._cond:
                d._push(Delivery(webhook_id=webhook, url="http://127.0.0.1:1/", body=b""), webhook, 2,
                        clock.now() + 60)
        d.send(Delivery(webhook_id=3, url="http://127.0.0.1:1/", body=b""))
        assert [(r["webhook_id"], r["outcome"]) for r in d.log()] == [(3, "dropped")]
    finally:
        d.close()


def test_reset_forgets_queued_retries_and_the_log(dispatcher, clock):
    with Receiver(default=500) as receiver:
        dispatcher.send(Delivery(webhook_id=1, url=receiver.url(), body=b"x", retry_policy="linear",
                                 retry_interval=60, retry_limit=3))
        assert dispatcher.wait_idle()
        dispatcher.reset()
        clock.advance(3600)
        dispatcher.wake()
        assert dispatcher.wait_idle()
    assert len(receiver.requests) == 1
    assert dispatcher.log() == [] and dispatcher.pending() == 0


def test_the_real_clock_retries_by_itself():
    clock = VirtualClock("real", START)
    d = Dispatcher(clock, workers=1)
    try:
        with Receiver(script=[(500, 0)]) as receiver:
            d.send(Delivery(webhook_id=1, url=receiver.url(), body=b"x", retry_policy="linear",
                            retry_interval=0.3, retry_limit=1))
            deadline = time.monotonic() + 10
            while len(receiver.requests) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert d.wait_idle()
        assert [r["outcome"] for r in d.log()] == ["failed", "delivered"]
    finally:
        d.close()
