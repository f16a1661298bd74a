"""The journal shows request bodies and query strings with the values of secret-named fields masked, in each
body's own format; what is not a secret reads exactly as sent."""

from __future__ import annotations

import json

import pytest

from mock_server.tooling.masking import MASK, mask_body


@pytest.mark.parametrize("name", ["secret", "password", "token", "api_key", "apiKey", "signing_secret",
                                  "client_secret", "access_token", "refresh_token", "X-Api-Key", "passwd"])
def test_json_fields_named_like_secrets_are_masked_at_any_depth(name):
    body = {"name": "kept", name: "s3", "nested": {"list": [{name: "s4", "sku": "A"}], name: {"deep": "s5"}}}
    masked = json.loads(mask_body(json.dumps(body).encode(), "application/json"))
    assert masked == {"name": "kept", name: MASK, "nested": {"list": [{name: MASK, "sku": "A"}], name: MASK}}


def test_a_json_body_without_secrets_reads_exactly_as_sent():
    raw = b'{ "sku" : "A",  "price": 1.50 }'
    assert mask_body(raw, "application/json") == raw.decode()


def test_a_json_body_cut_at_the_cap_is_masked_by_its_text():
    raw = b'{"file_source": {"type": "sftp", "password": "hunter2", "host": "h", "token": 12345, "api_key": "abc'
    shown = mask_body(raw, "application/json")
    assert "hunter2" not in shown and "12345" not in shown and "abc" not in shown
    assert '"password": "***"' in shown and '"host": "h"' in shown


def test_urlencoded_fields_are_masked_by_their_decoded_name():
    raw = b"grant_type=client_credentials&client_id=wz&client%5Fsecret=wizart_test_secret_0001&scope="
    shown = mask_body(raw, "application/x-www-form-urlencoded")
    assert shown == f"grant_type=client_credentials&client_id=wz&client%5Fsecret={MASK}&scope="


def test_multipart_parts_named_like_secrets_lose_their_content_only():
    raw = (b'--xx\r\nContent-Disposition: form-data; name="api_key"\r\n\r\nk-123\r\n'
           b'--xx\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nean,title\n1,2\n\r\n'
           b'--xx\r\nContent-Disposition: form-data; name="options"\r\n\r\n{"password": "p-9"}\r\n--xx--\r\n')
    shown = mask_body(raw, "multipart/form-data; boundary=xx")
    assert "k-123" not in shown and "ean,title\n1,2\n" in shown
    assert 'name="api_key"\r\n\r\n***\r\n--xx' in shown


@pytest.fixture(scope="module")
def app():
    from mock_server.app import create_app
    from mock_server.config import Config

    built = create_app(Config(clock="manual", swagger_ui=False))
    yield built
    built.runtime.close()


def test_the_journal_never_shows_wizart_or_pixee_secrets(app):
    with app.test_client() as client:
        client.post("/wizart/oauth/token", data={"grant_type": "client_credentials", "client_id": "wizart_test_client",
                                                 "client_secret": "wizart_test_secret_0001"})
        client.post("/pixee/api/v1/imports/automations", headers={"Authorization": "Bearer pixee_test_key_0001"},
                    json={"name": "nightly", "schedule": "0 2 * * *", "file_source": {
                        "type": "sftp", "host": "files.example", "path": "/x.csv", "username": "u",
                        "password": "sftp-pass-77"}})
        client.get("/jasper/api/v1/products?api_key=q-secret-5&page=1",
                   headers={"Authorization": "Bearer jasper-test-token"})
        shown = client.get("/__admin/requests").json()["requests"]
    text = json.dumps(shown)
    for secret in ("wizart_test_secret_0001", "sftp-pass-77", "q-secret-5", "pixee_test_key_0001"):
        assert secret not in text
    assert "client_id=wizart_test_client" in shown[0]["body"]
    assert json.loads(shown[1]["body"])["file_source"]["username"] == "u"
    assert shown[2]["query"] == {"api_key": [MASK], "page": ["1"]}


def test_verification_still_matches_on_what_was_sent(app):
    """Masking is for what the journal shows; a test can still verify the client sent the right secret."""
    with app.test_client() as client:
        client.delete("/__admin/requests")
        client.post("/wizart/oauth/token", data={"grant_type": "client_credentials", "client_id": "wizart_test_client",
                                                 "client_secret": "wizart_test_secret_0001"})
        found = client.post("/__admin/requests/find", json={"body": {"client_secret": "wizart_test_secret_0001"}})
    assert found.status_code == 200 and len(found.json()["requests"]) == 1
    assert "wizart_test_secret_0001" not in found.text
