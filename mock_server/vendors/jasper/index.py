"""What Jasper's engine looks rows up by, kept beside the store (TinyDB only finds a row by its id fast).

Per resource: every id in order, the ids under each parent, the rows referencing each id (for deletes),
unique values, rows addressed by a field within their parent, and version rows by (master, version). Ids
only ever grow, so appending keeps each list sorted; a list page is a slice, never a scan or a sort.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Mapping

from mock_server.vendors.jasper.model import Resource


def _discard(ids: list[int], doc_id: int) -> None:
    at = bisect_left(ids, doc_id)
    if at < len(ids) and ids[at] == doc_id:
        del ids[at]


def _add(ids: list[int], doc_id: int) -> None:
    if not ids or ids[-1] < doc_id:
        ids.append(doc_id)
    else:
        insort(ids, doc_id)


class ResourceIndex:
    def __init__(self, resource: Resource) -> None:
        self.resource = resource
        self.ids: list[int] = []
        self.children: dict[object, list[int]] = {}
        self.referrers: dict[str, dict[object, set[int]]] = {f: {} for f in resource.refs}
        self.unique: dict[str, dict[tuple, int]] = {f: {} for f in resource.unique}
        self.addressed: dict[tuple, int] = {}
        self.versions: dict[tuple[int, int], int] = {}  # (master id, version id) -> version row id
        self.version_rows: dict[int, list[int]] = {}  # master id -> version ids present
        self.highest = 0  # ids are never reused, even after the highest row is deleted
        self.highest_version = 0  # the same for version rows

    def next_id(self) -> int:
        return self.highest + 1

    def scope(self, doc: Mapping) -> object:
        field = self.resource.parent_field
        return doc.get(field) if field else None

    def add(self, doc: Mapping) -> None:
        doc_id = doc["id"]
        self.highest = max(self.highest, doc_id)
        _add(self.ids, doc_id)
        if self.resource.parent_field:
            _add(self.children.setdefault(self.scope(doc), []), doc_id)
        self._add_links(doc)

    def _add_links(self, doc: Mapping) -> None:
        doc_id = doc["id"]
        for field, holders in self.referrers.items():
            for value in _ref_values(doc.get(field)):
                holders.setdefault(value, set()).add(doc_id)
        for field, values in self.unique.items():
            if doc.get(field) is not None:
                values[(self.scope(doc), doc[field])] = doc_id
        if self.resource.address_by and doc.get(self.resource.address_by) is not None:
            self.addressed[(self.scope(doc), doc[self.resource.address_by])] = doc_id

    def _remove_links(self, doc: Mapping) -> None:
        doc_id = doc["id"]
        for field, holders in self.referrers.items():
            for value in _ref_values(doc.get(field)):
                found = holders.get(value)
                if found is not None:
                    found.discard(doc_id)
                    if not found:
                        del holders[value]
        for field, values in self.unique.items():
            key = (self.scope(doc), doc.get(field))
            if values.get(key) == doc_id:
                del values[key]
        if self.resource.address_by:
            key = (self.scope(doc), doc.get(self.resource.address_by))
            if self.addressed.get(key) == doc_id:
                del self.addressed[key]

    def change(self, old: Mapping, new: Mapping) -> None:
        self._remove_links(old)
        self._add_links(new)

    def remove(self, doc: Mapping) -> None:
        doc_id = doc["id"]
        _discard(self.ids, doc_id)
        if self.resource.parent_field:
            siblings = self.children.get(self.scope(doc))
            if siblings is not None:
                _discard(siblings, doc_id)
        self._remove_links(doc)

    def under(self, parent_id: object) -> list[int]:
        return self.children.get(parent_id, []) if self.resource.parent_field else self.ids

    def holder_of(self, field: str, parent_id: object, value: object) -> int | None:
        return self.unique[field].get((parent_id, value))

    # --- versions -----------------------------------------------------------------------------
    def add_version(self, row: Mapping) -> None:
        self.versions[(row["master_id"], row["version_id"])] = row["id"]
        self.version_rows.setdefault(row["master_id"], []).append(row["version_id"])

    def remove_version(self, master_id: int, version_id: int) -> None:
        self.versions.pop((master_id, version_id), None)
        present = self.version_rows.get(master_id, [])
        if version_id in present:
            present.remove(version_id)


def _ref_values(value: object) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]
