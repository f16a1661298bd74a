"""A spec-only mock that keeps no state, the way Stoplight Prism serves a spec (its static mode): every request to a
documented operation gets that operation's first documented success example (or one built from its schema), a
request without the credentials the spec asks for gets 401, and nothing is ever stored. It is the kind of peer
QA might wrongly trust; the conformance suite must report its stateful contracts as violated.

`StatelessMock({"/pixee": spec, ...})` is an ASGI app serving each spec under its prefix.
"""

from __future__ import annotations

import json
import re
from typing import Any

from conformance.spec import SpecIndex

_FAKE = {"string": "string", "integer": 0, "number": 0, "boolean": True}


def example_from_schema(spec: SpecIndex, schema: Any, depth: int = 0) -> Any:
    """Prism's static generation, roughly: `example`, else the first enum value, else a value of the type."""
    schema = spec.resolve(schema) or {}
    if not isinstance(schema, dict) or depth > 8:
        return None
    if "example" in schema:
        return schema["example"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("allOf", "oneOf", "anyOf"):
        if schema.get(key):
            parts = [example_from_schema(spec, part, depth + 1) for part in schema[key]]
            if key == "allOf" and all(isinstance(p, dict) for p in parts):
                return {k: v for part in parts for k, v in part.items()}
            return parts[0]
    kind = schema.get("type", "object" if "properties" in schema else None)
    if kind == "array":
        return [example_from_schema(spec, schema.get("items", {}), depth + 1)]
    if kind == "object":
        return {name: example_from_schema(spec, sub, depth + 1) for name, sub in schema.get("properties", {}).items()}
    if kind == "string" and schema.get("format") == "date-time":
        return "2024-01-01T00:00:00Z"
    return _FAKE.get(kind)


def _answer(spec: SpecIndex, operation: dict) -> tuple[int, str, bytes]:
    responses = operation.get("responses", {})
    code = next((c for c in sorted(responses) if str(c).startswith("2")), None)
    if code is None:
        return 501, "application/json", b"{}"
    response = spec.resolve(responses[code])
    for media, content in (response.get("content") or {}).items():
        if "example" in content:
            body = content["example"]
        elif content.get("examples"):
            body = spec.resolve(next(iter(content["examples"].values()))).get("value")
        else:
            body = example_from_schema(spec, content.get("schema", {}))
        return int(code), media, json.dumps(body).encode()
    return int(code), "application/json", b""


class StatelessMock:
    def __init__(self, specs: dict[str, dict]) -> None:
        self.routes = []
        for prefix, raw in specs.items():
            spec = SpecIndex(raw)
            security = bool(raw.get("security"))
            for op in spec.operations.values():
                regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(prefix + op.path))
                secured = bool(op.raw.get("security", raw.get("security"))) if "security" in op.raw else security
                self.routes.append(
                    (op.path.count("{"), re.compile(f"^{regex}/?$"), op.method.upper(), secured, _answer(spec, op.raw))
                )
        self.routes.sort(key=lambda route: route[0])

    async def __call__(self, scope: dict, receive, send) -> None:
        if scope["type"] != "http":
            return
        more = True
        while more:  # read and drop the body: nothing is kept
            more = (await receive()).get("more_body", False)
        headers = {k.decode("latin-1").lower() for k, _ in scope["headers"]}
        status, media, body = 404, "application/json", b'{"title": "Route not resolved, no path matched"}'
        for _, regex, method, secured, answer in self.routes:
            if regex.match(scope["path"]) and method == scope["method"]:
                if secured and not headers & {"authorization", "apikey", "x-api-key"}:
                    status, media, body = 401, "application/json", b'{"title": "Invalid security scheme used"}'
                else:
                    status, media, body = answer
                break
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", media.encode()), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
