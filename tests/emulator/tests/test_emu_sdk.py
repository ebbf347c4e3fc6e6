"""The official twilio-python SDK (an independent client) against the emulator."""

from urllib.parse import urlsplit

import pytest
import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from twilio_emulator import DEFAULT_ACCOUNT_SID, DEFAULT_API_KEY, DEFAULT_API_SECRET, DEFAULT_AUTH_TOKEN

NO_EDGE = {"TWILIO_EDGE": "", "TWILIO_REGION": ""}


class EmulatorHttpClient(TwilioHttpClient):
    """Sends ``https://<product>.twilio.com/<path>`` to ``<emulator>/<product>/<path>``.

    URLs already on the emulator (``meta.next_page_url``) pass through unchanged.
    """

    def __init__(self, base_url, **kwargs):
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):  # pylint: disable=arguments-differ
        parts = urlsplit(url)
        host = parts.hostname or ""
        if host.endswith(".twilio.com"):
            product = host.split(".", 1)[0]
            url = "%s/%s%s%s" % (self.base_url, product, parts.path, "?" + parts.query if parts.query else "")
        return super().request(method, url, *args, **kwargs)


def make_client(base_url, username=DEFAULT_ACCOUNT_SID, password=DEFAULT_AUTH_TOKEN, account_sid=None):
    """A twilio Client whose traffic goes to the emulator."""
    return Client(username, password, account_sid=account_sid, http_client=EmulatorHttpClient(base_url, timeout=10), environment=NO_EDGE)


@pytest.fixture
def client(base_url):
    return make_client(base_url)


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_chat_list_several_pages_create_fetch_delete(client, emulator, version, default_sid):
    services = getattr(client.chat, version).services
    created = [services.create(friendly_name="sdk %d" % i) for i in range(7)]
    assert all(s.sid.startswith("IS") and s.account_sid == DEFAULT_ACCOUNT_SID for s in created)
    assert created[0].limits == dict({"channel_members": 250, "user_channels": 100}, **({"actions_per_second": 30} if version == "v1" else {}))
    emulator.clear_request_log()
    listed = services.list(page_size=3)
    # the account's default Conversations Service first, then 7: three pages
    assert [s.sid for s in listed] == [default_sid] + [s.sid for s in created]
    assert [e["query"].split("&PageToken")[0] for e in emulator.request_log()] == ["PageSize=3", "PageSize=3&Page=1", "PageSize=3&Page=2"]
    assert [s.sid for s in services.list(limit=4, page_size=2)] == [default_sid] + [s.sid for s in created[:3]]
    fetched = services(created[3].sid).fetch()
    assert (fetched.friendly_name, fetched.date_created) == ("sdk 3", created[3].date_created)
    assert fetched.date_created.year >= 2024, "the SDK parsed the date format"
    assert services(created[3].sid).delete() is True
    with pytest.raises(TwilioRestException) as err:
        services(created[3].sid).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)
    assert err.value.uri == "/Services/" + created[3].sid


