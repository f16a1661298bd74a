"""Nested catalog resources and what a write leaves behind: type values, brand attributes and assignments,
category channels, entity defaults, option set options (J-012 … J-087); ping, a body sent without a
Content-Type, a read-only token and the rate limit (J-002, J-007 … J-009). Each scenario makes its own rows
and deletes them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from conformance.checks.jasper import catalog as checks
from conformance.checks.jasper import envelope_holds, reads_back, refused, write_accepted
from conformance.resources import load_fixtures
from conformance.results import Kind
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.jasper.client import API, JasperApi, id_of, item_of, jasper_api

ATTRIBUTE_TYPES = ("selectbox", "date", "datetime", "textarea", "multiselect", "text")  # J-055, J-148
BOOLEAN = (0, 1, True, False)  # 0/1 as the seed's examples, true/false as its field tables
U = "https://cdnpim.com/coolimage.png"


def made(ctx: ScenarioContext, api: JasperApi, path: str, body: dict, keys: tuple[str, ...]) -> Any:
    response = api.post(path, body)
    ctx.require(write_accepted, response=response, what=f"POST {path}")
    return id_of(response, keys)


def skip(ctx: ScenarioContext, check: Any, why: str) -> None:
    spec = check.check_spec
    ctx.tally.skip(ctx.tally.get(Kind.SCENARIO, ctx.spec.name, spec.name, rules=spec.rules, strict_only=True), why)


@scenario(API, rules=["J-012", "J-018", "J-025", "J-027", "J-029", "J-030", "J-035"])
def type_values_and_sets(ctx: ScenarioContext) -> None:
    """A type value is listed, read and updated under the seed's envelopes; read-only timestamps stay the server's."""
    api = jasper_api(ctx)
    attr = made(ctx, api, "/attributes", {"name": api.name("Country"), "type": "multiselect",
                                          "created_at": "2000-01-01T00:00:00+00:00"}, ("attribute",))
    path = f"/attributes/{attr}"
    try:
        ctx.verify(checks.read_only_ignored, item=item_of(api.get(path), ("attribute",)), field="created_at",
                   sent="2000-01-01T00:00:00+00:00", what=f"GET {path} after a POST with created_at")
        created = api.post(f"{path}/type_values", {"value": "Blue"})
        ctx.require(envelope_holds, response=created, keys=("attribute_type_value",), fields=("id", "value"))
        value_path = f"{path}/type_values/{id_of(created, ('attribute_type_value',))}"
        ctx.verify(reads_back, response=created, keys=("attribute_type_value",),
                   expected={"attribute_id": attr, "value": "Blue"})
        listing = api.get(f"{path}/type_values")
        ctx.verify(envelope_holds, response=listing, keys=("attribute_type_values",),
                   fields=("id", "attribute_id", "value"), many=True)
        ctx.verify(checks.listed_as_written, items=checks.items_of(listing, "attribute_type_values"), field="value",
                   value="Blue", what=f"GET {path}/type_values after POST")
        ctx.verify(checks.items_have_fields, items=item_of(api.get(path), ("attribute",)).get("typeValuesArray"),
                   fields=("id", "attribute_id", "value", "slug", "sort_order", "version_id"),
                   what=f"GET {path} typeValuesArray")
        ctx.verify(envelope_holds, response=api.get(value_path), keys=("attribute_type_value",),
                   fields=("id", "attribute_id", "value", "version_id"))
        ctx.verify(write_accepted, response=api.put(value_path, {"value": "Navy"}), what=f"PUT {value_path}")
        ctx.verify(reads_back, response=api.get(value_path), keys=("attribute_type_value",),
                   expected={"attribute_id": attr, "value": "Navy", "version_id": 0})
        made_set = api.post("/attribute_sets", {"name": api.name("Gaskets"), "sort_order": 3})
        ctx.verify(envelope_holds, response=made_set, keys=("attribute set", "attribute_set"),
                   fields=("id", "name", "sort_order"))
        set_id = id_of(made_set, ("attribute set", "attribute_set"))
        if set_id is not None:
            api.delete(f"/attribute_sets/{set_id}")
    finally:
        api.delete(path)


@scenario(API, rules=["J-047", "J-049", "J-050", "J-051", "J-052", "J-053", "J-054", "J-055", "J-056", "J-057"])
def brand_assets_and_attributes(ctx: ScenarioContext) -> None:
    """A brand's asset keeps its source as `uri`; its attributes are assigned one by one or by set, and their
    values created, updated and deleted under the seed's envelopes."""
    api = jasper_api(ctx)
    brand = made(ctx, api, "/brands", {"name": api.name("Brand")}, ("brand",))
    cleanup = [f"/brands/{brand}"]
    try:
        asset = api.post(f"/brands/{brand}/assets", {"source_uri": U, "alttext": "A", "thumbnail": True})
        ctx.verify(envelope_holds, response=asset, keys=("brand_asset",),
                   fields=("id", "brand_id", "uri", "alttext", "thumbnail"))
        ctx.verify(reads_back, response=asset, keys=("brand_asset",),
                   expected={"brand_id": brand, "uri": U, "alttext": "A", "thumbnail": True})
        one = made(ctx, api, "/attributes", {"name": api.name("Material"), "type": "text"}, ("attribute",))
        other = made(ctx, api, "/attributes", {"name": api.name("Finish"), "type": "text"}, ("attribute",))
        cleanup[:0] = [f"/attributes/{one}", f"/attributes/{other}"]
        a_set = made(ctx, api, "/attribute_sets", {"name": api.name("Set")}, ("attribute_set", "attribute set"))
        cleanup.insert(0, f"/attribute_sets/{a_set}")
        ctx.require(write_accepted, response=api.post(f"/attribute_sets/{a_set}/attributes", {"attribute_id": other}),
                    what="add an attribute to the set")
        attributes = f"/brands/{brand}/attributes"
        ctx.verify(write_accepted, response=api.post(f"/brands/{brand}/assigned-attributes", {"attribute_id": one}),
                   what="assign an attribute")
        ctx.verify(checks.listed_as_written, items=checks.items_of(api.get(attributes), "brand_attributes"),
                   field="attribute_id", value=one, what="the brand's attributes after the assignment")
        created = api.post(attributes, {"attribute_id": one, "version_id": 0, "values": [{"value": "Text"}]})
        ctx.verify(envelope_holds, response=created, keys=("brand_attributes",), fields=("attribute_id", "values"))
        listing = api.get(attributes)
        ctx.verify(envelope_holds, response=listing, keys=("brand_attributes",),
                   fields=("attribute_id", "name", "slug", "type", "values"), many=True)
        ctx.verify(checks.values_in_enum, values=[i.get("type") for i in checks.items_of(listing, "brand_attributes")
                                                  or []], allowed=ATTRIBUTE_TYPES, what=f"GET {attributes} types")
        single = api.get(f"{attributes}/{one}")
        ctx.verify(envelope_holds, response=single, keys=("brands_attributes",), fields=("attribute_id", "values"),
                   many=True)
        values = checks.values_of(single, "brands_attributes", one) or []
        ctx.verify(checks.listed_as_written, items=values, field="value", value="Text", what="the value created")
        vid = next((v.get("id") for v in values if v.get("value") == "Text"), None)
        if vid is not None:
            value_path = f"{attributes}/{one}/values/{vid}"
            update = {"attribute_id": one, "version_id": 0, "values": [{"value": "Text Update"}]}
            ctx.verify(write_accepted, response=api.put(value_path, update), what=f"PUT {value_path}")
            ctx.verify(checks.listed_as_written, items=checks.values_of(api.get(attributes), "brand_attributes", one),
                       field="value", value="Text Update", what="the value after its update")
            ctx.verify(write_accepted, response=api.delete(value_path), what=f"DELETE {value_path}")
            ctx.verify(checks.listed_as_written, items=checks.values_of(api.get(attributes), "brand_attributes", one),
                       field="id", value=vid, listed=False, what="the values after the DELETE")
        ctx.verify(write_accepted, response=api.post(f"/brands/{brand}/assigned-attribute-sets",
                                                     {"attribute_set_id": a_set}), what="assign an attribute set")
        ctx.verify(checks.listed_as_written, items=checks.items_of(api.get(attributes), "brand_attributes"),
                   field="attribute_id", value=other, what="the brand's attributes after assigning the set")
    finally:
        for path in cleanup:
            api.delete(path)


