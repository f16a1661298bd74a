"""Wizart imports: creation, what a client observes of one on the clock, the shared queue of workers, the log.

An import passes uploading_files → validating_csv → unpacking_archive → checking_images (one second of virtual
time each), waits in waiting_queue at least a second and until one of the configured workers is free of the
imports queued before it, then imports its rows at a steady rate (importing_data) and ends success, warning or
failure (DECISIONS.md WZ-D07, WZ-D08). What the clock shows is replayed by `mock_server.imports.timeline` from
what the worker found once (`analysis.py`); rows are written to the catalogue only as the clock reaches them.
"""

from __future__ import annotations

import asyncio
import heapq
from dataclasses import dataclass, field

from mock_server.clock import iso
from mock_server.errors import NotFound
from mock_server.ids import ulid
from mock_server.imports.engine import Work
from mock_server.imports.spool import Application
from mock_server.imports.timeline import CREATED, Observation, Outcome, waiting_status
from mock_server.imports.timeline import observe as replay
from mock_server.runtime import Runtime
from mock_server.uploads import SavedUpload
from mock_server.vendors.wizart import rules
from mock_server.vendors.wizart.analysis import AnalyseRows, Analysis
from mock_server.vendors.wizart.archive import Listing
from mock_server.vendors.wizart.state import Queue
from mock_server.vendors.wizart.state import state as _state

NAME = "wizart"


@dataclass
class ImportState:
    """The live side of one import."""

    analysis: Analysis
    application: Application | None = None
    settled: bool = False
    start: float | None = None  # when importing_data starts, once the queue has been worked out
    scheduled: bool = False
    product_ids: list[int] = field(default_factory=list)  # products this import wrote, in order
    final: View | None = None  # once terminal, what every later observation is


@dataclass
class View:
    status: str
    rows_total: int | None = None
    rows_processed: int = 0
    rows_imported: int = 0
    rows_skipped: int = 0
    failed_row: int | None = None
    finished_at: float | None = None
    failure: tuple[str, dict] | None = None
    started_at: float | None = None  # importing_data's start


def settings(rt: Runtime) -> rules.Settings:
    return _state(rt).settings


def forget_all(rt: Runtime) -> None:
    for state in _state(rt).imports.values():
        (state.application or Application(state.analysis.spool.path, 0)).discard()
    live = _state(rt)
    live.imports, live.order, live.queue, live.product_ids = {}, [], Queue(), []


def template(rt: Runtime, product_type: str) -> dict:
    return {"name": product_type, **rt.fixtures[NAME]["templates"][product_type]}


def create(rt: Runtime, product_type: str, csv_upload: SavedUpload, zip_upload: SavedUpload,
           listing: Listing) -> dict:
    now = rt.clock.now()
    order = _state(rt).order
    import_id, seq = ulid(now), len(order)
    doc = {"id": import_id, "seq": seq, "product_type": product_type, "csv_file_name": csv_upload.filename,
           "archive_file_name": zip_upload.filename, "archive_files": listing.files, "created_at": now}
    rt.store.insert(rules.IMPORTS, doc)
    order.append(import_id)
    state = ImportState(Analysis())
    _state(rt).imports[import_id] = state
    sink = AnalyseRows(state.analysis, template=template(rt, product_type), csv_path=csv_upload.path,
                       zip_path=zip_upload.path, settings=settings(rt), keep_problems=rt.imports.limits.max_error_rows)
    rt.imports.submit(Work(job_id=import_id, path=csv_upload.path, fmt="csv", sink=sink,
                           write_errors=lambda _: None, formats=frozenset({"csv"}), finish=sink.finish,
                           prepare=sink.prepare))
    # rows may move once the import reaches the queue; the clock's progression takes it from there
    rt.progress.schedule(NAME, import_id, due=now + settings(rt).queue_entry, order=seq)
    return doc


def find(rt: Runtime, import_id: str) -> dict:
    doc = rt.store.find(rules.IMPORTS, "id", import_id)
    if doc is None:
        raise NotFound(rt.messages[NAME]("requests", "import_not_found", id=import_id), code="not_found",
                       parameter="importId")
    return doc


def early_failure(outcome: Outcome, analysis: Analysis) -> tuple[str, dict, str] | None:
    """A failure that stops the import before its rows move: (code, params, the stage it ends)."""
    found = outcome.failure or analysis.invalid
    if found is not None:
        code, params = found
        return code, params, rules.FAILURE_STAGE.get(code, "validating_csv")
    if analysis.archive_failure is not None:
        code, params = analysis.archive_failure
        return code, params, "unpacking_archive"
    return None


