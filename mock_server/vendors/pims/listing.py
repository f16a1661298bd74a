"""getList (PI-12..PI-25): its `params` checked against the View, then run over the query index.

The schema has checked the JSON types and ranges; what is left here needs the attribute model: attribute
names (as the View names them), Filterable / Indexable / Collection, range syntax, the category tree and
condition_query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mock_server.errors import BadRequest, NotFound
from mock_server.specs import Messages
from mock_server.vendors.pims import rules
from mock_server.vendors.pims.evaluate import Evaluator
from mock_server.vendors.pims.index import FieldIndex, ProductIndex, number
from mock_server.vendors.pims.model import Attribute, Model, View
from mock_server.vendors.pims.query import Node, QueryError, attributes, parse

RANGE_SEPARATOR = ";;"
VALUE_SEPARATOR = "|"
RANGE_BOUND = re.compile(r"[0-9.]+")  # "the values in the range must consist only of digits and periods"


@dataclass(frozen=True)
class Filter:
    """filter_values for one attribute: any of `values` (folded text or numbers), or within any `ranges`."""

    field: FieldIndex
    values: tuple[float | str, ...] = ()  # numbers for a numeric attribute, else folded texts
    ranges: tuple[tuple[float, float], ...] = ()


@dataclass
class ListQuery:
    limit: int = rules.DEFAULT_LIMIT
    page: int = rules.DEFAULT_PAGE
    cat_id: int = rules.DEFAULT_CAT_ID
    subcategories: bool = False
    include_deleted: bool = False
    include_variants: bool = False
    search: tuple[str, ...] = ()
    search_fields: tuple[FieldIndex, ...] = ()
    filters: list[Filter] = field(default_factory=list)
    order: tuple[tuple[str, bool], ...] = ()
    condition: Node | None = None
    condition_fields: dict[str, FieldIndex] = field(default_factory=dict)


def pagination(params: dict | None) -> tuple[int, int]:
    given = (params or {}).get("pagination") or {}
    return given.get("limit", rules.DEFAULT_LIMIT), given.get("page", rules.DEFAULT_PAGE)


class Parser:
    def __init__(self, model: Model, index: ProductIndex, view: View, messages: Messages) -> None:
        self.model, self.index, self.view, self.messages = model, index, view, messages

    def attribute(self, name: str, group: str = "list") -> Attribute:
        internal = self.view.to_internal.get(name)
        if internal is None:
            raise BadRequest(self.messages(group, "unknown_attribute", attribute=name[:200]), code="unknown_attribute")
        return self.model.attributes[internal]

    def filterable(self, name: str, group: str = "list") -> FieldIndex:
        attr = self.attribute(name, group)
        if not attr.filterable:
            raise BadRequest(self.messages(group, "not_filterable", attribute=name), code="not_filterable")
        return self.index.fields[attr.name]

    def parse(self, params: dict | None) -> ListQuery:
        params = params or {}
        query = ListQuery()
        query.limit, query.page = pagination(params)
        query.cat_id = params.get("cat_id", rules.DEFAULT_CAT_ID)
        if query.cat_id and query.cat_id not in self.model.categories.paths:
            raise NotFound(self.messages("list", "unknown_category", cat_id=query.cat_id), code="unknown_category")
        query.subcategories = rules.flag(params.get("subcategories"))
        query.include_deleted = rules.flag(params.get("include_deleted"))
        query.include_variants = rules.flag(params.get("include_variants"))
        query.search = tuple(word.casefold() for word in (params.get("search") or "").split())
        query.search_fields = tuple(self.index.fields[internal] for internal in self.view.to_external
                                    if self.model.attributes[internal].searchable)
        query.filters = [f for name, value in (params.get("filter_values") or {}).items()
                         if (f := self.filter(name, value)) is not None]
        query.order = tuple(self.order_item(item) for item in params.get("order") or ())
        text = params.get("condition_query")
        if text is not None and text.strip():
            query.condition, query.condition_fields = self.condition(text)
        return query

    def filter(self, name: str, value: str | float) -> Filter | None:
        """PI-22, PI-23: 'a|b' is a or b; 'min;;max' a range of numbers; an empty value filters nothing."""
        field = self.filterable(name)
        is_category = self.attribute(name).type == "category"
        text = value if isinstance(value, str) else str(value)
        values: list[float | str] = []
        ranges: list[tuple[float, float]] = []
        for part in (p.strip() for p in text.split(VALUE_SEPARATOR)):
            if not part:
                continue
            if RANGE_SEPARATOR in part:
                bounds = part.split(RANGE_SEPARATOR)
                numbers = [n for b in bounds if RANGE_BOUND.fullmatch(b.strip()) and (n := number(b)) is not None]
                if len(bounds) != 2 or len(numbers) != 2:
                    raise BadRequest(self.messages("list", "bad_range", value=part[:100], attribute=name),
                                     code="bad_range")
                if not field.numeric:
                    raise BadRequest(self.messages("list", "range_not_numeric", attribute=name), code="bad_range")
                ranges.append((min(numbers), max(numbers)))
            elif field.numeric:
                n = number(part)
                if n is None:
                    raise BadRequest(self.messages("query", "not_a_number", attribute=name, value=repr(part)[:100]),
                                     code="not_a_number")
                values.append(n)
            elif is_category:  # a category by path or by id, as writes take it
                values.append((self.model.categories.resolve(part) or part).casefold())
            else:
                values.append(part.casefold())
        if not values and not ranges:
            return None
        return Filter(field, tuple(values), tuple(ranges))

    def order_item(self, item: dict) -> tuple[str, bool]:
        """PI-16: a non-Collection, Filterable or Indexable attribute; ASC or DESC."""
        name = item["attribute"]
        attr = self.attribute(name)
        if attr.collection:
            raise BadRequest(self.messages("list", "order_collection", attribute=name), code="bad_order")
        if not attr.orderable:
            raise BadRequest(self.messages("list", "order_not_indexable", attribute=name), code="bad_order")
        direction = str(item.get("direction", "ASC")).upper()
        if direction not in ("ASC", "DESC"):
            raise BadRequest(self.messages("list", "order_direction"), code="bad_order")
        return attr.name, direction == "DESC"

    def condition(self, text: str) -> tuple[Node, dict[str, FieldIndex]]:
        try:
            tree = parse(text)
            fields = {}
            for attr in attributes(tree):
                if attr.name not in fields:
                    fields[attr.name] = self.filterable(attr.name, group="query")
        except QueryError as exc:
            raise BadRequest(self.messages("query", exc.key, **exc.params), code="invalid_condition_query") from exc
        return tree, fields


def select(model: Model, index: ProductIndex, query: ListQuery, messages: Messages) -> set[int]:
    """The doc ids getList returns, in no order."""
    chosen = index.base(query.include_deleted, query.include_variants)
    narrowing: list[set[int]] = []
    if query.cat_id:
        ids = model.categories.subtree(query.cat_id) if query.subcategories else [query.cat_id]
        holders = index.fields[rules.CATEGORIES].by_value
        narrowing.append(set().union(*(holders.get(model.categories.paths[i], ()) for i in ids)))
    for f in query.filters:
        narrowing.append(_filtered(f))
    if query.condition is not None:
        try:
            narrowing.append(Evaluator(index, query.condition_fields).true(query.condition))
        except QueryError as exc:
            raise BadRequest(messages("query", exc.key, **exc.params), code="invalid_condition_query") from exc
    for members in sorted(narrowing, key=len):
        chosen = chosen & members
    if query.search:
        chosen = _searched(chosen, query.search, query.search_fields)
    return chosen


def _filtered(f: Filter) -> set[int]:
    found: set[int] = set()
    field = f.field
    for value in f.values:
        # a numeric attribute's values are numbers (Query.filter), any other's folded texts
        found |= field.number_range(value, value) if isinstance(value, float) else field.folded().get(value, set())
    for low, high in f.ranges:
        found |= field.number_range(low, high)
    return found


def _searched(chosen: set[int], words: tuple[str, ...], fields: tuple[FieldIndex, ...]) -> set[int]:
    """PI-19: the products with every word (folded) inside a value of some Searchable attribute of the View.
    A few products are checked one by one; many, through each attribute's distinct values."""
    if len(chosen) < 2000:
        def text(doc_id: int) -> list[str]:
            return [v.casefold() for f in fields for v in f.of.get(doc_id, ())]

        return {doc_id for doc_id in chosen if all(any(w in t for t in text(doc_id)) for w in words)}
    for word in words:
        chosen = chosen & set().union(*(ids for f in fields for t, ids in f.folded().items() if word in t))
    return chosen
