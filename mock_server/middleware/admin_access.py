"""Who may use the admin API (`/__admin`: reset, data, clock, journal, faults): loopback clients only, and once
`--admin-token` is set, only requests that carry it (from any address, loopback included).

The token goes in `Authorization: Bearer <token>` or `X-Admin-Token: <token>` (DECISIONS.md EXP-D01).
A refusal is answered here, before the body is read: 403 for a remote client when no token is configured
(nothing it could send would help), 401 with `WWW-Authenticate: Bearer` for a missing or wrong token.
"""

from __future__ import annotations

import hmac
import ipaddress

from mock_server.errors import Forbidden, Unauthorized

ADMIN_PREFIX = "/__admin"
TOKEN_HEADER = b"x-admin-token"
# Starlette's TestClient names its peer "testclient": such a request never left the process.
IN_PROCESS_PEERS = frozenset({"testclient"})


def is_loopback(client) -> bool:
    """Whether the ASGI scope's `client` (host, port) is this machine. No peer at all is an in-process call."""
    if not client:
        return True
    host = str(client[0])
    if host in IN_PROCESS_PEERS:
        return True
    try:
        address = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False  # a unix socket path or a name: not provably local
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:127.0.0.1
    return (mapped or address).is_loopback


def offered_token(headers) -> bytes | None:
    for key, value in headers:
        if key == TOKEN_HEADER:
            return value.strip()
        if key == b"authorization" and value[:7].lower() == b"bearer ":
            return value[7:].strip()
    return None


def refusal(scope, token: bytes | None) -> Unauthorized | Forbidden | None:
    """Why this admin request is refused, or None when it may go on."""
    if token is None:
        if is_loopback(scope.get("client")):
            return None
        return Forbidden("The admin API answers only loopback clients (127.0.0.1, ::1). To use it from "
                         "another host, start pim-mock with --admin-token and send the token in "
                         "Authorization: Bearer <token> or X-Admin-Token.", code="admin_forbidden")
    offered = offered_token(scope.get("headers") or ())
    if offered is not None and hmac.compare_digest(offered, token):
        return None
    reason = "is missing" if offered is None else "is wrong"
    return Unauthorized(f"The admin token {reason}: this server was started with --admin-token; send it in "
                        "Authorization: Bearer <token> or X-Admin-Token.", code="admin_token_required",
                        headers={"WWW-Authenticate": 'Bearer realm="pim-mock admin"'})


class AdminAccess:
    def __init__(self, app, token: str | None, reject) -> None:
        self.app = app
        self.token = token.encode() if token else None
        self.reject = reject  # async (scope, send, error) -> None: writes the error response

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and _is_admin(scope.get("path", "")):
            error = refusal(scope, self.token)
            if error is not None:
                await self.reject(scope, send, error)
                return
        await self.app(scope, receive, send)


def _is_admin(path: str) -> bool:
    return path == ADMIN_PREFIX or path.startswith(ADMIN_PREFIX + "/")
