"""Jasper's webhooks: the stored rows' rules and their delivery (seed 002 "Webhooks", J-168 … J-181).

The engine tells `Deliveries.on_change` about every write; for a product, category, brand, product asset or
concrete entity each enabled webhook of that entity type gets a `Delivery` handed to the shared dispatcher
(`mock_server/webhooks.py`), which posts it off the request path and retries it on the virtual clock. What Jasper
decides is here: the body, the signature header, which headers go out (JS2-D08 … JS2-D10).
"""

from __future__ import annotations

import ast
import json
import secrets
import string
from collections.abc import Mapping

from mock_server.errors import BadRequest
from mock_server.urls import http_url
from mock_server.vendors.jasper.resources import BY_NAME, WEBHOOK_ENTITY_TYPES
from mock_server.webhooks import Delivery, hmac_sha256

ENTITY_TYPES = WEBHOOK_ENTITY_TYPES  # engine resource -> the webhook entity_type it fires for (J-171)
SIGNATURE_HEADER = "X-Jasper-Signature"  # "sha256=" + HMAC-SHA256(signing_secret, raw body), hex (JS2-D08)
EVENT_HEADER = "X-Jasper-Event"
WRITABLE = tuple(name for name, field in BY_NAME["webhooks"].fields.items() if field.write)  # resources.py
# Headers the fake sets itself: a webhook's own headers of these names are not sent (JS2-D08).
RESERVED = frozenset({"content-type", "content-length", "host", "transfer-encoding", "connection", "user-agent",
                      SIGNATURE_HEADER.lower(), EVENT_HEADER.lower()})
SECRET_ALPHABET = string.ascii_letters + string.digits


def new_secret() -> str:
    """64 letters and digits, like every signing_secret in the seed (J-170)."""
    return "".join(secrets.choice(SECRET_ALPHABET) for _ in range(64))


def parse_headers(value: object) -> dict[str, str]:
    """`headers` as a JSON object, a JSON string of one, or the seed's Python-style string
    `"{'header-title': 'header_value'}"` (X-54): a mapping of header names to string values, or 400."""
    if value is None or value == "":
        return {}
    parsed = value
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            try:
                parsed = ast.literal_eval(value)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                raise BadRequest("The headers must be a JSON object of header names and values.") from None
    if not isinstance(parsed, dict) or not all(isinstance(k, str) and k.strip() for k in parsed):
        raise BadRequest("The headers must be a JSON object of header names and values.")
    out = {}
    for name, header_value in parsed.items():
        if not isinstance(header_value, (str, int, float)) or isinstance(header_value, bool):
            raise BadRequest(f"The header {name!r} must have a string value.")
        text = str(header_value)
        if any(c in name + text for c in "\r\n") or not all(33 <= ord(c) < 127 and c != ":" for c in name):
            raise BadRequest(f"The header {name!r} is not a valid HTTP header.")
        out[name] = text
    return out


def check(body: Mapping) -> dict:
    """The writable fields of a create or update, with the two rules the spec cannot state checked (J-172, X-54):
    the callback URL is one the fake can call, the headers parse. Enums and ranges (entity_type, retry_policy,
    include_entity_data, minimum_retry_interval, retry_limit, connection_timeout) are the spec's: Connexion refuses
    a body breaking them before this runs (tests/test_jasper_products_webhooks.py)."""
    fields = {k: body[k] for k in WRITABLE if k in body}
    if "callback_url" in fields and not http_url(fields["callback_url"]):
        raise BadRequest("The callback_url must be an http or https URL.")
    if "headers" in fields:
        parse_headers(fields["headers"])
    return fields


class Deliveries:
    """Turns the engine's change events into deliveries for the enabled webhooks of the entity's type."""

    def __init__(self, engine, dispatcher) -> None:
        self.engine = engine
        self.dispatcher = dispatcher
        engine.subscribe(self.on_change)

    def on_change(self, resource: str, action: str, view: dict) -> None:
        entity_type = ENTITY_TYPES.get(resource)
        if entity_type is None:
            return
        for hook in self.engine.rows(self.engine.resources["webhooks"]):
            if hook["status"] == "enabled" and hook["entity_type"] == entity_type:
                self.dispatcher.send(delivery(hook, entity_type, action, view, self.engine.now()))


def payload(hook: Mapping, entity_type: str, action: str, view: Mapping, now: str) -> dict:
    """The body posted (JS2-D10): the event, the entity's id, and its data when include_entity_data is 1."""
    body = {"event": f"{entity_type}.{action}", "entity_type": entity_type, "action": action,
            "entity_id": view.get("id"), "webhook_id": hook["id"], "occurred_at": now}
    if "version_id" in view and view["version_id"]:
        body["version_id"] = view["version_id"]
    if hook.get("include_entity_data"):
        body["data"] = dict(view)
    return body


def delivery(hook: Mapping, entity_type: str, action: str, view: Mapping, now: str) -> Delivery:
    raw = json.dumps(payload(hook, entity_type, action, view, now), separators=(",", ":"),
                     default=str).encode("utf-8")
    custom = {k: v for k, v in parse_headers(hook.get("headers")).items() if k.lower() not in RESERVED}
    headers = {**custom, "Content-Type": "application/json",
               "User-Agent": "Jasper-Webhooks/1 (pimkit fake)", EVENT_HEADER: f"{entity_type}.{action}",
               SIGNATURE_HEADER: "sha256=" + hmac_sha256(hook.get("signing_secret") or "", raw)}
    return Delivery(webhook_id=hook["id"], url=hook["callback_url"], body=raw, headers=headers,
                    timeout=float(hook.get("connection_timeout") or 3), retry_policy=hook["retry_policy"],
                    retry_interval=float(hook["minimum_retry_interval"]), retry_limit=int(hook["retry_limit"]),
                    meta={"api": "jasper", "event": f"{entity_type}.{action}", "entity_type": entity_type,
                          "entity_id": view.get("id")})
