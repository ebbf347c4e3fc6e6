"""Every emulator response validated against the official Twilio OpenAPI response schemas.

The request parameters exercised are derived from the specs' request schemas, so a
parameter the spec documents but the emulator rejects (or ignores) fails here.
"""

import re

import pytest
from jsonschema.exceptions import ValidationError
from openapi_schema_validator import OAS30Validator, oas30_format_checker

from emulator_helpers import load_spec

SPECS = {
    "chat_v1": load_spec("twilio_chat_v1"),
    "chat_v2": load_spec("twilio_chat_v2"),
    "serverless_v1": load_spec("twilio_serverless_v1"),
    "conversations_v1": load_spec("twilio_conversations_v1"),
}
FORM = "application/x-www-form-urlencoded"


def _operation(spec_name, path, method):
    return SPECS[spec_name]["paths"][path][method]


def request_properties(spec_name, path, method):
    """The form parameters of an operation, from the spec's requestBody schema (``$ref``s resolved)."""
    props = _operation(spec_name, path, method)["requestBody"]["content"][FORM]["schema"]["properties"]
    schemas = SPECS[spec_name]["components"]["schemas"]
    return {name: schemas[schema["$ref"].rsplit("/", 1)[1]] if "$ref" in schema else schema for name, schema in props.items()}


def assert_conforms(spec_name, path, method, response):
    """Validate ``response`` (a ``requests`` response) against the spec's schema for its status."""
    responses = _operation(spec_name, path, method)["responses"]
    assert str(response.status_code) in responses, "status %d not in the spec for %s %s: %s" % (response.status_code, method.upper(), path, response.text)
    declared = responses[str(response.status_code)]
    if "content" not in declared:
        assert response.content == b""
        return None
    schema = dict(declared["content"]["application/json"]["schema"])
    schema["components"] = SPECS[spec_name]["components"]
    body = response.json()
    OAS30Validator(schema, format_checker=oas30_format_checker).validate(body)
    return body


def resource_schema(spec_name, name):
    """Property names of a component schema (e.g. ``chat.v2.service``)."""
    return set(SPECS[spec_name]["components"]["schemas"][name]["properties"])


