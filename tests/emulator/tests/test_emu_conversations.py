"""Conversations v1: one IS object with Chat, validation, methods, accounts, faults, caps, log."""

import re

import pytest
import requests

from twilio_emulator import DEFAULT_ACCOUNT_SID, DEFAULT_API_KEY, DEFAULT_API_SECRET

from emulator_helpers import OTHER_ACCOUNT_SID

CONV = "/conversations/v1"
RL = "RL" + "a" * 32
CHAT_VIEWS = ["/chat/v1/Services", "/chat/v2/Services"]


def _snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _lookup(body, dotted):
    node = body
    for part in dotted.split("."):
        node = node[_snake(part)]
    return node


@pytest.fixture
def sid(api):
    return api.create(CONV + "/Services", {"FriendlyName": "conv"})["sid"]


# -- one object: visibility ----------------------------------------------------------------------
@pytest.mark.parametrize("chat_list", CHAT_VIEWS)
def test_a_chat_service_is_a_conversations_service(api, chat_list, default_sid):
    chat = api.create(chat_list, {"FriendlyName": "made in chat"})
    conv = api.get("%s/Services/%s" % (CONV, chat["sid"])).json()
    assert {key: conv[key] for key in ("sid", "account_sid", "friendly_name", "date_created", "date_updated")} == {
        key: chat[key] for key in ("sid", "account_sid", "friendly_name", "date_created", "date_updated")
    }
    assert [s["sid"] for s in api.get(CONV + "/Services").json()["services"]] == [default_sid, chat["sid"]]
    assert api.delete("%s/Services/%s" % (CONV, chat["sid"])).status_code == 204
    for view in CHAT_VIEWS:
        assert api.get("%s/%s" % (view, chat["sid"])).status_code == 404
        assert [s["sid"] for s in api.get(view).json()["services"]] == [default_sid]


def test_a_conversations_service_is_a_chat_service_with_chat_defaults(api, sid, default_sid):
    for view in CHAT_VIEWS:
        chat = api.get("%s/%s" % (view, sid)).json()
        assert chat["friendly_name"] == "conv"
        assert (chat["reachability_enabled"], chat["read_status_enabled"], chat["webhook_method"]) == (False, True, "POST")
        assert chat["notifications"] == {}, "no notification setting written yet"
        assert [s["sid"] for s in api.get(view).json()["services"]] == [default_sid, sid]
    assert api.delete("/chat/v2/Services/" + sid).status_code == 204
    assert api.get("%s/Services/%s" % (CONV, sid)).status_code == 404
    assert api.get("%s/Services/%s/Configuration" % (CONV, sid)).status_code == 404


def test_listing_interleaves_services_created_through_every_view(api, default_sid):
    sids = [
        api.create(path, {"FriendlyName": str(i)})["sid"]
        for i, path in enumerate(["/chat/v1/Services", CONV + "/Services", "/chat/v2/Services", CONV + "/Services"])
    ]
    for path in CHAT_VIEWS + [CONV + "/Services"]:
        assert [s["sid"] for s in api.get(path).json()["services"]] == [default_sid] + sids


