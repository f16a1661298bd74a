"""pytest plugin (entry point `pytest11`): the `pim_mock` fixture, the fake in-process for your client's tests.

    def test_upload(pim_mock):
        client = MyClient(pim_mock.url("productsmanager"), token=pim_mock.token("productsmanager"))
        job = client.upload("catalog.csv")
        pim_mock.advance(60)                      # the manual clock: an import finishes in no wall time
        assert client.status(job) == "completed"
        pim_mock.verify(method="POST", path="/api/v1/imports", count=1)

The server starts once per session, on a free 127.0.0.1 port, and only when a test asks for `pim_mock`;
every test starts from the fixtures, an empty journal and no faults. Override the session fixture
`pim_mock_config` (a dict of `mock_server.config.Config` fields) to change the clock, the APIs, lenient mode….
Installing pimkit is enough: nothing here is imported or started until a test requests the fixture.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

import pytest

DEFAULT_CONFIG = {"clock": "manual", "swagger_ui": False}


class PimMockError(AssertionError):
    """A verification that did not hold, or an admin call the fake refused."""


class PimMock:
    """The fake serving in this process: its URLs, credentials, clock, data, journal and faults."""

    def __init__(self, app, origin: str) -> None:
        import httpx

        self.app = app
        self.runtime = app.runtime
        self.origin = origin
        token = self.runtime.config.admin_token  # `admin_token` in pim_mock_config: the admin API requires it
        self._admin = httpx.Client(base_url=origin + "/__admin", timeout=30,
                                   headers={"X-Admin-Token": token} if token else None)

    # --- where and who ------------------------------------------------------------------------------
    @property
    def apis(self) -> list[str]:
        return list(self.runtime.vendors)

    def _vendor(self, api: str):
        try:
            return self.runtime.vendors[api]
        except KeyError:
            raise KeyError(f"no API {api!r}; mounted: {', '.join(self.runtime.vendors)}") from None

    def url(self, api: str) -> str:
        """Base URL of an API: `http://127.0.0.1:PORT/productsmanager`; append the vendor's own paths."""
        return self.origin + self._vendor(api).prefix

    def headers(self, api: str) -> dict[str, str]:
        """Headers that authenticate with the API's fixture credentials (`Authorization: Bearer …`, `ApiKey: …`)."""
        from mock_server.tooling.credentials import headers_for

        if self._vendor(api).extras.get("oauth_token_path"):
            return {"Authorization": f"Bearer {self.token(api)}"}
        return headers_for(self._vendor(api), self.runtime.specs[api], self.runtime.fixtures[api])

    def token(self, api: str) -> str | None:
        """The API's first fixture key, as it is sent (without `Bearer `)."""
        from mock_server.tooling.credentials import first_key

        path = self._vendor(api).extras.get("oauth_token_path")
        if path:
            return self._oauth_token(api, path)
        return first_key(self.runtime.fixtures[api])

    def _oauth_token(self, api: str, path: str) -> str:
        """A fresh access token from the API's own token endpoint (OAuth 2.0 client credentials) for its first
        fixture client: asked anew on every call, so it is valid on the clock as it is now."""
        import httpx

        client = self.runtime.fixtures[api]["credentials"]["oauth_clients"][0]
        response = httpx.post(self.url(api) + path, timeout=30, data={
            "grant_type": "client_credentials", "client_id": client["client_id"],
            "client_secret": client["client_secret"]})
        if response.status_code != 200:
            raise PimMockError(f"POST {self.url(api) + path}: {response.status_code} {response.text}")
        return response.json()["access_token"]

    def fixtures(self, api: str) -> dict:
        return self.runtime.fixtures[self._vendor(api).name]

    # --- state and clock --------------------------------------------------------------------------
    def _call(self, method: str, path: str, **kwargs) -> Any:
        response = self._admin.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise PimMockError(f"{method} /__admin{path}: {response.status_code} {response.text}")
        return response.json()

    def reset(self) -> None:
        """Fixtures back, journal emptied, faults removed (the clock keeps its time)."""
        self._call("POST", "/reset")
        self._call("DELETE", "/faults")
        self._call("DELETE", "/requests")

    def advance(self, seconds: float) -> dict:
        """Move the virtual clock forward (imports progress, schedules fire); the clock after it."""
        return self._call("POST", "/clock/advance", json={"seconds": seconds})

    def now(self) -> float:
        return self._call("GET", "/clock")["epoch"]

    def load(self, api: str, data: dict) -> dict:
        """Reset one API with `data` (its fixtures format, e.g. `{"products": [...]}`) in place of its fixtures."""
        return self._call("PUT", f"/data/{api}", json=data)["loaded"]

    # --- journal ------------------------------------------------------------------------------------
    def requests(self, limit: int = 10_000, **criteria) -> list[dict]:
        """Journal entries (oldest first, the last `limit`) matching `criteria`: api, operation, method, path,
        path_pattern, status, since, until, unmatched, and body / query / headers as {field: value}."""
        return self._call("POST", "/requests/find", json=criteria, params={"limit": limit})["requests"]

    def count(self, **criteria) -> int:
        return self._call("POST", "/requests/count", json=criteria)["count"]

    def verify(self, count: int | None = None, *, at_least: int | None = None, at_most: int | None = None,
               **criteria) -> int:
        """Assert how many requests matched (`count` exactly; or bounds; none: at least one); the count."""
        expectation = {k: v for k, v in (("count", count), ("at_least", at_least), ("at_most", at_most))
                       if v is not None}
        verdict = self._call("POST", "/requests/verify", json={**criteria, **expectation})
        if not verdict["ok"]:
            unmatched = self.unmatched()
            hint = "".join(f"\n  unmatched {e['method']} {e['path']}: "
                           + "; ".join(f"{m['method']} {m['path']} ({m['reason']})" for m in e.get("near_misses", []))
                           for e in unmatched[-5:])
            raise PimMockError(verdict["message"] + hint)
        return verdict["count"]

    def unmatched(self, **criteria) -> list[dict]:
        """Requests that matched no operation, each with `near_misses`: the operations it nearly matched, and why."""
        return self.requests(**criteria, unmatched=True)

    def clear_journal(self) -> None:
        self._call("DELETE", "/requests")

    # --- faults -------------------------------------------------------------------------------------
    def fault(self, kind: str, **definition) -> dict:
        """Add a fault: `fault("status", status=503, api="pixee", count=2)`, `fault("latency", ms=200)`,
        `fault("drop", operation="getImport")`…; the fault as stored (with its `id`)."""
        return self._call("POST", "/faults", json={"kind": kind, **definition})

    def faults(self) -> list[dict]:
        return self._call("GET", "/faults")["faults"]

    def remove_fault(self, fault_id: int) -> None:
        self._call("DELETE", f"/faults/{fault_id}")

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    def close(self) -> None:
        self._admin.close()


