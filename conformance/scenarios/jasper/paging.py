"""Pagination: generic entities' concrete entities, 1000 a page, walked by `next` (J-068, J-069, J-070, J-075)."""

from __future__ import annotations

from conformance.bodies import json_body
from conformance.checks.jasper import envelope_holds, pages_cover_every_item_once, past_the_end_is_empty, write_accepted
from conformance.checks.listing import walk_whole
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.jasper.client import API, id_of, jasper_api

PER_PAGE = 1000  # J-068
ITEMS = PER_PAGE + 3  # enough for a second page


@scenario(API, rules=["J-068", "J-069", "J-070", "J-075", "J-076"])
def pages_cover_every_item(ctx: ScenarioContext) -> None:
    """1003 concrete entities under a fresh generic entity: two pages, each item exactly once, meta and links
    consistent; a page past the end is empty (or 404)."""
    api = jasper_api(ctx)
    made = api.post("/generic-entities", {"name": api.name("Paging")})
    ctx.require(write_accepted, response=made, what="POST /generic-entities")
    parent = f"/generic-entities/{id_of(made, ('generic_entity',))}"
    ctx.note(f"generic entity {parent}")
    ids = set()
    try:
        for n in range(ITEMS):
            response = api.post(f"{parent}/concrete-entities", {"name": f"CE {n}", "priority": n})
            ctx.require(write_accepted, response=response, what="POST concrete entity")
            ids.add(id_of(response, ("concrete_entity",)))
        def fetch(page: int) -> dict:
            response = api.get(f"{parent}/concrete-entities?page={page}")
            ctx.require(envelope_holds, response=response, keys=("concrete_entities",), fields=("id",), many=True)
            body: dict = json_body(response)  # envelope_holds passed: an object
            return body

        walk = walk_whole(1, fetch, lambda body: body.get("concrete_entities"),
                          lambda body, page, items: page + 1 if (body.get("links") or {}).get("next") else None)
        ctx.verify(pages_cover_every_item_once, pages=walk.pages, key="concrete_entities", expected_ids=ids,
                   complete=walk.complete)
        past = api.get(f"{parent}/concrete-entities?page={len(walk.pages) + 1}")
        ctx.verify(past_the_end_is_empty, response=past, key="concrete_entities")
    finally:
        api.delete(parent)
