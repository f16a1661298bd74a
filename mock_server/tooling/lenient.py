"""`--lenient`: a request the spec rejects for unknown fields or loose types is repaired, re-validated and served.

Connexion validates first as usual. Only when that fails with a 400 does lenient mode step in: it drops the
query parameters and JSON body fields the operation does not declare, converts loose scalar types where
the conversion loses nothing (`"12.5"` → 12.5, `"true"` → true, 3 → `"3"`), and validates the repaired
request again with Connexion's own validators. If it now passes, the handler gets the repaired, schema-valid
request and the journal entry records what was wrong; if not, the client gets the original 400. Handlers
therefore never see data the spec does not allow (openapi/DECISIONS.md TL-D04).
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from importlib.metadata import version
from urllib.parse import parse_qsl, urlencode

import orjson
from jsonschema import Draft4Validator

from mock_server.context import _current

ENTRY_KEY = "pimkit.entry"
_on_validated: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar("pimkit_validated",
                                                                                         default=None)
_installed = False


# --- repairing a value against its schema (pure) ------------------------------------------------
def _to_number(value, integer: bool):
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return value
    elif isinstance(value, float) and integer:
        number = value
    else:
        return value
    if integer:
        return int(number) if number.is_integer() else value
    return int(number) if isinstance(value, str) and number.is_integer() and "." not in value else number


def _to_boolean(value):
    if isinstance(value, str) and value.strip().lower() in ("true", "false", "1", "0"):
        return value.strip().lower() in ("true", "1")
    if isinstance(value, int) and not isinstance(value, bool) and value in (0, 1):
        return bool(value)
    return value


def _to_string(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return value


SCALARS = {"integer": lambda v: _to_number(v, True), "number": lambda v: _to_number(v, False),
           "boolean": _to_boolean, "string": _to_string}


def repair(schema: dict, value, notes: list[str], where: str = "body"):
    """`value` with undeclared fields dropped and loose scalars converted, following `schema`; each change
    is described in `notes`."""
    if not isinstance(schema, dict):
        return value
    for part in schema.get("allOf", ()):
        value = repair(part, value, notes, where)
    branches = schema.get("oneOf") or schema.get("anyOf")
    if branches:
        return _repair_one_of(schema, branches, value, notes, where)
    kind = schema.get("type")
    if isinstance(value, dict) and (kind == "object" or "properties" in schema):
        properties = schema.get("properties", {})
        out = {}
        for key, item in value.items():
            if key in properties:
                out[key] = repair(properties[key], item, notes, f"{where}.{key}")
            elif schema.get("additionalProperties") is False and not schema.get("allOf"):
                notes.append(f"unknown field {where}.{key} ignored")
            else:
                extra = schema.get("additionalProperties")
                out[key] = repair(extra, item, notes, f"{where}.{key}") if isinstance(extra, dict) else item
        return out
    if isinstance(value, list) and kind == "array":
        return [repair(schema.get("items", {}), item, notes, f"{where}[{i}]") for i, item in enumerate(value)]
    convert = SCALARS.get(kind)
    if convert is not None and not isinstance(value, dict | list) and value is not None:
        fixed = convert(value)
        if type(fixed) is not type(value):
            notes.append(f"{where}: {value!r} taken as {kind} {fixed!r}")
        return fixed
    return value


def _repair_one_of(schema: dict, branches: list, value, notes: list[str], where: str):
    """The branch the discriminator names (by its property's enum), else the first branch the repaired value
    fits; the value unchanged when none does."""
    discriminator = (schema.get("discriminator") or {}).get("propertyName")
    if discriminator and isinstance(value, dict):
        named = [b for b in branches if value.get(discriminator) in
                 ((b.get("properties") or {}).get(discriminator) or {}).get("enum", ())]
        branches = named or branches
    for branch in branches:
        tried: list[str] = []
        candidate = repair(branch, value, tried, where)
        if Draft4Validator(branch).is_valid(candidate):
            notes.extend(tried)
            return candidate
    return value


# --- wiring into Connexion's request validation ---------------------------------------------------
class _Validated:
    """Wraps an operation's next app: reaching it means validation passed (what fails later is the handler's)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        callback = _on_validated.get()
        if callback is not None:
            callback()
        await self.app(scope, receive, send)


async def _drain(receive) -> bytes:
    chunks, more = [], True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes, receive):
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _repaired_request(op, scope, body: bytes) -> tuple[dict, bytes, list[str]] | None:
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


def install() -> bool:
    """Patch Connexion 3.3's request validation; lenient only where the bound runtime's config asks for it."""
    global _installed
    if _installed:
        return True
    if not version("connexion").startswith("3.3."):
        return False
    from connexion.exceptions import ProblemException
    from connexion.middleware.request_validation import RequestValidationOperation

    strict_call = RequestValidationOperation.__call__

    async def attempt(op, scope, body, receive, send, on_pass) -> str | None:
        """None when served; else the detail of the 400 validation answered."""
        passed = []

        def mark():
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

    async def call(self, scope, receive, send):
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

                def record():
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

    def forgiving(validator_class):
        """A form validator that checks the fields the schema declares and lets the others through."""

        class Forgiving(validator_class):
            def _validate(self, body):
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

    def _loose(op):
        """The operation's validation without strict_validation, undeclared form fields let through; built once."""
        loose = op.__dict__.get("_pimkit_loose")
        if loose is None:
            loose = RequestValidationOperation(op.next_app, operation=op._operation, strict_validation=False,
                                               validator_map=loose_map)
            op.__dict__["_pimkit_loose"] = loose
        return loose

    RequestValidationOperation.__call__ = call
    _installed = True
    return True
