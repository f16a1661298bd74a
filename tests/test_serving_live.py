"""Connections a real server holds: idle sockets and slow request heads are closed, the connection cap makes
room for new clients, slow bodies get a 408 and chunked bodies are read (uvicorn on a loopback port)."""

from __future__ import annotations

import socket
import time

import httpx
import pytest
from _live import LiveServer

from mock_server.serving import uvicorn_options

pytestmark = pytest.mark.live

JH = {"Authorization": "Bearer jasper-test-token"}
PART_START = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nean,title\n'
CAP, HEAD_SECONDS, BODY_SECONDS = 20, 0.6, 1.0


@pytest.fixture(scope="module")
def server():
    from mock_server.app import create_app
    from mock_server.config import Config

    app = create_app(Config(clock="manual", swagger_ui=False, max_upload_bytes=4096, body_timeout=BODY_SECONDS))
    with LiveServer(app, **uvicorn_options(CAP, HEAD_SECONDS)) as live:
        yield live
    app.runtime.close()


def _connect(server) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=5)
    return sock


def _closed_by_server(sock: socket.socket, within: float) -> bool:
    sock.settimeout(within)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def test_idle_sockets_past_the_cap_do_not_lock_new_clients_out(server):
    idle = [_connect(server) for _ in range(CAP * 3)]
    try:
        time.sleep(0.1)
        response = httpx.get(f"{server.origin}/jasper/api/v1/products", headers=JH, timeout=5)
        assert response.status_code == 200
        assert sum(_closed_by_server(s, 0.05) for s in idle) >= CAP * 2  # the longest idle made room
    finally:
        for sock in idle:
            sock.close()


def test_a_connection_that_sends_nothing_is_closed_after_the_head_deadline(server):
    with _connect(server) as sock:
        assert not _closed_by_server(sock, HEAD_SECONDS / 3)
        assert _closed_by_server(sock, HEAD_SECONDS * 4)


def test_a_request_head_sent_a_byte_at_a_time_is_cut_off(server):
    with _connect(server) as sock:
        started = time.monotonic()
        head = b"GET /jasper/api/v1/products HTTP/1.1\r\nHost: x\r\n"
        closed = False
        for byte in head:
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            if _closed_by_server(sock, 0.05):
                closed = True
                break
        assert closed and time.monotonic() - started < HEAD_SECONDS * 4


@pytest.mark.parametrize("path, auth, status, body", [
    ("/productsmanager/api/v1/imports", "Bearer pm_test_key_0001", b"408",
     b'{"error":"request_timeout","message":"The request body did not arrive within 1 seconds."}'),
    # Jasper's closed status vocabulary (J-003) has no 408: its nearest, 400, in its own envelope.
    ("/jasper/api/v1/products", "Bearer jasper-test-token", b"400",
     b'{"message":"The request body did not arrive within 1 seconds."}')])
def test_a_body_slower_than_the_deadline_is_refused_in_the_vendors_envelope(server, path, auth, status, body):
    with _connect(server) as sock:
        kind, start = (b"multipart/form-data; boundary=b", PART_START) if "imports" in path else \
            (b"application/json", b'{"name":')
        sock.sendall(f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {auth}\r\n".encode() +
                     b"Content-Type: " + kind + b"\r\nContent-Length: 300\r\n\r\n" + start)
        started = time.monotonic()
        answer = _read_answer(sock, BODY_SECONDS * 5)
    assert answer.startswith(b"HTTP/1.1 " + status), answer
    assert answer.endswith(body) and b"connection: close" in answer.lower()
    assert time.monotonic() - started < BODY_SECONDS * 4


def test_a_body_stalled_inside_the_journals_first_bytes_still_times_out(server):
    """The journal reads the first 4 KB before the app: a stall there is under the same deadline."""
    with _connect(server) as sock:
        sock.sendall(b"POST /productsmanager/api/v1/imports HTTP/1.1\r\nHost: x\r\n"
                     b"Authorization: Bearer pm_test_key_0001\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                     b"Content-Length: 3000\r\n\r\n" + PART_START)
        answer = _read_answer(sock, BODY_SECONDS * 5)
    assert answer.startswith(b"HTTP/1.1 408"), answer


def _read_answer(sock: socket.socket, within: float) -> bytes:
    sock.settimeout(within)
    answer = b""
    try:
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    except TimeoutError:
        pass
    return answer


def _chunks(*parts: bytes):
    yield from parts


def test_a_chunked_json_body_is_read(server):
    response = httpx.post(f"{server.origin}/jasper/api/v1/products", timeout=5,
                          headers={**JH, "Content-Type": "application/json"},
                          content=_chunks(b'{"name":"Chunked",', b'"sku":"CHUNK-1"}'))
    assert response.status_code == 201, response.text
    assert response.json()["product"]["sku"] == "CHUNK-1"


def test_a_chunked_upload_over_the_limit_is_413(server):
    body = b"--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n" + b"x," * 4000
    response = httpx.post(f"{server.origin}/productsmanager/api/v1/imports", timeout=5,
                          headers={"Authorization": "Bearer pm_test_key_0001",
                                   "Content-Type": "multipart/form-data; boundary=b"},
                          content=_chunks(body[:1000], body[1000:]))
    assert response.status_code == 413, response.text
    assert response.json()["error"] == "file_too_large"
