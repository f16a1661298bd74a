"""Read the documents to compare: two files, or every spec of a directory against a git revision."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from conformance.errors import UsageError
from conformance.resources import YAML_LOADER

EMPTY: dict[str, Any] = {"openapi": "3.0.3", "paths": {}}  # the side of a spec that is added or deleted


@dataclass(frozen=True)
class Pair:
    label: str  # what the findings name as their spec
    old: Mapping[str, Any]
    new: Mapping[str, Any]


def parse(text: str, origin: str) -> dict[str, Any]:
    """An OpenAPI 3.x document, or UsageError naming `origin`."""
    try:
        doc = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError as exc:
        raise UsageError(f"{origin} is not valid YAML/JSON: {exc}") from None
    if not isinstance(doc, dict) or not str(doc.get("openapi", "")).startswith("3."):
        raise UsageError(f"{origin} is not an OpenAPI 3 document (no `openapi: 3.x` at its top)")
    if not isinstance(doc.get("paths", {}), dict):
        raise UsageError(f"{origin}: `paths` is not a mapping")
    return doc


def read_file(path: str) -> dict[str, Any]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from None
    return parse(text, path)


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise UsageError(f"git is needed for --base: {exc}") from None


def pairs_against_revision(base: str, directory: str) -> list[Pair]:
    """Each `*.yaml`/`*.yml` OpenAPI document of `directory` (working tree) against the same file at `base`."""
    folder = Path(directory)
    if not folder.is_dir():
        raise UsageError(f"--spec-dir {directory!r} is not a directory")
    top = _git("rev-parse", "--show-toplevel", cwd=folder)
    if top.returncode != 0:
        raise UsageError(f"{directory} is not inside a git work tree: {top.stderr.strip()}")
    root = Path(top.stdout.strip())
    if _git("rev-parse", "--verify", "--quiet", f"{base}^{{commit}}", cwd=root).returncode != 0:
        raise UsageError(f"--base {base!r} is not a git revision here (fetch it first, e.g. git fetch origin main)")
    prefix = PurePosixPath(folder.resolve().relative_to(root.resolve()).as_posix())
    listed = _git("ls-tree", "--name-only", f"{base}:{prefix}" if str(prefix) != "." else base, cwd=root)
    at_base = {n for n in listed.stdout.split() if n.endswith((".yaml", ".yml"))} if listed.returncode == 0 else set()
    here = {p.name for p in folder.iterdir() if p.is_file() and p.name.endswith((".yaml", ".yml"))}
    pairs = []
    for name in sorted(at_base | here):
        label = str(prefix / name)
        old: dict[str, Any] | None = EMPTY
        if name in at_base:
            shown = _git("show", f"{base}:{prefix / name}", cwd=root)
            if shown.returncode != 0:
                raise UsageError(f"git show {base}:{label} failed: {shown.stderr.strip()}")
            old = _maybe_spec(shown.stdout, f"{base}:{label}")
        new = _maybe_spec((folder / name).read_text(encoding="utf-8"), label) if name in here else EMPTY
        if old is not None and new is not None:
            pairs.append(Pair(label, old, new))
    return pairs


def _maybe_spec(text: str, origin: str) -> dict[str, Any] | None:
    """A YAML file of the directory that is not an OpenAPI document (a config, a fixture) is not compared."""
    try:
        doc = yaml.load(text, Loader=YAML_LOADER)
    except yaml.YAMLError:
        doc = None
    if not isinstance(doc, dict) or "openapi" not in doc:
        return None
    return parse(text, origin)
