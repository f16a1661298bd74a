"""How a spec meets the Python behind it: operationIds resolved to handlers, security schemes to credential checks.

The specs in `openapi/` are vendor contracts: operationIds a client could use (`getImport`, `createWebhook`) and
no Python paths. A vendor's handlers are functions named after the operationId in snake case (`getImport` ->
`get_import`), or, when the vendor declares `Vendor.operations`, whatever that table names.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from typing import Any

from connexion.resolver import Resolver
from connexion.utils import get_function_from_name

_HUMP = re.compile(r"(?<!^)(?=[A-Z])")
# A security scheme's type (and HTTP scheme) -> the Connexion extension naming the function that checks it.
CHECK_KEYS: dict[tuple[str, str | None], str] = {
    ("http", "bearer"): "x-bearerInfoFunc",
    ("http", "basic"): "x-basicInfoFunc",
    ("apiKey", None): "x-apikeyInfoFunc",
}


def snake_case(operation_id: str) -> str:
    """`getImport` -> `get_import`, `listImportsV21` -> `list_imports_v21`."""
    return _HUMP.sub("_", operation_id).lower()


def operation_resolver(module: str, table: Callable[[], Mapping[str, str]] | None = None) -> Resolver:
    """Connexion resolver: an operationId -> `module.<table[id]>`, or `module.<snake_case(id)>` without a table."""

    def function(operation_id: str) -> Callable[..., Any]:
        known = None if table is None else table()
        if known is not None and operation_id not in known:
            raise ValueError(f"operationId {operation_id} names no handler in {module}")
        name = snake_case(operation_id) if known is None else known[operation_id]
        return handler_named(module, name)

    return Resolver(function_resolver=function)


def handler_named(module: str, name: str) -> Callable[..., Any]:
    """`module.name`: the module imported (once: Python keeps it), then the name followed attribute by attribute
    (on every call, so that a handler replaced in the module, as a test may, is the one found).

    Connexion's own lookup tries every prefix of the dotted path as a module first, and each miss searches the
    file system: with five specs resolved by each of Connexion's six routed middlewares, that was a tenth of the
    test suite's CPU. A name that is not an attribute (a submodule not yet imported) falls back to it.
    """
    target: Any = importlib.import_module(module)
    try:
        for part in name.split("."):
            target = getattr(target, part)
    except AttributeError:
        target = get_function_from_name(f"{module}.{name}")  # connexion is untyped
    if not callable(target):
        raise ValueError(f"{module}.{name} is not a function")
    handler: Callable[..., Any] = target
    return handler


def with_credential_check(spec: Mapping, module: str, check: str | None) -> dict:
    """A copy of the spec whose every security scheme is checked by `module.check` (the spec names no Python)."""
    copied: dict = dict(spec)
    if check is None:
        return copied
    # Only the path to the security schemes is copied: the rest is shared with `spec`, read-only here, and
    # Connexion deep-copies what it is given anyway.
    components = copied["components"] = dict(copied.get("components", {}))
    schemes = components["securitySchemes"] = {name: dict(scheme) for name, scheme in
                                               components.get("securitySchemes", {}).items()}
    for scheme in schemes.values():
        key = CHECK_KEYS.get((scheme.get("type"), scheme.get("scheme") if scheme.get("type") == "http" else None))
        if key is None:
            raise ValueError(f"no credential check for a {scheme.get('type')} security scheme")
        scheme[key] = f"{module}.{check}"
    return copied