def test_chat_v2_update_many_fields(client):
    service = client.chat.v2.services.create(friendly_name="v2")
    role = "RL" + "1" * 32
    updated = client.chat.v2.services(service.sid).update(
        friendly_name="renamed",
        default_service_role_sid=role,
        read_status_enabled=False,
        reachability_enabled=True,
        typing_indicator_timeout=7,
        consumption_report_interval=3,
        notifications_new_message_enabled=True,
        notifications_new_message_template="New: ${MESSAGE}",
        notifications_new_message_sound="ding",
        notifications_new_message_badge_count_enabled=True,
        notifications_added_to_channel_enabled=True,
        notifications_log_enabled=True,
        pre_webhook_url="https://hooks.example.com/pre",
        post_webhook_url="https://hooks.example.com/post",
        webhook_method="GET",
        webhook_filters=["onMessageSent", "onChannelDestroyed"],
        limits_channel_members=500,
        limits_user_channels=600,
        media_compatibility_message="media not supported",
        pre_webhook_retry_count=2,
        post_webhook_retry_count=3,
    )
    assert updated.friendly_name == "renamed"
    assert updated.default_service_role_sid == role
    assert (updated.read_status_enabled, updated.reachability_enabled) == (False, True)
    assert (updated.typing_indicator_timeout, updated.consumption_report_interval) == (7, 3)
    assert updated.notifications["log_enabled"] is True
    assert updated.notifications["new_message"] == {"enabled": True, "template": "New: ${MESSAGE}", "sound": "ding", "badge_count_enabled": True}
    assert updated.notifications["added_to_channel"]["enabled"] is True
    assert updated.notifications["removed_from_channel"] == {"enabled": False, "template": None}
    assert (updated.pre_webhook_url, updated.post_webhook_url, updated.webhook_method) == (
        "https://hooks.example.com/pre",
        "https://hooks.example.com/post",
        "GET",
    )
    assert updated.webhook_filters == ["onMessageSent", "onChannelDestroyed"]
    assert updated.limits == {"channel_members": 500, "user_channels": 600}
    assert updated.media == {"size_limit_mb": 150, "compatibility_message": "media not supported"}
    assert (updated.pre_webhook_retry_count, updated.post_webhook_retry_count) == (2, 3)
    again = client.chat.v2.services(service.sid).update(notifications_new_message_enabled=False, webhook_filters=[""])
    assert again.notifications["new_message"]["template"] == "New: ${MESSAGE}", "partial update keeps other fields"
    assert again.notifications["new_message"]["enabled"] is False
    assert again.webhook_filters == []


def test_chat_v1_update_webhooks_and_notifications(client):
    service = client.chat.v1.services.create(friendly_name="v1")
    updated = client.chat.v1.services(service.sid).update(
        webhooks_on_message_send_url="https://hooks.example.com/send",
        webhooks_on_message_send_method="POST",
        webhooks_on_channel_destroyed_url="https://hooks.example.com/destroyed",
        webhooks_on_channel_destroyed_method="GET",
        notifications_invited_to_channel_enabled=True,
        notifications_invited_to_channel_template="invited",
        limits_user_channels=1000,
        webhook_filters=["onMemberAdded"],
    )
    assert len(updated.webhooks) == 16, "every event, as the spec's update example"
    assert updated.webhooks["on_channel_destroyed"] == {"format": None, "method": "GET", "url": "https://hooks.example.com/destroyed"}
    assert updated.webhooks["on_message_send"] == {"format": None, "method": "POST", "url": "https://hooks.example.com/send"}
    assert updated.webhooks["on_member_added"] == {"format": None, "method": None, "url": None}
    assert updated.notifications["invited_to_channel"] == {"enabled": True, "template": "invited"}
    assert set(updated.notifications) == {"log_enabled", "added_to_channel", "invited_to_channel", "new_message", "removed_from_channel"}
    assert updated.limits["user_channels"] == 1000
    assert updated.webhook_filters == ["onMemberAdded"]
    with pytest.raises(TwilioRestException) as err:
        client.chat.v1.services(service.sid).update(limits_user_channels=1001)
    assert (err.value.status, err.value.code) == (400, 20001)
    assert "Limits.UserChannels" in err.value.msg


