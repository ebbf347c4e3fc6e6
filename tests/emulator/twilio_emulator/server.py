"""HTTP front end: routing, authentication, fault injection, request log, control endpoints."""

from __future__ import annotations

import base64
import binascii
import email.utils
import json
import re
import socket
import struct
import sys
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, cast
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit

from . import chat, conversations, credentials, roles, serverless, serverless_code
from .accounts import check_accounts, default_accounts
from .errors import TwilioError, authenticate, invalid_param, not_found
from .faults import ERROR_KINDS, LATE_COMMIT_KINDS, UNPROCESSED_KINDS, DropField, FaultPlan, fault_error
from .params import unknown_params
from .serverless_code import ServerlessSettings
from .store import TIMING, Store

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Container, Mapping
    from typing import Any
    from urllib.parse import SplitResult

    from .accounts import AccountSpec
    from .params import Changes, Form
    from .store import Account, MaxServices

    #: What a resource handler answers: (HTTP status, JSON body or None for 204).
    Answer = tuple[int, Any]
    #: A route: the path pattern and the handler it calls with the match.
    Route = tuple[re.Pattern[str], Callable[["Context", re.Match[str]], Answer]]

CONTROL_PREFIX = "/__emulator/"
_LOOPBACK_NAMES = ("localhost", "::1")


def _is_loopback(hostname: str | None) -> bool:
    if not hostname:
        return False
    hostname = hostname.lower().rstrip(".")
    return hostname in _LOOPBACK_NAMES or hostname.endswith(".localhost") or re.fullmatch(r"127(?:\.\d{1,3}){3}", hostname) is not None


def control_refusal(method: str, query: dict[str, list[str]], host: str | None, origin: str | None, content_type: str | None) -> tuple[int, str] | None:
    """Why a control request is refused (status, message), or None.

    Any web page a developer opens can send a "simple" cross-origin request (a text/plain POST, a GET
    of an image) to the emulator on 127.0.0.1, and a DNS-rebinding page can even read the answers. So:
    the Host must be a loopback name (a rebound name is not), an Origin header, when sent, must be a
    loopback origin, and every request that changes something (any method but GET, and the GET that
    clears the log) must say Content-Type: application/json, which a page can only send after a CORS
    preflight the emulator never grants.
    """
    hostname = None
    if host:
        try:
            hostname = urlsplit("//" + host).hostname
        except ValueError:
            hostname = None
    if not _is_loopback(hostname):
        return 403, "control endpoints answer only a loopback Host (127.0.0.1, localhost, [::1]), got %r" % (host or "")[:100]
    if origin is not None:
        try:
            parts = urlsplit(origin)
            allowed = parts.scheme in ("http", "https") and _is_loopback(parts.hostname)
        except ValueError:
            allowed = False
        if not allowed:
            return 403, "control endpoints refuse cross-origin requests (Origin %r is not a loopback origin)" % origin[:100]
    changes = method != "GET" or query.get("clear", ["false"])[-1] == "true"
    if changes and (content_type or "").split(";")[0].strip().lower() != "application/json":
        return 415, "control requests that change the emulator need Content-Type: application/json, got %r" % (content_type or "")[:100]
    return None


