"""Referential rules, enums, unique names, required fields, scoping, auth and the status vocabulary."""

from __future__ import annotations

from conformance.checks.jasper import (
    auth_required,
    gone_after_delete,
    reference_removed,
    refused,
    status_in_vocabulary,
    write_accepted,
)
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.jasper.client import API, id_of, jasper_api

TYPES = ["selectbox", "date", "text", "textarea", "multiselect"]  # J-016


@scenario(API, rules=["J-023", "J-033", "J-038", "J-039", "J-040"])
def deleting_an_attribute_removes_its_references(ctx: ScenarioContext) -> None:
    """An attribute in a set, with a type value: deleted, it leaves the set and its type value is gone."""
    api = jasper_api(ctx)
    attribute = api.post("/attributes", {"name": api.name("Ref"), "type": "selectbox"})
    ctx.require(write_accepted, response=attribute, what="POST /attributes")
    attr_id = id_of(attribute, ("attribute",))
    made_set = api.post("/attribute_sets", {"name": api.name("Set")})
    ctx.require(write_accepted, response=made_set, what="POST /attribute_sets")
    set_path = f"/attribute_sets/{id_of(made_set, ('attribute_set', 'attribute set'))}"
    ctx.require(write_accepted, response=api.post(f"{set_path}/attributes", {"attribute_id": attr_id}),
                what="add the attribute to the set")
    value = api.post(f"/attributes/{attr_id}/type_values", {"value": "Red"})
    ctx.require(write_accepted, response=value, what="POST type value")
    tv_id = id_of(value, ("attribute_type_value",))
    other = api.post("/attributes", {"name": api.name("Other"), "type": "text"})
    if ctx.verify(write_accepted, response=other, what="POST another attribute"):
        other_id = id_of(other, ("attribute",))
        ctx.verify(refused, response=api.get(f"/attributes/{other_id}/type_values/{tv_id}"),
                   why="a type value is scoped to its attribute (J-033)", statuses=(404,))
        api.delete(f"/attributes/{other_id}")
    ctx.require(write_accepted, response=api.delete(f"/attributes/{attr_id}"), what="DELETE the attribute")
    ctx.verify(gone_after_delete, response=api.get(f"/attributes/{attr_id}"))
    ctx.verify(reference_removed, response=api.get(f"{set_path}/attributes"), key="attribute_set_attributes",
               field="attribute_id", gone=attr_id)
    ctx.verify(gone_after_delete, response=api.get(f"/attributes/{attr_id}/type_values/{tv_id}"))
    api.delete(set_path)


@scenario(API, rules=["J-016", "J-017", "J-019", "J-036", "J-059", "J-005", "J-006", "J-003", "J-001"])
def invalid_input_is_refused(ctx: ScenarioContext) -> None:
    """Unknown enum values, duplicate unique names, missing required fields, unknown ids, broken JSON, no
    token: each refused, and every status inside the seed's error-code table."""
    api = jasper_api(ctx)
    seen = []
    for kind in TYPES:
        response = api.post("/attributes", {"name": api.name(f"Type {kind}"), "type": kind})
        seen.append(response)
        if ctx.verify(write_accepted, response=response, what=f"type {kind}"):
            api.delete(f"/attributes/{id_of(response, ('attribute',))}")
    checks = [
        (api.post("/attributes", {"name": api.name("Color"), "type": "color"}), "type outside the enum (J-016)"),
        (api.post("/attributes", {"name": "Brand", "type": "text", "sort_order": "x"}), "sort_order not integer"),
        (api.post("/categories", {"name": api.name("No parent")}), "parent_id is required (J-059)"),
        (api.get("/attributes/99999999"), "unknown attribute (J-005)"),
        (api.put("/brands/99999999", {"name": "x"}), "unknown brand (J-005)"),
        (api.delete("/options/99999999"), "unknown option (J-005)"),
        (api.get("/generic-entities/99999999/concrete-entities"), "unknown parent (J-005)"),
        (ctx.target.request("POST", "/api/v1/brands", content=b'{"name":',
                            headers={"Content-Type": "application/json"}), "broken JSON (J-006)"),
    ]
    for name_path in ("/attributes", "/attribute_sets"):
        body = {"name": api.name("Unique"), "type": "text"}
        first = api.post(name_path, body)
        if ctx.verify(write_accepted, response=first, what=f"POST {name_path}"):
            checks.append((api.post(name_path, body), f"duplicate name on {name_path} (J-017, J-036)"))
            item_id = id_of(first, ("attribute", "attribute_set", "attribute set"))
            api.delete(f"{name_path}/{item_id}")
    for response, why in checks:
        seen.append(response)
        ctx.verify(refused, response=response, why=why)
    for headers in ({"Authorization": ""}, {"Authorization": "Bearer not-a-token"}):
        response = ctx.target.request("GET", "/api/v1/attributes", token=None, headers=headers)
        seen.append(response)
        ctx.verify(auth_required, response=response)
    ctx.verify(status_in_vocabulary, responses=seen)
