"""Uploaded files: copied off the request into a temporary file the import worker reads and deletes."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import UploadFile

from mock_server.errors import BadRequest

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class SavedUpload:
    path: Path
    filename: str | None
    size: int
    head: bytes  # the first bytes, for format detection


async def save_upload(upload: object, *, missing_message: str) -> SavedUpload:
    """The part as a file on disk. A plain form field where a file belongs is refused: Connexion lets a
    text part named `file` through validation (docs/STACK-NOTES.md)."""
    if not isinstance(upload, UploadFile):
        raise BadRequest(missing_message, code="missing_file")
    head = b""
    size = 0
    with tempfile.NamedTemporaryFile(prefix="pimkit-upload-", delete=False) as out:
        while chunk := await upload.read(CHUNK):
            if len(head) < 4096:
                head += chunk[: 4096 - len(head)]
            size += len(chunk)
            out.write(chunk)
    await upload.close()
    return SavedUpload(Path(out.name), upload.filename, size, head)
