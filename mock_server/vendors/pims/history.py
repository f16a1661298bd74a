"""Product change history (PI-45..PI-47): one entry per transaction, old and new values, who and when.

Entries live in one table per product, in the order they happened, so doc id N is the Nth transaction and
a page is a direct id lookup. They keep internal attribute names; a View renames them on the way out and
hides what it does not show (an entry with nothing left to show is not listed for that View, PIMS-D14).
"""

from __future__ import annotations

from datetime import UTC, datetime

from mock_server.pagination import page_positions
from mock_server.runtime import Runtime
from mock_server.vendors.pims import rules
from mock_server.vendors.pims.model import View


def record(rt: Runtime, sku: str, user: str, old: dict, new: dict) -> None:
    if new or old:
        rt.store.insert(rules.history_table(sku), {"user": user, "date": int(rt.clock.now()), "old": old, "new": new})


def formatted_date_round(date: int) -> str:
    """The day of `date`, UTC, at midnight: 1707831737 -> "2024-02-13 00:00:00" (the seed's example)."""
    return datetime.fromtimestamp(date, tz=UTC).strftime("%Y-%m-%d 00:00:00")


def _shown(entry: dict, view: View) -> dict | None:
    names = view.to_external
    old = {names[k]: v for k, v in entry["old"].items() if k in names}
    new = {names[k]: v for k, v in entry["new"].items() if k in names}
    if not old and not new:
        return None
    return {"user": entry["user"], "new": new, "old": old,
            "formatted_date_round": formatted_date_round(entry["date"]), "date": entry["date"]}


def page(rt: Runtime, sku: str, view: View, limit: int, page_number: int) -> tuple[int, list[dict]]:
    """(total_count, the entries of the page), oldest first as the seed's example."""
    table = rules.history_table(sku)
    if view.name is None:  # every attribute: no entry is hidden, page by doc id
        total = rt.store.count(table)
        entries = rt.store.get_many(table, page_positions(page_number, limit, total))
        return total, [s for e in entries if (s := _shown(e, view)) is not None]
    shown = [s for e in rt.store.all(table) if (s := _shown(e, view)) is not None]
    start = (page_number - 1) * limit
    return len(shown), shown[start:start + limit]
