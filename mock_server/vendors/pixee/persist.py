"""`--data`: what Pixee keeps outside the store — each job's analysis (preview, failures by field, the valid rows
spooled to disk) and how far its rows are applied — dumped to JSON and restored after a restart.

The log lines are in the store already; only their positions are rebuilt. A spool is saved from the first row
not yet applied, so the restored reader starts where the old one stood (openapi/DECISIONS.md TL-D06).
"""

from __future__ import annotations

import base64
from collections import Counter

from mock_server.imports.logs import JobLog
from mock_server.imports.spool import Application, SpoolWriter
from mock_server.vendors.pixee import rules
from mock_server.vendors.pixee.analysis import Analysis
from mock_server.vendors.pixee.jobs import LEVELS, JobState
from mock_server.vendors.pixee.state import state as vendor_state


def _unapplied_lines(path, skip: int) -> list[str]:
    try:
        with open(path, encoding="utf-8") as spool:
            return [line for n, line in enumerate(spool) if n >= skip]
    except OSError:  # applied to the end and discarded
        return []


def dump(runtime) -> dict:
    jobs = {}
    for job_id, state in vendor_state(runtime).jobs.items():
        application = state.application
        applied = application.applied if application is not None else 0
        jobs[job_id] = {
            "failed_by_field": dict(state.analysis.failed_by_field),
            "preview": [list(item) for item in state.analysis.preview],
            "spool_rows": state.analysis.spool.rows,
            "spool": [] if state.settled else _unapplied_lines(state.analysis.spool.path, applied),
            "application": None if application is None else {
                "rows": application.rows, "applied": applied,
                "outcomes": base64.b64encode(bytes(application.outcomes)).decode()},
            "settled": state.settled,
        }
    return {"jobs": jobs}


def restore(runtime, dumped: dict) -> None:
    jobs = vendor_state(runtime).jobs
    for job_id, saved in dumped.get("jobs", {}).items():
        log = JobLog(runtime.store, rules.logs_table(job_id), LEVELS)
        log.reload()
        spool = SpoolWriter()
        for line in saved["spool"]:
            spool._file.write(line.encode())
        spool.close()
        spool.rows = saved["spool_rows"]
        analysis = Analysis(spool=spool, failed_by_field=Counter(saved["failed_by_field"]),
                            preview=[tuple(item) for item in saved["preview"]])
        application = None
        if saved["application"] is not None:
            application = Application(spool.path, saved["application"]["rows"])
            application.applied = saved["application"]["applied"]
            application.outcomes = bytearray(base64.b64decode(saved["application"]["outcomes"]))
        jobs[job_id] = JobState(log=log, analysis=analysis, application=application, settled=saved["settled"])
        doc = runtime.store.find(rules.JOBS, "id", job_id)
        if not saved["settled"] and doc is not None and (not doc["dry_run"] or doc["confirmed_at"] is not None):
            runtime.progress.schedule("pixee", job_id, due=doc["created_at"], order=doc["created_at"])
