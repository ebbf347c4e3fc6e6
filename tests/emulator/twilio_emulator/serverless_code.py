"""What goes into a Serverless Service: Functions, Assets, their Versions, Builds, Deployments, Variables.

Parameters and response fields follow ``twilio_serverless_v1.json``. What the spec does not hold comes
from Twilio's docs and the Serverless Toolkit's source (docs/serverless-api.md lists each fact and its
source): the upload product ``serverless-upload`` (multipart ``Path``, ``Visibility``, ``Content``),
20001 for a build without versions, the dependencies Twilio adds to every build, the variable limits.
Where neither says how Twilio behaves, the emulator takes the reading that is stricter for a client and
makes it switchable (:class:`ServerlessSettings`, ``POST /__emulator/serverless``).
"""

from __future__ import annotations

import json
import re
import threading
import time
from typing import TYPE_CHECKING
from urllib.parse import unquote

from .errors import TwilioError, conflict, invalid_param, method_not_allowed, not_found
from .multipart import parse_multipart, text_fields
from .paging import list_response
from .params import Param, parse_form, validate
from .serverless import ENVIRONMENT_SID_RE, _find_service, _service_url
from .store import new_sid, now

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable
    from typing import Any

    from .server import Answer, Context, Route
    from .store import Account, Collection, Record

API = "Serverless v1"
MAX_PAGE_SIZE = 1000
VISIBILITIES = ("public", "protected", "private")
#: Characters the Serverless Toolkit refuses in a path (its ``checkForValidPath``), besides whitespace.
PATH_FORBIDDEN = set("#;,?:@+&$()'\"")
MAX_PATH = 255
KINDS = {"Functions": "function", "Assets": "asset"}
_SID = {"function": re.compile(r"^ZH[0-9a-fA-F]{32}$"), "version": re.compile(r"^ZN[0-9a-fA-F]{32}$")}
BUILD_SID_RE = re.compile(r"^ZB[0-9a-fA-F]{32}$")
_RUNTIME = re.compile(r"^node[0-9]+$")
_FRIENDLY_NAME = {"FriendlyName": Param("FriendlyName", max_len=255, required=True)}
_UPLOAD = {p.name: p for p in (Param("Path", required=True), Param("Visibility", required=True, choices=VISIBILITIES))}
_BUILD = {
    p.name: p
    for p in (
        Param("AssetVersions", "list"),
        Param("FunctionVersions", "list"),
        Param("Dependencies"),
        Param("Runtime", pattern=_RUNTIME, pattern_text="expected a runtime such as node22"),
    )
}
_DEPLOYMENT = {p.name: p for p in (Param("BuildSid", "sid", prefix="ZB"), Param("IsPlugin", "bool"))}
_VARIABLE_CREATE = {p.name: p for p in (Param("Key", required=True), Param("Value", required=True, clearable=False))}
_VARIABLE_UPDATE = {p.name: p for p in (Param("Key", required=True), Param("Value", clearable=False))}


