"""Configuration of one fake instance: everything `create_app` builds from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

# The manual clock starts at the seed's own example instant (004: "created_at": "2024-03-15T09:00:00Z").
MANUAL_CLOCK_START = datetime(2024, 3, 15, 9, 0, 0, tzinfo=UTC)
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _registry() -> dict[str, str]:
    from mock_server.vendors import REGISTRY

    return REGISTRY


@dataclass(frozen=True)
class Config:
    clock: str = "real"  # "real" or "manual"
    clock_start: datetime = MANUAL_CLOCK_START
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    # Largest total an XLSX archive may expand to before it is treated as a zip bomb.
    max_xlsx_expanded_bytes: int = 200 * 1024 * 1024
    # Overrides of the import limits (mock_server.imports.formats.Limits), e.g. {"max_cells_per_row": 100}.
    import_limits: dict = field(default_factory=dict)
    # the APIs served: by default every one in the vendor list (mock_server/vendors/__init__.py:REGISTRY)
    vendors: tuple[str, ...] = field(default_factory=lambda: tuple(_registry()))
    swagger_ui: bool = True
    validate_responses: bool = False
    # Per-vendor overrides of the import timings, one format for every vendor (README "Import timings"), e.g.
    # {"pixee": {"stages": {"analyzing": 0}, "rows_per_second": 50}}; an unknown key is an error.
    timings: dict = field(default_factory=dict)
    # The process's import threads, shared by every tenant in turn (README "Imports run side by side", POOL-D01):
    # two, so one long slice (an XLSX's shared strings) never holds every other import; and how many files may be
    # parsed in child processes at once, process-wide (POOL-D02).
    import_workers: int = 2
    import_child_processes: int = 4
    # The process's webhook threads, shared by every tenant in turn (README "Tenants", POOL-D03).
    webhook_workers: int = 4
    # Files of at least this many bytes are parsed in a child process, off the serving process's GIL
    # (README "Imports run side by side", ENG-D10); None: every file on the worker threads.
    import_process_bytes: int | None = 1 << 20
    # Where Pixee automations with an sftp/ftp file_source read their files: <source_dir>/<host>/<path>.
    # None: the packaged fixtures/pixee/sources.
    source_dir: str | None = None
    # Integrator tooling (openapi/DECISIONS.md, Integrator tooling). Requests the journal keeps (0: off), and
    # the first bytes of each body it keeps.
    journal_size: int = 10_000
    journal_body_bytes: int = 4096
    # Fault definitions in force from the start (the `--faults` file), and the seed of their dice (None: random).
    faults: tuple = ()
    fault_seed: int | None = None
    # Accept requests the spec would reject for unknown fields or loose types, recording the violation.
    lenient: bool = False
    # Keep the state in this file across restarts (None: in memory only): every change is logged and fsynced
    # before its request is answered; the state outside the store (import outcomes) is logged every
    # `data_interval` s; the log is compacted into the file once it passes `data_compact_bytes`.
    data_file: str | None = None
    data_interval: float = 1.0
    data_compact_bytes: int = 64 * 1024 * 1024
    data_sync: str = "disk"  # "disk": acknowledged once fdatasync'd; "os": once handed to the kernel (DUR-D01)
    # Per-API rate limits per token, e.g. {"jasper": {"requests": 60, "per_seconds": 60}}; none by default.
    rate_limits: dict = field(default_factory=dict)
    # The admin API answers loopback clients only; with a token, only requests carrying it (any address).
    admin_token: str | None = None
    # Seconds a request's whole body may take to arrive before a 408 (a slow or stalled client).
    body_timeout: float = 60.0
    # Tenants (README "Tenants"): at most this many live at once (the least recently used is evicted to make
    # room), and one idle for longer than `tenant_idle_seconds` is evicted.
    max_tenants: int = 1000
    tenant_idle_seconds: float = 3600.0

    def __post_init__(self) -> None:
        if self.clock not in ("real", "manual"):
            raise ValueError(f"clock must be 'real' or 'manual', not {self.clock!r}")
        if self.max_upload_bytes <= 0:
            raise ValueError("max_upload_bytes must be positive")
        if self.journal_size < 0 or self.journal_body_bytes < 0:
            raise ValueError("journal_size and journal_body_bytes must be >= 0")
        if min(self.import_workers, self.import_child_processes, self.webhook_workers) < 1:
            raise ValueError("import_workers, import_child_processes and webhook_workers must be >= 1")
        if self.max_tenants < 1 or not self.tenant_idle_seconds > 0:
            raise ValueError("max_tenants must be >= 1 and tenant_idle_seconds positive")
        if not self.body_timeout > 0:
            raise ValueError("body_timeout must be positive")
        if self.admin_token is not None and (not self.admin_token or not self.admin_token.isascii()
                                             or not self.admin_token.isprintable() or " " in self.admin_token):
            raise ValueError("admin_token must be visible ASCII characters without spaces")
