"""Push credentials (``CR``): Conversations ``/v1/Credentials``, Chat ``/v1/Credentials`` and ``/v2/Credentials``.

One set of credentials per account, shown through every API (the same ``CR`` objects). Secrets
(``Certificate``, ``PrivateKey``, ``ApiKey``, ``Secret``) are stored but never answered, as at Twilio.
From the specs: ``Type`` (``apn``, ``gcm``, ``fcm``) is required on create; Chat has no ``Type`` on
update, Conversations lists it; ``FriendlyName`` is at most 64 characters (prose); ``sandbox`` is answered
as a string (the spec's type), ``"True"`` or ``"False"`` for an apn credential and null for the others; list
page sizes at most 100 (Conversations) and 1000 (Chat). Our reading, where the specs say nothing: a
credential's type never changes, so an update naming another type is refused (400, 20001); secrets are
never checked for content, so no error text can quote them.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

from .errors import invalid_param, method_not_allowed, not_found
from .params import Param, parse_form, validate
from .paging import list_response
from .store import new_sid, now

if TYPE_CHECKING:  # annotations only
    from typing import Any

    from .server import Answer, Context, Route
    from .store import Record

CREDENTIALS = "credentials"
SID_RE = re.compile(r"^CR[0-9a-fA-F]{32}$")
TYPES = ("apn", "gcm", "fcm")
FRIENDLY_NAME_MAX = 64
MAX_PAGE_SIZE = {"chat/v1": 1000, "chat/v2": 1000, "conversations/v1": 100}
SECRETS = ("Certificate", "PrivateKey", "ApiKey", "Secret")


def _params(with_type: bool) -> dict[str, Param]:
    rows = [Param("Type", choices=TYPES, clearable=False)] if with_type else []
    rows += [
        Param("FriendlyName", max_len=FRIENDLY_NAME_MAX),
        Param("Certificate"),
        Param("PrivateKey"),
        Param("Sandbox", "bool"),
        Param("ApiKey"),
        Param("Secret"),
    ]
    return {row.name: row for row in rows}


CREATE = _params(True)
UPDATE = {"chat": _params(False), "conversations": _params(True)}


def serialize(record: Record, api: str, base: str) -> dict[str, Any]:
    """JSON of a credential (no secret in it)."""
    sandbox = record["sandbox"]
    return {
        "sid": record["sid"],
        "account_sid": record["account_sid"],
        "friendly_name": record["friendly_name"],
        "type": record["type"],
        "sandbox": None if record["type"] != "apn" else ("True" if sandbox else "False"),
        "date_created": record["date_created"],
        "date_updated": record["date_updated"],
        "url": "%s/%s/Credentials/%s" % (base, api, record["sid"]),
    }


def _apply(record: Record, changes: list[tuple[Param, Any]]) -> None:
    for param, value in changes:
        if param.name == "FriendlyName":
            record["friendly_name"] = value
        elif param.name == "Sandbox":
            record["sandbox"] = value
        elif param.name in SECRETS:
            record["secrets"][param.name] = value


def handle(ctx: Context, api: str, sid: str | None) -> Answer:
    """``/{api}/Credentials[/{sid}]``: list, create, fetch, update, delete."""
    credentials = ctx.account.collection(CREDENTIALS)

    def shown(record: Record) -> dict[str, Any]:
        return serialize(record, api, ctx.base)

    if sid is None:
        if ctx.method == "GET":
            return 200, list_response(ctx.query, credentials, "%s/%s/Credentials" % (ctx.base, api), "credentials", shown, MAX_PAGE_SIZE[api])
        if ctx.method != "POST":
            raise method_not_allowed(ctx.method)
        changes = ctx.apply_drop(validate(parse_form(ctx.body, ctx.content_type), CREATE, api, "Credential", required=("Type",)), ("Type",))
        stamp = now()
        record: Record = {
            "sid": new_sid("CR"),
            "account_sid": ctx.account.sid,
            "friendly_name": None,
            "type": dict((param.name, value) for param, value in changes)["Type"],
            "sandbox": False,
            "secrets": {},
            "date_created": stamp,
            "date_updated": stamp,
        }
        _apply(record, changes)
        credentials.add(record["sid"], record)
        return 201, shown(record)
    found = credentials.get(sid) if SID_RE.match(sid) else None
    if found is None:
        if ctx.method not in ("GET", "POST", "DELETE"):
            raise method_not_allowed(ctx.method)
        raise not_found("/Credentials/%s" % sid)
    if ctx.method == "GET":
        return 200, shown(found)
    if ctx.method == "POST":
        changes = validate(parse_form(ctx.body, ctx.content_type), UPDATE[api.split("/")[0]], api, "Credential")
        for param, value in changes:
            if param.name == "Type" and value != found["type"]:
                raise invalid_param("Invalid value '%s' for parameter Type: the credential is of type %s, which cannot change" % (value, found["type"]))
        _apply(found, ctx.apply_drop(changes))
        found["date_updated"] = now()
        return 200, shown(found)
    if ctx.method == "DELETE":
        credentials.remove(sid)
        return 204, None
    raise method_not_allowed(ctx.method)


ROUTES: tuple[Route, ...] = (
    (re.compile(r"^/(chat/v1|chat/v2|conversations/v1)/Credentials$"), lambda ctx, m: handle(ctx, m[1], None)),
    (re.compile(r"^/(chat/v1|chat/v2|conversations/v1)/Credentials/([^/]+)$"), lambda ctx, m: handle(ctx, m[1], unquote(m[2]))),
)
