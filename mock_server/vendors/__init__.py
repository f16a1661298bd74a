"""The vendors the fake serves: one package each, registered here by name.

A vendor package never imports another; what two share lives beside them in `mock_server`.
"""

from __future__ import annotations

import importlib

from mock_server.vendors.base import Vendor

# name -> module exposing VENDOR; the name is also the mount prefix (/productsmanager)
REGISTRY: dict[str, str] = {
    "productsmanager": "mock_server.vendors.productsmanager",
    "pixee": "mock_server.vendors.pixee",
    "pims": "mock_server.vendors.pims",
    "jasper": "mock_server.vendors.jasper",
    "wizart": "mock_server.vendors.wizart",
}


def load_vendor(name: str) -> Vendor:
    try:
        module = REGISTRY[name]
    except KeyError as exc:
        raise ValueError(f"unknown vendor {name!r}; known: {', '.join(REGISTRY)}") from exc
    vendor: Vendor = importlib.import_module(module).VENDOR
    return vendor
