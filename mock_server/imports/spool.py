"""Validated rows kept on disk between analysis and application, and applied as the clock allows.

An import that analyses first (Pixee) must not write a product before the clock says its row was
processed: a paused job writes nothing, a cancelled one stops where it was cancelled, a dry run
writes nothing until confirmed. The worker spools each valid row to a JSON-lines file; an
`Application` reads it forward, row by row, as far as the observed progress reaches.
"""

from __future__ import annotations

import base64
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import orjson

from mock_server.imports.engine import batch_size

# batch of (row_number, fields) -> one outcome byte per row (CREATED / UPDATED)
ApplyBatch = Callable[[list[tuple[int, dict]], int], list[bytes]]


class SpoolWriter:
    def __init__(self) -> None:
        handle, name = tempfile.mkstemp(prefix="pimkit-spool-", suffix=".jsonl")
        self.path = Path(name)
        self._file = os.fdopen(handle, "wb")
        self.rows = 0

    def write(self, row: int, fields: dict) -> None:
        self._file.write(orjson.dumps([row, fields]) + b"\n")
        self.rows += 1

    def close(self) -> None:
        self._file.close()


class Application:
    """How far one job's spooled rows have been applied, and what each application did."""

    def __init__(self, path: Path, rows: int) -> None:
        self.path = path
        self.rows = rows
        self.applied = 0
        self.outcomes = bytearray()
        self._reader = None

    def apply_until(self, target: int, apply_batch: ApplyBatch) -> None:
        """Apply rows `applied … target-1`; `apply_batch` gets each batch and the index of its first row.
        Batches grow with what has been applied, as the worker's do (TinyDB rewrites a table per write)."""
        target = min(target, self.rows)
        while self.applied < target:
            if self._reader is None:
                self._reader = open(self.path, "rb")  # noqa: SIM115 - kept open across calls, closed in discard
            batch = []
            for _ in range(min(batch_size(self.applied), target - self.applied)):
                row, fields = orjson.loads(self._reader.readline())
                batch.append((row, fields))
            self.outcomes.extend(b"".join(apply_batch(batch, self.applied)))
            self.applied += len(batch)
        if self.applied >= self.rows:
            self.discard()

    def count(self, byte: bytes, upto: int | None = None) -> int:
        return self.outcomes.count(byte, 0, len(self.outcomes) if upto is None else upto)

    def discard(self) -> None:
        """Nothing more will be applied: close and delete the spool."""
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        try:
            os.unlink(self.path)
        except OSError:
            pass


# --- `--data`: a job's spool and application across a restart (Pixee's and Wizart's persist hooks) ------------
def unapplied_lines(path: Path, skip: int) -> list[str]:
    """The spooled rows from the `skip`th on, as written (applied to the end and discarded: none)."""
    try:
        with open(path, encoding="utf-8") as spool:
            return [line for n, line in enumerate(spool) if n >= skip]
    except OSError:
        return []


def dump_application(application: Application | None) -> dict | None:
    if application is None:
        return None
    return {"rows": application.rows, "applied": application.applied,
            "outcomes": base64.b64encode(bytes(application.outcomes)).decode()}


def restored_spool(lines: list[str], rows: int) -> SpoolWriter:
    """A spool holding `lines` (the rows not yet applied when the state was saved); `rows` as analysed."""
    spool = SpoolWriter()
    for line in lines:
        spool._file.write(line.encode())
    spool.close()
    spool.rows = rows
    return spool


def restored_application(path: Path, saved: dict | None) -> Application | None:
    """An application over a restored spool: it reads on from the first row not applied at the save."""
    if saved is None:
        return None
    application = Application(path, saved["rows"])
    application.applied = saved["applied"]
    application.outcomes = bytearray(base64.b64decode(saved["outcomes"]))
    return application
