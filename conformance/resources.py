"""Where the suite's inputs are: specs and fixtures from `pimkit_data`, its own rule data from this package.

`openapi/` and `fixtures/` ship inside the wheel as the namespace package `pimkit_data` (pyproject's
force-include), so they are found through `importlib.resources`, never through the checkout's layout.
`PIMKIT_DATA_DIR`, when set, names the directory that holds them instead (a checkout under development),
exactly as it does for the fake (`mock_server/resources.py`), so both always read the same specs.
"""

from __future__ import annotations

import importlib.resources
import json
import os
from importlib.abc import Traversable
from pathlib import Path
from typing import Any

import yaml

from conformance.errors import DataNotFound

DATA_PACKAGE = "pimkit_data"
DATA_DIR_ENV = "PIMKIT_DATA_DIR"


# libyaml's safe loader where PyYAML was built with it (10x faster than the pure-Python one), else that one.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def data_root() -> Traversable:
    """The root holding `openapi/` and `fixtures/`."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override)
    try:
        return importlib.resources.files(DATA_PACKAGE)
    except ModuleNotFoundError as exc:
        raise DataNotFound(
            f"pimkit's data package `{DATA_PACKAGE}` is not installed: `pip install` pimkit, "
            f"or set {DATA_DIR_ENV} to a checkout that holds openapi/ and fixtures/"
        ) from exc


def spec_file(name: str) -> Traversable:
    return data_root() / "openapi" / f"{name}.yaml"


def fixtures_file(name: str) -> Traversable:
    return data_root() / "fixtures" / name / "fixtures.json"


def load_spec(name: str) -> dict[str, Any]:
    source = spec_file(name)
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise DataNotFound(f"no spec for {name!r} at {source}") from exc
    spec: dict[str, Any] = yaml.load(text, Loader=YAML_LOADER)
    return spec


def load_fixtures(name: str) -> dict[str, Any]:
    source = fixtures_file(name)
    try:
        fixtures: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataNotFound(f"no fixtures for {name!r} at {source}") from exc
    return fixtures


def package_data(*parts: str) -> Traversable:
    """A file shipped inside this package, under `conformance/data/`."""
    node = importlib.resources.files("conformance") / "data"
    for part in parts:
        node = node / part
    return node


def load_package_yaml(*parts: str) -> Any:
    return yaml.load(package_data(*parts).read_text(encoding="utf-8"), Loader=YAML_LOADER)


def load_jsonapi_schema(version: str = "1.1") -> dict[str, Any]:
    """The official JSON:API response schema, shipped as data in `openapi/jsonapi/` (its SOURCE.md says whence)."""
    source = data_root() / "openapi" / "jsonapi" / f"schema-{version}.json"
    try:
        schema: dict[str, Any] = json.loads(source.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise DataNotFound(f"no JSON:API {version} schema at {source}") from exc
    return schema
