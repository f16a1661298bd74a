"""The vocabulary of Jasper's resource declaration: what a declared resource is made of.

A `Resource` says everything about a collection once: its envelope keys and routes, the parent it nests under,
its fields (each a `Field`: default, response schema, request schema, required), unique fields, references to
other resources and what happens to them on delete, versions, slug rule, its operations, and the few hooks (small
functions) that hold behaviour the declaration cannot express. `mock_server/vendors/jasper/resources.py` declares
the resources; the engine, the handler bindings and the generated spec (scripts/gen_jasper_spec*.py) read them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

Schema = dict[str, Any]  # an OpenAPI 3.0.3 schema object, as the spec writes it
INT: Schema = {"type": "integer"}
STR: Schema = {"type": "string"}
NSTR: Schema = {"type": "string", "nullable": True}
NINT: Schema = {"type": "integer", "nullable": True}
NUM: Schema = {"type": "number", "nullable": True}
BOOL: Schema = {"type": "boolean"}
NAME: Schema = {"type": "string", "minLength": 1}
TS: Schema = {"type": "string", "readOnly": True, "description": "read only"}
LARAVEL_TS: Schema = {"type": "string", "readOnly": True, "example": "2022-01-10 15:14:18"}  # J-168's format
# Booleans the seed types "(boolean)" but shows as 1/0 (X-15, X-30): both readings are the contract (QA-D17), and
# the engine stores a field shown this way as 1/0.
BIT: Schema = {"anyOf": [{"type": "integer", "enum": [0, 1]}, {"type": "boolean"}]}
BIT_IN: Schema = {"anyOf": [{"type": "boolean"}, {"type": "integer", "enum": [0, 1]}]}

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
class Field:
    """One field of a resource, declared once: the engine reads `default` and `stored`, the spec `out`, `write`
    and `required`."""

    default: Any = None  # what a create fills in when the body leaves the field out
    out: Schema | None = None  # its property in the response schema (None: not shown)
    write: Schema | None = None  # its property in the create/update schemas (None: not writable)
    required: bool = False  # required in a create
    stored: bool = True  # a column of the row; False: request-only (an alias) or response-only (computed)
    alias_of: str | None = None  # a request-only name of a stored field (`source_uri` -> `uri`, X-16)
    version_write: Schema | None = None  # its property in a version write, where that differs from `write`


def ref(name: str) -> Schema:
    """A reference to a component schema the spec writes (`ref("Product")`)."""
    return {"$ref": f"#/components/schemas/{name}"}


def arr(schema: Schema) -> Schema:
    return {"type": "array", "items": schema}


def envelope(key: str, schema: Schema) -> Schema:
    """A body holding `schema` under `key` (`{"product": {…}}`)."""
    return {"type": "object", "required": [key], "properties": {key: schema}}


@dataclass(frozen=True)
class Operation:
    """One operation of a resource, declared once: the handler table and the spec read it.

    A generic operation (no `binding`) is served by the resource's `Endpoints`: its method and path follow from
    `kind`. A bespoke one names its HTTP `method`, its `route` and the handler `binding` (an object under
    `handlers`, `product_operations.products_`) whose method `kind` serves it (`kind` "": the binding is a
    function); its operationId follows from binding and kind (`operations.operation_id`) unless `operation_id`
    names it (`getProductBySku`, the seed's heading). `doc` holds what only
    the spec reads for a bespoke operation (summary, query parameters, request and response schemas, examples)."""

    kind: str  # an `Endpoints` method: list, create, get, update, delete, list_version, get_version, …
    rules: tuple[str, ...]  # the seed rules it serves (x-rules)
    alias: str | None = None  # the collection path of a misspelt route the seed shows, served deprecated (JS-D03)
    method: str | None = None  # bespoke: the HTTP method
    route: str | None = None  # bespoke: its path under /api/v1 (under the server's root when `api` is False)
    binding: str | None = None  # bespoke: the handler object (or function) under `handlers`
    api: bool = True
    operation_id: str | None = None  # bespoke: its operationId where the naming rule would read badly
    doc: dict[str, Any] = field(default_factory=dict)

    @property
    def handler(self) -> str | None:
        """A bespoke operation's handler path under `handlers` (`product_operations.products_.list`)."""
        if self.binding is None:
            return None
        return f"{self.binding}.{self.kind}" if self.kind else self.binding

    @property
    def writes(self) -> bool:
        """A bespoke operation that changes state (a GET alias of a PUT says so in its doc, X-55)."""
        return self.method != "get" or bool(self.doc.get("write"))


@dataclass(frozen=True)
class Resource:
    name: str  # table name and the key other declarations use
    singular: str  # envelope key of one row
    plural: str  # envelope key of a list
    fields: dict[str, Field]  # in response order (id and the parent field come first, not declared)
    parent: str | None = None  # resource this one nests under
    parent_field: str | None = None  # the field holding the parent's id
    unique: tuple[str, ...] = ()  # fields unique across the resource (within the parent, when nested)
    refs: dict[str, Ref] = field(default_factory=dict)
    versioning: Versioning | None = None
    slug: tuple[str, str] | None = None  # (source field, rule in SLUG_RULES) applied on create when absent
    per_page: int | None = None  # the list is paginated at this size (Laravel links + meta)
    max_limit: int | None = None  # with it, `limit` sets the page size, 1..max_limit (products: default 25)
    # Nested rows addressed in their path by this field instead of their own id (a set's attribute by
    # attribute_id, X-12 / X-35); POST with an existing value updates that row (an upsert).
    address_by: str | None = None
    # doc, engine, version -> the response view (computed fields); defaults to the stored doc
    view: Callable[..., dict] | None = None
    # --- the routes (the handler bindings and the spec) -----------------------------------------------------
    path: str | None = None  # the collection's path under /api/v1 ("/attributes/{attribute_id}/type_values")
    id_param: str | None = None  # the path parameter naming one row
    schema: str | None = None  # the spec's component name ("Attribute"; "AttributeCreate", … follow)
    operations: tuple[Operation, ...] = ()  # generic ones (its `Endpoints`) and bespoke ones (their own binding)
    # Envelope keys the seed's examples disagree on, per operation kind: the spec accepts any (JS-D05).
    envelope_variants: dict[str, tuple[str, ...]] = field(default_factory=dict)
    required_one_of: tuple[str, ...] = ()  # a create needs at least one of these fields

    @property
    def generic_operations(self) -> tuple[Operation, ...]:
        """The operations the resource's generic `Endpoints` serves (`declared.<name>`)."""
        return tuple(op for op in self.operations if op.binding is None)

    # --- what the fields imply ----------------------------------------------------------------------------------
    @cached_property
    def defaults(self) -> dict[str, Any]:
        """Stored field -> its default, in response order."""
        return {name: f.default for name, f in self.fields.items() if f.stored}

    @cached_property
    def int_booleans(self) -> tuple[str, ...]:
        """Booleans the seed serialises as 1/0: a true/false written is stored as 1/0."""
        return tuple(name for name, f in self.fields.items() if f.stored and f.out == BIT)

    @cached_property
    def aliases(self) -> dict[str, str]:
        """Request-only field -> the stored field it writes (display_group -> display_group_id, X-01)."""
        return {name: f.alias_of for name, f in self.fields.items() if f.alias_of}

    @cached_property
    def timestamps(self) -> bool:
        """created_at / updated_at from the virtual clock, when the resource shows a created_at."""
        return "created_at" in self.fields

    @property
    def read_only(self) -> frozenset[str]:
        fixed = {"id", "created_at", "updated_at"}
        if self.parent_field:
            fixed.add(self.parent_field)
        return frozenset(fixed)

    @property
    def versions_table(self) -> str:
        return self.name + "__versions"
