"""Page arithmetic shared by listings: which items a `page` of `per_page` holds, 1-based."""

from __future__ import annotations


def page_positions(page: int, per_page: int, total: int) -> range:
    """1-based positions of the items on `page` (empty past the end)."""
    first = (page - 1) * per_page + 1
    last = min(total, page * per_page)
    return range(first, last + 1)
