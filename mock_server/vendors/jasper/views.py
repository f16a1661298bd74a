"""Computed fields of Jasper's responses: what a stored row shows beyond its own fields."""

from __future__ import annotations


def attribute(doc: dict, engine, version: int) -> dict:
    """An attribute carries its type values, in the same version (J-012, J-013): translated values with
    `master_attribute_type_value_id` in a version, the master rows (version_id 0) otherwise."""
    values = engine.resources["attribute_type_values"]
    rows = engine.rows(values, doc["id"])
    return {**doc, "typeValuesArray": [engine.version_view(values, row, version) for row in rows]}