# -- one object: settings in step -------------------------------------------------------------------
#: (Chat v2 parameter, Conversations sub-resource, Conversations parameter, value)
IN_STEP = [
    ("ReachabilityEnabled", "/Configuration", "ReachabilityEnabled", "true"),
    ("DefaultServiceRoleSid", "/Configuration", "DefaultChatServiceRoleSid", RL),
    ("DefaultChannelRoleSid", "/Configuration", "DefaultConversationRoleSid", RL),
    ("DefaultChannelCreatorRoleSid", "/Configuration", "DefaultConversationCreatorRoleSid", RL),
    ("Notifications.LogEnabled", "/Configuration/Notifications", "LogEnabled", "true"),
    ("Notifications.NewMessage.Enabled", "/Configuration/Notifications", "NewMessage.Enabled", "true"),
    ("Notifications.NewMessage.Template", "/Configuration/Notifications", "NewMessage.Template", "New: ${MESSAGE}"),
    ("Notifications.NewMessage.Sound", "/Configuration/Notifications", "NewMessage.Sound", "ding"),
    ("Notifications.NewMessage.BadgeCountEnabled", "/Configuration/Notifications", "NewMessage.BadgeCountEnabled", "true"),
    ("Notifications.AddedToChannel.Enabled", "/Configuration/Notifications", "AddedToConversation.Enabled", "true"),
    ("Notifications.AddedToChannel.Template", "/Configuration/Notifications", "AddedToConversation.Template", "added"),
    ("Notifications.AddedToChannel.Sound", "/Configuration/Notifications", "AddedToConversation.Sound", "ring"),
    ("Notifications.RemovedFromChannel.Enabled", "/Configuration/Notifications", "RemovedFromConversation.Enabled", "true"),
    ("Notifications.RemovedFromChannel.Template", "/Configuration/Notifications", "RemovedFromConversation.Template", "bye"),
    ("Notifications.RemovedFromChannel.Sound", "/Configuration/Notifications", "RemovedFromConversation.Sound", "ring"),
    ("PreWebhookUrl", "/Configuration/Webhooks", "PreWebhookUrl", "https://hooks.example.com/pre"),
    ("PostWebhookUrl", "/Configuration/Webhooks", "PostWebhookUrl", "https://hooks.example.com/post"),
    ("WebhookMethod", "/Configuration/Webhooks", "Method", "GET"),
    ("WebhookFilters", "/Configuration/Webhooks", "Filters", ["onMessageAdded", "onConversationRemoved"]),
]


def _shown(value):
    return {"true": True, "false": False}.get(value, value) if isinstance(value, str) else value


@pytest.mark.parametrize("chat_name, part, conv_name, value", IN_STEP, ids=[row[0] for row in IN_STEP])
def test_chat_v2_writes_show_through_conversations(api, sid, chat_name, part, conv_name, value):
    before = api.get("%s/Services/%s%s" % (CONV, sid, part)).json()
    assert _lookup(before, conv_name) != _shown(value)
    assert api.post("/chat/v2/Services/" + sid, {chat_name: value}).status_code == 200
    after = api.get("%s/Services/%s%s" % (CONV, sid, part)).json()
    assert _lookup(after, conv_name) == _shown(value)


@pytest.mark.parametrize("chat_name, part, conv_name, value", IN_STEP, ids=[row[2] for row in IN_STEP])
def test_conversations_writes_show_through_chat_v2(api, sid, chat_name, part, conv_name, value):
    response = api.post("%s/Services/%s%s" % (CONV, sid, part), {conv_name: value})
    assert response.status_code == 200, response.text
    assert _lookup(response.json(), conv_name) == _shown(value)
    assert _lookup(api.get("/chat/v2/Services/" + sid).json(), chat_name) == _shown(value)


def test_chat_v1_sees_conversations_writes(api, sid):
    api.post("%s/Services/%s/Configuration" % (CONV, sid), {"ReachabilityEnabled": "true", "DefaultConversationRoleSid": RL})
    api.post("%s/Services/%s/Configuration/Notifications" % (CONV, sid), {"AddedToConversation.Enabled": "true", "AddedToConversation.Template": "hi"})
    v1 = api.get("/chat/v1/Services/" + sid).json()
    assert (v1["reachability_enabled"], v1["default_channel_role_sid"]) == (True, RL)
    assert v1["notifications"]["added_to_channel"] == {"enabled": True, "template": "hi"}


