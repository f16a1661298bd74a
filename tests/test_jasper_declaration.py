"""Jasper is declared once (`mock_server/vendors/jasper/resources.py`): the engine, the operationId -> handler
bindings and the generated openapi/jasper.yaml are three views of that one declaration, and they agree."""

from __future__ import annotations

import functools
import inspect
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from connexion.utils import get_function_from_name

from mock_server.clock import VirtualClock
from mock_server.resolver import operation_resolver
from mock_server.store import Store
from mock_server.vendors.jasper import handlers, products, resources
from mock_server.vendors.jasper.endpoints import Endpoints
from mock_server.vendors.jasper.engine import Engine
from mock_server.vendors.jasper.model import BIT, BIT_IN, INT, NAME, STR, Field, Operation, Resource, envelope, ref
from mock_server.vendors.jasper.operations import declared_operations, handler_table, operation_of

ROOT = Path(__file__).parent.parent
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
COLOURS = ["red", "blue"]
# A throwaway resource, declared the way resources.py declares every other one.
WIDGET = Resource(
    "widgets", "widget", "widgets",
    {"name": Field(out=STR, write=NAME, required=True),
     "colour": Field("red", out={"type": "string", "enum": COLOURS}, write={"type": "string", "enum": COLOURS}),
     "size": Field(3, out=INT, write={"type": "integer", "minimum": 1, "maximum": 9}),
     "boxed": Field(0, out=BIT, write=BIT_IN)},
    path="/widgets", id_param="widget_id", schema="Widget",
    operations=(Operation("list", ("J-000",)), Operation("create", ("J-000",)), Operation("get", ("J-000",)),
                Operation("update", ("J-000",), alias="/widget"),
                # a bespoke operation: its own handler (`widgets_.polish`), route, body and response
                resources.bespoke("widgets_", "polish", "post", "/widgets/{widget_id}/polish", ("J-000",),
                                  "Polish a widget", body={"type": "object", "required": ["grit"], "properties": {
                                      "grit": {"type": "integer", "minimum": 40, "maximum": 400}}},
                                  ok=envelope("widget", ref("Widget")))),
)


class WidgetTools:
    """The throwaway resource's bespoke binding."""

    async def polish(self, widget_id: int, body: dict, **_kwargs):
        return {"widget": {"id": widget_id, "grit": body["grit"]}}


