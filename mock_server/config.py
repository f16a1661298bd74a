"""Configuration of one fake instance: everything `create_app` builds from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

# The manual clock starts at the seed's own example instant (004: "created_at": "2024-03-15T09:00:00Z").
MANUAL_CLOCK_START = datetime(2024, 3, 15, 9, 0, 0, tzinfo=UTC)
DEFAULT_MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Config:
    clock: str = "real"  # "real" or "manual"
    clock_start: datetime = MANUAL_CLOCK_START
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    # Largest total an XLSX archive may expand to before it is treated as a zip bomb.
    max_xlsx_expanded_bytes: int = 200 * 1024 * 1024
    vendors: tuple[str, ...] = ("productsmanager", "pixee", "pims", "wizart")
    swagger_ui: bool = True
    validate_responses: bool = False
    # Per-vendor overrides of the import engine's stage timings, e.g. {"productsmanager": {"rows_per_second": 50}}.
    timings: dict = field(default_factory=dict)
    # Where Pixee automations with an sftp/ftp file_source read their files: <source_dir>/<host>/<path>.
    # None: the packaged fixtures/pixee/sources.
    source_dir: str | None = None

    def __post_init__(self) -> None:
        if self.clock not in ("real", "manual"):
            raise ValueError(f"clock must be 'real' or 'manual', not {self.clock!r}")
        if self.max_upload_bytes <= 0:
            raise ValueError("max_upload_bytes must be positive")
