"""Attributes assigned to an entity, with their values per version: brands now, products and products.

An entity's attribute item joins the assignment row (user_defined_key) with the attribute itself (name,
slug, type: the attribute's own, so renaming the attribute shows everywhere) and the value rows of that
entity and attribute, every version included (`version_id` 0 is the master, J-010).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mock_server.errors import BadRequest, NotFound
from mock_server.vendors.jasper.engine import Engine, Rows


@dataclass(frozen=True)
class EntityAttributes:
    owner: str  # the entity resource ("brands")
    assignments: str  # its assignment resource ("brand_attributes")
    values: str  # its value resource ("brand_attribute_values")

    def _res(self, engine: Engine, name: str):
        return engine.resources[name]

    def item(self, engine: Engine, owner_id: int, assignment: Mapping) -> dict:
        attribute = engine.get(engine.resources["attributes"], assignment["attribute_id"])
        values = [{"id": v["id"], "version_id": v["version_id"], "value": v["value"]}
                  for v in engine.rows(self._res(engine, self.values), owner_id)
                  if v["attribute_id"] == attribute["id"]]
        return {"attribute_id": attribute["id"], "name": attribute["name"], "slug": attribute["slug"],
                "user_defined_key": assignment.get("user_defined_key"), "type": attribute["type"], "values": values}

    def list(self, engine: Engine, owner_id: int) -> list[dict]:
        rows = engine.rows(self._res(engine, self.assignments), owner_id)
        return [self.item(engine, owner_id, row) for row in rows]

    def get(self, engine: Engine, owner_id: int, attribute_id: int) -> dict:
        row = engine.address(self._res(engine, self.assignments), owner_id, attribute_id)
        return self.item(engine, owner_id, row)

    def assign(self, engine: Engine, owner_id: int, attribute_id: int, user_defined_key=None) -> tuple[dict, bool]:
        """Assign an attribute (idempotent: an assigned attribute stays as it is). Returns (item, created)."""
        body = {"attribute_id": attribute_id}
        if user_defined_key is not None:
            body["user_defined_key"] = user_defined_key
        row, created = engine.upsert(self._res(engine, self.assignments), body, owner_id)
        return self.item(engine, owner_id, row), created

    def assign_set(self, engine: Engine, owner_id: int, set_id: int) -> Rows:
        """Assign every attribute of an attribute set (J-057); the set must exist (400 otherwise)."""
        engine.require_parent(self._res(engine, self.assignments), owner_id)
        try:
            members = engine.rows(engine.resources["attribute_set_attributes"], set_id)
        except NotFound as exc:
            raise BadRequest("The selected attribute_set_id is invalid.") from exc
        return [self.assign(engine, owner_id, m["attribute_id"])[0] for m in members]

    def set_values(self, engine: Engine, owner_id: int, body: Mapping) -> tuple[dict, bool]:
        """POST …/attributes: assign the attribute if needed and make `values` the values of `version_id`
        (the other versions' values stay, as the seed's create response shows both)."""
        version = self._version(engine, body.get("version_id", 0))
        item, created = self.assign(engine, owner_id, body["attribute_id"])
        values = self._res(engine, self.values)
        for row in engine.rows(values, owner_id):
            if row["attribute_id"] == body["attribute_id"] and row["version_id"] == version:
                engine.delete(values, row["id"], owner_id)
        for entry in body.get("values", []):
            engine.create(values, {"attribute_id": body["attribute_id"], "version_id": version,
                                   "value": entry.get("value")}, owner_id)
        return self.get(engine, owner_id, body["attribute_id"]), created

    def _value_row(self, engine: Engine, owner_id: int, attribute_id: int, value_id: int) -> dict:
        self.get(engine, owner_id, attribute_id)
        row = engine.get(self._res(engine, self.values), value_id, owner_id)
        if row["attribute_id"] != attribute_id:
            raise NotFound(f"Attribute value {value_id} not found.")
        return row

    def update_value(self, engine: Engine, owner_id: int, attribute_id: int, value_id: int, body: Mapping) -> dict:
        """PUT …/values/{id}: the value row takes the first of `values` (X-20: the sent value is stored)."""
        self._value_row(engine, owner_id, attribute_id, value_id)
        fields: dict = {}
        if "version_id" in body:
            fields["version_id"] = self._version(engine, body["version_id"])
        if body.get("values"):
            fields["value"] = body["values"][0].get("value")
        engine.update(self._res(engine, self.values), value_id, fields, owner_id)
        return self.get(engine, owner_id, attribute_id)

    def delete_value(self, engine: Engine, owner_id: int, attribute_id: int, value_id: int) -> None:
        self._value_row(engine, owner_id, attribute_id, value_id)
        engine.delete(self._res(engine, self.values), value_id, owner_id)

    @staticmethod
    def _version(engine: Engine, version: int) -> int:
        if version not in engine.versions:
            raise BadRequest("The selected version_id is invalid.")
        return version