def test_serverless_services_and_environments(client):
    services = client.serverless.v1.services
    created = [services.create(unique_name="fn-%d" % i, friendly_name="Fn %d" % i, ui_editable=(i == 0)) for i in range(5)]
    assert created[0].ui_editable is True and created[0].include_credentials is True
    assert [s.sid for s in services.list(page_size=2)] == [s.sid for s in created]
    by_name = services("fn-1").fetch()
    assert by_name.sid == created[1].sid
    updated = services("fn-1").update(friendly_name="Renamed", include_credentials=False, ui_editable=True)
    assert (updated.friendly_name, updated.include_credentials, updated.ui_editable) == ("Renamed", False, True)
    with pytest.raises(TwilioRestException) as err:
        services.create(unique_name="fn-1", friendly_name="dup")
    assert (err.value.status, err.value.code) == (409, 20409)
    envs = services(created[1].sid).environments
    stage = envs.create(unique_name="staging", domain_suffix="stage")
    prod = envs.create(unique_name="production")
    assert stage.domain_name == created[1].domain_base + "-stage.twil.io"
    assert stage.build_sid is None
    assert [e.sid for e in envs.list(page_size=1)] == [stage.sid, prod.sid]
    assert envs(stage.sid).fetch().unique_name == "staging"
    assert envs(stage.sid).delete() is True
    assert services(created[1].sid).delete() is True
    with pytest.raises(TwilioRestException) as err:
        services("fn-1").fetch()
    assert (err.value.status, err.value.code) == (404, 20404)


def test_api_key_and_secret(base_url, default_sid):
    client = make_client(base_url, DEFAULT_API_KEY, DEFAULT_API_SECRET, account_sid=DEFAULT_ACCOUNT_SID)
    service = client.chat.v2.services.create(friendly_name="via key")
    assert service.account_sid == DEFAULT_ACCOUNT_SID
    assert [s.sid for s in client.chat.v2.services.list()] == [default_sid, service.sid]


def test_wrong_credentials(base_url):
    client = make_client(base_url, DEFAULT_ACCOUNT_SID, "wrong")
    with pytest.raises(TwilioRestException) as err:
        client.chat.v2.services.create(friendly_name="x")
    assert (err.value.status, err.value.code) == (401, 20003)
    with pytest.raises(TwilioException):
        client.chat.v2.services.list()


def test_rate_limit_surfaces_as_429(client, emulator):
    service = client.chat.v2.services.create(friendly_name="x")
    emulator.set_faults(kinds=["429"], next=1)
    with pytest.raises(TwilioRestException) as err:
        client.chat.v2.services(service.sid).update(friendly_name="y")
    assert (err.value.status, err.value.code, err.value.method) == (429, 20429, "POST")
    assert client.chat.v2.services(service.sid).fetch().friendly_name == "x"


def test_conversations_services_list_several_pages_create_fetch_delete(client, emulator, default_sid):
    services = client.conversations.v1.services
    created = [services.create(friendly_name="conv %d" % i) for i in range(7)]
    assert all(s.sid.startswith("IS") and s.account_sid == DEFAULT_ACCOUNT_SID for s in created)
    assert created[0].links["configuration"].endswith("/conversations/v1/Services/%s/Configuration" % created[0].sid)
    emulator.clear_request_log()
    assert [s.sid for s in services.list(page_size=3)] == [default_sid] + [s.sid for s in created]
    assert [(e["path"], e["query"].split("&PageToken")[0]) for e in emulator.request_log()] == [
        ("/conversations/v1/Services", "PageSize=3"),
        ("/conversations/v1/Services", "PageSize=3&Page=1"),
        ("/conversations/v1/Services", "PageSize=3&Page=2"),
    ]
    assert [s.sid for s in services.list(limit=4, page_size=2)] == [default_sid] + [s.sid for s in created[:3]]
    fetched = services(created[3].sid).fetch()
    assert (fetched.friendly_name, fetched.date_created) == ("conv 3", created[3].date_created)
    assert fetched.date_created.year >= 2024, "the SDK parsed the date format"
    assert services(created[3].sid).delete() is True
    with pytest.raises(TwilioRestException) as err:
        services(created[3].sid).fetch()
    assert (err.value.status, err.value.code, err.value.uri) == (404, 20404, "/Services/" + created[3].sid)
    with pytest.raises(TwilioRestException) as err:
        services.create(friendly_name="x" * 257)
    assert (err.value.status, err.value.code) == (400, 20001)


