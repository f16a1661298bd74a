"""Jasper webhooks: stored with the seed's rules, and delivered for real to a loopback receiver (signature, headers,
retries on the manual clock, disable/enable, a dead receiver never slowing or breaking the write)."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import time

import pytest

from tests import _jasper_products
from tests._jasper_products import call
from tests.conftest import advance
from tests.test_webhooks import Receiver

app, client = _jasper_products.app, _jasper_products.client  # one fake per module, reset before each test



def hook(client, url, **fields):
    body = {"name": "Hook", "callback_url": url, "entity_type": "product", "include_entity_data": 1,
            "retry_policy": "linear", "minimum_retry_interval": 60, "retry_limit": 3, **fields}
    return call(client, "POST", "/webhooks", 201, json=body).json()["webhooks"]


def idle(app):
    assert app.runtime.webhooks.wait_idle(10)


def attempts(client, **filters):
    response = client.get("/__admin/webhooks/deliveries", params={"api": "jasper", **filters})
    assert response.status_code == 200, response.text
    return response.json()["deliveries"]


def signed(secret: str, request: dict) -> bool:
    expected = "sha256=" + hmac.new(secret.encode(), request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(request["headers"]["X-Jasper-Signature"], expected)


# --- the stored webhook ------------------------------------------------------------------------------------------
def test_create_is_enabled_with_a_secret_and_the_seed_fields(client):
    made = hook(client, "https://callback_url.com/product", headers="{'header-title': 'header_value'}")
    assert made["status"] == "enabled" and made["connection_timeout"] == 3
    assert len(made["signing_secret"]) == 64 and made["signing_secret"].isalnum()
    assert made["headers"] == "{'header-title': 'header_value'}"
    assert len(made["created_at"]) == 19 and made["created_at"][10] == " "  # 2024-03-15 09:00:00
    listed = call(client, "GET", "/webhooks", 200).json()["webhooks"]
    assert [w["id"] for w in listed] == [1, 2, made["id"]]
    assert call(client, "GET", f"/webhooks/{made['id']}", 200).json() == {"webhooks": made}
    other = hook(client, "http://127.0.0.1:9/x", headers={"X-A": "1"})
    assert other["signing_secret"] != made["signing_secret"] and other["headers"] == {"X-A": "1"}
    assert call(client, "POST", "/webhooks", 201, json={"name": "Defaults", "callback_url": "http://h/x"}).json()[
        "webhooks"]["entity_type"] == "product"


@pytest.mark.parametrize("field, bad", [
    ("entity_type", "order"), ("include_entity_data", 2), ("include_entity_data", "https://callback_url.com/product"),
    ("retry_policy", "random"), ("minimum_retry_interval", 59), ("minimum_retry_interval", 86401),
    ("minimum_retry_interval", "60s"), ("retry_limit", -1), ("retry_limit", 11), ("retry_limit", 15),
    ("callback_url", "ftp://example.com/x"), ("callback_url", "not a url"), ("callback_url", "http://"),
    ("channel_id", "abc"), ("headers", "{'a': "), ("headers", "[1, 2]"), ("headers", {"Bad Name": "x"}),
    ("headers", {"X-A": "a\r\nX-B: b"}), ("connection_timeout", 0),
])
def test_out_of_range_values_are_400(client, field, bad):
    body = {"name": "Hook", "callback_url": "http://127.0.0.1:9/x", field: bad}
    response = call(client, "POST", "/webhooks", json=body)
    assert response.status_code == 400, response.text
    assert set(response.json()) == {"message"}


# The spec's enums and ranges, which no handler checks: Connexion refuses each before the handler runs, with the
# vendor's envelope and the schema's own words (the handler's old messages said "The selected … is invalid").
SPEC_REFUSALS = [
    ("entity_type", "order", "is not one of"), ("include_entity_data", 2, "is not one of"),
    ("include_entity_data", True, "is not of type 'integer'"), ("retry_policy", "random", "is not one of"),
    ("minimum_retry_interval", 59, "less than the minimum of 60"),
    ("minimum_retry_interval", 86401, "greater than the maximum of 86400"),
    ("minimum_retry_interval", True, "is not of type 'integer'"), ("retry_limit", -1, "less than the minimum of 0"),
    ("retry_limit", 11, "greater than the maximum of 10"), ("connection_timeout", 0, "less than the minimum of 1"),
    ("connection_timeout", 61, "greater than the maximum of 60"), ("connection_timeout", "5", "is not of type"),
]


@pytest.mark.parametrize("field, bad, words", SPEC_REFUSALS)
def test_the_spec_refuses_enums_and_ranges_before_the_handler(client, field, bad, words):
    made = hook(client, "http://127.0.0.1:9/x")
    for method, path in (("POST", "/webhooks"), ("PUT", f"/webhooks/{made['id']}")):
        response = call(client, method, path, json={"name": "Hook", "callback_url": "http://127.0.0.1:9/x",
                                                    field: bad})
        assert response.status_code == 400, response.text
        message = response.json()["message"]
        assert set(response.json()) == {"message"} and words in message and message.endswith(f"- '{field}'")
    assert call(client, "GET", "/webhooks", 200).json()["webhooks"][-1] == made  # nothing written


def test_boundaries_are_accepted(client):
    for interval, limit in ((60, 0), (86400, 10)):
        made = hook(client, "http://127.0.0.1:9/x", minimum_retry_interval=interval, retry_limit=limit)
        assert (made["minimum_retry_interval"], made["retry_limit"]) == (interval, limit)
    for kind in ("product", "category", "brand", "product_asset", "concrete_entity"):
        hook(client, "http://127.0.0.1:9/x", entity_type=kind)


def test_seed_create_example_verbatim_is_refused(client):
    """The seed's own body sends a URL as include_entity_data and retry_limit 15 (X-54)."""
    body = {"name": "Product Update", "callback_url": "https://callback_url.com/product",
            "include_entity_data": "https://callback_url.com/product",
            "headers": "{'header-title': 'header_value'}", "retry_policy": "linear", "minimum_retry_interval": 60,
            "retry_limit": 15}
    assert call(client, "POST", "/webhooks", json=body).status_code == 400


