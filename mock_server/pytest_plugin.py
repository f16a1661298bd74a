"""pytest plugin (entry point `pytest11`): the `pim_mock` fixture, the fake in-process for your client's tests.

    def test_upload(pim_mock):
        client = MyClient(pim_mock.url("productsmanager"), token=pim_mock.token("productsmanager"))
        job = client.upload("catalog.csv")
        pim_mock.advance(60)                      # the manual clock: an import finishes in no wall time
        assert client.status(job) == "completed"
        pim_mock.verify(method="POST", path="/api/v1/imports", count=1)

One server serves the whole test run, started on a free 127.0.0.1 port only when a test asks for `pim_mock`:
in this process, or, under pytest-xdist, one process that every worker shares (the first worker starts it; it
stops when the run ends). Every test gets a tenant of its own (`/t/<tenant>/…`, mock_server/tenants.py): its own
data from the fixtures, clock, journal and faults, so tests never see each other's state and nothing is reset
between them. `PIM_MOCK_URL=http://host:port` uses a server already running instead (a deployed, shared fake).
Override the session fixture `pim_mock_config` (a dict of `mock_server.config.Config` fields) to change the
clock, the APIs, lenient mode…. Installing pimkit is enough: nothing here is imported or started until a test
requests the fixture.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from mock_server.tooling.plugin_server import DEFAULT_CONFIG, Server, shared_server


class PimMockError(AssertionError):
    """A verification that did not hold, or an admin call the fake refused."""


class Catalog:
    """The served APIs' vendors, specs and fixtures, read from the installed package (no server needed)."""

    def __init__(self, apis: tuple[str, ...]) -> None:
        self.apis = apis
        self._vendors: dict = {}
        self._specs: dict = {}
        self._fixtures: dict = {}

    def vendor(self, api: str):
        from mock_server.vendors import load_vendor

        if api not in self.apis:
            raise KeyError(f"no API {api!r}; mounted: {', '.join(self.apis)}")
        if api not in self._vendors:
            self._vendors[api] = load_vendor(api)
        return self._vendors[api]

    def spec(self, api: str) -> dict:
        from mock_server.specs import load_spec

        if api not in self._specs:
            self._specs[api] = load_spec(self.vendor(api).spec)
        return self._specs[api]

    def fixtures(self, api: str) -> dict:
        from mock_server.resources import fixtures_dir
        from mock_server.vendors.base import read_fixture

        if api not in self._fixtures:
            self._fixtures[api] = read_fixture(fixtures_dir(self.vendor(api).name))
        return self._fixtures[api]


class PimMock:
    """One tenant of the fake (the test's own): its URLs, credentials, clock, data, journal and faults."""

    def __init__(self, origin: str, catalog: Catalog, *, tenant: str = "", admin_token: str | None = None,
                 app=None) -> None:
        import httpx

        self.app = app  # the app when the server runs in this process, else None
        self.origin = origin
        self.tenant = tenant
        self.base = origin + (f"/t/{tenant}" if tenant else "")
        self.catalog = catalog
        self._admin_token = admin_token  # `admin_token` in pim_mock_config: the admin API requires it
        self._admin = httpx.Client(base_url=self.base + "/__admin", timeout=30,
                                   headers={"X-Admin-Token": admin_token} if admin_token else None)

    def for_tenant(self, tenant: str) -> PimMock:
        """The same server seen as another tenant."""
        return PimMock(self.origin, self.catalog, tenant=tenant, admin_token=self._admin_token, app=self.app)

    @property
    def runtime(self):
        """The tenant's runtime, when the server runs in this process (None under xdist or PIM_MOCK_URL)."""
        return None if self.app is None else self.app.tenants.get(self.tenant)

    # --- where and who ------------------------------------------------------------------------------
    @property
    def apis(self) -> list[str]:
        return list(self.catalog.apis)

    def _vendor(self, api: str):
        return self.catalog.vendor(api)

    def url(self, api: str) -> str:
        """Base URL of an API in this tenant: `http://127.0.0.1:PORT/t/<tenant>/productsmanager`; append the
        vendor's own paths."""
        return self.base + self._vendor(api).prefix

    def headers(self, api: str) -> dict[str, str]:
        """Headers that authenticate with the API's fixture credentials (`Authorization: Bearer …`, `ApiKey: …`)."""
        from mock_server.tooling.credentials import headers_for

        if self._vendor(api).extras.get("oauth_token_path"):
            return {"Authorization": f"Bearer {self.token(api)}"}
        return headers_for(self._vendor(api), self.catalog.spec(api), self.catalog.fixtures(api))

    def token(self, api: str) -> str | None:
        """The API's first fixture key, as it is sent (without `Bearer `)."""
        from mock_server.tooling.credentials import first_key

        path = self._vendor(api).extras.get("oauth_token_path")
        if path:
            return self._oauth_token(api, path)
        return first_key(self.catalog.fixtures(api))

    def _oauth_token(self, api: str, path: str) -> str:
        """A fresh access token from the API's own token endpoint (OAuth 2.0 client credentials) for its first
        fixture client: asked anew on every call, so it is valid on the clock as it is now."""
        import httpx

        client = self.catalog.fixtures(api)["credentials"]["oauth_clients"][0]
        response = httpx.post(self.url(api) + path, timeout=30, data={
            "grant_type": "client_credentials", "client_id": client["client_id"],
            "client_secret": client["client_secret"]})
        if response.status_code != 200:
            raise PimMockError(f"POST {self.url(api) + path}: {response.status_code} {response.text}")
        return response.json()["access_token"]

    def fixtures(self, api: str) -> dict:
        return self.catalog.fixtures(api)

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

    # --- snapshots (README "Tenants") -------------------------------------------------------------
    def snapshot(self, name: str) -> dict:
        """Save this tenant's whole state under `name` (restore it into any tenant of the same server)."""
        return self._call("POST", "/snapshots", json={"name": name})

    def restore(self, name: str) -> dict:
        return self._call("POST", f"/snapshots/{name}/restore")

    def drop(self) -> None:
        """Forget this tenant on the server (the fixture does it after each test)."""
        if self.tenant:
            self._call("DELETE", "/tenant")

    def close(self) -> None:
        self._admin.close()


