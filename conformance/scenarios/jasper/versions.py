"""Versions: a write to version 1 leaves the master alone and the other way round (J-010, J-013, J-022, J-031)."""

from __future__ import annotations

from conformance.checks.jasper import gone_after_delete, version_isolated, write_accepted
from conformance.checks.jasper.catalog import items_of, listed_as_written
from conformance.scenarios import ScenarioContext, scenario
from conformance.scenarios.jasper.client import API, id_of, item_of, jasper_api

ATTR = ("attribute",)
TV = ("attribute_type_value",)


@scenario(API, rules=["J-010", "J-013", "J-015", "J-022", "J-024", "J-026", "J-028", "J-031"])
def version_isolation(ctx: ScenarioContext) -> None:
    """PUT …/version/1 changes what version 1 shows, never the master; a master PUT never changes version 1."""
    api = jasper_api(ctx)
    master_name, version_name = api.name("Country"), api.name("País")
    made = api.post("/attributes", {"name": master_name, "type": "multiselect"})
    ctx.require(write_accepted, response=made, what="POST /attributes")
    attribute = f"/attributes/{id_of(made, ATTR)}"
    ctx.note(f"attribute {attribute}")
    ctx.require(write_accepted, response=api.put(f"{attribute}/version/1", {"name": version_name}),
                what="PUT version 1")
    ctx.verify(version_isolated, master=api.get(attribute), version=api.get(f"{attribute}/version/1"), keys=ATTR,
               field="name", master_value=master_name, version_value=version_name)
    renamed = api.name("Land")
    ctx.require(write_accepted, response=api.put(attribute, {"name": renamed}), what="PUT master")
    ctx.verify(version_isolated, master=api.get(attribute), version=api.get(f"{attribute}/version/1"), keys=ATTR,
               field="name", master_value=renamed, version_value=version_name)
    value = api.post(f"{attribute}/type_values", {"value": "Brazil"})
    if ctx.verify(write_accepted, response=value, what="POST type value"):
        tv = f"{attribute}/type_values/{id_of(value, TV)}"
        ctx.verify(write_accepted, response=api.put(f"{tv}/version/1", {"value": "Brasil"}), what="PUT tv version")
        ctx.verify(version_isolated, master=api.get(tv), version=api.get(f"{tv}/version/1"), keys=TV, field="value",
                   master_value="Brazil", version_value="Brasil")
        ctx.verify(listed_as_written, items=items_of(api.get(f"{attribute}/type_values/version/1"),
                                                     "attribute_type_values"), field="value", value="Brasil",
                   what="the type values listed for version 1")
        if "version_id" in item_of(api.get(f"{tv}/version/1"), TV):  # J-010, where the server shows it
            ctx.verify(version_isolated, master=api.get(tv), version=api.get(f"{tv}/version/1"), keys=TV,
                       field="version_id", master_value=0, version_value=1)
    ctx.verify(write_accepted, response=api.delete(f"{attribute}/version/1"), what="DELETE version 1")
    ctx.verify(version_isolated, master=api.get(attribute), version=api.get(attribute), keys=ATTR, field="name",
               master_value=renamed, version_value=renamed)
    ctx.verify(write_accepted, response=api.delete(attribute), what="DELETE attribute")
    ctx.verify(gone_after_delete, response=api.get(attribute))
