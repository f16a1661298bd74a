"""Jasper's operationIds: contract names (`listProducts`, `enableWebhook`) and the handler binding each one means.

The spec generator names every operation with `operation_id(binding, method)`; `handler_table()` inverts that
over the operations the resources declare (`resources.py`) and the bindings `handlers.py` and
`product_operations.py` hold, for the app's resolver.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Iterable, Iterator
from itertools import chain
from types import FunctionType, ModuleType

from mock_server.vendors.jasper.model import Resource

# Where the rule below would read badly: (binding, method) -> operationId.
OVERRIDES: dict[tuple[str, str], str] = {
    ("product_prices", "active"): "getActiveProductPrice",
    ("products", "by_sku"): "getProductBySku",
    ("product_relations", "attributes"): "listProductRelationAttributes",
    ("product_relations", "list_type"): "listProductRelationsByType",
    ("product_tags", "post"): "createProductTags",
    ("product_tags", "post_version"): "createProductTagsInVersion",
    ("product_tags", "put"): "updateProductTags",
    ("product_attributes", "update_many"): "updateProductAttributes",
    # The seed's headings "Upsert Product Barcodes (with delete)" / "(without delete)" (JDO-03).
    ("product_barcodes", "upsert_with_delete"): "upsertProductBarcodesWithDelete",
    ("product_barcodes", "upsert_without_delete"): "upsertProductBarcodesWithoutDelete",
}
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
    name = OVERRIDES.get((base, method))
    if name is None:
        verb, *rest = method.split("_")
        noun = base if verb == "list" else _singular(base)
        rest = ["in", "version"] if rest == ["version"] else rest
        name = verb + _camel(noun.split("_")) + _camel(rest)
    return name + ("Deprecated" if alias else "")


def _operations(module: ModuleType, prefix: str):
    """(operationId, handler path relative to `handlers`) for every public coroutine function the module defines
    and every public coroutine method of the binding objects it holds."""
    for name, value in vars(module).items():
        if name.startswith("_") or isinstance(value, (type, ModuleType)):
            continue
        if isinstance(value, FunctionType):  # (a proxy such as Connexion's `request` is looked at by type only)
            if inspect.iscoroutinefunction(value) and value.__module__ == module.__name__:
                yield operation_id(name), prefix + name
            continue
        for method, member in inspect.getmembers(type(value)):
            if not method.startswith("_") and inspect.iscoroutinefunction(member):
                yield operation_id(name, method), f"{prefix}{name}.{method}"


def declared_operations(resources: Iterable[Resource]) -> Iterator[tuple[str, str]]:
    """(operationId, handler path) for every operation a resource declares: its generic `Endpoints` in
    `handlers.declared`, the seed's misspelt routes under the same method (`updateDisplayGroupDeprecated`)."""
    for res in resources:
        for op in res.operations:
            yield operation_id(res.name + (ALIAS if op.alias else ""), op.kind), f"declared.{res.name}.{op.kind}"


@functools.cache
def handler_table() -> dict[str, str]:
    """operationId -> handler path under `mock_server.vendors.jasper.handlers`; two handlers under one name fail."""
    from mock_server.vendors.jasper import handlers, product_operations
    from mock_server.vendors.jasper.resources import RESOURCES

    table: dict[str, str] = {}
    for op_id, path in chain(declared_operations(RESOURCES), _operations(handlers, ""),
                             _operations(product_operations, "product_operations.")):
        if table.setdefault(op_id, path) != path:
            raise ValueError(f"operationId {op_id} names both {table[op_id]} and {path}")
    return table
