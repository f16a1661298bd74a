"""Credential checks shared by the vendors: a presented secret against the fixture credentials."""

from __future__ import annotations

from mock_server.context import runtime


def fixture_credential(vendor: str, kind: str, presented: str) -> dict | None:
    """Connexion's security-function answer: token info when `presented` is one of the vendor's fixture
    credentials of that kind (`credentials.<kind>` in fixtures/<vendor>/fixtures.json), else None → 401."""
    known = runtime().fixtures[vendor].get("credentials", {}).get(kind, ())
    return {"sub": vendor, "kind": kind, "scope": []} if presented in known else None