def test_with_media_is_conversations_only_and_chat_stays_conformant(api, sid):
    body = api.post(
        "%s/Services/%s/Configuration/Notifications" % (CONV, sid),
        {"NewMessage.WithMedia.Enabled": "true", "NewMessage.WithMedia.Template": "${MEDIA_COUNT} files"},
    ).json()
    assert body["new_message"]["with_media"] == {"enabled": True, "template": "${MEDIA_COUNT} files"}
    chat = api.get("/chat/v2/Services/" + sid).json()
    assert "with_media" not in chat["notifications"]["new_message"]
    assert chat["notifications"]["new_message"] == {"enabled": False, "template": None, "badge_count_enabled": False}
    api.post("/chat/v2/Services/" + sid, {"Notifications.NewMessage.Template": "t"})
    again = api.get("%s/Services/%s/Configuration/Notifications" % (CONV, sid)).json()
    assert again["new_message"]["with_media"]["template"] == "${MEDIA_COUNT} files", "a chat write keeps with_media"
    assert again["new_message"]["template"] == "t"


def test_partial_updates_keep_other_settings(api, sid):
    notes = "%s/Services/%s/Configuration/Notifications" % (CONV, sid)
    api.post(notes, {"NewMessage.Template": "t1", "NewMessage.Enabled": "true", "LogEnabled": "true"})
    body = api.post(notes, {"NewMessage.Sound": "ding"}).json()
    assert (body["new_message"]["template"], body["new_message"]["enabled"], body["log_enabled"]) == ("t1", True, True)
    cleared = api.post(notes, {"NewMessage.Template": ""}).json()
    assert cleared["new_message"]["template"] is None and cleared["new_message"]["sound"] == "ding"


def test_webhook_clears(api, sid):
    hooks = "%s/Services/%s/Configuration/Webhooks" % (CONV, sid)
    api.post(hooks, {"PreWebhookUrl": "https://e.example/pre", "Filters": ["onMessageAdded", "onMessageUpdated"], "Method": "get"})
    body = api.get(hooks).json()
    assert (body["pre_webhook_url"], body["filters"], body["method"]) == ("https://e.example/pre", ["onMessageAdded", "onMessageUpdated"], "GET")
    cleared = api.post(hooks, {"PreWebhookUrl": "", "Filters": ""}).json()
    assert (cleared["pre_webhook_url"], cleared["filters"], cleared["method"]) == (None, None, "GET")


def test_chat_only_values_show_through_conversations(api, sid):
    """Chat accepts any filter name and can clear webhook_method; Conversations shows what is stored
    (a null method as POST, Twilio's default, since the Conversations schema has no null method)."""
    api.post("/chat/v2/Services/" + sid, {"WebhookFilters": ["onMessageSent"], "WebhookMethod": ""})
    assert api.get("/chat/v2/Services/" + sid).json()["webhook_method"] is None
    hooks = api.get("%s/Services/%s/Configuration/Webhooks" % (CONV, sid)).json()
    assert (hooks["filters"], hooks["method"]) == (["onMessageSent"], "POST")


def test_configuration_updates_touch_date_updated(api, emulator, sid):
    record = emulator.store.accounts[DEFAULT_ACCOUNT_SID].collection("chat").get(sid)
    record["date_updated"] = "2020-01-01T00:00:00Z"
    api.post("%s/Services/%s/Configuration" % (CONV, sid), {})
    assert api.get("%s/Services/%s" % (CONV, sid)).json()["date_updated"] == "2020-01-01T00:00:00Z", "an empty update changes nothing"
    api.post("%s/Services/%s/Configuration/Webhooks" % (CONV, sid), {"Method": "GET"})
    assert api.get("/chat/v2/Services/" + sid).json()["date_updated"] != "2020-01-01T00:00:00Z"


