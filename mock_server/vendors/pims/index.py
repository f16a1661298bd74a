"""The query index of PIMS products: what getList filters, searches and orders on, by store doc id.

TinyDB looks documents up by id only and a query scans the table (docs/STACK-NOTES.md), so getList never reads
the products table: it works on these maps, kept in step with the store by every write, and fetches only
the documents of the page it returns. Derived views (sorted arrays, orderings) are built on first use and
dropped when what they depend on changes.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Mapping
from itertools import islice
from typing import Any, TypeVar, cast

from mock_server.vendors.pims import rules
from mock_server.vendors.pims.model import Model

T = TypeVar("T")
K = TypeVar("K", str, float)  # what a field's sorted values are: folded texts or numbers
# One attribute's place in an ordering; every key function of one position gives tuples of one shape.
OrderKey = tuple[Any, ...]


def values_of(value: object) -> tuple[str, ...]:
    """A stored value as the tuple of texts the index keeps; no value (None, "", []) is the empty tuple."""
    if value is None or value == "":
        return ()
    if isinstance(value, list):
        return tuple(str(v) for v in value if v is not None and v != "")
    return (str(value),)


# A number written in digits; `float()` also reads words ("inf", "nan", "infinity"), which are not numbers here.
DIGITS = re.compile(r"\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*")


def number(text: str) -> float | None:
    """A numeric value as a float to order by. Digits too large for a float become ±inf, which still order
    right against every finite value (a literal of 10**400 is above every price); words and NaN are None."""
    if not DIGITS.fullmatch(text):
        return None
    try:
        return float(text)
    except ValueError:  # pragma: no cover - DIGITS only lets through what float() reads
        return None


class FieldIndex:
    """One attribute: each product's values, value → products, and sorted arrays for ranges."""

    def __init__(self, numeric: bool) -> None:
        self.numeric = numeric
        self.of: dict[int, tuple[str, ...]] = {}
        self.by_value: dict[str, set[int]] = {}
        self._derived: dict[str, object] = {}

    def put(self, doc_id: int, values: tuple[str, ...]) -> bool:
        old = self.of.get(doc_id, ())
        if old == values:
            return False
        for value in old:
            holders = self.by_value[value]
            holders.discard(doc_id)
            if not holders:
                del self.by_value[value]
        if values:
            self.of[doc_id] = values
            for value in values:
                self.by_value.setdefault(value, set()).add(doc_id)
        else:
            self.of.pop(doc_id, None)
        self._derived.clear()
        return True

    def _cached(self, name: str, build: Callable[[], T]) -> T:
        found = self._derived.get(name)
        if found is None:
            found = self._derived[name] = build()
        return cast(T, found)  # each name is built by one builder only: its value has that builder's type

    def present(self) -> set[int]:
        """Products with a value (the others are NULL for condition_query)."""
        return self._cached("present", lambda: set(self.of))

    def folded(self) -> dict[str, set[int]]:
        """Case-folded text → products: text comparisons are case-insensitive (PIMS-D12)."""

        def build() -> dict[str, set[int]]:
            out: dict[str, set[int]] = {}
            for value, ids in self.by_value.items():
                out.setdefault(value.casefold(), set()).update(ids)
            return out

        return self._cached("folded", build)

    def sorted_texts(self) -> tuple[list[str], list[int]]:
        """(folded value, id) pairs in text order: ranges and prefixes by bisection."""

        def build() -> tuple[list[str], list[int]]:
            pairs = sorted((value, doc_id) for value, ids in self.folded().items() for doc_id in ids)
            return [p[0] for p in pairs], [p[1] for p in pairs]

        return self._cached("texts", build)

    def sorted_numbers(self) -> tuple[list[float], list[int]]:
        def build() -> tuple[list[float], list[int]]:
            pairs: list[tuple[float, int]] = []
            for value, ids in self.by_value.items():
                n = number(value)
                if n is not None:
                    pairs.extend((n, doc_id) for doc_id in ids)
            pairs.sort()
            return [p[0] for p in pairs], [p[1] for p in pairs]

        return self._cached("numbers", build)

    def text_range(self, low: str | None, high: str | None, low_open: bool = False, high_open: bool = False
                   ) -> set[int]:
        keys, ids = self.sorted_texts()
        return _slice(keys, ids, low, high, low_open, high_open)

    def number_range(self, low: float | None, high: float | None, low_open: bool = False, high_open: bool = False
                     ) -> set[int]:
        keys, ids = self.sorted_numbers()
        return _slice(keys, ids, low, high, low_open, high_open)

    def prefixed(self, prefix: str) -> set[int]:
        """Products with a (folded) value starting with `prefix` (already folded)."""
        keys, ids = self.sorted_texts()
        start = bisect_left(keys, prefix)
        end = bisect_left(keys, prefix + "\U0010ffff", lo=start)
        return set(ids[start:end])

    def sort_key(self, doc_id: int) -> OrderKey:
        """Ordering of a non-collection attribute: missing values first (as SQL's NULLs ascending)."""
        values = self.of.get(doc_id)
        if not values:
            return (0, 0, "")
        if self.numeric:
            n = number(values[0])
            return (1, n, "") if n is not None else (2, 0, values[0].casefold())
        return (1, 0, values[0].casefold())


def _slice(keys: list[K], ids: list[int], low: K | None, high: K | None, low_open: bool, high_open: bool
           ) -> set[int]:
    start = 0 if low is None else (bisect_right(keys, low) if low_open else bisect_left(keys, low))
    end = len(keys) if high is None else (bisect_left(keys, high) if high_open else bisect_right(keys, high))
    return set(ids[start:end]) if start < end else set()


