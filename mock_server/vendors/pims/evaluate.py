"""Running a condition_query tree over the query index: set algebra, never a row-by-row interpreter.

SQL's three-valued logic is kept: a predicate on a product without a value is neither true nor false, so
each node has a `true` set and a `false` set, NOT swaps them, AND intersects the true sets and unites the
false ones, OR the reverse. On a Collection a predicate holds when one of its values satisfies it.
Text compares case-insensitively; attributes of a numeric type compare as numbers (DECISIONS.md PIMS-D12).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from mock_server.vendors.pims.index import FieldIndex, ProductIndex, number
from mock_server.vendors.pims.query import (
    And,
    Attr,
    Between,
    Compare,
    In,
    IsNull,
    Like,
    Literal,
    Node,
    Not,
    Operand,
    Or,
    Predicate,
    QueryError,
)

FLIP = {"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}
# Both sides are of one kind (numbers, Decimals or folded texts), as the callers make them.
TESTS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq, "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge,
}


def like_matcher(pattern: str) -> Callable[[str], bool]:
    """A LIKE pattern (% any run, _ one character, backslash escapes) as a matcher of folded text.

    No regular expression with `.*` is built: the pattern is cut at each % into fixed-length segments
    matched left to right, so a hostile pattern ('%a%a%a…') costs linear time, not backtracking.
    """
    segments: list[list[str]] = [[]]
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            segments[-1].append(re.escape(pattern[i + 1].casefold()))
            i += 2
            continue
        if char == "%":
            segments.append([])
        else:
            segments[-1].append("." if char == "_" else re.escape(char.casefold()))
        i += 1
    compiled = [(re.compile("".join(parts), re.DOTALL), len(parts)) for parts in segments]
    if len(compiled) == 1:
        only, _ = compiled[0]
        return lambda text: only.fullmatch(text) is not None
    (first, first_len), middle, (last, last_len) = compiled[0], compiled[1:-1], compiled[-1]

    def match(text: str) -> bool:
        if first.match(text, 0, first_len) is None or len(text) < first_len:
            return False
        position = first_len
        for segment, _ in middle:
            found = segment.search(text, position)
            if found is None:
                return False
            position = found.end()
        tail = len(text) - last_len
        return tail >= position and last.fullmatch(text, tail) is not None

    return match


def literal_prefix(pattern: str) -> str | None:
    """The folded prefix of a pattern that is `prefix%` with no other wildcard, else None."""
    if not pattern.endswith("%") or pattern.endswith("\\%"):
        return None
    head = pattern[:-1]
    if any(c in head for c in "%_\\"):
        return None
    return head.casefold()


class Evaluator:
    """The products where a tree is true (and false), as sets of doc ids. `fields` maps each attribute name
    of the query (as the View names it) to its index, checked beforehand."""

    def __init__(self, index: ProductIndex, fields: dict[str, FieldIndex]) -> None:
        self.index = index
        self.fields = fields
        self.universe = index.all()

    def true(self, node: Node) -> set[int]:
        """Where `node` is true."""
        return self._eval(node, True)

    def false(self, node: Node) -> set[int]:
        """Where `node` is false; the products in neither set are unknown (a value is missing)."""
        return self._eval(node, False)

    def _eval(self, node: Node, wanted: bool) -> set[int]:
        # Each node is asked one side only (NOT asks its item the other side), so nothing is computed twice.
        if isinstance(node, Not):
            return self._eval(node.item, not wanted)
        if isinstance(node, And | Or):
            parts = sorted((self._eval(item, wanted) for item in node.items), key=len)
            if isinstance(node, And) == wanted:  # true of AND, false of OR: every item
                return parts[0].intersection(*parts[1:])
            return set().union(*parts)
        if isinstance(node, Compare):
            if isinstance(node.left, Literal) and isinstance(node.right, Attr):  # 5 < [[price]]: [[price]] > 5
                node = Compare(node.right, FLIP[node.op], node.left)
            if isinstance(node.left, Attr) and isinstance(node.right, Attr):
                return self._pair(node.left, node.op, node.right)[0 if wanted else 1]
        operand = node.left if isinstance(node, Compare) else node.operand
        if not isinstance(operand, Attr):
            return self._constant(node, operand)[0 if wanted else 1]
        field = self.fields[operand.name]
        if isinstance(node, IsNull):
            return self.universe - field.present() if wanted else field.present()
        true = self._matches(node, operand, field)
        return true if wanted else field.present() - true

    # --- predicates of one attribute and literals -----------------------------------------------------
    def _key(self, field: FieldIndex, attr: Attr, literal: Operand) -> float | str:
        """The literal as the field compares it: a number for a numeric attribute, else folded text."""
        if not isinstance(literal, Literal):
            raise QueryError("syntax", position=attr.position + 1,
                             reason="BETWEEN compares an attribute with values, not with another attribute")
        if field.numeric:
            value = number(literal.value)
            if value is None:
                raise QueryError("not_a_number", attribute=attr.name, value=repr(literal.value)[:100])
            return value
        return literal.value.casefold()

    def _matches(self, node: Compare | Like | In | Between, attr: Attr, field: FieldIndex) -> set[int]:
        if isinstance(node, Like):
            pattern = node.pattern.value
            prefix = literal_prefix(pattern)
            if prefix is not None:
                return field.prefixed(prefix)
            match = like_matcher(pattern)
            return set().union(*(ids for text, ids in field.folded().items() if match(text)))
        if isinstance(node, In):
            return set().union(*(self._compare(field, "=", self._key(field, attr, v)) for v in node.values))
        if isinstance(node, Between):
            low, high = self._key(field, attr, node.low), self._key(field, attr, node.high)
            return _ranged(field)(low, high)
        return self._compare(field, node.op, self._key(field, attr, node.right))

    @staticmethod
    def _compare(field: FieldIndex, op: str, key: float | str) -> set[int]:
        if isinstance(key, str) and op == "=":  # a text attribute's value
            return set(field.folded().get(key, ()))
        ranged = _ranged(field)
        return {
            "=": lambda: ranged(key, key),
            "<": lambda: ranged(None, key, high_open=True),
            "<=": lambda: ranged(None, key),
            ">": lambda: ranged(key, None, low_open=True),
            ">=": lambda: ranged(key, None),
        }[op]()

    # --- the rarer shapes -----------------------------------------------------------------------------
    def _constant(self, node: Predicate, operand: Literal) -> tuple[set[int], set[int]]:
        """A condition whose operand is a literal ('a' = 'a'): true or false for every product."""
        def key(literal: Literal, numeric: bool) -> Decimal | str:
            # Two literals compare exactly: floats would make 10**309 and 10**310 both inf, and so equal.
            return Decimal(literal.value) if numeric else literal.value.casefold()

        if isinstance(node, Compare):
            other = node.right
            if not isinstance(other, Literal):  # never: _eval turned '5 < [[price]]' round
                raise QueryError("syntax", position=other.position + 1, reason="an attribute on the right")
            numeric = operand.is_number and other.is_number
            holds = TESTS[node.op](key(operand, numeric), key(other, numeric))
        elif isinstance(node, Like):
            holds = like_matcher(node.pattern.value)(operand.value.casefold())
        elif isinstance(node, In):
            holds = any(operand.value.casefold() == v.value.casefold() for v in node.values)
        elif isinstance(node, IsNull):
            holds = False
        else:
            raise QueryError("syntax", position=operand.position + 1,
                             reason="BETWEEN needs an attribute on its left")
        return (set(self.universe), set()) if holds else (set(), set(self.universe))

    def _pair(self, left_attr: Attr, op: str, right_attr: Attr) -> tuple[set[int], set[int]]:
        """[[a]] op [[b]]: compared product by product, as numbers when both are numeric."""
        left, right = self.fields[left_attr.name], self.fields[right_attr.name]
        numeric = left.numeric and right.numeric
        test = TESTS[op]
        true: set[int] = set()
        false: set[int] = set()
        for doc_id, values in left.of.items():
            others = right.of.get(doc_id)
            if not others:
                continue
            pairs: list[tuple[float, float]] | list[tuple[str, str]]
            if numeric:
                pairs = [(x, y) for a in values for b in others
                         if (x := number(a)) is not None and (y := number(b)) is not None]
            else:
                pairs = [(a.casefold(), b.casefold()) for a in values for b in others]
            (true if any(test(a, b) for a, b in pairs) else false).add(doc_id)
        return true, false


def _ranged(field: FieldIndex) -> Callable[..., set[int]]:
    """The field's range lookup: by number for a numeric attribute, else by folded text (keys as `_key` makes
    them for that field)."""
    return field.number_range if field.numeric else field.text_range
