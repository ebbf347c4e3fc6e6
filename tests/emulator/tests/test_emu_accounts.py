"""Accounts, API keys, isolation, service caps and concurrency."""

import calendar
import threading
import time

import requests

from twilio_emulator import DEFAULT_ACCOUNT_SID, DEFAULT_API_KEY, DEFAULT_API_SECRET

from emulator_helpers import OTHER_ACCOUNT_SID, OTHER_API_KEY, OTHER_API_SECRET


def test_api_key_authenticates_as_its_account(api, default_sid, other_default_sid):
    created = api.create("/chat/v2/Services", {"FriendlyName": "x"})
    api.session.auth = (DEFAULT_API_KEY, DEFAULT_API_SECRET)
    listed = api.get("/chat/v2/Services").json()["services"]
    assert [s["sid"] for s in listed] == [default_sid, created["sid"]]
    assert {s["account_sid"] for s in listed} == {DEFAULT_ACCOUNT_SID}
    api.session.auth = (OTHER_API_KEY, OTHER_API_SECRET)
    assert [s["sid"] for s in api.get("/chat/v2/Services").json()["services"]] == [other_default_sid]
    api.session.auth = (DEFAULT_API_KEY, OTHER_API_SECRET)
    assert api.get("/chat/v2/Services").status_code == 401


def test_accounts_are_isolated(api, other_api, emulator, other_default_sid):
    mine = api.create("/chat/v2/Services", {"FriendlyName": "mine"})
    fn = api.create("/serverless/v1/Services", {"UniqueName": "shared-name", "FriendlyName": "x"})
    assert [s["sid"] for s in other_api.get("/chat/v2/Services").json()["services"]] == [other_default_sid]
    for method in ("GET", "POST", "DELETE"):
        assert other_api.request(method, "/chat/v2/Services/" + mine["sid"]).status_code == 404
        assert other_api.request(method, "/serverless/v1/Services/" + fn["sid"]).status_code == 404
    assert other_api.get("/serverless/v1/Services/shared-name").status_code == 404
    theirs = other_api.create("/serverless/v1/Services", {"UniqueName": "shared-name", "FriendlyName": "y"})
    assert theirs["account_sid"] == OTHER_ACCOUNT_SID
    assert api.get("/chat/v2/Services/" + mine["sid"]).json()["friendly_name"] == "mine"
    assert {e["account_sid"] for e in emulator.request_log()} == {DEFAULT_ACCOUNT_SID, OTHER_ACCOUNT_SID}


def test_v1_and_v2_are_views_of_the_same_services(api):
    sid = api.create("/chat/v2/Services", {"FriendlyName": "both"})["sid"]
    api.post("/chat/v2/Services/" + sid, {"Notifications.NewMessage.Sound": "ding", "Notifications.NewMessage.Enabled": "true"})
    v1 = api.get("/chat/v1/Services/" + sid).json()
    assert v1["notifications"]["new_message"] == {"enabled": True, "template": None}
    assert "media" not in v1 and v1["webhooks"] == {}
    api.delete("/chat/v1/Services/" + sid)
    assert api.get("/chat/v2/Services/" + sid).status_code == 404


def test_serverless_cap_default_50(api, emulator):
    for index in range(50):
        api.create("/serverless/v1/Services", {"UniqueName": "s%d" % index, "FriendlyName": "x"})
    response = api.post("/serverless/v1/Services", {"UniqueName": "one-too-many", "FriendlyName": "x"})
    assert response.status_code == 400
    assert response.json()["code"] == 20001
    assert "Maximum number of Services" in response.json()["message"] and "50" in response.json()["message"]
    api.delete("/serverless/v1/Services/s0")
    assert api.post("/serverless/v1/Services", {"UniqueName": "one-too-many", "FriendlyName": "x"}).status_code == 201
    emulator.set_max_services({"serverless": None})
    assert api.post("/serverless/v1/Services", {"UniqueName": "beyond", "FriendlyName": "x"}).status_code == 201


def test_chat_is_uncapped_by_default_and_cap_is_configurable(api, base_url):
    for index in range(60):
        api.create("/chat/v2/Services", {"FriendlyName": str(index)})
    response = requests.post(base_url + "/__emulator/config", json={"max_services": {"chat": 60}}, timeout=5)
    assert response.json() == {"max_services": {"chat": 60, "serverless": 50}, "strict_params": True, "conversations_webhook_defaults": "schema"}
    assert api.post("/chat/v1/Services", {"FriendlyName": "x"}).json()["code"] == 20001
    requests.post(base_url + "/__emulator/config", json={"max_services": 3}, timeout=5)
    assert requests.get(base_url + "/__emulator/config", timeout=5).json() == {
        "max_services": {"chat": 3, "serverless": 3},
        "strict_params": True,
        "conversations_webhook_defaults": "schema",
    }
    assert requests.post(base_url + "/__emulator/config", json={"max_services": {"sms": 1}}, timeout=5).status_code == 400