class ProductIndex:
    """Every product's indexed attributes, its status and family, and the orderings getList asks for."""

    MAX_ORDERINGS = 16

    def __init__(self, model: Model) -> None:
        self.model = model
        self.fields: dict[str, FieldIndex] = {
            name: FieldIndex(attr.numeric) for name, attr in model.attributes.items() if attr.indexed
        }
        self.sku_of: dict[int, str] = {}
        self.parent_of: dict[int, str | None] = {}
        self.deleted: set[int] = set()
        self.variants: set[int] = set()
        self._orderings: dict[tuple, list[int]] = {}
        self._ranks: dict[tuple, dict[int, int]] = {}
        self._bases: dict[tuple[bool, bool], set[int]] = {}
        self._all: set[int] | None = None

    def load(self, docs: Iterable[tuple[int, Mapping]]) -> None:
        for doc_id, doc in docs:
            self.put(doc_id, doc)

    def put(self, doc_id: int, doc: Mapping) -> None:
        """Index (or re-index) one product after it was written to the store.

        Cached orderings and base sets are kept, the product moved within them: re-sorting 50,000 products
        after every write would cost the next getList ≈ 200 ms."""
        new = doc_id not in self.sku_of
        if not new:
            for order in self._orderings.values():
                order.remove(doc_id)  # by identity, before its keys change
        for name, field in self.fields.items():
            field.put(doc_id, values_of(doc.get(name)))
        self.sku_of[doc_id] = doc[rules.SKU]
        self.parent_of[doc_id] = doc.get(rules.VARIATION_OF) or None
        (self.deleted.add if doc.get(rules.STATUS) == rules.DELETED else self.deleted.discard)(doc_id)
        (self.variants.add if self.parent_of[doc_id] else self.variants.discard)(doc_id)
        for spec, order in self._orderings.items():
            insort(order, doc_id, key=self._position_key(spec))
        self._ranks.clear()
        self._bases = {key: self._with(members, doc_id, *key) for key, members in self._bases.items()}
        if new:
            self._all = None

    def _with(self, members: set[int], doc_id: int, include_deleted: bool, include_variants: bool) -> set[int]:
        """A copy of a base set with `doc_id` in or out as it now qualifies (callers may hold the old one)."""
        keep = (include_deleted or doc_id not in self.deleted) and (include_variants or doc_id not in self.variants)
        members = set(members)
        (members.add if keep else members.discard)(doc_id)
        return members

    def _position_key(self, spec: tuple[tuple[str, bool], ...]) -> Callable[[int], Any]:
        """A key that orders products as `ordering(spec)` sorted them: each (attribute, descending) in turn,
        ties by the default order."""
        keys: list[tuple[Callable[[int], OrderKey], bool]] = [
            (self.family_key if name == rules.SKU else self.fields[name].sort_key, descending)
            for name, descending in spec]
        family = self.family_key

        class Position:
            __slots__ = ("doc_id",)

            def __init__(self, doc_id: int) -> None:
                self.doc_id = doc_id

            def __lt__(self, other: Position) -> bool:
                for key, descending in keys:
                    mine, theirs = key(self.doc_id), key(other.doc_id)
                    if mine != theirs:
                        return mine > theirs if descending else mine < theirs
                return family(self.doc_id) < family(other.doc_id)

        return Position

    # --- sets -----------------------------------------------------------------------------------------
    def all(self) -> set[int]:
        if self._all is None:
            self._all = set(self.sku_of)
        return self._all

    def base(self, include_deleted: bool, include_variants: bool) -> set[int]:
        """Products getList starts from (PI-20, PI-21). Shared: callers must not change it."""
        key = (include_deleted, include_variants)
        found = self._bases.get(key)
        if found is None:
            found = self.all()
            if not include_deleted:
                found = found - self.deleted
            if not include_variants:
                found = found - self.variants
            self._bases[key] = found
        return found

    # --- order ----------------------------------------------------------------------------------------
    def family_key(self, doc_id: int) -> OrderKey:
        """Default order, "SKU ASC", a variation sorting by its parent's SKU, right after it (PI-15)."""
        sku = self.sku_of[doc_id]
        parent = self.parent_of[doc_id]
        return ((parent or sku).casefold(), parent is not None, sku.casefold(), sku)

    def ordering(self, spec: tuple[tuple[str, bool], ...]) -> list[int]:
        """Every product in the order `spec` ((attribute, descending), ...) gives, ties broken by the default
        order. Built once per change of the catalog."""
        found = self._orderings.get(spec)
        if found is None:
            found = sorted(self.sku_of, key=self.family_key)
            for name, descending in reversed(spec):
                key = self.family_key if name == rules.SKU else self.fields[name].sort_key
                found.sort(key=key, reverse=descending)
            if len(self._orderings) >= self.MAX_ORDERINGS:
                self._orderings.clear()
                self._ranks.clear()
            self._orderings[spec] = found
        return found

    def page(self, chosen: set[int], spec: tuple[tuple[str, bool], ...], start: int, stop: int) -> list[int]:
        """Items start..stop of `chosen` in the order `spec`."""
        if start >= len(chosen):
            return []
        order = self.ordering(spec)
        if len(chosen) * 8 < len(order):
            rank = self._ranks.get(spec)
            if rank is None:
                rank = self._ranks[spec] = {doc_id: i for i, doc_id in enumerate(order)}
            return sorted(chosen, key=rank.__getitem__)[start:stop]
        return list(islice((doc_id for doc_id in order if doc_id in chosen), start, stop))
