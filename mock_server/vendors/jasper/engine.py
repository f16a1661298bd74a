"""Jasper's resource engine: create, read, update, delete, list and versions for every declared resource.

The engine knows resources only through their declarations (`model.Resource`): it validates references
and unique fields, fills defaults and slugs, keeps the indexes in step with the store, cascades deletes
along references, and tells registered listeners `(resource, action, view)` after every write (webhooks,
products). Rows are stored with their `id` equal to the store's doc id, in response field order, so a view
is the stored row plus whatever the resource's `view` hook computes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from tinydb.table import Document

from mock_server.errors import BadRequest, NotFound
from mock_server.pagination import page_positions
from mock_server.vendors.jasper.index import ResourceIndex
from mock_server.vendors.jasper.model import CASCADE, PULL, Ref, Resource, Versioning

TABLE_PREFIX = "jasper_"
Listener = Callable[[str, str, dict], None]
# Named before `Engine` defines a method `list`, which would shadow the builtin in its annotations.
Rows = list[dict]
Ids = list[int]
Events = list[tuple[Resource, str, dict]]


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


# How a slug is made from its source field when a create does not give one.
SLUG_RULES: dict[str, Callable[[str], str]] = {
    "copy": str,  # attributes and type values: the slug is the name as written ("Estados Unidos")
    "slugify": slugify,  # blocks, templates: "Header Script" -> "header-script"
}


def title(resource: Resource) -> str:
    return resource.singular.replace("_", " ").capitalize()


class Engine:
    def __init__(self, store, clock, resources: Iterable[Resource], versions: Iterable[int]) -> None:
        self.store = store
        self.clock = clock
        self.resources = {r.name: r for r in resources}
        self.versions = frozenset(versions) | {0}
        self.listeners: list[Listener] = []
        self.index: dict[str, ResourceIndex] = {}
        # resource -> [(dependent resource, field, ref)] : who points at a row of it
        self.dependents: dict[str, list[tuple[Resource, str, Ref]]] = {}
        for res in self.resources.values():
            if res.parent:
                self.dependents.setdefault(res.parent, []).append((res, res.parent_field or "", Ref(res.parent)))
            for field, ref in res.refs.items():
                self.dependents.setdefault(ref.resource, []).append((res, field, ref))

    # --- state --------------------------------------------------------------------------------
    def table(self, name: str) -> str:
        return TABLE_PREFIX + name

    def load(self) -> None:
        """Rebuild every index from the store (after a reset)."""
        with self.store.lock:
            for res in self.resources.values():
                index = ResourceIndex(res)
                for doc in sorted(self.store.all(self.table(res.name)), key=lambda d: d["id"]):
                    index.add(doc)
                if res.versioning:
                    for row in self.store.all(self.table(res.versions_table)):
                        index.add_version(row)
                    versions = self.store.highest(self.table(res.versions_table))
                    index.highest_version = max(index.highest_version, versions)
                # ids are never reused, not even after the highest row was deleted and the fake restarted
                index.highest = max(index.highest, self.store.highest(self.table(res.name)))
                self.index[res.name] = index

    def subscribe(self, listener: Listener) -> None:
        self.listeners.append(listener)

    def _notify(self, res: Resource, action: str, view: dict) -> None:
        for listener in self.listeners:
            listener(res.name, action, view)

    # --- reads --------------------------------------------------------------------------------
    def require_parent(self, res: Resource, parent_id: int | None) -> None:
        if res.parent:  # only whether it exists (under its own parent): read in place, not copied
            self._row(self.resources[res.parent], parent_id, None, self.store.peek)

    def get(self, res: Resource, doc_id: int | None, parent_id: int | None = None) -> dict:
        """The stored row (a copy), or NotFound; a nested row must belong to `parent_id` (which must exist)."""
        return self._row(res, doc_id, parent_id, self.store.get)

    def _row(self, res: Resource, doc_id: int | None, parent_id: int | None,
             read: Callable[[str, int], Mapping | None]) -> Any:
        if parent_id is not None or res.parent:
            self.require_parent(res, parent_id)
        doc = read(self.table(res.name), doc_id) if isinstance(doc_id, int) and doc_id > 0 else None
        if doc is None or (res.parent_field and doc.get(res.parent_field) != parent_id):
            raise NotFound(f"{title(res)} {doc_id} not found.")
        return doc

    def address(self, res: Resource, parent_id: int | None, key: object) -> dict:
        """A nested row by its `address_by` field (a set's attribute by attribute_id)."""
        self.require_parent(res, parent_id)
        doc_id = self.index[res.name].addressed.get((parent_id, key))
        if doc_id is None:
            raise NotFound(f"{title(res)} with {res.address_by} {key} not found.")
        return self.get(res, doc_id, parent_id)

    def view(self, res: Resource, doc: dict, version: int = 0) -> dict:
        return res.view(doc, self, version) if res.view else doc

    def rows(self, res: Resource, parent_id: int | None = None) -> list[dict]:
        self.require_parent(res, parent_id)
        return self.store.peek_many(self.table(res.name), list(self.index[res.name].under(parent_id)))

    def list(self, res: Resource, parent_id: int | None = None, version: int = 0) -> list[dict]:
        if version:
            return [self.version_view(res, doc, version) for doc in self.rows(res, parent_id)]
        return [self.view(res, doc) for doc in self.rows(res, parent_id)]

    def page(self, res: Resource, parent_id: int | None, page: int, per_page: int,
             version: int = 0) -> tuple[Rows, int]:
        """One page of the list (1-based) and the total: a slice of the id index, only its rows read."""
        self.require_parent(res, parent_id)
        ids = self.index[res.name].under(parent_id)
        docs = self.store.peek_many(self.table(res.name), page_slice(ids, page, per_page))
        return [self.version_view(res, doc, version) for doc in docs], len(ids)

    # --- writes -------------------------------------------------------------------------------
    def create(self, res: Resource, body: Mapping, parent_id: int | None = None) -> dict:
        with self.store.lock:
            self.require_parent(res, parent_id)
            fields = self._prepare(res, body, parent_id, None)
            if res.slug and fields.get("slug") is None:
                source, rule = res.slug
                fields["slug"] = SLUG_RULES[rule](fields.get(source, "")) if fields.get(source) else None
            index = self.index[res.name]
            fixed = {"id": index.next_id(), **({res.parent_field: parent_id} if res.parent_field else {})}
            doc = _with_defaults(res, {**fixed, **fields})
            if res.timestamps:
                doc["created_at"] = doc["updated_at"] = self.now()
            self.store.insert(self.table(res.name), Document(doc, doc_id=doc["id"]))
            index.add(doc)
            view = self.view(res, doc)
        self._notify(res, "created", view)
        return view

    def update(self, res: Resource, doc_id: int, body: Mapping, parent_id: int | None = None) -> dict:
        with self.store.lock:
            old = self.get(res, doc_id, parent_id)
            fields = self._prepare(res, body, parent_id, doc_id)
            return self._write(res, old, fields)

    def _write(self, res: Resource, old: dict, fields: dict, events: Events | None = None) -> dict:
        """Store `fields` on the row `old`; the change event goes to `events` (a cascade's, told in order once
        it is done) or straight to the listeners."""
        new = {**old, **fields}
        if res.timestamps:
            new["updated_at"] = fields["updated_at"] = self.now()
        self.store.update(self.table(res.name), old["id"], fields)
        self.index[res.name].change(old, new)
        view = self.view(res, new)
        if events is None:
            self._notify(res, "updated", view)
        else:
            events.append((res, "updated", view))
        return view

    def upsert(self, res: Resource, body: Mapping, parent_id: int | None) -> tuple[dict, bool]:
        """POST on a resource addressed by a field: update the row holding that value, else create one."""
        with self.store.lock:
            self.require_parent(res, parent_id)
            key = body.get(res.address_by)
            doc_id = self.index[res.name].addressed.get((parent_id, key))
            if doc_id is None:
                return self.create(res, body, parent_id), True
            return self.update(res, doc_id, body, parent_id), False

    def delete(self, res: Resource, doc_id: int, parent_id: int | None = None) -> None:
        with self.store.lock:
            doc = self.get(res, doc_id, parent_id)
            events: Events = []
            self._delete_rows(res, [doc], events)
        for changed, action, view in events:
            self._notify(changed, action, view)

    def _delete_rows(self, res: Resource, docs: Rows, events: Events) -> None:
        """Delete rows and, along every reference to them, cascade, null or pull (depth first)."""
        if not docs:
            return
        index = self.index[res.name]
        for doc in docs:
            index.remove(doc)
            events.append((res, "deleted", doc))
        self.store.remove_many(self.table(res.name), [d["id"] for d in docs])
        if res.versioning:
            self._drop_versions(res, [d["id"] for d in docs])
        for dep, field, ref in self.dependents.get(res.name, []):
            holders = sorted({h for d in docs for h in self.index[dep.name].referrers.get(field, {}).get(d["id"], ())}
                             if field in dep.refs else
                             {h for d in docs for h in self.index[dep.name].children.get(d["id"], ())})
            if not holders:
                continue
            rows = self.store.get_many(self.table(dep.name), holders)
            if ref.on_delete == CASCADE:
                self._delete_rows(dep, rows, events)
            else:
                gone = {d["id"] for d in docs}
                for row in rows:
                    value = [v for v in row[field] if v not in gone] if ref.on_delete == PULL else None
                    self._write(dep, row, {field: value}, events)

    # --- versions -----------------------------------------------------------------------------
    def require_version(self, version: int) -> None:
        if version not in self.versions:
            raise NotFound(f"Version {version} not found.")

    def version_row(self, res: Resource, master_id: int, version: int) -> dict | None:
        row_id = self.index[res.name].versions.get((master_id, version))
        return None if row_id is None else self.store.get(self.table(res.versions_table), row_id)

    def version_view(self, res: Resource, master: dict, version: int) -> dict:
        """The master row as version `version` shows it: translated fields from the version row (when there
        is one), every other field the master's."""
        if version == 0:
            return self.view(res, master)
        vers = _versioning(res)
        row = self.version_row(res, master["id"], version)
        merged = dict(master)
        if row is not None:
            merged.update({f: row[f] for f in vers.translated if f in row})
        merged["version_id"] = version
        if vers.own_ids:
            merged["id"] = row["id"] if row is not None else master["id"]
            merged.pop("created_at", None)
            merged.pop("updated_at", None)
        if vers.link_field:
            merged[vers.link_field] = master["id"]
        return self.view(res, merged, version)

    def get_version(self, res: Resource, doc_id: int, version: int, parent_id: int | None = None) -> dict:
        self.require_version(version)
        return self.version_view(res, self.get(res, doc_id, parent_id), version)

    def put_version(self, res: Resource, doc_id: int, version: int, body: Mapping,
                    parent_id: int | None = None) -> dict:
        """Write a version's translations, creating the version row when the version is configured but the
        row is missing. The master is never touched (version 0 is the master itself)."""
        self.require_version(version)
        if version == 0:
            return self.update(res, doc_id, body, parent_id)
        with self.store.lock:
            master = self.get(res, doc_id, parent_id)
            translated = _versioning(res).translated
            fields = self._prepare(res, body, parent_id, doc_id, only=translated)
            row = self.version_row(res, doc_id, version)
            table = self.table(res.versions_table)
            if row is None:
                row = {"id": self._next_version_id(res), "master_id": doc_id, "version_id": version,
                       **{f: fields.get(f) for f in translated}}
                self.store.insert(table, Document(row, doc_id=row["id"]))
                self.index[res.name].add_version(row)
            else:
                self.store.update(table, row["id"], fields)
            view = self.version_view(res, master, version)
        self._notify(res, "updated", view)
        return view

    def delete_version(self, res: Resource, doc_id: int, version: int, parent_id: int | None = None) -> None:
        self.require_version(version)
        if version == 0:
            raise BadRequest("Version 0 is the master: delete the resource itself.")
        with self.store.lock:
            self.get(res, doc_id, parent_id)
            row = self.version_row(res, doc_id, version)
            if row is None:
                raise NotFound(f"{title(res)} {doc_id} has no version {version}.")
            self.store.remove(self.table(res.versions_table), row["id"])
            self.index[res.name].remove_version(doc_id, version)

    def _next_version_id(self, res: Resource) -> int:
        index = self.index[res.name]
        index.highest_version = max(index.highest_version, *index.versions.values(), 0) + 1
        return index.highest_version

    def _drop_versions(self, res: Resource, master_ids: Ids) -> None:
        index = self.index[res.name]
        row_ids = []
        for master_id in master_ids:
            for version in list(index.version_rows.get(master_id, [])):
                row_ids.append(index.versions[(master_id, version)])
                index.remove_version(master_id, version)
        self.store.remove_many(self.table(res.versions_table), row_ids)

    # --- input --------------------------------------------------------------------------------
    def now(self) -> str:
        return self.clock.now_dt().isoformat(timespec="seconds")

    def _prepare(self, res: Resource, body: Mapping, parent_id: int | None, doc_id: int | None,
                 only: Iterable[str] | None = None) -> dict:
        """A request body as the fields to store: aliases and renames applied, read-only and unknown fields
        dropped, 1/0 booleans normalised, references and unique fields checked (400 when broken)."""
        body = dict(body or {})
        for alias, canonical in res.aliases.items():
            if alias in body and canonical not in body:
                body[canonical] = body[alias]
        allowed = set(only) if only is not None else set(res.defaults) - res.read_only
        fields = {k: v for k, v in body.items() if k in allowed}
        for field in res.int_booleans:
            if isinstance(fields.get(field), bool):
                fields[field] = int(fields[field])
        for field, ref in res.refs.items():
            if field in fields:
                fields[field] = self._check_ref(res, field, ref, fields[field], parent_id, doc_id)
        for field in res.unique:
            if fields.get(field) is not None:
                holder = self.index[res.name].holder_of(field, parent_id, fields[field])
                if holder is not None and holder != doc_id:
                    raise BadRequest(f"The {field} has already been taken.")
        return fields

    def _check_ref(self, res: Resource, field: str, ref: Ref, value, parent_id, doc_id):
        if ref.many:
            return [self._check_ref(res, field, Ref(ref.resource, same_parent=ref.same_parent), v, parent_id,
                                    doc_id) for v in dict.fromkeys(value or [])]
        if value is None or (ref.zero_is_null and value == 0):
            return None
        target = self.resources[ref.resource]
        doc = self.store.get(self.table(target.name), value) if isinstance(value, int) and value > 0 else None
        if doc is None or (ref.same_parent and doc.get(target.parent_field) != parent_id) or \
                (target is res and value == doc_id):
            raise BadRequest(f"The selected {field} is invalid.")
        return value


def _versioning(res: Resource) -> Versioning:
    """A versioned resource's versioning (only they have version operations)."""
    assert res.versioning is not None, f"{res.name} has no versions"
    return res.versioning


def page_slice(ids, page: int, per_page: int) -> list[int]:
    """The ids on page `page` (1-based) of `ids`; empty past the end."""
    positions = page_positions(page, per_page, len(ids))
    return list(ids[positions.start - 1:positions.stop - 1]) if positions else []


def seed_tables(resources: Mapping[str, Resource], rows: Mapping[str, list[dict]]) -> dict[str, list]:
    """Fixture rows per resource (`<name>` or `<name>__versions`) -> store tables, each row under its own id."""
    tables: dict[str, list] = {}
    for name, docs in rows.items():
        res = resources[name.split("__")[0]]
        versions = name.endswith("__versions")
        tables[TABLE_PREFIX + name] = [Document(d if versions else _with_defaults(res, d), doc_id=d["id"])
                                       for d in docs]
    return tables


def _with_defaults(res: Resource, fields: Mapping) -> dict:
    """Every declared field in declaration order, the given value or the default (fresh lists)."""
    out = {k: fields[k] for k in ("id", res.parent_field) if k and k in fields}
    for field, default in res.defaults.items():
        if field in fields:
            out[field] = fields[field]
        else:
            out[field] = list(default) if isinstance(default, list) else default
    for field, value in fields.items():
        out.setdefault(field, value)
    return out