def test_age_moves_every_record_into_the_past(api, base_url):
    chat = api.create("/chat/v2/Services", {"FriendlyName": "old"})
    fn = api.create("/serverless/v1/Services", {"UniqueName": "old-fn", "FriendlyName": "x"})
    env = api.create("/serverless/v1/Services/%s/Environments" % fn["sid"], {"UniqueName": "dev"})
    response = requests.post(base_url + "/__emulator/age", json={"seconds": 3600}, timeout=5)
    # the two accounts' default Conversations Services are aged too
    assert response.json() == {"aged": 5}
    stamps = [
        api.get("/chat/v2/Services/" + chat["sid"]).json(),
        api.get("/conversations/v1/Services/" + chat["sid"]).json(),
        api.get("/serverless/v1/Services/" + fn["sid"]).json(),
        api.get("/serverless/v1/Services/%s/Environments/%s" % (fn["sid"], env["sid"])).json(),
    ]
    assert [s["date_created"] for s in stamps] == [_hour_before(chat), _hour_before(chat), _hour_before(fn), _hour_before(env)]
    assert [s["date_updated"] for s in stamps][:1] == [_hour_before(chat, "date_updated")]
    assert requests.post(base_url + "/__emulator/age", json={"seconds": -1}, timeout=5).status_code == 400
    assert requests.post(base_url + "/__emulator/age", json={"seconds": "60"}, timeout=5).status_code == 400


def _hour_before(record, key="date_created"):
    stamp = calendar.timegm(time.strptime(record[key], "%Y-%m-%dT%H:%M:%SZ")) - 3600
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(stamp))


def test_concurrent_creates(api, base_url, default_sid):
    results, errors = [], []
    lock = threading.Lock()

    def worker(thread_index):
        session = requests.Session()
        session.auth = api.session.auth
        try:
            for index in range(25):
                response = session.post(base_url + "/chat/v2/Services", data={"FriendlyName": "t%d-%d" % (thread_index, index)}, timeout=10)
                with lock:
                    results.append(response.json()["sid"]) if response.status_code == 201 else errors.append(response.text)
        finally:
            session.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == len(set(results)) == 200
    listed = []
    url = "/chat/v2/Services?PageSize=100"
    while url:
        body = api.get(url).json()
        listed += [s["sid"] for s in body["services"]]
        url = body["meta"]["next_page_url"]
    assert sorted(listed) == sorted(results + [default_sid])


def test_seed_makes_services_in_one_step(api, other_api, base_url):
    """POST /__emulator/seed: many services at once (paging tests), the same records POST /Services makes, unlogged."""
    sids = requests.post(base_url + "/__emulator/seed", json={"services": ["s-%d" % (i % 3) for i in range(105)]}, timeout=5).json()["sids"]
    assert len(set(sids)) == 105
    first = api.get("/chat/v2/Services/" + sids[0]).json()
    assert first["friendly_name"] == "s-0" and first["typing_indicator_timeout"] == 5
    assert api.get("/conversations/v1/Services/" + sids[-1]).json()["friendly_name"] == "s-2"
    assert api.get("/chat/v2/Services", params={"PageSize": 100}).json()["meta"]["next_page_url"]
    requests.post(base_url + "/__emulator/seed", json={"services": ["theirs"], "account_sid": OTHER_ACCOUNT_SID}, timeout=5)
    assert [s["friendly_name"] for s in other_api.get("/chat/v2/Services").json()["services"]] == ["Default Conversations Service", "theirs"]
    assert [e["method"] for e in requests.get(base_url + "/__emulator/requests", timeout=5).json()["requests"]] == ["GET"] * 4
    for bad in ({"services": "one"}, {"services": [""]}, {"services": ["x"], "account_sid": "AC" + "9" * 32}, {"services": ["x"], "extra": 1}):
        assert requests.post(base_url + "/__emulator/seed", json=bad, timeout=5).status_code == 400, bad
    # the cap counts the account's default Conversations Service: 1 + 105 services are there
    requests.post(base_url + "/__emulator/config", json={"max_services": {"chat": 107}}, timeout=5)
    refused = requests.post(base_url + "/__emulator/seed", json={"services": ["a", "b"]}, timeout=5)
    assert refused.status_code == 400 and "108 services would pass the chat cap of 107" in refused.json()["error"]