def snake(name):
    """Independent of the emulator: ``OnMessageSend`` -> ``on_message_send``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def sample_value(name, schema, index=0):
    """A valid form value for a parameter schema from the spec."""
    if schema.get("type") == "boolean":
        return "true" if index % 2 == 0 else "false"
    if schema.get("type") == "integer":
        return str(10 + index)
    if schema.get("type") == "array":
        return ["onMessageSent", "onChannelDestroyed"]
    if "pattern" in schema:
        return schema["pattern"][1:3] + "%032x" % (index + 1)
    if schema.get("format") == "uri":
        return "https://example.com/hooks/%s" % name.lower()
    if "enum" in schema:
        return schema["enum"][index % len(schema["enum"])]
    return "value of %s" % name


def expected_response_value(value, schema):
    """What the response shows for a form value."""
    if schema.get("type") == "boolean":
        return value == "true"
    if schema.get("type") == "integer":
        return int(value)
    return value


def response_lookup(body, form_name):
    """``Notifications.NewMessage.Enabled`` -> ``body["notifications"]["new_message"]["enabled"]``."""
    node = body
    for part in form_name.split("."):
        node = node[snake(part)]
    return node


CHAT = [("chat_v1", "v1", "chat.v1.service"), ("chat_v2", "v2", "chat.v2.service")]


@pytest.mark.parametrize("spec_name, version, schema_name", CHAT)
def test_chat_crud_conforms(api, spec_name, version, schema_name):
    base = "/chat/%s/Services" % version
    list_path, item_path = "/%s/Services" % version, "/%s/Services/{Sid}" % version
    created = assert_conforms(spec_name, list_path, "post", api.post(base, {"FriendlyName": "conformance"}))
    assert set(created) == resource_schema(spec_name, schema_name), "every field of the spec's schema, nothing else"
    assert created["notifications"] == {}
    assert created["limits"] == dict({"channel_members": 250, "user_channels": 100}, **({"actions_per_second": 30} if version == "v1" else {}))
    api.create(base, {"FriendlyName": "second"})
    listed = assert_conforms(spec_name, list_path, "get", api.get(base + "?PageSize=1"))
    assert listed["meta"]["next_page_url"]
    assert_conforms(spec_name, list_path, "get", api.get(listed["meta"]["next_page_url"]))
    fetched = assert_conforms(spec_name, item_path, "get", api.get("%s/%s" % (base, created["sid"])))
    assert fetched == created
    updated = assert_conforms(spec_name, item_path, "post", api.post("%s/%s" % (base, created["sid"]), {"FriendlyName": "new"}))
    assert updated["friendly_name"] == "new"
    assert_conforms(spec_name, item_path, "delete", api.delete("%s/%s" % (base, created["sid"])))


def _chat_update_params(spec_name, version):
    return [(spec_name, version, name) for name in request_properties(spec_name, "/%s/Services/{Sid}" % version, "post")]


@pytest.mark.parametrize("spec_name, version, name", _chat_update_params("chat_v1", "v1") + _chat_update_params("chat_v2", "v2"))
def test_every_chat_update_parameter_is_accepted_and_reflected(api, spec_name, version, name):
    item_path = "/%s/Services/{Sid}" % version
    schema = request_properties(spec_name, item_path, "post")[name]
    sid = api.create("/chat/%s/Services" % version, {"FriendlyName": "p"})["sid"]
    value = sample_value(name, schema)
    body = assert_conforms(spec_name, item_path, "post", api.post("/chat/%s/Services/%s" % (version, sid), {name: value}))
    assert response_lookup(body, name) == expected_response_value(value, schema)
    assert api.get("/chat/%s/Services/%s" % (version, sid)).json() == body


@pytest.mark.parametrize("spec_name, version, schema_name", CHAT)
def test_all_chat_update_parameters_at_once(api, spec_name, version, schema_name):
    item_path = "/%s/Services/{Sid}" % version
    props = request_properties(spec_name, item_path, "post")
    sid = api.create("/chat/%s/Services" % version, {"FriendlyName": "all"})["sid"]
    form = {name: sample_value(name, schema, index) for index, (name, schema) in enumerate(props.items())}
    body = assert_conforms(spec_name, item_path, "post", api.post("/chat/%s/Services/%s" % (version, sid), form))
    assert set(body) == resource_schema(spec_name, schema_name)
    for name, schema in props.items():
        assert response_lookup(body, name) == expected_response_value(form[name], schema), name


def test_parameters_of_the_other_chat_version_are_rejected(api):
    v1 = set(request_properties("chat_v1", "/v1/Services/{Sid}", "post"))
    v2 = set(request_properties("chat_v2", "/v2/Services/{Sid}", "post"))
    assert len(v1) == 54 and len(v2) == 31 and len(v1 & v2) == 22
    sid = api.create("/chat/v2/Services", {"FriendlyName": "x"})["sid"]
    for version, foreign in (("v1", v2 - v1), ("v2", v1 - v2)):
        for name in sorted(foreign):
            response = api.post("/chat/%s/Services/%s" % (version, sid), {name: "true"})
            assert response.status_code == 400 and name in response.json()["message"], (version, name)


def test_partial_notification_update_keeps_other_fields(api):
    sid = api.create("/chat/v2/Services", {"FriendlyName": "n"})["sid"]
    api.post("/chat/v2/Services/" + sid, {"Notifications.NewMessage.Template": "t1", "Notifications.AddedToChannel.Enabled": "true"})
    body = api.post("/chat/v2/Services/" + sid, {"Notifications.NewMessage.Enabled": "true"}).json()
    assert body["notifications"]["new_message"]["template"] == "t1"
    assert body["notifications"]["new_message"]["enabled"] is True
    assert body["notifications"]["added_to_channel"]["enabled"] is True
    cleared = api.post("/chat/v2/Services/" + sid, {"Notifications.NewMessage.Template": "", "PreWebhookUrl": ""}).json()
    assert cleared["notifications"]["new_message"]["template"] is None
    assert cleared["pre_webhook_url"] is None
    assert cleared["notifications"]["new_message"]["enabled"] is True


def test_webhook_filters_repeat_and_clear(api):
    sid = api.create("/chat/v2/Services", {"FriendlyName": "f"})["sid"]
    body = api.post("/chat/v2/Services/" + sid, {"WebhookFilters": ["onMessageSent", "onChannelAdded"]}).json()
    assert body["webhook_filters"] == ["onMessageSent", "onChannelAdded"]
    assert api.post("/chat/v2/Services/" + sid, {"WebhookFilters": ""}).json()["webhook_filters"] == []


def test_v1_webhooks_object(api):
    sid = api.create("/chat/v1/Services", {"FriendlyName": "w"})["sid"]
    form = {"Webhooks.OnMessageSend.Url": "https://e.example/send", "Webhooks.OnMessageSend.Method": "POST"}
    body = api.post("/chat/v1/Services/" + sid, form).json()
    assert body["webhooks"]["on_message_send"] == {"format": None, "method": "POST", "url": "https://e.example/send"}
    # The events come from the spec's update parameters (Webhooks.<Event>.Url), not from a copy of the emulator's list.
    events = [
        m.group(1) for m in (re.match(r"Webhooks\.(On[A-Za-z]+)\.Url\Z", name) for name in request_properties("chat_v1", "/v1/Services/{Sid}", "post")) if m
    ]
    assert len(events) == 16
    assert set(body["webhooks"]) == {snake(event) for event in events}
    assert set(body["webhooks"]) == set(
        SPECS["chat_v1"]["paths"]["/v1/Services/{Sid}"]["post"]["responses"]["200"]["content"]["application/json"]["examples"]["update"]["value"]["webhooks"]
    )
    example = SPECS["chat_v1"]["paths"]["/v1/Services"]["get"]["responses"]["200"]["content"]["application/json"]["examples"]["readFull"]["value"]["services"][
        0
    ]
    assert set(body["limits"]) == set(example["limits"]), "limits.actions_per_second"
    assert set(api.post("/chat/v1/Services/" + sid, {"Notifications.NewMessage.Enabled": "true"}).json()["notifications"]) == set(example["notifications"])
    body = api.post("/chat/v1/Services/" + sid, {"Webhooks.OnMessageSend.Url": "", "Webhooks.OnMessageSend.Method": ""}).json()
    assert body["webhooks"] == {}


def test_serverless_crud_conforms(api):
    props = request_properties("serverless_v1", "/v1/Services", "post")
    form = {"UniqueName": "conf-svc", "FriendlyName": "Conformance"}
    for name, schema in props.items():
        form.setdefault(name, sample_value(name, schema, 1))
    created = assert_conforms("serverless_v1", "/v1/Services", "post", api.post("/serverless/v1/Services", form))
    assert set(created) == resource_schema("serverless_v1", "serverless.v1.service")
    assert (created["include_credentials"], created["ui_editable"]) == (False, False)
    api.create("/serverless/v1/Services", {"UniqueName": "conf-2", "FriendlyName": "2"})
    listed = assert_conforms("serverless_v1", "/v1/Services", "get", api.get("/serverless/v1/Services?PageSize=1"))
    assert_conforms("serverless_v1", "/v1/Services", "get", api.get(listed["meta"]["next_page_url"]))
    item = "/serverless/v1/Services/" + created["sid"]
    assert assert_conforms("serverless_v1", "/v1/Services/{Sid}", "get", api.get(item)) == created
    update = {name: sample_value(name, schema) for name, schema in request_properties("serverless_v1", "/v1/Services/{Sid}", "post").items()}
    updated = assert_conforms("serverless_v1", "/v1/Services/{Sid}", "post", api.post(item, update))
    for name, schema in request_properties("serverless_v1", "/v1/Services/{Sid}", "post").items():
        assert updated[snake(name)] == expected_response_value(update[name], schema)
    assert_conforms("serverless_v1", "/v1/Services/{Sid}", "delete", api.delete(item))


def test_serverless_environment_crud_conforms(api):
    service = api.create("/serverless/v1/Services", {"UniqueName": "env-svc", "FriendlyName": "x"})
    envs = "/serverless/v1/Services/%s/Environments" % service["sid"]
    list_path, item_path = "/v1/Services/{ServiceSid}/Environments", "/v1/Services/{ServiceSid}/Environments/{Sid}"
    props = request_properties("serverless_v1", list_path, "post")
    form = {"UniqueName": "staging", "DomainSuffix": "stage"}
    assert set(form) == set(props)
    created = assert_conforms("serverless_v1", list_path, "post", api.post(envs, form))
    assert set(created) == resource_schema("serverless_v1", "serverless.v1.service.environment")
    assert created["domain_suffix"] == "stage" and created["unique_name"] == "staging"
    api.create(envs, {"UniqueName": "production"})
    listed = assert_conforms("serverless_v1", list_path, "get", api.get(envs + "?PageSize=1"))
    assert_conforms("serverless_v1", list_path, "get", api.get(listed["meta"]["next_page_url"]))
    assert assert_conforms("serverless_v1", item_path, "get", api.get("%s/%s" % (envs, created["sid"]))) == created
    assert_conforms("serverless_v1", item_path, "delete", api.delete("%s/%s" % (envs, created["sid"])))


# -- Conversations v1 ----------------------------------------------------------------------------
CONV_SERVICE = "/v1/Services/{ChatServiceSid}"
#: (spec path, emulator suffix below /conversations/v1/Services/{sid} or /conversations/v1, component schema).
CONV_SINGLETONS = [
    (CONV_SERVICE + "/Configuration", "/Configuration", "conversations.v1.service.service_configuration"),
    (CONV_SERVICE + "/Configuration/Notifications", "/Configuration/Notifications", "conversations.v1.service.service_configuration.service_notification"),
    (CONV_SERVICE + "/Configuration/Webhooks", "/Configuration/Webhooks", "conversations.v1.service.service_configuration.service_webhook_configuration"),
]
CONV_ACCOUNT = [
    ("/v1/Configuration", "/Configuration", "conversations.v1.configuration"),
    ("/v1/Configuration/Webhooks", "/Configuration/Webhooks", "conversations.v1.configuration.configuration_webhook"),
]


def conversations_sample(name, schema, index, service_sid):
    """A valid value for a Conversations parameter.

    Where the request schema is only ``type: string`` but its description (or the response
    schema) names the values, the value comes from there: ``Method`` GET|POST, ``Filters``
    from the listed events, the timers ISO 8601 durations above their minimums, the
    account-level webhook URLs (plain strings described as absolute URLs) URLs, and the
    default chat service an existing one.  ``Target`` gets its non-default value.
    """
    if name.endswith("WebhookUrl"):
        return sample_value(name, {"format": "uri"}, index)
    special = {
        "Method": ["GET", "POST"][index % 2],
        "Target": "flex",
        "Filters": ["onMessageAdded", "onConversationUpdated"],
        "DefaultInactiveTimer": "PT5M",
        "DefaultClosedTimer": "PT1H",
        "DefaultChatServiceSid": service_sid,
    }
    return special[name] if name in special else sample_value(name, schema, index)


def _conv_url(suffix, sid=None):
    return "/conversations/v1" + ("/Services/%s" % sid if sid else "") + suffix


def test_conversations_crud_conforms(api):
    created = assert_conforms("conversations_v1", "/v1/Services", "post", api.post(_conv_url("/Services"), {"FriendlyName": "conv"}))
    assert set(created) == resource_schema("conversations_v1", "conversations.v1.service")
    assert set(created["links"]) == {
        "conversations",
        "users",
        "roles",
        "bindings",
        "configuration",
        "participant_conversations",
        "conversation_with_participants",
    }
    assert created["links"]["configuration"] == created["url"] + "/Configuration"
    api.create(_conv_url("/Services"), {"FriendlyName": "second"})
    listed = assert_conforms("conversations_v1", "/v1/Services", "get", api.get(_conv_url("/Services?PageSize=1")))
    assert listed["meta"]["key"] == "services" and listed["meta"]["next_page_url"]
    assert_conforms("conversations_v1", "/v1/Services", "get", api.get(listed["meta"]["next_page_url"]))
    item = _conv_url("/Services/" + created["sid"])
    assert assert_conforms("conversations_v1", "/v1/Services/{Sid}", "get", api.get(item)) == created
    assert_conforms("conversations_v1", "/v1/Services/{Sid}", "delete", api.delete(item))
    assert api.get(item).status_code == 404


@pytest.mark.parametrize("spec_path, suffix, schema_name", CONV_SINGLETONS)
def test_conversations_service_singleton_defaults_conform(api, spec_path, suffix, schema_name):
    sid = api.create(_conv_url("/Services"), {"FriendlyName": "defaults"})["sid"]
    body = assert_conforms("conversations_v1", spec_path, "get", api.get(_conv_url(suffix, sid)))
    assert set(body) == resource_schema("conversations_v1", schema_name), "every field of the spec's schema, nothing else"
    assert body["url"].endswith("/conversations/v1/Services/%s%s" % (sid, suffix))
    assert body["chat_service_sid"] == sid


def _conv_update_params():
    rows = []
    for spec_path, suffix, dummy in CONV_SINGLETONS + CONV_ACCOUNT:
        rows += [(spec_path, suffix, name) for name in request_properties("conversations_v1", spec_path, "post")]
    return rows


@pytest.mark.parametrize("spec_path, suffix, name", _conv_update_params())
def test_every_conversations_update_parameter_is_accepted_and_reflected(api, spec_path, suffix, name):
    schema = request_properties("conversations_v1", spec_path, "post")[name]
    sid = api.create(_conv_url("/Services"), {"FriendlyName": "p"})["sid"]
    url = _conv_url(suffix, sid if spec_path.startswith(CONV_SERVICE) else None)
    value = conversations_sample(name, schema, 0, sid)
    body = assert_conforms("conversations_v1", spec_path, "post", api.post(url, {name: value}))
    assert response_lookup(body, name) == expected_response_value(value, schema)
    assert api.get(url).json() == body


@pytest.mark.parametrize("spec_path, suffix, schema_name", CONV_SINGLETONS + CONV_ACCOUNT)
def test_all_conversations_update_parameters_at_once(api, spec_path, suffix, schema_name):
    props = request_properties("conversations_v1", spec_path, "post")
    sid = api.create(_conv_url("/Services"), {"FriendlyName": "all"})["sid"]
    url = _conv_url(suffix, sid if spec_path.startswith(CONV_SERVICE) else None)
    form = {name: conversations_sample(name, schema, index, sid) for index, (name, schema) in enumerate(props.items())}
    body = assert_conforms("conversations_v1", spec_path, "post", api.post(url, form))
    assert set(body) == resource_schema("conversations_v1", schema_name)
    for name, schema in props.items():
        assert response_lookup(body, name) == expected_response_value(form[name], schema), name
    assert assert_conforms("conversations_v1", spec_path, "get", api.get(url)) == body


@pytest.mark.parametrize("spec_path, suffix, schema_name", CONV_ACCOUNT)
def test_conversations_account_singletons_conform(api, base_url, spec_path, suffix, schema_name):
    body = assert_conforms("conversations_v1", spec_path, "get", api.get(_conv_url(suffix)))
    assert set(body) == resource_schema("conversations_v1", schema_name)
    assert body["account_sid"] == api.session.auth[0]
    assert body["url"] == base_url + "/conversations/v1" + suffix


@pytest.mark.parametrize("account", ["api", "other_api"])
def test_every_account_has_its_default_conversations_service(request, base_url, account):
    """Twilio makes a Conversations Service with every account: /v1/Configuration's default_chat_service_sid and
    links.service are never null, and name a service the account lists (issue 20 item 5)."""
    session = request.getfixturevalue(account)
    body = assert_conforms("conversations_v1", "/v1/Configuration", "get", session.get(_conv_url("/Configuration")))
    default_sid = body["default_chat_service_sid"]
    assert default_sid is not None and body["links"]["service"] is not None
    assert body["links"]["service"] == "%s/conversations/v1/Services/%s/Configuration" % (base_url, default_sid)
    service = assert_conforms("conversations_v1", "/v1/Services/{Sid}", "get", session.get(_conv_url("/Services/" + default_sid)))
    assert service["account_sid"] == session.session.auth[0]
    listed = assert_conforms("conversations_v1", "/v1/Services", "get", session.get(_conv_url("/Services")))
    assert default_sid in [item["sid"] for item in listed["services"]]
    assert_conforms("conversations_v1", CONV_SERVICE + "/Configuration", "get", session.get(body["links"]["service"]))


def test_the_default_service_sid_check_is_not_vacuous():
    with pytest.raises(ValidationError):
        assert_conforms("conversations_v1", "/v1/Configuration", "get", _Answer({"default_chat_service_sid": "IS123"}))


class _Answer:  # pylint: disable=too-few-public-methods
    """A 200 answer whose JSON is ``body``, for checking that a schema check refuses it."""

    status_code = 200
    content = b"{}"

    def __init__(self, body):
        self._body = body

    def json(self):
        return self._body


@pytest.mark.parametrize(
    "path, bad",
    [
        (CONV_SERVICE + "/Configuration/Webhooks", {"method": None}),
        (CONV_SERVICE + "/Configuration/Webhooks", {"filters": "onMessageAdded"}),
        ("/v1/Configuration/Webhooks", {"target": "nowhere"}),
        ("/v1/Configuration", {"default_chat_service_sid": "MG" + "0" * 32}),
        ("/v1/Services/{Sid}", {"date_updated": "yesterday"}),
    ],
)
def test_the_conversations_schema_check_is_not_vacuous(path, bad):
    with pytest.raises(ValidationError):
        assert_conforms("conversations_v1", path, "get", _Answer(bad))


@pytest.mark.parametrize("bad", [{"sid": "XX"}, {"date_created": "yesterday"}, {"typing_indicator_timeout": "5"}, {"webhook_filters": "onMessageSent"}])
def test_the_schema_check_is_not_vacuous(bad):
    with pytest.raises(ValidationError):
        assert_conforms("chat_v2", "/v2/Services/{Sid}", "get", _Answer(bad))


#: The Serverless operations the emulator does not serve (Logs need running Functions).
SERVERLESS_NOT_SERVED = {"/v1/Services/{ServiceSid}/Environments/{EnvironmentSid}/Logs", "/v1/Services/{ServiceSid}/Environments/{EnvironmentSid}/Logs/{Sid}"}


def test_serverless_code_operations_conform(api, emulator):
    """Every Functions/Assets/Versions/Builds/Deployments/Variables operation of the spec, checked against its response schema."""
    emulator.serverless.configure({"build_delay_ms": 0})
    covered = set()

    def check(path, method, response, schema_name=None):
        covered.add((path, method))
        body = assert_conforms("serverless_v1", path, method, response)
        if schema_name is not None:
            assert set(body) == resource_schema("serverless_v1", schema_name), "fields beyond or short of the spec"
        return body

    service = api.create("/serverless/v1/Services", {"UniqueName": "conf-code", "FriendlyName": "x"})
    svc = "/serverless/v1/Services/" + service["sid"]
    env = api.create(svc + "/Environments", {"UniqueName": "dev-environment", "DomainSuffix": "dev"})
    versions = {}
    for kind, singular in (("Functions", "function"), ("Assets", "asset")):
        base = "/v1/Services/{ServiceSid}/" + kind
        parent_param = "{%sSid}" % singular.capitalize()
        created = check(base, "post", api.post(svc + "/" + kind, {"FriendlyName": "/one"}), "serverless.v1.service." + singular)
        api.create(svc + "/" + kind, {"FriendlyName": "/two"})
        listed = check(base, "get", api.get(svc + "/" + kind + "?PageSize=1"))
        check(base, "get", api.get(listed["meta"]["next_page_url"]))
        item = "%s/%s/%s" % (svc, kind, created["sid"])
        assert check(base + "/{Sid}", "get", api.get(item)) == created
        check(base + "/{Sid}", "post", api.post(item, {"FriendlyName": "/renamed"}))
        upload = api.post(
            "/serverless-upload/v1/Services/%s/%s/%s/Versions" % (service["sid"], kind, created["sid"]),
            {"Path": "/renamed-" + singular, "Visibility": "protected"},
            files={"Content": ("renamed.js", b"exports.handler = () => {};\n", "application/javascript")},
        )
        assert upload.status_code == 201, upload.text
        # The upload is in no spec: its answer must be the version the spec describes.
        version_schema = "serverless.v1.service.%s.%s_version" % (singular, singular)
        version = upload.json()
        assert set(version) == resource_schema("serverless_v1", version_schema)
        versions_path = "%s/%s/Versions" % (base, parent_param)
        check(versions_path, "get", api.get(item + "/Versions"))
        assert check(versions_path + "/{Sid}", "get", api.get(version["url"]), version_schema) == version
        versions[singular] = version
        if singular == "function":
            content_schema = "serverless.v1.service.function.function_version.function_version_content"
            check(versions_path + "/{Sid}/Content", "get", api.get(version["links"]["function_version_content"]), content_schema)
        spare = api.create(svc + "/" + kind, {"FriendlyName": "/spare"})
        check(base + "/{Sid}", "delete", api.delete("%s/%s/%s" % (svc, kind, spare["sid"])))
    builds = "/v1/Services/{ServiceSid}/Builds"
    form = {"FunctionVersions": versions["function"]["sid"], "AssetVersions": versions["asset"]["sid"], "Runtime": "node22"}
    form["Dependencies"] = '[{"name":"lodash","version":"4.17.21"}]'
    created = check(builds, "post", api.post(svc + "/Builds", form), "serverless.v1.service.build")
    check(builds, "get", api.get(svc + "/Builds"))
    check(builds + "/{Sid}", "get", api.get(created["url"]))
    check(builds + "/{Sid}/Status", "get", api.get(created["links"]["build_status"]), "serverless.v1.service.build.build_status")
    deployments = "/v1/Services/{ServiceSid}/Environments/{EnvironmentSid}/Deployments"
    env_url = "%s/Environments/%s" % (svc, env["sid"])
    deployment = check(deployments, "post", api.post(env_url + "/Deployments", {"BuildSid": created["sid"]}), "serverless.v1.service.environment.deployment")
    check(deployments, "get", api.get(env_url + "/Deployments"))
    check(deployments + "/{Sid}", "get", api.get(deployment["url"]))
    spare = api.create(svc + "/Builds", form)
    check(builds + "/{Sid}", "delete", api.delete(spare["url"]))
    variables = "/v1/Services/{ServiceSid}/Environments/{EnvironmentSid}/Variables"
    var = check(variables, "post", api.post(env_url + "/Variables", {"Key": "A", "Value": "1"}), "serverless.v1.service.environment.variable")
    check(variables, "get", api.get(env_url + "/Variables"))
    check(variables + "/{Sid}", "get", api.get(var["url"]))
    check(variables + "/{Sid}", "post", api.post(var["url"], {"Key": "B", "Value": "2"}))
    check(variables + "/{Sid}", "delete", api.delete(var["url"]))
    elsewhere = {"/v1/Services", "/v1/Services/{Sid}", "/v1/Services/{ServiceSid}/Environments", "/v1/Services/{ServiceSid}/Environments/{Sid}"}
    served = {
        (path, method)
        for path, item in SPECS["serverless_v1"]["paths"].items()
        for method in item
        if method in ("get", "post", "delete") and path not in SERVERLESS_NOT_SERVED | elsewhere
    }
    assert len(served) == 28 and served - covered == set(), "every Serverless code operation of the spec is checked here"


# ---- roles: Chat v1/v2 service roles, Conversations service roles and account roles --------------

ROLE_APIS = [
    ("chat_v1", "/chat/v1", "/v1/Services/{ServiceSid}/Roles", "chat.v1.service.role", ("channel", "deployment"), 1000),
    ("chat_v2", "/chat/v2", "/v2/Services/{ServiceSid}/Roles", "chat.v2.service.role", ("channel", "deployment"), 100),
    ("conversations_v1", "/conversations/v1", "/v1/Services/{ChatServiceSid}/Roles", "conversations.v1.service.service_role", ("conversation", "service"), 50),
]


@pytest.mark.parametrize("spec_name, prefix, spec_path, schema_name, types, max_page", ROLE_APIS)
def test_service_roles_crud_conforms(api, spec_name, prefix, spec_path, schema_name, types, max_page):
    service = api.create("/chat/v2/Services", {"FriendlyName": "roles"})
    roles_url = "%s/Services/%s/Roles" % (prefix, service["sid"])
    listed = assert_conforms(spec_name, spec_path, "get", api.get(roles_url))
    assert [r["friendly_name"] for r in listed["roles"]] == ["service admin", "service user", "channel admin", "channel user"]
    assert [r["type"] for r in listed["roles"]] == [types[1], types[1], types[0], types[0]]
    by_sid = {r["sid"]: r["friendly_name"] for r in listed["roles"]}
    assert by_sid[service["default_service_role_sid"]] == "service user"
    assert by_sid[service["default_channel_role_sid"]] == "channel user"
    assert by_sid[service["default_channel_creator_role_sid"]] == "channel admin"
    assert set(listed["roles"][0]) == resource_schema(spec_name, schema_name)
    assert api.get(roles_url + "?PageSize=%d" % max_page).status_code == 200
    assert api.get(roles_url + "?PageSize=%d" % (max_page + 1)).json()["code"] == 20007
    created = assert_conforms(
        spec_name, spec_path, "post", api.post(roles_url, [("FriendlyName", "mod"), ("Type", types[0]), ("Permission", "sendMessage"), ("Permission", "x")])
    )
    assert (created["type"], created["permissions"]) == (types[0], ["sendMessage", "x"])
    item = roles_url + "/" + created["sid"]
    updated = assert_conforms(spec_name, spec_path + "/{Sid}", "post", api.post(item, [("Permission", "leave")]))
    assert updated["permissions"] == ["leave"] and updated["type"] == types[0], "the whole list replaced, the type kept"
    assert api.post(item, [("Type", types[1]), ("Permission", "a")]).json()["code"] == 20001, "no Type on update"
    assert api.post(item, [("Permission", "")]).status_code == 400, "Permission is required"
    assert assert_conforms(spec_name, spec_path + "/{Sid}", "get", api.get(item)) == updated
    assert api.post(roles_url, [("FriendlyName", "x" * 65), ("Type", types[0]), ("Permission", "a")]).status_code == 400
    assert api.post(roles_url, [("FriendlyName", "x"), ("Type", "other"), ("Permission", "a")]).status_code == 400
    assert api.post(roles_url, [("FriendlyName", "x"), ("Type", types[0])]).status_code == 400
    assert_conforms(spec_name, spec_path + "/{Sid}", "delete", api.delete(item))
    assert api.get(item).status_code == 404


def test_account_roles_are_the_default_conversations_service_roles(api):
    listed = assert_conforms("conversations_v1", "/v1/Roles", "get", api.get("/conversations/v1/Roles"))
    assert set(listed["roles"][0]) == resource_schema("conversations_v1", "conversations.v1.role")
    assert api.get("/conversations/v1/Roles?PageSize=51").json()["code"] == 20007
    default_sid = api.get("/conversations/v1/Configuration").json()["default_chat_service_sid"]
    assert {r["chat_service_sid"] for r in listed["roles"]} == {default_sid}
    created = assert_conforms(
        "conversations_v1", "/v1/Roles", "post", api.post("/conversations/v1/Roles", [("FriendlyName", "acct"), ("Type", "service"), ("Permission", "a")])
    )
    assert created["url"].endswith("/conversations/v1/Roles/" + created["sid"])
    service_view = api.get("/conversations/v1/Services/%s/Roles/%s" % (default_sid, created["sid"])).json()
    assert service_view["friendly_name"] == "acct"
    item = "/conversations/v1/Roles/" + created["sid"]
    assert assert_conforms("conversations_v1", "/v1/Roles/{Sid}", "post", api.post(item, [("Permission", "b")]))["permissions"] == ["b"]
    assert_conforms("conversations_v1", "/v1/Roles/{Sid}", "get", api.get(item))
    assert_conforms("conversations_v1", "/v1/Roles/{Sid}", "delete", api.delete(item))


# ---- push credentials: one set per account, through Conversations and Chat -------------------------------

CREDENTIAL_APIS = [
    ("conversations_v1", "/conversations/v1", "/v1/Credentials", "conversations.v1.credential", 100),
    ("chat_v2", "/chat/v2", "/v2/Credentials", "chat.v2.credential", 1000),
    ("chat_v1", "/chat/v1", "/v1/Credentials", "chat.v1.credential", 1000),
]


@pytest.mark.parametrize("spec_name, prefix, spec_path, schema_name, max_page", CREDENTIAL_APIS)
def test_credentials_crud_conforms(api, spec_name, prefix, spec_path, schema_name, max_page):
    url = prefix + "/Credentials"
    form = {"Type": "apn", "FriendlyName": "ios", "Certificate": "CERT-BODY", "PrivateKey": "KEY-BODY", "Sandbox": "true"}
    created = assert_conforms(spec_name, spec_path, "post", api.post(url, form))
    assert set(created) == resource_schema(spec_name, schema_name)
    assert (created["type"], created["sandbox"]) == ("apn", "True"), "sandbox answered as a string"
    assert "CERT-BODY" not in api.get(url).text and "KEY-BODY" not in api.get(url + "/" + created["sid"]).text, "secrets never answered"
    fcm = assert_conforms(spec_name, spec_path, "post", api.post(url, {"Type": "fcm", "FriendlyName": "android", "Secret": "S"}))
    assert fcm["sandbox"] is None
    listed = assert_conforms(spec_name, spec_path, "get", api.get(url + "?PageSize=1"))
    assert listed["meta"]["key"] == "credentials" and listed["meta"]["next_page_url"]
    assert api.get(url + "?PageSize=%d" % (max_page + 1)).json()["code"] == 20007
    item = url + "/" + created["sid"]
    updated = assert_conforms(spec_name, spec_path + "/{Sid}", "post", api.post(item, {"Sandbox": "false", "FriendlyName": "ios2"}))
    assert (updated["sandbox"], updated["friendly_name"], updated["type"]) == ("False", "ios2", "apn")
    assert assert_conforms(spec_name, spec_path + "/{Sid}", "get", api.get(item)) == updated
    assert api.post(url, {"FriendlyName": "no type"}).status_code == 400
    assert api.post(url, {"Type": "apn", "FriendlyName": "x" * 65}).status_code == 400
    assert_conforms(spec_name, spec_path + "/{Sid}", "delete", api.delete(item))
    assert api.get(item).status_code == 404


def test_credentials_are_one_set_for_chat_and_conversations(api):
    made = api.create("/chat/v2/Credentials", {"Type": "fcm", "FriendlyName": "android", "Secret": "S"})
    seen = api.get("/conversations/v1/Credentials/" + made["sid"]).json()
    assert (seen["friendly_name"], seen["type"]) == ("android", "fcm")
    # Conversations lists Type on update; the type never changes (our reading: refused), the same type is accepted.
    assert api.post("/conversations/v1/Credentials/" + made["sid"], {"Type": "apn"}).json()["code"] == 20001
    assert api.post("/conversations/v1/Credentials/" + made["sid"], {"Type": "fcm"}).status_code == 200
    assert api.post("/chat/v2/Credentials/" + made["sid"], {"Type": "fcm"}).status_code == 400, "Chat has no Type on update"


def test_chat_v2_notifications_key_set_is_the_spec_example(api):
    """The v2 update example's notifications keys (no ``sound``); a sound that was set is answered too (issue 20 item 5)."""
    example = SPECS["chat_v2"]["paths"]["/v2/Services/{Sid}"]["post"]["responses"]["200"]["content"]["application/json"]["examples"]["update"]["value"][
        "notifications"
    ]
    sid = api.create("/chat/v2/Services", {"FriendlyName": "notes"})["sid"]
    body = api.post("/chat/v2/Services/" + sid, {"Notifications.NewMessage.Enabled": "true"}).json()["notifications"]
    assert set(body) == set(example)
    assert all(set(body[event]) == set(example[event]) for event in example if isinstance(example[event], dict))
    body = api.post("/chat/v2/Services/" + sid, {"Notifications.NewMessage.Sound": "ding"}).json()["notifications"]
    assert body["new_message"]["sound"] == "ding" and set(body["new_message"]) == set(example["new_message"]) | {"sound"}
    body = api.post("/chat/v2/Services/" + sid, {"Notifications.NewMessage.Sound": ""}).json()["notifications"]
    assert set(body["new_message"]) == set(example["new_message"])
