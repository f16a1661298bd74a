"""The import workers: read each uploaded file once, in slices, on a small pool of background threads.

Requests never carry a whole import: `submit` queues the work and returns. Every job is cut into slices (at most
`TURN_ROWS` read, or one batch of rows written, each) and the pool's threads take slices round-robin, so a small job
finishes in a time set by its own size, whatever large or slow jobs are queued beside it; a request that needs one
job's outcome waits for that job alone. Jobs that write a shared catalogue while they read (Products Manager) share
a *lane*: a lane runs its jobs one at a time, in submission order, so a later import sees exactly the products an
earlier one wrote, whatever the timing of the requests. Jobs that only analyse (Pixee, Wizart: their rows reach the
catalogue later, on the clock) each have a lane of their own and run side by side (README "Imports run side by
side").

The threads are not the engine's: every tenant's engine is a member of its process's one `ImportPool`
(`mock_server/pools.py`, `Shared.import_pool`), which serves the least served tenant first, one slice at a time,
so a neighbour's fifty queued imports delay a tenant's single one by a slice or two, not by fifty (POOL-D01). It also
bounds the files parsed in child processes at once, process-wide (`children`, POOL-D02).
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import functools
import logging
import os
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from mock_server.imports.formats import ImportAborted, Limits, read_records
from mock_server.imports.reading import records_in_child
from mock_server.imports.timeline import ERROR, Outcome
from mock_server.pools import DRAIN_SECONDS, FairPool

log = logging.getLogger(__name__)

# TinyDB rewrites a whole table on every write (docs/STACK-NOTES.md): batches grow with what has been
# written (half of it, up to a cap), so a file of n rows costs O(n) table rewriting, not O(n²).
BATCH_ROWS = 2000
MAX_BATCH_ROWS = 25_000


# The process's import pool (Config.import_workers, Config.import_child_processes; README "Imports run side by
# side"): two threads, as many as this machine's cores (parsing holds the GIL), and at most four files parsed in
# child processes at once (a child mostly waits for the rows it sent to be written: a few more than the cores).
DEFAULT_WORKERS = 2
DEFAULT_CHILDREN = 4


# A turn on a pool thread reads at most this many rows (the batch it fills is written whole, as before): slices of
# a big file's growing batches would otherwise hold a thread for up to 25,000 rows while another tenant's first
# import waits for it (POOL-D01).
TURN_ROWS = 500


def batch_size(rows_written: int) -> int:
    return min(MAX_BATCH_ROWS, max(BATCH_ROWS, rows_written // 2))


# The outcome of a job whose file was being read when the fake stopped: a restart cannot read it again.
INTERRUPTED = Outcome(b"", (), ("interrupted", {}))

# How long a request may wait for a file to be read (README "Imports run side by side", ENG-D05): past it, the
# request answers the vendor's 503 with Retry-After (app_errors maps the TimeoutError). An admin clock advance,
# the test's own control call, waits up to ADVANCE_WAIT_SECONDS for the files it needs (`patience`).
REQUEST_WAIT_SECONDS = 2.0
ADVANCE_WAIT_SECONDS = 60.0
# The loop time by which the current request (its task and what it awaits) stops waiting; None: not set yet.
_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("pimkit_import_wait_deadline", default=None)
# A sink takes a batch of (row_number, record) and answers, per row, its outcome byte and the document
# (or documents) the row leaves to list (an error for Products Manager, log lines for Pixee), or None.
# a Sequence, not a list: the engine only reads what a sink returns, so a sink may return a narrower row type
Sink = Callable[[list[tuple[int, dict]]], Sequence[tuple[bytes, dict | list[dict] | None]]]
ErrorWriter = Callable[[list[dict]], None]


@dataclass
class Work:
    job_id: str
    path: Path
    fmt: str
    sink: Sink
    write_errors: ErrorWriter
    empty_is_failure: bool = True
    formats: frozenset[str] | None = None  # the formats this vendor reads; None: every one the engine knows
    # called on the worker once the file is read, before observers see the outcome (close a spool, …)
    finish: Callable[[], None] | None = None
    # called on the worker before the file is read (check a header, unpack a companion archive); may raise
    # ImportAborted, which fails the job before its first row
    prepare: Callable[[], None] | None = None
    # jobs of one lane run one at a time, in submission order (they write a shared catalogue as they read);
    # None: a lane of its own
    lane: str | None = None
    generation: int = 0


class ImportPool(FairPool):
    """The process's import threads (`workers`), and how many files may be parsed in child processes at once
    (`children`): a job whose file needs a child waits, parked, for a free one; its neighbours run on."""

    def __init__(self, workers: int = DEFAULT_WORKERS, children: int = DEFAULT_CHILDREN) -> None:
        super().__init__("imports", workers)
        self.children = max(1, children)
        self.children_free = self.children
        self.parked: collections.deque[tuple[ImportEngine, _Task]] = collections.deque()

    def grant_child(self) -> bool:
        """A child slot for a task about to start, if one is free (call holding `cond`)."""
        if self.children_free <= 0:
            return False
        self.children_free -= 1
        return True

    def release_child(self) -> None:
        """A child slot is free again (call holding `cond`): the first parked task takes it."""
        if self.parked:
            engine, task = self.parked.popleft()
            engine.unpark(task)
        else:
            self.children_free += 1


class ImportEngine:
    def __init__(self, limits: Limits, workers: int = DEFAULT_WORKERS, process_min_bytes: int | None = None,
                 pool: ImportPool | None = None) -> None:
        self.limits = limits
        # the process's pool (Shared.import_pool); a pool of its own with `workers` threads when none is given
        self.pool = pool if pool is not None else ImportPool(workers)
        self._own_pool = pool is None
        # files of at least this size are parsed in a child process (imports/reading.py); None: never
        self.process_min_bytes = process_min_bytes
        self.request_wait = REQUEST_WAIT_SECONDS
        self.advance_wait = ADVANCE_WAIT_SECONDS
        self._ready: collections.deque[_Task] = collections.deque()  # tasks with a slice to run, round-robin
        self._lanes: dict[str, collections.deque[Work]] = {}  # lane -> works queued behind its running one
        self._wakeup = self.pool.cond  # the pool's lock guards the queues above
        self._running = 0  # slices of this engine on a pool thread right now
        self._stopped = False
        self._results: dict[str, Outcome] = {}
        self._events: dict[str, threading.Event] = {}
        self._waiters: dict[str, list[tuple[asyncio.AbstractEventLoop, asyncio.Future]]] = {}
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()  # a batch being written, or a reset
        self._generation = 0
        # After a restart until the next reset: a job the store holds but the engine never heard of was created
        # after the last state save (kill -9) and its file is gone: it reads as INTERRUPTED, not as unknown.
        self._restored = False

    # --- submitting and observing ---------------------------------------------------------------
    def submit(self, work: Work) -> None:
        with self._lock:
            work.generation = self._generation
            self._events[work.job_id] = threading.Event()
        lane = work.lane if work.lane is not None else "job:" + work.job_id
        with self._wakeup:
            self._stopped = False  # work given after a stop is served again (as it always was)
            if lane in self._lanes:
                self._lanes[lane].append(work)
            else:
                self._lanes[lane] = collections.deque()
                self._ready.append(self._task(work, lane))
                self.pool.offer(self)

    def ready(self, job_id: str) -> Outcome | None:
        """The job's outcome if the workers are done with it, else None (never waits)."""
        found = self._results.get(job_id)
        if found is None and self._restored and job_id not in self._events:
            return INTERRUPTED
        return found

    def wait(self, job_id: str, timeout: float | None = 600) -> Outcome:
        """Block until the workers are done with `job_id` (only that job: others run on beside it)."""
        event = self._events.get(job_id)
        if event is None:
            raise KeyError(job_id)
        if not event.wait(timeout):
            raise TimeoutError(f"import {job_id} still running after {timeout} s")
        result = self._results.get(job_id)
        if result is None:  # forgotten by a reset while we waited
            raise KeyError(job_id)
        return result

    @contextlib.contextmanager
    def patience(self, seconds: float | None = None):
        """Within this block, every `outcome` awaited shares one deadline, `seconds` (default: a request's
        wait) from now, however many jobs it waits for. An outer block's deadline stands."""
        if _deadline.get() is not None:
            yield
            return
        seconds = self.request_wait if seconds is None else seconds
        token = _deadline.set(asyncio.get_running_loop().time() + seconds)
        try:
            yield
        finally:
            _deadline.reset(token)

    def remaining(self) -> float:
        """Seconds the current request may still wait (its `patience` deadline, else `request_wait`)."""
        deadline = _deadline.get()
        return self.request_wait if deadline is None else max(0.0, deadline - asyncio.get_running_loop().time())

    async def outcome(self, job_id: str, timeout: float | None = None) -> Outcome:
        """`wait` for a request handler: the event loop serves other requests meanwhile, and no thread is held.
        Waits at most `timeout`, else until the current `patience` block's deadline, else `request_wait`; then
        raises TimeoutError (a 503 with Retry-After for the client)."""
        found = self._results.get(job_id)
        if found is not None:
            return found
        loop = asyncio.get_running_loop()
        if timeout is None:
            timeout = self.remaining()
        future = loop.create_future()
        with self._lock:
            found = self._results.get(job_id)
            if found is not None:
                return found
            if job_id not in self._events:
                if self._restored:
                    return INTERRUPTED
                raise KeyError(job_id)
            self._waiters.setdefault(job_id, []).append((loop, future))
        try:
            result = await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise TimeoutError(f"import {job_id} still running after {timeout} s") from None
        if result is None:  # forgotten by a reset while we waited
            raise KeyError(job_id)
        return result

    def reset(self, then: Callable[[], None] = lambda: None) -> None:
        """Forget every job; work still queued from before is dropped unread. `then` (reseeding the store)
        runs while no batch is being written, so nothing from before the reset lands after it."""
        with self._write_lock, self._lock:
            self._generation += 1
            self._restored = False
            for event in self._events.values():
                event.set()
            waiters, self._waiters = self._waiters, {}
            self._events = {}
            self._results = {}
            then()
        self._drop_queued()
        for pending in waiters.values():
            _resolve(pending, None)

    def settled_results(self, wait: float = 0) -> tuple[dict[str, Outcome], list[str]]:
        """Every settled job's outcome, and the ids of the jobs still being read (`--data` saves both). Never
        blocks unless asked: `wait` seconds in all for unsettled jobs to finish (a clean stop gives them a few)."""
        deadline = time.monotonic() + wait
        with self._lock:
            events = [event for job_id, event in self._events.items() if job_id not in self._results]
        for event in events:
            if not event.wait(max(0.0, deadline - time.monotonic())):
                break
        with self._lock:
            return dict(self._results), [job_id for job_id in self._events if job_id not in self._results]

    def restore(self, results: dict[str, Outcome], interrupted: Iterable[str] = ()) -> None:
        """Take back saved outcomes (after a restart): their jobs read as they did. A job that was still being
        read when the state was saved failed: its file is gone (`INTERRUPTED`)."""
        results = {**{job_id: INTERRUPTED for job_id in interrupted}, **results}
        with self._lock:
            self._restored = True
            for job_id, outcome in results.items():
                self._results[job_id] = outcome
                event = self._events[job_id] = threading.Event()
                event.set()

    def stop(self) -> None:
        """The tenant is going away: its queued work is dropped unread (its waiters get KeyError), and this
        returns once no slice of it runs any more, so nothing of it is written after. Outcomes stay readable."""
        with self._wakeup:
            self._stopped = True
        dropped = self._drop_queued()
        with self._lock:
            waiters = {job_id: self._waiters.pop(job_id) for job_id in dropped if job_id in self._waiters}
            for job_id in dropped:
                self._events.pop(job_id, threading.Event()).set()
        for pending in waiters.values():
            _resolve(pending, None)
        with self._wakeup:
            if not self._wakeup.wait_for(lambda: self._running == 0, DRAIN_SECONDS):
                log.error("an import slice still runs %s s after its tenant stopped", DRAIN_SECONDS)
        if self._own_pool:
            self.pool.stop()

    def _drop_queued(self) -> list[str]:
        """Forget every task not running now, and every work queued behind one: their files are deleted, their
        child readers ended, their child slots handed on. Returns their job ids."""
        with self._wakeup:
            tasks = list(self._ready)
            self._ready.clear()
            for engine, task in list(self.pool.parked):
                if engine is self:
                    self.pool.parked.remove((engine, task))
                    tasks.append(task)
            works = [work for queued in self._lanes.values() for work in queued]
            for queued in self._lanes.values():
                queued.clear()
            for task in tasks:  # a lane's one task is dropped: the lane goes (a running task's lane stays, empty)
                self._lanes.pop(task.lane, None)
            self.pool.leave(self)
        for task in tasks:  # outside the lock: closing a child reader waits for it to end
            task.steps.close()
            _unlink(task.work.path)
            if task.child:
                with self._wakeup:
                    self.pool.release_child()
        for work in works:
            _unlink(work.path)
        return [task.work.job_id for task in tasks] + [work.job_id for work in works]

    def _publish(self, work: Work, outcome: Outcome) -> None:
        with self._lock:
            if work.generation != self._generation:
                return
            self._results[work.job_id] = outcome
            self._events[work.job_id].set()
            pending = self._waiters.pop(work.job_id, [])
        _resolve(pending, outcome)

    # --- the pool's side (mock_server/pools.py Member; called holding the pool's lock) -------------------------
    def take(self) -> Callable[[], None] | None:
        while self._ready:
            task = self._ready.popleft()
            if task.child is False and self.pool.grant_child():
                task.child = True
            elif task.child is False:  # every child slot is taken: parked until one is free
                self.pool.parked.append((self, task))
                continue
            self._running += 1
            return functools.partial(self._turn, task)
        return None

    def has_work(self) -> bool:
        return bool(self._ready)

    def wait_hint(self) -> float | None:
        return None

    def unpark(self, task: _Task) -> None:
        """`task` was parked for a child slot and is handed one (called holding the pool's lock)."""
        task.child = True
        self._ready.append(task)
        self.pool.offer(self)

    def _task(self, work: Work, lane: str) -> _Task:
        """A job's task: parsed in a child process (which takes a child slot) if its file is big enough."""
        try:
            big = self.process_min_bytes is not None and work.path.stat().st_size >= self.process_min_bytes
        except OSError:  # gone: reading it fails the job as it always did
            big = False
        return _Task(work, lane, self._steps(work, big), child=False if big else None)

    def _turn(self, task: _Task) -> None:
        """One slice of `task` on a pool thread, then back in the queue (or the lane's next job starts)."""
        more = False
        try:
            more = self._slice(task)
        finally:
            with self._wakeup:
                self._running -= 1
                if more and not self._stopped:
                    self._ready.append(task)
                    self.pool.offer(self)
                else:
                    self._finished(task, closed=not more)
                self._wakeup.notify_all()

    def _finished(self, task: _Task, closed: bool) -> None:
        """`task` is done (or dropped by a stop): its child slot is handed on, its lane's next job starts."""
        if not closed:  # stopped between two slices: close it (its child reader ends) and forget it
            task.steps.close()
            _unlink(task.work.path)
        if task.child:
            self.pool.release_child()
        queued = self._lanes.get(task.lane)
        if queued and not self._stopped:
            work = queued.popleft()
            self._ready.append(self._task(work, task.lane))
            self.pool.offer(self)
        else:
            self._lanes.pop(task.lane, None)

    def _slice(self, task: _Task) -> bool:
        """Run one slice of `task`; True while it has more to do."""
        work = task.work
        try:
            if work.generation != self._generation:  # reset meanwhile: drop it unread
                task.steps.close()
                _unlink(work.path)
                return False
            next(task.steps)
            return True
        except StopIteration as done:
            outcome = done.value
        except Exception:  # a bug must not kill the worker: the job fails, the server keeps serving
            log.exception("import %s crashed", work.job_id)
            outcome = Outcome(b"", (), ("internal", {"row": 0}))
        try:
            if work.finish is not None:
                work.finish()
            self._publish(work, outcome)
        except Exception:
            log.exception("import %s crashed", work.job_id)
            self._publish(work, Outcome(b"", (), ("internal", {"row": 0})))
        finally:
            _unlink(work.path)
        return False

    def _records(self, work: Work, in_child: bool) -> Iterator[tuple[int, dict]]:
        """The file's records: parsed on this thread, or in a child process for a big file (imports/reading.py)."""
        if in_child:
            return records_in_child(work.path, work.fmt, self.limits, work.formats)
        return read_records(work.path, work.fmt, self.limits, work.formats)

    def _steps(self, work: Work, in_child: bool) -> Generator[None, None, Outcome]:
        """The job as slices: each `yield` hands the thread back after one batch written, or `TURN_ROWS` rows read
        into the batch filling; returns the Outcome."""
        outcomes = bytearray()
        error_positions: list[int] = []
        failure: tuple[str, dict] | None = None
        batch: list[tuple[int, dict]] = []

        def flush() -> None:
            with self._write_lock:
                if work.generation != self._generation:  # reset meanwhile: write nothing more
                    batch.clear()
                    return
                results = work.sink(batch)
                documents = []
                for byte, doc in results:
                    if byte == ERROR and len(error_positions) < self.limits.max_error_rows:  # the rows listed
                        error_positions.append(len(outcomes))
                    if isinstance(doc, list):
                        documents.extend(doc)
                    elif doc is not None:
                        documents.append(doc)
                    outcomes.extend(byte)
                work.write_errors(documents)
                batch.clear()

        try:
            if work.prepare is not None:
                work.prepare()
                yield
            for record in self._records(work, in_child):
                if work.generation != self._generation:
                    batch.clear()
                    break
                batch.append(record)
                if len(batch) >= batch_size(len(outcomes)):
                    flush()
                    yield
                elif len(batch) % TURN_ROWS == 0:  # a turn ends while the batch fills: others go in between
                    yield
            flush()
            if not outcomes and work.empty_is_failure and work.generation == self._generation:
                raise ImportAborted("no_data_rows")
        except ImportAborted as exc:
            flush()  # the rows read before the critical error are kept
            failure = (exc.code, exc.params)
        except Exception:  # a bug must not kill the worker: the job fails, keeping what it wrote
            log.exception("import %s crashed", work.job_id)
            failure = ("internal", {"row": len(outcomes) + len(batch) + 1})
        return Outcome(bytes(outcomes), tuple(error_positions), failure)


@dataclass
class _Task:
    work: Work
    lane: str
    steps: Generator[None, None, Outcome]
    # None: read on the thread; False: parsed in a child, waiting for a slot; True: holds a child slot
    child: bool | None = None


def _resolve(pending: list[tuple[asyncio.AbstractEventLoop, asyncio.Future]], outcome: Outcome | None) -> None:
    for loop, future in pending:
        def settle(future=future) -> None:
            if not future.done():
                future.set_result(outcome)
        try:
            loop.call_soon_threadsafe(settle)
        except RuntimeError:  # that loop has closed: nobody is waiting any more
            pass



def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
