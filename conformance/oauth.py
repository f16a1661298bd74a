"""OAuth 2.0 client credentials (RFC 6749 §4.4), for APIs whose Bearer token is asked for rather than given."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from conformance.errors import UsageError

if TYPE_CHECKING:
    from conformance.apis import ApiProfile
    from conformance.target import Target


def request_token(client: httpx.Client, url: str, client_id: str, client_secret: str) -> httpx.Response:
    return client.post(url, data={"grant_type": "client_credentials", "client_id": client_id,
                                  "client_secret": client_secret})


def access_token(response: httpx.Response) -> str | None:
    try:
        body = response.json()
    except ValueError:
        return None
    token = body.get("access_token") if isinstance(body, dict) else None
    if not isinstance(token, str) or not token or any(not (0x21 <= ord(c) <= 0x7E) for c in token):
        return None  # none, or one that cannot be sent in a header (a spec mock's "eyJ…" example)
    return token if response.status_code == 200 else None


def obtain_token(target: Target, profile: ApiProfile) -> str:
    """A Bearer token from the profile's fixture client; a target that gives none is a usage error (exit 2):
    nothing else can be checked without one. `--token` skips this."""
    path = profile.oauth_path
    if path is None:
        raise UsageError(f"--api {profile.name} has no OAuth token endpoint: give its token with --token")
    given = target.credentials
    client_id, secret = (given["client_id"], given["client_secret"]) if "client_id" in given and (
        "client_secret" in given) else profile.client_credentials()
    response = request_token(target.client, target.base_url + path, client_id, secret)
    token = access_token(response)
    if token is not None:  # the client this target takes: the scenarios that need one use it
        given.setdefault("client_id", client_id)
        given.setdefault("client_secret", secret)
    if token is None and response.status_code == 404:
        raise UsageError(f"pre-flight: wrong base URL (missing or wrong API prefix?): POST {target.base_url}"
                         f"{profile.oauth_path} (OAuth client credentials) answered 404")
    if token is None:
        raise UsageError(f"{target.base_url}{profile.oauth_path} gave no usable access token for client {client_id!r} "
                         f"({response.status_code}); pass --token")
    return token