# -- account-level configuration -----------------------------------------------------------------
def test_account_configuration_defaults_and_update(api, base_url, sid, default_sid):
    config = api.get(CONV + "/Configuration").json()
    # Twilio makes a default Conversations Service with every account: never null (issue 20 item 5).
    assert config == {
        "account_sid": DEFAULT_ACCOUNT_SID,
        "default_chat_service_sid": default_sid,
        "default_messaging_service_sid": None,
        "default_inactive_timer": None,
        "default_closed_timer": None,
        "url": base_url + CONV + "/Configuration",
        "links": {"service": "%s%s/Services/%s/Configuration" % (base_url, CONV, default_sid), "webhooks": base_url + CONV + "/Configuration/Webhooks"},
    }
    assert api.get("%s/Services/%s" % (CONV, default_sid)).json()["friendly_name"] == "Default Conversations Service"
    mg = "MG" + "1" * 32
    body = api.post(
        CONV + "/Configuration", {"DefaultChatServiceSid": sid, "DefaultMessagingServiceSid": mg, "DefaultInactiveTimer": "PT1M", "DefaultClosedTimer": "PT10M"}
    ).json()
    assert (body["default_chat_service_sid"], body["default_messaging_service_sid"]) == (sid, mg)
    assert (body["default_inactive_timer"], body["default_closed_timer"]) == ("PT1M", "PT10M")
    assert body["links"]["service"] == "%s%s/Services/%s/Configuration" % (base_url, CONV, sid)
    assert api.post(CONV + "/Configuration", {"DefaultInactiveTimer": ""}).json()["default_inactive_timer"] is None
    assert api.get(CONV + "/Configuration").json()["default_closed_timer"] == "PT10M"


@pytest.mark.parametrize("view", CHAT_VIEWS + [CONV + "/Services"])
def test_the_default_service_cannot_be_deleted_until_another_is_the_default(api, sid, default_sid, view):
    refused = api.delete("%s/%s" % (view, default_sid))
    assert (refused.status_code, refused.json()["code"]) == (409, 20409)
    assert "default Conversation Service" in refused.json()["message"] and "DefaultChatServiceSid" in refused.json()["message"]
    assert api.get("%s/Services/%s" % (CONV, default_sid)).status_code == 200
    api.post(CONV + "/Configuration", {"DefaultChatServiceSid": sid})
    assert api.delete("%s/%s" % (view, sid)).status_code == 409, "the new default is protected in its turn"
    assert api.delete("%s/%s" % (view, default_sid)).status_code == 204, "the former default is a service like any other"
    assert api.get(CONV + "/Configuration").json()["default_chat_service_sid"] == sid


def test_reset_gives_each_account_a_fresh_default_service(api, emulator, default_sid):
    roles = api.get(CONV + "/Roles").json()["roles"]
    assert {role["chat_service_sid"] for role in roles} == {default_sid} and len(roles) == 4
    emulator.reset()
    config = api.get(CONV + "/Configuration").json()
    assert config["default_chat_service_sid"] not in (None, default_sid)
    assert [s["sid"] for s in api.get(CONV + "/Services").json()["services"]] == [config["default_chat_service_sid"]]


def test_account_webhooks_defaults_and_update(api, base_url):
    assert api.get(CONV + "/Configuration/Webhooks").json() == {
        "account_sid": DEFAULT_ACCOUNT_SID,
        "method": "POST",
        "filters": [],
        "pre_webhook_url": None,
        "post_webhook_url": None,
        "target": "webhook",
        "url": base_url + CONV + "/Configuration/Webhooks",
    }
    body = api.post(
        CONV + "/Configuration/Webhooks",
        {"Filters": ["onUserAdded", "onMessageAdded"], "Target": "flex", "PostWebhookUrl": "https://e.example/post", "Method": "GET"},
    ).json()
    assert (body["filters"], body["target"], body["post_webhook_url"], body["method"]) == (
        ["onUserAdded", "onMessageAdded"],
        "flex",
        "https://e.example/post",
        "GET",
    )


def test_reset_restores_account_configuration(api, emulator):
    api.post(CONV + "/Configuration", {"DefaultClosedTimer": "PT1H"})
    api.post(CONV + "/Configuration/Webhooks", {"Target": "flex"})
    emulator.reset()
    assert api.get(CONV + "/Configuration").json()["default_closed_timer"] is None
    assert api.get(CONV + "/Configuration/Webhooks").json()["target"] == "webhook"


