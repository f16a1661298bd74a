"""What one answer showed, normalised so that two servers' answers to the same request compare equal.

Normalisations (README "Drift report"): an answer is filed under the spec operation it matched (the path
template, so ids in URLs vanish), or "METHOD (undocumented)"; a JSON body is reduced to its shape, the set of
(field path, JSON type) pairs with values dropped (ids, timestamps, counts, names) and array items merged
(`data[].id`), so key order, item order and collection sizes do not count; a key no schema names and that
holds a digit is data (a SKU keying a map) and becomes `{…}`; 1.0 is an integer (JSON Schema's
rule); an error message is the `x-messages` key of the documented text it fills in, else the text with every
token holding a digit replaced by `<…>`; a list answer keeps only its length, the page size asked for and
whether the server said more items follow; an import job keeps its status, keyed by the order in which the
scenario first saw it, not by its id.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

MAX_BODY = 1 << 20  # bytes of an answer parsed; a larger body keeps only its media type
MAX_DEPTH = 12
MAX_PATHS = 2000  # field paths kept per answer
# `error` is left out: it holds a code (`missing_file`, OAuth's `invalid_client`) more often than a text.
MESSAGE_KEYS = frozenset({"message", "status_message", "detail", "title", "error_description", "msg"})
LIST_KEYS = ("data", "items", "results", "records", "products", "entries", "logs", "jobs")
SIZE_PARAMS = ("per_page", "limit", "page[size]", "page_size", "pageSize", "size")
TOTAL_KEYS = ("total", "total_count", "totalCount", "total_items", "count")
_DIGITS = re.compile(r"[\w.:+@/-]*\d[\w.:+@/-]*")


@dataclass(frozen=True)
class Page:
    """One list answer: how many items it held, the page size asked for (None: the default), more to come?"""

    requested: int | None
    length: int
    more: bool | None  # None: the answer does not say


@dataclass(frozen=True)
class Observation:
    section: str  # the scenario that sent the request, or "schema layer"
    operation: str  # "GET /api/v1/imports/{id}", or "TRACE (undocumented)"
    documented: bool
    status: int | None  # None: no answer
    shape: frozenset[tuple[str, str]] = frozenset()
    messages: tuple[str, ...] = ()
    page: Page | None = None
    job: tuple[str, str] | None = None  # (the job's id as the server gave it, its status)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        return "integer"
    return {float: "number", str: "string", list: "array", dict: "object"}.get(type(value), "unknown")


def shape_of(body: Any, names: frozenset[str] = frozenset()) -> frozenset[tuple[str, str]]:
    """`{"data": [{"id": "a1"}]}` -> {("$", "object"), ("data", "array"), ("data[]", "object"),
    ("data[].id", "string")}."""
    found: set[tuple[str, str]] = set()

    def walk(value: Any, path: str, depth: int) -> None:
        if len(found) >= MAX_PATHS:
            return
        found.add((path, json_type(value)))
        if depth >= MAX_DEPTH:
            return
        if isinstance(value, Mapping):
            for key, item in value.items():
                key = _field_name(str(key), names)
                walk(item, key if path == "$" else f"{path}.{key}", depth + 1)
        elif isinstance(value, list):
            for item in value:
                walk(item, "[]" if path == "$" else f"{path}[]", depth + 1)

    walk(body, "$", 0)
    return frozenset(found)


def _field_name(key: str, names: frozenset[str]) -> str:
    """A key that is data (a SKU keying a map, an attribute code) rather than a field name becomes `{…}`: one
    no schema of the spec names and that holds a digit."""
    return "{…}" if key not in names and any(c.isdigit() for c in key) else key


def message_texts(body: Any) -> list[str]:
    """Every string under a message-like key (`message`, `status_message`, `detail`, …), at any depth."""
    texts: list[str] = []

    def walk(value: Any, depth: int) -> None:
        if depth > MAX_DEPTH or len(texts) > 50:
            return
        if isinstance(value, Mapping):
            for key, item in value.items():
                if key in MESSAGE_KEYS and isinstance(item, str) and item.strip():
                    texts.append(item)
                else:
                    walk(item, depth + 1)
        elif isinstance(value, list):
            for item in value:
                walk(item, depth + 1)

    walk(body, 0)
    return texts


def normalise_message(text: str, catalog: Mapping[str, re.Pattern[str]]) -> str:
    """A documented text becomes its catalog key; any other loses the tokens that carry ids and numbers."""
    stripped = text.strip()
    for key, pattern in catalog.items():
        if pattern.match(stripped):
            return f"x-messages:{key}"
    return _DIGITS.sub("<…>", " ".join(stripped.split()))


def page_of(body: Any, query: Mapping[str, str]) -> Page | None:
    items = body if isinstance(body, list) else None
    if isinstance(body, Mapping):
        items = next((body[key] for key in LIST_KEYS if isinstance(body.get(key), list)), None)
    if items is None:
        return None
    size = next((query[name] for name in SIZE_PARAMS if name in query), None)
    requested = int(size) if size is not None and size.isdigit() else None
    return Page(requested=requested, length=len(items), more=_more(body, len(items)))


def _more(body: Any, length: int) -> bool | None:
    """Whether the answer says items follow: a `next` link, or a total beyond this page."""
    if not isinstance(body, Mapping):
        return None
    holders = [body] + [body[k] for k in ("links", "meta", "pagination", "paging") if isinstance(body.get(k), Mapping)]
    for holder in holders:
        for key in ("next", "next_page_url", "nextPage", "next_page"):
            if key in holder:
                return bool(holder[key])
    for holder in holders:
        total = next((found for k in TOTAL_KEYS if isinstance(found := holder.get(k), int)), None)
        if total is None:
            continue
        page = holder.get("page", holder.get("current_page"))
        size = holder.get("per_page", holder.get("limit", holder.get("page_size")))
        offset = holder.get("offset")
        if isinstance(page, int) and isinstance(size, int):
            return page * size < total
        if isinstance(offset, int):
            return offset + length < total
    return None


def job_of(body: Any, vocabulary: frozenset[str]) -> tuple[str, str] | None:
    """(id, status) when the body is one import job: a top-level object, or JSON:API `data` with attributes."""
    if not vocabulary or not isinstance(body, Mapping):
        return None
    data = body.get("data")
    node: Mapping[str, Any] = data if isinstance(data, Mapping) else body
    status = node.get("status")
    attributes = node.get("attributes")
    if status is None and isinstance(attributes, Mapping):
        status = attributes.get("status")
    job_id = node.get("id")
    if isinstance(status, str) and isinstance(job_id, (str, int)):
        return str(job_id), status
    return None


@dataclass
class Recorder:
    """`Coverage.recorder`: told of every answer of a run, keeps its normalised `Observation`s in order."""

    catalog: Mapping[str, re.Pattern[str]] = field(default_factory=dict)
    vocabulary: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()  # every property name the spec's schemas declare
    section: str = ""
    observations: list[Observation] = field(default_factory=list)

    def __call__(self, label: str | None, method: str, url: str, status: int | None, content: bytes | None) -> None:
        body = _json(content)
        query = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
        if body is _NOT_JSON:
            shape = frozenset({("$", "(not JSON)")} if content else ())
        else:
            shape = shape_of(body, self.names)
        errors = body is not _NOT_JSON and status is not None and status >= 400
        self.observations.append(
            Observation(
                section=self.section,
                operation=label or f"{method.upper()} (undocumented)",
                documented=label is not None,
                status=status,
                shape=shape,
                messages=tuple(normalise_message(t, self.catalog) for t in message_texts(body)) if errors else (),
                page=page_of(body, query) if status is not None and status < 300 else None,
                job=job_of(body, self.vocabulary) if status is not None and status < 300 else None,
            )
        )

    def progress(self, say: Callable[[str], None]) -> Callable[[str], None]:
        """Wrap a run's progress callback: the runner names each scenario as it starts it."""

        def told(text: str) -> None:
            if text.startswith("layer 2: scenario "):
                self.section = text.removeprefix("layer 2: scenario ")
            elif text.startswith("layer 1"):
                self.section = "schema layer"
            say(text)

        return told


_NOT_JSON = object()


def _json(content: bytes | None) -> Any:
    if not content or len(content) > MAX_BODY:
        return _NOT_JSON
    try:
        return json.loads(content)
    except (ValueError, UnicodeDecodeError):
        return _NOT_JSON
