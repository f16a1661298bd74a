"""`pim-conformance diff`: pairs of small specs that differ in one way each, the exact findings, exit codes."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conformance import cli
from conformance.specdiff import BREAKING, NON_BREAKING, RULES, diff

B, N = BREAKING, NON_BREAKING
ROOT = Path(__file__).resolve().parent.parent
JSON = "application~1json"
ITEM_RESPONSES = (  # every place the `Item` schema is read by clients
    ("GET /items", f"responses/200/content/{JSON}/schema/items"),
    ("GET /items/{id}", f"responses/200/content/{JSON}/schema"),
    ("GET /products/{pid}", f"responses/200/content/{JSON}/schema"),
    ("POST /items", f"responses/201/content/{JSON}/schema"),
    # Product (allOf Item) is not Item: its `parent` is an Item, compared once; Item's own recursion stops there
    ("GET /products/{pid}", f"responses/200/content/{JSON}/schema/properties/parent"),
)


def _json(schema: dict) -> dict:
    return {"content": {"application/json": {"schema": schema}}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


BASE = {
    "openapi": "3.0.3",
    "info": {"title": "t", "version": "1"},
    "security": [{"bearer": []}],
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer"},
            "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
            "oauth": {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/t", "scopes": {}}}},
        },
        "parameters": {"ItemId": {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}},
        "schemas": {
            "Status": {"type": "string", "enum": ["draft", "live"]},
            "Item": {
                "type": "object",
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "status": _ref("Status"),
                    "price": {"type": "number"},
                    "parent": _ref("Item"),  # recursive
                    "secret": {"type": "string", "writeOnly": True},
                },
            },
            "NewItem": {
                "type": "object",
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "maxLength": 100},
                    "status": _ref("Status"),
                    "note": {"type": "string", "nullable": True},
                    "children": {"type": "array", "items": _ref("NewItem")},  # recursive through items
                },
            },
            "Product": {"allOf": [_ref("Item"), {"type": "object", "properties": {"sku": {"type": "string"}}}]},
            "Circle": {"type": "object", "properties": {"r": {"type": "number"}}},
            "Square": {"type": "object", "properties": {"side": {"type": "number"}}},
        },
    },
    "paths": {
        "/items": {
            "get": {
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}},
                    {"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["name", "price"]}},
                ],
                "responses": {
                    "200": {
                        "headers": {"X-Total": {"schema": {"type": "integer"}}},
                        **_json({"type": "array", "items": _ref("Item")}),
                    },
                    "401": {"description": "no"},
                },
            },
            "post": {
                "security": [{"bearer": []}, {"key": []}],
                "requestBody": {"required": True, **_json(_ref("NewItem"))},
                "responses": {"201": _json(_ref("Item")), "400": {"description": "bad"}},
            },
        },
        "/items/{id}": {
            "parameters": [{"$ref": "#/components/parameters/ItemId"}],
            "get": {"security": [{"oauth": ["read"]}], "responses": {"200": _json(_ref("Item")), "404": {}}},
            "delete": {"responses": {"204": {"description": "gone"}}},
        },
        "/products/{pid}": {
            "get": {
                "parameters": [{"name": "pid", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json(_ref("Product"))},
            }
        },
        "/shapes": {"get": {"responses": {"200": _json({"oneOf": [_ref("Circle"), _ref("Square")]})}}},
        "/health": {"get": {"security": [], "responses": {"200": _json({"type": "object"})}}},
    },
}


def _changed(edit) -> dict:
    spec = copy.deepcopy(BASE)
    edit(spec)
    return spec


def _schemas(spec: dict) -> dict:
    return spec["components"]["schemas"]


def _op(spec: dict, path: str, method: str) -> dict:
    return spec["paths"][path][method]


def _rename_path_param(spec: dict) -> None:
    spec["paths"]["/items/{item_id}"] = spec["paths"].pop("/items/{id}")
    spec["components"]["parameters"]["ItemId"]["name"] = "item_id"


def _add(d: dict, key: str, value) -> None:
    d[key] = value


CASES = {
    "operation removed": (
        lambda s: s["paths"]["/items/{id}"].pop("delete"),
        [(B, "operation-removed", "DELETE /items/{id}", "", None, None)],
    ),
    "operation added": (
        lambda s: _add(s["paths"]["/items/{id}"], "put", {"responses": {"200": {"description": "ok"}}}),
        [(N, "operation-added", "PUT /items/{id}", "", None, None)],
    ),
    "path parameter renamed is the same path": (_rename_path_param, []),
    "response field removed (also through allOf)": (
        lambda s: _schemas(s)["Item"]["properties"].pop("price"),
        [(B, "response-property-removed", op, f"{loc}/properties/price", "price", None) for op, loc in ITEM_RESPONSES],
    ),
    "response field added": (
        lambda s: _add(_schemas(s)["Item"]["properties"], "color", {"type": "string"}),
        [(N, "response-property-added", op, f"{loc}/properties/color", None, "color") for op, loc in ITEM_RESPONSES],
    ),
    "response field became optional": (
        lambda s: _schemas(s)["Item"]["required"].remove("name"),
        [
            (B, "response-property-became-optional", op, f"{loc}/properties/name", "required", "optional")
            for op, loc in ITEM_RESPONSES
        ],
    ),
    "a field only in an allOf member removed": (
        lambda s: _schemas(s)["Product"]["allOf"][1]["properties"].pop("sku"),
        [(B, "response-property-removed", "GET /products/{pid}", f"responses/200/content/{JSON}/schema/properties/sku",
          "sku", None)],
    ),  # fmt: skip
    "request field became required": (
        lambda s: _schemas(s)["NewItem"]["required"].append("status"),
        [
            (B, "request-property-became-required", "POST /items",
             f"requestBody/content/{JSON}/schema/properties/status", "optional", "required"),
        ],
    ),  # fmt: skip
    "new required request field": (
        lambda s: (_add(_schemas(s)["NewItem"]["properties"], "sku", {"type": "string"}),
                   _schemas(s)["NewItem"]["required"].append("sku")),
        [(B, "new-required-request-property", "POST /items", f"requestBody/content/{JSON}/schema/properties/sku",
          None, "sku")],
    ),  # fmt: skip
    "new optional request field": (
        lambda s: _add(_schemas(s)["NewItem"]["properties"], "sku", {"type": "string"}),
        [(N, "new-optional-request-property", "POST /items", f"requestBody/content/{JSON}/schema/properties/sku",
          None, "sku")],
    ),  # fmt: skip
    "request field removed": (
        lambda s: _schemas(s)["NewItem"]["properties"].pop("note"),
        [(B, "request-property-removed", "POST /items", f"requestBody/content/{JSON}/schema/properties/note",
          "note", None)],
    ),  # fmt: skip
    "write-only field removed is not a response change": (
        lambda s: _schemas(s)["Item"]["properties"].pop("secret"),
        [],
    ),
    "a change deep in a recursive request schema": (
        lambda s: _add(_schemas(s)["NewItem"]["properties"]["children"], "maxItems", 10),
        [(B, "request-constraint-tightened", "POST /items",
          f"requestBody/content/{JSON}/schema/properties/children/maxItems", None, 10)],
    ),  # fmt: skip
    "parameter became required": (
        lambda s: _add(_op(s, "/items", "get")["parameters"][0], "required", True),
        [(B, "request-parameter-became-required", "GET /items", "parameters/query/limit", False, True)],
    ),
    "new required parameter": (
        lambda s: _op(s, "/items", "get")["parameters"].append(
            {"name": "X-Tenant", "in": "header", "required": True, "schema": {"type": "string"}}
        ),
        [(B, "new-required-request-parameter", "GET /items", "parameters/header/X-Tenant", None, "X-Tenant")],
    ),
    "new optional parameter": (
        lambda s: _op(s, "/items", "get")["parameters"].append({"name": "q", "in": "query"}),
        [(N, "new-optional-request-parameter", "GET /items", "parameters/query/q", None, "q")],
    ),
    "parameter removed": (
        lambda s: _op(s, "/items", "get")["parameters"].pop(1),
        [(N, "request-parameter-removed", "GET /items", "parameters/query/sort", "sort", None)],
    ),
    "request enum narrowed": (
        lambda s: _op(s, "/items", "get")["parameters"][1]["schema"]["enum"].remove("price"),
        [(B, "request-enum-value-removed", "GET /items", "parameters/query/sort/schema/enum", "price", None)],
    ),
    "request enum widened": (
        lambda s: _op(s, "/items", "get")["parameters"][1]["schema"]["enum"].append("date"),
        [(N, "request-enum-value-added", "GET /items", "parameters/query/sort/schema/enum", None, "date")],
    ),
    "shared enum narrowed: breaks senders, not readers": (
        lambda s: _schemas(s)["Status"]["enum"].remove("draft"),
        [(B, "request-enum-value-removed", "POST /items", f"requestBody/content/{JSON}/schema/properties/status/enum",
          "draft", None)]
        + [(N, "response-enum-value-removed", op, f"{loc}/properties/status/enum", "draft", None)
           for op, loc in ITEM_RESPONSES],
    ),  # fmt: skip
    "shared enum widened: breaks readers, not senders": (
        lambda s: _schemas(s)["Status"]["enum"].append("archived"),
        [(B, "response-enum-value-added", op, f"{loc}/properties/status/enum", None, "archived")
         for op, loc in ITEM_RESPONSES]
        + [(N, "request-enum-value-added", "POST /items", f"requestBody/content/{JSON}/schema/properties/status/enum",
            None, "archived")],
    ),  # fmt: skip
    "response type changed": (
        lambda s: _add(_schemas(s)["Item"]["properties"]["id"], "type", "integer"),
        [(B, "response-type-changed", op, f"{loc}/properties/id", "string", "integer") for op, loc in ITEM_RESPONSES],
    ),
    "request type changed": (
        lambda s: _add(_op(s, "/items", "get")["parameters"][1]["schema"], "type", "integer"),
        [(B, "request-type-changed", "GET /items", "parameters/query/sort/schema", "string", "integer")],
    ),
    "request type widened integer to number": (
        lambda s: _add(_op(s, "/items", "get")["parameters"][0]["schema"], "type", "number"),
        [(N, "request-type-widened", "GET /items", "parameters/query/limit/schema", "integer", "number")],
    ),
    "request constraint tightened": (
        lambda s: _add(_schemas(s)["NewItem"]["properties"]["name"], "maxLength", 50),
        [(B, "request-constraint-tightened", "POST /items",
          f"requestBody/content/{JSON}/schema/properties/name/maxLength", 100, 50)],
    ),  # fmt: skip
    "request constraint loosened": (
        lambda s: _add(_op(s, "/items", "get")["parameters"][0]["schema"], "maximum", 1000),
        [(N, "request-constraint-loosened", "GET /items", "parameters/query/limit/schema/maximum", 100, 1000)],
    ),
    "request value no longer nullable": (
        lambda s: _schemas(s)["NewItem"]["properties"]["note"].pop("nullable"),
        [(B, "request-became-not-nullable", "POST /items",
          f"requestBody/content/{JSON}/schema/properties/note/nullable", True, False)],
    ),  # fmt: skip
    "response value became nullable": (
        lambda s: _add(_schemas(s)["Item"]["properties"]["name"], "nullable", True),
        [(B, "response-became-nullable", op, f"{loc}/properties/name/nullable", False, True)
         for op, loc in ITEM_RESPONSES],
    ),  # fmt: skip
    "path renamed, parameter kept its old name": (
        lambda s: _add(s["paths"], "/items/{item_id}", s["paths"].pop("/items/{id}")),
        [],
    ),
    "response header removed": (
        lambda s: _op(s, "/items", "get")["responses"]["200"].pop("headers"),
        [(B, "response-header-removed", "GET /items", "responses/200/headers/X-Total", "X-Total", None)],
    ),
    "response header added (names are case-insensitive)": (
        lambda s: _op(s, "/items", "get")["responses"]["200"]["headers"].update(
            {"x-total": {"schema": {"type": "integer"}}, "ETag": {"schema": {"type": "string"}}}
        ),
        [(N, "response-header-added", "GET /items", "responses/200/headers/ETag", None, "ETag")],
    ),
    "response header type changed": (
        lambda s: _add(_op(s, "/items", "get")["responses"]["200"]["headers"]["X-Total"], "schema", {"type": "string"}),
        [(B, "response-type-changed", "GET /items", "responses/200/headers/X-Total/schema", "integer", "string")],
    ),
    "status code removed": (
        lambda s: _op(s, "/items/{id}", "get")["responses"].pop("404"),
        [(B, "response-status-removed", "GET /items/{id}", "responses/404", "404", None)],
    ),
    "status code added": (
        lambda s: _add(_op(s, "/items/{id}", "get")["responses"], "410", {"description": "gone"}),
        [(N, "response-status-added", "GET /items/{id}", "responses/410", None, "410")],
    ),
    "response media type removed": (
        lambda s: _add(_op(s, "/health", "get")["responses"], "200", {"description": "ok"}),
        [(B, "response-media-type-removed", "GET /health", f"responses/200/content/{JSON}", "application/json", None)],
    ),
    "request media type added": (
        lambda s: _add(_op(s, "/items", "post")["requestBody"]["content"], "text/csv", {}),
        [(N, "request-media-type-added", "POST /items", "requestBody/content/text~1csv", None, "text/csv")],
    ),
    "request body became optional": (
        lambda s: _add(_op(s, "/items", "post")["requestBody"], "required", False),
        [(N, "request-body-became-optional", "POST /items", "requestBody", True, False)],
    ),
    "new required request body": (
        lambda s: _add(_op(s, "/items/{id}", "delete"), "requestBody", {"required": True, **_json({})}),
        [(B, "request-body-added-required", "DELETE /items/{id}", "requestBody", None, None)],
    ),
    "response oneOf variant added": (
        lambda s: _op(s, "/shapes", "get")["responses"]["200"]["content"]["application/json"]["schema"][
            "oneOf"
        ].append({"type": "string"}),
        [(B, "response-variant-added", "GET /shapes", f"responses/200/content/{JSON}/schema/oneOf", None, "#2")],
    ),
    "a field of a oneOf variant removed": (
        lambda s: _schemas(s)["Square"]["properties"].pop("side"),
        [(B, "response-property-removed", "GET /shapes",
          f"responses/200/content/{JSON}/schema/oneOf/Square/properties/side", "side", None)],
    ),  # fmt: skip
    "auth added to an operation that had none": (
        lambda s: _op(s, "/health", "get").pop("security"),
        [(B, "security-added", "GET /health", "security", None, [["bearer"]])],
    ),
    "auth lifted": (
        lambda s: _add(_op(s, "/items", "get"), "security", []),
        [(N, "security-removed", "GET /items", "security", [["bearer"]], None)],
    ),
    "a scheme removed from the alternatives": (
        lambda s: _op(s, "/items", "post")["security"].pop(1),
        [(B, "security-alternative-removed", "POST /items", "security", "key", None)],
    ),
    "a scheme added to the alternatives": (
        lambda s: _op(s, "/items", "post")["security"].append({"oauth": []}),
        [(N, "security-alternative-added", "POST /items", "security", None, "oauth")],
    ),
    "a new required scope": (
        lambda s: _op(s, "/items/{id}", "get")["security"][0]["oauth"].append("write"),
        [(B, "security-scope-added", "GET /items/{id}", "security/oauth", None, "write")],
    ),
    "a scheme sent differently": (
        lambda s: _add(s["components"]["securitySchemes"]["key"], "name", "X-Api-Key"),
        [(B, "security-scheme-changed", "*", "components/securitySchemes/key/name", "X-Key", "X-Api-Key")],
    ),
}


def _found(old: dict, new: dict) -> list[tuple]:
    return [(f.kind, f.rule, f.operation, f.location, f.old, f.new) for f in diff(old, new)]


@pytest.mark.parametrize("case", list(CASES))
def test_each_change_gives_exactly_its_findings(case):
    edit, expected = CASES[case]
    found = _found(BASE, _changed(edit))
    assert sorted(found, key=repr) == sorted(expected, key=repr)
    assert all(RULES[rule].kind == kind for kind, rule, *_ in found)
    assert found == sorted(found, key=lambda f: f[0] != BREAKING)  # breaking first


def test_identical_specs_have_no_findings():
    assert diff(BASE, copy.deepcopy(BASE)) == []


def test_extensible_response_enum_may_grow():
    def edit(spec):
        _schemas(spec)["Status"]["enum"].append("archived")

    old = _changed(lambda s: _add(_schemas(s)["Status"], "x-extensible-enum", True))
    new = _changed(lambda s: (_add(_schemas(s)["Status"], "x-extensible-enum", True), edit(s)))
    assert {(f.kind, f.rule) for f in diff(old, new)} == {
        (N, "response-extensible-enum-value-added"),
        (N, "request-enum-value-added"),
    }


def test_mutually_recursive_schemas_terminate():
    def spec(extra: dict) -> dict:
        return {
            "openapi": "3.0.0",
            "paths": {"/a": {"get": {"responses": {"200": _json(_ref("A"))}}}},
            "components": {"schemas": {
                "A": {"properties": {"b": _ref("B"), **extra}},
                "B": {"allOf": [_ref("A"), {"properties": {"a": _ref("A")}}]},
                "Loop": {"$ref": "#/components/schemas/Loop"},
            }},
        }  # fmt: skip

    found = diff(spec({"x": _ref("Loop")}), spec({}))
    root = f"responses/200/content/{JSON}/schema"
    assert sorted((f.rule, f.location) for f in found) == [  # B merges A through allOf: it lost `x` too
        ("response-property-removed", f"{root}/properties/b/properties/x"),
        ("response-property-removed", f"{root}/properties/x"),
    ]


def test_every_rule_has_a_kind_and_a_summary():
    assert {rule.kind for rule in RULES.values()} == {B, N}
    assert all(rule.summary and rule.id == key for key, rule in RULES.items())


# ------------------------------------------------------------------------------------------------- the CLI


def _write(tmp_path: Path, name: str, spec: dict) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return str(path)


def _run(capsys, *argv: str) -> tuple[int, str]:
    code = cli.main(["diff", *argv])
    return code, capsys.readouterr().out


def test_cli_identical_specs_exit_0(tmp_path, capsys):
    old, new = _write(tmp_path, "old.yaml", BASE), _write(tmp_path, "new.yaml", BASE)
    code, out = _run(capsys, old, new, "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert report["summary"] == {"breaking": 0, "non_breaking": 0, "fail_on": "breaking", "failed": False}
    assert report["findings"] == [] and report["schema"] == "pimkit.specdiff/1"


def test_cli_breaking_change_exits_1_and_reports_json(tmp_path, capsys):
    old = _write(tmp_path, "old.yaml", BASE)
    new = _write(tmp_path, "new.yaml", _changed(CASES["status code removed"][0]))
    code, out = _run(capsys, old, new, "--format", "json")
    assert code == 1
    assert json.loads(out)["findings"] == [{
        "kind": "breaking", "rule": "response-status-removed", "spec": new, "operation": "GET /items/{id}",
        "location": "responses/404", "old": "404", "new": None,
        "message": "response status removed: responses/404 (404 → —)",
    }]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "fail_on", "expected"),
    [
        ("status code added", "breaking", 0),
        ("status code added", "any", 1),
        ("status code added", "none", 0),
        ("status code removed", "none", 0),
        ("status code removed", "any", 1),
    ],
)
def test_cli_fail_on(tmp_path, capsys, case, fail_on, expected):
    old = _write(tmp_path, "old.yaml", BASE)
    new = _write(tmp_path, "new.yaml", _changed(CASES[case][0]))
    assert _run(capsys, old, new, "--fail-on", fail_on)[0] == expected


def test_cli_console_groups_breaking_first(tmp_path, capsys):
    old = _write(tmp_path, "old.yaml", BASE)
    new = _write(tmp_path, "new.yaml", _changed(CASES["shared enum widened: breaks readers, not senders"][0]))
    code, out = _run(capsys, old, new)
    assert code == 1
    assert out.index("breaking (5)") < out.index("non-breaking (1)")
    assert "response-enum-value-added" in out and "FAIL: 5 breaking, 1 non-breaking" in out


@pytest.mark.parametrize(
    "content", [None, "swagger: '2.0'\npaths: {}\n", "- just\n- a list\n", "openapi: 3.0.0\npaths: [1]\n", "{"]
)
def test_cli_usage_errors_exit_2(tmp_path, capsys, content):
    good = _write(tmp_path, "good.yaml", BASE)
    bad = tmp_path / "bad.yaml"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    assert _run(capsys, good, str(bad))[0] == 2
    assert _run(capsys, str(bad), good)[0] == 2


def test_cli_needs_two_files_or_base(tmp_path, capsys):
    good = _write(tmp_path, "good.yaml", BASE)
    assert _run(capsys, good)[0] == 2
    assert _run(capsys, good, good, "--base", "HEAD")[0] == 2


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "openapi").glob("*.yaml")))
def test_each_repository_spec_against_itself(capsys, name):
    path = str(ROOT / "openapi" / name)
    code, out = _run(capsys, path, path)
    assert code == 0
    assert "OK: 0 breaking, 0 non-breaking" in out


def test_productsmanager_with_an_operation_removed(tmp_path, capsys):
    spec = yaml.safe_load((ROOT / "openapi" / "productsmanager.yaml").read_text(encoding="utf-8"))
    del spec["paths"]["/api/v1/imports/{id}/errors"]["get"]
    new = _write(tmp_path, "productsmanager.yaml", spec)
    code, out = _run(capsys, str(ROOT / "openapi" / "productsmanager.yaml"), new, "--format", "json")
    assert code == 1
    assert [(f["rule"], f["operation"]) for f in json.loads(out)["findings"]] == [
        ("operation-removed", "GET /api/v1/imports/{id}/errors")
    ]


# ----------------------------------------------------------------------------------------------- --base REF


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=repo,
                   check=True, capture_output=True)  # fmt: skip


def test_cli_base_revision(tmp_path, capsys):
    repo = tmp_path / "repo"
    (repo / "openapi").mkdir(parents=True)
    _write(repo / "openapi", "a.yaml", BASE)
    _write(repo / "openapi", "gone.yaml", BASE)
    (repo / "openapi" / "notes.yaml").write_text("just: config\n", encoding="utf-8")
    _git(repo, "init", "-q")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "base")
    spec_dir = str(repo / "openapi")
    assert _run(capsys, "--base", "HEAD", "--spec-dir", spec_dir)[0] == 0  # nothing changed yet

    _write(repo / "openapi", "a.yaml", _changed(CASES["new required parameter"][0]))
    (repo / "openapi" / "gone.yaml").unlink()
    _write(repo / "openapi", "new.yaml", {"openapi": "3.0.3", "paths": {"/x": {"get": {"responses": {}}}}})
    code, out = _run(capsys, "--base", "HEAD", "--spec-dir", spec_dir, "--format", "json")
    report = json.loads(out)
    assert code == 1
    assert [c["spec"] for c in report["compared"]] == ["openapi/a.yaml", "openapi/gone.yaml", "openapi/new.yaml"]
    summary = {(f["spec"], f["rule"], f["operation"]) for f in report["findings"]}
    assert ("openapi/a.yaml", "new-required-request-parameter", "GET /items") in summary
    assert ("openapi/gone.yaml", "operation-removed", "DELETE /items/{id}") in summary
    assert ("openapi/new.yaml", "operation-added", "GET /x") in summary
    assert report["findings"][0]["kind"] == "breaking" and report["findings"][-1]["kind"] == "non-breaking"

    assert _run(capsys, "--base", "no-such-ref", "--spec-dir", spec_dir)[0] == 2
    assert _run(capsys, "--base", "HEAD", "--spec-dir", str(tmp_path / "missing"))[0] == 2


def test_a_cycle_entered_from_either_end_reports_the_change_for_both_operations():
    def spec(a_props: dict) -> dict:
        return {
            "openapi": "3.0.0",
            "paths": {
                "/a": {"get": {"responses": {"200": _json(_ref("A"))}}},
                "/b": {"get": {"responses": {"200": _json(_ref("B"))}}},
            },
            "components": {"schemas": {
                "A": {"type": "object", "properties": {"b": _ref("B"), **a_props}},
                "B": {"type": "object", "properties": {"a": _ref("A")}},
            }},
        }  # fmt: skip

    found = diff(spec({"x": {"type": "string"}}), spec({}))
    root = f"responses/200/content/{JSON}/schema"
    assert [(f.operation, f.location) for f in found] == [
        ("GET /a", f"{root}/properties/x"),
        ("GET /b", f"{root}/properties/a/properties/x"),  # B was first compared inside A's cycle: not reused
    ]


def _slots(node, found=None) -> list[tuple]:
    """Every (container, key) of a document, to overwrite one of them."""
    found = [] if found is None else found
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, value in items:
        found.append((node, key))
        _slots(value, found)
    return found


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.sampled_from(["#/components/schemas/Item"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["type", "properties", "required", "enum", "$ref", "allOf", "oneOf", "items", "schema",
                         "content", "security", "name", "in", "x"]), inner, max_size=3),
    max_leaves=8,
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_a_malformed_document_never_crashes_the_diff(data):
    spec = copy.deepcopy(BASE)
    for _ in range(data.draw(st.integers(1, 3))):
        container, key = data.draw(st.sampled_from(_slots(spec)))
        container[key] = data.draw(_JSON)
    for old, new in ((BASE, spec), (spec, BASE), (spec, spec)):
        for finding in diff(old, new):
            assert RULES[finding.rule].kind == finding.kind
            json.dumps(finding.as_dict(), default=str)


def test_header_parameter_names_are_case_insensitive():
    def with_header(name: str, required: bool) -> dict:
        return _changed(lambda s: _op(s, "/items", "get")["parameters"].append(
            {"name": name, "in": "header", "required": required}))  # fmt: skip

    assert diff(with_header("X-Tenant", False), with_header("x-tenant", False)) == []
    assert _found(with_header("X-Tenant", False), with_header("x-tenant", True)) == [
        (B, "request-parameter-became-required", "GET /items", "parameters/header/x-tenant", False, True)
    ]