# -- validation ------------------------------------------------------------------------------------------
def _assert_400(response, name):
    assert response.status_code == 400, response.text
    body = response.json()
    assert (body["code"], body["status"], body["more_info"]) == (20001, 400, "https://www.twilio.com/docs/errors/20001")
    assert name in body["message"], body["message"]


def test_create_validation(api, default_sid):
    _assert_400(api.post(CONV + "/Services", {}), "FriendlyName")
    _assert_400(api.post(CONV + "/Services", {"FriendlyName": ""}), "FriendlyName")
    _assert_400(api.post(CONV + "/Services", {"FriendlyName": "x" * 257}), "FriendlyName")
    _assert_400(api.post(CONV + "/Services", {"FriendlyName": "x", "ReachabilityEnabled": "true"}), "ReachabilityEnabled")
    assert [s["sid"] for s in api.get(CONV + "/Services").json()["services"]] == [default_sid]
    assert api.post(CONV + "/Services", {"FriendlyName": "x" * 256}).status_code == 201


@pytest.mark.parametrize(
    "part, form, name",
    [
        ("/Configuration", {"DefaultConversationRoleSid": "RL123"}, "DefaultConversationRoleSid"),
        ("/Configuration", {"DefaultChatServiceRoleSid": "IS" + "a" * 32}, "DefaultChatServiceRoleSid"),
        ("/Configuration", {"ReachabilityEnabled": "yes"}, "ReachabilityEnabled"),
        ("/Configuration", {"DefaultConversationRoleSid": ""}, "DefaultConversationRoleSid"),
        ("/Configuration", {"DefaultChatServiceRoleSid": ""}, "DefaultChatServiceRoleSid"),
        ("/Configuration", {"DefaultConversationCreatorRoleSid": ""}, "DefaultConversationCreatorRoleSid"),
        ("/Configuration", {"DefaultServiceRoleSid": RL}, "DefaultServiceRoleSid"),
        ("/Configuration", {"FriendlyName": "renamed"}, "FriendlyName"),
        ("/Configuration/Notifications", {"NewMessage.Enabled": "1"}, "NewMessage.Enabled"),
        ("/Configuration/Notifications", {"Notifications.NewMessage.Enabled": "true"}, "Notifications.NewMessage.Enabled"),
        ("/Configuration/Notifications", {"InvitedToConversation.Enabled": "true"}, "InvitedToConversation.Enabled"),
        ("/Configuration/Notifications", {"NewMessage.WithMedia.Sound": "ding"}, "NewMessage.WithMedia.Sound"),
        ("/Configuration/Notifications", {"LogEnabled": ""}, "LogEnabled"),
        ("/Configuration/Webhooks", {"PreWebhookUrl": "example.com/hook"}, "PreWebhookUrl"),
        ("/Configuration/Webhooks", {"PostWebhookUrl": "ftp://example.com/x"}, "PostWebhookUrl"),
        ("/Configuration/Webhooks", {"Method": "PUT"}, "Method"),
        ("/Configuration/Webhooks", {"Method": ""}, "Method"),
        ("/Configuration/Webhooks", {"WebhookMethod": "GET"}, "WebhookMethod"),
    ],
)
def test_service_configuration_validation(api, sid, part, form, name):
    url = "%s/Services/%s%s" % (CONV, sid, part)
    before = api.get(url).json()
    _assert_400(api.post(url, form), name)
    assert api.get(url).json() == before, "a rejected update changes nothing"


@pytest.mark.parametrize("path", ["/Services/{sid}/Configuration/Webhooks", "/Configuration/Webhooks"])
def test_filters_are_plain_strings_as_the_spec_types_them(api, sid, path):
    """The spec lists the events only in prose and its own example sends onMessageSend: any name is stored."""
    url = CONV + path.format(sid=sid)
    body = api.post(url, {"Filters": ["onMessageSend", "onChannelAdded", "onMessageAdded"]}).json()
    assert body["filters"] == ["onMessageSend", "onChannelAdded", "onMessageAdded"]


