"""Jasper Standard PIM v1 (seed 002), catalog: the behaviour scenarios, registered on import, in run order."""

import importlib

MODULES = ("resources", "versions", "paging", "rules", "nested")

for _module in MODULES:
    importlib.import_module(f"{__name__}.{_module}")
