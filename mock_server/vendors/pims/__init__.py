"""PIMS Product Management (seed 001): one POST endpoint, six actions, ApiKey + ApiView, exact messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.errors import FakeError
from mock_server.specs import Messages
from mock_server.vendors.base import Rendered, Vendor, envelope
from mock_server.vendors.pims import explain, rules, state
from mock_server.vendors.pims.index import ProductIndex

if TYPE_CHECKING:  # the runtime imports the vendor registry
    from mock_server.runtime import Runtime

_envelope = envelope(lambda code, message: {"status": "Error", "status_message": message},
                     challenge='ApiKey header="ApiKey"')


def render_error(error: FakeError, messages: Messages) -> Rendered:
    """`{"status": "Error", "status_message": ...}` for every error (PI-48), the framework's included; a body
    Connexion refused is explained in the seed's words first."""
    return _envelope(explain.problem(error, messages), messages)


def seed(fixtures: dict) -> dict[str, list]:
    """Products with their variation_skus derived from variation_of (the fixtures never state it), and the
    fixture history, one table per product."""
    docs = []
    for row in fixtures.get("products", []):
        doc = {rules.STATUS: rules.DEFAULT_STATUS, rules.VARIATION_OF: None, **row, rules.VARIATION_SKUS: []}
        docs.append(doc)
    by_sku = {doc[rules.SKU]: doc for doc in docs}
    for doc in docs:
        parent = by_sku.get(doc[rules.VARIATION_OF]) if doc[rules.VARIATION_OF] else None
        if parent is not None:
            parent[rules.VARIATION_SKUS].append(doc[rules.SKU])
    tables: dict[str, list] = {rules.PRODUCTS: docs}
    for entry in fixtures.get("history", []):
        row = {k: v for k, v in entry.items() if k != "sku"}
        tables.setdefault(rules.history_table(entry["sku"]), []).append(row)
    return tables


def setup(runtime: Runtime) -> None:
    runtime.store.declare_index(rules.PRODUCTS, rules.SKU)


def on_reset(runtime: Runtime) -> None:
    """Rebuild the query index from the reseeded store."""
    live = state.state(runtime)
    index = ProductIndex(live.model)
    with runtime.store.lock:
        docs = runtime.store.all(rules.PRODUCTS)
        # every product's SKU is indexed (setup), so each has its doc id
        index.load((doc_id, doc) for doc in docs
                   if (doc_id := runtime.store.lookup(rules.PRODUCTS, rules.SKU, doc[rules.SKU])) is not None)
    live.index = index


def banner(fixtures: dict) -> list[str]:
    lines = []
    for key in fixtures["credentials"]["api_keys"]:
        view = key.get("default_view") or "none: every attribute"
        lines.append(f"ApiKey: {key['key']}   ({', '.join(key.get('permissions', []))}; default View {view})")
    return lines


VENDOR = Vendor(
    name="pims",
    spec="pims",
    handlers="mock_server.vendors.pims.handlers",
    credential_check="check_key",
    render_error=render_error,
    seed=seed,
    state=state.create,
    setup=setup,
    banner=banner,
    on_reset=on_reset,
)
