"""Wizart's vocabulary as data: tables, the nine statuses and their stages, versions, token kinds, limits."""

from __future__ import annotations

from dataclasses import dataclass

from mock_server.imports.timeline import Flow, Stage, configured_flow

PRODUCTS = "wizart.products"
IMPORTS = "wizart.imports"
MEDIA_TYPE = "application/vnd.api+json"
JSONAPI = {"version": "1.1"}

# The seed's table, in order (X-93: waiting_queue comes after the checks, as listed).
STATUSES = ("uploading_files", "validating_csv", "unpacking_archive", "checking_images", "waiting_queue",
            "importing_data", "success", "warning", "failure")
TERMINAL = frozenset({"success", "warning", "failure"})
# the State column, normalised to three words (DECISIONS.md WZ-D07).
STATE = {status: ("finished" if status in TERMINAL else "in_progress") for status in STATUSES}

# Each stage before the queue lasts a fixed time of the virtual clock; the queue lasts at least QUEUE_SECONDS and
# until a worker is free; rows are imported at rows_per_second (DECISIONS.md WZ-D08).
PRE_QUEUE = ("uploading_files", "validating_csv", "unpacking_archive", "checking_images")
FLOW = Flow(
    waiting=tuple(Stage(status, 1.0) for status in PRE_QUEUE) + (Stage("waiting_queue", 1.0),),
    running="importing_data",
    rows_per_second=100.0,
    terminal={"clean": "success", "with_errors": "warning", "aborted": "failure"},
)
DEFAULT_WORKERS = 2

# failure code -> the stage at whose end the import fails (a fatal row fails it during importing_data)
FAILURE_STAGE = {
    "no_header": "validating_csv", "not_utf8": "validating_csv", "bad_csv": "validating_csv",
    "missing_columns": "validating_csv", "structure_changed": "validating_csv",
    "required_value_missing": "validating_csv", "no_data_rows": "validating_csv",
    "unsupported_format": "validating_csv", "internal": "validating_csv", "interrupted": "validating_csv",
    "archive_corrupt": "unpacking_archive", "archive_bomb": "unpacking_archive",
}

VERSIONS = ("2.0", "2.1")
# X-91 read as the 2.0 row having lost its end date to the 2.1 row (DECISIONS.md WZ-D03): 2.0 was deprecated when
# 2.1 came out (14.04.2022) and its support ended on 01.01.2023; 2.1 is current.
DEPRECATED = {
    "2.0": {"Deprecation": "@1649894400", "Sunset": "Sun, 01 Jan 2023 00:00:00 GMT",
            "successor": "2.1"},
}

TOKEN_KINDS = ("bearer", "web", "android", "ios", "direct")
TOKEN_NAMES = {"bearer": "Bearer", "web": "Web", "android": "Android", "ios": "iOS", "direct": "Direct"}
DEVICE_KINDS = frozenset({"android", "ios"})


@dataclass(frozen=True)
class Settings:
    """Knobs a test or the benchmark may turn, from Config.timings["wizart"]."""

    flow: Flow = FLOW
    workers: int = DEFAULT_WORKERS
    max_archive_bytes: int = 16 * 1024 * 1024
    max_expanded_bytes: int = 256 * 1024 * 1024
    max_members: int = 10_000
    # a member that inflates more than this many times its compressed size (and past 1 MiB) is a bomb
    max_ratio: int = 100

    @classmethod
    def from_overrides(cls, timings: dict) -> Settings:
        """From `Config.timings`: the shared stage/rate overrides (`configured_flow`) and Wizart's own knobs."""
        knobs = ("workers", "max_archive_bytes", "max_expanded_bytes", "max_members", "max_ratio")
        overrides = timings.get("wizart", {})
        known = {k: overrides[k] for k in knobs if k in overrides}
        return cls(flow=configured_flow(FLOW, timings, "wizart", frozenset(knobs)),
                   **{k: int(v) for k, v in known.items()})

    @property
    def queue_entry(self) -> float:
        """Seconds from upload to the queue (the stages before it)."""
        return sum(s.seconds for s in self.flow.waiting if s.status != "waiting_queue")

    @property
    def queue_seconds(self) -> float:
        return next(s.seconds for s in self.flow.waiting if s.status == "waiting_queue")

    def stage_end(self, status: str) -> float:
        """Seconds from upload to the end of a stage before the queue."""
        total = 0.0
        for stage in self.flow.waiting:
            total += stage.seconds
            if stage.status == status:
                return total
        raise KeyError(status)


def log_file(import_id: str) -> str:
    return f"import-{import_id}.log"
