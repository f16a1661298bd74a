"""The import worker: reads each uploaded file once, in submission order, on one background thread.

Requests never carry a whole import: `submit` queues the work and returns; an observer that needs
the outcome (rows have started to move on the clock) waits for the worker rather than seeing a
different answer. One thread keeps results deterministic: a later import sees the products an
earlier one wrote, whatever the timing of the requests.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mock_server.imports.formats import ImportAborted, Limits, read_records
from mock_server.imports.timeline import ERROR, Outcome

log = logging.getLogger(__name__)

# TinyDB rewrites a whole table on every write (STACK-NOTES.md): batches grow with what has been
# written (half of it, up to a cap), so a file of n rows costs O(n) table rewriting, not O(n²).
BATCH_ROWS = 2000
MAX_BATCH_ROWS = 25_000


def batch_size(rows_written: int) -> int:
    return min(MAX_BATCH_ROWS, max(BATCH_ROWS, rows_written // 2))
# A sink takes a batch of (row_number, record) and answers, per row, its outcome byte and the document
# (or documents) the row leaves to list (an error for Products Manager, log lines for Pixee), or None.
Sink = Callable[[list[tuple[int, dict]]], list[tuple[bytes, dict | list[dict] | None]]]
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
    generation: int = 0


class ImportEngine:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self._queue: queue.Queue[Work | None] = queue.Queue()
        self._results: dict[str, Outcome] = {}
        self._events: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()  # a batch being written, or a reset
        self._generation = 0
        self._thread: threading.Thread | None = None

    # --- submitting and observing ---------------------------------------------------------------
    def submit(self, work: Work) -> None:
        with self._lock:
            work.generation = self._generation
            self._events[work.job_id] = threading.Event()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="pimkit-imports", daemon=True)
                self._thread.start()
        self._queue.put(work)

    def wait(self, job_id: str, timeout: float | None = 600) -> Outcome:
        """Block until the worker is done with `job_id`."""
        event = self._events.get(job_id)
        if event is None:
            raise KeyError(job_id)
        if not event.wait(timeout):
            raise TimeoutError(f"import {job_id} still running after {timeout} s")
        result = self._results.get(job_id)
        if result is None:  # forgotten by a reset while we waited
            raise KeyError(job_id)
        return result

    async def outcome(self, job_id: str, timeout: float | None = 600) -> Outcome:
        found = self._results.get(job_id)
        if found is not None:
            return found
        return await asyncio.get_running_loop().run_in_executor(None, self.wait, job_id, timeout)

    def reset(self, then: Callable[[], None] = lambda: None) -> None:
        """Forget every job; work still queued from before is dropped unread. `then` (reseeding the store)
        runs while no batch is being written, so nothing from before the reset lands after it."""
        with self._write_lock, self._lock:
            self._generation += 1
            for event in self._events.values():
                event.set()
            self._events = {}
            self._results = {}
            then()

    def settled_results(self, timeout: float = 60) -> dict[str, Outcome]:
        """Every job's outcome, once the worker is done with what it was given (`--data` saves these)."""
        with self._lock:
            events = list(self._events.values())
        for event in events:
            event.wait(timeout)
        with self._lock:
            return dict(self._results)

    def restore(self, results: dict[str, Outcome]) -> None:
        """Take back saved outcomes (after a restart): their jobs read as they did."""
        with self._lock:
            for job_id, outcome in results.items():
                self._results[job_id] = outcome
                event = self._events[job_id] = threading.Event()
                event.set()

    def stop(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._queue.put(None)
            self._thread.join(timeout=10)

    def _publish(self, work: Work, outcome: Outcome) -> None:
        with self._lock:
            if work.generation == self._generation:
                self._results[work.job_id] = outcome
                self._events[work.job_id].set()

    # --- the worker ---------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            work = self._queue.get()
            if work is None:
                return
            try:
                if work.generation == self._generation:
                    outcome = self._process(work)
                    if work.finish is not None:
                        work.finish()
                    self._publish(work, outcome)
            except Exception:  # a bug must not kill the worker: the job fails, the server keeps serving
                log.exception("import %s crashed", work.job_id)
                self._publish(work, Outcome(b"", (), ("internal", {"row": 0})))
            finally:
                _unlink(work.path)

    def _process(self, work: Work) -> Outcome:
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
            for record in read_records(work.path, work.fmt, self.limits, work.formats):
                if work.generation != self._generation:
                    batch.clear()
                    break
                batch.append(record)
                if len(batch) >= batch_size(len(outcomes)):
                    flush()
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


def _unlink(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
