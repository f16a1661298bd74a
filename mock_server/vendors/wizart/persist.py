"""`--data`: what Wizart keeps outside the store — each import's analysis (skipped rows, fatal row, archive
failure, spooled valid rows), its place in the queue, how far its rows are written, the products it wrote — dumped
to JSON and restored after a restart (openapi/DECISIONS.md ENG-D08). The import documents are in the store."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from mock_server.imports.spool import dump_application, keep, restored_application, restored_spool
from mock_server.vendors.wizart import rules
from mock_server.vendors.wizart.analysis import Analysis
from mock_server.vendors.wizart.imports import NAME, ImportState, View, settings
from mock_server.vendors.wizart.state import Queue
from mock_server.vendors.wizart.state import state as vendor_state

if TYPE_CHECKING:  # the runtime imports the vendor registry
    from mock_server.runtime import Runtime


def _tuple(value: list[Any] | None) -> tuple[Any, ...] | None:
    """A pair saved as a JSON list, back as the tuple it was (code, params), or None."""
    return tuple(value) if value is not None else None


def dump(runtime: Runtime) -> dict:
    state = vendor_state(runtime)
    saved: dict[str, dict[str, Any]] = {}
    for import_id, live in state.imports.items():
        analysis, application = live.analysis, live.application
        # a job still being read is saved as interrupted (its file is gone after a restart): no spool to keep
        data_file, kept = runtime.config.data_file, False
        if data_file is not None and not live.settled and runtime.imports.ready(import_id) is not None:
            keep(analysis.spool.path, data_file, import_id)
            kept = True
        saved[import_id] = {
            "problems": [list(p) for p in analysis.problems], "fatal": analysis.fatal,
            "archive_failure": analysis.archive_failure, "invalid": analysis.invalid, "rows": analysis.rows,
            "spool_rows": analysis.spool.rows,
            "spool_kept": kept,
            "application": dump_application(application), "settled": live.settled, "start": live.start,
            "scheduled": live.scheduled, "product_ids": live.product_ids,
            "final": None if live.final is None else dataclasses.asdict(live.final),
        }
    return {"imports": saved, "queue": {"next": state.queue.next, "free": list(state.queue.free)},
            "product_ids": state.product_ids}


def restore(runtime: Runtime, dumped: dict) -> None:
    state = vendor_state(runtime)
    docs = sorted(runtime.store.all(rules.IMPORTS), key=lambda d: d["seq"])
    state.order = [doc["id"] for doc in docs]
    state.queue = Queue(next=dumped["queue"]["next"], free=list(dumped["queue"]["free"]))
    state.product_ids = list(dumped["product_ids"])
    for import_id, saved in dumped["imports"].items():
        spool = restored_spool(runtime.config.data_file, import_id, saved.get("spool_kept", False), saved["spool_rows"])
        analysis = Analysis(spool=spool, problems=[tuple(p) for p in saved["problems"]], fatal=_tuple(saved["fatal"]),
                            archive_failure=_tuple(saved["archive_failure"]), invalid=_tuple(saved["invalid"]),
                            rows=saved["rows"])
        final = None
        if saved["final"] is not None:
            final = View(**{**saved["final"], "failure": _tuple(saved["final"]["failure"])})
        state.imports[import_id] = ImportState(
            analysis=analysis, application=restored_application(spool.path, saved["application"]),
            settled=saved["settled"], start=saved["start"], scheduled=saved["scheduled"],
            product_ids=list(saved["product_ids"]), final=final)
    for doc in docs:
        live = state.imports.get(doc["id"])
        if live is None:  # created after the last state save: its file is gone, the engine reads it as interrupted
            live = state.imports[doc["id"]] = ImportState(Analysis(spool=restored_spool(None, doc["id"], False, 0)))
        if not live.settled:
            runtime.progress.schedule(NAME, doc["id"], due=doc["created_at"] + settings(runtime).queue_entry,
                                      order=doc["seq"])
