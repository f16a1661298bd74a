"""Wizart access: OAuth client credentials, expiry on the clock, and each operation's token kinds (x-token-types)."""

from __future__ import annotations

from conformance.bodies import json_body
from conformance.checks.wizart import protocol
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.wizart.catalogs import Catalog
from conformance.scenarios.wizart.client import WizartApi
from conformance.target import NEEDS_CLOCK, AdminClock

API = "wizart"
KINDS = ("bearer", "web", "android", "ios", "direct")


@scenario(API, rules=["WZ-01", "WZ-02"])
def client_credentials_and_bad_tokens(ctx: ScenarioContext) -> None:
    """Client credentials give a Bearer token; a wrong secret, an unknown client and a garbage token are refused."""
    api = WizartApi(ctx)
    if api.fake or api.own_client:
        ctx.verify(protocol.token_endpoint_answers_oauth, response=api.request_token())
    for what, response in (("a wrong client secret", api.request_token(client_secret="not-the-secret")),
                           ("an unknown client", api.request_token(client_id="pimkit-unknown-client"))):
        ctx.verify(protocol.bad_credentials_refused, response=response, what=what)
        ctx.verify(protocol.response_is_jsonapi, response=response)
    garbage = api.target.request("GET", "/api/v2.1/imports", token="pimkit-garbage-token")
    ctx.verify(protocol.bad_credentials_refused, response=garbage, what="a garbage token")
    ctx.verify(protocol.response_is_jsonapi, response=garbage)


@scenario(API, rules=["WZ-02"])
def access_token_expires(ctx: ScenarioContext) -> None:
    """A token is refused once its expires_in has passed (needs a client to ask for a token: the fake's)."""
    api = WizartApi(ctx)
    if not (api.fake or api.own_client):
        ctx.skip(protocol.expired_token_refused, "needs an OAuth client: credentials client_id and client_secret")
        return
    body = json_body(api.request_token())
    token, lifetime = (body or {}).get("access_token"), (body or {}).get("expires_in")
    if not isinstance(token, str) or not isinstance(lifetime, int):
        return  # token_endpoint_answers_oauth has failed already
    if not isinstance(api.target.clock, AdminClock) and lifetime > ctx.options.timeout:
        ctx.skip(protocol.expired_token_refused, f"{NEEDS_CLOCK}: a token lives {lifetime} s, longer than --timeout")
        return
    api.target.clock.advance(lifetime + 1)
    response = api.target.request("GET", "/api/v2.1/imports", token=token)
    ctx.verify(protocol.expired_token_refused, response=response, waited=lifetime)
    ctx.verify(protocol.response_is_jsonapi, response=response)


@scenario(API, rules=["WZ-01", "WZ-03", "WZ-04", "X-96"])
def token_kinds_per_operation(ctx: ScenarioContext) -> None:
    """Every operation with every token kind: served where its x-token-types lists the kind, refused elsewhere."""
    api = WizartApi(ctx)
    catalog = Catalog("wall", 2)
    response = api.upload(catalog.csv(), catalog.images(), "wall")
    import_id = ((json_body(response) or {}).get("data") or {}).get("id") or "unknown"
    products = json_body(api.request("GET", "/api/v2.1/products?page%5Bsize%5D=1")) or {}
    product_id = ((products.get("data") or [{}])[0] or {}).get("id") or "1"
    ids = {"importId": import_id, "productId": product_id}
    for operation in ctx.checks.spec.operations.values():
        allowed = tuple(operation.raw.get("x-token-types", ()))
        if operation.path == "/oauth/token":
            continue
        path = operation.path.format(**ids)
        for kind in KINDS:
            if kind != "bearer" and kind not in api.accounts:
                continue
            if operation.method == "post":
                fresh = Catalog("wall", 1)
                response = api.upload(fresh.csv(), fresh.images(), "wall", version=path.split("/v")[1].split("/")[0],
                                      kind=kind)
            else:
                response = api.request("GET", path, kind=kind, judge=not path.endswith("/log"))
            ctx.verify(protocol.token_kind_respected, response=response, kind=kind, allowed=allowed,
                       operation=operation.id)
            if kind not in allowed:
                ctx.verify(protocol.refused_kind_answers_403, response=response, kind=kind)
