"""Validated rows kept on disk between analysis and application, and applied as the clock allows.

An import that analyses first (Pixee) must not write a product before the clock says its row was
processed: a paused job writes nothing, a cancelled one stops where it was cancelled, a dry run
writes nothing until confirmed. The worker spools each valid row to a JSON-lines file; an
`Application` reads it forward, row by row, as far as the observed progress reaches.
"""

from __future__ import annotations

import base64
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

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
        self._reader: BinaryIO | None = None

    def apply_until(self, target: int, apply_batch: ApplyBatch) -> None:
        """Apply rows `applied … target-1`; `apply_batch` gets each batch and the index of its first row.
        Batches grow with what has been applied, as the worker's do (TinyDB rewrites a table per write)."""
        target = min(target, self.rows)
        while self.applied < target:
            if self._reader is None:
                self._reader = open(self.path, "rb")  # noqa: SIM115 - kept open across calls, closed in discard
            batch: list[tuple[int, dict]] = []
            for _ in range(min(batch_size(self.applied), target - self.applied)):
                line = self._reader.readline()
                if not line:  # a kept spool deleted before the state said so (a kill -9 within a save's second)
                    self.rows = target = self.applied + len(batch)
                    break
                row, fields = orjson.loads(line)
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
# A spool is kept once, beside the data file (`FILE.spool/<job>.jsonl`, fsynced), when the first state save after
# its analysis finds it; every later save records only how far it is applied (ENG-D06). Kept spools are deleted
# with the job's vendor state (a reset) or once a restart finds the job settled.
def kept_spool(data_file: str, job_id: str) -> Path:
    return Path(data_file + ".spool") / (job_id + ".jsonl")


def keep(path: Path, data_file: str, job_id: str) -> str:
    """Copy the closed spool at `path` beside the data file (once: an existing copy is reused); its file name."""
    target = kept_spool(data_file, job_id)
    if not target.exists():
        target.parent.mkdir(exist_ok=True)
        # Two savers may keep the same spool at once (a save beside the compaction's forked child): each copies to
        # a temporary file of its own, and only the first link wins, so the kept copy is written once and whole.
        handle, name = tempfile.mkstemp(dir=target.parent, prefix=target.stem + ".", suffix=".tmp")
        temp = Path(name)
        try:
            with os.fdopen(handle, "wb") as out:
                try:
                    with open(path, "rb") as source:
                        shutil.copyfileobj(source, out)
                except OSError:  # applied to the end and discarded meanwhile: an empty spool
                    out.truncate(0)
                out.flush()
                os.fsync(out.fileno())
            try:
                os.link(temp, target)
            except FileExistsError:
                pass  # another saver kept it first: same rows, its copy stands
        finally:
            temp.unlink(missing_ok=True)
    return target.name


def sweep_unfinished(data_file: str) -> None:
    """Delete the temporary copies a saver killed mid-copy left beside the data file (start-up, before any save)."""
    for temp in Path(data_file + ".spool").glob("*.tmp"):
        temp.unlink(missing_ok=True)


def dump_application(application: Application | None) -> dict | None:
    if application is None:
        return None
    return {"rows": application.rows, "applied": application.applied,
            "outcomes": base64.b64encode(bytes(application.outcomes)).decode()}


def restored_spool(data_file: str | None, job_id: str, kept: bool, rows: int) -> SpoolWriter:
    """The job's spool after a restart: its kept copy, or an empty one (nothing kept: nothing left to apply)."""
    spool = SpoolWriter()
    spool.close()
    spool.rows = rows
    if kept and data_file is not None and kept_spool(data_file, job_id).exists():
        os.unlink(spool.path)
        spool.path = kept_spool(data_file, job_id)
    return spool


def restored_application(path: Path, saved: dict | None) -> Application | None:
    """An application over a restored spool: it reads on from the first row not applied at the save."""
    if saved is None:
        return None
    application = Application(path, saved["rows"])
    application.applied = saved["applied"]
    application.outcomes = bytearray(base64.b64decode(saved["outcomes"]))
    if application.applied < application.rows:
        reader = application._reader = open(path, "rb")  # noqa: SIM115 - kept open across calls, closed in discard
        for _ in range(application.applied):
            reader.readline()
    return application
