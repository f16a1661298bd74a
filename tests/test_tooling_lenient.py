"""`--lenient`: requests with unknown fields or loose types are served and the violation is journaled; strict
stays the default. In-process (the validation path is the same as on a socket)."""

from __future__ import annotations

import pytest
from _tooling import PIMS, PIMS_AUTH, PM, PM_AUTH, PX, PX_AUTH
from conftest import csv_bytes

from mock_server.tooling.lenient import repair

SEED_BODY = {
    "name": "Nightly", "supplier_code": "SUPPLIER_A", "schedule": "0 2 * * *",
    "file_source": {"type": "sftp", "host": "sftp.supplier.com", "username": "user", "password": "secret",
                    "path": "/exports/products.csv"},
}


@pytest.fixture
def lenient(make_app):
    with make_app(lenient=True, swagger_ui=False).test_client() as client:
        yield client


def violations(client) -> list[list[str]]:
    return [e["violations"] for e in client.get("/__admin/requests").json()["requests"]]


def test_strict_is_the_default(client):
    response = client.post(f"{PX}/automations", json={**SEED_BODY, "colour": "red"}, headers=PX_AUTH)
    assert response.status_code == 400
    assert client.get(f"{PM}/imports/x", params={"bogus": 1}, headers=PM_AUTH).status_code == 400


def test_unknown_json_fields_are_ignored_and_journaled(lenient):
    response = lenient.post(f"{PX}/automations", json={**SEED_BODY, "colour": "red", "is_active": "false"},
                            headers=PX_AUTH)
    assert response.status_code == 201, response.text
    assert response.json()["is_active"] is False and "colour" not in response.json()
    (found,) = violations(lenient)
    assert "colour" in found[0]  # Connexion's own words for what it refused
    assert "unknown field body.colour ignored" in found and "body.is_active: 'false' taken as boolean False" in found


def test_loose_types_inside_a_discriminated_one_of_are_converted(lenient):
    response = lenient.post(PIMS, json={"action": "getList", "params": {"cat_id": "0"}}, headers=PIMS_AUTH)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "OK"
    assert "body.params.cat_id: '0' taken as integer 0" in violations(lenient)[0]


def test_unknown_query_parameters_and_form_fields_are_ignored(lenient):
    assert lenient.get(f"{PM}/imports/x", params={"bogus": 1}, headers=PM_AUTH).status_code == 404
    response = lenient.post(f"{PM}/imports", files={"file": ("c.csv", csv_bytes([["4006381333931", "A", "1"]]))},
                            data={"colour": "red"}, headers=PM_AUTH)
    assert response.status_code in (201, 202), response.text
    first, second = violations(lenient)
    assert "unknown query parameter 'bogus' ignored" in first
    assert "colour" in second[0]


def test_what_cannot_be_repaired_still_gets_the_vendors_400(lenient):
    for body in ({**SEED_BODY, "schedule": 5, "name": ""}, {"name": "no source"}):
        response = lenient.post(f"{PX}/automations", json=body, headers=PX_AUTH)
        assert response.status_code == 400 and set(response.json()) == {"detail", "code"}
    response = lenient.post(PIMS, json={"action": "getList", "params": {"cat_id": "many"}}, headers=PIMS_AUTH)
    assert response.status_code == 400 and response.json()["status"] == "Error"
    assert violations(lenient) == [[], [], []]


def test_repair_is_a_pure_function_of_schema_and_value():
    schema = {"type": "object", "additionalProperties": False,
              "properties": {"n": {"type": "integer"}, "x": {"type": "number"}, "s": {"type": "string"},
                             "tags": {"type": "array", "items": {"type": "integer"}}}}
    notes: list[str] = []
    fixed = repair(schema, {"n": "3", "x": "1.5", "s": 7, "tags": ["1", 2], "junk": 1}, notes)
    assert fixed == {"n": 3, "x": 1.5, "s": "7", "tags": [1, 2]}
    assert len(notes) == 5
    unchanged: list[str] = []
    assert repair(schema, {"n": "3.5", "x": "abc"}, unchanged) == {"n": "3.5", "x": "abc"} and unchanged == []
