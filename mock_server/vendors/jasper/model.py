"""The vocabulary of Jasper's resource table: what a declared resource is made of.

A `Resource` says everything the engine needs to serve a plain collection: its envelope keys, the parent
it nests under, its fields and defaults (in response order), unique fields, references to other resources
and what happens to them on delete, versions, slug rule, and the few hooks (small functions) that hold
behaviour the table cannot express. `mock_server/vendors/jasper/table.py` declares the resources.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# What happens to a row that references a deleted row.
CASCADE = "cascade"  # the referencing row is deleted too
SET_NULL = "set_null"  # the reference becomes null
PULL = "pull"  # the id is removed from an array of ids


@dataclass(frozen=True)
class Ref:
    """A field holding the id of a row of `resource` (or, with `many`, an array of ids)."""

    resource: str
    on_delete: str = CASCADE
    many: bool = False
    # Zero stands for "no reference" (the seed's "set to 0 if root category"), stored as null.
    zero_is_null: bool = False
    # The referenced row must belong to the same parent as the referencing one (a concrete entity's
    # parent_id names a concrete entity of the same generic entity).
    same_parent: bool = False


@dataclass(frozen=True)
class Versioning:
    """A resource with per-version translations, kept in `<table>__versions` rows.

    `translated` fields are the ones a version overrides; every other field is the master's. With
    `own_ids`, a version row is a resource of its own: its view carries the row's id and `link_field`
    names the master (`master_attribute_type_value_id`); without, the view keeps the master's id.
    """

    translated: tuple[str, ...]
    own_ids: bool = False
    link_field: str | None = None


@dataclass(frozen=True)
class Resource:
    name: str  # table name and the key other declarations use
    singular: str  # envelope key of one row
    plural: str  # envelope key of a list
    fields: dict[str, Any]  # field -> default, in response order (id and the parent field come first)
    parent: str | None = None  # resource this one nests under
    parent_field: str | None = None  # the field holding the parent's id
    unique: tuple[str, ...] = ()  # fields unique across the resource (within the parent, when nested)
    refs: dict[str, Ref] = field(default_factory=dict)
    versioning: Versioning | None = None
    slug: tuple[str, str] | None = None  # (source field, rule in SLUG_RULES) applied on create when absent
    int_booleans: tuple[str, ...] = ()  # booleans the seed serialises as 1/0
    aliases: dict[str, str] = field(default_factory=dict)  # input field -> canonical field
    renames: dict[str, str] = field(default_factory=dict)  # input-only field -> stored field (source_uri -> uri)
    timestamps: bool = False  # created_at / updated_at from the virtual clock
    per_page: int | None = None  # the list is paginated at this size (Laravel links + meta)
    max_limit: int | None = None  # with it, `limit` sets the page size, 1..max_limit (products: default 25)
    # Nested rows addressed in their path by this field instead of their own id (a set's attribute by
    # attribute_id, X-12 / X-35); POST with an existing value updates that row (an upsert).
    address_by: str | None = None
    # doc, engine, version -> the response view (computed fields); defaults to the stored doc
    view: Callable[..., dict] | None = None

    @property
    def read_only(self) -> frozenset[str]:
        fixed = {"id", "created_at", "updated_at"}
        if self.parent_field:
            fixed.add(self.parent_field)
        return frozenset(fixed)

    @property
    def versions_table(self) -> str:
        return self.name + "__versions"
