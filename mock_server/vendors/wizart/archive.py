"""The images ZIP: refused at upload when it is no ZIP, unsafe or a bomb by its own declarations; inflated on the
worker (`unpacking_archive`) with the real sizes counted, so a lying archive fails the import instead.

Nothing is written to disk: each member is inflated in chunks and counted, and the names and sizes kept are what
`checking_images` and the products need. zipfile never inflates a member past its declared size (it fails the CRC
instead), so the declared total bounds the work; the actual total is still counted (WZ-D09).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from mock_server.errors import BadRequest, PayloadTooLarge, Unprocessable
from mock_server.imports.formats import ImportAborted
from mock_server.specs import Messages
from mock_server.vendors.wizart.rules import Settings

CHUNK = 64 * 1024
_DRIVE = re.compile(r"^[A-Za-z]:")


def unsafe_name(name: str) -> bool:
    """Absolute paths, `..` segments, backslashes, drive letters and control characters: never extracted."""
    if not name or name.startswith("/") or "\\" in name or _DRIVE.match(name):
        return True
    if any(ord(c) < 32 for c in name):
        return True
    return ".." in name.split("/")


@dataclass(frozen=True)
class Listing:
    files: int
    declared_bytes: int


def inspect(path: Path, size: int, settings: Settings, messages: Messages) -> Listing:
    """The checks that need only the central directory, done while the client waits (WZ-D09)."""
    mb = settings.max_archive_bytes / (1024 * 1024)
    if size > settings.max_archive_bytes:
        raise PayloadTooLarge(messages("requests", "archive_too_large", limit_mb=f"{mb:g}"), code="archive_too_large",
                              pointer="/images")
    too_many = Unprocessable(messages("requests", "too_many_members", limit=settings.max_members),
                             code="too_many_members", pointer="/images")
    try:
        if declared_members(path) > settings.max_members:
            raise too_many  # before zipfile builds an entry per member (180k of them took 1.3 s)
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise Unprocessable(messages("requests", "not_a_zip"), code="not_a_zip", pointer="/images") from exc
    if len(infos) > settings.max_members:  # the end record understated them
        raise too_many
    for info in infos:
        # orig_filename: zipfile cuts `filename` at a NUL, which would hide "evil.sh\x00.jpg"
        if unsafe_name(info.orig_filename):
            raise Unprocessable(messages("requests", "unsafe_member_name", name=info.orig_filename[:200]),
                                code="unsafe_member_name", pointer="/images")
    declared = sum(info.file_size for info in infos)
    expanded_mb = f"{settings.max_expanded_bytes / (1024 * 1024):g}"
    if declared > settings.max_expanded_bytes or any(_suspicious_ratio(info, settings) for info in infos):
        raise Unprocessable(messages("requests", "archive_bomb", limit_mb=expanded_mb), code="archive_bomb",
                            pointer="/images")
    return Listing(files=sum(1 for i in infos if not i.is_dir()), declared_bytes=declared)


def declared_members(path: Path) -> int:
    """The member count the end-of-central-directory record declares (zip64 included), read from the file's
    last bytes without parsing a single entry."""
    with open(path, "rb") as handle:
        end = zipfile._EndRecData(handle)  # type: ignore[attr-defined]  # the stdlib's own reader of that record
    if end is None:
        raise zipfile.BadZipFile("no end-of-central-directory record")
    return int(end[zipfile._ECD_ENTRIES_TOTAL])  # type: ignore[attr-defined]


def _suspicious_ratio(info: zipfile.ZipInfo, settings: Settings) -> bool:
    return info.file_size > 1024 * 1024 and info.file_size > settings.max_ratio * max(1, info.compress_size)


def unpack(path: Path, settings: Settings) -> dict[str, int]:
    """Every image's name -> its real size, inflating each member; ImportAborted when it cannot be done."""
    sizes: dict[str, int] = {}
    total = 0
    limit_mb = f"{settings.max_expanded_bytes / (1024 * 1024):g}"
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.is_dir():
                    continue
                size = 0
                with archive.open(info) as member:
                    while chunk := member.read(CHUNK):
                        size += len(chunk)
                        total += len(chunk)
                        if total > settings.max_expanded_bytes:
                            raise ImportAborted("archive_bomb", limit_mb=limit_mb)
                sizes[info.filename] = size
    except ImportAborted:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError,
            RuntimeError) as exc:  # RuntimeError: an encrypted member
        raise ImportAborted("archive_corrupt", detail=str(exc)[:200] or type(exc).__name__) from exc
    return sizes


def image_index(sizes: dict[str, int]) -> dict[str, tuple[str, int]]:
    """What a CSV may call an image -> (member name, size): its path in the archive, or its bare file name."""
    index: dict[str, tuple[str, int]] = {}
    for name, size in sizes.items():
        index.setdefault(posixpath.basename(name), (name, size))
        index[name] = (name, size)
    return index


def missing_part(part: str, messages: Messages) -> BadRequest:
    return BadRequest(messages("requests", "missing_file", part=part), code="missing_file", pointer=f"/{part}")
