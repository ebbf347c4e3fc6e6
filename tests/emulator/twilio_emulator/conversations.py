"""Conversations v1 Services and configuration (``/conversations/v1/...``).

A Conversations Service *is* a Chat Service: one ``IS`` object per service, stored once
(``store.new_service``) and shown through Chat v1, Chat v2 and this module.  The
Conversations names of the shared settings map onto the stored (Chat) keys:

=========================================  ===========================================
Conversations                              stored record (= Chat v2 field)
=========================================  ===========================================
``default_chat_service_role_sid``          ``default_service_role_sid``
``default_conversation_role_sid``          ``default_channel_role_sid``
``default_conversation_creator_role_sid``  ``default_channel_creator_role_sid``
``reachability_enabled``                   ``reachability_enabled``
``log_enabled``                            ``notifications.log_enabled``
``new_message.*``                          ``notifications.new_message.*``
``added_to_conversation.*``                ``notifications.added_to_channel.*``
``removed_from_conversation.*``            ``notifications.removed_from_channel.*``
``new_message.with_media.*``               ``notifications.new_message.with_media.*`` (not in Chat)
``pre_webhook_url`` / ``post_webhook_url``  ``pre_webhook_url`` / ``post_webhook_url``
``method`` / ``filters``                   ``webhook_method`` / ``webhook_filters``
=========================================  ===========================================

Parameters and response fields follow the official ``twilio_conversations_v1.json``;
limits the spec gives only in prose (``FriendlyName`` 256 characters, the timer
minimums, the webhook filter lists) are enforced as documented there.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

from .errors import invalid_param, method_not_allowed, not_found
from .params import Param, parse_form, set_path, target_path, validate
from .paging import list_response
from .store import SERVICES, forget_service, new_service, now

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable
    from typing import Any

    from .server import Answer, Context, Route
    from .store import Account, Record

SID_RE = re.compile(r"^IS[0-9a-fA-F]{32}$")
API = "Conversations v1"
MAX_PAGE_SIZE = 100
FRIENDLY_NAME_MAX = 256
#: The spec types webhook Filters as plain strings and lists the events only in prose (its own example sends
#: onMessageSend, which that list lacks): any name is accepted and stored, as the spec's type says.
#: ISO 8601 durations accepted for the timers: weeks, days, hours, minutes, seconds (years and
#: months have no fixed length, so they are refused).
_DURATION = re.compile(r"^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
TIMER_MINIMUM_SECONDS = {"DefaultInactiveTimer": 60, "DefaultClosedTimer": 600}

CREATE = {"FriendlyName": Param("FriendlyName", max_len=FRIENDLY_NAME_MAX, required=True)}

#: ``/Services/{sid}/Configuration``: form name -> (Param, stored key path).
CONFIGURATION: dict[str, tuple[str, ...]] = {
    "DefaultConversationCreatorRoleSid": ("default_channel_creator_role_sid",),
    "DefaultConversationRoleSid": ("default_channel_role_sid",),
    "DefaultChatServiceRoleSid": ("default_service_role_sid",),
    "ReachabilityEnabled": ("reachability_enabled",),
}
# The role SIDs have a pattern and no "" in the spec: they cannot be cleared (refused as Twilio would).
_CONFIGURATION_PARAMS = {name: Param(name, "bool" if name == "ReachabilityEnabled" else "sid", prefix="RL", clearable=False) for name in CONFIGURATION}

_STORED_EVENT = {"added_to_conversation": "added_to_channel", "removed_from_conversation": "removed_from_channel"}


def _notification_params() -> dict[str, Param]:
    rows = [Param("LogEnabled", "bool")]
    for event, extra in (("NewMessage", ("BadgeCountEnabled",)), ("AddedToConversation", ()), ("RemovedFromConversation", ())):
        rows.append(Param(event + ".Enabled", "bool"))
        rows.append(Param(event + ".Template"))
        rows.append(Param(event + ".Sound"))
        rows += [Param("%s.%s" % (event, name), "bool") for name in extra]
    rows += [Param("NewMessage.WithMedia.Enabled", "bool"), Param("NewMessage.WithMedia.Template")]
    return {row.name: row for row in rows}


def _notification_path(form_name: str) -> tuple[str, ...]:
    path = target_path(form_name)
    return ("notifications", _STORED_EVENT.get(path[0], path[0])) + path[1:]


_NOTIFICATION_PARAMS = _notification_params()
NOTIFICATIONS = {name: _notification_path(name) for name in _NOTIFICATION_PARAMS}

WEBHOOKS: dict[str, tuple[str, ...]] = {
    "PreWebhookUrl": ("pre_webhook_url",),
    "PostWebhookUrl": ("post_webhook_url",),
    "Filters": ("webhook_filters",),
    "Method": ("webhook_method",),
}
_WEBHOOK_PARAMS = {
    "PreWebhookUrl": Param("PreWebhookUrl", "uri"),
    "PostWebhookUrl": Param("PostWebhookUrl", "uri"),
    "Filters": Param("Filters", "list"),
    # ``method`` is a non-nullable GET|POST enum in the response schema, so it cannot be cleared.
    "Method": Param("Method", "method", clearable=False),
}

#: Service sub-resources: name in the URL -> (parameter table, form name -> stored path, label).
SUBRESOURCES: dict[str | None, tuple[dict[str, Param], dict[str, tuple[str, ...]], str]] = {
    None: (_CONFIGURATION_PARAMS, CONFIGURATION, "Service Configuration"),
    "Notifications": (_NOTIFICATION_PARAMS, NOTIFICATIONS, "Service Notification"),
    "Webhooks": (_WEBHOOK_PARAMS, WEBHOOKS, "Service Webhook Configuration"),
}

ACCOUNT_CONFIGURATION = {
    p.name: p
    for p in (
        # Patterns and no "" in the spec: neither can be cleared.
        Param("DefaultChatServiceSid", "sid", prefix="IS", clearable=False),
        Param("DefaultMessagingServiceSid", "sid", prefix="MG", clearable=False),
        Param("DefaultInactiveTimer"),
        Param("DefaultClosedTimer"),
    )
}
ACCOUNT_WEBHOOKS = {
    p.name: p
    for p in (
        Param("Method", "method", clearable=False),
        Param("Filters", "list"),
        Param("PreWebhookUrl", "uri"),
        Param("PostWebhookUrl", "uri"),
        Param("Target", choices=("webhook", "flex"), clearable=False),
    )
}


# -- serialisation -----------------------------------------------------------
def _service_url(base: str, sid: str) -> str:
    return "%s/conversations/v1/Services/%s" % (base, sid)


def serialize_service(record: Record, base: str) -> dict[str, Any]:
    """JSON of a Service (``conversations.v1.service``)."""
    url = _service_url(base, record["sid"])
    out = {key: record[key] for key in ("account_sid", "sid", "friendly_name", "date_created", "date_updated")}
    out["url"] = url
    out["links"] = {
        name: "%s/%s" % (url, segment)
        for name, segment in (
            ("conversations", "Conversations"),
            ("users", "Users"),
            ("roles", "Roles"),
            ("bindings", "Bindings"),
            ("configuration", "Configuration"),
            ("participant_conversations", "ParticipantConversations"),
            ("conversation_with_participants", "ConversationWithParticipants"),
        )
    }
    return out


def serialize_configuration(record: Record, base: str) -> dict[str, Any]:
    """JSON of ``/Services/{sid}/Configuration``."""
    url = _service_url(base, record["sid"]) + "/Configuration"
    return {
        "chat_service_sid": record["sid"],
        "default_conversation_creator_role_sid": record["default_channel_creator_role_sid"],
        "default_conversation_role_sid": record["default_channel_role_sid"],
        "default_chat_service_role_sid": record["default_service_role_sid"],
        "url": url,
        "links": {"notifications": url + "/Notifications", "webhooks": url + "/Webhooks"},
        "reachability_enabled": record["reachability_enabled"],
    }


def _event(stored: dict[str, Any], key: str, sound: bool = True) -> dict[str, Any]:
    item = stored.get(key) or {}
    out: dict[str, Any] = {"enabled": bool(item.get("enabled", False)), "template": item.get("template")}
    if sound:
        out["sound"] = item.get("sound")
    return out


def serialize_notifications(record: Record, base: str) -> dict[str, Any]:
    """JSON of ``/Services/{sid}/Configuration/Notifications`` (every event shown, unset = disabled)."""
    stored = record["notifications"]
    new_message = _event(stored, "new_message")
    new_message["badge_count_enabled"] = bool((stored.get("new_message") or {}).get("badge_count_enabled", False))
    new_message["with_media"] = _event(stored.get("new_message") or {}, "with_media", sound=False)
    return {
        "account_sid": record["account_sid"],
        "chat_service_sid": record["sid"],
        "log_enabled": bool(stored.get("log_enabled", False)),
        "added_to_conversation": _event(stored, "added_to_channel"),
        "new_message": new_message,
        "removed_from_conversation": _event(stored, "removed_from_channel"),
        "url": _service_url(base, record["sid"]) + "/Configuration/Notifications",
    }


def serialize_webhooks(record: Record, base: str, defaults: str = "schema") -> dict[str, Any]:
    """JSON of ``/Services/{sid}/Configuration/Webhooks``.

    No filters answer null, as the spec's fetchEmpty example shows (its schema allows it). A method never written
    answers POST under ``defaults="schema"`` (the schema's enum has no null), null under ``"example"`` (fetchEmpty).
    """
    method = record["webhook_method"] or "POST"
    if defaults == "example" and not record.get("webhook_method_set"):
        method = None
    return {
        "account_sid": record["account_sid"],
        "chat_service_sid": record["sid"],
        "pre_webhook_url": record["pre_webhook_url"],
        "post_webhook_url": record["post_webhook_url"],
        "filters": list(record["webhook_filters"]) or None,
        # Chat can clear its webhook_method to null; the Conversations schema has no null method,
        # and an unset method means Twilio's default, POST.
        "method": method,
        "url": _service_url(base, record["sid"]) + "/Configuration/Webhooks",
    }


SERIALIZERS: dict[str | None, Callable[[Record, str], dict[str, Any]]] = {
    None: serialize_configuration,
    "Notifications": serialize_notifications,
    "Webhooks": serialize_webhooks,
}


def serialize_account_configuration(account: Account, base: str) -> dict[str, Any]:
    """JSON of ``/v1/Configuration``."""
    settings = account.conversations_settings
    default_service = settings["default_chat_service_sid"]
    return {
        "account_sid": account.sid,
        "default_chat_service_sid": default_service,
        "default_messaging_service_sid": settings["default_messaging_service_sid"],
        "default_inactive_timer": settings["default_inactive_timer"],
        "default_closed_timer": settings["default_closed_timer"],
        "url": base + "/conversations/v1/Configuration",
        "links": {
            "service": _service_url(base, default_service) + "/Configuration" if default_service else None,
            "webhooks": base + "/conversations/v1/Configuration/Webhooks",
        },
    }


def serialize_account_webhooks(account: Account, base: str) -> dict[str, Any]:
    """JSON of ``/v1/Configuration/Webhooks``."""
    hooks = account.conversations_settings["webhooks"]
    return {
        "account_sid": account.sid,
        "method": hooks["method"],
        "filters": list(hooks["filters"]),
        "pre_webhook_url": hooks["pre_webhook_url"],
        "post_webhook_url": hooks["post_webhook_url"],
        "target": hooks["target"],
        "url": base + "/conversations/v1/Configuration/Webhooks",
    }


# -- handlers ------------------------------------------------------------------
# The tables above list each operation's parameters in the spec's order: the order in which a
# drop_field fault picks the parameter to leave out (ctx.apply_drop).
def _find(ctx: Context, sid: str, suffix: str = "") -> Record:
    record = ctx.account.collection(SERVICES).get(sid) if SID_RE.match(sid) else None
    if record is None:
        raise not_found("/Services/%s%s" % (sid, suffix))
    return record


def handle_services(ctx: Context, sid: str | None) -> Answer:
    """``/v1/Services[/{sid}]``: list, create, fetch, delete (a Service has no update)."""
    services = ctx.account.collection(SERVICES)
    if sid is None:
        if ctx.method == "GET":
            return 200, list_response(
                ctx.query, services, ctx.base + "/conversations/v1/Services", "services", lambda rec: serialize_service(rec, ctx.base), MAX_PAGE_SIZE
            )
        if ctx.method != "POST":
            raise method_not_allowed(ctx.method)
        form = parse_form(ctx.body, ctx.content_type)
        friendly_name = ctx.apply_drop(validate(form, CREATE, "v1", API + " Service", required=("FriendlyName",)), ("FriendlyName",))[0][1]
        ctx.check_cap("chat", len(services))
        record = new_service(ctx.account.sid, friendly_name)
        services.add(record["sid"], record)
        return 201, serialize_service(record, ctx.base)
    if ctx.method not in ("GET", "DELETE"):
        # No update operation: the service's settings live in its Configuration sub-resources.
        raise method_not_allowed(ctx.method)
    record = _find(ctx, sid)
    if ctx.method == "GET":
        return 200, serialize_service(record, ctx.base)
    forget_service(ctx.account, sid)
    return 204, None


def handle_configuration(ctx: Context, sid: str, part: str | None) -> Answer:
    """``/v1/Services/{sid}/Configuration[/Notifications|/Webhooks]``: fetch and update."""
    if ctx.method not in ("GET", "POST"):
        raise method_not_allowed(ctx.method)
    record = _find(ctx, sid, "/Configuration" + ("/" + part if part else ""))
    serializer = SERIALIZERS[part]
    if ctx.method == "POST":
        params, paths, label = SUBRESOURCES[part]
        changes = ctx.apply_drop(validate(parse_form(ctx.body, ctx.content_type), params, "v1", "%s %s" % (API, label)))
        for param, value in changes:
            set_path(record, paths[param.name], value)
            if param.name == "Method":
                record["webhook_method_set"] = True
        if changes:
            record["date_updated"] = now()
    if part == "Webhooks":
        return 200, serialize_webhooks(record, ctx.base, ctx.conversations_webhook_defaults)
    return 200, serializer(record, ctx.base)


def _duration_seconds(name: str, raw: str) -> float:
    match = _DURATION.match(raw)
    if not match or raw.endswith("T") or raw == "P":
        raise invalid_param("Invalid value '%s' for parameter %s: expected an ISO 8601 duration such as PT10M" % (raw[:40], name))
    weeks, days, hours, minutes, seconds = match.groups()
    return int(weeks or 0) * 604800 + int(days or 0) * 86400 + int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0)


def handle_account_configuration(ctx: Context, part: str | None) -> Answer:
    """``/v1/Configuration[/Webhooks]``: the account-level singletons, fetch and update."""
    if ctx.method not in ("GET", "POST"):
        raise method_not_allowed(ctx.method)
    settings = ctx.account.conversations_settings
    if part == "Webhooks":
        if ctx.method == "POST":
            form = parse_form(ctx.body, ctx.content_type)
            for param, value in ctx.apply_drop(validate(form, ACCOUNT_WEBHOOKS, "v1", API + " Configuration Webhook")):
                settings["webhooks"][param.path[0]] = value
        return 200, serialize_account_webhooks(ctx.account, ctx.base)
    if ctx.method == "POST":
        changes = validate(parse_form(ctx.body, ctx.content_type), ACCOUNT_CONFIGURATION, "v1", API + " Configuration")
        for param, value in changes:
            if value is None:
                continue
            if param.name == "DefaultChatServiceSid" and value not in ctx.account.collection(SERVICES):
                raise invalid_param("Invalid value '%s' for parameter DefaultChatServiceSid: no such Conversation Service in this account" % value)
            minimum = TIMER_MINIMUM_SECONDS.get(param.name)
            if minimum is not None and _duration_seconds(param.name, value) < minimum:
                raise invalid_param(
                    "Invalid value '%s' for parameter %s: must be at least %d minute%s" % (value[:40], param.name, minimum // 60, "s" if minimum > 60 else "")
                )
        for param, value in ctx.apply_drop(changes):
            settings[param.path[0]] = value
    return 200, serialize_account_configuration(ctx.account, ctx.base)


_PREFIX = "^/conversations/v1"
ROUTES: tuple[Route, ...] = (
    (re.compile(_PREFIX + r"/Services$"), lambda ctx, m: handle_services(ctx, None)),
    (re.compile(_PREFIX + r"/Services/([^/]+)$"), lambda ctx, m: handle_services(ctx, unquote(m[1]))),
    (re.compile(_PREFIX + r"/Services/([^/]+)/Configuration$"), lambda ctx, m: handle_configuration(ctx, unquote(m[1]), None)),
    (re.compile(_PREFIX + r"/Services/([^/]+)/Configuration/(Notifications|Webhooks)$"), lambda ctx, m: handle_configuration(ctx, unquote(m[1]), m[2])),
    (re.compile(_PREFIX + r"/Configuration$"), lambda ctx, m: handle_account_configuration(ctx, None)),
    (re.compile(_PREFIX + r"/Configuration/Webhooks$"), lambda ctx, m: handle_account_configuration(ctx, "Webhooks")),
)
