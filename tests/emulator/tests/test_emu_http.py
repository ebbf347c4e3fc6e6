"""HTTP/1.1 framing: keep-alive, Content-Length, 204 without body, chunked request bodies."""

import base64
import http.client
import json
import socket
from urllib.parse import urlsplit

from twilio_emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN

AUTH = "Basic " + base64.b64encode(("%s:%s" % (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)).encode()).decode()
FORM = "application/x-www-form-urlencoded"


def _connection(base_url):
    parts = urlsplit(base_url)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)


def test_many_requests_on_one_keep_alive_connection(base_url):
    conn = _connection(base_url)
    headers = {"Authorization": AUTH, "Content-Type": FORM}
    conn.request("POST", "/chat/v2/Services", body="FriendlyName=ka", headers=headers)
    created = conn.getresponse()
    assert created.status == 201
    assert int(created.getheader("Content-Length")) == len(created.read())
    for path, status in (("/chat/v2/Services", 200), ("/chat/v2/Services/IS" + "0" * 32, 404), ("/nowhere", 404)):
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        assert response.status == status
        assert int(response.getheader("Content-Length")) == len(body)
        assert response.getheader("Content-Type").startswith("application/json")
    conn.request("POST", "/chat/v2/Services", body="FriendlyName=gone", headers=headers)
    sid = json.loads(conn.getresponse().read())["sid"]
    conn.request("DELETE", "/chat/v2/Services/" + sid, headers=headers)
    deleted = conn.getresponse()
    assert deleted.status == 204 and deleted.read() == b"" and deleted.getheader("Content-Length") is None
    conn.request("GET", "/chat/v2/Services/" + sid, headers=headers)
    assert conn.getresponse().status == 404, "the connection is still in sync after the 204"
    conn.close()


def test_chunked_request_body(base_url):
    parts = urlsplit(base_url)
    raw = (
        "POST /chat/v2/Services HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\nContent-Type: %s\r\n"
        "Transfer-Encoding: chunked\r\n\r\n8\r\nFriendly\r\n7\r\nName=ch\r\n0\r\n\r\n"
        "GET /chat/v2/Services HTTP/1.1\r\nHost: x\r\nAuthorization: %s\r\nConnection: close\r\n\r\n"
    ) % (AUTH, FORM, AUTH)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(raw.encode())
        data = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    assert data.startswith(b"HTTP/1.1 201 ")
    assert data.count(b"HTTP/1.1 200 ") == 1
    assert data.count(b'"friendly_name": "ch"') == 2
