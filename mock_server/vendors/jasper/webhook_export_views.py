"""Computed fields of the webhook and export responses: what a stored row shows beyond its own fields."""

from __future__ import annotations

from datetime import datetime

# An export's statuses and the seconds after its creation each begins (JS2-D12): on the virtual clock.
EXPORT_STEPS: tuple[tuple[str, float], ...] = (("queued", 0.0), ("processing", 5.0), ("finished", 30.0))


def laravel_time(stamp: str | None) -> str | None:
    """`2022-01-10 15:14:18`, the webhook examples' format (J-168), from a stored ISO 8601 time."""
    if not stamp:
        return stamp
    return datetime.fromisoformat(stamp).strftime("%Y-%m-%d %H:%M:%S")


def webhook(doc: dict, engine, version: int) -> dict:
    return {**doc, "created_at": laravel_time(doc.get("created_at")), "updated_at": laravel_time(doc.get("updated_at"))}


def export_status(created_at: str, now: datetime) -> str:
    elapsed = (now - datetime.fromisoformat(created_at)).total_seconds()
    status = EXPORT_STEPS[0][0]
    for name, after in EXPORT_STEPS:
        if elapsed >= after:
            status = name
    return status


def export(doc: dict, engine, version: int) -> dict:
    """An export moves from queued to finished as the clock passes (the status is derived, never stored)."""
    status = export_status(doc["created_at"], engine.clock.now_dt())
    view = {k: v for k, v in doc.items() if k != "updated_at"}
    view["status"] = status
    if status != "finished":
        view["file_url"] = None
    return view
