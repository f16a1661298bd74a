"""Coverage: which documented operations, status codes and error messages a run exercised, and which not.

Both layers report every answer they got (`Coverage.observe`): Schemathesis with the operation it tested,
scenarios with a URL that is matched back to the spec's path templates. What is documented comes from the
spec: its operations, each operation's numeric response codes, and its `x-messages` catalog (the vendor's
documented texts, templates such as "Import {id} not found." matched with any filling). A message counts as
exercised when some answer's body carried it. An API whose spec has no catalog (Jasper, admin) reports
messages as not applicable rather than as covered.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypedDict
from urllib.parse import urlsplit

from conformance.spec import SpecIndex

MAX_BODY = 65536  # bytes of an answer searched for messages
# Told of every answer: (operation label or None, method, url, status, body) — pim-conformance compare's.
Recorder = Callable[[str | None, str, str, int | None, bytes | None], None]


class OperationCoverage(TypedDict):
    """One operation's line in `Coverage.as_dict()["by_operation"]`."""

    operation: str
    exercised: bool
    statuses_documented: list[int]
    statuses_seen: list[int]
    statuses_not_seen: list[int]
    statuses_undocumented: list[int]


@dataclass(frozen=True)
class _Message:
    key: str  # "group.key" in x-messages
    fragment: str  # the template's longest literal part: a cheap test before the regex
    pattern: re.Pattern[str]


def _messages(spec: SpecIndex) -> list[_Message]:
    found = []
    for group, items in (spec.raw.get("x-messages") or {}).items():
        if not isinstance(items, Mapping):
            continue
        for key, text in items.items():
            if not isinstance(text, str) or not text.strip():
                continue
            literals = re.split(r"\{[A-Za-z_][A-Za-z0-9_]*\}", text)
            pattern = "(.+?)".join(re.escape(part) for part in literals)
            fragment = max(literals, key=len)
            if len(fragment.strip()) < 3:  # a template that is all placeholders cannot be recognised
                continue
            found.append(_Message(f"{group}.{key}", fragment, re.compile(pattern, re.DOTALL)))
    return found


def _templates(spec: SpecIndex) -> list[tuple[re.Pattern[str], str, str]]:
    """(path regex, method, label), literal paths before templated ones (`/jobs/export` before `/jobs/{id}`)."""
    rows = []
    for op in spec.operations.values():
        regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(op.path))
        rows.append((op.path.count("{"), re.compile(f"^{regex}/?$"), op.method.upper(), op.label))
    rows.sort(key=lambda row: row[0])
    return [(regex, method, label) for _, regex, method, label in rows]


def _body_text(content: bytes | None) -> str:
    if not content:
        return ""
    raw = content[:MAX_BODY].decode("utf-8", "replace")
    try:  # JSON escapes (\u00e9, \") undone, so documented texts match as written
        return json.dumps(json.loads(raw), ensure_ascii=False)[:MAX_BODY] + "\n" + raw
    except ValueError:
        return raw


@dataclass
class Coverage:
    """Filled during one run; plain data, so a report crosses process boundaries."""

    base_path: str
    operations: dict[str, list[int]]  # label -> documented status codes
    messages: list[str]  # documented message keys
    seen: dict[str, set[int]] = field(default_factory=dict)  # label -> status codes answered
    messages_seen: set[str] = field(default_factory=set)
    unmatched: int = 0  # answers to requests that are no documented operation (probes, undocumented methods)
    # Told of every answer with its operation (None: undocumented): `pim-conformance compare` records them.
    recorder: Recorder | None = field(default=None, repr=False)
    _templates: list = field(default_factory=list, repr=False)
    _catalog: list = field(default_factory=list, repr=False)

    @classmethod
    def for_spec(cls, spec: SpecIndex, base_url: str) -> Coverage:
        catalog = _messages(spec)
        return cls(
            base_path=urlsplit(base_url).path.rstrip("/"),
            operations={op.label: sorted(op.statuses) for op in spec.operations.values()},
            messages=[m.key for m in catalog],
            _templates=_templates(spec),
            _catalog=catalog,
        )

    def label_of(self, method: str, url: str) -> str | None:
        path = urlsplit(url).path
        if self.base_path and path.startswith(self.base_path):
            path = path[len(self.base_path) :] or "/"
        method = method.upper()
        return next((label for regex, m, label in self._templates if m == method and regex.match(path)), None)

    def observe(
        self, method: str, url: str, status: int | None, content: bytes | None, label: str | None = None
    ) -> None:
        label = label if label in self.operations else self.label_of(method, url)
        if self.recorder is not None:
            self.recorder(label, method, url, status, content)
        if label is None:
            self.unmatched += 1
        elif status is not None:
            self.seen.setdefault(label, set()).add(int(status))
        if not content or len(self.messages_seen) == len(self.messages):
            return
        text = _body_text(content)
        for message in self._catalog:
            if message.key not in self.messages_seen and message.fragment in text and message.pattern.search(text):
                self.messages_seen.add(message.key)

    def as_dict(self) -> dict[str, Any]:
        operations: list[OperationCoverage] = []
        for label, documented in self.operations.items():
            seen = sorted(self.seen.get(label, ()))
            operations.append(
                {
                    "operation": label,
                    "exercised": label in self.seen,
                    "statuses_documented": documented,
                    "statuses_seen": seen,
                    "statuses_not_seen": [code for code in documented if code not in seen],
                    "statuses_undocumented": [code for code in seen if code not in documented],
                }
            )
        documented_codes = sum(len(o["statuses_documented"]) for o in operations)
        seen_codes = sum(len(o["statuses_documented"]) - len(o["statuses_not_seen"]) for o in operations)
        return {
            "operations": {"documented": len(operations), "exercised": sum(o["exercised"] for o in operations)},
            "statuses": {"documented": documented_codes, "exercised": seen_codes},
            "messages": {
                "documented": len(self.messages),
                "exercised": len(self.messages_seen),
                "not_exercised": [key for key in self.messages if key not in self.messages_seen],
                "exercised_keys": [key for key in self.messages if key in self.messages_seen],
            },
            "by_operation": operations,
            "unmatched_requests": self.unmatched,
        }


def ratio(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None
