"""Pixee automations: recurring imports on a cron schedule, run when the virtual clock passes their due time."""

from __future__ import annotations

import logging
import math
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from croniter import croniter

from mock_server.clock import iso
from mock_server.errors import BadRequest, NotFound
from mock_server.imports.formats import detect_format
from mock_server.resources import fixtures_dir
from mock_server.runtime import Runtime
from mock_server.specs import Messages
from mock_server.vendors.pixee import jobs, rules
from mock_server.vendors.pixee.cron import runs_between
from mock_server.vendors.pixee.sources import DEADLINE_SECONDS, SourceUnavailable, fetch, http_source_problem
from mock_server.vendors.pixee.state import state as vendor_state

log = logging.getLogger(__name__)


def _messages(rt: Runtime) -> Messages:
    return rt.messages["pixee"]


def next_due(schedule: str, after: float) -> float:
    due: float = croniter(schedule, datetime.fromtimestamp(after, tz=UTC)).get_next(float)  # croniter is untyped
    return due


def valid_schedule(schedule: str) -> bool:
    """Five fields, as cron writes them ("0 2 * * *"), that croniter can step through."""
    return len(schedule.split()) == 5 and croniter.is_valid(schedule)


def source_problem(source: object, messages: Messages) -> BadRequest | None:
    """What is wrong with a `file_source` (the fields its type needs, FileSource's oneOf in the spec), or None."""
    if not isinstance(source, dict):
        return None
    kind = source.get("type")
    if not isinstance(kind, str) or kind not in rules.SOURCE_FIELDS:
        return None
    missing = [name for name in rules.SOURCE_FIELDS[kind] if not str(source.get(name) or "").strip()]
    if kind == "http" and not missing and not str(source["url"]).lower().startswith(("http://", "https://")):
        missing = ["url (an http:// or https:// address)"]
    if missing:
        return BadRequest(messages("requests", "invalid_source", type=kind, missing=", ".join(missing)),
                          code="invalid_source")
    problem = http_source_problem(source) if kind == "http" else None
    if problem:  # "http://127.0.0.1:abc/x" was accepted, and its runs broke every Pixee request (issue 14)
        return BadRequest(messages("requests", "unusable_source", type=kind, problem=problem), code="invalid_source")
    return None


def _check_source(rt: Runtime, source: dict) -> None:
    problem = source_problem(source, _messages(rt))
    if problem is not None:
        raise problem


def create(rt: Runtime, body: dict) -> dict:
    schedule = body["schedule"].strip()
    if not valid_schedule(schedule):
        raise BadRequest(_messages(rt)("requests", "invalid_schedule", schedule=schedule), code="invalid_schedule")
    _check_source(rt, body["file_source"])
    now = rt.clock.now()
    active = body.get("is_active", True)
    doc = {"id": str(uuid.uuid4()), "name": body["name"], "supplier_code": body.get("supplier_code"),
           "schedule": schedule, "file_source": body["file_source"], "mapping": body.get("mapping") or {},
           "is_active": active, "created_at": now, "next_run_at": next_due(schedule, now) if active else None,
           "last_run_at": None, "last_job_id": None, "run_count": 0, "skipped_runs": 0}
    rt.store.insert(rules.AUTOMATIONS, doc)
    reschedule(rt)
    return doc


def find(rt: Runtime, automation_id: str) -> dict:
    doc = rt.store.find(rules.AUTOMATIONS, "id", automation_id)
    if doc is None:
        raise NotFound(_messages(rt)("requests", "automation_not_found", id=automation_id))
    return doc


def delete(rt: Runtime, automation_id: str) -> None:
    doc_id = rt.store.lookup(rules.AUTOMATIONS, "id", automation_id)
    if doc_id is None:
        raise NotFound(_messages(rt)("requests", "automation_not_found", id=automation_id))
    rt.store.remove(rules.AUTOMATIONS, doc_id)
    reschedule(rt)


def view(doc: dict) -> dict:
    source = {k: v for k, v in doc["file_source"].items() if k not in rules.SECRET_SOURCE_FIELDS}
    return {"id": doc["id"], "name": doc["name"], "schedule": doc["schedule"], "is_active": doc["is_active"],
            "created_at": iso(doc["created_at"]), "supplier_code": doc["supplier_code"], "file_source": source,
            "mapping": doc["mapping"], "next_run_at": iso(doc["next_run_at"]), "last_run_at": iso(doc["last_run_at"]),
            "last_job_id": doc["last_job_id"]}


def source_root(rt: Runtime) -> Path:
    configured = rt.config.source_dir
    return Path(configured) if configured else Path(str(fixtures_dir("pixee") / "sources"))


