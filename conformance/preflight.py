"""Pre-flight: before any check, prove the suite talks to the API (not a wrong prefix, not a login page) with
credentials the target accepts. Otherwise the run stops with exit 2 and one line saying what was sent and
received, instead of blaming the server for answers that only say "wrong URL" or "wrong token" (QA-D14).

The read is the profile's `preflight` (data/apis.yaml): a documented operation that reads and never writes.
  - a 3xx, or an HTML answer: a login page, a web site or a gateway, not the API;
  - 401 or 403: the credentials are refused;
  - 404 where the read cannot be unknown (no id in its path), or a 404 that looks exactly like the answer to a
    route that cannot exist (`<base>/pim-conformance-no-such-route`, paths blanked): the base URL lacks the
    API's prefix, or has a wrong one.
A 404 for the unknown id the read asks for, in the API's own words, is the expected answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from conformance.errors import UsageError

NO_SUCH_ROUTE = "/pim-conformance-no-such-route/0"


class PreflightFailed(UsageError):
    """The target is not the API, or does not take the credentials: nothing it answers could be judged."""


def _shape(response: httpx.Response, *paths: str) -> tuple[int, str]:
    text = response.text[:2000]
    for path in paths:
        text = text.replace(path, "<path>")
    return response.status_code, text


def _seen(response: httpx.Response) -> str:
    kind = response.headers.get("content-type", "no content-type").split(";")[0]
    body = " ".join(response.text[:120].split())
    return f"{response.status_code} {kind}" + (f" {body!r}" if body else "")


def check(client: httpx.Client, base_url: str, read: Mapping[str, Any], headers: Mapping[str, str],
          *, credentials: str) -> None:
    """Raise `PreflightFailed` naming the cause; `credentials` says what was sent ("the token given by --token")."""
    method, path = read["method"].upper(), read["path"]
    sent = f"{method} {base_url}{path} with {credentials}"
    try:
        response = client.request(method, base_url + path, headers=dict(headers), json=read.get("json"))
    except httpx.TransportError as exc:
        raise PreflightFailed(f"pre-flight: {sent} got no answer: {type(exc).__name__}: {exc}") from None
    seen = _seen(response)
    if 300 <= response.status_code < 400:
        where = response.headers.get("location", "?")
        raise PreflightFailed(f"pre-flight: wrong base URL or a login in the way: {sent} was redirected to {where} "
                              f"({seen}); the API answers JSON, not redirects")
    if "html" in response.headers.get("content-type", "").lower():
        raise PreflightFailed(f"pre-flight: not the API (a login page or a web site?): {sent} answered HTML ({seen})")
    if response.status_code in (401, 403):
        raise PreflightFailed(f"pre-flight: credentials refused: {sent} answered {seen}; "
                              "check the token (--token, or token_env in targets.toml)")
    if response.status_code == 404:
        if not read.get("unknown"):  # a listing or a ping is never 404 on the right URL
            raise PreflightFailed(f"pre-flight: wrong base URL (missing or wrong API prefix?): {sent} answered {seen}")
        nonsense = client.request(method, base_url + NO_SUCH_ROUTE, headers=dict(headers), json=read.get("json"))
        if _shape(nonsense, base_url + NO_SUCH_ROUTE, NO_SUCH_ROUTE) == _shape(response, base_url + path, path):
            raise PreflightFailed(
                f"pre-flight: wrong base URL (missing or wrong API prefix?): {sent} answered {seen}, exactly as a "
                f"route that cannot exist ({NO_SUCH_ROUTE}) does"
            )
