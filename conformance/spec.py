"""Read-only views of a loaded OpenAPI 3.0 spec: operations by id, response schemas, `x-` data.

Response bodies are validated against the spec's own schemas (never a copy written in Python): OpenAPI's
`nullable` becomes a JSON Schema type union, `$ref`s resolve within the document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

import jsonschema

HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@dataclass(frozen=True)
class Operation:
    id: str
    method: str
    path: str
    raw: Mapping[str, Any]

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(self.raw.get("x-rules", ()))

    @property
    def statuses(self) -> frozenset[int]:
        return frozenset(int(code) for code in self.raw.get("responses", {}) if str(code).isdigit())


class SpecIndex:
    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw

    @cached_property
    def operations(self) -> dict[str, Operation]:
        found = {}
        for path, item in self.raw.get("paths", {}).items():
            for method in HTTP_METHODS:
                if method in item and "operationId" in item[method]:
                    op = Operation(id=item[method]["operationId"], method=method, path=path, raw=item[method])
                    found[op.id] = op
        return found

    def operation_by_label(self, label: str) -> Operation | None:
        return next((op for op in self.operations.values() if op.label == label), None)

    def resolve(self, node: Any) -> Any:
        while isinstance(node, Mapping) and "$ref" in node:
            node = self._pointer(node["$ref"])
        return node

    def _pointer(self, ref: str) -> Any:
        if not ref.startswith("#/"):
            raise ValueError(f"only local $refs are supported, not {ref!r}")
        node: Any = self.raw
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        return node

    def response_schema(self, operation_id: str, status: int | str) -> dict[str, Any] | None:
        """The JSON Schema of `operation_id`'s `status` response body (application/json), if declared."""
        responses = self.operations[operation_id].raw.get("responses", {})
        response = self.resolve(responses.get(str(status)) or responses.get(f"{str(status)[0]}XX"))
        content = (response or {}).get("content", {})
        media = content.get("application/json")
        if media is None or "schema" not in media:
            return None
        schema: dict[str, Any] = self.to_json_schema(media["schema"])  # a schema object gives a dict
        return schema

    def component_schema(self, name: str) -> dict[str, Any]:
        schema: dict[str, Any] = self.to_json_schema({"$ref": f"#/components/schemas/{name}"})
        return schema

    def to_json_schema(self, schema: Any) -> Any:
        """Inline `$ref`s, turn `nullable` into a type union and drop OpenAPI-only keywords."""
        schema = self.resolve(schema)
        if isinstance(schema, list):
            return [self.to_json_schema(item) for item in schema]
        if not isinstance(schema, Mapping):
            return schema
        out: dict[str, Any] = {}
        for key, value in schema.items():
            if key.startswith("x-") or key in ("nullable", "example", "examples", "discriminator", "xml"):
                continue
            if key in ("properties", "patternProperties"):
                out[key] = {name: self.to_json_schema(sub) for name, sub in value.items()}
            else:
                out[key] = self.to_json_schema(value)
        if schema.get("nullable"):
            if "type" in out:
                out["type"] = [out["type"], "null"] if isinstance(out["type"], str) else [*out["type"], "null"]
            if "enum" in out and None not in out["enum"]:
                out["enum"] = [*out["enum"], None]
        return out

    def schema_errors(self, schema: Mapping[str, Any], instance: Any) -> list[str]:
        validator = jsonschema.Draft4Validator(schema, format_checker=FORMATS)
        errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path))
        return [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}" for e in errors]

    def enum_of(self, schema_name: str) -> tuple[Any, ...]:
        return tuple(self.resolve(self.raw["components"]["schemas"][schema_name]).get("enum", ()))

    def messages(self, group: str) -> dict[str, str]:
        """The `x-messages` catalog: message key -> text (templates keep their `{placeholders}`)."""
        return dict(self.raw.get("x-messages", {}).get(group, {}))

    def iter_fake_choices(self) -> Iterator[tuple[str, Any]]:
        """Every node marked `x-fake-choice`, as (JSON pointer, the mark's text)."""
        yield from _walk(self.raw, "#")


def parse_timestamp(value: object) -> datetime | None:
    """An RFC 3339 date-time (`2024-03-15T09:00:00Z`), or None when `value` is not one."""
    if not isinstance(value, str) or not _RFC3339.match(value):
        return None
    try:
        return datetime.fromisoformat(value.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError:
        return None


_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
FORMATS = jsonschema.FormatChecker()
FORMATS.checks("date-time")(lambda value: not isinstance(value, str) or parse_timestamp(value) is not None)


def template_pattern(template: str) -> re.Pattern[str]:
    """`"Import {id} not found."` -> a regex matching any filled-in version of it."""
    parts = re.split(r"\{[a-z_]+\}", template)
    return re.compile("^" + "(.+)".join(re.escape(part) for part in parts) + "$", re.DOTALL)


def _walk(node: Any, pointer: str) -> Iterator[tuple[str, Any]]:
    if isinstance(node, Mapping):
        if "x-fake-choice" in node:
            yield pointer, node["x-fake-choice"]
        for key, value in node.items():
            yield from _walk(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{pointer}/{index}")