async def _run(rt: Runtime, doc: dict, due: float) -> tuple[str, str | None]:
    """One run: fetch the file and start an ordinary job created at the due instant; (its job id, the error or
    None). Whatever goes wrong (a source loaded with `--data` from before validation, a bug) fails this run's job,
    logged; it never escapes into the request that happened to bring the clock past the due time."""
    options = jobs.Options(supplier_code=doc["supplier_code"], mapping=doc["mapping"])
    deadline = float(rt.config.timings.get("pixee", {}).get("source_deadline_seconds", DEADLINE_SECONDS))
    try:
        upload = await fetch(doc["file_source"], root=source_root(rt), limit=rt.config.max_upload_bytes,
                             deadline=deadline)
        file_type = rules.ACCEPTED_EXTENSIONS.get(Path(upload.filename or "").suffix.lower()) or detect_format(
            upload.filename, upload.head)
        return jobs.create(rt, upload, file_type, options, created_at=due, automation_id=doc["id"])["id"], None
    except Exception as exc:
        if not isinstance(exc, SourceUnavailable):
            log.exception("automation %s: its run at %s failed", doc["id"], iso(due))
            exc = SourceUnavailable(f"{type(exc).__name__}: {exc}"[:300])
        name = Path(str(doc["file_source"].get("path") or doc["file_source"].get("url") or "source")).name
        reason = _messages(rt)("failures", "source_unavailable", detail=str(exc))
        job = jobs.new_job_doc(rt, file_name=name, file_type=rules.ACCEPTED_EXTENSIONS.get(Path(name).suffix, "csv"),
                               file_size=0, options=options, created_at=due, automation_id=doc["id"], failure=reason)
        return job["id"], reason


async def run_due(rt: Runtime) -> None:
    """Every active automation whose due time the clock has passed runs, once per due time, in time order.

    The earliest due time of all automations is kept, so a clock move before it costs nothing. A jump past more
    due times than are made up at once runs the first `MAX_CATCH_UP_RUNS` and counts the rest as skipped by
    arithmetic (`cron.runs_between`), without stepping through them (DECISIONS.md ENG-D04)."""
    state = vendor_state(rt)
    now = rt.clock.now()
    if state.next_automation_at > now:
        return
    async with state.scheduler_lock:
        docs = sorted(rt.store.all(rules.AUTOMATIONS), key=lambda d: d["created_at"])
        upcoming = {d["id"]: d["next_run_at"] for d in docs if d["is_active"] and d["next_run_at"] is not None}
        for doc in docs:
            if not doc["is_active"] or doc["next_run_at"] is None or doc["next_run_at"] > now:
                continue
            runs, due = 0, doc["next_run_at"]
            changes: dict[str, Any] = {}
            while due <= now and runs < rules.MAX_CATCH_UP_RUNS:
                changes["last_job_id"], error = await _run(rt, doc, due)
                changes["last_run_at"] = due
                changes["last_error"] = None if error is None else {"at": iso(due), "error": error}
                runs += 1
                due = next_due(doc["schedule"], due)
            skipped = 0
            if due <= now:  # more were missed than are made up at once: skip them, and count them
                skipped = runs_between(doc["schedule"], due - 1, now)
                due = next_due(doc["schedule"], now)
            changes.update(next_run_at=due, run_count=doc["run_count"] + runs,
                           skipped_runs=doc["skipped_runs"] + skipped)
            doc_id = rt.store.lookup(rules.AUTOMATIONS, "id", doc["id"])
            if doc_id is None:  # deleted (or the fake reset) while its run fetched the file: nothing to record
                upcoming.pop(doc["id"], None)
                continue
            upcoming[doc["id"]] = due
            rt.store.update(rules.AUTOMATIONS, doc_id, changes)
        state.next_automation_at = min(upcoming.values(), default=math.inf)


def problems(rt: Runtime) -> list[dict]:
    """Active automations whose last run failed (`/__admin/health`'s `problems`, ENG-D09): a run that succeeds
    clears its automation's entry."""
    return [{"api": "pixee", "automation_id": doc["id"], "name": doc["name"], "last_run_at": doc["last_error"]["at"],
             "error": doc["last_error"]["error"]}
            for doc in rt.store.all(rules.AUTOMATIONS) if doc["is_active"] and doc.get("last_error")]


def reschedule(rt: Runtime) -> None:
    """Automations were created, deleted or reloaded: the next clock move looks at all of them again."""
    vendor_state(rt).next_automation_at = -math.inf