def test_a_bad_parameter_rejects_the_whole_update(api, sid):
    url = "%s/Services/%s/Configuration/Webhooks" % (CONV, sid)
    _assert_400(api.post(url, {"Method": "GET", "PreWebhookUrl": "https://ok.example", "Filters": "onMessageAdded", "Target": "x"}), "Target")
    assert api.get(url).json()["method"] == "POST"
    assert api.get(url).json()["pre_webhook_url"] is None


@pytest.mark.parametrize(
    "part, form, name",
    [
        ("/Configuration", {"DefaultChatServiceSid": "IS" + "0" * 32}, "DefaultChatServiceSid"),
        ("/Configuration", {"DefaultChatServiceSid": "ZS" + "0" * 32}, "DefaultChatServiceSid"),
        ("/Configuration", {"DefaultMessagingServiceSid": "MG123"}, "DefaultMessagingServiceSid"),
        ("/Configuration", {"DefaultMessagingServiceSid": ""}, "DefaultMessagingServiceSid"),
        ("/Configuration", {"DefaultChatServiceSid": ""}, "DefaultChatServiceSid"),
        ("/Configuration", {"DefaultInactiveTimer": "PT59S"}, "DefaultInactiveTimer"),
        ("/Configuration", {"DefaultInactiveTimer": "1 minute"}, "DefaultInactiveTimer"),
        ("/Configuration", {"DefaultInactiveTimer": "P1M"}, "DefaultInactiveTimer"),
        ("/Configuration", {"DefaultInactiveTimer": "PT"}, "DefaultInactiveTimer"),
        ("/Configuration", {"DefaultClosedTimer": "PT9M59S"}, "DefaultClosedTimer"),
        ("/Configuration", {"DefaultClosedTimer": "P"}, "DefaultClosedTimer"),
        ("/Configuration", {"DefaultClosedTimer": "PT1M", "DefaultInactiveTimer": "PT5M"}, "DefaultClosedTimer"),
        ("/Configuration/Webhooks", {"Target": "studio"}, "Target"),
        ("/Configuration/Webhooks", {"Target": ""}, "Target"),
        ("/Configuration/Webhooks", {"Method": "DELETE"}, "Method"),
        ("/Configuration/Webhooks", {"PostWebhookUrl": "not a url"}, "PostWebhookUrl"),
    ],
)
def test_account_configuration_validation(api, part, form, name):
    before = api.get(CONV + part).json()
    _assert_400(api.post(CONV + part, form), name)
    assert api.get(CONV + part).json() == before


@pytest.mark.parametrize(
    "form",
    [
        {"DefaultInactiveTimer": "PT60S"},
        {"DefaultInactiveTimer": "P1W"},
        {"DefaultInactiveTimer": "PT90.5S"},
        {"DefaultClosedTimer": "P1DT2H"},
        {"DefaultClosedTimer": "PT600S"},
        {"DefaultClosedTimer": "PT0H10M"},
    ],
)
def test_timers_at_or_above_their_minimums(api, form):
    response = api.post(CONV + "/Configuration", form)
    assert response.status_code == 200, response.text
    name, value = next(iter(form.items()))
    assert response.json()[_snake(name)] == value


# -- methods and paths -------------------------------------------------------------------------------------
def test_a_service_has_no_update(api, sid):
    response = api.post("%s/Services/%s" % (CONV, sid), {"FriendlyName": "renamed"})
    assert (response.status_code, response.json()["code"]) == (405, 20004)
    assert api.post("%s/Services/IS%s" % (CONV, "0" * 32), {"FriendlyName": "x"}).status_code == 405
    assert api.get("%s/Services/%s" % (CONV, sid)).json()["friendly_name"] == "conv"


