"""PIMS Product Management (seed 001): the behaviour scenarios, registered on import, in the order they run."""

import importlib

MODULES = ("messages", "products", "listing", "variations", "evaluation", "access")

for _module in MODULES:
    importlib.import_module(f"{__name__}.{_module}")
