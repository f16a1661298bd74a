"""Who may do what: no or a wrong ApiKey and a read-only key cannot write (PI-03); a View limits and renames
attributes (PI-42, PI-43). Keys and Views are the fake's fixtures: those parts run against the fake only."""

from __future__ import annotations

import secrets

from conformance.checks.pims import attributes_of, messages, products
from conformance.results import Kind
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.pims.client import API, fake_keys, pims_api


def _skip(ctx: ScenarioContext, why: str) -> None:
    result = ctx.tally.get(Kind.SCENARIO, ctx.spec.name, "(scenario)", rules=ctx.spec.rules, strict_only=True)
    ctx.tally.skip(result, why)


@scenario(API, rules=["PI-03", "PI-48"])
def writes_need_data_editor(ctx: ScenarioContext) -> None:
    """createProduct with no key, a wrong key or a read-only key answers an error and creates nothing."""
    api = pims_api(ctx)
    fixtures = fake_keys(ctx)
    keys = [("no ApiKey", None), ("a wrong ApiKey", f"api_pims_wrong_{secrets.token_hex(6)}")]
    if fixtures is not None:
        keys += [
            (f"read-only key {k['key']}", k["key"])
            for k in fixtures["credentials"]["api_keys"]
            if "data_editor" not in k.get("permissions", [])
        ]
    if getattr(ctx.target, "credentials", {}).get("readonly"):  # a vendor's key without Data Editor rights
        keys.append(("the read-only key given (credentials readonly)", ctx.target.credentials["readonly"]))
    for n, (credentials, token) in enumerate(keys):
        sku = api.sku(f"RO{n}")
        ctx.note(f"{credentials}, sku {sku}")
        response = api.create(sku, token=token, title="Must not exist")
        ctx.verify(messages.write_refused, response=response, created=api.exists(sku), credentials=credentials)
        ctx.verify(messages.error_envelope, response=response)
        ctx.verify(messages.error_status_is_the_fakes, response=response, status=403 if token and n > 1 else 401)


@scenario(API, rules=["PI-42", "PI-43", "X-80"])
def views_limit_attributes(ctx: ScenarioContext) -> None:
    """Each View of the fake's dictionary shows only its attributes, under its names, with the same values."""
    fixtures = fake_keys(ctx)
    if fixtures is None:
        _skip(ctx, "the fake's Views and keys: only against the fake (its default key) or with --strict")
        return
    api = pims_api(ctx)
    sku = api.sku("VIEW")
    ctx.note(f"sku {sku}")
    ctx.require(products.write_accepted, response=api.create(sku, title="Viewed", price="12.50", brand="Acme"), sku=sku)
    values = dict(attributes_of(api.product(sku)))
    for view, definition in fixtures["views"].items():
        ctx.note(f"ApiView {view}")
        ctx.verify(
            products.view_applied,
            response=api.product(sku, view=view),
            view=view,
            names=definition["attributes"],
            values=values,
        )
    for key in fixtures["credentials"]["api_keys"]:  # no ApiView: the key's default View
        default = key.get("default_view")
        if default:
            ctx.note(f"key {key['key']}, no ApiView: default View {default}")
            ctx.verify(
                products.view_applied,
                response=api.product(sku, token=key["key"]),
                view=default,
                names=fixtures["views"][default]["attributes"],
                values=values,
            )
