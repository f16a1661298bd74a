"""Start-up of Jasper's products, webhooks and exports: fixtures/jasper/products.json and listeners."""

from __future__ import annotations

from mock_server.resources import fixtures_dir
from mock_server.vendors.base import read_fixture


def products_fixtures() -> dict:
    return read_fixture(fixtures_dir("jasper"), "products.json")


def products_setup(runtime) -> None:
    from mock_server.vendors.jasper import product_operations

    product_operations.setup(runtime)
