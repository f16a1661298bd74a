"""Jasper's operationIds: contract names (`listProducts`, `enableWebhook`) and the handler binding each one means.

Every operation is declared once (`resources.py`): a generic one by its resource and kind, a bespoke one by its
binding and method. The spec generator names each with `operation_id(binding, method)`; `handler_table()` maps
the same names to the same handlers for the app's resolver.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator

from mock_server.vendors.jasper.model import Operation, Resource

ALIAS = "_alias"  # a binding serving the seed's misspelt routes (JS-D03): its operations end in `Deprecated`


def _camel(words: list[str]) -> str:
    return "".join(word[:1].upper() + word[1:] for word in words if word)


def _singular(noun: str) -> str:
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    return noun[:-1] if noun.endswith("s") else noun


def operation_id(binding: str, method: str | None = None) -> str:
    """`attributes.get` -> `getAttribute`, `attributes.list_version` -> `listAttributesInVersion`,
    `webhooks_alias.enable` -> `enableWebhookDeprecated`; a module-level function: `set_category_channel` ->
    `setCategoryChannel`."""
    if method is None:
        first, *rest = binding.split("_")
        return first + _camel(rest)
    alias = binding.endswith(ALIAS)
    base = binding.removesuffix(ALIAS).rstrip("_")
    verb, *rest = method.split("_")
    noun = base if verb == "list" else _singular(base)
    rest = ["in", "version"] if rest == ["version"] else rest
    return verb + _camel(noun.split("_")) + _camel(rest) + ("Deprecated" if alias else "")


def declared_operations(resources: Iterable[Resource],
                        admin: Iterable[Operation] = ()) -> Iterator[tuple[str, str]]:
    """(operationId, handler path) for every operation declared: a generic one to its resource's `Endpoints` in
    `handlers.declared` (the seed's misspelt routes under the same method, `updateDisplayGroupDeprecated`), a
    bespoke one to its binding (`listProducts` -> `product_operations.products_.list`)."""
    for res in resources:
        for op in res.operations:
            yield operation_of(res, op)
    for op in admin:
        yield operation_of(None, op)


def operation_of(res: Resource | None, op: Operation) -> tuple[str, str]:
    """One declared operation's (operationId, handler path under `handlers`)."""
    if op.handler is not None and op.binding is not None:
        binding = op.binding.rsplit(".", 1)[-1]
        return op.operation_id or operation_id(binding, op.kind or None), op.handler
    assert res is not None, "a generic operation belongs to a resource"
    return operation_id(res.name + (ALIAS if op.alias else ""), op.kind), f"declared.{res.name}.{op.kind}"


@functools.cache
def handler_table() -> dict[str, str]:
    """operationId -> handler path under `mock_server.vendors.jasper.handlers`, from the declaration
    (`resources.py`); two handlers under one name fail."""
    from mock_server.vendors.jasper.resources import ADMIN, RESOURCES

    table: dict[str, str] = {}
    for op_id, path in declared_operations(RESOURCES, ADMIN):
        if table.setdefault(op_id, path) != path:
            raise ValueError(f"operationId {op_id} names both {table[op_id]} and {path}")
    return table
