"""Twilio-style validation and error bodies (400 / 401 / 404 / 405 / 409)."""

import pytest

from twilio_emulator import DEFAULT_ACCOUNT_SID

RL = "RL" + "a" * 32


@pytest.fixture
def v1_sid(api):
    return api.create("/chat/v1/Services", {"FriendlyName": "v1"})["sid"]


@pytest.fixture
def v2_sid(api):
    return api.create("/chat/v2/Services", {"FriendlyName": "v2"})["sid"]


def _assert_400(response, name):
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["code"] == 20001
    assert body["status"] == 400
    assert body["more_info"] == "https://www.twilio.com/docs/errors/20001"
    assert name in body["message"], body["message"]


@pytest.mark.parametrize(
    "version, form, name",
    [
        ("v2", {"Bogus": "1"}, "Bogus"),
        ("v2", {"TypingIndicatorTimeout": "5s"}, "TypingIndicatorTimeout"),
        ("v2", {"ReadStatusEnabled": "yes"}, "ReadStatusEnabled"),
        ("v2", {"Notifications.NewMessage.Enabled": "1"}, "Notifications.NewMessage.Enabled"),
        ("v2", {"DefaultServiceRoleSid": "RL123"}, "DefaultServiceRoleSid"),
        ("v2", {"DefaultChannelRoleSid": "IS" + "a" * 32}, "DefaultChannelRoleSid"),
        ("v2", {"PreWebhookUrl": "example.com/hook"}, "PreWebhookUrl"),
        ("v2", {"PostWebhookUrl": "/relative"}, "PostWebhookUrl"),
        ("v2", {"Limits.ChannelMembers": "1001"}, "Limits.ChannelMembers"),
        ("v2", {"Limits.UserChannels": "0"}, "Limits.UserChannels"),
        ("v2", {"Limits.UserChannels": ""}, "Limits.UserChannels"),
        ("v2", {"WebhookMethod": "PUT"}, "WebhookMethod"),
        ("v2", {"Webhooks.OnMessageSend.Url": "https://example.com/x"}, "Webhooks.OnMessageSend.Url"),
        ("v2", {"PreWebhookRetryCount": "x"}, "PreWebhookRetryCount"),
        ("v1", {"Media.CompatibilityMessage": "hi"}, "Media.CompatibilityMessage"),
        ("v1", {"Notifications.LogEnabled": "true"}, "Notifications.LogEnabled"),
        ("v1", {"Webhooks.OnChannelAdded.Method": "DELETE"}, "Webhooks.OnChannelAdded.Method"),
        ("v1", {"Webhooks.OnChannelAdded.Url": "ftp://example.com/x"}, "Webhooks.OnChannelAdded.Url"),
        ("v1", {"FriendlyName": "x" * 65}, "FriendlyName"),
    ],
)
def test_update_validation(api, v1_sid, v2_sid, version, form, name):
    sid = v1_sid if version == "v1" else v2_sid
    before = api.get("/chat/%s/Services/%s" % (version, sid)).json()
    _assert_400(api.post("/chat/%s/Services/%s" % (version, sid), form), name)
    assert api.get("/chat/%s/Services/%s" % (version, sid)).json() == before, "a rejected update changes nothing"


def test_a_bad_parameter_rejects_the_whole_update(api, v2_sid):
    response = api.post("/chat/v2/Services/" + v2_sid, {"FriendlyName": "changed", "Limits.UserChannels": "5000"})
    _assert_400(response, "Limits.UserChannels")
    assert api.get("/chat/v2/Services/" + v2_sid).json()["friendly_name"] == "v2"


def test_v2_friendly_name_has_no_64_char_limit(api, v2_sid):
    assert api.post("/chat/v2/Services/" + v2_sid, {"FriendlyName": "x" * 100}).status_code == 200


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_create_validation(api, version):
    _assert_400(api.post("/chat/%s/Services" % version, {}), "FriendlyName")
    _assert_400(api.post("/chat/%s/Services" % version, {"FriendlyName": ""}), "FriendlyName")
    _assert_400(api.post("/chat/%s/Services" % version, {"FriendlyName": "a", "ReadStatusEnabled": "true"}), "ReadStatusEnabled")


def test_create_v1_friendly_name_limit(api):
    _assert_400(api.post("/chat/v1/Services", {"FriendlyName": "x" * 65}), "FriendlyName")
    assert api.post("/chat/v1/Services", {"FriendlyName": "x" * 64}).status_code == 201


def test_booleans_are_case_insensitive_and_methods_normalised(api, v2_sid):
    body = api.post("/chat/v2/Services/" + v2_sid, {"ReachabilityEnabled": "True", "ReadStatusEnabled": "FALSE", "WebhookMethod": "get"}).json()
    assert (body["reachability_enabled"], body["read_status_enabled"], body["webhook_method"]) == (True, False, "GET")


@pytest.mark.parametrize("path", ["/chat/v2/Services/IS" + "0" * 32, "/chat/v1/Services/not-a-sid", "/chat/v2/Services/is" + "0" * 32])
def test_unknown_or_malformed_sid_is_404(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.json() == {
        "code": 20404,
        "message": "The requested resource /Services/%s was not found" % path.rsplit("/", 1)[1],
        "more_info": "https://www.twilio.com/docs/errors/20404",
        "status": 404,
    }
    assert api.post(path, {"FriendlyName": "x"}).status_code == 404
    assert api.delete(path).status_code == 404


@pytest.mark.parametrize("path", ["/", "/chat/v3/Services", "/chat/v2/Services/", "/chat/v2/Bindings", "/v2/Services"])
def test_unknown_path_is_404(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.json()["code"] == 20404


def test_unsupported_method_is_405(api, v2_sid):
    response = api.request("PUT", "/chat/v2/Services/" + v2_sid, data={"FriendlyName": "x"})
    assert response.status_code == 405
    assert response.json()["code"] == 20004
    assert api.delete("/chat/v2/Services").status_code == 405


@pytest.mark.parametrize("auth", [None, ("AC" + "0" * 32, "x"), (DEFAULT_ACCOUNT_SID, "wrong"), ("SK" + "0" * 31 + "1", "wrong"), ("", "")])
def test_bad_credentials_are_401(api, auth):
    api.session.auth = auth
    response = api.get("/chat/v2/Services")
    assert response.status_code == 401
    assert response.json() == {
        "code": 20003,
        "detail": "Your AccountSid or AuthToken was incorrect.",
        "message": "Authenticate",
        "more_info": "https://www.twilio.com/docs/errors/20003",
        "status": 401,
    }
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_malformed_authorization_header_is_401(api):
    api.session.auth = None
    assert api.get("/chat/v2/Services", headers={"Authorization": "Basic !!!"}).status_code == 401
    assert api.get("/chat/v2/Services", headers={"Authorization": "Bearer abc"}).status_code == 401


def test_non_form_body_is_rejected(api, v2_sid):
    response = api.post("/chat/v2/Services/" + v2_sid, data='{"FriendlyName": "x"}', headers={"Content-Type": "application/json"})
    assert response.status_code == 400
