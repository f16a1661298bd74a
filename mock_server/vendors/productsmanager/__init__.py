"""Products Manager imports (seed 004): multipart jobs, column mapping, update by EAN, errors listing."""

from __future__ import annotations

from mock_server.errors import FakeError, Unauthorized
from mock_server.specs import Messages
from mock_server.vendors.base import Vendor
from mock_server.vendors.productsmanager import rules


def render_error(error: FakeError, messages: Messages) -> tuple[dict, str]:
    """`{"error": code, "message": text}` — the pair a failed row carries (the seed shows no error body,
    DECISIONS.md PM-D02). Errors translated from the framework take the catalog's text for their code."""
    message = error.message
    if error.extra.get("generic"):
        params = {k: v for k, v in error.extra.items() if k != "generic"}
        message = messages.get("requests", error.code, default=error.message, detail=error.message, **params)
    if isinstance(error, Unauthorized):
        error.headers.setdefault("WWW-Authenticate", "Bearer")
    return {"error": error.code, "message": message}, "application/json"


def seed(fixtures: dict) -> dict[str, list]:
    return {rules.PRODUCTS: fixtures.get("products", [])}


def setup(runtime) -> None:
    runtime.store.declare_index(rules.PRODUCTS, "ean")
    runtime.store.declare_index(rules.IMPORTS, "id")
    overrides = runtime.config.timings.get("productsmanager", {})
    runtime.state["productsmanager"]["flow"] = rules.FLOW.with_timings(overrides)


def banner(fixtures: dict) -> list[str]:
    return [f"Authorization: Bearer {key}" for key in fixtures["credentials"]["api_keys"]]


VENDOR = Vendor(
    name="productsmanager",
    spec="productsmanager",
    handlers="mock_server.vendors.productsmanager.handlers",
    render_error=render_error,
    seed=seed,
    setup=setup,
    banner=banner,
)
