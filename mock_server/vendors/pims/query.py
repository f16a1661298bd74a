"""condition_query: a tokenizer and a recursive-descent parser for PIMS's SQL-like filter language (PI-24).

    query      := or_expr EOF
    or_expr    := and_expr ( OR and_expr )*
    and_expr   := not_expr ( AND not_expr )*
    not_expr   := NOT not_expr | primary
    primary    := '(' or_expr ')' | predicate
    predicate  := operand ( cmp operand
                          | [NOT] LIKE operand
                          | [NOT] IN '(' literal ( ',' literal )* ')'
                          | [NOT] BETWEEN operand AND operand
                          | IS [NOT] NULL )
    operand    := '[[' attribute ']]' | 'string' | "string" | number
    cmp        := '=' | '==' | '!=' | '<>' | '<' | '<=' | '>' | '>='

Keywords are case-insensitive. Strings escape their quote by doubling it or with a backslash. Nothing is
ever evaluated as code: the parser builds the tree of `Node`s below, which `evaluate` runs over the index.
Depth (parentheses and NOTs), length and the number of conditions are bounded, so a hostile query gets a
clear error instead of exhausting the stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_LENGTH = 65536
MAX_DEPTH = 64
MAX_TERMS = 256


class QueryError(ValueError):
    """A query the parser refuses: `key` names the message (x-messages `query`), `params` fill it in."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def syntax(position: int, reason: str) -> QueryError:
    return QueryError("syntax", position=position + 1, reason=reason)


# --- the tree ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Attr:
    name: str
    position: int


@dataclass(frozen=True)
class Literal:
    value: str  # the text of a string or number (NULL is no value: only IS [NOT] NULL takes it)
    is_number: bool
    position: int


Operand = Attr | Literal


@dataclass(frozen=True)
class Compare:
    left: Operand
    op: str  # = < <= > >=  ("!=" and "<>" are Not(Compare "="))
    right: Operand


@dataclass(frozen=True)
class Like:
    operand: Operand
    pattern: Literal


@dataclass(frozen=True)
class In:
    operand: Operand
    values: tuple[Literal, ...]


@dataclass(frozen=True)
class Between:
    operand: Operand
    low: Operand
    high: Operand


@dataclass(frozen=True)
class IsNull:
    operand: Operand


@dataclass(frozen=True)
class Not:
    item: Node


@dataclass(frozen=True)
class And:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    items: tuple[Node, ...]


Predicate = Compare | Like | In | Between | IsNull  # a condition on one operand (or a pair)
Node = Predicate | Not | And | Or


# --- tokens -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    kind: str  # attr string number op ( ) , keyword end
    text: str
    position: int


KEYWORDS = frozenset({"AND", "OR", "NOT", "LIKE", "IN", "IS", "NULL", "BETWEEN"})
_SCAN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<attr>\[\[(?P<name>[^\[\]]*)\]\])"
    r"|(?P<number>-?(?:\d+(?:\.\d*)?|\.\d+))"
    r"|(?P<op><=|>=|<>|!=|==|=|<|>)"
    r"|(?P<punct>[(),])"
    r"|(?P<word>[A-Za-z_][A-Za-z_0-9]*)"
)


def _string(text: str, start: int) -> tuple[str, int]:
    """The string literal opening at `start` and the index after it; '' / "" and backslash escapes."""
    quote, out, i = text[start], [], start + 1
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
        elif char == quote and text[i + 1: i + 2] == quote:
            out.append(quote)
            i += 2
        elif char == quote:
            return "".join(out), i + 1
        else:
            out.append(char)
            i += 1
    raise syntax(start, f"the string opened with {quote} is not closed")


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        if text[i] in "'\"":
            value, end = _string(text, i)
            tokens.append(Token("string", value, i))
            i = end
            continue
        match = _SCAN.match(text, i)
        if match is None:
            if text.startswith("[[", i):
                raise syntax(i, "an attribute opened with [[ is not closed with ]]")
            raise syntax(i, f"unexpected character {text[i]!r}")
        kind = match.lastgroup or ""  # every alternative of the pattern is a named group
        if kind == "name":  # the inner group of attr
            kind = "attr"
        if kind == "attr":
            name = match.group("name").strip()
            if not name:
                raise syntax(i, "an attribute name is empty: write [[name]]")
            tokens.append(Token("attr", name, i))
        elif kind == "word":
            word = match.group().upper()
            if word not in KEYWORDS:
                raise syntax(i, f"unexpected word {match.group()!r}: attributes are written [[name]], "
                                "strings 'in quotes'")
            tokens.append(Token("keyword", word, i))
        elif kind == "punct":
            tokens.append(Token(match.group(), match.group(), i))
        elif kind != "space":
            tokens.append(Token(kind, match.group(), i))
        i = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


# --- the parser -------------------------------------------------------------------------------------------
def _describe(token: Token) -> str:
    if token.kind == "end":
        return "the end of the query"
    if token.kind == "attr":
        return f"[[{token.text}]]"
    if token.kind == "string":
        return "a string"
    return repr(token.text)


