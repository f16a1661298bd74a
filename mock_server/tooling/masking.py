"""Secrets masked out of what the journal shows: values of body fields, form fields and query parameters whose
name says they hold one (secret, password, token, api_key, signing_secret, client_secret …), at any depth.

Masking happens when the journal is read, never on the request path. A body is masked in its own format, so
it reads as it was sent: JSON (nested objects and arrays; a body cut at the journal's cap by a pattern on
its text), `application/x-www-form-urlencoded`, and each named part of `multipart/form-data`.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_plus

import orjson

MASK = "***"
SECRET_NAME = re.compile(r"token|secret|passw(?:or)?d|api[-_]?key|credential|private[-_]?key", re.I)
# "name": "value" (or a bare number / literal) in JSON text, for bodies that do not parse (cut at the cap).
_JSON_PAIR = re.compile(r'("(?:[^"\\]|\\.)*")(\s*:\s*)("(?:[^"\\]|\\.)*"?|[^,}\]\s]+)')
_PART_NAME = re.compile(rb'content-disposition:[^\r\n]*?\bname="([^"]*)"', re.I)


def is_secret_name(name: str) -> bool:
    return bool(SECRET_NAME.search(name))


def mask_value(value: object) -> object:
    """A JSON document with every value under a secret-named key replaced by the mask."""
    if isinstance(value, dict):
        return {k: MASK if isinstance(k, str) and is_secret_name(k) else mask_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_value(v) for v in value]
    return value


def mask_json_text(text: str) -> str:
    """JSON text that may be cut short: each `"secret-name": value` pair's value masked in place."""
    def replace(match: re.Match) -> str:
        try:
            name = orjson.loads(match.group(1))
        except orjson.JSONDecodeError:
            name = match.group(1)[1:-1]
        return f"{match.group(1)}{match.group(2)}\"{MASK}\"" if is_secret_name(str(name)) else match.group(0)

    return _JSON_PAIR.sub(replace, text)


def mask_form(text: str) -> str:
    """`a=1&client_secret=x`: each pair whose decoded name is secret keeps its name and loses its value."""
    pairs = []
    for pair in text.split("&"):
        name, sep, _ = pair.partition("=")
        pairs.append(f"{name}={MASK}" if sep and is_secret_name(unquote_plus(name)) else pair)
    return "&".join(pairs)


def mask_multipart(body: bytes, content_type: str) -> bytes:
    """Each part named like a secret keeps its headers and loses its content (up to the next boundary)."""
    found = re.search(r'boundary="?([^";]+)"?', content_type, re.I)
    if not found:
        return body
    delimiter = b"--" + found.group(1).encode("latin-1")
    parts = body.split(delimiter)
    for i, part in enumerate(parts):
        head, sep, content = part.partition(b"\r\n\r\n")
        name = _PART_NAME.search(head)
        if sep and name and is_secret_name(name.group(1).decode("latin-1")):
            parts[i] = head + sep + MASK.encode() + (b"\r\n" if content.endswith(b"\r\n") else b"")
    return delimiter.join(parts)


def mask_body(body: bytes, content_type: str) -> str:
    """The journal's text of a body with its secrets masked, in the body's own format."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind.startswith("multipart/"):
        return mask_multipart(body, content_type).decode("utf-8", errors="replace")
    text = body.decode("utf-8", errors="replace")
    if kind == "application/x-www-form-urlencoded" or (not kind.endswith("json") and _looks_like_form(text)):
        return mask_form(text)
    try:
        document = orjson.loads(body)
    except orjson.JSONDecodeError:
        return mask_json_text(text)
    masked = mask_value(document)
    return text if masked == document else orjson.dumps(masked).decode()


def _looks_like_form(text: str) -> bool:
    return "=" in text and not text.lstrip().startswith(("{", "[")) and "\n" not in text
