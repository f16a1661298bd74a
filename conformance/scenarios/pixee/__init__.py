"""Pixee imports (seed 003): the behaviour scenarios, registered on import, in the order they run."""

import importlib

# Catalog imports first (they probe the most rules), then what a job does over time, then requests.
MODULES = ("imports", "dry_run", "controls", "logs", "preview", "automations", "requests")

for _module in MODULES:
    importlib.import_module(f"{__name__}.{_module}")
