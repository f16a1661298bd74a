"""Jasper Standard PIM v1 (seed 002), part 2: products, barcodes, prices, webhooks and exports scenarios,
registered on import, in run order (part 1's catalog scenarios are `conformance.scenarios.jasper`)."""

import importlib

MODULES = ("p2_products", "p2_catalog", "p2_links", "p2_barcodes", "p2_prices", "p2_webhooks", "p2_exports")

for _module in MODULES:
    importlib.import_module(f"{__name__}.{_module}")
