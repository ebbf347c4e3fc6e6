"""Service roles (Chat v1/v2 ``/Services/{sid}/Roles``, Conversations ``/v1/Services/{sid}/Roles``) and the
account roles of Conversations (``/v1/Roles``).

A role belongs to one ``IS`` service and is one object under every API view of it, as the service is:
a role made through Chat v2 is listed by Conversations. The stored ``type`` is Chat's (``channel`` or
``deployment``); Conversations shows it as ``conversation`` or ``service``. Permissions are stored as sent:
the specs list none, and Chat and Conversations name them differently (``leaveChannel``,
``leaveConversation``), so neither view renames or checks them.

Every service is created with four roles (``store.default_roles``), which its ``default_*_role_sid``
settings point at. ``/v1/Roles`` are the roles of the account's default Conversations Service
(``store.default_conversations_service``).

From the specs: ``FriendlyName``, ``Type`` and ``Permission`` are required on create, ``Permission`` alone
on update (it replaces the whole list; the type never changes), ``FriendlyName`` at most 64 characters
(prose), the list page size at most 1000 (Chat v1), 100 (Chat v2) or 50 (Conversations). Whether Twilio
keeps role names unique within a service the specs do not say; the emulator does not.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

from .errors import invalid_param, method_not_allowed, not_found
from .params import Param, parse_form, validate
from .paging import list_response
from .store import SERVICES, default_conversations_service, new_sid, now

if TYPE_CHECKING:  # annotations only
    from typing import Any

    from .server import Answer, Context, Route
    from .store import Record

SERVICE_SID_RE = re.compile(r"^IS[0-9a-fA-F]{32}$")
ROLE_SID_RE = re.compile(r"^RL[0-9a-fA-F]{32}$")
FRIENDLY_NAME_MAX = 64
#: The list page size maxima of the specs (ListRole / ListServiceRole).
MAX_PAGE_SIZE = {"chat/v1": 1000, "chat/v2": 100, "conversations/v1": 50}
#: Conversations' name of each stored (Chat) type.
CONVERSATIONS_TYPE = {"channel": "conversation", "deployment": "service"}
STORED_TYPE = {shown: stored for stored, shown in CONVERSATIONS_TYPE.items()}


def _params(types: tuple[str, ...]) -> dict[str, Param]:
    return {
        "FriendlyName": Param("FriendlyName", max_len=FRIENDLY_NAME_MAX, required=True),
        "Type": Param("Type", choices=types, clearable=False, required=True),
        "Permission": Param("Permission", "list"),
    }


CREATE = {"chat": _params(("channel", "deployment")), "conversations": _params(("conversation", "service"))}
UPDATE = {"Permission": Param("Permission", "list")}


def serialize(role: Record, api: str, base: str, account_level: bool = False) -> dict[str, Any]:
    """JSON of a role through ``api`` (``chat/v1``, ``chat/v2``, ``conversations/v1``)."""
    conversations = api.startswith("conversations")
    if account_level:
        url = "%s/conversations/v1/Roles/%s" % (base, role["sid"])
    else:
        url = "%s/%s/Services/%s/Roles/%s" % (base, api, role["service_sid"], role["sid"])
    out = {"sid": role["sid"], "account_sid": role["account_sid"]}
    out["chat_service_sid" if conversations else "service_sid"] = role["service_sid"]
    out.update(
        {
            "friendly_name": role["friendly_name"],
            "type": CONVERSATIONS_TYPE[role["type"]] if conversations else role["type"],
            "permissions": list(role["permissions"]),
            "date_created": role["date_created"],
            "date_updated": role["date_updated"],
            "url": url,
        }
    )
    return out


def _permissions(form: dict[str, list[str]]) -> list[str]:
    if "Permission" not in form or not [value for value in form["Permission"] if value != ""]:
        # Required, and a form cannot send an empty list: Permission= is a missing permission.
        raise invalid_param("Missing required parameter Permission in the post body")
    return [value for value in form["Permission"] if value != ""]


def handle(ctx: Context, api: str, service_sid: str | None, role_sid: str | None) -> Answer:
    """``/{api}/Services/{sid}/Roles[/{sid}]``, or ``/conversations/v1/Roles[/{sid}]`` when ``service_sid`` is None."""
    account_level = service_sid is None
    if account_level:
        service = default_conversations_service(ctx.account)
        prefix = "/Roles"
        list_url = ctx.base + "/conversations/v1/Roles"
    else:
        assert service_sid is not None
        found = ctx.account.collection(SERVICES).get(service_sid) if SERVICE_SID_RE.match(service_sid) else None
        if found is None:
            raise not_found("/Services/%s/Roles%s" % (service_sid, "/" + role_sid if role_sid else ""))
        service = found
        prefix = "/Services/%s/Roles" % service_sid
        list_url = "%s/%s/Services/%s/Roles" % (ctx.base, api, service_sid)
    roles = service["roles"]
    product = api.split("/")[0]

    def shown(role: Record) -> dict[str, Any]:
        return serialize(role, api, ctx.base, account_level)

    if role_sid is None:
        if ctx.method == "GET":
            return 200, list_response(ctx.query, roles, list_url, "roles", shown, MAX_PAGE_SIZE[api])
        if ctx.method != "POST":
            raise method_not_allowed(ctx.method)
        form = parse_form(ctx.body, ctx.content_type)
        changes = validate(form, CREATE[product], api, "Role", required=("FriendlyName", "Type"))
        values = {param.name: value for param, value in changes}
        stamp = now()
        role = {
            "sid": new_sid("RL"),
            "account_sid": ctx.account.sid,
            "service_sid": service["sid"],
            "friendly_name": values["FriendlyName"],
            "type": STORED_TYPE.get(values["Type"], values["Type"]),
            "permissions": _permissions(form),
            "date_created": stamp,
            "date_updated": stamp,
        }
        roles.add(role["sid"], role)
        return 201, shown(role)
    found_role = roles.get(role_sid) if ROLE_SID_RE.match(role_sid) else None
    if found_role is None:
        if ctx.method not in ("GET", "POST", "DELETE"):
            raise method_not_allowed(ctx.method)
        raise not_found("%s/%s" % (prefix, role_sid))
    role = found_role
    if ctx.method == "GET":
        return 200, shown(role)
    if ctx.method == "POST":
        form = parse_form(ctx.body, ctx.content_type)
        validate(form, UPDATE, api, "Role")
        role["permissions"] = _permissions(form)  # the whole list is replaced
        role["date_updated"] = now()
        return 200, shown(role)
    if ctx.method == "DELETE":
        roles.remove(role_sid)
        return 204, None
    raise method_not_allowed(ctx.method)


ROUTES: tuple[Route, ...] = (
    (re.compile(r"^/(chat/v1|chat/v2|conversations/v1)/Services/([^/]+)/Roles$"), lambda ctx, m: handle(ctx, m[1], unquote(m[2]), None)),
    (re.compile(r"^/(chat/v1|chat/v2|conversations/v1)/Services/([^/]+)/Roles/([^/]+)$"), lambda ctx, m: handle(ctx, m[1], unquote(m[2]), unquote(m[3]))),
    (re.compile(r"^/conversations/v1/Roles$"), lambda ctx, m: handle(ctx, "conversations/v1", None, None)),
    (re.compile(r"^/conversations/v1/Roles/([^/]+)$"), lambda ctx, m: handle(ctx, "conversations/v1", None, unquote(m[1]))),
)