# A POST to one of these collections creates a record (the only request a late_commit_* fault commits late).
_CREATE_PATH = re.compile(r"/(Services|Environments|Builds|Functions|Assets|Deployments|Variables|Versions|Roles|Credentials)$")
_VERSIONED = re.compile(r"^/[a-z-]+/v[0-9]+(/.*)$")
ROUTES: tuple[Route, ...] = (
    (
        (re.compile(r"^/chat/(v1|v2)/Services$"), lambda ctx, m: chat.handle(ctx, m[1], None)),
        (re.compile(r"^/chat/(v1|v2)/Services/([^/]+)$"), lambda ctx, m: chat.handle(ctx, m[1], unquote(m[2]))),
        (re.compile(r"^/serverless/v1/Services$"), lambda ctx, m: serverless.handle(ctx, None, False, None)),
        (re.compile(r"^/serverless/v1/Services/([^/]+)$"), lambda ctx, m: serverless.handle(ctx, unquote(m[1]), False, None)),
        (re.compile(r"^/serverless/v1/Services/([^/]+)/Environments$"), lambda ctx, m: serverless.handle(ctx, unquote(m[1]), True, None)),
        (re.compile(r"^/serverless/v1/Services/([^/]+)/Environments/([^/]+)$"), lambda ctx, m: serverless.handle(ctx, unquote(m[1]), True, unquote(m[2]))),
    )
    + conversations.ROUTES
    + serverless_code.ROUTES
    + roles.ROUTES
    + credentials.ROUTES
)


def _form_pairs(body: bytes, content_type: str | None) -> list[list[str]]:
    """The form parameters of a request body as ``[name, value]`` pairs in the order sent (repeated names
    repeat), for the request log: a test proves which fields a write sent from it. Empty when the body is
    empty or not a form (an upload's multipart body is not parsed here)."""
    if content_type and not content_type.lower().startswith("application/x-www-form-urlencoded"):
        return []
    try:
        return [[name, value] for name, value in parse_qsl(body.decode("utf-8"), keep_blank_values=True)]
    except (UnicodeDecodeError, ValueError):
        return []


#: The choices of ``conversations_webhook_defaults`` (``Emulator``).
WEBHOOK_DEFAULTS = ("schema", "example")


