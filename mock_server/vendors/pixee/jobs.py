"""Pixee import jobs: creation, the status machine on the clock, controls, and what a client observes.

analyzing (2 s) → ready (dry run, until confirmed) | processing (500 rows/s of effective time) → completed;
failed when the file cannot be read; paused while paused; cancelled from the cancel on (DECISIONS.md PX-D03).
Valid rows are written to the catalogue only as the clock processes them (`mock_server.imports.spool`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from mock_server.clock import iso
from mock_server.errors import Conflict, NotFound
from mock_server.imports.engine import Work
from mock_server.imports.logs import JobLog
from mock_server.imports.rows import ColumnMapper
from mock_server.imports.spool import Application
from mock_server.imports.timeline import CREATED, ERROR, UPDATED, VALID, Controls, Flow, Outcome, rows_done
from mock_server.runtime import Runtime
from mock_server.specs import Messages
from mock_server.uploads import SavedUpload
from mock_server.vendors.pixee import rules
from mock_server.vendors.pixee.analysis import AnalyseRows, Analysis
from mock_server.vendors.pixee.state import state as _state

LEVELS = ("error", "warning", "info")


@dataclass
class JobState:
    """The live side of one job: its log, what analysis found, how far its rows are applied."""

    log: JobLog
    analysis: Analysis = field(default_factory=Analysis)
    application: Application | None = None
    settled: bool = False  # seen in a terminal status: nothing more will change


@dataclass(frozen=True)
class Options:
    supplier_code: str | None = None
    dry_run: bool = False
    mapping: dict = field(default_factory=dict)


def _timings(rt: Runtime) -> Flow:
    return _state(rt).flow


def analyzing_seconds(flow: Flow) -> float:
    return flow.waiting[0].seconds


def _messages(rt: Runtime) -> Messages:
    return rt.messages["pixee"]


def new_job_doc(rt: Runtime, *, file_name: str, file_type: str, file_size: int, options: Options, created_at: float,
                automation_id: str | None = None, failure: str | None = None) -> dict:
    doc = {"id": str(uuid.uuid4()), "file_name": file_name, "file_type": file_type, "file_size": file_size,
           "supplier_code": options.supplier_code, "dry_run": options.dry_run, "mapping": options.mapping,
           "created_at": created_at, "automation_id": automation_id, "source_failure": failure,
           "pauses": [], "cancelled_at": None, "confirmed_at": None}
    rt.store.insert(rules.JOBS, doc)
    return doc


def create(rt: Runtime, upload: SavedUpload, file_type: str, options: Options, *, created_at: float | None = None,
           automation_id: str | None = None) -> dict:
    """A job for an uploaded (or fetched) file; its analysis is queued on the import worker."""
    created_at = rt.clock.now() if created_at is None else created_at
    job = new_job_doc(rt, file_name=upload.filename or "upload", file_type=file_type, file_size=upload.size,
                      options=options, created_at=created_at, automation_id=automation_id)
    log = JobLog(rt.store, rules.logs_table(job["id"]), LEVELS, keep=rt.imports.limits.max_error_rows)
    state = JobState(log=log)
    _state(rt).jobs[job["id"]] = state
    sink = AnalyseRows(state.analysis, state.log, ColumnMapper(options.mapping, rules.PRODUCT_FIELDS),
                       _messages(rt), logged_at=created_at + analyzing_seconds(_timings(rt)))
    rt.imports.submit(Work(job_id=job["id"], path=upload.path, fmt=file_type, sink=sink, write_errors=sink.write,
                           finish=sink.finish))
    if not options.dry_run:
        schedule(rt, job, created_at + analyzing_seconds(_timings(rt)))
    return job


def schedule(rt: Runtime, job: dict, rows_start: float) -> None:
    """The job's rows start moving at `rows_start`: from then on the clock's progression applies them."""
    rt.progress.schedule("pixee", job["id"], due=rows_start, order=job["created_at"])


def find(rt: Runtime, job_id: str) -> dict:
    doc = rt.store.find(rules.JOBS, "id", job_id)
    if doc is None:
        raise NotFound(_messages(rt)("requests", "job_not_found", id=job_id))
    return doc


def controls_of(job: dict) -> Controls:
    return Controls(tuple((start, end) for start, end in job["pauses"]), job["cancelled_at"])


@dataclass
class View:
    status: str
    total_rows: int = 0
    successful_rows: int = 0
    failed_rows: int = 0
    products_created: int = 0
    products_updated: int = 0
    completed_at: float | None = None
    error_message: str | None = None
    error_summary: str | None = None
    analysed: Outcome | None = None


def _summary(rt: Runtime, analysis: Analysis) -> str | None:
    parts = []
    for name, count in sorted(analysis.failed_by_field.items(), key=lambda item: (-item[1], item[0])):
        form = "one" if count == 1 else "many"
        parts.append(_messages(rt)("summary", form, count=count, field=rules.FIELD_NAMES.get(name, name)))
    return ", ".join(parts) or None


def _apply_batch(rt: Runtime, job: dict, state: JobState, start: float, controls: Controls
                 ) -> Callable[[list[tuple[int, dict]], int], list[bytes]]:
    timings = _timings(rt)
    messages = _messages(rt)

    def apply(batch: list[tuple[int, dict]], first_index: int) -> list[bytes]:
        inserts, updates, outcomes, lines = [], {}, [], []
        for n, (row, fields) in enumerate(batch):
            at = iso(controls.to_real(start + (first_index + n + 1) / timings.rows_per_second))
            product = {**fields, "supplier_code": job["supplier_code"], "import_job_id": job["id"], "updated_at": at}
            existing = rt.store.lookup(rules.PRODUCTS, "ean", product["ean"])
            if existing is None:
                inserts.append(product)
                outcomes.append(CREATED)
            else:
                updates[existing] = product
                outcomes.append(UPDATED)
            key = "created" if existing is None else "updated"
            lines.append({"row_number": row, "level": "info", "field": None, "message": messages("logs", key),
                          "value": product["ean"], "timestamp": at})
        rt.store.insert_many(rules.PRODUCTS, inserts, handed_over=True)
        rt.store.update_many(rules.PRODUCTS, updates, handed_over=True)
        state.log.append(lines)
        return outcomes

    return apply


async def observe(rt: Runtime, job: dict, now: float | None = None) -> View:
    """The job as a client sees it at `now`, as far as the clock's progression has applied its rows (all that is
    due, in manual mode; up to the last tick, in real mode). Reads only: waits, at most, for this job's analysis."""
    now = rt.clock.now() if now is None else now
    try:
        view = await _observe(rt, job, now)
    except KeyError as exc:  # the fake was reset while this request waited for the worker
        raise NotFound(_messages(rt)("requests", "job_not_found", id=job["id"])) from exc
    state = _state(rt).jobs.get(job["id"])
    if state is not None and view.status in rules.TERMINAL:
        state.settled = True
    return view


