"""Wizart PIM (seed 000): JSON:API v1.1, versions 2.0 and 2.1, OAuth client credentials and four account token
kinds, CSV + ZIP imports through the nine statuses."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mock_server.vendors.base import Vendor
from mock_server.vendors.wizart import documents, imports, persist, rules, state, tokens
from mock_server.vendors.wizart.negotiation import JsonApiNegotiation
from mock_server.vendors.wizart.versions import VersionHeaders

if TYPE_CHECKING:  # the runtime imports the vendor registry
    from mock_server.runtime import Runtime


def seed(fixtures: dict) -> dict[str, list]:
    return {rules.PRODUCTS: fixtures.get("products", [])}


def setup(runtime: Runtime) -> None:
    runtime.store.declare_index(rules.PRODUCTS, "sku")
    runtime.store.declare_index(rules.IMPORTS, "id")


def new_state(runtime: Runtime) -> state.WizartState:
    return state.WizartState(rules.Settings.from_overrides(runtime.config.timings),
                             tokens.accepted_table(runtime.specs[state.NAME]),
                             tokens.account_tokens(runtime.fixtures[state.NAME]))


def on_reset(runtime: Runtime) -> None:
    live = state.state(runtime)
    live.tokens = state.issued_tokens()
    imports.forget_all(runtime)
    # the fixture products are listed too, in fixture order (doc ids 1, 2, …)
    live.product_ids = list(range(1, len(runtime.fixtures["wizart"].get("products", [])) + 1))


def banner(fixtures: dict) -> list[str]:
    client = fixtures["credentials"]["oauth_clients"][0]
    kinds = fixtures["credentials"]["tokens"]
    return [f"POST /oauth/token grant_type=client_credentials client_id={client['client_id']} "
            f"client_secret={client['client_secret']}",
            "Authorization: Bearer " + ", ".join(f"{tokens[0]} ({kind})" for kind, tokens in kinds.items())]


VENDOR = Vendor(
    name="wizart",
    spec="wizart",
    handlers="mock_server.vendors.wizart.handlers",
    render_error=documents.render_error,
    seed=seed,
    state=new_state,
    setup=setup,
    banner=banner,
    on_reset=on_reset,
    on_clock=imports.progress,
    persist=(persist.dump, persist.restore),  # imports' analyses and queue outside the store (ENG-D08)
    # outermost first: the version notice also reaches answers the negotiation refuses
    middleware=(VersionHeaders, JsonApiNegotiation),
    # Credentials are an OAuth 2.0 access token for the first fixture client (the pytest plugin asks for one).
    extras={"oauth_token_path": "/oauth/token"},
)
