"""Shared by tests/test_jasper_products*.py: one fake per module, reset to its fixtures and start time per test.

Building an app parses the whole Jasper spec (about 1.5 s); a reset plus rewinding the manual clock gives each test
the same fresh state in a few milliseconds.
"""

from __future__ import annotations

import pytest

J = "/jasper/api/v1"
H = {"Authorization": "Bearer jasper-test-token"}


@pytest.fixture(scope="module")
def app():
    from mock_server.app import create_app
    from mock_server.config import Config

    built = create_app(Config(clock="manual"))
    start = built.runtime.clock.now()
    built.runtime.start_epoch = start
    yield built
    built.runtime.close()


@pytest.fixture
def client(app):
    runtime = app.runtime
    assert runtime.webhooks.wait_idle(10)
    runtime.clock._manual_now = runtime.start_epoch  # rewind: only tests do this
    runtime.reset()
    with app.test_client() as test_client:
        yield test_client


def call(client, method, path, expect=None, **kw):
    response = client.request(method, J + path, headers=kw.pop("headers", H), **kw)
    if expect is not None:
        assert response.status_code == expect, response.text
    return response


def error(response, status=400):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"message"} and body["message"]
    return body["message"]
