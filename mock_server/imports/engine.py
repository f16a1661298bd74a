"""The import workers: read each uploaded file once, in slices, on a small pool of background threads.

Requests never carry a whole import: `submit` queues the work and returns. Every job is cut into slices (one
batch of rows each) and the pool's threads take slices round-robin, so a small job finishes in a time set by its
own size, whatever large or slow jobs are queued beside it; a request that needs one job's outcome waits for that
job alone. Jobs that write a shared catalogue while they read (Products Manager) share a *lane*: a lane runs its
jobs one at a time, in submission order, so a later import sees exactly the products an earlier one wrote,
whatever the timing of the requests. Jobs that only analyse (Pixee, Wizart: their rows reach the catalogue later,
on the clock) each have a lane of their own and run side by side (README "Imports run side by side").
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import contextvars
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from mock_server.imports.formats import ImportAborted, Limits, read_records
from mock_server.imports.reading import records_in_child
from mock_server.imports.timeline import ERROR, Outcome

log = logging.getLogger(__name__)

# TinyDB rewrites a whole table on every write (docs/STACK-NOTES.md): batches grow with what has been
# written (half of it, up to a cap), so a file of n rows costs O(n) table rewriting, not O(n²).
BATCH_ROWS = 2000
MAX_BATCH_ROWS = 25_000


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


class ImportEngine:
    def __init__(self, limits: Limits, workers: int = 2, process_min_bytes: int | None = None) -> None:
        self.limits = limits
        self.workers = max(1, workers)
        # files of at least this size are parsed in a child process (imports/reading.py); None: never
        self.process_min_bytes = process_min_bytes
        self.request_wait = REQUEST_WAIT_SECONDS
        self.advance_wait = ADVANCE_WAIT_SECONDS
        self._ready: collections.deque[_Task] = collections.deque()  # tasks with a slice to run, round-robin
        self._lanes: dict[str, collections.deque[Work]] = {}  # lane -> works queued behind its running one
        self._wakeup = threading.Condition()
        self._results: dict[str, Outcome] = {}
        self._events: dict[str, threading.Event] = {}
        self._waiters: dict[str, list[tuple[asyncio.AbstractEventLoop, asyncio.Future]]] = {}
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()  # a batch being written, or a reset
        self._generation = 0
        # After a restart until the next reset: a job the store holds but the engine never heard of was created
        # after the last state save (kill -9) and its file is gone: it reads as INTERRUPTED, not as unknown.
        self._restored = False
        self._threads: list[threading.Thread] = []
        self._stopping = False

    # --- submitting and observing ---------------------------------------------------------------
    def submit(self, work: Work) -> None:
        with self._lock:
            work.generation = self._generation
            self._events[work.job_id] = threading.Event()
        lane = work.lane if work.lane is not None else "job:" + work.job_id
        with self._wakeup:
            if lane in self._lanes:
                self._lanes[lane].append(work)
            else:
                self._lanes[lane] = collections.deque()
                self._ready.append(_Task(work, lane, self._steps(work)))
                self._wakeup.notify()
            self._threads = [t for t in self._threads if t.is_alive()]
            self._stopping = False  # work given after a stop starts the workers again (as it always did)
            if len(self._threads) < self.workers:
                thread = threading.Thread(target=self._run, name=f"pimkit-imports-{len(self._threads)}", daemon=True)
                self._threads.append(thread)
                thread.start()

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
        with self._wakeup:
            for queued in self._lanes.values():
                for work in queued:
                    _unlink(work.path)
                queued.clear()
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

    def restore(self, results: dict[str, Outcome], interrupted: list[str] = ()) -> None:
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
        with self._wakeup:
            self._stopping = True
            self._wakeup.notify_all()
        for thread in self._threads:
            thread.join(timeout=10)
        self._threads = []

    def _publish(self, work: Work, outcome: Outcome) -> None:
        with self._lock:
            if work.generation != self._generation:
                return
            self._results[work.job_id] = outcome
            self._events[work.job_id].set()
            pending = self._waiters.pop(work.job_id, [])
        _resolve(pending, outcome)

    # --- the workers ----------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._wakeup:
                while not self._ready and not self._stopping:
                    self._wakeup.wait()
                if self._stopping:
                    return
                task = self._ready.popleft()
            if self._slice(task):
                with self._wakeup:
                    self._ready.append(task)
                    self._wakeup.notify()
                continue
            with self._wakeup:  # the lane's next job starts
                queued = self._lanes.get(task.lane)
                if queued:
                    work = queued.popleft()
                    self._ready.append(_Task(work, task.lane, self._steps(work)))
                    self._wakeup.notify()
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

    def _records(self, work: Work) -> Iterator:
        """The file's records: parsed on this thread, or in a child process for a big file (imports/reading.py)."""
        if self.process_min_bytes is not None and work.path.stat().st_size >= self.process_min_bytes:
            return records_in_child(work.path, work.fmt, self.limits, work.formats)
        return read_records(work.path, work.fmt, self.limits, work.formats)

    def _steps(self, work: Work) -> Iterator[None]:
        """The job as slices: each `yield` hands the thread back after one batch; returns the Outcome."""
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
            for record in self._records(work):
                if work.generation != self._generation:
                    batch.clear()
                    break
                batch.append(record)
                if len(batch) >= batch_size(len(outcomes)):
                    flush()
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
    steps: Iterator[None]


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
