"""Helpers for the integrator-tooling tests: each API's path and credentials, and a fake served on a loopback
port with a clean journal and no faults per test."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from _live import LiveServer

PM = "/productsmanager/api/v1"
PM_AUTH = {"Authorization": "Bearer pm_test_key_0001"}
PX = "/pixee/api/v1/imports"
PX_AUTH = {"Authorization": "Bearer pixee_test_key_0001"}
PIMS = "/pims/api/en-us/pim/manage/products"
PIMS_AUTH = {"ApiKey": "api_pims_editor_0009"}


@contextmanager
def served(**config) -> Iterator[LiveServer]:
    """A fake (manual clock, no Swagger UI, `config` on top) on a free loopback port; stopped and closed after."""
    from mock_server.app import create_app
    from mock_server.config import Config

    app = create_app(Config(clock="manual", swagger_ui=False, **config))
    try:
        with LiveServer(app) as server:
            yield server
    finally:
        app.runtime.close()


@contextmanager
def clean_client(server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client on `server`, which starts from its fixtures, with an empty journal and no faults."""
    with httpx.Client(base_url=server.origin, timeout=10) as client:
        for method, path in (("POST", "/__admin/reset"), ("DELETE", "/__admin/requests"),
                             ("DELETE", "/__admin/faults")):
            client.request(method, path).raise_for_status()
        yield client
