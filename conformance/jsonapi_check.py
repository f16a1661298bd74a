"""A Schemathesis check of our own: every answer served as JSON:API (`application/vnd.api+json`) is a valid
JSON:API v1.1 document by the official schema (`openapi/jsonapi/schema-1.1.json`), error `status` strings
included. Other answers are not its business (it skips them), so it runs for every API."""

from __future__ import annotations

import functools
import json

import jsonschema
import schemathesis

from conformance.resources import load_jsonapi_schema

MEDIA_TYPE = "application/vnd.api+json"
NAME = "jsonapi_document"


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_jsonapi_schema("1.1"))


def problems(body: bytes) -> list[str]:
    try:
        document = json.loads(body)
    except ValueError:
        return ["the body is not JSON"]
    errors = sorted(_validator().iter_errors(document), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message[:200]}" for e in errors[:3]]


@schemathesis.check
def jsonapi_document(ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case
                     ) -> bool | None:
    """Schemathesis reads a true return as "skipped" (schemathesis.checks.run_checks) and None as "held"."""
    content_type = (response.headers.get("content-type") or [""])[0]
    if not content_type.lower().startswith(MEDIA_TYPE):
        return True
    found = problems(response.content)
    if found:
        raise AssertionError("Not a JSON:API v1.1 document\n" + "\n".join(found))
    return None
