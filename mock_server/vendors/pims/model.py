"""The attribute model from the fixtures: attribute definitions, the category tree, Views and API keys.

Read once per app; immutable afterwards (the seed documents no API that changes them).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from mock_server.vendors.pims import rules


@dataclass(frozen=True)
class Attribute:
    name: str
    type: str
    collection: bool
    unique: bool
    searchable: bool
    indexable: bool
    filterable: bool
    validation: re.Pattern | None
    dictionary: tuple[str, ...] | None
    definition: dict

    @property
    def numeric(self) -> bool:
        return self.type in rules.NUMERIC_TYPES

    @property
    def indexed(self) -> bool:
        """Whether getList may filter, search, order or check uniqueness on it (kept in the query index)."""
        return (self.filterable or self.indexable or self.searchable or self.unique
                or self.name in rules.ALWAYS_INDEXED)

    @property
    def orderable(self) -> bool:
        """PI-16: not a Collection, and Filterable or Indexable."""
        return not self.collection and (self.filterable or self.indexable)

    @classmethod
    def from_definition(cls, name: str, definition: dict) -> Attribute:
        def on(key: str) -> bool:
            return str(definition.get(key, "0")) == rules.DEFINITION_TRUE

        dictionary = definition.get("dictionary")
        pattern = definition.get("validation") or ""
        return cls(
            name=name,
            type=definition["type"],
            collection=on("collection"),
            unique=on("isUnique"),
            searchable=on("isSearchable"),
            indexable=on("isIndexable"),
            filterable=on("isFilterable"),
            validation=re.compile(pattern) if pattern else None,
            dictionary=tuple(dictionary["data"]) if dictionary else None,
            definition=definition,
        )


@dataclass(frozen=True)
class View:
    """Which attributes a client sees and under which names (PI-42, PI-43). `name` None: every attribute."""

    name: str | None
    to_external: dict[str, str]  # internal -> external, in output order
    to_internal: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.to_internal.update({ext: internal for internal, ext in self.to_external.items()})


@dataclass(frozen=True)
class ApiKey:
    key: str
    name: str
    permissions: frozenset[str]
    views: tuple[str, ...]
    default_view: str | None

    @property
    def actions(self) -> frozenset[str]:
        allowed: frozenset[str] = frozenset()
        for permission in self.permissions:
            allowed |= rules.PERMISSIONS.get(permission, frozenset())
        return allowed

    @property
    def user(self) -> str:
        return rules.mask_key(self.key)


class Categories:
    """The category tree: ids, `Parent > Child` paths (PI-41), and the subtrees cat_id selects (PI-18)."""

    SEPARATOR = " > "

    def __init__(self, rows: list[dict]) -> None:
        by_id = {int(row["id"]): row for row in rows}
        self.children: dict[int, list[int]] = {cat_id: [] for cat_id in by_id}
        self.paths: dict[int, str] = {}
        for cat_id, row in by_id.items():
            parent = row.get("parent_id")
            if parent is not None:
                self.children[int(parent)].append(cat_id)
            names, seen, node = [], set(), row  # type: list[str], set[int], dict | None
            while node is not None:  # a cycle in the fixtures would loop forever: stop at a repeat
                if node["id"] in seen:
                    raise ValueError(f"category {cat_id} is its own ancestor")
                seen.add(node["id"])
                names.append(node["name"].strip())
                node = by_id.get(node["parent_id"]) if node.get("parent_id") is not None else None
            self.paths[cat_id] = self.SEPARATOR.join(reversed(names))
        self._by_path = {path.casefold(): path for path in self.paths.values()}

    def resolve(self, value: object) -> str | None:
        """The canonical path of a category given by id or by path (any case, any blanks around '>')."""
        if isinstance(value, int) and not isinstance(value, bool):
            return self.paths.get(value)
        if isinstance(value, str):
            if value.strip().isdigit():
                return self.paths.get(int(value.strip()))
            wanted = self.SEPARATOR.join(part.strip() for part in value.split(">")).casefold()
            return self._by_path.get(wanted)
        return None

    def subtree(self, cat_id: int) -> list[int]:
        found, stack = [], [cat_id]
        while stack:
            node = stack.pop()
            found.append(node)
            stack.extend(self.children.get(node, ()))
        return found


class Model:
    def __init__(self, fixtures: dict) -> None:
        self.attributes: dict[str, Attribute] = {
            name: Attribute.from_definition(name, definition) for name, definition in fixtures["attributes"].items()
        }
        for required in rules.ALWAYS_INDEXED + (rules.VARIATION_SKUS, rules.VARIATION_ATTRIBUTES):
            if required not in self.attributes:
                raise ValueError(f"the PIMS fixtures must define the attribute {required!r}")
        self.categories = Categories(fixtures.get("categories", []))
        self.full_view = View(None, {name: name for name in self.attributes})
        self.views: dict[str, View] = {}
        for name, view in fixtures.get("views", {}).items():
            unknown = set(view["attributes"]) - set(self.attributes)
            if unknown or rules.SKU not in view["attributes"]:
                raise ValueError(f"View {name!r} must show sku and only known attributes (unknown: {unknown})")
            self.views[name] = View(name, dict(view["attributes"]))
        self.keys: dict[str, ApiKey] = {}
        for row in fixtures["credentials"]["api_keys"]:
            views = tuple(row.get("views") or ())
            default = row.get("default_view")
            if any(v not in self.views for v in (*views, *([default] if default else []))):
                raise ValueError(f"API key {row['key']!r} names an unknown View")
            self.keys[row["key"]] = ApiKey(row["key"], row.get("name", ""), frozenset(row.get("permissions", ())),
                                           views, default)
        self._definitions: dict[tuple[str | None, str], dict] = {}

    def definition(self, view: View, locale: str) -> dict:
        """The `definition` section for a View, labels and comments in `locale` (en-us where it has none)."""
        cache_key = (view.name, locale)
        cached = self._definitions.get(cache_key)
        if cached is None:
            if len(self._definitions) >= 256:  # any ll-cc is a locale: keep the cache bounded
                self._definitions.clear()
            cached = {}
            for internal, external in view.to_external.items():
                entry = copy.deepcopy(self.attributes[internal].definition)
                for text in ("label", "comment"):
                    texts = entry.get(text) or {}
                    entry[text] = {locale: texts.get(locale, texts.get("en-us", ""))}
                cached[external] = entry
            self._definitions[cache_key] = cached
        return cached
