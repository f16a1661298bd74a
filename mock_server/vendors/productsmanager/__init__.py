"""Products Manager imports (seed 004): multipart jobs, column mapping, update by EAN, errors listing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.vendors.base import Vendor, api_key_banner, envelope
from mock_server.vendors.productsmanager import rules, state

if TYPE_CHECKING:  # the runtime imports the vendor registry
    from mock_server.runtime import Runtime

# `{"error": code, "message": text}` — the pair a failed row carries (the seed shows no error body, PM-D02).
render_error = envelope(lambda code, message: {"error": code, "message": message})


def seed(fixtures: dict) -> dict[str, list]:
    return {rules.PRODUCTS: fixtures.get("products", [])}


def setup(runtime: Runtime) -> None:
    runtime.store.declare_index(rules.PRODUCTS, "ean")
    runtime.store.declare_index(rules.IMPORTS, "id")


VENDOR = Vendor(
    name="productsmanager",
    spec="productsmanager",
    handlers="mock_server.vendors.productsmanager.handlers",
    render_error=render_error,
    seed=seed,
    state=state.create,
    setup=setup,
    banner=api_key_banner,
)
