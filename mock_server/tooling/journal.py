"""The request journal: every request to a vendor API, kept in a bounded ring, queried by the admin API.

Recording sits on every request's path, so an entry keeps what the ASGI server handed over as it is (raw
header pairs, the first bytes of the body, the scope's `extensions` where Connexion writes the operation id
once it has routed) and everything else — masking credentials (headers, and secret-named fields of bodies
and query strings: masking.py), decoding, parsing a JSON body to match
a field — happens only when the journal is queried.
"""

from __future__ import annotations

import itertools
import re
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs

import orjson

from mock_server.clock import iso
from mock_server.tooling.masking import MASK, is_secret_name, mask_body
from mock_server.tooling.patterns import QUERY_BUDGET_SECONDS, UnsafePattern, compile_path_pattern, search

DEFAULT_SIZE = 10_000
DEFAULT_BODY_BYTES = 4096
# Headers that carry credentials, masked in every answer (cookies and anything naming a token or key too).
SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "apikey", "api-key", "x-api-key", "cookie",
                            "set-cookie", "x-auth-token", "x-access-token", "apiview-token"})
class Entry:
    """One request as recorded; `__slots__` keep a full ring small."""

    __slots__ = ("seq", "time", "wall", "api", "method", "path", "local_path", "query", "headers", "body",
                 "body_size", "status", "extensions", "fault", "violations", "operation")

    def __init__(self, seq: int, time: float, wall: float, api: str | None, method: str, path: str,
                 local_path: str, query: bytes, headers: tuple, extensions: dict | None) -> None:
        self.seq = seq
        self.time = time
        self.wall = wall
        self.api = api
        self.method = method
        self.path = path
        self.local_path = local_path
        self.query = query
        self.headers = headers
        self.body = b""
        self.body_size = 0
        self.status: int | None = None
        self.extensions = extensions
        self.fault: str | None = None
        self.violations: list[str] | None = None
        self.operation: str | None = None  # set when the request never reached Connexion's router (a fault)

    def settle(self) -> None:
        """The request is over: keep the operation Connexion routed it to, and let go of the scope's dict."""
        if self.operation is None:
            self.operation = self.operation_id
        self.extensions = None

    @property
    def operation_id(self) -> str | None:
        if self.operation is not None or self.extensions is None:
            return self.operation
        routing = self.extensions.get("connexion_routing")
        return routing.get("operation_id") if routing else None  # the spec's own (mock_server/resolver.py)

    def header_map(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for key, value in self.headers:
            name = key.decode("latin-1").lower()
            out[name] = MASK if is_secret(name) else value.decode("latin-1")
        return out

    def query_map(self, masked: bool = False) -> dict[str, list[str]]:
        query = parse_qs(self.query.decode("latin-1"), keep_blank_values=True)
        if masked:
            return {k: [MASK] * len(v) if is_secret_name(k) else v for k, v in query.items()}
        return query

    def masked_body(self) -> str:
        """The recorded body as text, with the values of secret-named fields masked (masking.py)."""
        content_type = next((v.decode("latin-1") for k, v in self.headers if k.lower() == b"content-type"), "")
        return mask_body(self.body, content_type) if self.body else ""

    def json_body(self) -> object:
        """The body parsed as JSON, or as a urlencoded form; None when it is neither (or was cut off)."""
        if not self.body or self.declared_size() > len(self.body):
            return None
        try:
            return orjson.loads(self.body)
        except orjson.JSONDecodeError:
            pass
        try:
            text = self.body.decode()
        except UnicodeDecodeError:
            return None
        if "=" in text and "\n" not in text:
            return {k: v[0] if len(v) == 1 else v for k, v in parse_qs(text, keep_blank_values=True).items()}
        return None

    def declared_size(self) -> int:
        """The body's size: what was read of it, or its Content-Length when it was not read to the end."""
        for key, value in self.headers:
            if key.lower() == b"content-length" and value.isdigit():
                return max(self.body_size, int(value))
        return self.body_size

    def view(self) -> dict:
        body_text = self.masked_body()
        size = self.declared_size()
        return {
            "id": self.seq, "time": iso(self.time), "epoch": self.time, "wall": self.wall, "api": self.api,
            "operation_id": self.operation_id, "method": self.method, "path": self.path,
            "query": self.query_map(masked=True), "headers": self.header_map(), "body": body_text,
            "body_size": size, "body_truncated": size > len(self.body),
            "status": self.status, "fault": self.fault, "violations": list(self.violations or ()),
        }


def is_secret(header: str) -> bool:
    return header in SECRET_HEADERS or is_secret_name(header)


class BadQuery(ValueError):
    """A journal query the admin API answers with 400."""


def parse_time(value: object, name: str) -> float | None:
    """RFC 3339 (`2024-03-15T09:00:00Z`) or seconds since the epoch, on the virtual clock."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadQuery(f"{name} must be an RFC 3339 date-time or epoch seconds, not {value!r}")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError as exc:
        raise BadQuery(f"{name} must be an RFC 3339 date-time or epoch seconds, not {text!r}") from exc
    if parsed.tzinfo is None:
        raise BadQuery(f"{name} needs a time zone (e.g. a trailing Z): {text!r}")
    return parsed.timestamp()


_MISSING = object()


def _dig(document: object, dotted: str) -> object:
    for part in dotted.split("."):
        if isinstance(document, Mapping) and part in document:
            document = document[part]
        elif isinstance(document, list) and part.isdigit() and int(part) < len(document):
            document = document[int(part)]
        else:
            return _MISSING
    return document


def _same(found: object, wanted: object) -> bool:
    if found is _MISSING:
        return False
    if isinstance(found, list) and not isinstance(wanted, list):
        return any(_same(item, wanted) for item in found)
    return found == wanted or (not isinstance(wanted, dict | list) and str(found) == str(wanted))


@dataclass(frozen=True)
class Criteria:
    """What a journal query selects; every field left None matches anything."""

    api: str | None = None
    operation: str | None = None
    method: str | None = None
    path: str | None = None
    path_pattern: re.Pattern | None = None
    since: float | None = None
    until: float | None = None
    status: int | None = None
    body: Mapping[str, object] | None = None  # dotted field -> value
    query: Mapping[str, str] | None = None
    headers: Mapping[str, str] | None = None
    unmatched: bool | None = None

    @classmethod
    def parse(cls, raw: Mapping[str, Any]) -> Criteria:
        pattern = raw.get("path_pattern")
        try:
            compiled = compile_path_pattern(str(pattern)) if pattern else None
        except UnsafePattern as exc:
            raise BadQuery(str(exc)) from exc
        since, until = parse_time(raw.get("since"), "since"), parse_time(raw.get("until"), "until")
        if since is not None and until is not None and since > until:
            raise BadQuery("since is after until")
        for name in ("body", "query", "headers"):
            if raw.get(name) is not None and not isinstance(raw.get(name), Mapping):
                raise BadQuery(f"{name} must be an object of field -> value")
        method = raw.get("method")
        return cls(api=raw.get("api"), operation=raw.get("operation"), method=str(method).upper() if method else None,
                   path=raw.get("path"), path_pattern=compiled, since=since, until=until, status=raw.get("status"),
                   body=raw.get("body"), query=raw.get("query"), headers=raw.get("headers"),
                   unmatched=raw.get("unmatched"))

    def __call__(self, entry: Entry) -> bool:
        checks = (
            self.api is None or entry.api == self.api,
            self.method is None or entry.method == self.method,
            self.path is None or self.path in (entry.path, entry.local_path),
            self.since is None or entry.time >= self.since,
            self.until is None or entry.time <= self.until,
            self.status is None or entry.status == self.status,
        )
        if not all(checks):
            return False
        if self.path_pattern is not None and not search(self.path_pattern, entry.path):
            return False
        if self.operation is not None and entry.operation_id != self.operation:
            return False
        if self.unmatched is not None and (entry.operation_id is None) != self.unmatched:
            return False
        if self.query and not all(_same(entry.query_map().get(k, _MISSING), v) for k, v in self.query.items()):
            return False
        if self.headers:
            got = entry.header_map()
            if not all(got.get(k.lower()) == str(v) for k, v in self.headers.items()):
                return False
        if self.body:
            document = entry.json_body()
            return all(_same(_dig(document, k), v) for k, v in self.body.items())
        return True


class Journal:
    """A ring of the last `size` requests (oldest dropped first)."""

    def __init__(self, size: int = DEFAULT_SIZE, body_bytes: int = DEFAULT_BODY_BYTES) -> None:
        if size < 0 or body_bytes < 0:
            raise ValueError("journal size and body cap must be >= 0")
        self.size = size
        self.body_bytes = body_bytes
        self._entries: deque[Entry] = deque(maxlen=size)
        self._seq = itertools.count(1)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self.size > 0

    def next_seq(self) -> int:
        return next(self._seq)

    def append(self, entry: Entry) -> None:
        self._entries.append(entry)  # deque.append is atomic; the ring drops the oldest by itself

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def select(self, criteria: Criteria) -> list[Entry]:
        """The entries `criteria` selects; BadQuery once a path pattern has taken QUERY_BUDGET_SECONDS over them
        (each match is bounded by tooling/patterns.py, the sum over 10,000 entries is not)."""
        with self._lock:
            entries: Iterable[Entry] = list(self._entries)
        if criteria.path_pattern is None:
            return [e for e in entries if criteria(e)]
        deadline = time.monotonic() + QUERY_BUDGET_SECONDS
        found = []
        for n, entry in enumerate(entries):
            if criteria(entry):
                found.append(entry)
            if n % 64 == 63 and time.monotonic() > deadline:
                raise BadQuery(f"path_pattern took more than {QUERY_BUDGET_SECONDS:g} s over the journal; "
                               "make it simpler or narrow the query (api, since, method)")
        return found

    def get(self, seq: int) -> Entry | None:
        with self._lock:
            return next((e for e in self._entries if e.seq == seq), None)
