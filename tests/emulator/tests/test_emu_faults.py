"""Fault injection, request log and control endpoints."""

import pytest
import requests

from twilio_emulator import DEFAULT_ACCOUNT_SID


def _control(base_url, method, name, payload=None):
    return requests.request(method, "%s/__emulator/%s" % (base_url, name), json=payload, headers={"Content-Type": "application/json"}, timeout=10)


@pytest.mark.parametrize("kind, status, code", [("429", 429, 20429), ("429_retry_after", 429, 20429), ("500", 500, 20500), ("503", 503, 20503)])
def test_error_faults(api, base_url, kind, status, code):
    assert _control(base_url, "POST", "faults", {"kinds": [kind], "next": 1}).status_code == 200
    response = api.get("/chat/v2/Services")
    assert response.status_code == status
    assert response.json() == {
        "code": code,
        "message": response.json()["message"],
        "more_info": "https://www.twilio.com/docs/errors/%d" % code,
        "status": status,
    }
    assert ("Retry-After" in response.headers) == (kind == "429_retry_after")
    assert api.get("/chat/v2/Services").status_code == 200, "only the next request gets the fault"
    log = _control(base_url, "GET", "requests").json()["requests"]
    assert [(e["status"], e["fault"]) for e in log] == [(status, kind), (200, None)]


def test_429_is_never_processed(api, emulator, default_sid):
    emulator.set_faults(kinds=["429"], next=1)
    assert api.post("/chat/v2/Services", {"FriendlyName": "x"}).status_code == 429
    assert [s["sid"] for s in api.get("/chat/v2/Services").json()["services"]] == [default_sid]