def test_conversations_service_configuration_singletons(client):
    service = client.conversations.v1.services.create(friendly_name="singletons")
    config = client.conversations.v1.services(service.sid).configuration
    role = "RL" + "2" * 32
    fetched = config().fetch()
    assert (fetched.chat_service_sid, fetched.reachability_enabled) == (service.sid, False)
    assert fetched.default_conversation_role_sid.startswith("RL")
    updated = config().update(
        default_conversation_creator_role_sid=role, default_conversation_role_sid=role, default_chat_service_role_sid=role, reachability_enabled=True
    )
    assert (
        updated.default_conversation_creator_role_sid,
        updated.default_conversation_role_sid,
        updated.default_chat_service_role_sid,
        updated.reachability_enabled,
    ) == (role, role, role, True)
    notes = config.notifications().update(
        log_enabled=True,
        new_message_enabled=True,
        new_message_template="New: ${MESSAGE}",
        new_message_sound="ding",
        new_message_badge_count_enabled=True,
        added_to_conversation_enabled=True,
        added_to_conversation_template="added",
        added_to_conversation_sound="ring",
        removed_from_conversation_enabled=False,
        removed_from_conversation_template="bye",
        removed_from_conversation_sound="ring",
        new_message_with_media_enabled=True,
        new_message_with_media_template="media",
    )
    assert notes.log_enabled is True
    assert notes.new_message == {
        "enabled": True,
        "template": "New: ${MESSAGE}",
        "sound": "ding",
        "badge_count_enabled": True,
        "with_media": {"enabled": True, "template": "media"},
    }
    assert notes.added_to_conversation == {"enabled": True, "template": "added", "sound": "ring"}
    assert notes.removed_from_conversation == {"enabled": False, "template": "bye", "sound": "ring"}
    assert config.notifications().fetch().new_message == notes.new_message
    hooks = config.webhooks().update(
        pre_webhook_url="https://hooks.example.com/pre",
        post_webhook_url="https://hooks.example.com/post",
        filters=["onMessageAdded", "onParticipantRemoved"],
        method="GET",
    )
    assert (hooks.pre_webhook_url, hooks.post_webhook_url, hooks.filters, hooks.method) == (
        "https://hooks.example.com/pre",
        "https://hooks.example.com/post",
        ["onMessageAdded", "onParticipantRemoved"],
        "GET",
    )
    cleared = config.webhooks().update(pre_webhook_url="", filters=[""])
    assert (cleared.pre_webhook_url, cleared.filters, cleared.method) == (None, None, "GET")
    chat = client.chat.v2.services(service.sid).fetch()
    assert (chat.reachability_enabled, chat.default_channel_role_sid, chat.webhook_method) == (True, role, "GET")
    assert chat.notifications["added_to_channel"] == {"enabled": True, "template": "added", "sound": "ring"}
    with pytest.raises(TwilioRestException) as err:
        config.webhooks().update(method="PUT")
    assert (err.value.status, err.value.code) == (400, 20001)
    assert "Method" in err.value.msg


def test_conversations_account_configuration(client, base_url, default_sid):
    service = client.conversations.v1.services.create(friendly_name="default")
    account = client.conversations.v1.configuration
    # Twilio makes a default Conversations Service with every account: the SDK reads it, never null
    fresh = account().fetch()
    assert fresh.default_chat_service_sid == default_sid
    assert fresh.links["service"] == "%s/conversations/v1/Services/%s/Configuration" % (base_url, default_sid)
    default_service = client.conversations.v1.services(fresh.default_chat_service_sid).fetch()
    assert default_service.friendly_name == "Default Conversations Service"
    assert {role.chat_service_sid for role in client.conversations.v1.roles.list()} == {default_sid}
    with pytest.raises(TwilioRestException) as err:
        client.conversations.v1.services(default_sid).delete()
    assert (err.value.status, err.value.code) == (409, 20409)
    updated = account().update(
        default_chat_service_sid=service.sid, default_messaging_service_sid="MG" + "3" * 32, default_inactive_timer="PT5M", default_closed_timer="PT1H"
    )
    assert (updated.account_sid, updated.default_chat_service_sid, updated.default_messaging_service_sid) == (DEFAULT_ACCOUNT_SID, service.sid, "MG" + "3" * 32)
    assert (updated.default_inactive_timer, updated.default_closed_timer) == ("PT5M", "PT1H")
    assert updated.links["service"].endswith("/conversations/v1/Services/%s/Configuration" % service.sid)
    with pytest.raises(TwilioRestException) as err:
        account().update(default_closed_timer="PT5M")
    assert (err.value.status, err.value.code) == (400, 20001)
    hooks = account.webhooks().update(
        method="GET",
        filters=["onUserUpdated"],
        pre_webhook_url="https://hooks.example.com/pre",
        post_webhook_url="https://hooks.example.com/post",
        target="flex",
    )
    assert (hooks.method, hooks.filters, hooks.target) == ("GET", ["onUserUpdated"], "flex")
    assert account.webhooks().fetch().post_webhook_url == "https://hooks.example.com/post"


