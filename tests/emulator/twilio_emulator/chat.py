"""Programmable Chat Services, v1 and v2 (``/chat/v1/Services``, ``/chat/v2/Services``).

Both API versions are views of one set of ``IS`` services per account, as at
Twilio: a service created through v2 is visible through v1 and vice versa.
Conversations v1 (``conversations.py``) is a third view of the same records.
The parameter table below mirrors the ``UpdateServiceRequest`` schemas of the
official ``twilio_chat_v1.json`` / ``twilio_chat_v2.json``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .errors import invalid_param, method_not_allowed, not_found
from .params import Param, parse_form, set_path, snake, validate
from .paging import list_response
from .store import SERVICES, forget_service, new_service, now

if TYPE_CHECKING:  # annotations only
    from typing import Any

    from .server import Answer, Context
    from .store import Record

SID_RE = re.compile(r"^IS[0-9a-fA-F]{32}$")
VERSIONS = ("v1", "v2")
V1, V2 = ("v1",), ("v2",)
EVENTS = (
    "OnMessageSend",
    "OnMessageUpdate",
    "OnMessageRemove",
    "OnChannelAdd",
    "OnChannelDestroy",
    "OnChannelUpdate",
    "OnMemberAdd",
    "OnMemberRemove",
    "OnMessageSent",
    "OnMessageUpdated",
    "OnMessageRemoved",
    "OnChannelAdded",
    "OnChannelDestroyed",
    "OnChannelUpdated",
    "OnMemberAdded",
    "OnMemberRemoved",
)
NOTIFICATION_EVENTS = ("added_to_channel", "invited_to_channel", "new_message", "removed_from_channel")
FRIENDLY_NAME_MAX_V1 = 64
LIMIT_MAX = 1000
V1_ACTIONS_PER_SECOND = 30


def _params() -> dict[str, Param]:
    rows = [
        Param("FriendlyName"),
        Param("DefaultServiceRoleSid", "sid", prefix="RL"),
        Param("DefaultChannelRoleSid", "sid", prefix="RL"),
        Param("DefaultChannelCreatorRoleSid", "sid", prefix="RL"),
        Param("ReadStatusEnabled", "bool"),
        Param("ReachabilityEnabled", "bool"),
        Param("TypingIndicatorTimeout", "int"),
        Param("ConsumptionReportInterval", "int"),
    ]
    for event in ("NewMessage", "AddedToChannel", "RemovedFromChannel", "InvitedToChannel"):
        rows.append(Param("Notifications.%s.Enabled" % event, "bool"))
        rows.append(Param("Notifications.%s.Template" % event))
        rows.append(Param("Notifications.%s.Sound" % event, versions=V2))
    rows += [
        Param("Notifications.NewMessage.BadgeCountEnabled", "bool", versions=V2),
        Param("Notifications.LogEnabled", "bool", versions=V2),
        Param("PreWebhookUrl", "uri"),
        Param("PostWebhookUrl", "uri"),
        Param("WebhookMethod", "method"),
        Param("WebhookFilters", "list"),
        Param("Limits.ChannelMembers", "int", minimum=1, maximum=LIMIT_MAX),
        Param("Limits.UserChannels", "int", minimum=1, maximum=LIMIT_MAX),
        Param("Media.CompatibilityMessage", versions=V2),
        Param("PreWebhookRetryCount", "int", versions=V2),
        Param("PostWebhookRetryCount", "int", versions=V2),
    ]
    for event in EVENTS:
        rows.append(Param("Webhooks.%s.Url" % event, "uri", versions=V1))
        rows.append(Param("Webhooks.%s.Method" % event, "method", versions=V1))
    return {row.name: row for row in rows}


UPDATE_PARAMS = _params()
CREATE_PARAMS = {"FriendlyName": Param("FriendlyName", required=True)}


def _check_friendly_name(version: str, value: str | None) -> None:
    if version == "v1" and value is not None and len(value) > FRIENDLY_NAME_MAX_V1:
        raise invalid_param("Invalid value for parameter FriendlyName: must be at most %d characters long" % FRIENDLY_NAME_MAX_V1)


def _notifications(stored: dict[str, Any], version: str) -> dict[str, Any]:
    if not stored:
        return {}
    # Both versions answer log_enabled (the v1 spec's readFull example has it), though only v2 can set it.
    out: dict[str, Any] = {"log_enabled": bool(stored.get("log_enabled", False))}
    for event in NOTIFICATION_EVENTS:
        item = stored.get(event, {})
        shown: dict[str, Any] = {"enabled": bool(item.get("enabled", False)), "template": item.get("template")}
        if version == "v2":
            # The v2 spec's update example has no "sound" keys; Twilio takes the parameter, so a sound that was
            # set is answered (a re-run compares it), an unset one left out, as in the example (our reading).
            if item.get("sound") is not None:
                shown["sound"] = item["sound"]
            if event == "new_message":
                shown["badge_count_enabled"] = bool(item.get("badge_count_enabled", False))
        out[event] = shown
    return out


def _webhooks(stored: dict[str, Any]) -> dict[str, Any]:
    """v1 ``webhooks``: ``{}`` while no event has been set (the spec's fetch example), then all 16 events (its
    update example), unset ones null."""
    if not any((item or {}).get("url") is not None or (item or {}).get("method") is not None for item in stored.values()):
        return {}
    out = {}
    for event in sorted(snake(name) for name in EVENTS):
        item = stored.get(event) or {}
        # "format" is in Twilio's examples but cannot be set through the API; we report null.
        out[event] = {"format": None, "method": item.get("method"), "url": item.get("url")}
    return out


def serialize(record: Record, version: str, base: str) -> dict[str, Any]:
    """The JSON representation of a service through API ``version``."""
    url = "%s/chat/%s/Services/%s" % (base, version, record["sid"])
    links = {"channels": url + "/Channels", "users": url + "/Users", "roles": url + "/Roles"}
    if version == "v2":
        links["bindings"] = url + "/Bindings"
    out = {
        key: record[key]
        for key in (
            "sid",
            "account_sid",
            "friendly_name",
            "date_created",
            "date_updated",
            "default_service_role_sid",
            "default_channel_role_sid",
            "default_channel_creator_role_sid",
            "read_status_enabled",
            "reachability_enabled",
            "typing_indicator_timeout",
            "consumption_report_interval",
        )
    }
    out["limits"] = dict(record["limits"])
    if version == "v1":
        # In the v1 spec's readFull example; not settable, and the value is the example's (our reading).
        out["limits"]["actions_per_second"] = V1_ACTIONS_PER_SECOND
    if version == "v1":
        out["webhooks"] = _webhooks(record["webhooks"])
    out.update(
        {
            "pre_webhook_url": record["pre_webhook_url"],
            "post_webhook_url": record["post_webhook_url"],
            "webhook_method": record["webhook_method"],
            "webhook_filters": list(record["webhook_filters"]),
        }
    )
    if version == "v2":
        out["pre_webhook_retry_count"] = record["pre_webhook_retry_count"]
        out["post_webhook_retry_count"] = record["post_webhook_retry_count"]
    out["notifications"] = _notifications(record["notifications"], version)
    if version == "v2":
        out["media"] = dict(record["media"])
    out["url"] = url
    out["links"] = links
    return out


def handle(ctx: Context, version: str, sid: str | None) -> Answer:
    """Dispatch ``/chat/{version}/Services[/{sid}]``; returns ``(status, body)``."""
    services = ctx.account.collection(SERVICES)
    api_label = "Chat Service"
    record: Record | None
    if sid is None:
        if ctx.method == "GET":
            return 200, list_response(
                ctx.query, services, "%s/chat/%s/Services" % (ctx.base, version), "services", lambda rec: serialize(rec, version, ctx.base), 100
            )
        if ctx.method == "POST":
            form = parse_form(ctx.body, ctx.content_type)
            friendly_name = validate(form, CREATE_PARAMS, version, api_label, required=("FriendlyName",))[0][1]
            _check_friendly_name(version, friendly_name)
            ctx.check_cap("chat", len(services))
            record = new_service(ctx.account.sid, friendly_name)
            services.add(record["sid"], record)
            return 201, serialize(record, version, ctx.base)
        raise method_not_allowed(ctx.method)
    record = services.get(sid) if SID_RE.match(sid) else None
    if record is None:
        if ctx.method not in ("GET", "POST", "DELETE"):
            raise method_not_allowed(ctx.method)
        raise not_found("/Services/%s" % sid)
    if ctx.method == "GET":
        return 200, serialize(record, version, ctx.base)
    if ctx.method == "POST":
        form = parse_form(ctx.body, ctx.content_type)
        changes = ctx.apply_drop(validate(form, UPDATE_PARAMS, version, api_label))
        for param, value in changes:
            if param.name == "FriendlyName":
                _check_friendly_name(version, value)
        for param, value in changes:
            set_path(record, param.path, value)
            if param.name == "WebhookMethod":
                record["webhook_method_set"] = True  # the Conversations view answers it from now on (conversations.py)
        record["date_updated"] = now()
        return 200, serialize(record, version, ctx.base)
    if ctx.method == "DELETE":
        forget_service(ctx.account, sid)
        return 204, None
    raise method_not_allowed(ctx.method)
