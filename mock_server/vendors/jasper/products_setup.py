"""Start-up of Jasper's products, webhooks and exports: their fixtures file (fixtures/jasper/products.json)."""

from __future__ import annotations

from mock_server.resources import fixtures_dir
from mock_server.vendors.base import read_fixture


def products_fixtures() -> dict:
    return read_fixture(fixtures_dir("jasper"), "products.json")

