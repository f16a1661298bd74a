"""The process-wide pools (mock_server/pools.py): every tenant's imports and webhook posts on a bounded set of
threads, tenants taking turns, each tenant's order kept, a tenant going away taking its queued work with it."""

from __future__ import annotations

import multiprocessing
import threading
import time

from test_webhooks import START, Receiver

from mock_server.clock import VirtualClock
from mock_server.imports.engine import ImportEngine, ImportPool, Work
from mock_server.imports.formats import Limits
from mock_server.imports.timeline import CREATED
from mock_server.webhooks import Delivery, DeliveryPool, Dispatcher


def pool_threads(name: str) -> int:
    """Threads of the process named as `FairPool` names them: every tenant's, whoever started them."""
    return sum(thread.name.startswith(f"pimkit-{name}-") for thread in threading.enumerate())


def csv_file(tmp_path, name: str, rows: int):
    path = tmp_path / name
    path.write_text("ean,title\n" + "".join(f"{i},t\n" for i in range(rows)))
    return path


def work(tmp_path, job: str, rows: int = 3, done: list | None = None, prepare=None, lane=None, sink=None) -> Work:
    """A job whose sink counts rows; `done` gets its id once read (in completion order)."""
    def count(batch):
        return [(CREATED, None)] * len(batch)
    return Work(job, csv_file(tmp_path, f"{job}.csv", rows), "csv", sink or count, write_errors=lambda docs: None,
                finish=(lambda: done.append(job)) if done is not None else None, prepare=prepare, lane=lane)


def test_fifty_tenants_importing_use_the_pools_two_threads(tmp_path):
    pool = ImportPool(workers=2)
    before = threading.active_count()
    engines = [ImportEngine(Limits(), pool=pool) for _ in range(50)]
    try:
        for n, engine in enumerate(engines):
            for k in range(3):
                engine.submit(work(tmp_path, f"t{n}-{k}", rows=50))
        assert pool.threads() == 2 and threading.active_count() <= before + 2
        for n, engine in enumerate(engines):
            for k in range(3):
                assert engine.wait(f"t{n}-{k}", timeout=60).outcomes == CREATED * 50
        assert pool.threads() == 2 and threading.active_count() <= before + 2
    finally:
        for engine in engines:
            engine.stop()
        pool.stop()
    assert threading.active_count() <= before


def test_a_tenants_single_import_is_not_queued_behind_a_neighbours_fifty(tmp_path):
    """One thread; tenant A has 50 imports of two turns each queued (500 rows a turn), B uploads one: B's is read
    within A's next two turns, not after A's fifty imports."""
    pool = ImportPool(workers=1)
    a, b = ImportEngine(Limits(), pool=pool), ImportEngine(Limits(), pool=pool)
    done: list[str] = []
    release = threading.Event()
    try:
        a.submit(work(tmp_path, "a-0", rows=600, done=done, prepare=lambda: release.wait(30)))
        for k in range(1, 50):
            a.submit(work(tmp_path, f"a-{k}", rows=600, done=done))
        b.submit(work(tmp_path, "b", rows=10, done=done))
        release.set()
        b.wait("b", timeout=60)
        assert sum(job.startswith("a-") for job in done[:done.index("b")]) <= 2, done
        for k in range(50):
            a.wait(f"a-{k}", timeout=120)
        assert len(done) == 51
    finally:
        release.set()
        a.stop()
        b.stop()
        pool.stop()


def test_each_tenants_lane_keeps_its_upload_order_and_lanes_are_per_tenant(tmp_path):
    """Both tenants' Products Manager imports share a lane named alike: each tenant's run one at a time in upload
    order, and B's lane does not wait for A's."""
    pool = ImportPool(workers=2)
    a, b = ImportEngine(Limits(), pool=pool), ImportEngine(Limits(), pool=pool)
    seen: list[tuple[str, int]] = []
    lock = threading.Lock()

    def sink_for(job):
        def sink(batch):
            with lock:
                seen.append((job, batch[0][0]))
            return [(CREATED, None)] * len(batch)
        return sink

    release = threading.Event()
    try:
        for k in range(4):
            a.submit(work(tmp_path, f"a-{k}", rows=6000, lane="productsmanager", sink=sink_for(f"a-{k}"),
                          prepare=release.wait if k == 0 else None))
        b.submit(work(tmp_path, "b-0", rows=10, lane="productsmanager", sink=sink_for("b-0")))
        b.wait("b-0", timeout=60)
        assert a.ready("a-0") is None, "B's lane did not wait for A's, held at its first job"
        release.set()
        a.wait("a-3", timeout=120)
    finally:
        release.set()
        a.stop()
        b.stop()
        pool.stop()
    order = [job for job, _ in seen if job.startswith("a-")]
    assert order == sorted(order) and len(set(order)) == 4, "A's jobs ran one at a time, in upload order"
    firsts = [row for job, row in seen if job == "a-0"]
    assert firsts == sorted(firsts) and len(firsts) > 1