@scenario(API, rules=["J-060", "J-061", "J-063", "J-072", "J-073", "J-076", "J-077"])
def entity_defaults_and_channel_upsert(ctx: ScenarioContext) -> None:
    """A root category's parent is 0 or null; a category's web ID is upserted; a new generic entity defaults its
    description and parent to null, and a concrete entity takes its generic entity from the path."""
    api = jasper_api(ctx)
    category = made(ctx, api, "/categories", {"parent_id": 0, "name": api.name("Root")}, ("category",))
    entity = None
    try:
        ctx.verify(checks.value_one_of, item=item_of(api.get(f"/categories/{category}"), ("category",)),
                   field="parent_id", allowed=(0, None), what="a root category")
        a_set = id_of(api.post("/attribute_sets", {"name": api.name("Cat set")}), ("attribute_set", "attribute set"))
        if a_set is not None:
            ctx.verify(write_accepted, response=api.put(f"/categories/{category}", {"attribute_sets": [a_set]}),
                       what="PUT a category's attribute_sets")
            ctx.verify(reads_back, response=api.get(f"/categories/{category}"), keys=("category",),
                       expected={"attribute_sets": [a_set]})
            api.put(f"/categories/{category}", {"attribute_sets": []})
            api.delete(f"/attribute_sets/{a_set}")
        channels = checks.items_of(api.get("/channels"), "channels") or []
        if channels:
            path = f"/categories/{category}/channel/{channels[0].get('id')}"
            first, second = api.post(path, {"web_id": 1}), api.post(path, {"web_id": 7})
            ctx.verify(write_accepted, response=first, what=f"POST {path}")
            ctx.verify(write_accepted, response=second, what=f"POST {path} again")
            ctx.verify(checks.upsert_kept_one_row, items=[item_of(second, ("category_channel",))],
                       match={"id": item_of(first, ("category_channel",)).get("id")}, expected={"web_id": 7},
                       what="the second POST updates the first's row")
        body = {"name": api.name("Designer"), "is_tree": 0, "display_on_navigation": 1, "publishable": 0,
                "is_product_attribute": 0, "priority": 3}
        created = api.post("/generic-entities", body)
        ctx.require(write_accepted, response=created, what="POST /generic-entities")
        entity = id_of(created, ("generic_entity",))
        ctx.verify(reads_back, response=created, keys=("generic_entity",),
                   expected={"description": None, "parent_id": None})
        item = item_of(api.get(f"/generic-entities/{entity}"), ("generic_entity",))
        for flag in ("is_tree", "is_product_attribute", "publishable", "display_on_navigation"):
            ctx.verify(checks.value_one_of, item=item, field=flag, allowed=BOOLEAN, what=f"generic entity {flag}")
        concrete = api.post(f"/generic-entities/{entity}/concrete-entities", {"name": api.name("Lookbook"),
                                                                              "priority": 2})
        ctx.verify(reads_back, response=concrete, keys=("concrete_entity",),
                   expected={"generic_entity_id": entity, "parent_id": None, "priority": 2})
        concrete_id = id_of(concrete, ("concrete_entity",))
        if concrete_id is not None:
            other = id_of(api.post("/generic-entities", {**body, "name": api.name("Other")}), ("generic_entity",))
            if other is not None:
                ctx.verify(refused, response=api.get(f"/generic-entities/{other}/concrete-entities/{concrete_id}"),
                           why="a concrete entity read under another generic entity", statuses=(404,))
                api.delete(f"/generic-entities/{other}")
            api.delete(f"/generic-entities/{entity}/concrete-entities/{concrete_id}")
    finally:
        api.delete(f"/categories/{category}")
        if entity is not None:
            api.delete(f"/generic-entities/{entity}")


