"""The faults that attack the create protocol: listing lag, late commits, a skewed clock, encoded echoes."""

import base64
import calendar
import email.utils
import time

import pytest

from twilio_emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN


#: The service every account has (made with it, listed first).
DEFAULT = "Default Conversations Service"


def _names(api):
    return [s["friendly_name"] for s in api.get("/chat/v2/Services").json()["services"]]


def test_listing_lag_hides_a_new_record_from_listings_but_not_from_a_fetch(api, emulator):
    old = api.create("/chat/v2/Services", {"FriendlyName": "old"})
    time.sleep(0.7)
    emulator.set_faults(listing_lag_ms=600)
    new = api.create("/chat/v2/Services", {"FriendlyName": "new"})
    assert _names(api) == [DEFAULT, "old"], "the new record is not listed yet"
    assert api.get("/chat/v2/Services/" + new["sid"]).json()["sid"] == new["sid"], "a fetch by SID finds it at once"
    assert [s["friendly_name"] for s in api.get("/conversations/v1/Services").json()["services"]] == [DEFAULT, "old"]
    time.sleep(0.7)
    assert _names(api) == [DEFAULT, "old", "new"]
    assert old["sid"] != new["sid"]
    assert emulator.faults.describe()["listing_lag_ms"] == 600


def test_listing_lag_keeps_paging_consistent(api, emulator):
    emulator.set_faults(listing_lag_ms=5000)
    for index in range(3):
        api.create("/chat/v2/Services", {"FriendlyName": "s%d" % index})
    page = api.get("/chat/v2/Services", params={"PageSize": 2}).json()
    # the default Conversations Service was there before: it never lags
    assert [s["friendly_name"] for s in page["services"]] == [DEFAULT] and page["meta"]["next_page_url"], "hidden records still count for paging"


@pytest.mark.parametrize("kind, status", [("late_commit_500", 500), ("late_commit_503", 503)])
def test_late_commit_answers_a_json_5xx_at_once_and_commits_later(api, emulator, kind, status):
    emulator.set_faults(kinds=[kind], next=1, methods=["POST"], delay_ms=400)
    started = time.monotonic()
    response = api.post("/chat/v2/Services", {"FriendlyName": "late"})
    assert time.monotonic() - started < 0.3, "the 5xx comes at once"
    assert response.status_code == status and response.json()["code"] == 20000 + status
    assert _names(api) == [DEFAULT]
    time.sleep(0.8)
    assert _names(api) == [DEFAULT, "late"], "the record committed after the 5xx"
    assert [(e["method"], e["status"], e["fault"]) for e in emulator.request_log()][0] == ("POST", status, kind)


def test_late_commit_processes_only_creates(api, emulator):
    sid = api.create("/chat/v2/Services", {"FriendlyName": "kept"})["sid"]
    emulator.set_faults(kinds=["late_commit_503"], next=2, methods=["POST", "DELETE"], delay_ms=100)
    assert api.post("/chat/v2/Services/" + sid, {"FriendlyName": "renamed"}).status_code == 503
    assert api.delete("/chat/v2/Services/" + sid).status_code == 503
    time.sleep(0.4)
    assert _names(api) == [DEFAULT, "kept"], "an update or a delete answered by the fault is never processed"


def test_late_commit_of_an_invalid_create_makes_nothing(api, emulator):
    emulator.set_faults(kinds=["late_commit_500"], next=1, methods=["POST"], delay_ms=100)
    assert api.post("/chat/v2/Services", {"FriendlyName": ""}).status_code == 500
    time.sleep(0.4)
    assert _names(api) == [DEFAULT]


def test_clock_offset_moves_the_date_header_and_date_created(api, emulator):
    emulator.set_faults(clock_offset_ms=-90_000)
    response = api.post("/chat/v2/Services", {"FriendlyName": "skewed"})
    created = calendar.timegm(time.strptime(response.json()["date_created"], "%Y-%m-%dT%H:%M:%SZ"))
    header = email.utils.parsedate_to_datetime(response.headers["Date"]).timestamp()
    assert 88 <= time.time() - created <= 92
    assert 88 <= time.time() - header <= 92
    emulator.clear_faults()
    header = email.utils.parsedate_to_datetime(api.get("/chat/v2/Services").headers["Date"]).timestamp()
    assert abs(time.time() - header) < 2, "clearing the faults restores the clock"


@pytest.mark.parametrize("kind", ["echo_auth_hex", "echo_auth_base64"])
def test_encoded_echoes_of_the_authorization_header(api, emulator, kind):
    emulator.set_faults(kinds=[kind], next=1)
    response = api.get("/chat/v2/Services")
    assert response.status_code == 401
    message = response.json()["message"]
    encoded = message.rsplit(" ", 1)[1]
    header = bytes.fromhex(encoded) if kind == "echo_auth_hex" else base64.b64decode(encoded)
    scheme, dummy, basic = header.decode("ascii").partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(basic).decode("ascii") == "%s:%s" % (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)


def test_protocol_knobs_are_validated(emulator):
    for bad in ({"listing_lag_ms": -1}, {"listing_lag_ms": "3"}, {"clock_offset_ms": 1.5}, {"clock_offset_ms": True}):
        with pytest.raises(ValueError):
            emulator.set_faults(**bad)