async def _observe(rt: Runtime, job: dict, now: float) -> View:
    if job.get("source_failure"):
        return View("failed", completed_at=job["created_at"], error_message=job["source_failure"])
    timings, controls = _timings(rt), controls_of(job)
    cancelled = job["cancelled_at"] is not None and job["cancelled_at"] <= now
    effective = controls.effective(now)
    analysis_end = job["created_at"] + analyzing_seconds(timings)
    if effective < analysis_end:
        return View("cancelled", completed_at=job["cancelled_at"]) if cancelled else View("analyzing")
    outcome = await rt.imports.outcome(job["id"])
    state = _state(rt).jobs[job["id"]]
    valid, failed = outcome.outcomes.count(VALID), outcome.outcomes.count(ERROR)
    view = View("analyzing", total_rows=outcome.rows, failed_rows=failed, error_summary=_summary(rt, state.analysis),
                analysed=outcome)
    if outcome.failure is not None:
        code, params = outcome.failure
        view.status, view.completed_at = "failed", analysis_end
        view.error_message = _messages(rt)("failures", code, **params)
        return view
    if job["dry_run"] and job["confirmed_at"] is None:
        view.successful_rows = valid
        view.status = "cancelled" if cancelled else "ready"
        view.completed_at = job["cancelled_at"] if cancelled else None
        return view
    start = job["confirmed_at"] if job["dry_run"] else analysis_end
    application = state.application
    done = min(rows_done(start, effective, valid, timings.rows_per_second),
               application.applied if application is not None else 0)
    view.successful_rows = done
    view.products_created = application.count(CREATED, done) if application is not None else 0
    view.products_updated = application.count(UPDATED, done) if application is not None else 0
    finish = start + valid / timings.rows_per_second
    if done == valid and effective >= finish:
        view.status, view.completed_at = "completed", controls.to_real(finish)
    elif cancelled:
        view.status, view.completed_at = "cancelled", job["cancelled_at"]
    else:
        view.status = "paused" if controls.is_paused(now) else "processing"
    return view