def test_reset_fault_raises_connection_error(api, emulator):
    emulator.set_faults(kinds=["reset"], next=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        api.get("/chat/v2/Services")
    assert api.get("/chat/v2/Services").status_code == 200
    assert [e["fault"] for e in emulator.request_log()] == ["reset", None]
    assert emulator.request_log()[0]["status"] is None


def test_commit_drop_applies_the_change_but_drops_the_connection(api, emulator):
    emulator.set_faults(kinds=["commit_drop"], next=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post("/chat/v2/Services", {"FriendlyName": "dropped"})
    services = api.get("/chat/v2/Services").json()["services"]
    assert [s["friendly_name"] for s in services] == ["Default Conversations Service", "dropped"]
    assert emulator.request_log()[0]["fault"] == "commit_drop"
    assert emulator.request_log()[0]["status"] == 201


def test_commit_drop_on_delete(api, emulator):
    sid = api.create("/chat/v1/Services", {"FriendlyName": "x"})["sid"]
    emulator.set_faults(kinds=["commit_drop"], next=1, methods=["DELETE"])
    assert api.get("/chat/v1/Services/" + sid).status_code == 200, "methods filter spares GET"
    with pytest.raises(requests.exceptions.ConnectionError):
        api.delete("/chat/v1/Services/" + sid)
    assert api.get("/chat/v1/Services/" + sid).status_code == 404


def test_rate_faults_are_seeded_and_reproducible(api, emulator):
    def run():
        emulator.set_faults(rate=0.5, kinds=["500", "503"], seed=7)
        return [api.get("/chat/v2/Services").status_code for dummy in range(30)]

    first, second = run(), run()
    assert first == second
    assert {200, 500, 503} <= set(first)


def test_next_cycles_through_kinds(api, emulator):
    emulator.set_faults(kinds=["500", "503"], next=3)
    assert [api.get("/chat/v2/Services").status_code for dummy in range(4)] == [500, 503, 500, 200]


def test_latency(api, emulator):
    emulator.set_faults(latency_ms=200)
    response = api.get("/chat/v2/Services")
    assert response.elapsed.total_seconds() >= 0.2


def test_faults_via_control_endpoint_validation(base_url):
    assert _control(base_url, "POST", "faults", {"kinds": ["bogus"], "rate": 0.5}).status_code == 400
    assert _control(base_url, "POST", "faults", {"rate": 2, "kinds": ["500"]}).status_code == 400
    assert _control(base_url, "POST", "faults", {"rate": 0.5}).status_code == 400
    assert _control(base_url, "POST", "faults", {"nonsense": 1}).status_code == 400
    ok = _control(base_url, "POST", "faults", {"rate": 0.25, "kinds": ["500"], "seed": 3, "latency_ms": 5})
    assert ok.json()["rate"] == 0.25 and ok.json()["latency_ms"] == 5
    assert _control(base_url, "DELETE", "faults").status_code == 204
    assert _control(base_url, "GET", "faults").json()["rate"] == 0


def test_request_log_and_reset(api, base_url):
    api.create("/chat/v2/Services", {"FriendlyName": "x"})
    api.get("/chat/v2/Services?PageSize=5")
    requests.get(base_url + "/__emulator/health", timeout=5)
    log = _control(base_url, "GET", "requests").json()["requests"]
    assert [(e["method"], e["path"], e["query"], e["status"], e["account_sid"], e["fault"]) for e in log] == [
        ("POST", "/chat/v2/Services", "", 201, DEFAULT_ACCOUNT_SID, None),
        ("GET", "/chat/v2/Services", "PageSize=5", 200, DEFAULT_ACCOUNT_SID, None),
    ]
    assert all(isinstance(e["timestamp"], float) for e in log)
    assert _control(base_url, "DELETE", "requests").status_code == 204
    assert _control(base_url, "GET", "requests").json() == {"requests": []}


def test_request_log_keeps_the_form_in_the_order_sent(api, base_url):
    """A test proves which fields a write sent from the log: repeated names repeat, an empty value stays."""
    sid = api.create("/chat/v2/Services", {"FriendlyName": "x y&z"})["sid"]
    form = [("WebhookFilters", "onMessageSent"), ("ReachabilityEnabled", "true"), ("WebhookFilters", "onChannelAdded"), ("PreWebhookUrl", "")]
    assert api.post("/chat/v2/Services/" + sid, form).status_code == 200
    api.get("/chat/v2/Services/" + sid)
    log = _control(base_url, "GET", "requests").json()["requests"]
    assert [e["form"] for e in log] == [[["FriendlyName", "x y&z"]], [list(pair) for pair in form], []]


def test_reset_endpoint_deletes_everything(api, other_api, base_url):
    api.create("/chat/v2/Services", {"FriendlyName": "x"})
    other_api.create("/serverless/v1/Services", {"UniqueName": "u", "FriendlyName": "x"})
    assert _control(base_url, "POST", "reset").json() == {"ok": True}
    # all but the default Conversations Service a fresh account has
    assert [s["friendly_name"] for s in api.get("/chat/v2/Services").json()["services"]] == ["Default Conversations Service"]
    assert other_api.get("/serverless/v1/Services").json()["services"] == []
    log = _control(base_url, "GET", "requests").json()["requests"]
    assert [e["path"] for e in log] == ["/chat/v2/Services", "/serverless/v1/Services"], "reset also cleared the log"


def test_health_and_unknown_control_endpoint(base_url):
    assert _control(base_url, "GET", "health").json() == {"ok": True}
    assert _control(base_url, "GET", "nothing").status_code == 404


def test_drop_field_answers_200_without_applying_the_named_field(api, emulator):
    sid = api.create("/chat/v2/Services", {"FriendlyName": "x"})["sid"]
    emulator.set_faults(kinds=["drop_field"], next=1, methods=["POST"], drop_field="Limits.ChannelMembers")
    response = api.post("/chat/v2/Services/" + sid, {"TypingIndicatorTimeout": "9", "Limits.ChannelMembers": "500"})
    assert response.status_code == 200
    assert response.json()["typing_indicator_timeout"] == 9, "the other fields are applied"
    assert response.json()["limits"]["channel_members"] == 250, "the answer shows the field unchanged"
    assert api.get("/chat/v2/Services/" + sid).json()["limits"]["channel_members"] == 250
    entry = emulator.request_log()[-2]
    assert (entry["method"], entry["status"], entry["fault"], entry["dropped"]) == ("POST", 200, "drop_field", "Limits.ChannelMembers")
    response = api.post("/chat/v2/Services/" + sid, {"Limits.ChannelMembers": "500"})
    assert response.json()["limits"]["channel_members"] == 500, "only the next write is affected"


def test_drop_field_default_is_the_first_optional_parameter(api, emulator):
    emulator.set_faults(kinds=["drop_field"], next=2, methods=["POST"])
    service = api.create("/serverless/v1/Services", {"UniqueName": "u", "FriendlyName": "f", "UiEditable": "true"})
    assert (service["unique_name"], service["friendly_name"], service["ui_editable"]) == (
        "u",
        "f",
        False,
    ), "a create keeps its required parameters and drops the first optional one"
    response = api.post("/serverless/v1/Services/u", {"FriendlyName": "g", "IncludeCredentials": "false"})
    assert response.status_code == 200
    # "First" in the order of the operation's parameters in the spec (IncludeCredentials, FriendlyName, UiEditable).
    assert (response.json()["friendly_name"], response.json()["include_credentials"]) == ("g", True)
    assert [e.get("dropped") for e in emulator.request_log()] == ["UiEditable", "IncludeCredentials"]


def test_drop_field_on_an_environment_create_and_on_reads(api, emulator):
    api.create("/serverless/v1/Services", {"UniqueName": "u", "FriendlyName": "f"})
    emulator.set_faults(kinds=["drop_field"], next=2)
    assert api.get("/serverless/v1/Services/u").status_code == 200, "a read is answered as usual"
    env = api.create("/serverless/v1/Services/u/Environments", {"UniqueName": "dev", "DomainSuffix": "dev"})
    assert (env["unique_name"], env["domain_suffix"]) == ("dev", None)
    assert [e.get("dropped") for e in emulator.request_log()[-2:]] == [None, "DomainSuffix"]
    assert _control(emulator.base_url, "GET", "faults").json()["drop_field"] is None


def test_request_log_read_and_cleared_in_one_step(api, base_url):
    """GET .../requests?clear=true (what the integration targets' url lookup uses) returns the log and empties it."""
    api.get("/chat/v2/Services")
    api.post("/chat/v2/Services", {"FriendlyName": "logged"})
    assert [e["method"] for e in _control(base_url, "GET", "requests").json()["requests"]] == ["GET", "POST"]
    read = _control(base_url, "GET", "requests?clear=true").json()["requests"]
    assert [(e["method"], e["path"]) for e in read] == [("GET", "/chat/v2/Services"), ("POST", "/chat/v2/Services")]
    assert _control(base_url, "GET", "requests").json() == {"requests": []}
    api.get("/chat/v2/Services")
    assert len(_control(base_url, "GET", "requests?clear=false").json()["requests"]) == 1
    assert len(_control(base_url, "GET", "requests").json()["requests"]) == 1, "clear=false keeps the log"
    refused = _control(base_url, "GET", "requests?clear=yes")
    assert refused.status_code == 400 and "clear must be true or false" in refused.json()["error"]
    refused = _control(base_url, "GET", "requests?since=1")
    assert refused.status_code == 400 and "unknown query parameter(s) of GET /__emulator/requests: since" in refused.json()["error"]
    assert _control(base_url, "GET", "faults?clear=true").status_code == 400


def test_reset_clears_faults_and_caps_only_when_asked(api, base_url, emulator):
    emulator.set_faults(kinds=["500"], rate=1, methods=["POST"])
    emulator.set_max_services({"serverless": 1})
    api.get("/chat/v2/Services")
    assert _control(base_url, "POST", "reset").status_code == 200
    assert _control(base_url, "GET", "requests").json() == {"requests": []}
    assert _control(base_url, "GET", "faults").json()["kinds"] == ["500"], "a plain reset keeps the faults"
    assert _control(base_url, "GET", "config").json()["max_services"]["serverless"] == 1
    assert _control(base_url, "POST", "reset", {"faults": True, "config": True}).status_code == 200
    assert _control(base_url, "GET", "faults").json()["kinds"] == []
    assert _control(base_url, "GET", "config").json() == {
        "max_services": {"chat": None, "serverless": 50},
        "strict_params": True,
        "conversations_webhook_defaults": "schema",
    }
    refused = _control(base_url, "POST", "reset", {"log": True})
    assert refused.status_code == 400 and "unknown reset key(s): log" in refused.json()["error"]
