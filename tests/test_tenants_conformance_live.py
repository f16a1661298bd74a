"""The conformance suite, unchanged, against a tenant's base URL (`…/t/<tenant>/productsmanager`): it finds the
tenant's own `/__admin` (its manual clock moves the tenant's imports), passes, and leaves the default tenant and
every other tenant untouched."""

from __future__ import annotations

import httpx
import pytest
from _live import LiveServer, fake_app, run_suite

pytestmark = pytest.mark.live


def test_the_suite_passes_against_a_tenant_and_only_that_tenant_sees_it(tmp_path):
    app = fake_app()
    try:
        with LiveServer(app) as server:
            run = run_suite(f"{server.origin}/t/conformance/productsmanager", "--max-examples", "1", "--seed",
                            "20240315", tmp_path=tmp_path)
            assert run.exit_code == 0, run.explain()
            assert f"{server.origin}/t/conformance/__admin answered: the fake's manual clock" in run.stdout
            tenant = httpx.get(f"{server.origin}/t/conformance/__admin/requests", params={"limit": 0}).json()
            assert tenant["total"] > 0
            assert httpx.get(f"{server.origin}/__admin/requests", params={"limit": 0}).json()["total"] == 0
            moved = httpx.get(f"{server.origin}/t/conformance/__admin/clock").json()["epoch"]
            assert httpx.get(f"{server.origin}/__admin/clock").json()["epoch"] < moved
    finally:
        app.runtime.close()