@pytest.mark.parametrize(
    "method, path",
    [
        ("PUT", "/Services/{sid}"),
        ("PATCH", "/Services/{sid}"),
        ("DELETE", "/Services"),
        ("PUT", "/Services"),
        ("DELETE", "/Services/{sid}/Configuration"),
        ("PUT", "/Services/{sid}/Configuration/Notifications"),
        ("DELETE", "/Services/{sid}/Configuration/Webhooks"),
        ("DELETE", "/Configuration"),
        ("PUT", "/Configuration/Webhooks"),
    ],
)
def test_unsupported_methods_are_405(api, sid, method, path):
    response = api.request(method, CONV + path.format(sid=sid))
    assert (response.status_code, response.json()["code"]) == (405, 20004)


@pytest.mark.parametrize("suffix", ["", "/Configuration", "/Configuration/Notifications", "/Configuration/Webhooks"])
@pytest.mark.parametrize("ident", ["IS" + "0" * 32, "not-a-sid", "is" + "0" * 32])
def test_unknown_or_malformed_service_is_404(api, suffix, ident):
    for method in ("GET",) + (("POST",) if suffix else ("DELETE",)):
        response = api.request(method, "%s/Services/%s%s" % (CONV, ident, suffix))
        assert response.status_code == 404
        assert response.json() == {
            "code": 20404,
            "message": "The requested resource /Services/%s%s was not found" % (ident, suffix),
            "more_info": "https://www.twilio.com/docs/errors/20404",
            "status": 404,
        }


@pytest.mark.parametrize(
    "path",
    [
        "/conversations/v2/Services",
        "/conversations/v1/Services/{sid}/Users",
        "/conversations/v1/Services/{sid}/Configuration/Bogus",
        "/conversations/v1/Conversations",
        "/conversations/v1/Configuration/Addresses",
        "/conversations/v1/Services/",
    ],
)
def test_routes_not_emulated_are_404(api, sid, path):
    response = api.get(path.format(sid=sid))
    assert (response.status_code, response.json()["code"]) == (404, 20404)


# -- accounts, faults, caps, log -----------------------------------------------------------------------------
def test_accounts_are_isolated(api, other_api, sid, other_default_sid):
    api.post(CONV + "/Configuration/Webhooks", {"Target": "flex"})
    assert [s["sid"] for s in other_api.get(CONV + "/Services").json()["services"]] == [other_default_sid]
    for suffix in ("", "/Configuration", "/Configuration/Notifications", "/Configuration/Webhooks"):
        assert other_api.get("%s/Services/%s%s" % (CONV, sid, suffix)).status_code == 404
    assert other_api.post("%s/Services/%s/Configuration" % (CONV, sid), {"ReachabilityEnabled": "true"}).status_code == 404
    assert other_api.delete("%s/Services/%s" % (CONV, sid)).status_code == 404
    assert other_api.post(CONV + "/Configuration", {"DefaultChatServiceSid": sid}).status_code == 400
    assert other_api.get(CONV + "/Configuration/Webhooks").json()["target"] == "webhook"
    assert other_api.get(CONV + "/Configuration").json()["account_sid"] == OTHER_ACCOUNT_SID
    assert api.get("%s/Services/%s/Configuration" % (CONV, sid)).json()["reachability_enabled"] is False


def test_api_key_and_bad_credentials(api, sid, default_sid):
    api.session.auth = (DEFAULT_API_KEY, DEFAULT_API_SECRET)
    assert [s["sid"] for s in api.get(CONV + "/Services").json()["services"]] == [default_sid, sid]
    assert api.get(CONV + "/Configuration").json()["account_sid"] == DEFAULT_ACCOUNT_SID
    api.session.auth = (DEFAULT_ACCOUNT_SID, "wrong")
    for path in ("/Services", "/Services/%s/Configuration" % sid, "/Configuration", "/Configuration/Webhooks"):
        response = api.get(CONV + path)
        assert (response.status_code, response.json()["code"]) == (401, 20003)


