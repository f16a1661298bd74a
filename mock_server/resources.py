"""Where the specs and fixtures are: shipped in the wheel as the namespace package `pimkit_data`."""

from __future__ import annotations

import importlib.resources
import os
from importlib.abc import Traversable
from pathlib import Path


def data_root() -> Traversable:
    """The root holding `openapi/` and `fixtures/`.

    `PIMKIT_DATA_DIR` overrides it (a checkout under development, without reinstalling).
    """
    override = os.environ.get("PIMKIT_DATA_DIR")
    if override:
        return Path(override)
    try:
        return importlib.resources.files("pimkit_data")
    except ModuleNotFoundError as exc:
        raise RuntimeError(
            "pimkit's data (openapi/, fixtures/) is not installed: run `pip install .` in the repository, "
            "or set PIMKIT_DATA_DIR to the checkout"
        ) from exc


def spec_file(name: str) -> Traversable:
    return data_root() / "openapi" / f"{name}.yaml"


def fixtures_dir(vendor: str) -> Traversable:
    return data_root() / "fixtures" / vendor
