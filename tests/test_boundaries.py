"""The layers' boundaries (docs/architecture.md): read from the import statements of every module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
VENDORS = REPO / "mock_server" / "vendors"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, absolute, relative imports resolved against the file's package."""
    package = path.relative_to(REPO).with_suffix("").parts[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join((*base, node.module) if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def modules_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.py") if ".venv" not in p.parts)


def offending(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{path.relative_to(REPO)} imports {module}"
            for path in modules_under(folder)
            for module in sorted(imported_modules(path))
            if any(module == f or module.startswith(f + ".") for f in forbidden)]


def test_the_conformance_suite_never_imports_the_fake():
    assert offending(REPO / "conformance", ("mock_server",)) == []


def test_the_fake_never_imports_the_conformance_suite():
    assert offending(REPO / "mock_server", ("conformance",)) == []


@pytest.mark.parametrize("vendor", sorted(p.name for p in VENDORS.iterdir() if (p / "__init__.py").exists()))
def test_a_vendor_package_never_imports_another(vendor):
    others = tuple(f"mock_server.vendors.{p.name}" for p in VENDORS.iterdir()
                   if (p / "__init__.py").exists() and p.name != vendor)
    assert offending(VENDORS / vendor, others) == []


def test_the_boundary_reader_sees_a_violation(tmp_path, monkeypatch):
    """The rule can fail: a module importing across the boundary, absolutely or relatively, is found."""
    package = tmp_path / "mock_server" / "vendors" / "alpha"
    package.mkdir(parents=True)
    (package / "a.py").write_text("from mock_server.vendors.beta import x\nfrom ..beta.y import z\n")
    monkeypatch.setattr(__import__(__name__), "REPO", tmp_path)
    assert imported_modules(package / "a.py") >= {"mock_server.vendors.beta", "mock_server.vendors.beta.y"}
    found = set(offending(tmp_path / "mock_server" / "vendors" / "alpha", ("mock_server.vendors.beta",)))
    assert {"mock_server/vendors/alpha/a.py imports mock_server.vendors.beta",
            "mock_server/vendors/alpha/a.py imports mock_server.vendors.beta.y"} <= found