@pytest.fixture
def generator(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    for name in ("gen_jasper_spec", "gen_jasper_spec_products"):
        sys.modules.pop(name, None)
    import gen_jasper_spec

    yield gen_jasper_spec
    for name in ("gen_jasper_spec", "gen_jasper_spec_products"):
        sys.modules.pop(name, None)


def spec_operations(spec: dict) -> dict[tuple[str, str], str]:
    return {(method, path): op["operationId"] for path, item in spec["paths"].items() for method, op in item.items()}


def test_a_throwaway_resource_shows_up_in_the_spec_the_engine_and_the_bindings(generator, monkeypatch):
    declared = (*resources.RESOURCES, WIDGET)
    monkeypatch.setattr(generator, "RESOURCES", declared)
    monkeypatch.setattr(generator, "SECTIONS", [*generator.SECTIONS, "Widgets"])

    # the spec: its routes, its operationIds, its schemas with the field's enum, range, default-free create
    spec = generator.build()
    ops = spec_operations(spec)
    assert {k: v for k, v in ops.items() if "widget" in k[1]} == {
        ("get", "/api/v1/widgets"): "listWidgets", ("post", "/api/v1/widgets"): "createWidget",
        ("get", "/api/v1/widgets/{widget_id}"): "getWidget",
        ("put", "/api/v1/widget/{widget_id}"): "updateWidgetDeprecated",
        ("post", "/api/v1/widgets/{widget_id}/polish"): "polishWidget"}
    schemas = spec["components"]["schemas"]
    assert schemas["Widget"]["properties"] == {"id": INT, "name": STR, "colour": {"type": "string", "enum": COLOURS},
                                               "size": INT, "boxed": BIT}
    create = schemas["WidgetCreate"]
    assert create["required"] == ["name"] and create["properties"]["colour"]["enum"] == COLOURS
    assert create["properties"]["size"] == {"type": "integer", "minimum": 1, "maximum": 9}
    assert spec["paths"]["/api/v1/widgets"]["post"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/WidgetCreate"}

    # the bespoke operation: its declared route, path parameter, body (with its range) and response
    polish = spec["paths"]["/api/v1/widgets/{widget_id}/polish"]["post"]
    assert polish["parameters"] == [{"name": "widget_id", "in": "path", "required": True,
                                     "schema": {"type": "integer"}}]
    assert polish["requestBody"]["content"]["application/json"]["schema"]["properties"]["grit"] == {
        "type": "integer", "minimum": 40, "maximum": 400}
    assert polish["responses"]["200"]["content"]["application/json"]["schema"] == envelope("widget", ref("Widget"))
    assert "403" in polish["responses"] and polish["x-rules"] == ["J-000"]

    # the bindings: the same operationIds, each generic one to the widget's Endpoints method, the bespoke one to
    # its own binding, which the app's resolver finds
    bindings = dict(declared_operations([WIDGET]))
    assert bindings == {"listWidgets": "declared.widgets.list", "createWidget": "declared.widgets.create",
                        "getWidget": "declared.widgets.get", "updateWidgetDeprecated": "declared.widgets.update",
                        "polishWidget": "widgets_.polish"}
    assert set(bindings) == {v for k, v in ops.items() if "widget" in k[1]}
    monkeypatch.setattr(handlers, "widgets_", WidgetTools(), raising=False)
    resolver = operation_resolver("mock_server.vendors.jasper.handlers", lambda: bindings)
    assert resolver.resolve_function_from_operation_id("polishWidget").__qualname__ == "WidgetTools.polish"
    endpoints = Endpoints.of(WIDGET)
    assert (endpoints.name, endpoints.id_param, endpoints.parent_param) == ("widgets", "widget_id", None)

    # the engine: the declared defaults, the 1/0 boolean, unknown fields dropped
    store = Store()
    engine = Engine(store, VirtualClock("manual", datetime(2024, 3, 15, 9, tzinfo=UTC)), declared, versions=[1])
    store.reset({})
    engine.load()
    made = engine.create(engine.resources["widgets"], {"name": "Sprocket", "boxed": True, "stray": 1})
    assert made == {"id": 1, "name": "Sprocket", "colour": "red", "size": 3, "boxed": 1}
    assert engine.list(engine.resources["widgets"]) == [made]


@functools.cache
def committed_spec() -> dict:
    return yaml.load((ROOT / "openapi" / "jasper.yaml").read_text(encoding="utf-8"), Loader=LOADER)


def test_the_committed_spec_the_engine_and_the_bindings_agree_with_the_declaration():
    spec, table = committed_spec(), handler_table()
    schemas, ops = spec["components"]["schemas"], spec_operations(spec)
    for res in resources.RESOURCES:
        if res.schema is None:
            continue
        shown = schemas[res.schema]["properties"]
        # every stored field the engine fills is a property of the response schema, and the response shows only
        # declared fields (the product adds its embedded relations)
        assert set(res.defaults) <= set(shown), res.name
        declared_out = {"id", res.parent_field} | {name for name, f in res.fields.items() if f.out is not None}
        assert set(shown) - declared_out <= set(resources.BY_NAME["products"].fields) | set(products.SINGLE) | {
            key for key, _builder in products.WITH.values()}, res.name
        create = schemas.get(res.schema + "Create")
        if create is not None:
            assert create.get("required", []) == [n for n, f in res.fields.items() if f.required], res.name
            assert create["properties"] == {n: f.write for n, f in res.fields.items() if f.write}, res.name
    # every declared operation is in the spec once, under its route (a generic one under its resource's or its
    # alias's), and bound to its handler; the spec has no other operation
    declared = [*((res, op) for res in resources.RESOURCES for op in res.operations),
                *((None, op) for op in resources.ADMIN)]
    for res, op in declared:
        op_id, path = operation_of(res, op)
        assert table[op_id] == path
        if op.binding is None:
            assert res is not None and path == f"declared.{res.name}.{op.kind}"
        routes = [route for route, served_id in ops.items() if served_id == op_id]
        assert len(routes) == 1, (op_id, routes)
        (method, route), = routes
        if op.binding is None:
            assert route.removeprefix("/api/v1").startswith(op.alias or res.path or ""), (op_id, route)
        else:
            assert (method, route) == (op.method, ("/api/v1" if op.api else "") + (op.route or "")), op_id
    assert len(ops) == len(declared) == len(table) == 180


def test_every_binding_is_a_handler_and_every_handler_is_declared():
    """The declaration names only handlers that exist, and every public coroutine of a binding is declared: no
    handler the spec cannot reach."""
    table = handler_table()
    for op_id, path in table.items():
        handler = get_function_from_name(f"mock_server.vendors.jasper.handlers.{path}")
        assert inspect.iscoroutinefunction(handler), op_id
    bound = set(table.values())
    # (an `_alias` binding is its canonical binding under a second name: only the misspelt routes go to it)
    bindings = {p.rsplit(".", 1)[0] for p in bound if not p.startswith("declared.") and "_alias." not in p}
    for binding in sorted(bindings):
        target = get_function_from_name(f"mock_server.vendors.jasper.handlers.{binding}")
        if inspect.iscoroutinefunction(target):
            continue
        # a binding's own methods (a generic `Endpoints` serves only the kinds declared)
        for method, member in vars(type(target)).items():
            if not method.startswith("_") and inspect.iscoroutinefunction(member) and type(target) is not Endpoints:
                assert f"{binding}.{method}" in bound, f"{binding}.{method} is served by no declared operation"


def test_each_vocabulary_is_the_declarations():
    """The enums a handler or the engine uses are the ones the spec states (no second list in Python)."""
    from mock_server.vendors.jasper import barcodes, relations, webhooks

    props = committed_spec()["components"]["schemas"]
    assert set(props["ProductBarcodeCreate"]["properties"]["type"]["enum"]) == set(barcodes.LENGTHS)
    assert props["ProductRelationTypeCreate"]["properties"]["relationship_cardinality"]["enum"] == list(
        relations.CARDINALITY)
    hook = props["WebhookCreate"]["properties"]
    assert hook["entity_type"]["enum"] == list(webhooks.ENTITY_TYPES.values())
    assert list(hook) == list(webhooks.WRITABLE)
