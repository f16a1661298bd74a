"""Path patterns an admin client gives (journal queries, fault scopes), refused when they could backtrack for ever.

Python's `re` backtracks, cannot be interrupted, and holds the GIL while it matches: `(a*)*b` over a path of
thirty `a`s stalls the whole server. So a pattern is checked on its parsed form before it is used (README
"Hostile inputs: limits", openapi/DECISIONS.md ENG-D07): at most `MAX_PATTERN_CHARS` characters; no repeat
inside a repeated group (`(a*)*`, `(a+)+`, `(?:a{2,})*`), no alternation inside a repeated group (`(a|a)*`),
no backreference, and at most `MAX_UNBOUNDED` unbounded repeats in all (`.*` side by side cost a power of the
path's length each). What is left is polynomial in the length matched, so a pattern is matched against the first
`MATCHED_CHARS` characters of a path (a few ms at worst), and a journal query stops with a 400 once its matching
has taken `QUERY_BUDGET_SECONDS`.
"""

from __future__ import annotations

import re
import re._constants as sre  # type: ignore[import-not-found]  # the parser the re module itself uses
import re._parser as sre_parse  # type: ignore[import-not-found]

MAX_PATTERN_CHARS = 500
MAX_UNBOUNDED = 2
MATCHED_CHARS = 256
QUERY_BUDGET_SECONDS = 2.0
_REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT}


class UnsafePattern(ValueError):
    """A pattern that does not compile, or could backtrack for ever."""


def _walk(items, inside_repeat: bool, counts: dict) -> None:
    for op, arg in items:
        if op in _REPEATS:
            low, high, body = arg
            if high == sre.MAXREPEAT:
                counts["unbounded"] += 1
            if high > 1 and inside_repeat:
                raise UnsafePattern("a repeat inside a repeated group (like (a*)*) is refused: it can backtrack "
                                    "for ever")
            _walk(body, inside_repeat or high > 1, counts)
        elif op is sre.BRANCH:
            if inside_repeat:
                raise UnsafePattern("an alternation inside a repeated group (like (a|b)*) is refused: it can "
                                    "backtrack for ever")
            for branch in arg[1]:
                _walk(branch, inside_repeat, counts)
        elif op is sre.SUBPATTERN:
            _walk(arg[-1], inside_repeat, counts)
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            _walk(arg[1], inside_repeat, counts)
        elif op in (sre.GROUPREF, sre.GROUPREF_EXISTS):
            raise UnsafePattern("a backreference is refused in a path pattern")
        elif op is sre.ATOMIC_GROUP:
            _walk(arg, inside_repeat, counts)


def compile_path_pattern(text: str) -> re.Pattern:
    """`text` compiled, or UnsafePattern saying why not (the admin API answers it as a 400)."""
    if len(text) > MAX_PATTERN_CHARS:
        raise UnsafePattern(f"path_pattern is longer than {MAX_PATTERN_CHARS} characters")
    try:
        parsed = sre_parse.parse(text)
        compiled = re.compile(text)
    except (re.error, RecursionError, OverflowError) as exc:
        raise UnsafePattern(f"path_pattern does not compile: {exc}") from exc
    counts = {"unbounded": 0}
    try:
        _walk(parsed, False, counts)
    except RecursionError as exc:
        raise UnsafePattern("path_pattern is nested too deeply") from exc
    if counts["unbounded"] > MAX_UNBOUNDED:
        raise UnsafePattern(f"path_pattern holds more than {MAX_UNBOUNDED} unbounded repeats (*, +, {{n,}})")
    return compiled


def search(pattern: re.Pattern, path: str) -> bool:
    return pattern.search(path[:MATCHED_CHARS]) is not None
