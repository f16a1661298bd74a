"""JSON:API content negotiation for every Wizart request, before routing (JSON:API 1.1, "Content Negotiation"):

- Content-Type is the JSON:API media type with a parameter other than `ext` or `profile` → 415;
- every JSON:API media type in Accept carries such a parameter → 406.

`ext` names an extension; the fake supports none, so a non-empty `ext` is refused the same way (415 / 406).
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from mock_server.context import runtime
from mock_server.errors import FakeError, NotAcceptable, UnsupportedMediaType
from mock_server.vendors.base import Reject
from mock_server.vendors.wizart.rules import MEDIA_TYPE

ALLOWED_PARAMS = frozenset({"ext", "profile"})


def media_types(value: str) -> list[tuple[str, dict[str, str]]]:
    """`a/b; x=1, c/d` -> [("a/b", {"x": "1"}), ("c/d", {})] (quoted commas are rare enough to ignore)."""
    out = []
    for item in value.split(","):
        parts = [p.strip() for p in item.split(";")]
        if not parts[0]:
            continue
        params = {}
        for param in parts[1:]:
            name, _, raw = param.partition("=")
            params[name.strip().lower()] = raw.strip().strip('"')
        out.append((parts[0].lower(), params))
    return out


def refused(params: dict[str, str], *, accept: bool = False) -> str | None:
    """Why a JSON:API media type instance cannot be served, or None (Accept's quality weight `q` aside)."""
    if set(params) - ALLOWED_PARAMS - ({"q"} if accept else set()):
        return "params"
    if params.get("ext"):
        return "ext"
    return None


def content_type_problem(value: str) -> str | None:
    found = media_types(value)
    if not found or found[0][0] != MEDIA_TYPE:
        return None
    reason = refused(found[0][1])
    return {"params": "jsonapi_content_type_params", "ext": "unsupported_extension"}.get(reason or "")


def accept_problem(value: str) -> str | None:
    instances = [params for media, params in media_types(value) if media == MEDIA_TYPE]
    reasons = [refused(params, accept=True) for params in instances]
    if instances and all(reasons):
        return "unsupported_extension" if all(r == "ext" for r in reasons) else "jsonapi_accept_params"
    return None


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


class JsonApiNegotiation:
    def __init__(self, app: ASGIApp, prefix: str, reject: Reject) -> None:
        self.app = app
        self.prefix = prefix
        self.reject = reject

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path.startswith(self.prefix + "/") and "/ui" not in path and not path.endswith("/openapi.json"):
            error = self._problem(scope)
            if error is not None:
                await self.reject(scope, send, error)
                return
        await self.app(scope, receive, send)

    def _problem(self, scope: Scope) -> FakeError | None:
        messages = runtime().messages["wizart"]
        content_type = _header(scope, b"content-type")
        key = content_type_problem(content_type) if content_type else None
        if key and content_type:
            ext = media_types(content_type)[0][1].get("ext", "")
            return UnsupportedMediaType(messages("requests", key, ext=ext), code=key, header="Content-Type")
        accept = _header(scope, b"accept")
        key = accept_problem(accept) if accept else None
        if key:
            return NotAcceptable(messages("requests", key, ext=""), code=key, header="Accept")
        return None