def rows_outcome(outcome: Outcome, analysis: Analysis) -> Outcome:
    """The rows the clock replays: all of them, or up to the fatal one, which fails the import."""
    if analysis.fatal is None:
        return Outcome(outcome.outcomes)
    index, row, detail = analysis.fatal
    return Outcome(outcome.outcomes[:index + 1], failure=("fatal_row", {"row": row, "detail": detail}))


async def _outcome(rt: Runtime, import_id: str) -> Outcome:
    try:
        return await rt.imports.outcome(import_id)
    except KeyError as exc:  # the fake was reset while this request waited for the worker
        raise NotFound(rt.messages[NAME]("requests", "import_not_found", id=import_id), code="not_found") from exc


async def importing_start(rt: Runtime, doc: dict) -> float:
    """When importing_data starts: imports enter the queue in upload order; each takes the first free worker
    once it has waited the queue's minimum (a worker is busy for the rows of the import it runs)."""
    state = _state(rt).imports[doc["id"]]
    if state.scheduled:
        return _start(state)
    s = settings(rt)
    lock = _state(rt).queue_lock
    with rt.imports.patience():  # one bounded wait for the lock and every earlier import (ENG-D05)
        try:
            await asyncio.wait_for(lock.acquire(), rt.imports.remaining())
        except TimeoutError:
            raise TimeoutError("the imports queued before this one are still being read") from None
        try:
            await _schedule_queue(rt, doc, s)
        finally:
            lock.release()
    return _start(state)


def _start(state: ImportState) -> float:
    if state.start is None:  # failed before the queue: its observers stop at the failure and never ask
        raise LookupError("an import that failed before the queue has no importing_data start")
    return state.start


async def _schedule_queue(rt: Runtime, doc: dict, s: rules.Settings) -> None:
    """Give every import up to `doc` in the queue its start (waiting for their files to be read)."""
    queue = _state(rt).queue
    order = _state(rt).order
    while queue.next <= doc["seq"]:
        other_id = order[queue.next]
        other = find(rt, other_id)
        other_state = _state(rt).imports[other_id]
        outcome = await _outcome(rt, other_id)
        if early_failure(outcome, other_state.analysis) is None:
            ready = other["created_at"] + s.queue_entry + s.queue_seconds
            free = heapq.heappop(queue.free) if len(queue.free) >= s.workers else ready
            other_state.start = max(ready, free)
            rows = rows_outcome(outcome, other_state.analysis).rows
            heapq.heappush(queue.free, other_state.start + rows / s.flow.rows_per_second)
        other_state.scheduled = True
        queue.next += 1


async def _replayed(rt: Runtime, doc: dict, outcome: Outcome, analysis: Analysis, now: float) -> Observation:
    """The import's rows along its lifecycle at `now`, its queue wait worked out (`importing_start`)."""
    s = settings(rt)
    start = await importing_start(rt, doc)
    flow = s.flow.with_timings({"stages": {"waiting_queue": start - doc["created_at"] - s.queue_entry}})
    return replay(flow, doc["created_at"], now, rows_outcome(outcome, analysis))


async def observe(rt: Runtime, doc: dict, now: float | None = None) -> View:
    known = _state(rt).imports.get(doc["id"])
    if known is not None and known.final is not None:
        return known.final
    now = rt.clock.now() if now is None else now
    s = settings(rt)
    created = doc["created_at"]
    status = waiting_status(s.flow, created, now)
    if status in ("uploading_files", "validating_csv"):
        return View(status)
    state = _state(rt).imports[doc["id"]]
    outcome = await _outcome(rt, doc["id"])
    analysis = state.analysis
    failed = early_failure(outcome, analysis)
    if failed is not None and now >= created + s.stage_end(failed[2]):
        code, params, stage = failed
        state.settled = True
        state.final = View("failure", rows_total=analysis.rows, finished_at=created + s.stage_end(stage),
                           failure=(code, params))
        return state.final
    if status in ("unpacking_archive", "checking_images"):
        return View(status, rows_total=analysis.rows)
    seen = await _replayed(rt, doc, outcome, analysis, now)
    view = View(seen.status, rows_total=analysis.rows, rows_processed=seen.processed_rows,
                rows_imported=seen.created_rows, rows_skipped=seen.error_rows, finished_at=seen.completed_at,
                failure=seen.failure, started_at=seen.started_at)
    if seen.failure is not None:
        view.failed_row = seen.failure[1]["row"]
    if seen.terminal and state.application is not None and state.application.applied >= seen.created_rows:
        state.final = view  # every row written: nothing will change any more
    return view