@scenario(API, rules=["J-084", "J-085", "J-086", "J-087"])
def option_set_options_upsert(ctx: ScenarioContext) -> None:
    """POSTing the same option to a set twice keeps one row with the second sort_order; deletes say "Deleted."."""
    api = jasper_api(ctx)
    option_set = made(ctx, api, "/option_sets", {"name": api.name("Gaskets")}, ("option_set", "option set"))
    option = made(ctx, api, "/options", {"name": api.name("Finish")}, ("option",))
    try:
        rows = f"/option_sets/{option_set}/options"
        first = api.post(rows, {"option_id": option, "sort_order": 2})
        ctx.require(write_accepted, response=first, what=f"POST {rows}")
        ctx.verify(write_accepted, response=api.post(rows, {"option_id": option, "sort_order": 5}), what="again")
        got = api.get(rows)
        ctx.verify(envelope_holds, response=got, keys=("option_set_options",), fields=("id", "option_id"), many=True)
        listing = checks.items_of(got, "option_set_options") or []
        ctx.verify(checks.upsert_kept_one_row, items=listing, match={"option_id": option},
                   expected={"sort_order": 5}, what=f"GET {rows}")
        row = item_of(first, ("option_set_option",)).get("id")
        deleted = api.delete(f"{rows}/{option}")  # the option's id or the row's: the seed does not say
        if not 200 <= deleted.status_code < 300 and row is not None:
            deleted = api.delete(f"{rows}/{row}")
        ctx.verify(checks.deleted_message, response=deleted)
        ctx.verify(checks.listed_as_written, items=checks.items_of(api.get(rows), "option_set_options"),
                   field="option_id", value=option, listed=False, what=f"GET {rows} after the DELETE")
        ctx.verify(checks.deleted_message, response=api.delete(f"/option_sets/{option_set}"))
    finally:
        api.delete(f"/option_sets/{option_set}")
        api.delete(f"/options/{option}")