@pytest.mark.parametrize("path", ["/Services", "/Services/{sid}/Configuration/Notifications", "/Configuration"])
def test_faults_and_request_log_apply(api, emulator, sid, path):
    emulator.clear_request_log()
    emulator.set_faults(kinds=["503"], next=1)
    url = CONV + path.format(sid=sid)
    assert api.get(url).status_code == 503
    assert api.get(url).status_code == 200
    assert [(e["method"], e["path"], e["status"], e["fault"]) for e in emulator.request_log()] == [("GET", url, 503, "503"), ("GET", url, 200, None)]


def test_429_on_a_configuration_update_is_not_processed(api, emulator, sid):
    emulator.set_faults(kinds=["429"], next=1, methods=["POST"])
    url = "%s/Services/%s/Configuration" % (CONV, sid)
    assert api.post(url, {"ReachabilityEnabled": "true"}).status_code == 429
    assert api.get(url).json()["reachability_enabled"] is False


def test_commit_drop_on_create_commits(api, emulator):
    emulator.set_faults(kinds=["commit_drop"], next=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post(CONV + "/Services", {"FriendlyName": "dropped"})
    assert [s["friendly_name"] for s in api.get(CONV + "/Services").json()["services"]] == ["Default Conversations Service", "dropped"]
    assert emulator.request_log()[0]["status"] == 201


def test_the_chat_cap_covers_conversations_services(api, emulator):
    # 3: the account's default Conversations Service counts too
    emulator.set_max_services({"chat": 3})
    api.create("/chat/v2/Services", {"FriendlyName": "a"})
    api.create(CONV + "/Services", {"FriendlyName": "b"})
    for path in (CONV + "/Services", "/chat/v2/Services"):
        response = api.post(path, {"FriendlyName": "c"})
        assert (response.status_code, response.json()["code"]) == (400, 20001)
        assert "Maximum number of Services" in response.json()["message"]


# -- a new service's webhook defaults (issue 20 item 4) ------------------------------------------
def test_new_service_webhooks_are_null_and_method_post_by_default(api, sid):
    hooks = api.get("%s/Services/%s/Configuration/Webhooks" % (CONV, sid)).json()
    # The spec's fetchEmpty example: null URLs and filters; its schema's method enum has no null, so POST.
    assert (hooks["pre_webhook_url"], hooks["post_webhook_url"], hooks["filters"], hooks["method"]) == (None, None, None, "POST")


def test_example_webhook_defaults_answer_a_null_method_until_one_is_written(api, base_url, sid):
    control = {"Content-Type": "application/json"}
    answer = requests.post(base_url + "/__emulator/config", json={"conversations_webhook_defaults": "example"}, headers=control, timeout=5)
    assert answer.status_code == 200 and answer.json()["conversations_webhook_defaults"] == "example"
    hooks = "%s/Services/%s/Configuration/Webhooks" % (CONV, sid)
    assert api.get(hooks).json()["method"] is None
    # Another setting leaves the method unset; writing POST makes it show.
    assert api.post(hooks, {"Filters": "onMessageAdded"}).json()["method"] is None
    assert api.post(hooks, {"Method": "POST"}).json()["method"] == "POST"
    other = api.create(CONV + "/Services", {"FriendlyName": "through chat"})["sid"]
    api.post("/chat/v2/Services/" + other, {"WebhookMethod": "GET"})
    assert api.get("%s/Services/%s/Configuration/Webhooks" % (CONV, other)).json()["method"] == "GET"


def test_webhook_defaults_switch_refuses_an_unknown_choice(base_url):
    control = {"Content-Type": "application/json"}
    answer = requests.post(base_url + "/__emulator/config", json={"conversations_webhook_defaults": "null"}, headers=control, timeout=5)
    assert answer.status_code == 400 and "conversations_webhook_defaults must be one of schema, example" in answer.text