class Parser:
    def __init__(self, text: str) -> None:
        if len(text) > MAX_LENGTH:
            raise QueryError("too_long", limit=MAX_LENGTH)
        self.tokens = tokenize(text)
        self.at = 0
        self.depth = 0
        self.terms = 0

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise syntax(0, "the query is empty")
        node = self.or_expr()
        token = self.peek()
        if token.kind != "end":
            raise syntax(token.position, f"expected AND, OR or the end of the query but found {_describe(token)}")
        return node

    # tokens
    def peek(self) -> Token:
        return self.tokens[self.at]

    def take(self) -> Token:
        token = self.tokens[self.at]
        if token.kind != "end":
            self.at += 1
        return token

    def keyword(self, *words: str) -> bool:
        token = self.peek()
        if token.kind == "keyword" and token.text in words:
            self.at += 1
            return True
        return False

    def expect(self, kind: str, what: str) -> Token:
        token = self.take()
        if token.kind != kind:
            raise syntax(token.position, f"expected {what} but found {_describe(token)}")
        return token

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError("too_deep", limit=MAX_DEPTH)

    # grammar
    def or_expr(self) -> Node:
        items = [self.and_expr()]
        while self.keyword("OR"):
            items.append(self.and_expr())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def and_expr(self) -> Node:
        items = [self.not_expr()]
        while self.keyword("AND"):
            items.append(self.not_expr())
        return items[0] if len(items) == 1 else And(tuple(items))

    def not_expr(self) -> Node:
        if self.keyword("NOT"):
            self.deeper()
            node = Not(self.not_expr())
            self.depth -= 1
            return node
        return self.primary()

    def primary(self) -> Node:
        if self.peek().kind == "(":
            self.take()
            self.deeper()
            node = self.or_expr()
            self.expect(")", "')'")
            self.depth -= 1
            return node
        return self.predicate()

    def operand(self) -> Operand:
        token = self.take()
        if token.kind == "attr":
            return Attr(token.text, token.position)
        if token.kind in ("string", "number"):
            return Literal(token.text, token.kind == "number", token.position)
        if token.kind == "keyword" and token.text == "NULL":
            raise syntax(token.position, "NULL is not a value: use IS NULL or IS NOT NULL")
        raise syntax(token.position, f"expected [[attribute]], a string or a number but found {_describe(token)}")

    def literal(self, what: str) -> Literal:
        operand = self.operand()
        if not isinstance(operand, Literal):
            raise syntax(operand.position, f"{what} must be a string or a number, not an attribute")
        return operand

    def predicate(self) -> Node:
        left = self.operand()
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QueryError("too_many_terms", limit=MAX_TERMS)
        token = self.peek()
        if token.kind == "op":
            self.take()
            right = self.operand()
            if token.text in ("!=", "<>"):
                return Not(Compare(left, "=", right))
            return Compare(left, "=" if token.text == "==" else token.text, right)
        negated = self.keyword("NOT")
        node: Node
        if self.keyword("LIKE"):
            node = Like(left, self.literal("a LIKE pattern"))
        elif self.keyword("IN"):
            self.expect("(", "'(' after IN")
            values = [self.literal("a value of IN")]
            while self.peek().kind == ",":
                self.take()
                values.append(self.literal("a value of IN"))
            self.expect(")", "')' or ',' in the IN list")
            node = In(left, tuple(values))
        elif self.keyword("BETWEEN"):
            low = self.operand()
            if not self.keyword("AND"):
                raise syntax(self.peek().position, f"expected AND in BETWEEN but found {_describe(self.peek())}")
            node = Between(left, low, self.operand())
        elif not negated and self.keyword("IS"):
            negated = self.keyword("NOT")
            if not self.keyword("NULL"):
                raise syntax(self.peek().position, f"expected NULL after IS but found {_describe(self.peek())}")
            node = IsNull(left)
        else:
            found = self.peek()
            expected = "LIKE, IN or BETWEEN after NOT" if negated else \
                "a comparison (=, !=, <, <=, >, >=), LIKE, IN, BETWEEN or IS NULL"
            raise syntax(found.position, f"expected {expected} but found {_describe(found)}")
        return Not(node) if negated else node


def parse(text: str) -> Node:
    return Parser(text).parse()


def attributes(node: Node) -> list[Attr]:
    """Every attribute operand of a tree, in query order (to check them all before evaluating)."""
    found: list[Attr] = []
    stack: list[object] = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Attr):
            found.append(item)
        elif isinstance(item, And | Or):
            stack.extend(reversed(item.items))
        elif isinstance(item, Not):
            stack.append(item.item)
        elif isinstance(item, Compare):
            stack.extend((item.right, item.left))
        elif isinstance(item, Like | In | IsNull):
            stack.append(item.operand)
        elif isinstance(item, Between):
            stack.extend((item.high, item.low, item.operand))
    return found
