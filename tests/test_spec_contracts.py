"""The specs say what the fake sends and takes: valid OpenAPI 3.0.3, no `nullable` a validator ignores, and on Jasper
every resource with a PUT takes back what its GET gave (GET, then PUT of the same body, then the same GET)."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
SPECS = sorted((REPO / "openapi").glob("*.yaml"))
J = "/jasper"
H = {"Authorization": "Bearer jasper-test-token"}


@functools.cache
def _load(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def untyped_nullables(node, where: str = "") -> list[str]:
    """Schemas with `nullable: true` and no `type` beside it: OpenAPI 3.0.3 ignores the flag there."""
    found = []
    if isinstance(node, dict):
        if node.get("nullable") is True and "type" not in node:
            found.append(where)
        for key, value in node.items():
            found += untyped_nullables(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += untyped_nullables(value, f"{where}/{i}")
    return found


def test_the_nullable_finder_finds_an_untyped_nullable():
    assert untyped_nullables({"a": {"nullable": True}, "b": {"type": "string", "nullable": True}}) == ["/a"]


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_no_schema_is_nullable_without_a_type(spec):
    assert untyped_nullables(_load(spec)) == []


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.stem)
def test_every_spec_is_valid_openapi(spec):
    from openapi_spec_validator import validate

    validate(_load(spec))  # raises on the first error


# --- Jasper: GET, then PUT the same body ---------------------------------------------------------------------------
JASPER = _load(REPO / "openapi" / "jasper.yaml")
SEED_PUTS = [e["path"] for e in json.loads((REPO / "fixtures" / "jasper" / "seed_curls.json").read_text())
             if e["method"] == "PUT"]
ACTIONS = ("/enable", "/disable")  # PUTs that take no body: they switch a webhook
# The bulk update of a product's attributes takes items per version ({attribute_id, version_id, values}) where its GET
# lists each attribute with every version's values: two shapes by the seed's design, not one resource.
NOT_ONE_RESOURCE = {"/api/v1/products/{product_id}/attributes"}


def _route(path: str) -> str | None:
    for route in JASPER["paths"]:
        if re.fullmatch(re.sub(r"\{[^}]+\}", "[^/]+", route), path):
            return route
    return None


def round_trips() -> list[str]:
    """One concrete path (the seed's own PUT example's ids) per spec route with both a GET and a PUT."""
    routes = {r for r, item in JASPER["paths"].items()
              if {"get", "put"} <= set(item) and not r.endswith(ACTIONS) and r not in NOT_ONE_RESOURCE}
    chosen = {}
    for path in SEED_PUTS:
        route = _route(path)
        if route in routes:
            chosen.setdefault(route, path)
    assert set(chosen) == routes, f"no seed example for {routes - set(chosen)}"
    return sorted(chosen.values())


def _unwrap(body: dict):
    """A one-key envelope's item; a product's tags are the body itself (`product_id` and a key per version)."""
    if len(body) == 1:
        (key, value), = body.items()
        return key, value
    return None, body


WRITER_FIELDS = {"updated_at", "updated_by"}  # when and by whom: the PUT itself changes them


def steady(value):
    if isinstance(value, dict):
        return {k: steady(v) for k, v in value.items() if k not in WRITER_FIELDS}
    return [steady(v) for v in value] if isinstance(value, list) else value


@pytest.fixture(scope="module")
def fake():
    """One fake for the module (building one takes seconds), reset before each round trip."""
    from mock_server.app import create_app
    from mock_server.config import Config

    app = create_app(Config(clock="manual"))
    with app.test_client() as test_client:
        yield test_client
    app.runtime.close()


@pytest.mark.parametrize("path", round_trips())
def test_a_jasper_resource_takes_back_what_its_get_gave(fake, path):
    fake.post("/__admin/reset")
    first = fake.get(J + path, headers=H)
    assert first.status_code == 200, first.text
    key, item = _unwrap(first.json())
    put = fake.put(J + path, headers=H, json=item)
    assert put.status_code == 200, put.text
    again = fake.get(J + path, headers=H).json()
    assert steady(again[key] if key else again) == steady(item)


@pytest.mark.parametrize(("path", "body"), [
    ("/api/v1/product-relation-types/1", {"name": "Footwear", "child_label": 2, "parent_label": None}),
    ("/api/v1/webhooks/1", {"headers": None}),
])
def test_a_null_the_fake_returns_is_taken_back(fake, path, body):
    fake.post("/__admin/reset")
    response = fake.put(J + path, headers=H, json=body)
    assert response.status_code == 200, response.text


VENDORS = [s for s in SPECS if s.stem != "admin"]


@pytest.mark.parametrize("spec", VENDORS, ids=lambda p: p.stem)
def test_every_vendor_operation_declares_the_throttles_429_and_503(spec):
    """Rate limits, maintenance and faults answer 429 and 503 on every route of every API: each says so."""
    missing = [f"{method.upper()} {path}" for path, item in _load(spec)["paths"].items()
               for method, op in item.items() if isinstance(op, dict) and "responses" in op
               and not {"429", "503"} <= {str(code) for code in op["responses"]}]
    assert missing == []


# --- Jasper: the cross-field rules the schema can state --------------------------------------------------------------
def valid(spec: dict, component: str, instance) -> bool:
    """Whether `instance` is valid against a component schema, read as OpenAPI 3.0 reads it (nullable included)."""
    from openapi_schema_validator import OAS30Validator

    root = {"$ref": f"#/components/schemas/{component}", "components": spec["components"]}
    return OAS30Validator(root).is_valid(instance)


def jasper_valid(component: str, instance) -> bool:
    return valid(JASPER, component, instance)


@pytest.mark.parametrize(("api", "component", "instance"), [
    ("wizart", "ImportAttributes21", {"status": "importing_data", "finished_at": None}),  # an import in progress
    ("wizart", "ImportAttributes20", {"finished_at": None}),
    ("pixee", "LogItem", {"row_number": None, "level": "warning", "field": None, "message": "m", "value": None,
                          "timestamp": "2024-03-15T09:00:00Z"}),
    ("jasper", "ProductRelationType", {"id": 1, "name": "Footwear", "child_label": 2, "parent_label": None}),
    ("jasper", "Webhook", {"id": 1, "headers": None}),
])
def test_a_null_the_fake_sends_is_valid_for_a_strict_validator(api, component, instance):
    assert valid(_load(REPO / "openapi" / f"{api}.yaml"), component, instance)
    assert not valid(_load(REPO / "openapi" / f"{api}.yaml"), component, {**instance, next(
        k for k, v in instance.items() if v is None): []})  # and the schema still says something


@pytest.mark.parametrize(("component", "instance", "valid"), [
    ("ProductBarcodeCreate", {"type": "EAN", "barcode": "4006381333931"}, True),
    ("ProductBarcodeCreate", {"type": "EAN", "barcode": "400638133393"}, False),
    ("ProductBarcodeCreate", {"type": "UPC-A", "barcode": "123456789123"}, True),
    ("ProductBarcodeCreate", {"type": "UPC-A", "barcode": "4006381333931"}, False),
    ("ProductBarcodeCreate", {"type": "ITF-14", "barcode": "01234567891234"}, True),
    ("ProductBarcodeCreate", {"type": "Custom", "barcode": "7"}, True),
    ("ProductBarcodeUpsert", {"barcodes": [{"type": "GTIN-13", "barcode": "12345"}]}, False),
    ("ProductPriceCreate", {"base": "US", "msrp": 9.5}, True),
    ("ProductPriceCreate", {"base": "US"}, False),
    ("ProductPriceCreate", {"base": "US", "msrp": None, "cost": None}, False),
    ("ProductPriceCreate", {"base": "US", "cost": 1, "from": "2024-03-20T00:00:00", "to": "2024-04-01"}, True),
    ("ProductPriceCreate", {"base": "US", "cost": 1, "from": "next tuesday"}, False),
])
def test_jaspers_cross_field_rules_are_in_the_schema(component, instance, valid):
    assert jasper_valid(component, instance) is valid


def test_jasper_refuses_version_0_on_every_version_delete_and_takes_the_relation_curls_empty_body():
    deletes = [op for path, item in JASPER["paths"].items() for method, op in item.items()
               if method == "delete" and path.endswith("/version/{version_id}")]
    assert len(deletes) >= 3
    assert all(next(p for p in op["parameters"] if p["name"] == "version_id")["schema"]["minimum"] == 1
               for op in deletes)
    relate = JASPER["paths"]["/api/v1/products/{product_id}/relations/{related_id}/type/{relation_type_id}"]["post"]
    assert relate["requestBody"]["required"] is False
    assert relate["requestBody"]["content"]["application/json"]["example"] == {}
    assert "without a `Content-Type`" in JASPER["info"]["description"]


def test_the_fake_says_a_schema_refused_barcode_in_its_own_words(fake):
    fake.post("/__admin/reset")
    response = fake.post(J + "/api/v1/products/1/barcodes", headers=H, json={"type": "EAN", "barcode": "12345"})
    assert response.status_code == 400 and response.json() == {"message": "EAN barcodes have 13 digits; 5 given."}
    response = fake.post(J + "/api/v1/products/1/prices", headers=H, json={"base": "US"})
    assert response.json() == {"message": "A price needs at least one of msrp, cost, map or sell_price."}
    for kind in ({}, [], 7, None):  # a type the oneOf refuses for not being a string: still a 400, never a 500
        response = fake.post(J + "/api/v1/products/1/barcodes/upsert", headers=H,
                             json={"barcodes": [{"barcode": "0", "id": 0, "type": kind}]})
        assert response.status_code == 400, response.text


@pytest.mark.parametrize("spec", VENDORS, ids=lambda p: p.stem)
def test_every_operation_sits_under_a_declared_section(spec):
    """Swagger UI groups operations by tag: each one has a tag the spec declares (the documentation's sections)."""
    loaded = _load(spec)
    declared = [t["name"] for t in loaded.get("tags", [])]
    used = [t for item in loaded["paths"].values() for op in item.values() if isinstance(op, dict) and "responses" in op
            for t in op.get("tags", ["<none>"])]
    assert set(used) <= set(declared) and set(declared) <= set(used) and "<none>" not in used
