"""`--lenient` wired into Connexion 3.3's request validation (the repairing itself: mock_server/tooling/lenient.py).

`RequestValidationOperation.__call__` is wrapped: strict validation first, as always; only on its 400, and only
when the bound runtime's config asks for lenient mode, the request is repaired and validated again by a
non-strict copy of the operation's validation whose form validators let undeclared fields through.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server.context import _current
from mock_server.middleware.journal import ENTRY_KEY
from mock_server.tooling.lenient import repair

_on_validated: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar("pimkit_validated",
                                                                                         default=None)

class _Validated:
    """Wraps an operation's next app: reaching it means validation passed (what fails later is the handler's)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        callback = _on_validated.get()
        if callback is not None:
            callback()
        await self.app(scope, receive, send)


async def _drain(receive: Receive) -> bytes:
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _repaired_request(op: Any, scope: Scope, body: bytes) -> tuple[dict, bytes, list[str]] | None:
    """The request with undeclared query parameters dropped and its JSON body repaired; None when the body
    is not even JSON."""
    notes: list[str] = []
    declared = {p["name"] for p in op._operation.parameters if p.get("in") == "query"}
    declared |= set(op.security_query_params)
    pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k in declared]
    notes += [f"unknown query parameter {k!r} ignored" for k, _ in pairs if k not in declared]
    new_body = body
    mime_type, _ = op.extract_content_type(scope["headers"])
    schema = op._operation.body_schema(mime_type) if "json" in mime_type and body else None
    if schema:
        try:
            document = orjson.loads(body)
        except orjson.JSONDecodeError:
            return None
        new_body = orjson.dumps(repair(schema, document, notes))
    headers = [(k, v) for k, v in scope["headers"] if k != b"content-length"]
    headers.append((b"content-length", str(len(new_body)).encode()))
    return {**scope, "query_string": urlencode(kept).encode(), "headers": headers}, new_body, notes


def install() -> None:
    """Patch Connexion 3.3's request validation; lenient only where the bound runtime's config asks for it."""
    from connexion.exceptions import ProblemException
    from connexion.middleware.request_validation import RequestValidationOperation

    strict_call = RequestValidationOperation.__call__

    async def attempt(op: Any, scope: Scope, body: bytes, receive: Receive, send: Send,
                      on_pass: Callable[[], None]) -> str | None:
        """None when served; else the detail of the 400 validation answered."""
        passed = []

        def mark() -> None:
            passed.append(True)
            on_pass()

        token = _on_validated.set(mark)
        try:
            await strict_call(op, scope, _replay(body, receive), send)
            return None
        except ProblemException as problem:
            if passed or problem.status != 400:
                raise
            return str(problem.detail or problem.title).split("\n\n", 1)[0]
        finally:
            _on_validated.reset(token)

    async def call(self: Any, scope: Scope, receive: Receive, send: Send) -> None:
        rt = _current.get(None)
        if rt is None or not rt.config.lenient:
            await strict_call(self, scope, receive, send)
            return
        if not isinstance(self.next_app, _Validated):
            self.next_app = _Validated(self.next_app)
        body = await _drain(receive)
        token = _on_validated.set(None)
        try:
            refused = await attempt(self, scope, body, receive, send, lambda: None)
            if refused is None:
                return
            repaired = _repaired_request(self, scope, body)
            if repaired is not None:
                new_scope, new_body, notes = repaired

                def record() -> None:
                    entry = scope.get(ENTRY_KEY)
                    if entry is not None:
                        entry.violations = [refused, *notes]

                if await attempt(_loose(self), new_scope, new_body, receive, send, record) is None:
                    return
        finally:
            _on_validated.reset(token)
        await strict_call(self, scope, _replay(body, receive), send)  # answers the original 400

    from connexion.datastructures import MediaTypeDict
    from connexion.validators import VALIDATOR_MAP, FormDataValidator, MultiPartFormDataValidator

    def forgiving(validator_class: Any) -> Any:
        """A form validator that checks the fields the schema declares and lets the others through."""

        class Forgiving(validator_class):
            def _validate(self, body: Any) -> Any:
                declared = self._schema.get("properties")
                if isinstance(body, dict) and declared is not None:
                    body = {k: v for k, v in body.items() if k in declared}
                return super()._validate(body)

        return Forgiving

    loose_map = {**VALIDATOR_MAP, "body": MediaTypeDict({
        **VALIDATOR_MAP["body"],
        "application/x-www-form-urlencoded": forgiving(FormDataValidator),
        "multipart/form-data": forgiving(MultiPartFormDataValidator),
    })}

    def _loose(op: Any) -> Any:
        """The operation's validation without strict_validation, undeclared form fields let through; built once."""
        loose = op.__dict__.get("_pimkit_loose")
        if loose is None:
            loose = RequestValidationOperation(op.next_app, operation=op._operation, strict_validation=False,
                                               validator_map=loose_map)
            op.__dict__["_pimkit_loose"] = loose
        return loose

    RequestValidationOperation.__call__ = call