def test_a_stopped_tenants_queued_work_never_runs_and_its_files_are_deleted(tmp_path):
    pool = ImportPool(workers=1)
    old, neighbour = ImportEngine(Limits(), pool=pool), ImportEngine(Limits(), pool=pool)
    ran: list[str] = []
    release = threading.Event()

    def sink_for(job):
        def sink(batch):
            ran.append(job)
            return [(CREATED, None)] * len(batch)
        return sink

    queued = [work(tmp_path, f"old-{k}", sink=sink_for(f"old-{k}")) for k in range(10)]
    try:
        old.submit(work(tmp_path, "old-held", sink=sink_for("old-held"), prepare=lambda: release.wait(30)))
        for item in queued:
            old.submit(item)
        threading.Timer(0.2, release.set).start()
        old.stop()  # returns once its running slice is done: nothing of it runs after
        assert [job for job in ran if job != "old-held"] == []
        assert not any(item.path.exists() for item in queued)
        # the pool serves the others; a new tenant of the same name starts empty
        neighbour.submit(work(tmp_path, "n"))
        new = ImportEngine(Limits(), pool=pool)
        new.submit(work(tmp_path, "fresh"))
        assert neighbour.wait("n", timeout=30).outcomes == CREATED * 3
        assert new.wait("fresh", timeout=30).outcomes == CREATED * 3
        assert pool.threads() == 1 and not [job for job in ran if job.startswith("old-") and job != "old-held"]
        new.stop()
    finally:
        release.set()
        neighbour.stop()
        pool.stop()


def test_files_parsed_in_children_are_bounded_process_wide(tmp_path):
    """Three tenants' big files, one child slot: one child at a time, and every job read as on a thread."""
    pool = ImportPool(workers=2, children=1)
    engines = [ImportEngine(Limits(), process_min_bytes=0, pool=pool) for _ in range(3)]
    most = [0]

    def sink(batch):
        most[0] = max(most[0], sum(p.name == "pimkit-reader" for p in multiprocessing.active_children()))
        return [(CREATED, None)] * len(batch)

    try:
        for n, engine in enumerate(engines):
            engine.submit(work(tmp_path, f"big-{n}", rows=3000, sink=sink))
        for n, engine in enumerate(engines):
            assert engine.wait(f"big-{n}", timeout=60).outcomes == CREATED * 3000
    finally:
        for engine in engines:
            engine.stop()
        pool.stop()
    assert most[0] == 1 and pool.children_free == 1


# --- webhooks -------------------------------------------------------------------------------------------------
def test_fifty_tenants_deliveries_share_the_pool_and_each_webhooks_order_is_kept():
    pool = DeliveryPool(workers=3)
    clocks = [VirtualClock("manual", START) for _ in range(50)]
    dispatchers = [Dispatcher(clock, pool=pool) for clock in clocks]  # 2 of a tenant's posts at once, 1 a webhook's
    try:
        with Receiver() as receiver:
            for k in range(3):
                for n, dispatcher in enumerate(dispatchers):
                    dispatcher.send(Delivery(webhook_id=n, url=receiver.url(), body=f"{n}:{k}".encode()))
            assert all(dispatcher.wait_idle(30) for dispatcher in dispatchers)
            assert pool.threads() == 3 and pool_threads("webhooks") == 3  # the receiver has its own
        bodies = [request["body"].decode().split(":") for request in receiver.requests]
        assert len(bodies) == 150
        for n in range(50):
            assert [k for tenant, k in bodies if tenant == str(n)] == ["0", "1", "2"]
        assert all([r["outcome"] for r in d.log()] == ["delivered"] * 3 for d in dispatchers)
    finally:
        for dispatcher in dispatchers:
            dispatcher.close()
        pool.stop()


class SlowReceiver(Receiver):
    def respond(self, request: dict) -> tuple[int, dict[str, str]]:
        time.sleep(0.02)
        return 200, {}


class CountingReceiver(Receiver):
    """Answers after 50 ms, counting the posts under way at once, in all and per webhook (the body's first byte)."""

    def __init__(self) -> None:
        super().__init__()
        self.now: dict[str, int] = {}
        self.most: dict[str, int] = {}

    def respond(self, request: dict) -> tuple[int, dict[str, str]]:
        hook = request["body"][:1].decode()
        with self._lock:
            for key in (hook, "*"):
                self.now[key] = self.now.get(key, 0) + 1
                self.most[key] = max(self.most.get(key, 0), self.now[key])
        time.sleep(0.05)
        with self._lock:
            for key in (hook, "*"):
                self.now[key] -= 1
        return 200, {}


