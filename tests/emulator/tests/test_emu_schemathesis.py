"""Property-based run of schemathesis, driven by the official specs, against the emulator.

Checks: no 5xx for any generated request (``not_a_server_error``) and every documented
(2xx) response conforming to the spec's schema (``response_schema_conformance``).
Bounded: a few examples per operation, no shrinking, derandomised.

Path SIDs are replaced by SIDs of resources created for the example, because random
SIDs matching the pattern would only ever exercise the 404 path.  Exclusions from the
specs (documented here, not silently): only the Service (and Environment) operations are
run, and for Conversations the Service configuration singletons and the account-level
Configuration[/Webhooks]. Roles are emulated but not fuzzed here (test_emu_spec_conformance and
test_emu_sdk cover them); the other resources in these specs (Channels, Users, Functions,
Conversations, Addresses, ...) are not emulated.

Where the spec is looser than Twilio, generated requests get a 4xx, which neither check
fails on (and which the emulator's own tests pin down): ``Limits.*`` has no
minimum/maximum in the schema (Twilio's prose: up to 1,000), chat v1 ``FriendlyName`` has
no ``maxLength`` (prose: 64), serverless ``UniqueName`` has no pattern (docs: letters,
digits, dashes, at most 50), a random ``PageToken`` is not a token "provided by the API";
Conversations: ``Method``, ``Filters``, the timers and the account-level webhook URLs are plain
strings in the request schemas (their descriptions name GET|POST, the event lists, ISO 8601
durations with minimums and absolute URLs), ``FriendlyName`` has no ``maxLength`` (prose: 256),
and ``DefaultChatServiceSid`` must name an existing service.
"""

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from twilio_emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN

from emulator_helpers import SPEC_DIR

CHECKS = [not_a_server_error, response_schema_conformance]
BOUNDED = settings(max_examples=12, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))


def _schema(name, path_regex):
    schema = schemathesis.openapi.from_path(SPEC_DIR / (name + ".json")).include(path_regex=path_regex)
    schema.config.generation.update(modes=["positive"])
    return schema


CHAT_V1 = _schema("twilio_chat_v1", r"^/v1/Services(/\{Sid\})?$")
CHAT_V2 = _schema("twilio_chat_v2", r"^/v2/Services(/\{Sid\})?$")
SERVERLESS = _schema("twilio_serverless_v1", r"^/v1/Services(/\{Sid\}|/\{ServiceSid\}/Environments(/\{Sid\})?)?$")
CONVERSATIONS = _schema(
    "twilio_conversations_v1", r"^/v1/(Services(/\{Sid\}|/\{ChatServiceSid\}/Configuration(/Notifications|/Webhooks)?)?|Configuration(/Webhooks)?)$"
)


@pytest.fixture
def session(emulator):
    """Authenticated session; the serverless cap is lifted so random creates never hit it."""
    emulator.set_max_services({"serverless": None})
    with requests.Session() as sess:
        sess.auth = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
        yield sess


def _run(case, emulator, session, product):
    response = case.call_and_validate(base_url=emulator.base_url + "/" + product, session=session, checks=CHECKS)
    assert response.status_code < 500
    return response


def _create(session, url, data):
    response = session.post(url, data=data, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["sid"]


@CHAT_V1.parametrize()
@BOUNDED
def test_chat_v1(case, emulator, session):
    if "Sid" in (case.path_parameters or {}):
        case.path_parameters["Sid"] = _create(session, emulator.base_url + "/chat/v1/Services", {"FriendlyName": "st"})
    _run(case, emulator, session, "chat")


@CHAT_V2.parametrize()
@BOUNDED
def test_chat_v2(case, emulator, session):
    if "Sid" in (case.path_parameters or {}):
        case.path_parameters["Sid"] = _create(session, emulator.base_url + "/chat/v2/Services", {"FriendlyName": "st"})
    _run(case, emulator, session, "chat")


@SERVERLESS.parametrize()
@BOUNDED
def test_serverless_v1(case, emulator, session):
    params = case.path_parameters or {}
    services = emulator.base_url + "/serverless/v1/Services"
    if "Sid" in params or "ServiceSid" in params:
        service_sid = _create(session, services, {"UniqueName": "st-%d" % len(emulator.request_log()), "FriendlyName": "st"})
        if "ServiceSid" in params:
            params["ServiceSid"] = service_sid
            if "Sid" in params:
                params["Sid"] = _create(session, "%s/%s/Environments" % (services, service_sid), {"UniqueName": "env"})
        else:
            params["Sid"] = service_sid
    _run(case, emulator, session, "serverless")


@CONVERSATIONS.parametrize()
@BOUNDED
def test_conversations_v1(case, emulator, session):
    params = case.path_parameters or {}
    for name in ("Sid", "ChatServiceSid"):
        if name in params:
            params[name] = _create(session, emulator.base_url + "/conversations/v1/Services", {"FriendlyName": "st"})
    _run(case, emulator, session, "conversations")
