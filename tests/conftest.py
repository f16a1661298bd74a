"""Shared fixtures: a fresh fake per test (manual clock, fixtures loaded), and sample catalog builders."""

from __future__ import annotations

import gc
import io
import json
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# Tests exercise the checkout's specs and fixtures; the wheel test checks the packaged ones.
os.environ.setdefault("PIMKIT_DATA_DIR", str(REPO))

# The suite keeps apps, stores and Hypothesis strategies alive for a module or the whole run. With CPython's
# default thresholds (700, 10, 10) the collector scanned them ~10,000 times: 10.9 s of the in-process tier's
# ~60 s of CPU, 9 s of it full collections. Collecting the youngest generation every 10,000 allocations, and
# freezing what exists once the tests are collected (libraries, specs: never garbage), leaves ~3.4 s, for
# +7 % peak memory (README, "Test-tier timings"). Only the test processes: the servers they start keep the
# default.
GC_THRESHOLDS = (10_000, 10, 10)
gc.set_threshold(*GC_THRESHOLDS)


def pytest_collection_finish(session: pytest.Session) -> None:
    gc.freeze()

PM = "/productsmanager/api/v1"
PM_TOKEN = "pm_test_key_0001"
AUTH = {"Authorization": f"Bearer {PM_TOKEN}"}


def _build(**overrides):
    from mock_server.app import create_app
    from mock_server.config import Config

    return create_app(Config(clock="manual", **overrides))


@pytest.fixture
def make_app():
    """Build fresh apps with a configuration of the test's own; every one built is closed after the test."""
    built = []

    def build(**overrides):
        built.append(_build(**overrides))
        return built[-1]

    yield build
    for app in built:
        app.runtime.close()


@pytest.fixture(scope="module")
def module_app():
    """One app per test module (building one costs ~0.5 s, renewing it ~3 ms)."""
    app = _build()
    yield app
    app.runtime.close()


@pytest.fixture
def app(module_app):
    """The module's app, renewed: fixtures reloaded, clock at its start, journal and faults as configured."""
    module_app.runtime.renew()
    return module_app


@pytest.fixture
def client(app):
    with app.test_client() as test_client:
        yield test_client


def advance(client, seconds: float) -> dict:
    response = client.post("/__admin/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.text
    return response.json()


def csv_bytes(rows: list[list[object]], header=("ean", "title", "price")) -> bytes:
    lines = [",".join(header)] + [",".join("" if v is None else str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def xlsx_bytes(rows: list[list[object]], header=("ean", "title", "price"), extra_sheet: bool = False) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    if extra_sheet:
        workbook.create_sheet("ignored").append(["ean", "title"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def json_bytes(rows: list[dict]) -> bytes:
    return json.dumps(rows).encode()


def upload(client, content: bytes, filename: str = "catalog.csv", headers=None, **form):
    data = {k: (json.dumps(v) if isinstance(v, dict) else str(v).lower() if isinstance(v, bool) else v)
            for k, v in form.items()}
    return client.post(f"{PM}/imports", files={"file": (filename, content)}, data=data,
                       headers=AUTH if headers is None else headers)


def finish(client, job_id: str, seconds: float = 3600) -> dict:
    advance(client, seconds)
    response = client.get(f"{PM}/imports/{job_id}", headers=AUTH)
    assert response.status_code == 200, response.text
    return response.json()


def all_errors(client, job_id: str, per_page: int = 100) -> list[dict]:
    rows, page = [], 1
    while True:
        body = client.get(f"{PM}/imports/{job_id}/errors", params={"page": page, "per_page": per_page},
                          headers=AUTH).json()
        rows += body["data"]
        if not body["data"]:
            return rows
        page += 1


PX = "/pixee/api/v1/imports"
PX_AUTH = {"Authorization": "Bearer pixee_test_key_0001"}


def px_upload(client, content: bytes, filename: str = "catalog.csv", headers=None, **form):
    data = {k: (json.dumps(v) if isinstance(v, dict) else str(v).lower() if isinstance(v, bool) else v)
            for k, v in form.items()}
    return client.post(f"{PX}/jobs", files={"file": (filename, content)}, data=data,
                       headers=PX_AUTH if headers is None else headers)


def px_job(client, job_id: str) -> dict:
    response = client.get(f"{PX}/jobs/{job_id}", headers=PX_AUTH)
    assert response.status_code == 200, response.text
    return response.json()


def px_logs(client, job_id: str, **params) -> dict:
    response = client.get(f"{PX}/jobs/{job_id}/logs", params=params, headers=PX_AUTH)
    assert response.status_code == 200, response.text
    return response.json()


def ean(n: int, prefix: str = "21") -> str:
    """A valid EAN-13 with a GS1 in-store prefix."""
    from mock_server.imports.rows import ean13_check_digit

    first12 = f"{prefix}{n:010d}"
    return first12 + str(ean13_check_digit(first12))


@pytest.fixture
def wz(client):
    """The Wizart API of a fresh fake, every JSON:API answer validated (tests/_wizart.py)."""
    from _wizart import Wizart

    return Wizart(client)


def _cost_rank(item: pytest.Item) -> int:
    """0 for slow live modules (conformance runs against served fakes), 1 for the other live ones, 2 for the rest."""
    if item.get_closest_marker("live") is None:
        return 2
    return 0 if item.get_closest_marker("slow") is not None else 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The costliest modules first (a stable sort, so each module keeps its order): under `-n 2 --dist loadfile
    --no-loadscope-reorder` (the README's test command) the long live modules start at once and the many short
    in-process ones fill the gaps, instead of one long module running alone at the end."""
    by_module: dict[str, int] = {}
    for item in items:  # a module's rank is its costliest test's, so that it stays in one piece
        by_module[item.nodeid.split("::")[0]] = min(by_module.get(item.nodeid.split("::")[0], 2), _cost_rank(item))
    items.sort(key=lambda item: by_module[item.nodeid.split("::")[0]])


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """A ZIP built at collection (an .xlsx, an image archive) carries the time it was built, so its bytes (and
    even its compressed size) differ from one process to the next: named "zip" (pytest numbers equal ids),
    every xdist worker collects the same test ids."""
    if isinstance(val, bytes) and val.startswith(b"PK\x03\x04"):
        return "zip"
    return None
