"""The specs are vendor contracts: operationIds a client can use, no Python paths, and a resolver that finds each
operation's handler (`mock_server/resolver.py`, Jasper's table in `mock_server/vendors/jasper/operations.py`)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml
from connexion.exceptions import ResolverError

from mock_server.resolver import operation_resolver, snake_case, with_credential_check
from mock_server.vendors.jasper.operations import handler_table, operation_id

SPECS = sorted((Path(__file__).parent.parent / "openapi").glob("*.yaml"))
METHODS = {"get", "put", "post", "delete", "patch"}
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: Jasper's 8,500 lines in a fraction of the time


def operation_ids(spec: dict) -> list[str]:
    return [op["operationId"] for item in spec["paths"].values() for method, op in item.items() if method in METHODS]


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_no_python_wiring_in_the_spec(path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"x-\w+InfoFunc", text)
    ids = operation_ids(yaml.load(text, Loader=LOADER))
    assert ids and len(ids) == len(set(ids))
    assert [op for op in ids if not re.fullmatch(r"[a-z][A-Za-z0-9]*", op)] == []  # camelCase, no module path


def test_jasper_operation_ids_are_contract_names_and_each_has_its_handler():
    spec = yaml.load((Path(__file__).parent.parent / "openapi" / "jasper.yaml").read_text(encoding="utf-8"),
                     Loader=LOADER)
    ids = operation_ids(spec)
    assert {"listProducts", "createWebhook", "enableWebhookDeprecated", "getAttributeInVersion", "ping"} <= set(ids)
    assert all(re.fullmatch(r"[a-z][A-Za-z0-9]*", op) for op in ids)
    table = handler_table()
    assert [op for op in ids if op not in table] == []
    assert table["listProducts"] == "product_operations.products_.list"
    assert table["getAttribute"] == "declared.attributes.get"  # a declared resource's generic binding
    assert table["updateDisplayGroupDeprecated"] == table["updateDisplayGroup"] == "declared.display_groups.update"


def test_operation_id_rule():
    assert operation_id("attributes", "list_version") == "listAttributesInVersion"
    assert operation_id("categories", "get") == "getCategory"
    assert operation_id("webhooks_alias", "disable") == "disableWebhookDeprecated"
    assert operation_id("products_", "get") == "getProduct"
    assert operation_id("set_category_channel") == "setCategoryChannel"


def test_resolver_maps_by_snake_case_or_by_table():
    assert snake_case("getImport") == "get_import" and snake_case("listImportsV21") == "list_imports_v21"
    plain = operation_resolver("mock_server.vendors.productsmanager.handlers")
    assert plain.resolve_function_from_operation_id("getImport").__name__ == "get_import"
    jasper = operation_resolver("mock_server.vendors.jasper.handlers", handler_table)
    assert jasper.resolve_function_from_operation_id("listProducts").__qualname__ == "Products.list"
    with pytest.raises(ResolverError):
        jasper.resolve_function_from_operation_id("products.list")


def test_credential_check_is_injected_into_a_copy():
    spec = {"components": {"securitySchemes": {"a": {"type": "http", "scheme": "bearer"}, "b": {"type": "apiKey"}}}}
    wired = with_credential_check(spec, "pkg.handlers", "check")
    assert wired["components"]["securitySchemes"]["a"]["x-bearerInfoFunc"] == "pkg.handlers.check"
    assert wired["components"]["securitySchemes"]["b"]["x-apikeyInfoFunc"] == "pkg.handlers.check"
    assert "x-bearerInfoFunc" not in spec["components"]["securitySchemes"]["a"]



def test_a_handler_is_found_by_attribute_and_a_submodule_not_yet_imported_still_resolves(tmp_path, monkeypatch):
    """Handlers are looked up as attributes of the vendor's module (Connexion's lookup tries each dotted prefix
    as a module first); a name that is a submodule nobody imported yet is still found, and a missing one fails."""
    from mock_server.resolver import handler_named

    package = tmp_path / "throwaway_handlers"
    package.mkdir()
    (package / "__init__.py").write_text("def listed():\n    return 'listed'\n")
    (package / "later.py").write_text("def fetched():\n    return 'fetched'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert handler_named("throwaway_handlers", "listed")() == "listed"
    assert handler_named("throwaway_handlers", "later.fetched")() == "fetched"
    with pytest.raises(ImportError):
        handler_named("throwaway_handlers", "nowhere.missing")
    for name in ("throwaway_handlers.later", "throwaway_handlers"):
        sys.modules.pop(name)
