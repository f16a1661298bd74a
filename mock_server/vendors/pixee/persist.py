"""`--data`: what Pixee keeps outside the store — each job's analysis (preview, failures by field, the valid rows
spooled to disk) and how far its rows are applied — dumped to JSON and restored after a restart.

The log lines are in the store already; only their positions are rebuilt. A job's spool is kept once beside the
data file when its analysis is done (`spool.keep`); each save records how far it is applied, and the restored
reader starts there (openapi/DECISIONS.md TL-D06, ENG-D06).
"""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from mock_server.imports.logs import JobLog
from mock_server.imports.spool import dump_application, keep, restored_application, restored_spool
from mock_server.vendors.pixee import rules
from mock_server.vendors.pixee.analysis import Analysis
from mock_server.vendors.pixee.jobs import LEVELS, JobState
from mock_server.vendors.pixee.state import state as vendor_state

if TYPE_CHECKING:  # the runtime imports the vendor registry
    from mock_server.runtime import Runtime


def dump(runtime: Runtime) -> dict:
    jobs: dict[str, dict[str, Any]] = {}
    for job_id, state in vendor_state(runtime).jobs.items():
        application = state.application
        # a job still being read is saved as interrupted (its file is gone after a restart): no spool to keep
        data_file, kept = runtime.config.data_file, False
        if data_file is not None and not state.settled and runtime.imports.ready(job_id) is not None:
            keep(state.analysis.spool.path, data_file, job_id)
            kept = True
        jobs[job_id] = {
            "failed_by_field": dict(state.analysis.failed_by_field),
            "preview": [list(item) for item in state.analysis.preview],
            "spool_rows": state.analysis.spool.rows,
            "spool_kept": kept,
            "application": dump_application(application),
            "settled": state.settled,
        }
    return {"jobs": jobs}


def restore(runtime: Runtime, dumped: dict) -> None:
    jobs = vendor_state(runtime).jobs
    for job_id, saved in dumped.get("jobs", {}).items():
        log = JobLog(runtime.store, rules.logs_table(job_id), LEVELS)
        log.reload()
        spool = restored_spool(runtime.config.data_file, job_id, saved.get("spool_kept", False), saved["spool_rows"])
        analysis = Analysis(spool=spool, failed_by_field=Counter(saved["failed_by_field"]),
                            preview=[tuple(item) for item in saved["preview"]])
        application = restored_application(spool.path, saved["application"])
        jobs[job_id] = JobState(log=log, analysis=analysis, application=application, settled=saved["settled"])
        doc = runtime.store.find(rules.JOBS, "id", job_id)
        if not saved["settled"] and doc is not None and (not doc["dry_run"] or doc["confirmed_at"] is not None):
            runtime.progress.schedule("pixee", job_id, due=doc["created_at"], order=doc["created_at"])
    for doc in runtime.store.all(rules.JOBS):
        if doc["id"] not in jobs:  # created after the last state save: the engine reads it as interrupted
            log = JobLog(runtime.store, rules.logs_table(doc["id"]), LEVELS)
            log.reload()
            jobs[doc["id"]] = JobState(log=log, analysis=Analysis(spool=restored_spool(None, doc["id"], False, 0)))