def test_a_tenants_two_webhooks_post_side_by_side_each_one_at_a_time_in_order():
    pool = DeliveryPool(workers=4)
    dispatcher = Dispatcher(VirtualClock("manual", START), pool=pool)
    try:
        with CountingReceiver() as receiver:
            for k in range(4):
                for hook in "xy":
                    dispatcher.send(Delivery(webhook_id=hook, url=receiver.url(), body=f"{hook}{k}".encode()))
            assert dispatcher.wait_idle(30)
        bodies = [request["body"].decode() for request in receiver.requests]
        for hook in "xy":
            assert [body for body in bodies if body[0] == hook] == [f"{hook}{k}" for k in range(4)]
        assert receiver.most == {"x": 1, "y": 1, "*": 2}
    finally:
        dispatcher.close()
        pool.stop()


def test_a_tenants_delivery_is_not_queued_behind_a_neighbours_many():
    pool = DeliveryPool(workers=1)
    a = Dispatcher(VirtualClock("manual", START), pool=pool)
    b = Dispatcher(VirtualClock("manual", START), pool=pool)
    try:
        with SlowReceiver() as receiver:
            for k in range(15):
                a.send(Delivery(webhook_id="a", url=receiver.url(), body=f"a{k}".encode()))
            b.send(Delivery(webhook_id="b", url=receiver.url(), body=b"b"))
            assert b.wait_idle(30) and a.wait_idle(30)
        order = [request["body"] for request in receiver.requests]
        assert order.index(b"b") <= 3, order
    finally:
        a.close()
        b.close()
        pool.stop()


def test_a_closed_tenants_queued_deliveries_are_dropped_and_retries_follow_each_tenants_clock():
    pool = DeliveryPool(workers=2)
    clock_a, clock_b = VirtualClock("manual", START), VirtualClock("manual", START)
    a = Dispatcher(clock_a, pool=pool)
    b = Dispatcher(clock_b, pool=pool)
    try:
        with Receiver(default=500) as receiver:
            for hook, dispatcher in (("a", a), ("b", b)):
                dispatcher.send(Delivery(webhook_id=hook, url=receiver.url(), body=hook.encode(),
                                         retry_policy="linear", retry_interval=60, retry_limit=3))
            assert a.wait_idle() and b.wait_idle()
            clock_b.advance(60)  # only B's retry falls due
            a.wake()
            b.wake()
            assert a.wait_idle() and b.wait_idle()
            assert sorted(r["body"] for r in receiver.requests) == [b"a", b"b", b"b"]
            a.close()  # A goes away: its retry is dropped
            clock_a.advance(600)
            b.wake()
            assert b.wait_idle()
            assert a.pending() == 0 and [r["body"] for r in receiver.requests].count(b"a") == 1
    finally:
        b.close()
        pool.stop()


def test_a_reset_while_a_lanes_job_runs_keeps_the_lanes_next_jobs_one_at_a_time(tmp_path):
    """The job running at the reset is dropped at its next turn; the lane's jobs submitted after the reset still
    run one at a time, in order (the dropped job's end must not start the second beside the first)."""
    engine = ImportEngine(Limits(), workers=2)
    seen: list[str] = []
    started, release_old, release_first = threading.Event(), threading.Event(), threading.Event()

    def sink_for(job):
        def sink(batch):
            seen.append(job)
            return [(CREATED, None)] * len(batch)
        return sink

    old = work(tmp_path, "old", sink=sink_for("old"), lane="productsmanager",
               prepare=lambda: (started.set(), release_old.wait(30)))
    try:
        engine.submit(old)
        assert started.wait(30)
        engine.reset()
        engine.submit(work(tmp_path, "first", rows=3000, sink=sink_for("first"), lane="productsmanager",
                           prepare=lambda: release_first.wait(30)))
        engine.submit(work(tmp_path, "second", sink=sink_for("second"), lane="productsmanager"))
        release_old.set()
        deadline = time.monotonic() + 30
        while old.path.exists() and time.monotonic() < deadline:
            time.sleep(0.01)  # the old job is dropped
        time.sleep(0.1)
        release_first.set()
        assert engine.wait("second", timeout=30).outcomes == CREATED * 3
    finally:
        release_old.set()
        release_first.set()
        engine.stop()
    assert seen == ["first"] * seen.count("first") + ["second"] and "old" not in seen
