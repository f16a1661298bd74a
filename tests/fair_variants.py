"""Variants of the fake that differ from it only where HTTP or the seeds leave a choice: every one must pass
`pim-conformance run` without --strict (issue 15, "fair by construction"). Each is a `Rewrite` over the real
fake (tests/broken_variants.py's `RewritingApp`); the README lists them.

    NotImplementedMethods   501 Not Implemented for a method the server does not implement (TRACE, QUERY, …),
                            RFC 9110 §15.6.2, where the fake answers 405
    PimsErrorExtras         PIMS error bodies carry extra fields beside status/status_message (X-77)
    JasperBooleans          Jasper fields the seed types "(boolean)" sent as JSON true/false, not 0/1
    CompletedWithErrorRows  Products Manager: `completed` even when rows failed, as the seed's example (X-110)
    PlainJsonMediaType      Wizart answers served as application/json, not application/vnd.api+json (X-95)
    Reformatted             keys in reverse order, pretty-printed JSON, Title-Case header names
    NoAdmin                 `/__admin` answers 404: a vendor's server (real-time polling, vendor credentials)
"""

from __future__ import annotations

import json
from typing import Any

from broken_variants import Request, Response, Rewrite, json_response

IMPLEMENTED = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class NotImplementedMethods(Rewrite):
    def request(self, request: Request) -> Request | Response:
        if request.method.upper() not in IMPLEMENTED:
            return json_response(501, {"error": "not_implemented", "message": f"{request.method} is not implemented"})
        return request


class PimsErrorExtras(Rewrite):
    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if request.path.startswith("/pims/") and isinstance(body, dict) and body.get("status") == "Error":
            return response.with_json({**body, "code": response.status, "request_id": "req-0001"})
        return response


def _booleans(node: Any, fields: frozenset[str]) -> Any:
    if isinstance(node, list):
        return [_booleans(item, fields) for item in node]
    if isinstance(node, dict):
        return {
            key: (bool(value) if key in fields and value in (0, 1) and not isinstance(value, bool)
                  else _booleans(value, fields))
            for key, value in node.items()
        }
    return node


class JasperBooleans(Rewrite):
    """Every 0/1 under a name the Jasper seed types "(boolean)" becomes false/true."""

    def __init__(self, fields: frozenset[str]) -> None:
        self.fields = fields

    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if request.path.startswith("/jasper/") and isinstance(body, (dict, list)):
            return response.with_json(_booleans(body, self.fields))
        return response


class CompletedWithErrorRows(Rewrite):
    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if (request.method == "GET" and request.path.startswith("/productsmanager/api/v1/imports/")
                and isinstance(body, dict) and body.get("status") == "completed_with_errors"):
            return response.with_json({**body, "status": "completed"})
        return response


class PlainJsonMediaType(Rewrite):
    def response(self, request: Request, response: Response) -> Response:
        if not request.path.startswith("/wizart/"):
            return response
        headers = [(k, b"application/json" if k.lower() == b"content-type" and v.startswith(b"application/vnd.api+json")
                    else v) for k, v in response.headers]
        return Response(response.status, headers, response.body)


def _reversed(node: Any) -> Any:
    if isinstance(node, list):
        return [_reversed(item) for item in node]
    if isinstance(node, dict):
        return {key: _reversed(node[key]) for key in reversed(list(node))}
    return node


class Reformatted(Rewrite):
    def response(self, request: Request, response: Response) -> Response:
        headers = [(k.decode("latin-1").title().encode("latin-1"), v) for k, v in response.headers]
        body = response.json()
        if body is None or not response.body:
            return Response(response.status, headers, response.body)
        return Response(response.status, headers, json.dumps(_reversed(body), indent=2).encode())


class NoAdmin(Rewrite):
    def request(self, request: Request) -> Request | Response:
        if request.path.startswith("/__admin"):
            return json_response(404, {"error": "not_found", "message": "Resource not found."})
        return request


def jasper_boolean_fields() -> frozenset[str]:
    """The Jasper properties the spec types as "0/1 or a JSON boolean" (the seed's "(boolean)" shown as 1/0)."""
    import yaml
    from _live import REPO

    spec = yaml.load((REPO / "openapi" / "jasper.yaml").read_text(encoding="utf-8"),
                     Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    found = set()
    for schema in spec["components"]["schemas"].values():
        for name, prop in (schema.get("properties") or {}).items():
            if {"type": "boolean"} in (prop.get("anyOf") or []) and any(
                    p.get("enum") == [0, 1] for p in prop["anyOf"]):
                found.add(name)
    return frozenset(found)
