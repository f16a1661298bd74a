"""Loading the OpenAPI specs once, and the message catalogs (`x-messages`) they carry."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

import yaml

from mock_server.resources import spec_file

try:  # the C loader parses a large spec several times faster
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - libyaml missing
    _Loader = yaml.SafeLoader


@functools.cache
def load_spec(name: str) -> dict:
    """The parsed spec `openapi/<name>.yaml`. Callers that hand it to Connexion pass a deep copy:
    Connexion mutates what it is given (docs/STACK-NOTES.md)."""
    spec: dict = yaml.load(spec_file(name).read_text(encoding="utf-8"), Loader=_Loader)
    return spec


class Messages:
    """A vendor's message catalog: `messages("rows", "invalid_ean_format")`, with `{param}` filled in."""

    def __init__(self, catalog: Mapping[str, Mapping[str, str]]) -> None:
        self._catalog = {group: dict(entries) for group, entries in catalog.items()}

    def __call__(self, group: str, key: str, **params: object) -> str:
        return self._catalog[group][key].format(**params)

    def get(self, group: str, key: str, default: str | None = None, **params: object) -> str | None:
        template = self._catalog.get(group, {}).get(key)
        return default if template is None else template.format(**params)

    def group(self, group: str) -> dict[str, str]:
        return dict(self._catalog.get(group, {}))


def allowed_methods(spec: Mapping[str, Any]) -> list[tuple[re.Pattern[str], tuple[str, ...]]]:
    """(path regex, methods) for every path of a spec, to answer 405 with the right `Allow`."""
    table = []
    for path, item in spec.get("paths", {}).items():
        pattern = re.compile("^" + re.sub(r"\\{[^/}]+\\}", "[^/]+", re.escape(path)) + "/?$")
        methods = tuple(m.upper() for m in item if m in {"get", "put", "post", "delete", "patch", "head", "options"})
        table.append((pattern, methods))
    return table
