"""A request as a ready-to-run curl command, credentials masked: the reproducer a violation is reported with.

Secrets never reach a report: the value of every credential header (Authorization, ApiKey, X-Api-Key, Cookie…)
becomes `$TOKEN` (a shell variable the reader sets), and a `client_secret`/`password` form or JSON field is
masked the same way. Schemathesis's own code samples are curl commands too; `mask` cleans them the same way.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import re
import shlex
from collections.abc import Iterable, Mapping

import httpx

SECRET_HEADERS = frozenset({"authorization", "apikey", "x-api-key", "api-key", "cookie", "proxy-authorization"})
# Headers curl sets by itself, or that only describe the body we print anyway.
NOISE_HEADERS = frozenset({"host", "content-length", "accept-encoding", "connection", "user-agent", "accept"})
MASK = "$TOKEN"
MAX_BODY = 2000  # longer bodies are cut: the reproducer says so
MAX_INLINE = 256 * 1024  # a multipart file part up to this size is inlined in the curl (base64)
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
    pairs = list(headers.items() if isinstance(headers, Mapping) else headers)
    content_type = next((value for name, value in pairs if name.lower() == "content-type"), "")
    # multipart: every part as -F (curl writes its own boundary and Content-Type)
    form = multipart_form(body, content_type) if body and "multipart/form-data" in content_type.lower() else None
    parts = ["curl", "-sS", "-X", method.upper(), shlex.quote(str(url))]
    for name, value in pairs:
        if name.lower() in NOISE_HEADERS or (form is not None and name.lower() == "content-type"):
            continue
        if name.lower() in SECRET_HEADERS:  # double quotes: the shell fills in $TOKEN
            parts += ["-H", f'"{name}: {masked_header(name, value)}"']
        else:
            parts += ["-H", shlex.quote(f"{name}: {value}")]
    if form is not None:
        files, fields = form
        parts += fields
        if files:  # the files first, into a fresh directory (curl then knows each size: no chunked upload)
            return " && ".join(['d="$(mktemp -d)"', *files, " ".join(parts)])
    elif body:
        text = body[:MAX_BODY].decode("utf-8", "replace")
        if "multipart/form-data" in content_type:
            text = text.replace("\r\n", "\\r\\n")  # unparsable multipart: printable at least
        if len(body) > MAX_BODY:
            text += f"… ({len(body)} bytes in all)"
        parts += ["--data-binary", shlex.quote(mask_secrets(text))]
    return " ".join(parts)


def multipart_form(body: bytes, content_type: str) -> tuple[list[str], list[str]] | None:
    """A multipart/form-data body as (shell commands writing each file part to "$d/partN" from base64, the curl
    `--form-string`/`-F` arguments for every part): text fields literally, files with their very bytes, name
    and type, up to MAX_INLINE each (a larger one is named with its size; the seed's replay sends it). None
    when the body cannot be parsed as its Content-Type says."""
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body)
    if not message.is_multipart():
        return None
    files: list[str] = []
    form: list[str] = []
    for number, part in enumerate(message.iter_parts(), 1):
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        decoded = part.get_payload(decode=True)
        payload = decoded if isinstance(decoded, bytes) else b""  # a leaf part decodes to its bytes
        if name is None:
            return None
        if filename is None:
            form += ["--form-string", shlex.quote(f"{name}={mask_secrets(payload.decode('utf-8', 'replace'))}")]
            continue
        kind = part.get_content_type() if part.get("content-type") else "application/octet-stream"
        meta = shlex.quote(f";filename={filename};type={kind}")
        if len(payload) > MAX_INLINE:
            form += ["-F", f'"{name}=@$d/part{number}"{meta}']
            files.append(f"echo 'put the {len(payload)}-byte {filename} (not inlined) at '\"$d/part{number}\"")
            continue
        encoded = base64.b64encode(payload).decode() or "''"
        files.append(f'base64 -d > "$d/part{number}" <<< {encoded}')
        form += ["-F", f'"{name}=@$d/part{number}"{meta}']
    return files, form


def from_httpx(request: httpx.Request, secrets: Iterable[str] = ()) -> str:
    try:
        body = request.content
    except httpx.RequestNotRead:
        try:
            body = request.read()  # a multipart upload is a stream: read it again (it replays)
        except (httpx.StreamError, TypeError):
            body = None
    return mask_secrets(from_parts(request.method, str(request.url), request.headers.multi_items(), body), secrets)