class Context:
    """What a resource handler needs to know about one API request."""

    def __init__(self, emulator: Emulator, method: str, query: Form, body: bytes, content_type: str | None, base: str, account: Account) -> None:
        self.method = method
        self.query = query
        self.body = body
        self.content_type = content_type
        self.base = base
        self.account = account
        self._store = emulator.store
        #: The Serverless product's switchable behaviour (serverless_code.ServerlessSettings).
        self.serverless = emulator.serverless
        #: What a new service's Conversations webhooks answer for ``method`` (``WEBHOOK_DEFAULTS``).
        self.conversations_webhook_defaults = emulator.conversations_webhook_defaults
        #: A DropField for a write under the ``drop_field`` fault, else None.
        self.drop: DropField | None = None

    def apply_drop(self, changes: Changes, required: Container[str] = ()) -> Changes:
        """The validated changes of a write, less the one a ``drop_field`` fault leaves unapplied."""
        return self.drop.apply(changes, required) if self.drop is not None else changes

    def check_cap(self, product: str, current: int) -> None:
        """Refuse a create beyond the configured number of services per account."""
        cap = self._store.cap_passed(product, current + 1)
        if cap is not None:
            raise TwilioError(
                400,
                20001,
                "Maximum number of Services reached: an account may have at most %d %s Services; "
                "delete one before creating another" % (cap, product.capitalize()),
            )


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "twilio-emulator"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's
    # algorithm and delayed ACKs add ~40 ms to every keep-alive response.
    disable_nagle_algorithm = True
    server: _Server

    def version_string(self) -> str:
        return self.server_version

    def date_time_string(self, timestamp: float | None = None) -> str:
        """The ``Date`` header by the emulator's clock (``clock_offset_ms`` moves it with ``date_created``)."""
        return email.utils.formatdate(TIMING.time() if timestamp is None else timestamp, usegmt=True)

    def do_GET(self) -> None:  # pylint: disable=invalid-name
        """GET."""
        self.server.emulator.dispatch(self)

    do_POST = do_DELETE = do_PUT = do_PATCH = do_GET

    def log_message(self, format: str, *args: Any) -> None:  # pylint: disable=redefined-builtin
        if self.server.emulator.verbose:
            super().log_message(format, *args)

    def read_body(self) -> bytes:
        """The request body (always read, so keep-alive connections stay in sync)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            size = int(length)
        except ValueError as exc:
            self.close_connection = True
            raise invalid_param("Invalid Content-Length header") from exc
        return self.rfile.read(size) if size > 0 else b""

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        try:
            while True:
                size = int(self.rfile.readline(1024).split(b";")[0].strip(), 16)
                if size == 0:
                    while self.rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass  # trailer fields
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
        except ValueError as exc:
            self.close_connection = True
            raise invalid_param("Malformed chunked request body") from exc

    def respond(self, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> None:
        """Send a JSON response (no body for 204), always with correct framing."""
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Twilio-Request-Id", "RQ" + uuid.uuid4().hex)
        data = b""
        if status != 204:
            data = json.dumps(payload).encode("utf-8")
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if data:
            self.wfile.write(data)

    def respond_raw(self, status: int, content_type: str, data: bytes, headers: Mapping[str, str] | None = None, drip_ms: int = 0) -> None:
        """Send ``data`` as is; with ``drip_ms`` the whole answer (status line too) goes one byte at a time."""
        head = [
            "HTTP/1.1 %d %s" % (status, self.responses.get(status, ("Unknown",))[0]),
            "Server: %s" % self.version_string(),
            "Content-Type: %s" % content_type,
            "Content-Length: %d" % len(data),
        ]
        head += ["%s: %s" % item for item in (headers or {}).items()]
        raw = ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + data
        if not drip_ms:
            self.wfile.write(raw)
            return
        self.close_connection = True
        try:
            for index in range(len(raw)):
                self.wfile.write(raw[index : index + 1])
                self.wfile.flush()
                time.sleep(drip_ms / 1000.0)
        except OSError:
            pass  # the client gave up: that is the point of this fault

    def drop(self) -> None:
        """Reset the connection without answering (RST thanks to SO_LINGER 0)."""
        self.close_connection = True
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
        except OSError:
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    server_address: tuple[str, int]

    def __init__(self, address: tuple[str, int], emulator: Emulator) -> None:
        self.emulator = emulator
        self.open_connections: set[Any] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self.connections_lock:
            self.open_connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self.connections_lock:
            self.open_connections.discard(request)
        super().shutdown_request(request)

    def close_all_connections(self) -> None:
        """Shut down idle keep-alive connections so their threads end."""
        with self.connections_lock:
            conns = list(self.open_connections)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)


class _Server6(_Server):
    address_family = socket.AF_INET6


class Emulator:
    """The Twilio REST API emulator, in-process.

    ``accounts``: list of ``{"account_sid", "auth_token", "api_keys": [{"sid", "secret"}]}``
    (default: the documented test account); ``max_services``: cap per account (int for
    every product, or ``{"chat": N, "serverless": M}``; default chat uncapped, serverless 50);
    ``faults``: keyword arguments of :meth:`set_faults`; ``strict_params``: answer 400 / 20001 to a
    form parameter the operation does not take (Twilio ignores it, and so does the emulator by default;
    either way the request log names it under ``unknown_params``).
    """

    def __init__(
        self,
        accounts: list[AccountSpec] | None = None,
        max_services: MaxServices | None = None,
        faults: Mapping[str, Any] | None = None,
        verbose: bool = False,
        strict_params: bool = False,
    ) -> None:
        self.store = Store(check_accounts(accounts) if accounts is not None else default_accounts(), max_services)
        self.faults = FaultPlan()
        if faults:
            self.faults.configure(**faults)
        self.verbose = verbose
        self.serverless = ServerlessSettings()
        self._strict_params_default = self.strict_params = bool(strict_params)
        #: ``schema`` (default): a new service's Conversations webhooks answer ``method: "POST"`` (the schema's enum
        #: has no null); ``example``: ``method: null`` until a method is written, as the spec's fetchEmpty example
        #: shows. Either way ``filters`` and the URLs are null. Which one Twilio does the spec does not settle.
        self.conversations_webhook_defaults = "schema"
        self._log: list[dict[str, Any]] = []
        self._log_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.base_url: str | None = None

    # -- lifecycle -------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Listen on ``host:port`` (0 = any free port) in a background thread; returns the base URL."""
        if self._server is not None:
            return cast(str, self.base_url)
        server_cls = _Server6 if ":" in host else _Server
        self._server = server_cls((host, port), self)
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, name="twilio-emulator", daemon=True)
        self._thread.start()
        shown = "[%s]" % host if ":" in host else host
        self.base_url = "http://%s:%d" % (shown, self._server.server_address[1])
        return self.base_url

    @property
    def port(self) -> int | None:
        """The bound TCP port (after :meth:`start`)."""
        return self._server.server_address[1] if self._server else None

    def stop(self) -> None:
        """Stop listening and close open connections."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        self._server.close_all_connections()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- state and control -----------------------------------------------
    def request_log(self, clear: bool = False) -> list[dict[str, Any]]:
        """A copy of the request log (API requests only, oldest first); with ``clear``, emptied in the same step.

        Reading and clearing at once loses no request made in between, and lets a playbook read the log
        through the controller-side ``url`` lookup (GET only) instead of two module tasks.
        """
        with self._log_lock:
            entries = [dict(entry) for entry in self._log]
            if clear:
                self._log.clear()
            return entries

    def clear_request_log(self) -> None:
        """Empty the request log."""
        with self._log_lock:
            self._log.clear()

    def reset(self, faults: bool = False, config: bool = False) -> None:
        """Delete every resource of every account (each gets a fresh default Conversations Service, as a new account
        has) and clear the request log; also clear the faults, and restore the default service caps, when asked."""
        self.store.reset()
        self.clear_request_log()
        if faults:
            self.clear_faults()
        if config:
            self.set_max_services(None)
            self.serverless.reset()
            self.strict_params = self._strict_params_default
            self.conversations_webhook_defaults = "schema"

    def set_faults(self, **kwargs: Any) -> None:
        """Configure faults: ``rate``, ``kinds``, ``next``, ``latency_ms``, ``seed``, ``methods``, ``retry_after``."""
        self.faults.configure(**kwargs)

    def clear_faults(self) -> None:
        """Remove all faults and added latency (build faults included)."""
        self.faults.clear()
        self.serverless.clear_faults()

    def set_max_services(self, value: MaxServices | None) -> None:
        """Cap services per account: None (defaults), an int, or ``{"chat": N, "serverless": M}``."""
        self.store.set_max_services(value)

    # -- request handling ----------------------------------------------------
    def dispatch(self, handler: _Handler) -> None:
        """Entry point for every HTTP request."""
        parts = urlsplit(handler.path)
        try:
            body = handler.read_body()
        except TwilioError as err:
            handler.respond(err.status, err.body(), err.headers)
            return
        if parts.path.startswith(CONTROL_PREFIX):
            self._control(handler, handler.command, parts.path[len(CONTROL_PREFIX) :], parts.query, body)
        else:
            self._api(handler, parts, body)

    def _authenticate(self, header: str | None) -> Account:
        if not header or not header.lower().startswith("basic "):
            raise authenticate()
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            raise authenticate() from exc
        username, dummy, password = decoded.partition(":")
        account = self.store.authenticate(username, password)
        if account is None:
            raise authenticate()
        return account

    def _api(self, handler: _Handler, parts: SplitResult, body: bytes) -> None:
        method = handler.command
        entry: dict[str, Any] = {
            "method": method,
            "path": parts.path,
            "query": parts.query,
            "status": None,
            "account_sid": None,
            "fault": None,
            "timestamp": time.time(),
            "form": _form_pairs(body, handler.headers.get("Content-Type")),
        }
        latency = self.faults.latency_ms
        if latency:
            time.sleep(latency / 1000.0)
        fault = entry["fault"] = self.faults.pick(method)
        if fault == "reset":
            self._record(entry)
            handler.drop()
            return
        if fault in UNPROCESSED_KINDS:
            self._unprocessed(handler, fault, parts, entry)
            return
        if fault == "slow_commit":
            # Processed (and committed) only after the client has long given up on the answer.
            time.sleep(self.faults.delay_ms / 1000.0)
        if fault in LATE_COMMIT_KINDS:
            self._late_commit(handler, fault, parts, body, entry)
            return
        headers: Mapping[str, str] = {}
        if parts.path.startswith(serverless_code.DOMAINS_PREFIX) and fault not in ERROR_KINDS:
            self._domain(handler, method, parts, entry)
            return
        try:
            if fault in ERROR_KINDS:
                raise fault_error(fault, self.faults.retry_after)
            account = self._authenticate(handler.headers.get("Authorization"))
            entry["account_sid"] = account.sid
            drop = DropField(self.faults.drop_field) if fault == "drop_field" else None
            status, payload = self._route(handler, method, parts, body, account, drop, entry)
            if drop is not None:
                entry["dropped"] = drop.dropped
        except TwilioError as err:
            status, payload, headers = err.status, err.body(), err.headers
        except Exception:  # pylint: disable=broad-exception-caught
            traceback.print_exc()
            status, payload = 500, TwilioError(500, 20500, "Internal Server Error").body()
        entry["status"] = status
        self._record(entry)
        if fault == "commit_drop":
            handler.drop()
            return
        if fault == "malformed":
            handler.respond_raw(200, "application/json", self.faults.body.encode("utf-8"))
            return
        if fault == "drip":
            data = json.dumps(payload).encode("utf-8") if status != 204 else b""
            handler.respond_raw(status, "application/json; charset=utf-8", data, headers, self.faults.drip_ms)
            return
        try:
            handler.respond(status, payload, headers)
        except OSError:
            pass  # a slow_commit's client is gone

    def _domain(self, handler: _Handler, method: str, parts: SplitResult, entry: dict[str, Any]) -> None:
        """What a Functions environment's domain serves (``serverless_code.domain``): no authentication; the log notes
        whether the request carried an ``Authorization`` header (a client must never send one there)."""
        domain_name, dummy, path = parts.path[len(serverless_code.DOMAINS_PREFIX) :].partition("/")
        entry["authorization"] = handler.headers.get("Authorization") is not None
        with self.store.lock:
            status, content_type, data = serverless_code.domain(list(self.store.accounts.values()), method, unquote(domain_name), "/" + unquote(path))
        entry["status"] = status
        self._record(entry)
        handler.respond_raw(status, content_type, data)

    def _late_commit(self, handler: _Handler, fault: str, parts: SplitResult, body: bytes, entry: dict[str, Any]) -> None:
        """Answer Twilio's JSON 500/503 at once, and process (commit) a create ``delay_ms`` later.

        What a client must assume of every 5xx to a create: the outcome is unknown, the record may appear.
        Any other request (a read, an update, a delete) gets the plain 5xx and is not processed: a late
        update landing after a later run's write would only test the order of two runs, not a module.
        """
        error = fault_error(LATE_COMMIT_KINDS[fault])
        account: Account | None = None
        try:
            account = self._authenticate(handler.headers.get("Authorization"))
            entry["account_sid"] = account.sid
        except TwilioError as err:
            error = err
        # Only a create commits late; any other request gets the plain 5xx, unprocessed.
        if account is not None and handler.command == "POST" and _CREATE_PATH.search(parts.path):
            host, ctype, owner = self._host(handler), handler.headers.get("Content-Type"), account
            delay = self.faults.delay_ms / 1000.0

            def commit() -> None:
                time.sleep(delay)
                try:
                    self._route_to(host, ctype, "POST", parts, body, owner)
                except TwilioError:
                    pass  # the late write failed: nothing was made, as the client may also find
                except Exception:  # pylint: disable=broad-exception-caught
                    traceback.print_exc()

            threading.Thread(target=commit, name="late-commit", daemon=True).start()
        entry["status"] = error.status
        self._record(entry)
        handler.respond(error.status, error.body(), error.headers)

    def _unprocessed(self, handler: _Handler, fault: str, parts: SplitResult, entry: dict[str, Any]) -> None:
        """Answer as something in front of Twilio would, without processing the request."""
        if fault == "redirect":
            entry["status"] = 302
            self._record(entry)
            location = self.faults.location or parts.path + ("?" + parts.query if parts.query else "")
            handler.respond_raw(302, "text/html", b"<html><title>302 Found</title></html>", {"Location": location})
            return
        echoed = handler.headers.get("Authorization") or ""
        if fault in ("echo_auth_hex", "echo_auth_base64"):
            # A debugging proxy that shows the whole header value encoded once more (both decode to "Basic <base64 of AC...:token>").
            raw = echoed.encode("utf-8")
            encoded = raw.hex() if fault == "echo_auth_hex" else base64.b64encode(raw).decode("ascii")
            entry["status"] = 401
            self._record(entry)
            err = TwilioError(401, 20003, "Authenticate: the request's Authorization header, encoded: %s" % encoded)
            handler.respond(401, err.body())
            return
        entry["status"] = 401 if fault == "echo_auth" else 502
        self._record(entry)
        if fault == "echo_auth":
            err = TwilioError(401, 20003, "Authenticate: the request carried Authorization: %s" % echoed)
            body = err.body()
            body["more_info"] = "https://www.twilio.com/docs/errors/20003?header=%s" % echoed
            handler.respond(401, body)
            return
        page = "<html><head><title>502 Bad Gateway for Authorization: %s</title></head><body>%s</body></html>"
        handler.respond_raw(502, "text/html", (page % (echoed, echoed)).encode("utf-8"))

    @staticmethod
    def _host(handler: _Handler) -> str:
        return handler.headers.get("Host") or "%s:%d" % handler.server.server_address[:2]

    def _route(
        self,
        handler: _Handler,
        method: str,
        parts: SplitResult,
        body: bytes,
        account: Account,
        drop: DropField | None = None,
        entry: dict[str, Any] | None = None,
    ) -> Answer:
        return self._route_to(self._host(handler), handler.headers.get("Content-Type"), method, parts, body, account, drop, entry)

    def _route_to(
        self,
        host: str,
        content_type: str | None,
        method: str,
        parts: SplitResult,
        body: bytes,
        account: Account,
        drop: DropField | None = None,
        entry: dict[str, Any] | None = None,
    ) -> Answer:
        ctx = Context(self, method, parse_qs(parts.query, keep_blank_values=True), body, content_type, "http://" + host, account)
        ctx.drop = drop
        for pattern, target in ROUTES:
            match = pattern.match(parts.path)
            if match:
                with self.store.lock, unknown_params(self.strict_params) as unknown:
                    try:
                        return target(ctx, match)
                    finally:
                        if unknown.names and entry is not None:
                            entry["unknown_params"] = list(unknown.names)
        relative = _VERSIONED.match(parts.path)
        raise not_found(relative[1] if relative else parts.path)

    def _record(self, entry: dict[str, Any]) -> None:
        with self._log_lock:
            self._log.append(entry)

    def _control(self, handler: _Handler, method: str, name: str, query: str, body: bytes) -> None:
        refusal = control_refusal(method, parse_qs(query), handler.headers.get("Host"), handler.headers.get("Origin"), handler.headers.get("Content-Type"))
        if refusal is not None:
            handler.respond(refusal[0], {"error": refusal[1]})
            return
        try:
            payload = json.loads(body.decode("utf-8")) if body.strip() else {}
            status, result = self._control_action(method, name, payload, parse_qs(query))
        except (ValueError, TypeError, AttributeError) as exc:
            status, result = 400, {"error": str(exc)}
        handler.respond(status, result)

    def _control_action(self, method: str, name: str, payload: dict[str, Any], query: dict[str, list[str]] | None = None) -> tuple[int, Any]:
        """Run one control endpoint; returns ``(status, body)``."""
        name = name.rstrip("/")
        query = query or {}
        unknown = set(query) - ({"clear"} if (method, name) == ("GET", "requests") else set())
        if unknown:
            raise ValueError("unknown query parameter(s) of %s %s%s: %s" % (method, CONTROL_PREFIX, name, ", ".join(sorted(unknown))))

        def set_faults() -> dict[str, Any]:
            self.faults.configure(**payload)
            return self.faults.describe()

        def reset() -> dict[str, Any]:
            unknown = set(payload) - {"faults", "config"}
            if unknown:
                raise ValueError("unknown reset key(s): %s" % ", ".join(sorted(unknown)))
            self.reset(faults=bool(payload.get("faults")), config=bool(payload.get("config")))
            return {"ok": True}

        def seed() -> dict[str, Any]:
            unknown = set(payload) - {"account_sid", "services"}
            if unknown:
                raise ValueError("unknown seed key(s): %s" % ", ".join(sorted(unknown)))
            return {"sids": self.store.seed_services(payload.get("account_sid"), payload.get("services"))}

        def read_log() -> dict[str, Any]:
            flag = query.get("clear", ["false"])[-1]
            if flag not in ("true", "false"):
                raise ValueError("clear must be true or false, got %r" % flag[:20])
            return {"requests": self.request_log(clear=flag == "true")}

        actions: dict[tuple[str, str], Callable[[], Any]] = {
            ("GET", "health"): lambda: {"ok": True},
            ("GET", "requests"): read_log,
            ("DELETE", "requests"): self.clear_request_log,
            ("GET", "faults"): self.faults.describe,
            ("POST", "faults"): set_faults,
            ("DELETE", "faults"): self.clear_faults,
            ("POST", "reset"): reset,
            ("GET", "config"): self._config,
            ("POST", "config"): lambda: self._configure(payload),
            ("POST", "age"): lambda: {"aged": self.store.age(payload.get("seconds", 0))},
            ("POST", "seed"): seed,
            ("GET", "serverless"): self.serverless.describe,
            ("POST", "serverless"): lambda: self.serverless.configure(payload),
        }
        action = actions.get((method, name))
        if action is None:
            known = sorted({endpoint for dummy, endpoint in actions})
            return 404, {"error": "unknown control endpoint %s %s%s (known: %s)" % (method, CONTROL_PREFIX, name, ", ".join(known))}
        result = action()
        return (204, None) if result is None else (200, result)

    def _config(self) -> dict[str, Any]:
        return {
            "max_services": dict(self.store.max_services),
            "strict_params": self.strict_params,
            "conversations_webhook_defaults": self.conversations_webhook_defaults,
        }

    def _configure(self, payload: dict[str, Any]) -> dict[str, Any]:
        unknown = set(payload) - {"max_services", "strict_params", "conversations_webhook_defaults"}
        if unknown:
            raise ValueError("unknown config key(s): %s" % ", ".join(sorted(unknown)))
        if "strict_params" in payload and not isinstance(payload["strict_params"], bool):
            raise ValueError("strict_params must be true or false")
        if "conversations_webhook_defaults" in payload:
            if payload["conversations_webhook_defaults"] not in WEBHOOK_DEFAULTS:
                raise ValueError("conversations_webhook_defaults must be one of %s" % ", ".join(WEBHOOK_DEFAULTS))
            self.conversations_webhook_defaults = payload["conversations_webhook_defaults"]
        if "max_services" in payload:
            self.store.set_max_services(payload["max_services"])
        if "strict_params" in payload:
            self.strict_params = payload["strict_params"]
        return self._config()
