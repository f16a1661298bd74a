"""Wizart's credentials: OAuth 2.0 client credentials → access tokens that expire on the virtual clock, and the
account tokens (Web, Android, iOS, Direct) from the fixtures; which kinds each operation takes is its
`x-token-types` in openapi/wizart.yaml."""

from __future__ import annotations

import base64
import binascii
import secrets

from mock_server.errors import Forbidden, Unauthorized
from mock_server.resolver import snake_case
from mock_server.runtime import Runtime
from mock_server.specs import Messages
from mock_server.vendors.wizart.rules import TOKEN_NAMES
from mock_server.vendors.wizart.state import state as vendor_state

NAME = "wizart"
# RFC 6749 §5.2 / RFC 7235: a token-endpoint 401 challenges with the scheme clients authenticate with there.
CLIENT_CHALLENGE = {"WWW-Authenticate": 'Basic realm="wizart"'}


def _messages(rt: Runtime) -> Messages:
    return rt.messages[NAME]


def account_tokens(fixtures: dict) -> dict[str, str]:
    """token -> kind, for the fixture Web/Android/iOS/Direct tokens."""
    kinds = fixtures.get("credentials", {}).get("tokens", {})
    return {token: kind for kind, tokens in kinds.items() for token in tokens}


def client_credentials(body: dict, authorization: str | None) -> tuple[str | None, str | None]:
    """client_id/secret from the form, or from HTTP Basic (RFC 6749 §2.3.1)."""
    client_id, secret = body.get("client_id"), body.get("client_secret")
    if authorization and authorization[:6].lower() == "basic ":
        try:
            decoded = base64.b64decode(authorization[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            decoded = ""
        if ":" in decoded:
            client_id, secret = decoded.split(":", 1)
    return client_id, secret


def _same(known: str, given: object) -> bool:
    return isinstance(given, str) and secrets.compare_digest(known.encode(), given.encode("utf-8", "replace"))


def issue(rt: Runtime, body: dict, authorization: str | None) -> dict:
    """RFC 6749 §4.4; a client that is missing, unknown or has the wrong secret is §5.2's `invalid_client` (401)."""
    messages = _messages(rt)
    client_id, secret = client_credentials(body, authorization)
    missing = [name for name, value in (("client_id", client_id), ("client_secret", secret)) if not value]
    if missing:
        raise Unauthorized(messages("requests", "no_client_credentials", missing=" and ".join(missing)),
                           code="invalid_client", pointer=f"/{missing[0]}", headers=CLIENT_CHALLENGE)
    clients = rt.fixtures[NAME].get("credentials", {}).get("oauth_clients", [])
    known = any(_same(c["client_id"], client_id) and _same(c["client_secret"], secret) for c in clients)
    if not known:
        raise Unauthorized(messages("requests", "invalid_client"), code="invalid_client", headers=CLIENT_CHALLENGE)
    lifetime = int(rt.fixtures[NAME].get("access_token_seconds", 3600))
    token = vendor_state(rt).tokens.issue({"client_id": client_id}, rt.clock.now(), lifetime)
    return {"access_token": token, "token_type": "Bearer", "expires_in": lifetime}


def verify(rt: Runtime, token: str) -> dict:
    """Connexion's bearer info: the token's kind, or 401 (unknown, malformed, expired)."""
    kind = vendor_state(rt).accounts.get(token)
    if kind is not None:
        return {"sub": f"{kind}-token", "kind": kind, "scope": []}
    issued, expired = vendor_state(rt).tokens.lookup(token, rt.clock.now())  # expired tokens are not held
    if expired:
        raise Unauthorized(_messages(rt)("requests", "token_expired"), code="token_expired")
    if issued is None:
        raise Unauthorized(_messages(rt)("requests", "token_unknown"), code="invalid_token")
    return {"sub": issued["client_id"], "kind": "bearer", "scope": []}


def accepted_table(spec: dict) -> dict[str, tuple[str, ...]]:
    """handler name (the operationId in snake case) -> the token kinds its `x-token-types` lists (at set-up)."""
    table = {}
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if isinstance(operation, dict) and "operationId" in operation:
                # keyed by the handler's name (`list_imports_v21`), as `permit` is asked
                table[snake_case(operation["operationId"])] = tuple(operation.get("x-token-types", ()))
    return table


def permit(rt: Runtime, operation_id: str, token_info: dict | None) -> str:
    """The caller's token kind, or 403 when the operation does not take that kind."""
    kind: str = (token_info or {}).get("kind", "bearer")  # check_token's token_info
    allowed = vendor_state(rt).accepted[operation_id]
    if kind not in allowed:
        names = ", ".join(TOKEN_NAMES[k] for k in allowed)
        raise Forbidden(_messages(rt)("requests", "token_type_not_allowed", given=TOKEN_NAMES[kind], accepted=names),
                        code="token_type_not_allowed", header="Authorization")
    return kind
