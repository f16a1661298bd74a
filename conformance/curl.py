"""A request as a ready-to-run curl command, credentials masked: the reproducer a violation is reported with.

Secrets never reach a report: the value of every credential header (Authorization, ApiKey, X-Api-Key, Cookie…)
becomes `$TOKEN` (a shell variable the reader sets), and a `client_secret`/`password` form or JSON field is
masked the same way. Schemathesis's own code samples are curl commands too; `mask` cleans them the same way.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping

import httpx

SECRET_HEADERS = frozenset({"authorization", "apikey", "x-api-key", "api-key", "cookie", "proxy-authorization"})
# Headers curl sets by itself, or that only describe the body we print anyway.
NOISE_HEADERS = frozenset({"host", "content-length", "accept-encoding", "connection", "user-agent", "accept"})
MASK = "$TOKEN"
MAX_BODY = 2000  # longer bodies are cut: the reproducer says so
_SECRET_FIELD = re.compile(r'("?(?:client_secret|password|refresh_token)"?\s*[:=]\s*"?)([^"&\s,}]+)', re.IGNORECASE)
_HEADER_IN_SAMPLE = re.compile(
    r"(-H\s+['\"](?:" + "|".join(sorted(SECRET_HEADERS)) + r"):\s*)(?:(Bearer|Basic|Token)\s+)?[^'\"]*(['\"])",
    re.IGNORECASE,
)


def masked_header(name: str, value: str) -> str:
    if name.lower() not in SECRET_HEADERS:
        return value
    scheme, _, rest = value.partition(" ")
    return f"{scheme} {MASK}" if rest and scheme.lower() in ("bearer", "basic", "token") else MASK


def mask_secrets(text: str, secrets: Iterable[str] = ()) -> str:
    """Mask secret fields, and every literal secret in `secrets`, wherever they appear in `text`."""
    text = _SECRET_FIELD.sub(lambda m: m[1] + MASK, text)
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    return text


def mask(sample: str, secrets: Iterable[str] = ()) -> str:
    """A curl command (e.g. Schemathesis's code sample) with its credential headers and secrets masked."""
    sample = _HEADER_IN_SAMPLE.sub(lambda m: f"{m[1]}{m[2] + ' ' if m[2] else ''}{MASK}{m[3]}", sample)
    return mask_secrets(sample, secrets)


def from_parts(
    method: str, url: str, headers: Mapping[str, str] | Iterable[tuple[str, str]], body: bytes | None
) -> str:
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    parts = ["curl", "-sS", "-X", method.upper(), shlex.quote(str(url))]
    content_type = ""
    for name, value in pairs:
        if name.lower() in NOISE_HEADERS:
            continue
        if name.lower() == "content-type":
            content_type = value
        if name.lower() in SECRET_HEADERS:  # double quotes: the shell fills in $TOKEN
            parts += ["-H", f'"{name}: {masked_header(name, value)}"']
        else:
            parts += ["-H", shlex.quote(f"{name}: {value}")]
    if body:
        text = body[:MAX_BODY].decode("utf-8", "replace")
        if "multipart/form-data" in content_type:
            text = text.replace("\r\n", "\\r\\n")  # printable; the exact bytes are in the seed's replay
        if len(body) > MAX_BODY:
            text += f"… ({len(body)} bytes in all)"
        parts += ["--data-binary", shlex.quote(mask_secrets(text))]
    return " ".join(parts)


def from_httpx(request: httpx.Request, secrets: Iterable[str] = ()) -> str:
    try:
        body = request.content
    except httpx.RequestNotRead:
        body = None
    return mask_secrets(from_parts(request.method, str(request.url), request.headers.multi_items(), body), secrets)
