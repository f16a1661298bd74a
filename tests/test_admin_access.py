"""Who may use /__admin: loopback clients by default; with `admin_token`, only requests that carry the token."""

from __future__ import annotations

import pytest

from mock_server.middleware.admin_access import is_loopback

REMOTE = ("203.0.113.7", 40000)
TOKEN = "s3cret-admin"


def _built(**overrides):
    from mock_server.app import create_app
    from mock_server.config import Config

    return create_app(Config(clock="manual", swagger_ui=False, **overrides))


@pytest.fixture(scope="module")
def app():
    built = _built()
    yield built
    built.runtime.close()


@pytest.fixture(scope="module")
def token_app():
    built = _built(admin_token=TOKEN)
    yield built
    built.runtime.close()
ADMIN_CALLS = [("GET", "/__admin/health"), ("POST", "/__admin/reset"), ("GET", "/__admin/requests"),
               ("GET", "/__admin/faults"), ("POST", "/__admin/clock/advance"),
               # a tenant's admin API (README "Tenants") is the admin API too
               ("POST", "/t/remote-tenant/__admin/clock/advance"), ("POST", "/t/remote-tenant/__admin/snapshots"),
               ("DELETE", "/t/remote-tenant/__admin/tenant")]


@pytest.mark.parametrize("host, local", [("127.0.0.1", True), ("127.8.9.1", True), ("::1", True),
                                         ("::ffff:127.0.0.1", True), ("testclient", True), ("10.0.0.2", False),
                                         ("192.168.1.4", False), ("::ffff:10.0.0.2", False), ("fe80::1%eth0", False),
                                         ("example.org", False), ("0.0.0.0", False)])
def test_loopback_is_told_by_the_peer_address(host, local):
    assert is_loopback((host, 1234)) is local


@pytest.mark.parametrize("method, path", ADMIN_CALLS)
def test_a_remote_client_is_refused_every_admin_operation_without_a_token(app, method, path):
    with app.test_client(client=REMOTE) as remote:
        response = remote.request(method, path, json={"seconds": 1})
    assert response.status_code == 403
    body = response.json()
    assert body["error"] == "admin_forbidden" and "--admin-token" in body["message"]


def test_a_refused_remote_reset_changes_nothing(app):
    with app.test_client() as local, app.test_client(client=REMOTE) as remote:
        before = local.get("/__admin/clock").json()["epoch"]
        assert remote.post("/__admin/clock/advance", json={"seconds": 3600}).status_code == 403
        assert local.get("/__admin/clock").json()["epoch"] == before


def test_a_remote_client_still_reaches_the_vendor_apis(app):
    with app.test_client(client=REMOTE) as remote:
        response = remote.get("/jasper/api/v1/products", headers={"Authorization": "Bearer jasper-test-token"})
    assert response.status_code == 200


def test_loopback_clients_use_the_admin_api_without_a_token(app):
    with app.test_client() as local:
        assert local.get("/__admin/health").status_code == 200


@pytest.mark.parametrize("headers", [{"Authorization": "Bearer s3cret-admin"}, {"X-Admin-Token": "s3cret-admin"},
                                     {"authorization": "bearer s3cret-admin"}])
def test_with_a_token_it_is_accepted_in_either_header_from_anywhere(token_app, headers):
    with token_app.test_client(client=REMOTE) as remote:
        assert remote.get("/__admin/health", headers=headers).status_code == 200
        assert remote.post("/__admin/clock/advance", json={"seconds": 5}, headers=headers).status_code == 200


@pytest.mark.parametrize("peer", [REMOTE, ("127.0.0.1", 5000)])
@pytest.mark.parametrize("headers, reason", [({}, "missing"), ({"X-Admin-Token": "guess"}, "wrong"),
                                             ({"Authorization": "Bearer s3cret-admin2"}, "wrong")])
def test_with_a_token_set_a_request_without_it_is_401_even_from_loopback(token_app, peer, headers, reason):
    with token_app.test_client(client=peer) as anyone:
        response = anyone.post("/__admin/reset", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["error"] == "admin_token_required" and reason in response.json()["message"]


@pytest.mark.parametrize("token", ["", "has space", "tab\there", "é"])
def test_an_admin_token_that_cannot_travel_in_a_header_is_refused_at_start(token):
    from mock_server.config import Config

    with pytest.raises(ValueError, match="admin_token"):
        Config(admin_token=token)


def test_the_conformance_suite_sends_the_admin_token_to_the_admin_api_only(monkeypatch):
    import httpx

    from conformance.target import AdminClock, Target

    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.startswith("/__admin") and request.headers.get("x-admin-token") != TOKEN:
            return httpx.Response(401, json={"error": "admin_token_required"})
        if request.url.path == "/__admin/health":
            return httpx.Response(200, json={"status": "ok", "clock": {"mode": "manual"}})
        return httpx.Response(200, json={"epoch": 1.0})

    monkeypatch.setenv("PIM_MOCK_ADMIN_TOKEN", TOKEN)
    target = Target("http://fake.test/jasper", "vendor-token")
    target.client = httpx.Client(transport=httpx.MockTransport(answer))
    assert target.detect_admin() and isinstance(target.clock, AdminClock)
    target.clock.advance(5)
    assert target.clock.now() == 1.0
    target.request("GET", "/api/v1/products")
    admin, vendor = seen[:-1], seen[-1]
    assert all(r.headers["x-admin-token"] == TOKEN for r in admin) and len(admin) == 3
    assert "x-admin-token" not in vendor.headers and vendor.headers["authorization"] == "Bearer vendor-token"


@pytest.mark.live
def test_the_pytest_plugin_sends_the_configured_token(token_app):
    from _live import LiveServer

    from mock_server.pytest_plugin import Catalog, PimMock

    with LiveServer(token_app) as live:
        mock = PimMock(live.origin, Catalog(tuple(token_app.runtime.vendors)),
                       admin_token=token_app.runtime.config.admin_token, app=token_app)
        assert mock.advance(7)["epoch"] > 0  # an admin call, with the token from the app's config
        mock.reset()