def test_conversations_with_api_key(base_url, default_sid):
    client = make_client(base_url, DEFAULT_API_KEY, DEFAULT_API_SECRET, account_sid=DEFAULT_ACCOUNT_SID)
    service = client.conversations.v1.services.create(friendly_name="via key")
    assert [s.sid for s in client.conversations.v1.services.list()] == [default_sid, service.sid]
    assert client.conversations.v1.configuration().fetch().account_sid == DEFAULT_ACCOUNT_SID


def _sdk_upload(base_url, service_sid, kind, parent_sid, path, visibility, data):
    """The SDK cannot upload (the call is in no spec): the upload product gets a multipart POST as the Toolkit sends it."""
    response = requests.post(
        "%s/serverless-upload/v1/Services/%s/%s/%s/Versions" % (base_url, service_sid, kind, parent_sid),
        data={"Path": path, "Visibility": visibility},
        files={"Content": (path.rsplit("/", 1)[-1] or "file", data, "application/octet-stream")},
        auth=(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN),
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()["sid"]


def test_serverless_functions_assets_builds_deployments_and_variables(client, base_url, emulator):
    emulator.serverless.configure({"build_delay_ms": 0})
    service = client.serverless.v1.services.create(unique_name="sdk-code", friendly_name="SDK code")
    svc = client.serverless.v1.services(service.sid)
    env = svc.environments.create(unique_name="dev-environment", domain_suffix="dev")
    fn = svc.functions.create(friendly_name="/hello")
    asset = svc.assets.create(friendly_name="/style.css")
    assert [f.sid for f in svc.functions.list()] == [fn.sid] and [a.sid for a in svc.assets.list()] == [asset.sid]
    assert svc.functions(fn.sid).update(friendly_name="/hi").friendly_name == "/hi"
    assert svc.assets(asset.sid).fetch().friendly_name == "/style.css"
    fn_ver = _sdk_upload(base_url, service.sid, "Functions", fn.sid, "/hi", "protected", b"exports.handler = () => {};\n")
    asset_ver = _sdk_upload(base_url, service.sid, "Assets", asset.sid, "/style.css", "public", b"body {}\n")
    versions = svc.functions(fn.sid).function_versions
    assert [(v.sid, v.path, v.visibility) for v in versions.list()] == [(fn_ver, "/hi", "protected")]
    assert versions(fn_ver).function_version_content().fetch().content == "exports.handler = () => {};\n"
    assert svc.assets(asset.sid).asset_versions(asset_ver).fetch().path == "/style.css"
    build = svc.builds.create(function_versions=[fn_ver], asset_versions=[asset_ver], dependencies='[{"name":"lodash","version":"4.17.21"}]', runtime="node22")
    assert build.status == "building" and build.runtime == "node22"
    assert {d["name"] for d in build.dependencies} == {"lodash", "twilio", "@twilio/runtime-handler"}
    assert svc.builds(build.sid).build_status().fetch().status == "completed"
    assert [b.sid for b in svc.builds.list()] == [build.sid]
    with pytest.raises(TwilioRestException) as err:
        svc.builds.create(runtime="node22")
    assert (err.value.status, err.value.code) == (400, 20001)
    deployment = svc.environments(env.sid).deployments.create(build_sid=build.sid)
    assert deployment.build_sid == build.sid and svc.environments(env.sid).fetch().build_sid == build.sid
    assert [d.sid for d in svc.environments(env.sid).deployments.list()] == [deployment.sid]
    assert svc.environments(env.sid).deployments(deployment.sid).fetch().build_sid == build.sid
    variables = svc.environments(env.sid).variables
    var = variables.create(key="GREETING", value="hi")
    assert variables(var.sid).update(value="hello").value == "hello"
    assert [(v.key, v.value) for v in variables.list()] == [("GREETING", "hello")]
    with pytest.raises(TwilioRestException) as err:
        variables.create(key="BIG", value="x" * 451)
    assert (err.value.status, err.value.code) == (400, 20001)
    assert variables(var.sid).delete() is True
    with pytest.raises(TwilioRestException) as err:
        svc.builds(build.sid).delete()
    assert err.value.status == 409, "the live build stays"


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_chat_service_roles(client, version):
    service = getattr(client.chat, version).services.create(friendly_name="roles")
    roles = getattr(client.chat, version).services(service.sid).roles
    defaults = roles.list()
    assert sorted(r.friendly_name for r in defaults) == ["channel admin", "channel user", "service admin", "service user"]
    role = roles.create(friendly_name="announcer", type="channel", permission=["sendMessage", "leaveChannel"])
    assert (role.type, role.service_sid, role.permissions) == ("channel", service.sid, ["sendMessage", "leaveChannel"])
    assert roles(role.sid).update(permission=["sendMessage"]).permissions == ["sendMessage"]
    assert roles(role.sid).fetch().friendly_name == "announcer"
    assert [r.sid for r in roles.list(page_size=2)][-1] == role.sid
    assert roles(role.sid).delete() is True


def test_conversations_service_and_account_roles(client):
    service = client.conversations.v1.services.create(friendly_name="roles")
    roles = client.conversations.v1.services(service.sid).roles
    role = roles.create(friendly_name="announcer", type="conversation", permission=["sendMessage", "leaveConversation"])
    assert (role.type, role.chat_service_sid) == ("conversation", service.sid)
    assert roles(role.sid).update(permission=["sendMessage"]).permissions == ["sendMessage"]
    assert len(roles.list()) == 5
    assert roles(role.sid).delete() is True
    account = client.conversations.v1.roles.create(friendly_name="auditor", type="service", permission=["editOwnUserInfo"])
    assert account.type == "service"
    assert client.conversations.v1.roles(account.sid).fetch().permissions == ["editOwnUserInfo"]
    assert account.sid in [r.sid for r in client.conversations.v1.roles.list()]
    assert client.conversations.v1.roles(account.sid).update(permission=["a", "b"]).permissions == ["a", "b"]
    assert client.conversations.v1.roles(account.sid).delete() is True


def test_push_credentials_through_conversations_and_chat(client):
    apn = client.conversations.v1.credentials.create(type="apn", friendly_name="ios", certificate="CERT", private_key="KEY", sandbox=True)
    assert (apn.type, apn.sandbox) == ("apn", "True")
    assert client.conversations.v1.credentials(apn.sid).update(sandbox=False).sandbox == "False"
    fcm = client.chat.v2.credentials.create(type="fcm", friendly_name="android", secret="S")
    assert {c.sid for c in client.conversations.v1.credentials.list()} == {apn.sid, fcm.sid}
    assert client.chat.v2.credentials(apn.sid).fetch().friendly_name == "ios"
    assert client.chat.v2.credentials(fcm.sid).update(friendly_name="droid").friendly_name == "droid"
    assert client.conversations.v1.credentials(fcm.sid).delete() is True
    assert client.chat.v2.credentials(apn.sid).delete() is True