@pytest.fixture(scope="session")
def pim_mock_config() -> dict:
    """`Config` fields for the session's fake; override this fixture in a conftest.py to change them."""
    return dict(DEFAULT_CONFIG)


def xdist_worker(config: pytest.Config) -> str | None:
    """This process's xdist worker id ("gw0" …), or None outside a worker. Read from the run's own configuration,
    not the environment: a pytest started by a test inherits PYTEST_XDIST_WORKER without being a worker."""
    workerinput = getattr(config, "workerinput", None)
    return None if workerinput is None else str(workerinput["workerid"])


@pytest.fixture(scope="session")
def pim_mock_server(pim_mock_config, tmp_path_factory, pytestconfig):
    """The run's fake seen as its default tenant (started on first use); tests use `pim_mock`, a tenant each."""
    import warnings

    config = {**DEFAULT_CONFIG, **pim_mock_config}
    with warnings.catch_warnings():
        # Importing Connexion 3.3 warns about its own dependencies (Starlette's test client and httpx, jsonschema's
        # RefResolver): not the integrator's concern, and fatal under `-W error`.
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient` is deprecated")
        from mock_server.config import Config
        from mock_server.vendors import REGISTRY

        catalog = Catalog(tuple(config.get("vendors") or REGISTRY))
        token = config.get("admin_token")
        if os.environ.get("PIM_MOCK_URL"):  # a server already running
            mock = PimMock(os.environ["PIM_MOCK_URL"].rstrip("/"), catalog, admin_token=token)
            yield mock
            mock.close()
            return
        if xdist_worker(pytestconfig) is not None:  # one server for every worker of the run
            mock = PimMock(shared_server(pim_mock_config, tmp_path_factory.getbasetemp()), catalog,
                           admin_token=token)
            yield mock
            mock.close()
            return
        from mock_server.app import create_app

        app = create_app(Config(**config))
    server = Server(app)
    try:
        server.start()
        mock = PimMock(f"http://127.0.0.1:{server.port}", catalog, admin_token=token, app=app)
        yield mock
        mock.close()
    finally:
        server.stop()
        app.runtime.close()


@pytest.fixture
def pim_mock(pim_mock_server, pytestconfig) -> Iterator[PimMock]:
    """A tenant of the run's fake for this test alone: the fixtures, its own clock, an empty journal, no faults."""
    worker = xdist_worker(pytestconfig) or "main"
    mock = pim_mock_server.for_tenant(f"test-{worker}-{uuid.uuid4().hex[:12]}")
    yield mock
    try:
        mock.drop()
    finally:
        mock.close()
