"""Products Manager imports (seed 004): the behaviour scenarios, registered on import, in the order they run."""

import importlib

# Catalog imports first (they probe the most rules), requests the API must refuse last.
MODULES = ("imports", "updates", "files", "requests")

for _module in MODULES:
    importlib.import_module(f"{__name__}.{_module}")
