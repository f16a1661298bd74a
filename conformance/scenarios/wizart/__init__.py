"""Wizart PIM (seed 000): the behaviour scenarios, registered on import, in the order they run."""

import importlib

# Imports first (they probe the most rules), then access and the JSON:API protocol.
MODULES = ("imports", "access", "protocol")

for _module in MODULES:
    importlib.import_module(f"{__name__}.{_module}")