def test_update_disable_enable_and_no_delete(client):
    made = hook(client, "http://127.0.0.1:9/x")
    path = f"/webhooks/{made['id']}"
    got = call(client, "PUT", path, 200, json={"name": "Product Update Edited", "status": "disabled",
                                               "signing_secret": "x"}).json()["webhooks"]
    assert (got["name"], got["status"], got["signing_secret"]) == ("Product Update Edited", "enabled",
                                                                   made["signing_secret"])
    call(client, "PUT", path, 400, json={"retry_limit": 15})
    assert call(client, "PUT", path + "/disable", 200).json()["webhooks"]["status"] == "disabled"
    assert call(client, "GET", path).json()["webhooks"]["status"] == "disabled"
    assert call(client, "PUT", path + "/enable", 200).json()["webhooks"]["status"] == "enabled"
    assert call(client, "GET", path + "/disable", 200).json()["webhooks"]["status"] == "disabled"
    call(client, "DELETE", path, 404)
    call(client, "GET", "/webhooks/999", 404)
    call(client, "PUT", "/webhooks/999/enable", 404)


# --- delivery ----------------------------------------------------------------------------------------------------
def test_a_product_write_is_delivered_signed_with_headers_and_data(app, client):
    with Receiver() as receiver:
        made = hook(client, receiver.url("/product"), headers="{'header-title': 'header_value'}")
        product = call(client, "POST", "/products", 201, json={"name": "Hooked", "sku": "HOOK-1"}).json()["product"]
        call(client, "PUT", f"/products/{product['id']}", 200, json={"name": "Hooked 2"})
        call(client, "DELETE", f"/products/{product['id']}", 200)
        idle(app)
    assert [r["path"] for r in receiver.requests] == ["/product"] * 3
    bodies = [json.loads(r["body"]) for r in receiver.requests]
    assert [b["event"] for b in bodies] == ["product.created", "product.updated", "product.deleted"]
    assert all(b["entity_id"] == product["id"] and b["webhook_id"] == made["id"] for b in bodies)
    assert bodies[0]["data"]["sku"] == "HOOK-1" and bodies[1]["data"]["name"] == "Hooked 2"
    for request in receiver.requests:
        assert request["headers"]["header-title"] == "header_value"
        assert request["headers"]["Content-Type"] == "application/json"
        assert signed(made["signing_secret"], request)
    assert not signed("another secret" * 4, receiver.requests[0])
    log = attempts(client, webhook_id=made["id"])
    assert [(a["outcome"], a["status_code"], a["meta"]["event"]) for a in log] == [
        ("delivered", 200, "product.created"), ("delivered", 200, "product.updated"),
        ("delivered", 200, "product.deleted")]


def test_entity_types_route_events_and_include_entity_data_0_sends_no_data(app, client):
    with Receiver() as receiver:
        hook(client, receiver.url("/category"), entity_type="category", include_entity_data=0)
        hook(client, receiver.url("/brand"), entity_type="brand")
        hook(client, receiver.url("/asset"), entity_type="product_asset")
        hook(client, receiver.url("/concrete"), entity_type="concrete_entity")
        call(client, "POST", "/categories", 201, json={"name": "Hats", "parent_id": 0})
        call(client, "POST", "/brands", 201, json={"name": "Puma"})
        call(client, "POST", "/products/1/assets", 201, json={"image_url": "https://cdn/x.png"})
        call(client, "POST", "/generic-entities/1/concrete-entities", 201, json={"name": "Winter"})
        call(client, "POST", "/products", 201, json={"name": "No hook", "sku": "NOHOOK"})
        idle(app)
    got = {r["path"]: json.loads(r["body"]) for r in receiver.requests}
    assert set(got) == {"/category", "/brand", "/asset", "/concrete"}
    assert "data" not in got["/category"] and got["/category"]["event"] == "category.created"
    assert got["/brand"]["data"]["name"] == "Puma"
    assert got["/asset"]["data"]["uri"] == "https://cdn/x.png"
    assert got["/concrete"]["event"] == "concrete_entity.created"


