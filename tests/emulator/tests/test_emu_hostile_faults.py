"""The fault kinds that model a hostile or broken path to Twilio: slow commits, drips,
redirects, echoed credentials, malformed answers, Retry-After on 503."""

import base64
import socket
import time

import pytest
import requests

from twilio_emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN

BASIC = base64.b64encode(("%s:%s" % (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)).encode()).decode()


def test_slow_commit_commits_after_the_client_gave_up(api, emulator, default_sid):
    emulator.set_faults(kinds=["slow_commit"], next=1, delay_ms=800)
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.post("/chat/v2/Services", {"FriendlyName": "late"}, timeout=0.3)
    assert [s["sid"] for s in api.get("/chat/v2/Services").json()["services"]] == [default_sid], "not committed yet"
    time.sleep(1.0)
    assert [s["friendly_name"] for s in api.get("/chat/v2/Services").json()["services"]] == ["Default Conversations Service", "late"]
    # Logged when it is answered, so after the GET that came meanwhile.
    assert ("slow_commit", 201) in [(e["fault"], e["status"]) for e in emulator.request_log()]


def test_drip_sends_one_byte_at_a_time(emulator, base_url):
    emulator.set_faults(kinds=["drip"], next=1, drip_ms=50)
    sock = socket.create_connection(("127.0.0.1", emulator.port), timeout=5)
    auth = "Authorization: Basic %s\r\n" % BASIC
    sock.sendall(("GET /chat/v2/Services HTTP/1.1\r\nHost: x\r\n%s\r\n" % auth).encode())
    start = time.monotonic()
    first = sock.recv(100)
    second = sock.recv(100)
    sock.close()
    assert (len(first), len(second)) == (1, 1) and first + second == b"HT"
    assert time.monotonic() - start >= 0.04


@pytest.mark.parametrize("location, expected", [(None, "/chat/v2/Services"), ("https://elsewhere.example/x", "https://elsewhere.example/x")])
def test_redirect_is_not_processed(api, emulator, location, expected, default_sid):
    emulator.set_faults(kinds=["redirect"], next=1, location=location)
    response = api.post("/chat/v2/Services", {"FriendlyName": "x"}, allow_redirects=False)
    assert response.status_code == 302 and response.headers["Location"] == expected
    assert [s["sid"] for s in api.get("/chat/v2/Services").json()["services"]] == [default_sid]


@pytest.mark.parametrize("kind, status", [("echo_auth", 401), ("echo_auth_html", 502)])
def test_echo_auth_puts_the_basic_header_into_the_answer(api, emulator, kind, status):
    emulator.set_faults(kinds=[kind], next=1)
    response = api.get("/chat/v2/Services")
    assert response.status_code == status and BASIC in response.text


@pytest.mark.parametrize("body", ["", "null", "[1]", "42", '{"services": [1]}'])
def test_malformed_answers_after_processing(api, emulator, body):
    emulator.set_faults(kinds=["malformed"], next=1, body=body, methods=["POST"])
    response = api.post("/chat/v2/Services", {"FriendlyName": "x"})
    assert response.status_code == 200 and response.text == body
    assert len(api.get("/chat/v2/Services").json()["services"]) == 2, "the create was processed (beside the default Conversations Service)"


def test_503_with_retry_after(api, emulator):
    emulator.set_faults(kinds=["503_retry_after"], next=1, retry_after=7)
    response = api.get("/chat/v2/Services")
    assert response.status_code == 503 and response.headers["Retry-After"] == "7"


def test_bad_fault_parameters_are_refused(emulator):
    for bad in ({"delay_ms": -1}, {"location": 5}, {"body": 3}):
        with pytest.raises(ValueError):
            emulator.set_faults(**bad)