class ServerlessSettings:
    """The switchable behaviour of the Serverless product (``GET``/``POST /__emulator/serverless``).

    Configuration (``reset`` with ``config`` restores the defaults):

    * ``build_delay_ms``: how long a build stays ``building`` before it settles (default 500: a client
      must poll);
    * ``upload_max_bytes``: the largest ``Content`` an upload takes; larger answers 413 (default
      25,000,000: Twilio's documented 25 MB read as decimal, the smaller reading);
    * ``function_content``: what ``/Content`` answers: ``"normalized"`` (default: UTF-8 text with a
      byte-order mark dropped and CRLF turned into LF, since Twilio does not promise the uploaded bytes
      back) or ``"exact"`` (the upload, decoded as UTF-8);
    * ``build_visibility_case``: the case of ``visibility`` in a build's version lists: ``"upper"``
      (default, as the spec's example shows ``PUBLIC``) or ``"lower"``;
    * ``variable_key_max`` (128 characters), ``variable_value_max_bytes`` (450), and
      ``variables_max_bytes`` (3000: one environment's variables as a JSON object, the part of the
      3 KB context they may fill; past it a write answers 82006);
    * ``build_max_functions`` (50), ``build_max_assets`` (1000 public and protected), ``build_max_private_assets``
      (50): versions per build, from an older Twilio page (the current figures are not published), past
      which ``POST /Builds`` answers 400 / 20001;
    * ``runtimes``: the runtimes a build accepts (others answer 82007), ``default_runtime`` (a build
      without ``Runtime`` on a service with no completed build);
    * ``injected_dependencies``: ``{name: version}`` added to every build that does not declare the name.

    Faults (``reset`` with ``faults`` clears them): ``build_fault`` ``"failed"`` (the build settles as
    ``failed``) or ``"stall"`` (it stays ``building``), for the next ``build_fault_next`` builds (0: every
    build while set).
    """

    DEFAULTS: dict[str, Any] = {
        "build_delay_ms": 500,
        "upload_max_bytes": 25_000_000,
        "function_content": "normalized",
        "build_visibility_case": "upper",
        "variable_key_max": 128,
        "variable_value_max_bytes": 450,
        "variables_max_bytes": 3000,
        "build_max_functions": 50,
        "build_max_assets": 1000,
        "build_max_private_assets": 50,
        "runtimes": ["node20", "node22", "node24"],
        "default_runtime": "node22",
        "injected_dependencies": {"twilio": "5.5.1", "@twilio/runtime-handler": "2.1.2"},
    }
    CHOICES = {"function_content": ("normalized", "exact"), "build_visibility_case": ("upper", "lower")}

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.values: dict[str, Any] = {}
        self.build_fault: str | None = None
        self.build_fault_next = 0
        self.reset()

    def reset(self) -> None:
        """Default configuration, no faults."""
        with self._lock:
            self.values = json.loads(json.dumps(self.DEFAULTS))
        self.clear_faults()

    def clear_faults(self) -> None:
        """Builds settle as ``completed`` again."""
        with self._lock:
            self.build_fault, self.build_fault_next = None, 0

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def configure(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Change the named settings (the others keep their value); raises ValueError on bad input."""
        unknown = set(payload) - set(self.DEFAULTS) - {"build_fault", "build_fault_next"}
        if unknown:
            raise ValueError("unknown serverless setting(s): %s; known: %s" % (", ".join(sorted(unknown)), ", ".join(sorted(self.describe()))))
        changes = {}
        for key, value in payload.items():
            if key in ("build_fault", "build_fault_next"):
                continue
            default = self.DEFAULTS[key]
            if isinstance(default, int) and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
                raise ValueError("%s must be a non-negative integer" % key)
            if isinstance(default, str) and (not isinstance(value, str) or value not in self.CHOICES.get(key, (value,))):
                raise ValueError("%s must be one of %s" % (key, ", ".join(self.CHOICES.get(key, ("a string",)))))
            if isinstance(default, list) and not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
                raise ValueError("%s must be a list of strings" % key)
            if isinstance(default, dict) and not (isinstance(value, dict) and all(isinstance(item, str) for item in value.values())):
                raise ValueError("%s must map names to version strings" % key)
            changes[key] = value
        fault, count = payload.get("build_fault", self.build_fault), payload.get("build_fault_next", 0)
        if fault not in (None, "failed", "stall"):
            raise ValueError("build_fault must be failed, stall or null")
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError("build_fault_next must be a non-negative integer")
        with self._lock:
            self.values.update(changes)
            if "build_fault" in payload or "build_fault_next" in payload:
                self.build_fault, self.build_fault_next = fault, count
        return self.describe()

    def describe(self) -> dict[str, Any]:
        """The settings as JSON."""
        with self._lock:
            return dict(self.values, build_fault=self.build_fault, build_fault_next=self.build_fault_next)

    def next_outcome(self) -> str:
        """How the build being created will settle: ``completed``, ``failed`` or ``stall``."""
        with self._lock:
            fault = self.build_fault
            if fault is None:
                return "completed"
            if self.build_fault_next:
                self.build_fault_next -= 1
                if not self.build_fault_next:
                    self.build_fault = None
            return fault


# -- collections: named "serverless-{kind}:{service SID}[:{parent SID}]" (serverless.forget_service) -------
def _coll(account: Account, kind: str, service_sid: str, parent: str | None = None) -> Collection:
    return account.collection("serverless-%s:%s%s" % (kind, service_sid, ":" + parent if parent else ""))


# -- serialisation ---------------------------------------------------------------------------------
def _resource_url(base: str, record: Record) -> str:
    return "%s/serverless/v1/Services/%s/%s/%s" % (base, record["service_sid"], record["_kind"].capitalize() + "s", record["sid"])


def serialize_resource(record: Record, base: str) -> dict[str, Any]:
    """A Function or an Asset."""
    url = _resource_url(base, record)
    out = {key: record[key] for key in ("sid", "account_sid", "service_sid", "friendly_name", "date_created", "date_updated")}
    out.update(url=url, links={record["_kind"] + "_versions": url + "/Versions"})
    return out


def serialize_version(record: Record, base: str, visibility_case: str = "lower") -> dict[str, Any]:
    """A Function Version or an Asset Version (``visibility_case`` upper: as inside a build)."""
    kind = record["_kind"]
    url = "%s/serverless/v1/Services/%s/%ss/%s/Versions/%s" % (base, record["service_sid"], kind.capitalize(), record[kind + "_sid"], record["sid"])
    out = {key: record[key] for key in ("sid", "account_sid", "service_sid", kind + "_sid", "path", "visibility", "date_created")}
    if visibility_case == "upper":
        out["visibility"] = out["visibility"].upper()
    out["url"] = url
    if kind == "function":
        out["links"] = {"function_version_content": url + "/Content"}
    return out


def _build_url(base: str, record: Record) -> str:
    return "%s/serverless/v1/Services/%s/Builds/%s" % (base, record["service_sid"], record["sid"])


def serialize_build(record: Record, base: str, settings: ServerlessSettings) -> dict[str, Any]:
    """A Build, its versions as objects (as Twilio answers them)."""
    url = _build_url(base, record)
    case = settings["build_visibility_case"]
    out = {key: record[key] for key in ("sid", "account_sid", "service_sid", "status", "dependencies", "runtime", "date_created", "date_updated")}
    out["asset_versions"] = [serialize_version(version, base, case) for version in record["_asset_versions"]]
    out["function_versions"] = [serialize_version(version, base, case) for version in record["_function_versions"]]
    out.update(url=url, links={"build_status": url + "/Status"})
    return out


def serialize_deployment(record: Record, base: str) -> dict[str, Any]:
    """A Deployment."""
    out = {key: record[key] for key in ("sid", "account_sid", "service_sid", "environment_sid", "build_sid", "date_created", "date_updated")}
    out["url"] = "%s/serverless/v1/Services/%s/Environments/%s/Deployments/%s" % (base, record["service_sid"], record["environment_sid"], record["sid"])
    return out


def serialize_variable(record: Record, base: str) -> dict[str, Any]:
    """A Variable (values come back in clear, as Twilio's do)."""
    out = {key: record[key] for key in ("sid", "account_sid", "service_sid", "environment_sid", "key", "value", "date_created", "date_updated")}
    out["url"] = "%s/serverless/v1/Services/%s/Environments/%s/Variables/%s" % (base, record["service_sid"], record["environment_sid"], record["sid"])
    return out


# -- lookups ---------------------------------------------------------------------------------------
def _service(ctx: Context, ident: str, rest: str) -> Record:
    service = _find_service(ctx.account, ident)
    if service is None:
        raise not_found("/Services/%s%s" % (ident, rest))
    return service


def _environment(ctx: Context, service: Record, env_sid: str, rest: str) -> Record:
    record = ctx.account.collection("serverless-env:" + service["sid"]).get(env_sid) if ENVIRONMENT_SID_RE.match(env_sid) else None
    if record is None:
        raise not_found("/Services/%s/Environments/%s%s" % (service["sid"], env_sid, rest))
    return record


def _resource(ctx: Context, service: Record, kind: str, sid: str, rest: str = "") -> Record:
    record = _coll(ctx.account, kind, service["sid"]).get(sid) if _SID["function"].match(sid) else None
    if record is None:
        raise not_found("/Services/%s/%ss/%s%s" % (service["sid"], kind.capitalize(), sid, rest))
    return record


def _live_builds(ctx: Context, service: Record) -> dict[str, str]:
    """``{build SID: environment SID}`` of the builds environments serve."""
    return {env["build_sid"]: env["sid"] for env in ctx.account.collection("serverless-env:" + service["sid"]).values() if env["build_sid"]}


def settle(build: Record) -> Record:
    """Move a ``building`` build to its outcome once its delay has passed (a stalled one never moves)."""
    if build["status"] == "building" and build["_outcome"] != "stall" and time.monotonic() >= build["_ready_at"]:
        build["status"] = build["_outcome"]
        build["date_updated"] = now()
    return build


# -- Functions and Assets --------------------------------------------------------------------------
def resources(ctx: Context, service_ident: str, plural: str, sid: str | None) -> Answer:
    """``/Functions``, ``/Assets`` and one of them."""
    kind = KINDS[plural]
    service = _service(ctx, service_ident, "/" + plural)
    coll = _coll(ctx.account, kind, service["sid"])
    if sid is None:
        if ctx.method == "GET":
            url = "%s/%s" % (_service_url(ctx.base, service), plural)
            return 200, list_response(ctx.query, coll, url, kind + "s", lambda rec: serialize_resource(rec, ctx.base), MAX_PAGE_SIZE)
        if ctx.method != "POST":
            raise method_not_allowed(ctx.method)
        values = dict(validate(parse_form(ctx.body, ctx.content_type), _FRIENDLY_NAME, "v1", "%s %s" % (API, kind.capitalize()), ("FriendlyName",)))
        stamp = now()
        record = {
            "sid": new_sid("ZH"),
            "account_sid": ctx.account.sid,
            "service_sid": service["sid"],
            "friendly_name": values[_FRIENDLY_NAME["FriendlyName"]],
            "date_created": stamp,
            "date_updated": stamp,
            "_kind": kind,
        }
        coll.add(record["sid"], record)
        return 201, serialize_resource(record, ctx.base)
    record = _resource(ctx, service, kind, sid)
    if ctx.method == "GET":
        return 200, serialize_resource(record, ctx.base)
    if ctx.method == "POST":
        values = dict(validate(parse_form(ctx.body, ctx.content_type), _FRIENDLY_NAME, "v1", "%s %s" % (API, kind.capitalize()), ("FriendlyName",)))
        record["friendly_name"] = values[_FRIENDLY_NAME["FriendlyName"]]
        record["date_updated"] = now()
        return 200, serialize_resource(record, ctx.base)
    if ctx.method == "DELETE":
        # Our reading of the Toolkit's maintainers (TK#148): a resource whose version a live build holds stays.
        builds = _coll(ctx.account, "build", service["sid"])
        for build_sid, env_sid in _live_builds(ctx, service).items():
            build = builds.get(build_sid)
            if build is not None and any(version[kind + "_sid"] == sid for version in build["_%s_versions" % kind]):
                raise conflict("Cannot delete %s %s: build %s, live in environment %s, holds a version of it" % (kind.capitalize(), sid, build_sid, env_sid))
        coll.remove(sid)
        ctx.account.drop_collection("serverless-%s-version:%s:%s" % (kind, service["sid"], sid))
        return 204, None
    raise method_not_allowed(ctx.method)


def versions(ctx: Context, service_ident: str, plural: str, parent_sid: str, sid: str | None) -> Answer:
    """``/Functions/{ZH}/Versions[/{ZN}]`` (read only: versions are created on the upload product)."""
    kind = KINDS[plural]
    service = _service(ctx, service_ident, "/" + plural)
    parent = _resource(ctx, service, kind, parent_sid, "/Versions")
    coll = _coll(ctx.account, kind + "-version", service["sid"], parent["sid"])
    if ctx.method != "GET":
        if sid is None and ctx.method == "POST":
            raise TwilioError(
                405,
                20004,
                "Method not allowed",
                extra={"detail": "versions are created on the upload product: POST {product}=serverless-upload/v1/.../Versions"},
            )
        raise method_not_allowed(ctx.method)
    if sid is None:
        url = "%s/Versions" % _resource_url(ctx.base, parent)
        return 200, list_response(ctx.query, coll, url, kind + "_versions", lambda rec: serialize_version(rec, ctx.base), MAX_PAGE_SIZE)
    record = coll.get(sid)
    if record is None:
        raise not_found("/Services/%s/%s/%s/Versions/%s" % (service["sid"], plural, parent_sid, sid))
    return 200, serialize_version(record, ctx.base)


def content(ctx: Context, service_ident: str, function_sid: str, sid: str) -> Answer:
    """``/Functions/{ZH}/Versions/{ZN}/Content``: the source as text (see ``function_content``)."""
    service = _service(ctx, service_ident, "/Functions")
    parent = _resource(ctx, service, "function", function_sid, "/Versions/%s/Content" % sid)
    record = _coll(ctx.account, "function-version", service["sid"], parent["sid"]).get(sid)
    if record is None:
        raise not_found("/Services/%s/Functions/%s/Versions/%s/Content" % (service["sid"], function_sid, sid))
    if ctx.method != "GET":
        raise method_not_allowed(ctx.method)
    text = record["_content"].decode("utf-8", "replace")
    if ctx.serverless["function_content"] == "normalized":
        text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    url = serialize_version(record, ctx.base)["url"] + "/Content"
    return 200, {
        "sid": record["sid"],
        "account_sid": record["account_sid"],
        "service_sid": record["service_sid"],
        "function_sid": function_sid,
        "content": text,
        "url": url,
    }


def check_path(path: str) -> str:
    """A version's path as Twilio stores it (a leading ``/`` added, as the spec says), or 400 / 20001."""
    if not path.startswith("/"):
        path = "/" + path
    if len(path) > MAX_PATH:
        raise invalid_param("Invalid value for parameter Path: must be at most %d characters long" % MAX_PATH)
    bad = sorted({char for char in path if char in PATH_FORBIDDEN or char.isspace()})
    if bad:
        raise invalid_param("Invalid value '%s' for parameter Path: must not contain %s" % (path[:80], " ".join(repr(char) for char in bad)))
    return path


def upload(ctx: Context, service_ident: str, plural: str, parent_sid: str) -> Answer:
    """``POST {serverless-upload}/v1/Services/{ZS}/{Functions|Assets}/{ZH}/Versions``: a new version."""
    kind = KINDS[plural]
    service = _service(ctx, service_ident, "/" + plural)
    parent = _resource(ctx, service, kind, parent_sid, "/Versions")
    if ctx.method != "POST":
        raise method_not_allowed(ctx.method)
    limit = ctx.serverless["upload_max_bytes"]
    if len(ctx.body) > limit + 64 * 1024:
        raise TwilioError(413, 20413, "Request Entity Too Large: an upload may hold at most %d bytes" % limit)
    parts = parse_multipart(ctx.body, ctx.content_type)
    form = text_fields(parts)
    form.pop("Content", None)
    values = {param.name: value for param, value in validate(form, _UPLOAD, "v1", "%s %s Version" % (API, kind.capitalize()), ("Path", "Visibility"))}
    files = [part for part in parts if part.name == "Content"]
    if not files:
        raise invalid_param("Missing required parameter Content in the post body")
    if len(files) > 1 or files[0].filename is None:
        raise invalid_param("Invalid parameter Content: expected one file part (with a filename)")
    if len(files[0].data) > limit:
        raise TwilioError(413, 20413, "Request Entity Too Large: Content is %d bytes, an upload may hold at most %d" % (len(files[0].data), limit))
    record = {
        "sid": new_sid("ZN"),
        "account_sid": ctx.account.sid,
        "service_sid": service["sid"],
        kind + "_sid": parent["sid"],
        "path": check_path(values["Path"]),
        "visibility": values["Visibility"],
        "date_created": now(),
        "_kind": kind,
        "_content": files[0].data,
        "_content_type": files[0].content_type,
    }
    _coll(ctx.account, kind + "-version", service["sid"], parent["sid"]).add(record["sid"], record)
    return 201, serialize_version(record, ctx.base)


# -- Builds ----------------------------------------------------------------------------------------
def _dependencies(raw: str | None) -> list[dict[str, str]]:
    """``Dependencies``: a JSON array of ``{name, version}``; the Toolkit's extra pair of quotes is accepted, as Twilio does."""
    if raw is None or raw == "":
        return []
    text = raw[1:-1] if len(raw) >= 2 and raw[0] == raw[-1] == '"' else raw
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise invalid_param("Invalid value for parameter Dependencies: not a JSON array of {name, version}") from exc
    if not isinstance(value, list) or not all(isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"] for item in value):
        raise invalid_param("Invalid value for parameter Dependencies: not a JSON array of {name, version}")
    return [{"name": item["name"], "version": str(item.get("version") or "*")} for item in value]


def _find_versions(ctx: Context, service: Record, kind: str, sids: Iterable[str]) -> list[Record]:
    found = []
    for sid in sids:
        if not _SID["version"].match(sid):
            raise invalid_param("Invalid value '%s' for parameter %sVersions: expected a ZN SID" % (sid[:40], kind.capitalize()))
        record = None
        for parent in _coll(ctx.account, kind, service["sid"]).values():
            record = _coll(ctx.account, kind + "-version", service["sid"], parent["sid"]).get(sid)
            if record is not None:
                break
        if record is None:
            raise invalid_param("Invalid parameter %sVersions: %s Version %s not found in this Service" % (kind.capitalize(), kind.capitalize(), sid))
        found.append(record)
    return found


def builds(ctx: Context, service_ident: str, sid: str | None, status_only: bool = False) -> Answer:
    """``/Builds``, ``/Builds/{ZB}`` and ``/Builds/{ZB}/Status``."""
    service = _service(ctx, service_ident, "/Builds")
    coll = _coll(ctx.account, "build", service["sid"])
    settings = ctx.serverless
    if sid is None:
        if ctx.method == "GET":
            for each in coll.values():
                settle(each)
            url = "%s/Builds" % _service_url(ctx.base, service)
            return 200, list_response(ctx.query, coll, url, "builds", lambda rec: serialize_build(rec, ctx.base, settings), MAX_PAGE_SIZE)
        if ctx.method != "POST":
            raise method_not_allowed(ctx.method)
        return _create_build(ctx, service, coll)
    record = coll.get(sid) if BUILD_SID_RE.match(sid) else None
    if record is None:
        raise not_found("/Services/%s/Builds/%s%s" % (service["sid"], sid, "/Status" if status_only else ""))
    settle(record)
    if ctx.method == "GET":
        if status_only:
            url = _build_url(ctx.base, record) + "/Status"
            return 200, {
                "sid": record["sid"],
                "account_sid": record["account_sid"],
                "service_sid": record["service_sid"],
                "status": record["status"],
                "url": url,
            }
        return 200, serialize_build(record, ctx.base, settings)
    if ctx.method == "DELETE" and not status_only:
        env_sid = _live_builds(ctx, service).get(sid)
        if env_sid is not None:
            raise conflict("Cannot delete Build %s: it is live in environment %s" % (sid, env_sid))
        coll.remove(sid)
        return 204, None
    raise method_not_allowed(ctx.method)


def _create_build(ctx: Context, service: Record, coll: Collection) -> Answer:
    settings = ctx.serverless
    values = {param.name: value for param, value in validate(parse_form(ctx.body, ctx.content_type), _BUILD, "v1", API + " Build")}
    functions = _find_versions(ctx, service, "function", values.get("FunctionVersions", []))
    assets = _find_versions(ctx, service, "asset", values.get("AssetVersions", []))
    if not functions and not assets:
        raise invalid_param("At least one Function Version or Asset Version is required for Build")
    private = sum(1 for version in assets if version["visibility"] == "private")
    for count, limit, what in (
        (len(functions), settings["build_max_functions"], "Function Versions"),
        (len(assets) - private, settings["build_max_assets"], "public and protected Asset Versions"),
        (private, settings["build_max_private_assets"], "private Asset Versions"),
    ):
        if count > limit:
            raise invalid_param("A Build may hold at most %d %s, this one has %d" % (limit, what, count))
    paths: dict[str, str] = {}
    for kind, group in (("function", functions), ("asset", assets)):
        parents: dict[str, str] = {}
        for version in group:
            other = parents.setdefault(version[kind + "_sid"], version["sid"])
            if other != version["sid"]:
                raise invalid_param(
                    "Different %s Versions for same %s. Conflicting SIDs %s, %s" % (kind.capitalize(), kind.capitalize(), other, version["sid"])
                )
            if paths.setdefault(version["path"], version["sid"]) != version["sid"]:
                raise invalid_param("Two versions in one Build have the path %s: %s, %s" % (version["path"], paths[version["path"]], version["sid"]))
    runtime = values.get("Runtime")
    if runtime is None:
        # Twilio: the runtime of the service's last successful build, else the default.
        done = [build for build in coll.values() if settle(build)["status"] == "completed"]
        runtime = done[-1]["runtime"] if done else settings["default_runtime"]
    if runtime not in settings["runtimes"]:
        raise TwilioError(400, 82007, "Unsupported Runtime: %s (supported: %s)" % (runtime, ", ".join(settings["runtimes"])))
    dependencies = _dependencies(values.get("Dependencies"))
    declared = {item["name"] for item in dependencies}
    dependencies += [{"name": name, "version": version} for name, version in settings["injected_dependencies"].items() if name not in declared]
    stamp = now()
    record = {
        "sid": new_sid("ZB"),
        "account_sid": ctx.account.sid,
        "service_sid": service["sid"],
        "status": "building",
        "dependencies": dependencies,
        "runtime": runtime,
        "date_created": stamp,
        "date_updated": stamp,
        "_function_versions": functions,
        "_asset_versions": assets,
        "_outcome": settings.next_outcome(),
        "_ready_at": time.monotonic() + settings["build_delay_ms"] / 1000.0,
    }
    coll.add(record["sid"], record)
    return 201, serialize_build(record, ctx.base, settings)  # always "building" at first, as Twilio answers


# -- Deployments -----------------------------------------------------------------------------------
def deployments(ctx: Context, service_ident: str, env_sid: str, sid: str | None) -> Answer:
    """``/Environments/{ZE}/Deployments[/{ZD}]``: a deployment points the environment at a build."""
    service = _service(ctx, service_ident, "/Environments")
    env = _environment(ctx, service, env_sid, "/Deployments")
    coll = _coll(ctx.account, "deployment", service["sid"], env["sid"])
    if sid is not None:
        record = coll.get(sid)
        if record is None:
            raise not_found("/Services/%s/Environments/%s/Deployments/%s" % (service["sid"], env_sid, sid))
        if ctx.method != "GET":
            raise method_not_allowed(ctx.method)  # no update, no delete (spec)
        return 200, serialize_deployment(record, ctx.base)
    if ctx.method == "GET":
        url = "%s/Environments/%s/Deployments" % (_service_url(ctx.base, service), env["sid"])
        return 200, list_response(ctx.query, coll, url, "deployments", lambda rec: serialize_deployment(rec, ctx.base), MAX_PAGE_SIZE)
    if ctx.method != "POST":
        raise method_not_allowed(ctx.method)
    values = {param.name: value for param, value in validate(parse_form(ctx.body, ctx.content_type), _DEPLOYMENT, "v1", API + " Deployment")}
    build_sid = values.get("BuildSid")
    if build_sid is not None:
        build = _coll(ctx.account, "build", service["sid"]).get(build_sid)
        if build is None:
            raise invalid_param("Invalid parameter BuildSid: Build %s not found in this Service" % build_sid)
        if settle(build)["status"] != "completed":
            raise invalid_param("Invalid parameter BuildSid: Build %s is %s, only a completed build deploys" % (build_sid, build["status"]))
        if env["build_sid"] == build_sid:
            # twilio-labs/serverless-api#27: re-requesting the live build fails.
            raise conflict("Environment has already requested deployment of build %s" % build_sid)
    stamp = now()
    record = {
        "sid": new_sid("ZD"),
        "account_sid": ctx.account.sid,
        "service_sid": service["sid"],
        "environment_sid": env["sid"],
        "build_sid": build_sid,
        "date_created": stamp,
        "date_updated": stamp,
    }
    coll.add(record["sid"], record)
    env["build_sid"] = build_sid
    env["date_updated"] = stamp
    return 201, serialize_deployment(record, ctx.base)


# -- Variables -------------------------------------------------------------------------------------
def _check_variable(settings: ServerlessSettings, key: str | None, value: str | None) -> None:
    if key is not None and len(key) > settings["variable_key_max"]:
        raise invalid_param("Invalid value for parameter Key: must be at most %d characters long" % settings["variable_key_max"])
    if value is not None and len(value.encode("utf-8")) > settings["variable_value_max_bytes"]:
        raise invalid_param("Invalid value for parameter Value: must be at most %d bytes long (UTF-8)" % settings["variable_value_max_bytes"])


def _check_set(settings: ServerlessSettings, records: Iterable[Record]) -> None:
    size = len(json.dumps({record["key"]: record["value"] for record in records}, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    if size > settings["variables_max_bytes"]:
        raise TwilioError(
            400, 82006, "Environment Context too large: the variables would take %d bytes, at most %d fit" % (size, settings["variables_max_bytes"])
        )


def variables(ctx: Context, service_ident: str, env_sid: str, sid: str | None) -> Answer:
    """``/Environments/{ZE}/Variables[/{ZV}]`` with Twilio's key and value limits and our reading of the 3 KB context."""
    service = _service(ctx, service_ident, "/Environments")
    env = _environment(ctx, service, env_sid, "/Variables")
    coll = _coll(ctx.account, "variable", service["sid"], env["sid"])
    settings = ctx.serverless
    if sid is None:
        if ctx.method == "GET":
            url = "%s/Environments/%s/Variables" % (_service_url(ctx.base, service), env["sid"])
            return 200, list_response(ctx.query, coll, url, "variables", lambda rec: serialize_variable(rec, ctx.base), MAX_PAGE_SIZE)
        if ctx.method != "POST":
            raise method_not_allowed(ctx.method)
        form = parse_form(ctx.body, ctx.content_type)
        values = {param.name: value for param, value in validate(form, _VARIABLE_CREATE, "v1", API + " Variable", ("Key", "Value"))}
        key, value = values["Key"], values["Value"]
        _check_variable(settings, key, value)
        if any(other["key"] == key for other in coll.values()):
            raise conflict("Variable with Key %s already exists in this Environment" % key)
        stamp = now()
        record = {
            "sid": new_sid("ZV"),
            "account_sid": ctx.account.sid,
            "service_sid": service["sid"],
            "environment_sid": env["sid"],
            "key": key,
            "value": value,
            "date_created": stamp,
            "date_updated": stamp,
        }
        _check_set(settings, coll.values() + [record])
        coll.add(record["sid"], record)
        return 201, serialize_variable(record, ctx.base)
    found = coll.get(sid)
    if found is None:
        raise not_found("/Services/%s/Environments/%s/Variables/%s" % (service["sid"], env_sid, sid))
    if ctx.method == "GET":
        return 200, serialize_variable(found, ctx.base)
    if ctx.method == "DELETE":
        coll.remove(sid)
        return 204, None
    if ctx.method != "POST":
        raise method_not_allowed(ctx.method)
    form = parse_form(ctx.body, ctx.content_type)
    changes = {param.name: value for param, value in validate(form, _VARIABLE_UPDATE, "v1", API + " Variable")}
    key, value = changes.get("Key", found["key"]), changes.get("Value", found["value"])
    _check_variable(settings, key, value)
    if any(other["key"] == key and other["sid"] != sid for other in coll.values()):
        raise conflict("Variable with Key %s already exists in this Environment" % key)
    _check_set(settings, [other for other in coll.values() if other["sid"] != sid] + [dict(found, key=key, value=value)])
    found.update(key=key, value=value, date_updated=now())
    return 200, serialize_variable(found, ctx.base)


# -- what an environment's domain serves -----------------------------------------------------------
#: The route of a Functions domain: ``{product}=serverless-domains``, the domain name as the version (docs/serverless-api.md).
DOMAINS_PREFIX = "/serverless-domains/"


def domain(accounts: Iterable[Account], method: str, domain_name: str, path: str) -> tuple[int, str, bytes]:
    """``GET https://{domain_name}{path}``: (status, content type, bytes), no authentication (a CDN's answer).

    The bytes of the public Asset at ``path`` in the build the environment serves; 403 for a protected Asset (Twilio
    asks for ``X-Twilio-Signature``, which the emulator never accepts here: our reading for a GET), 404 for a private
    one (not reachable by URL), for any other path and for an unknown domain. Functions are not run.
    """
    if method != "GET":
        return 405, "text/plain; charset=utf-8", b"Method Not Allowed\n"
    wanted = domain_name.lower()
    for account in accounts:
        for service in account.collection("serverless").values():
            for env in account.collection("serverless-env:" + service["sid"]).values():
                if env["domain_name"].lower() != wanted:
                    continue
                build = _coll(account, "build", service["sid"]).get(env["build_sid"] or "")
                for version in (build or {}).get("_asset_versions") or []:
                    if version["path"] != path:
                        continue
                    if version["visibility"] == "protected":
                        return 403, "text/plain; charset=utf-8", b"Forbidden: a protected Asset needs a valid X-Twilio-Signature\n"
                    if version["visibility"] == "public":
                        return 200, version.get("_content_type") or "application/octet-stream", bytes(version["_content"])
                return 404, "text/plain; charset=utf-8", b"Not Found\n"
    return 404, "text/plain; charset=utf-8", b"Not Found\n"


_S = r"^/serverless/v1/Services/([^/]+)"
_U = unquote
ROUTES: tuple[Route, ...] = (
    (re.compile(_S + r"/(Functions|Assets)$"), lambda ctx, m: resources(ctx, _U(m[1]), m[2], None)),
    (re.compile(_S + r"/(Functions|Assets)/([^/]+)$"), lambda ctx, m: resources(ctx, _U(m[1]), m[2], _U(m[3]))),
    (re.compile(_S + r"/(Functions|Assets)/([^/]+)/Versions$"), lambda ctx, m: versions(ctx, _U(m[1]), m[2], _U(m[3]), None)),
    (re.compile(_S + r"/(Functions|Assets)/([^/]+)/Versions/([^/]+)$"), lambda ctx, m: versions(ctx, _U(m[1]), m[2], _U(m[3]), _U(m[4]))),
    (re.compile(_S + r"/Functions/([^/]+)/Versions/([^/]+)/Content$"), lambda ctx, m: content(ctx, _U(m[1]), _U(m[2]), _U(m[3]))),
    (re.compile(r"^/serverless-upload/v1/Services/([^/]+)/(Functions|Assets)/([^/]+)/Versions$"), lambda ctx, m: upload(ctx, _U(m[1]), m[2], _U(m[3]))),
    (re.compile(_S + r"/Builds$"), lambda ctx, m: builds(ctx, _U(m[1]), None)),
    (re.compile(_S + r"/Builds/([^/]+)$"), lambda ctx, m: builds(ctx, _U(m[1]), _U(m[2]))),
    (re.compile(_S + r"/Builds/([^/]+)/Status$"), lambda ctx, m: builds(ctx, _U(m[1]), _U(m[2]), status_only=True)),
    (re.compile(_S + r"/Environments/([^/]+)/Deployments$"), lambda ctx, m: deployments(ctx, _U(m[1]), _U(m[2]), None)),
    (re.compile(_S + r"/Environments/([^/]+)/Deployments/([^/]+)$"), lambda ctx, m: deployments(ctx, _U(m[1]), _U(m[2]), _U(m[3]))),
    (re.compile(_S + r"/Environments/([^/]+)/Variables$"), lambda ctx, m: variables(ctx, _U(m[1]), _U(m[2]), None)),
    (re.compile(_S + r"/Environments/([^/]+)/Variables/([^/]+)$"), lambda ctx, m: variables(ctx, _U(m[1]), _U(m[2]), _U(m[3]))),
)
