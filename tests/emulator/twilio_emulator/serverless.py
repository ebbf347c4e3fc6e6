"""Serverless v1 Services and Environments (``/serverless/v1/Services[/{sid}/Environments]``).

Parameters and response fields follow the official ``twilio_serverless_v1.json``;
limits that the spec only gives in prose (name lengths, the 50-services cap,
environment uniqueness) follow Twilio's documentation.
"""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING

from .errors import conflict, invalid_param, method_not_allowed, not_found
from .params import URL_FRIENDLY, Param, parse_form, validate
from .paging import list_response
from .store import new_sid, now

if TYPE_CHECKING:  # annotations only
    from typing import Any

    from .server import Answer, Context
    from .store import Account, Collection, Record

SERVICE_SID_RE = re.compile(r"^ZS[0-9a-fA-F]{32}$")
ENVIRONMENT_SID_RE = re.compile(r"^ZE[0-9a-fA-F]{32}$")
MAX_PAGE_SIZE = 1000
API = "Serverless v1"

_UNIQUE_NAME = Param("UniqueName", max_len=50, pattern=URL_FRIENDLY, required=True, pattern_text="may only contain letters, numbers and dashes")
_FRIENDLY_NAME = Param("FriendlyName", max_len=255, required=True)
SERVICE_CREATE = {p.name: p for p in (_UNIQUE_NAME, _FRIENDLY_NAME, Param("IncludeCredentials", "bool"), Param("UiEditable", "bool"))}
SERVICE_UPDATE = {p.name: p for p in (Param("IncludeCredentials", "bool"), _FRIENDLY_NAME, Param("UiEditable", "bool"))}
ENVIRONMENT_CREATE = {
    p.name: p
    for p in (
        Param("UniqueName", max_len=100, required=True),
        Param("DomainSuffix", max_len=16, pattern=URL_FRIENDLY, pattern_text="must be URL-friendly (letters, numbers and dashes)"),
    )
}


def _service_url(base: str, record: Record) -> str:
    return "%s/serverless/v1/Services/%s" % (base, record["sid"])


def serialize_service(record: Record, base: str) -> dict[str, Any]:
    """JSON of a Service."""
    url = _service_url(base, record)
    out = {
        key: record[key]
        for key in ("sid", "account_sid", "friendly_name", "unique_name", "include_credentials", "ui_editable", "domain_base", "date_created", "date_updated")
    }
    out["url"] = url
    out["links"] = {name: "%s/%s" % (url, name.capitalize()) for name in ("environments", "functions", "assets", "builds")}
    return out


def serialize_environment(record: Record, base: str) -> dict[str, Any]:
    """JSON of an Environment."""
    url = "%s/serverless/v1/Services/%s/Environments/%s" % (base, record["service_sid"], record["sid"])
    out = {
        key: record[key]
        for key in ("sid", "account_sid", "service_sid", "build_sid", "unique_name", "domain_suffix", "domain_name", "date_created", "date_updated")
    }
    out["url"] = url
    out["links"] = {name: "%s/%s" % (url, name.capitalize()) for name in ("variables", "deployments", "logs")}
    return out


def _find_service(account: Account, ident: str) -> Record | None:
    """A service by ``ZS`` SID or by unique name (Twilio accepts either in the URL).

    Unique names compare without regard to case: the unique name forms the service's
    domain (``domain_base``), and domain names are case-insensitive, so ``MyApp`` and
    ``myapp`` are the same service (Twilio does not document this; see README.md).
    """
    services = account.collection("serverless")
    if SERVICE_SID_RE.match(ident):
        return services.get(ident)
    for record in services.values():
        if record["unique_name"].lower() == ident.lower():
            return record
    return None


def _same_suffix(one: str | None, other: str | None) -> bool:
    """Whether two domain suffixes give the same domain (None or "" = the base domain; DNS ignores case)."""
    return (one or "").lower() == (other or "").lower()


def _env_collection_name(service_sid: str) -> str:
    return "serverless-env:" + service_sid


def forget_service(account: Account, service_sid: str) -> None:
    """Drop everything a deleted Service held: its environments and, named ``serverless-{kind}:{service SID}[:...]``
    (serverless_code.py), its functions, assets, versions, builds, deployments and variables."""
    for name in [name for name in account.collections if name.startswith("serverless-") and name.split(":")[1:2] == [service_sid]]:
        account.drop_collection(name)


def forget_environment(account: Account, service_sid: str, environment_sid: str) -> None:
    """Drop a deleted Environment's deployments and variables."""
    for kind in ("deployment", "variable"):
        account.drop_collection("serverless-%s:%s:%s" % (kind, service_sid, environment_sid))