class _Server:
    """uvicorn serving the app on 127.0.0.1 (a free port) in a daemon thread."""

    def __init__(self, app) -> None:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="error", access_log=False, lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True,
                                       name="pim-mock")

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the pim_mock server did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


@pytest.fixture(scope="session")
def pim_mock_config() -> dict:
    """`Config` fields for the session's fake; override this fixture in a conftest.py to change them."""
    return dict(DEFAULT_CONFIG)


@pytest.fixture(scope="session")
def pim_mock_server(pim_mock_config):
    """The session's fake (started on first use); tests use `pim_mock`, which also resets it."""
    import warnings

    with warnings.catch_warnings():
        # Importing Connexion 3.3 warns about its own dependencies (Starlette's test client and httpx, jsonschema's
        # RefResolver): not the integrator's concern, and fatal under `-W error`.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
        from mock_server.app import create_app
        from mock_server.config import Config

        app = create_app(Config(**{**DEFAULT_CONFIG, **pim_mock_config}))
    server = _Server(app)
    try:
        server.start()
        mock = PimMock(app, f"http://127.0.0.1:{server.port}")
        yield mock
        mock.close()
    finally:
        server.stop()
        app.runtime.close()


@pytest.fixture
def pim_mock(pim_mock_server) -> PimMock:
    """The fake, reset to its fixtures with an empty journal and no faults."""
    pim_mock_server.reset()
    return pim_mock_server
