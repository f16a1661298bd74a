"""Jasper Standard PIM v1 (seed 002), products: products, barcodes, prices, webhooks and exports scenarios,
registered on import, in run order (the catalog's catalog scenarios are `conformance.scenarios.jasper`)."""

import importlib

MODULES = ("products", "catalog", "links", "barcodes", "prices", "webhooks", "exports")

for _module in MODULES:
    importlib.import_module(f"{__name__}.{_module}")