def handle(ctx: Context, service_ident: str | None, env_part: bool, env_sid: str | None) -> Answer:
    """Dispatch a Serverless path; ``env_part`` is True for ``.../Environments[/{sid}]``."""
    services = ctx.account.collection("serverless")
    if service_ident is None:
        return _services(ctx, services)
    record = _find_service(ctx.account, service_ident)
    if record is None:
        if ctx.method not in ("GET", "POST", "DELETE"):
            raise method_not_allowed(ctx.method)
        raise not_found("/Services/%s" % service_ident + ("/Environments" if env_part else ""))
    if env_part:
        return _environments(ctx, record, env_sid)
    if ctx.method == "GET":
        return 200, serialize_service(record, ctx.base)
    if ctx.method == "POST":
        form = parse_form(ctx.body, ctx.content_type)
        for param, value in ctx.apply_drop(validate(form, SERVICE_UPDATE, "v1", API + " Service")):
            record[param.path[0]] = value
        record["date_updated"] = now()
        return 200, serialize_service(record, ctx.base)
    if ctx.method == "DELETE":
        services.remove(record["sid"])
        forget_service(ctx.account, record["sid"])
        return 204, None
    raise method_not_allowed(ctx.method)


def _services(ctx: Context, services: Collection) -> Answer:
    if ctx.method == "GET":
        return 200, list_response(
            ctx.query, services, "%s/serverless/v1/Services" % ctx.base, "services", lambda rec: serialize_service(rec, ctx.base), MAX_PAGE_SIZE
        )
    if ctx.method != "POST":
        raise method_not_allowed(ctx.method)
    form = parse_form(ctx.body, ctx.content_type)
    required = ("UniqueName", "FriendlyName")
    values = {param.name: value for param, value in ctx.apply_drop(validate(form, SERVICE_CREATE, "v1", API + " Service", required=required), required)}
    unique_name = values["UniqueName"]
    if SERVICE_SID_RE.match(unique_name):
        raise invalid_param("Invalid value for parameter UniqueName: must not look like a Service SID")
    if _find_service(ctx.account, unique_name) is not None:
        raise conflict("Service with UniqueName %s already exists" % unique_name)
    ctx.check_cap("serverless", len(services))
    stamp = now()
    record = {
        "sid": new_sid("ZS"),
        "account_sid": ctx.account.sid,
        "friendly_name": values["FriendlyName"],
        "unique_name": unique_name,
        "include_credentials": values.get("IncludeCredentials", True),
        "ui_editable": values.get("UiEditable", False),
        "domain_base": "%s-%04d" % (unique_name.lower(), random.randint(1000, 9999)),
        "date_created": stamp,
        "date_updated": stamp,
    }
    services.add(record["sid"], record)
    return 201, serialize_service(record, ctx.base)


def _environments(ctx: Context, service: Record, env_sid: str | None) -> Answer:
    envs = ctx.account.collection(_env_collection_name(service["sid"]))
    record: Record | None
    if env_sid is None:
        if ctx.method == "GET":
            return 200, list_response(
                ctx.query,
                envs,
                "%s/Environments" % _service_url(ctx.base, service),
                "environments",
                lambda rec: serialize_environment(rec, ctx.base),
                MAX_PAGE_SIZE,
            )
        if ctx.method != "POST":
            raise method_not_allowed(ctx.method)
        form = parse_form(ctx.body, ctx.content_type)
        values = {
            param.name: value
            for param, value in ctx.apply_drop(validate(form, ENVIRONMENT_CREATE, "v1", API + " Environment", required=("UniqueName",)), ("UniqueName",))
        }
        unique_name, suffix = values["UniqueName"], values.get("DomainSuffix")
        for other in envs.values():
            if other["unique_name"] == unique_name or _same_suffix(other["domain_suffix"], suffix):
                raise conflict("Environment with this UniqueName or DomainSuffix already exists.")
        stamp = now()
        record = {
            "sid": new_sid("ZE"),
            "account_sid": ctx.account.sid,
            "service_sid": service["sid"],
            "build_sid": None,
            "unique_name": unique_name,
            "domain_suffix": suffix,
            "domain_name": "%s%s.twil.io" % (service["domain_base"], "-" + suffix.lower() if suffix else ""),
            "date_created": stamp,
            "date_updated": stamp,
        }
        envs.add(record["sid"], record)
        return 201, serialize_environment(record, ctx.base)
    record = envs.get(env_sid) if ENVIRONMENT_SID_RE.match(env_sid) else None
    if record is None:
        raise not_found("/Services/%s/Environments/%s" % (service["sid"], env_sid))
    if ctx.method == "GET":
        return 200, serialize_environment(record, ctx.base)
    if ctx.method == "DELETE":
        envs.remove(env_sid)
        forget_environment(ctx.account, service["sid"], env_sid)
        return 204, None
    # Environments are immutable: Twilio has no update operation for them.
    raise method_not_allowed(ctx.method)
