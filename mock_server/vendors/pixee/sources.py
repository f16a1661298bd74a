"""Reading an automation's file source: http fetched for real, sftp/ftp from a local directory.

The fake has no SFTP or FTP server to reach: a source `{"type": "sftp", "host": H, "path": P}` is read from
`<source dir>/H/P` (`pim-mock serve --source-dir`, default the packaged fixtures/pixee/sources), so a test
or an integrator drops the supplier's file there. Whatever goes wrong becomes `SourceUnavailable`, whose
message ends up as the failed job's reason.
"""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePosixPath

import httpx

from mock_server.uploads import SavedUpload


class SourceUnavailable(Exception):
    """The source could not be read; the message says why, for a person."""


def _saved(name: str, content: bytes) -> SavedUpload:
    with tempfile.NamedTemporaryFile(prefix="pimkit-source-", delete=False) as out:
        out.write(content)
    return SavedUpload(Path(out.name), name, len(content), content[:4096])


async def _http(source: dict, limit: int) -> SavedUpload:
    url = source["url"]
    try:
        async with httpx.AsyncClient(timeout=10, follow_redirects=True) as client:
            response = await client.get(url, headers=source.get("headers") or {})
    except httpx.HTTPError as exc:
        raise SourceUnavailable(f"GET {url} failed: {type(exc).__name__}: {exc}") from exc
    if response.status_code != 200:
        raise SourceUnavailable(f"GET {url} answered HTTP {response.status_code}")
    if len(response.content) > limit:
        raise SourceUnavailable(f"GET {url} returned {len(response.content)} bytes, over the {limit}-byte limit")
    name = PurePosixPath(httpx.URL(url).path).name or "download"
    return _saved(name, response.content)


def _local(source: dict, root: Path, limit: int) -> SavedUpload:
    base = (root / source["host"]).resolve()
    target = (base / source["path"].lstrip("/")).resolve()
    if not target.is_relative_to(root.resolve()):
        raise SourceUnavailable(f"{source['type']}://{source['host']}{source['path']} is outside the source directory")
    if not target.is_file():
        raise SourceUnavailable(
            f"no file {source['path']} on {source['type']}://{source['host']} (the fake reads it from {target})")
    if target.stat().st_size > limit:
        raise SourceUnavailable(f"{source['path']} is over the {limit}-byte limit")
    return _saved(target.name, target.read_bytes())


async def fetch(source: dict, *, root: Path, limit: int) -> SavedUpload:
    if source["type"] == "http":
        return await _http(source, limit)
    return _local(source, root, limit)