def test_disabled_webhooks_are_silent_until_enabled(app, client):
    with Receiver() as receiver:
        made = hook(client, receiver.url())
        call(client, "PUT", f"/webhooks/{made['id']}/disable", 200)
        call(client, "POST", "/products", 201, json={"name": "Quiet", "sku": "Q1"})
        idle(app)
        assert receiver.requests == []
        call(client, "PUT", f"/webhooks/{made['id']}/enable", 200)
        call(client, "POST", "/products", 201, json={"name": "Loud", "sku": "Q2"})
        idle(app)
    assert [json.loads(r["body"])["data"]["sku"] for r in receiver.requests] == ["Q2"]


def _retry_times(app, client, receiver, **fields):
    made = hook(client, receiver.url(), **fields)
    call(client, "POST", "/products", 201, json={"name": "Retry", "sku": f"R-{made['id']}"})
    idle(app)
    return made


def test_linear_retries_are_spaced_on_the_clock_and_stop_at_the_limit(app, client):
    with Receiver(default=500) as receiver:
        made = _retry_times(app, client, receiver, retry_policy="linear", minimum_retry_interval=60, retry_limit=2)
        assert len(receiver.requests) == 1
        # (clock step in seconds, attempts seen after it); 86,400: retry_limit 2 is one attempt and two retries
        for step, expected in ((59, 1), (1, 2), (119, 2), (1, 3), (86400, 3)):
            advance(client, step)
            idle(app)
            assert len(receiver.requests) == expected, f"after a step of {step} s"
    log = attempts(client, webhook_id=made["id"])
    assert [(a["attempt"], a["outcome"], a["status_code"]) for a in log] == [
        (1, "failed", 500), (2, "failed", 500), (3, "gave_up", 500)]
    assert log[0]["next_attempt_at"].endswith("09:01:00Z") or "09:01:00" in log[0]["next_attempt_at"]


def test_exponential_retry_succeeds_and_no_retry_gives_up_at_once(app, client):
    with Receiver(script=[(503, 0), (503, 0)], default=200) as receiver:
        made = _retry_times(app, client, receiver, retry_policy="exponential", minimum_retry_interval=60,
                            retry_limit=5)
        for step, expected in ((60, 2), (119, 2), (1, 3)):
            advance(client, step)
            idle(app)
            assert len(receiver.requests) == expected
        assert [a["outcome"] for a in attempts(client, webhook_id=made["id"])] == ["failed", "failed", "delivered"]
    with Receiver(default=500) as receiver:
        made = _retry_times(app, client, receiver, retry_policy="no_retry")
        advance(client, 3600)
        idle(app)
        assert len(receiver.requests) == 1
        assert [a["outcome"] for a in attempts(client, webhook_id=made["id"])] == ["gave_up"]


def test_a_dead_receiver_never_slows_or_breaks_the_write(app, client):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{sock.getsockname()[1]}/hook"
    with Receiver(script=[(200, 3.0)]) as hanging:
        slow = hook(client, hanging.url(), connection_timeout=1, retry_policy="no_retry")
        dead = hook(client, refused, retry_policy="no_retry")
        started = time.monotonic()
        for i in range(5):
            call(client, "POST", "/products", 201, json={"name": "Fast", "sku": f"FAST-{i}"})
        assert time.monotonic() - started < 2.5
        idle(app)
    slow_log = attempts(client, webhook_id=slow["id"])
    assert len(slow_log) == 5
    assert [a["error"].split(":")[0] for a in slow_log if a["outcome"] == "gave_up"] == ["ReadTimeout"]
    dead_log = attempts(client, webhook_id=dead["id"])
    assert len(dead_log) == 5 and all(a["status_code"] is None and a["error"] for a in dead_log)
    assert call(client, "GET", "/products?sku=FAST-4", 200).json()["products"][0]["sku"] == "FAST-4"


def test_redirects_are_not_followed(app, client):
    with Receiver(default=302) as receiver:
        made = hook(client, receiver.url(), retry_policy="no_retry")
        call(client, "POST", "/products", 201, json={"name": "R", "sku": "REDIR"})
        idle(app)
    assert [r["path"] for r in receiver.requests] == ["/hook"]
    assert attempts(client, webhook_id=made["id"])[0]["status_code"] == 302


def test_admin_delivery_log_filters_and_reset(app, client):
    with Receiver() as receiver:
        hook(client, receiver.url())
        call(client, "POST", "/products", 201, json={"name": "L", "sku": "LOG"})
        idle(app)
    assert [a["meta"]["event"] for a in attempts(client, event="product.created")] == ["product.created"]
    assert attempts(client, outcome="failed") == []
    assert client.get("/__admin/webhooks/deliveries", params={"outcome": "lost"}).status_code == 400
    client.post("/__admin/reset")
    assert attempts(client) == []
