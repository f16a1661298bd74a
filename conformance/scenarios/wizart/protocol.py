"""Wizart's protocol: versions and their retirement, JSON:API negotiation, unknown query parameters, pagination."""

from __future__ import annotations

from conformance.checks.wizart import protocol
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.wizart.catalogs import Catalog
from conformance.scenarios.wizart.client import VERSIONS, WizartApi, base

API = "wizart"


@scenario(API, rules=["WZ-06", "X-91"])
def versions_side_by_side(ctx: ScenarioContext) -> None:
    """2.0 and 2.1 both answer; the version past its end of support says so with Deprecation and Sunset."""
    api = WizartApi(ctx)
    responses = {version: api.request("GET", f"{base(version)}/imports?page%5Bsize%5D=1") for version in VERSIONS}
    ctx.verify(protocol.retired_version_announced, responses=responses)
    ctx.verify(protocol.version_2_0_is_the_retired_one, responses=responses)


@scenario(API, rules=["JA-01", "JA-02", "JA-03", "JA-04", "JA-05", "WZ-05"])
def jsonapi_negotiation(ctx: ScenarioContext) -> None:
    """415 for a JSON:API Content-Type with parameters, 406 for such an Accept, 400 for unknown query parameters."""
    api = WizartApi(ctx)
    path = f"{base()}/imports"
    ctx.verify(protocol.content_type_parameters_415, response=api.request(
        "POST", path, content=b'{"data": {"type": "imports"}}',
        headers={"Content-Type": "application/vnd.api+json; charset=utf-8"}))
    ctx.verify(protocol.accept_parameters_406, response=api.request(
        "GET", path, headers={"Accept": "application/vnd.api+json; charset=utf-8"}))
    for query in ("pimkit=1", "include=pimkit"):
        ctx.verify(protocol.unknown_query_parameter_400, response=api.request("GET", f"{path}?{query}"))


@scenario(API, rules=["JA-06", "WZ-07", "WZ-08"])
def pagination_links_walk_everything(ctx: ScenarioContext) -> None:
    """Create imports, then follow `next` through the first pages at a page size of 2, and through the whole
    listing of imports and of products at the largest size (100): whatever the collection's size, the walk is
    bounded by pages (QA-D21), and what was created is found."""
    api = WizartApi(ctx)
    created = set()
    for _ in range(5):
        catalog = Catalog("wall", 1)
        body = api.upload(catalog.csv(), catalog.images(), "wall").json()
        created.add(body["data"]["id"])
    items, links = api.walk(f"{base()}/imports?page%5Bsize%5D=2", pages=4)
    ctx.verify(protocol.pagination_walks_the_collection, walked=[str(i.get("id")) for i in items], links=links,
               created=set(), size=2, whole=False)
    items, links = api.walk(f"{base()}/imports?page%5Bsize%5D=100")
    ctx.verify(protocol.pagination_walks_the_collection, walked=[str(i.get("id")) for i in items], links=links,
               created=created, size=100)
    for import_id in created:
        api.wait(import_id)
    products, links = api.walk(f"{base()}/products?page%5Bsize%5D=3", pages=4)
    ctx.verify(protocol.pagination_walks_the_collection, walked=[str(i.get("id")) for i in products], links=links,
               created=set(), size=3, whole=False)
    products, links = api.walk(f"{base()}/products?page%5Bsize%5D=100")
    ctx.verify(protocol.pagination_walks_the_collection, walked=[str(i.get("id")) for i in products], links=links,
               created=set(), size=100)
