"""Every error message the seed writes, exactly (PI-06, PI-08, PI-09, PI-10, PI-26, PI-27, PI-28)."""

from __future__ import annotations

from typing import Any

from conformance.checks.pims import catalogue, messages
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.pims.client import API, PATH, pims_api

NOT_FOUND = "Product does not exist!"
EMPTY_SKU = "SKU cannot be empty!"


@scenario(API, rules=["PI-01", "PI-04", "PI-06", "PI-08", "PI-09", "PI-10", "PI-26", "PI-27", "PI-28", "PI-48", "X-70",
                      "X-77"])
def seed_error_messages(ctx: ScenarioContext) -> None:
    """Each documented error answers {"status": "Error", "status_message": <the seed's text>}."""
    api = pims_api(ctx)
    known = api.sku("DUP")
    api.create(known, title="Duplicate probe")
    unknown = api.sku("NOPE")
    cases: list[tuple[dict[str, Any], str, int]] = [
        ({"action": "listProduct", "sku": unknown}, NOT_FOUND, 404),
        ({"action": "listProductsBySku"}, "SKU list is not provided!", 400),
        ({"action": "listProductsBySku", "skus": "A1"}, "List of SKUs should be an ARRAY!", 400),
        ({"action": "listProductsBySku", "skus": []}, "The SKU list is empty!", 400),
        ({"action": "createProduct", "sku": "", "data": {"attributes": {"title": "x"}}}, EMPTY_SKU, 400),
        ({"action": "createProduct", "data": {"attributes": {"title": "x"}}}, EMPTY_SKU, 400),
        (
            {"action": "createProduct", "sku": known, "data": {"attributes": {"title": "x"}}},
            "Product already exists!",
            409,
        ),
        ({"action": "editProduct", "sku": "", "data": {"attributes": {"title": "x"}}}, EMPTY_SKU, 400),
        ({"action": "editProduct", "sku": unknown, "data": {"attributes": {"title": "x"}}}, NOT_FOUND, 404),
    ]
    for body, message, status in cases:
        ctx.note(f"{body} -> {message!r}")
        response = api.call(body)
        ctx.verify(messages.seed_error_message, response=response, message=message)
        ctx.verify(messages.error_status_is_the_fakes, response=response, status=status)
    # editProduct must not create (PI-28)
    ctx.verify(messages.seed_error_message, response=api.product(unknown), message=NOT_FOUND)
    for body in ({"action": "deleteProduct", "sku": known}, {"sku": known}):  # no such action (PI-04, X-76)
        ctx.note(f"{body}")
        response = api.call(body)
        ctx.verify(messages.error_envelope, response=response)
        ctx.verify(messages.error_status_is_the_fakes, response=response, status=400)
    get = ctx.target.request("GET", PATH, describe="GET on the one POST endpoint")
    ctx.verify(catalogue.one_post_endpoint, get=get, post=api.call({"action": "getList"}))