async def progress(rt: Runtime, wait: bool) -> None:
    """Apply the rows the clock has processed of every moving job, oldest job first (the core's index says which:
    `mock_server.imports.progress`), so jobs write the catalogue in time order."""
    now = rt.clock.now()
    for job_id in rt.progress.due("pixee", now):
        if await _advance(rt, job_id, now, wait):
            rt.progress.done("pixee", job_id)
            state = _state(rt).jobs.get(job_id)
            if state is not None:
                state.settled = True


async def _advance(rt: Runtime, job_id: str, now: float, wait: bool) -> bool:
    """Apply `job_id`'s rows due by `now`; True once it has nothing more to apply."""
    job, state = rt.store.find(rules.JOBS, "id", job_id), _state(rt).jobs.get(job_id)
    if job is None or state is None:
        return True
    if not wait and rt.imports.ready(job_id) is None:  # still being read: a later tick takes it
        return False
    try:
        outcome = await rt.imports.outcome(job_id)
    except KeyError:  # reset meanwhile
        return True
    if outcome.failure is not None:
        return True
    timings, controls = _timings(rt), controls_of(job)
    effective = controls.effective(now)
    start = job["confirmed_at"] if job["dry_run"] else job["created_at"] + analyzing_seconds(timings)
    valid = outcome.outcomes.count(VALID)
    done = rows_done(start, effective, valid, timings.rows_per_second)
    if state.application is None:
        state.application = Application(state.analysis.spool.path, valid)
    state.application.apply_until(done, _apply_batch(rt, job, state, start, controls))
    if job["cancelled_at"] is not None and job["cancelled_at"] <= now:
        state.application.discard()
        return True
    return done == valid and effective >= start + valid / timings.rows_per_second


def body(job: dict, view: View) -> dict:
    return {
        "id": job["id"], "file_name": job["file_name"], "file_type": job["file_type"], "file_size": job["file_size"],
        "status": view.status, "total_rows": view.total_rows, "successful_rows": view.successful_rows,
        "failed_rows": view.failed_rows, "products_created": view.products_created,
        "products_updated": view.products_updated, "started_at": iso(job["created_at"]),
        "completed_at": iso(view.completed_at), "error_summary": view.error_summary,
        "supplier_code": job["supplier_code"], "dry_run": job["dry_run"], "created_at": iso(job["created_at"]),
        "error_message": view.error_message, "automation_id": job["automation_id"],
    }


async def control(rt: Runtime, job: dict, action: str) -> dict:
    """pause / resume / cancel / confirm, each only from the statuses `rules.CONTROLS` allows (else 409)."""
    now = rt.clock.now()
    view = await observe(rt, job, now)
    if view.status not in rules.CONTROLS[action]:
        raise Conflict(_messages(rt)("requests", "invalid_transition", action=action, status=view.status,
                                     allowed=rules.CONTROL_HINTS[action]), code="invalid_transition")
    pauses = [list(p) for p in job["pauses"]]
    changes: dict = {}
    if action == "pause":
        changes["pauses"] = pauses + [[now, None]]
    elif action == "resume":
        pauses[-1][1] = now
        changes["pauses"] = pauses
    elif action == "cancel":
        if pauses and pauses[-1][1] is None:
            pauses[-1][1] = now
        changes = {"pauses": pauses, "cancelled_at": now}
    else:
        changes["confirmed_at"] = now
    doc_id = rt.store.lookup(rules.JOBS, "id", job["id"])
    if doc_id is None:  # the fake was reset while this request waited for the job's file to be read
        raise NotFound(_messages(rt)("requests", "job_not_found", id=job["id"]))
    rt.store.update(rules.JOBS, doc_id, changes)
    job = {**job, **changes}
    if action == "confirm":
        schedule(rt, job, now)
    return {"id": job["id"], "status": (await observe(rt, job, now)).status}


def forget_all(rt: Runtime) -> None:
    for state in _state(rt).jobs.values():
        if state.application is not None:
            state.application.discard()
        else:
            Application(state.analysis.spool.path, 0).discard()
    _state(rt).jobs = {}
