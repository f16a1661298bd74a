"""Jasper refuses bad input with its one error body and the seed's status vocabulary, never a 500 (J-003)."""

from __future__ import annotations

import pytest

J = "/jasper/api/v1"
H = {"Authorization": "Bearer jasper-test-token"}
VOCABULARY = {200, 201, 202, 400, 401, 403, 404, 418, 429, 500, 503}


def refused(response, status):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"message"} and body["message"], body
    return body["message"]


@pytest.mark.parametrize("method,path,kw,status", [
    ("GET", "/attributes/999999", {}, 404),
    ("PUT", "/brands/999999", {"json": {"name": "x"}}, 404),
    ("DELETE", "/options/999999", {}, 404),
    ("GET", "/attributes/999/type_values/1", {}, 404),
    ("GET", "/brands/abc", {}, 404),
    ("GET", "/attributes/1.5", {}, 404),
    ("POST", "/brands", {"content": b'{"name":'}, 400),
    ("POST", "/brands", {"content": b"\xff\xfe"}, 400),
    ("POST", "/brands", {"json": {"name": 5}}, 400),
    ("POST", "/brands", {"json": ["name"]}, 400),
    ("POST", "/attributes", {"json": {"name": "A", "type": "color"}}, 400),
    ("POST", "/attributes", {"json": {"name": "Brand", "type": "text"}}, 400),
    ("POST", "/attributes", {"json": {"name": "A", "type": "text", "publish": "yes"}}, 400),
    ("POST", "/generic-entities", {"json": {"name": "G", "is_tree": 2}}, 400),
    ("GET", "/generic-entities?page=0", {}, 400),
    ("GET", "/generic-entities?page=-3", {}, 400),
    ("GET", "/generic-entities?limit=5", {}, 400),
    ("DELETE", "/blocks/1", {}, 404),
    ("PATCH", "/brands/1", {"json": {}}, 404),
    ("GET", "/nothing-here", {}, 404),
    ("PUT", "/attributes/1/version/0", {"json": {"name": "Brand"}}, 200),
    ("DELETE", "/attributes/1/version/0", {}, 400),
    ("POST", "/brands/1/attributes", {"json": {"attribute_id": 1, "version_id": 9, "values": []}}, 400),
    ("POST", "/brands", {"content": b'{"name": "x"}', "headers": {**H, "Content-Type": "application/xml"}}, 400),
])
def test_bad_input_gets_the_error_body(client, method, path, kw, status):
    headers = kw.pop("headers", H)
    response = client.request(method, J + path, headers=headers, **kw)
    if status == 200:
        assert response.status_code == 200
        return
    refused(response, status)
    assert response.status_code in VOCABULARY


def test_a_seed_curl_without_content_type_is_read_as_json(client):
    response = client.post(J + "/brands", content=b'{\n    "name":"New Adidas"\n   }',
                           headers={**H, "Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 201 and response.json()["brand"]["name"] == "New Adidas"
    response = client.post(J + "/options", content=b'{"name": "Finish"}', headers=H)
    assert response.status_code == 201


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "jasper-test-token"}])
def test_missing_or_wrong_token_is_401(client, headers):
    refused(client.get(J + "/attributes", headers=headers), 401)


def test_a_read_only_token_reads_but_cannot_write(client):
    ro = {"Authorization": "Bearer jasper-read-only-token"}
    assert client.get(J + "/brands", headers=ro).status_code == 200
    refused(client.post(J + "/brands", json={"name": "x"}, headers=ro), 403)
    refused(client.delete(J + "/brands/1", headers=ro), 403)
    assert client.get(J + "/brands/1", headers=ro).status_code == 200


def test_rate_limit_answers_429_with_retry_after_per_token(client):
    assert client.put("/__admin/throttle/rate-limit", json={"api": "jasper", "requests": 2, "per_seconds": 60}
                      ).status_code == 200
    assert [client.get(J + "/ping", headers=H).status_code for _ in range(2)] == [200, 200]
    third = client.get(J + "/ping", headers=H)
    refused(third, 429)
    assert third.headers["Retry-After"] == "60"
    assert client.get(J + "/ping", headers={"Authorization": "Bearer jasper-read-only-token"}).status_code == 200
    client.post("/__admin/clock/advance", json={"seconds": 60})
    assert client.get(J + "/ping", headers=H).status_code == 200
    client.put("/__admin/throttle/rate-limit", json={"api": "jasper", "requests": None})
    assert all(client.get(J + "/ping", headers=H).status_code == 200 for _ in range(5))


def test_rate_limit_from_config(make_app):
    app = make_app(rate_limits={"jasper": {"requests": 1, "per_seconds": 10}})
    with app.test_client() as client:
        assert client.get(J + "/ping", headers=H).status_code == 200
        assert client.get(J + "/ping", headers=H).status_code == 429
        assert client.get("/pims/api/en-us/pim/manage/products").status_code != 429


def test_maintenance_mode_is_503_until_switched_off(client):
    assert client.put("/__admin/throttle/maintenance", json={"api": "jasper", "enabled": True}).json()[
        "maintenance"] == ["jasper"]
    refused(client.get(J + "/attributes", headers=H), 503)
    client.put("/__admin/throttle/maintenance", json={"api": "jasper", "enabled": False})
    assert client.get(J + "/attributes", headers=H).status_code == 200
    assert client.put("/__admin/throttle/maintenance", json={"api": "nope", "enabled": True}).status_code == 400


def test_reset_switches_maintenance_off(client):
    client.put("/__admin/throttle/maintenance", json={"api": "jasper", "enabled": True})
    client.post("/__admin/reset")
    assert client.get(J + "/attributes", headers=H).status_code == 200
