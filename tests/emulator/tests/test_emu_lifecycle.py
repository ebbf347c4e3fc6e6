"""In-process lifecycle: context manager, stop() closing idle keep-alive connections, restart."""

import pytest
import requests

from twilio_emulator import DEFAULT_ACCOUNT_SID, DEFAULT_API_KEY, DEFAULT_AUTH_TOKEN, Emulator


def test_context_manager_and_stop_closes_keep_alive_connections():
    with requests.Session() as session:
        session.auth = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
        with Emulator() as emu:
            base = emu.base_url
            assert base.startswith("http://127.0.0.1:") and emu.port == int(base.rsplit(":", 1)[1])
            assert session.post(base + "/chat/v2/Services", data={"FriendlyName": "x"}, timeout=5).status_code == 201
        assert emu.port is None
        with pytest.raises(requests.exceptions.ConnectionError):
            session.get(base + "/chat/v2/Services", timeout=5)


def test_state_is_per_instance_and_default_constants():
    assert len(DEFAULT_ACCOUNT_SID) == 34 and DEFAULT_ACCOUNT_SID.startswith("AC")
    assert len(DEFAULT_API_KEY) == 34 and DEFAULT_API_KEY.startswith("SK")
    # a cap of 2: the account's default Conversations Service and one more
    with Emulator(max_services={"chat": 2}) as first, Emulator() as second:
        auth = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
        assert requests.post(first.base_url + "/chat/v1/Services", data={"FriendlyName": "a"}, auth=auth, timeout=5).status_code == 201
        assert requests.post(first.base_url + "/chat/v1/Services", data={"FriendlyName": "b"}, auth=auth, timeout=5).status_code == 400
        listed = requests.get(second.base_url + "/chat/v1/Services", auth=auth, timeout=5).json()["services"]
        assert [s["friendly_name"] for s in listed] == ["Default Conversations Service"]
        assert len(first.request_log()) == 2 and second.request_log()[0]["status"] == 200


def test_bad_constructor_arguments():
    with pytest.raises(ValueError):
        Emulator(accounts=[{"account_sid": "AC1", "auth_token": "x"}])
    with pytest.raises(ValueError):
        Emulator(faults={"rate": 0.5})
    with pytest.raises(ValueError):
        Emulator(max_services={"voice": 3})
