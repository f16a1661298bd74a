"""Reading an automation's file source: http fetched for real, sftp/ftp from a local directory.

The fake has no SFTP or FTP server to reach: a source `{"type": "sftp", "host": H, "path": P}` is read from
`<source dir>/H/P` (`pim-mock serve --source-dir`, default the packaged fixtures/pixee/sources), so a test
or an integrator drops the supplier's file there. Whatever goes wrong becomes `SourceUnavailable`, whose
message ends up as the failed job's reason.
"""

from __future__ import annotations

import asyncio
import ipaddress
import os
import re
import shutil
import tempfile
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import httpx

from mock_server.uploads import SavedUpload


class SourceUnavailable(Exception):
    """The source could not be read; the message says why, for a person."""


# The whole of one http fetch (connect, headers, body) must end within this many seconds; a source that trickles
# its body fails the run instead of holding the scheduler (`timings.pixee.source_deadline_seconds` overrides it).
DEADLINE_SECONDS = 30.0
_HOST = re.compile(r"^(?:[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?\.?)+$")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_HEADER_VALUE = re.compile(r"^[\t\x20-\x7e\x80-\xff]*$")


def http_source_problem(source: dict) -> str | None:
    """Why an http source can never be fetched (checked when the automation is created), or None."""
    url = str(source.get("url") or "")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is no number or out of range
        httpx.URL(url)
    except (ValueError, httpx.InvalidURL) as exc:
        return f"url {url[:200]!r} is not a valid address ({exc})"
    if parts.scheme not in ("http", "https"):
        return "url (an http:// or https:// address)"
    if not parts.hostname or not (_HOST.match(parts.hostname) or _is_ip(parts.hostname)):
        return f"url {url[:200]!r} has no valid host name"
    for name, value in (source.get("headers") or {}).items():
        if not _HEADER_NAME.match(name) or not _HEADER_VALUE.match(str(value)):
            return f"header {name[:100]!r} is not a valid HTTP header name and value"
    return None


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)


async def _http(source: dict, limit: int, deadline: float) -> SavedUpload:
    """Streamed to a temporary file, counting bytes as they come (decoded, so a gzip bomb counts what it
    inflates to), within `limit` bytes and `deadline` seconds in all."""
    url = source["url"]
    handle, name = tempfile.mkstemp(prefix="pimkit-source-")
    path, size, head = Path(name), 0, b""
    try:
        with os.fdopen(handle, "wb") as out:
            async with asyncio.timeout(deadline), httpx.AsyncClient(timeout=deadline, follow_redirects=True) as client:
                async with client.stream("GET", url, headers=source.get("headers") or {}) as response:
                    if response.status_code != 200:
                        raise SourceUnavailable(f"GET {url} answered HTTP {response.status_code}")
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > limit:
                            raise SourceUnavailable(f"GET {url} returned more than the {limit}-byte limit")
                        if len(head) < 4096:
                            head += chunk[: 4096 - len(head)]
                        out.write(chunk)
    except SourceUnavailable:
        _discard(path)
        raise
    except TimeoutError as exc:
        _discard(path)
        raise SourceUnavailable(f"GET {url} did not complete within {deadline:g} s") from exc
    except (httpx.HTTPError, httpx.InvalidURL, httpx.StreamError, ValueError, TypeError, UnicodeError) as exc:
        _discard(path)
        raise SourceUnavailable(f"GET {url} failed: {type(exc).__name__}: {exc}") from exc
    return SavedUpload(path, PurePosixPath(httpx.URL(url).path).name or "download", size, head)


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
    with tempfile.NamedTemporaryFile(prefix="pimkit-source-", delete=False) as out, open(target, "rb") as src:
        shutil.copyfileobj(src, out)
    with open(out.name, "rb") as saved:
        head = saved.read(4096)
    return SavedUpload(Path(out.name), target.name, target.stat().st_size, head)


async def fetch(source: dict, *, root: Path, limit: int, deadline: float = DEADLINE_SECONDS) -> SavedUpload:
    if source["type"] == "http":
        return await _http(source, limit, deadline)
    return _local(source, root, limit)
