"""Pixee's vocabulary as data: tables, timings, statuses, the controls each status allows, product fields."""

from __future__ import annotations

from mock_server.imports.timeline import Flow, Stage
from mock_server.specs import load_spec

PRODUCTS = "pixee.products"
JOBS = "pixee.jobs"
AUTOMATIONS = "pixee.automations"


def logs_table(job_id: str) -> str:
    return f"pixee.logs.{job_id}"


# analyzing (2 s) → processing (500 rows/s) → completed | failed: the fake's choice (DECISIONS.md PX-D04); the
# other statuses (ready, paused, cancelled) come from the client's controls (jobs.py), not from the clock.
FLOW = Flow(waiting=(Stage("analyzing", 2.0),), running="processing", rows_per_second=500.0,
            terminal={"clean": "completed", "with_errors": "completed", "aborted": "failed"})


STATUSES = ("pending", "analyzing", "ready", "processing", "paused", "completed", "failed", "cancelled")
TERMINAL = frozenset({"completed", "failed", "cancelled"})

# control -> the statuses it applies to (seed 003 "Control a job"; issue 3 for cancel's reach)
CONTROLS: dict[str, frozenset[str]] = {
    "pause": frozenset({"processing"}),
    "resume": frozenset({"paused"}),
    "cancel": frozenset({"pending", "analyzing", "ready", "processing", "paused"}),
    "confirm": frozenset({"ready"}),
}
CONTROL_HINTS = {
    "pause": "only a processing job can be paused",
    "resume": "only a paused job can be resumed",
    "cancel": "a finished job cannot be cancelled",
    "confirm": "only a dry run that is ready can be confirmed",
}

PRODUCT_FIELDS = frozenset(load_spec("pixee")["components"]["schemas"]["ProductField"]["enum"])
TITLE_FIELD = "name"
# The seed's preview shows 3760000000001 (check digit 1, not 0) with no validation error: Pixee checks that
# an EAN has 13 digits, not its check digit (DECISIONS.md PX-D07).
CHECK_DIGIT = False
# how error_summary names a field ("5 rows failed EAN validation")
FIELD_NAMES = {"ean": "EAN", "name": "name", "price": "price"}
ACCEPTED_EXTENSIONS = {".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".xml": "xml"}
PREVIEW_ROWS_KEPT = 100
# … and no more rows once their text reaches this (rows of up to 1 MiB each would keep 100 MB per job): the
# preview then lists fewer rows than asked (DECISIONS.md HOS-D04)
PREVIEW_BYTES_KEPT = 1024 * 1024

# file_source type -> the fields it needs
SOURCE_FIELDS: dict[str, tuple[str, ...]] = {"sftp": ("host", "path"), "ftp": ("host", "path"), "http": ("url",)}
SECRET_SOURCE_FIELDS = ("password", "private_key")
# At most this many due runs of one automation are made up in one catch-up; older ones are skipped.
MAX_CATCH_UP_RUNS = 10