@scenario(API, rules=["J-002", "J-009"])
def ping_and_a_body_without_content_type(ctx: ScenarioContext) -> None:
    """Ping tells the server's time; a JSON body sent as the seed's curls send it (`-d`, no JSON media type)
    is read as JSON."""
    api = jasper_api(ctx)
    ctx.verify(checks.ping_tells_server_time, response=api.get("/ping"))
    name = api.name("Curl Brand")
    response = ctx.target.request("POST", "/api/v1/brands", content=f'{{"name": "{name}"}}'.encode(),
                                  headers={"Content-Type": "application/x-www-form-urlencoded"},
                                  describe="curl -d, as the seed's examples")
    if ctx.verify(write_accepted, response=response, what="a curl -d body (form media type)"):
        ctx.verify(reads_back, response=response, keys=("brand",), expected={"name": name})
        api.delete(f"/brands/{id_of(response, ('brand',))}")


@scenario(API, rules=["J-007"])
def read_only_token_is_forbidden(ctx: ScenarioContext) -> None:
    """A token without write permission gets 403 on a write (the fake's read-only fixture token)."""
    tokens = load_fixtures(API)["credentials"].get("read_only_tokens") or []
    if not tokens or not (ctx.strict or ctx.target.token in load_fixtures(API)["credentials"]["tokens"]):
        skip(ctx, checks.read_only_token_forbidden, "needs a read-only token: the fake's fixture one is used only "
             "against the fake (its default token) or with --strict")
        return
    api = jasper_api(ctx)
    response = api.post("/brands", {"name": api.name("Forbidden")}, token=tokens[0])
    created = 200 <= response.status_code < 300
    ctx.verify(checks.read_only_token_forbidden, response=response, created=created)
    if created:
        api.delete(f"/brands/{id_of(response, ('brand',))}")
    ctx.verify(refused, response=api.delete("/brands/99999999", token=tokens[0]), why="a read-only DELETE",
               statuses=(403, 404))


@scenario(API, rules=["J-008"])
def rate_limit_is_429(ctx: ScenarioContext) -> None:
    """Past a per-token rate limit set through the fake's admin API, requests get 429 (a vendor's own limit is
    not burst against: without /__admin this is skipped)."""
    admin = admin_url(ctx)
    if admin is None:
        skip(ctx, checks.rate_limit_answers_429, "needs /__admin to set a low rate limit; the suite does not burst "
             "a vendor's API to find its limit")
        return
    limit = 3
    client = ctx.target.client
    try:
        limited = client.put(f"{admin}/throttle/rate-limit", json={"api": API, "requests": limit, "per_seconds": 60})
        statuses = [jasper_api(ctx).get("/ping").status_code for _ in range(limit + 2)]
    finally:
        client.put(f"{admin}/throttle/rate-limit", json={"api": API, "requests": None})
    if limited.status_code != 200:
        skip(ctx, checks.rate_limit_answers_429, f"/__admin did not set the rate limit: {limited.status_code}")
        return
    ctx.verify(checks.rate_limit_answers_429, statuses=statuses, limit=limit)


def admin_url(ctx: ScenarioContext) -> str | None:
    for url in ctx.target.admin_candidates():  # a tenant's base URL (…/t/<tenant>/jasper) has its own /__admin
        try:
            body = ctx.target.client.get(f"{url}/health").json()
        except (httpx.HTTPError, ValueError):  # no admin API there: not reachable, or not JSON
            continue
        if isinstance(body, Mapping) and body.get("status") == "ok":
            return url
    return None
