"""Laravel's paginator envelope, as the seed shows it (J-069): `links` first/last/prev/next and `meta`."""

from __future__ import annotations

import math


def page_url(path: str, page: int, extra: str = "") -> str:
    return f"{path}?{extra}page={page}"


def envelope(path: str, page: int, per_page: int, total: int, shown: int, extra: str = "") -> dict:
    """`links` and `meta` for page `page` of `total` items, `shown` of them on this page.

    A page past the end is an empty page with `from`/`to` null (Laravel's own answer, JS-D08)."""
    last_page = max(1, math.ceil(total / per_page))
    first_item = (page - 1) * per_page + 1
    return {
        "links": {
            "first": page_url(path, 1, extra),
            "last": page_url(path, last_page, extra),
            "prev": page_url(path, page - 1, extra) if page > 1 else None,
            "next": page_url(path, page + 1, extra) if page < last_page else None,
        },
        "meta": {
            "current_page": page,
            "from": first_item if shown else None,
            "last_page": last_page,
            "path": path,
            "per_page": per_page,
            "to": first_item + shown - 1 if shown else None,
            "total": total,
        },
    }
