"""Issued access tokens live in memory only until they expire, and an expired one still answers "expired"."""

from __future__ import annotations

import pytest

from mock_server.auth import IssuedTokens


def test_expired_tokens_leave_memory_and_are_still_told_expired():
    store = IssuedTokens("wzat_")
    first = store.issue({"client_id": "a"}, now=0, lifetime=10)
    second = store.issue({"client_id": "b"}, now=5, lifetime=10)
    assert store.lookup(first, 9.9) == ({"client_id": "a"}, False) and len(store) == 2
    assert store.lookup(first, 10) == (None, True) and len(store) == 1
    assert store.lookup(second, 15) == (None, True) and len(store) == 0


@pytest.mark.parametrize("token", ["wzat_", "wzat_abc", "wzat_abc.1.deadbeef", "other", "", "wzat_x.zz.00"])
def test_a_token_never_issued_is_unknown_not_expired(token):
    store = IssuedTokens("wzat_")
    assert store.lookup(token, 10**9) == (None, False)


def test_a_forged_expiry_is_unknown():
    store = IssuedTokens("wzat_")
    token = store.issue({}, now=0, lifetime=10)
    head, expiry, mac = token.rsplit(".", 2)
    forged = f"{head}.{int(expiry, 16) + 1:x}.{mac}"
    assert store.lookup(forged, 100) == (None, False)
    assert IssuedTokens("wzat_").lookup(token, 100) == (None, False)  # another server's key


def test_a_token_per_request_forever_holds_a_bounded_number():
    store = IssuedTokens("t_", limit=50)
    tokens = [store.issue({"n": n}, now=n, lifetime=10_000) for n in range(500)]
    assert len(store) == 50
    assert store.lookup(tokens[-1], 500)[0] == {"n": 499}
    assert store.lookup(tokens[0], 500) == (None, False)  # dropped for room, before its expiry: unknown


def test_wizart_forgets_expired_tokens_and_answers_token_expired(make_app):
    from _wizart import BASE, CLIENT

    app = make_app()
    with app.test_client() as client:
        issued = [client.post("/wizart/oauth/token", data=CLIENT).json() for _ in range(20)]
        held = app.runtime.vendor_state["wizart"].tokens
        assert len(held) == 20
        client.post("/__admin/clock/advance", json={"seconds": issued[0]["expires_in"]})
        response = client.get(f"{BASE}/imports", headers={"Authorization": f"Bearer {issued[0]['access_token']}",
                                                          "Accept": "application/vnd.api+json"})
        assert response.status_code == 401
        assert response.json()["errors"][0]["code"] == "token_expired"
        assert len(held) == 0