def _apply(rt: Runtime, doc: dict, state: ImportState, valid_rows: int, start: float) -> None:
    if state.application is None:
        state.application = Application(state.analysis.spool.path, state.analysis.spool.rows)
    rate = settings(rt).flow.rows_per_second

    def apply(batch: list[tuple[int, dict]], first: int) -> list[bytes]:
        inserts, updates = [], {}
        for row, fields in batch:
            product = {**fields, "product_type": doc["product_type"], "import_id": doc["id"],
                       "updated_at": iso(start + (row - 1) / rate)}
            existing = rt.store.lookup(rules.PRODUCTS, "sku", product["sku"])
            if existing is None:
                inserts.append(product)
            else:
                updates[existing] = product
                _move(rt, existing, doc["id"])
        ids = rt.store.insert_many(rules.PRODUCTS, inserts, handed_over=True)
        rt.store.update_many(rules.PRODUCTS, updates, handed_over=True)
        _state(rt).product_ids.extend(ids)
        state.product_ids.extend(ids)
        return [CREATED] * len(batch)

    state.application.apply_until(valid_rows, apply)


def _move(rt: Runtime, product_id: int, import_id: str) -> None:
    """A product written again by a later import now belongs to it (filter[import])."""
    for other_id, other in _state(rt).imports.items():
        if other_id != import_id and product_id in other.product_ids:
            other.product_ids.remove(product_id)
            _state(rt).imports[import_id].product_ids.append(product_id)
            return
    if product_id not in _state(rt).imports[import_id].product_ids:
        _state(rt).imports[import_id].product_ids.append(product_id)


async def progress(rt: Runtime, wait: bool = True) -> None:
    """Write the rows the clock has imported of every moving import, in upload order (the core's index says
    which: `mock_server.imports.progress`). `wait`: wait for files still being read (an admin advance); else
    an import whose file, or an earlier one in the queue, is still being read is taken on a later tick."""
    now = rt.clock.now()
    for import_id in rt.progress.due(NAME, now):
        state = _state(rt).imports.get(import_id)
        doc = rt.store.find(rules.IMPORTS, "id", import_id)
        if state is None or doc is None:
            rt.progress.done(NAME, import_id)
            continue
        if not wait and not _queue_read(rt, doc):
            continue
        try:
            outcome = await _outcome(rt, import_id)
        except NotFound:  # reset meanwhile
            rt.progress.done(NAME, import_id)
            continue
        if early_failure(outcome, state.analysis) is not None:
            state.settled = True
            rt.progress.done(NAME, import_id)
            continue
        seen = await _replayed(rt, doc, outcome, state.analysis, now)
        _apply(rt, doc, state, seen.created_rows, await importing_start(rt, doc))
        if seen.terminal:
            state.settled = True
            rt.progress.done(NAME, import_id)


def _queue_read(rt: Runtime, doc: dict) -> bool:
    """The worker is done with this import and every one queued before it (its start depends on them)."""
    order, queue = _state(rt).order, _state(rt).queue
    return all(rt.imports.ready(order[i]) is not None for i in range(queue.next, doc["seq"] + 1))


def stage_times(s: rules.Settings, doc: dict, view: View) -> list[tuple[float, str]]:
    """When each stage the import has entered began, in order (for the log)."""
    stop = None
    if view.status == "failure" and view.started_at is None and view.failure is not None:
        stop = rules.FAILURE_STAGE.get(view.failure[0], "validating_csv")
    times, at = [], doc["created_at"]
    for stage in s.flow.waiting:
        times.append((at, stage.status))
        if stage.status in (view.status, stop):
            return times
        at += stage.seconds
    if view.started_at is not None:
        times.append((view.started_at, "importing_data"))
    return times


def log_text(rt: Runtime, doc: dict, view: View) -> str:
    """The import's log file as far as the clock has got: stages, skipped rows, the end."""
    messages = rt.messages[NAME]
    s = settings(rt)
    lines = [f"{iso(at)} {status}: {messages('meanings', status)}" for at, status in stage_times(s, doc, view)]
    state = _state(rt).imports.get(doc["id"])
    if view.started_at is not None and state is not None:
        rate = s.flow.rows_per_second
        for index, row, key, params in state.analysis.problems:
            if index >= view.rows_processed:
                break
            lines.append(f"{iso(view.started_at + (index + 1) / rate)} importing_data: "
                         + messages("logs", key, row=row, **params))
    if view.status in rules.TERMINAL:
        lines.append(f"{iso(view.finished_at)} {view.status}: {messages('meanings', view.status)}")
        if view.failure is not None:
            code, params = view.failure
            lines.append(f"{iso(view.finished_at)} failure: " + messages("failures", code, **params))
        lines.append(f"{iso(view.finished_at)} " + messages("logs", "imported", count=view.rows_imported,
                                                              skipped=view.rows_skipped))
    return "\n".join(lines) + "\n"
