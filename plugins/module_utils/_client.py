# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""The one HTTP client every chatops.twilio module talks to Twilio through.

Generic over products: a request names ``product`` (``chat``, ``serverless``...),
``version`` (``v1``, ``v2``) and a version-relative ``path`` (``/Services/IS...``).
Retries, backoff, paging, error decoding, answer validation, secret redaction and
time bounds live here and nowhere else.

What the client trusts, and what it does not:

* it never follows a redirect (the credentials would go along, and a POST would become a GET);
* every answer is checked for shape before it is used: a listing must be a page, a record
  must carry a SID of the kind the path asks for, before that SID can go into a URL;
* every request has a total deadline (``timeout``), however slowly the server sends, and each
  request with its retries ends within ``retry_timeout`` plus one ``timeout`` (the budget is per
  request, not per run: a long but healthy run is never cut short);
* bodies larger than ``MAX_BODY_BYTES`` are refused while they are read;
* the auth token, the API secret and their Basic-auth encodings (hex, base64 of the whole
  header value too) are removed from any text of an answer before it can reach a message,
  and so is the password of any ``scheme://user:password@host`` URL;
* it keeps Twilio's clock (the ``Date`` header of the last answer), so that the age of a record
  is judged by the clock that dated it, not by the controller's.

The duplicate-safe create protocol built on this client lives in ``_create.py``.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import base64
import email.utils
import ipaddress
import json
import math
import random
import re
import sys
import threading
import time
import traceback

from typing import TYPE_CHECKING, cast
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

if TYPE_CHECKING:  # annotations only: nothing below is needed (or evaluated) when the module runs
    from collections.abc import Callable, Container, Iterable, Sequence
    from typing import Any, TypeVar, Union

    #: A decoded JSON object from an answer: a record or a list page.
    Record = dict[str, Any]
    #: (``TwilioClient`` has a method named ``list``, so its annotations use this name.)
    Records = list[Record]
    #: A form body: a dict or (name, value) pairs; a value may be a list (repeated key) or a boolean.
    FormData = Union[dict[str, Any], Sequence[tuple[str, Any]]]
    #: A query string as a dict.
    Query = dict[str, Any]
    #: Multipart file parts: (field name, (file name, bytes, content type)) pairs.
    Files = Sequence[tuple[str, tuple[str, bytes, str]]]
    #: The value one run of the retry loop (``TwilioClient._retrying``) returns.
    T = TypeVar('T')

REQUESTS_IMPORT_ERROR = None
try:
    import requests

    HAS_REQUESTS = True
except ImportError:  # pragma: no cover - exercised by the import sanity test only
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

COLLECTION_NAME = 'chatops.twilio'
COLLECTION_VERSION = '1.0.0'
DEFAULT_BASE_URL = 'https://{product}.twilio.com'
PAGE_SIZE = 100
#: Lists whose spec allows fewer records per page than PAGE_SIZE: (product, version, last path segment) -> maximum.
PAGE_SIZE_MAXIMA = {('conversations', 'v1', 'Roles'): 50}
# A sane bound on its own; the run's deadline usually ends an endless listing long before.
MAX_PAGES = 1000
# Twilio's answers for these APIs are a few hundred KB at most (a page of 1,000 Serverless services).
MAX_BODY_BYTES = 5 * 1024 * 1024
# Server-provided text (error messages, titles) kept in one message.
MAX_TEXT = 300

BACKOFF_BASE = 0.5
BACKOFF_CAP = 10.0

# Seconds between a create and the listing that looks for namesakes made by concurrent runs (see _create.py).
# date_created has a resolution of one second: two creates more than this apart always carry
# different dates, which is what makes "the oldest wins" decide the same way in every run.
CREATE_SETTLE = 2.0

# The password of a URL's userinfo (scheme://user:password@host): masked wherever a URL is shown.
_URL_PASSWORD_RE = re.compile(r'(?i)\b([a-z][a-z0-9+.-]*://[^\s/@:?#]*:)([^\s/@?#]+)(@)')

# Methods whose effect does not depend on how many times they are sent.
# POST is only idempotent for updates, which callers say explicitly (kind='update').
_KIND_IDEMPOTENT = ('read', 'update', 'delete')

# Twilio's error code for "The requested resource ... was not found". Only a 404 carrying it
# means the resource is absent; any other 404 (an HTML page of a web server, a proxy) means the
# request did not reach the Twilio API, for example because api_base_url is wrong.
NOT_FOUND_CODE = 20404

# TLS failures that the same request can never get past by trying again.
_PERMANENT_TLS = ('CERTIFICATE_VERIFY_FAILED', 'WRONG_VERSION_NUMBER', 'UNSUPPORTED_PROTOCOL', 'TLSV1_ALERT_PROTOCOL_VERSION', 'TLSV1_UNRECOGNIZED_NAME')

# The SID prefix of the records of each collection, per product. A path ending in a collection
# lists or creates its records; a path ending in an id fetches, updates or deletes one.
COLLECTION_SIDS = {
    'chat': {'Services': 'IS', 'Roles': 'RL', 'Credentials': 'CR'},
    'conversations': {'Services': 'IS', 'Roles': 'RL', 'Credentials': 'CR'},
    'serverless': {
        'Services': 'ZS',
        'Environments': 'ZE',
        'Functions': 'ZH',
        'Assets': 'ZH',
        'Versions': 'ZN',
        'Builds': 'ZB',
        'Deployments': 'ZD',
        'Variables': 'ZV',
    },
    # Function and Asset Version uploads (multipart), the one call of this host.
    'serverless-upload': {'Services': 'ZS', 'Functions': 'ZH', 'Assets': 'ZH', 'Versions': 'ZN'},
}
# (product, version) pairs whose paths another product serves too (/v1/Services is Chat v1's,
# Conversations' and Serverless'): a base URL without {product} would send them all to one place.
SHARED_PATHS = frozenset([('chat', 'v1'), ('conversations', 'v1'), ('serverless', 'v1'), ('serverless-upload', 'v1')])
# The query parameters a next_page_url may carry over to the next request.
PAGING_PARAMS = ('PageSize', 'Page', 'PageToken')

_SEGMENT_RE = re.compile(r'[A-Za-z0-9_-]+')
_ANY_SID_RE = re.compile(r'[A-Z]{2}[0-9a-fA-F]{32}')


class TwilioError(Exception):
    """Base of every error the client raises; ``str()`` is one clear line."""

    def __init__(self, message: str, method: str | None = None, path: str | None = None) -> None:
        super(TwilioError, self).__init__(message)
        self.message = message
        self.method = method
        self.path = path
        # Set when the request is given up after retries: how many, and the seconds spent.
        self.retries: int | None = None
        self.elapsed: float | None = None
        # The ambiguous failure (may have been applied) of an earlier attempt of the same request.
        self.earlier: TwilioError | None = None
        # Set when retry_timeout (these seconds) ended the retries before the retry budget did.
        self.timed_out: float | None = None

    def gave_up(self, retries: int, elapsed: float) -> TwilioError:
        """Record that this error ends a request that was retried ``retries`` times; returns self."""
        if retries:
            self.retries, self.elapsed = retries, elapsed
        return self

    def retry_note(self) -> str:
        """`` after N retries in X s`` when the request was retried before this error, else ''."""
        if not self.retries or self.elapsed is None:
            return ' (retry_timeout %s s reached)' % ('%g' % self.timed_out) if self.timed_out is not None else ''
        note = ' after %d %s in %.1f s' % (self.retries, 'retry' if self.retries == 1 else 'retries', self.elapsed)
        if self.timed_out is not None:
            what = ' for %s %s' % (self.method, self.path) if self.method and self.path else ''
            note += ' (retry_timeout %s s reached%s: not retried longer)' % ('%g' % self.timed_out, what)
        return note

    def describe(self) -> str:
        """The one-line text of a failure message (what failed, where, after how many retries)."""
        where = ' (%s %s)' % (self.method, self.path) if self.method and self.path else ''
        return '%s%s%s' % (self.message, where, self.retry_note())

    def to_result(self) -> dict[str, Any]:
        """Extra keys for ``fail_json`` (never secrets, never request bodies)."""
        return {k: v for k, v in (('method', self.method), ('path', self.path)) if v is not None}


class TwilioConfigError(TwilioError):
    """Bad connection settings, detected before any request is sent."""


class TwilioAnswerError(TwilioError):
    """A success status whose answer is not what the request asks for (wrong shape or kind).

    Never retried and never followed by a write: what the server said cannot be trusted.
    """


class TwilioCreateUnknown(TwilioError):
    """A create got no answer and its outcome is still unknown; it was deliberately not re-sent."""


class TwilioApiError(TwilioError):
    """Twilio (or something in front of it) answered with an error status."""

    def __init__(
        self,
        status: int,
        message: str,
        code: int | str | None = None,
        more_info: str | None = None,
        method: str | None = None,
        path: str | None = None,
        retry_after: float | None = None,
        hint: str | None = None,
    ) -> None:
        super(TwilioApiError, self).__init__(message, method, path)
        self.status = status
        self.code = code
        self.more_info = more_info
        self.retry_after = retry_after
        self.hint = hint

    @property
    def not_found(self) -> bool:
        """Whether this is Twilio's own "resource not found" (404 with code 20404), i.e. absence."""
        return self.status == 404 and '%s' % self.code == '%s' % NOT_FOUND_CODE

    @property
    def finished(self) -> bool:
        """Whether the Twilio API itself answered this 5xx (JSON with an error code) after handling the request.

        A gateway's 502/504, or any 5xx without Twilio's error body, may come from something in front
        of Twilio that gave up while the request is still being carried out behind it.
        """
        return self.status in (500, 503) and self.code is not None

    def __str__(self) -> str:
        if self.code is not None:
            code = ' (code %s)' % self.code
        elif self.message.startswith('HTTP %s' % self.status):
            code = ''
        else:
            code = ' (HTTP %s)' % self.status
        return '%s%s%s' % (self.message, code, self.hint or '')

    def describe(self) -> str:
        return '%s%s' % (self, self.retry_note())

    def to_result(self) -> dict[str, Any]:
        result = super(TwilioApiError, self).to_result()
        result.update(status=self.status, code=self.code)
        if self.more_info:
            result['more_info'] = self.more_info
        return result


class TwilioConnectionError(TwilioError):
    """No usable HTTP answer: DNS, TLS, refused or reset connection, timeout.

    ``sent`` tells whether the request may have reached Twilio (an ambiguous
    failure for a create) or certainly did not (DNS, refused, connect timeout).
    ``retryable`` is False for failures that sending again cannot cure (a TLS
    certificate that does not verify, an invalid URL).
    """

    def __init__(self, message: str, method: str | None = None, path: str | None = None, sent: bool = True, retryable: bool = True) -> None:
        super(TwilioConnectionError, self).__init__(message, method, path)
        self.sent = sent
        self.retryable = retryable


def is_ambiguous(error: TwilioError) -> bool:
    """Whether a failed request may nevertheless have been carried out by Twilio: its outcome is unknown.

    Every 5xx (also Twilio's own JSON 500/503: a create answered so may still commit), a read timeout
    and a connection dropped after the request went out. A write with an unknown outcome is looked for
    before it is ever sent again (``_create.py``).
    """
    if isinstance(error, TwilioConnectionError):
        return error.sent
    return isinstance(error, TwilioApiError) and error.status >= 500


# ---- text hygiene ------------------------------------------------------------------------------


class Redactor(object):
    """Removes secrets, in every encoding an answer may echo them in, from text and nested data.

    ``secrets`` are the auth token or API secret (and a password found in a URL); ``users`` the
    account SID or API key they pair with. Besides the plain value this covers the Basic-auth
    header value (base64 of ``user:secret``, with and without padding), its URL-quoted and
    JSON-escaped forms, the URL-quoted secret, and the encodings a debugging proxy echoes the
    whole ``Authorization`` value in: hex (of ``user:secret`` and of ``Basic ...``, either case) and
    base64 of ``Basic ...``.
    """

    MASK = '********'

    def __init__(self, secrets: Iterable[str | None] = (), users: Iterable[str | None] = ()) -> None:
        variants: set[str] = set()
        for secret in secrets:
            if not secret or len(secret) < 4:
                continue
            variants.update([secret, quote(secret, safe='')])
            raw_secret = secret.encode('utf-8')
            variants.update([raw_secret.hex(), raw_secret.hex().upper()])
            for user in [u for u in users if u] + ['']:
                pair = ('%s:%s' % (user, secret)).encode('utf-8')
                basic = base64.b64encode(pair).decode('ascii')
                header = ('Basic %s' % basic).encode('ascii')
                wrapped = base64.b64encode(header).decode('ascii')
                variants.update([pair.hex(), pair.hex().upper(), header.hex(), header.hex().upper()])
                for form in (basic, basic.rstrip('='), wrapped, wrapped.rstrip('=')):
                    variants.update([form, quote(form, safe=''), form.replace('/', '\\/')])
        # Longest first, so that no shorter variant leaves a piece of a longer one behind.
        self.variants = sorted(variants, key=len, reverse=True)

    def text(self, value: str) -> str:
        for variant in self.variants:
            if variant in value:
                value = value.replace(variant, self.MASK)
        return mask_url_passwords(value)

    def data(self, value: Any) -> Any:
        """``value`` with every string in it (also dict keys) redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, bytes):
            for variant in self.variants:
                value = value.replace(variant.encode('utf-8'), self.MASK.encode('ascii'))
            return value
        if isinstance(value, dict):
            return dict((self.data(k), self.data(v)) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return type(value)(self.data(v) for v in value)
        return value


def mask_url_passwords(text: str) -> str:
    """``text`` with the password of every ``scheme://user:password@host`` URL in it masked (the user stays).

    Webhook URLs may carry credentials for the webhook's server; results, diffs, warnings and facts
    show ``https://user:********@host/...`` while the modules compare the real value.
    """
    if '@' not in text:
        return text
    return _URL_PASSWORD_RE.sub(lambda m: m.group(1) + Redactor.MASK + m.group(3), text)


def url_passwords(value: Any) -> set[str]:
    """The passwords of the ``scheme://user:password@host`` URLs in ``value`` (nested data), for no_log."""
    found: set[str] = set()
    if isinstance(value, str):
        found.update(m.group(2) for m in _URL_PASSWORD_RE.finditer(value))
    elif isinstance(value, dict):
        for item in value.values():
            found |= url_passwords(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            found |= url_passwords(item)
    return found


def one_line(text: object, limit: int = MAX_TEXT) -> str:
    """Server-provided text as one readable line of at most ``limit`` characters."""
    text = ' '.join(('%s' % text).split())
    if len(text) > limit:
        return '%s... (%d more characters)' % (text[:limit], len(text) - limit)
    return text


def describe_value(value: Any) -> str:
    """A short description of an unexpected JSON value, for messages."""
    if value is None:
        return 'null'
    if isinstance(value, bool):
        return 'the boolean %s' % ('true' if value else 'false')
    if isinstance(value, (int, float)):
        return 'the number %s' % value
    if isinstance(value, str):
        return 'the string %s' % one_line(repr(value), 60)
    if isinstance(value, list):
        return 'a list of %d item%s' % (len(value), '' if len(value) == 1 else 's')
    return 'an object with keys %s' % one_line(', '.join(sorted('%s' % k for k in value)) or '(none)', 80)


# ---- URLs --------------------------------------------------------------------------------------


def build_base_url(api_base_url: str | None = None, region: str | None = None, edge: str | None = None) -> str:
    """The base URL template (may contain ``{product}``) from the connection options."""
    for name, value in (('region', region), ('edge', edge)):
        if value and not re.fullmatch(r'[a-z0-9][a-z0-9-]*', value):
            raise TwilioConfigError('%s must be a Twilio %s name such as %s, got %r' % (name, name, 'ie1' if name == 'region' else 'dublin', value))
    if api_base_url:
        return check_base_url(api_base_url).rstrip('/')
    if not region and not edge:
        return DEFAULT_BASE_URL
    labels = ['{product}']
    if edge:
        labels.append(edge)
    labels.append(region or 'us1')
    return 'https://%s.twilio.com' % '.'.join(labels)


def check_base_url(url: str) -> str:
    """``url`` when it is a usable api_base_url; raises TwilioConfigError naming the rule (never the password)."""
    shown = _redact_url(url)
    if re.search(r'\s', url):
        raise TwilioConfigError('api_base_url must not contain white space, got %r' % shown)
    parts = urlsplit(url)
    if parts.scheme not in ('http', 'https') or not parts.netloc:
        raise TwilioConfigError('api_base_url must be an absolute http(s) URL such as https://{product}.twilio.com, got %r' % shown)
    if '@' in parts.netloc:
        raise TwilioConfigError(
            'api_base_url must not contain user:password@ (credentials go in account_sid and auth_token, or api_key and api_secret), got %r' % shown
        )
    if parts.query or parts.fragment or url.endswith(('?', '#')):
        raise TwilioConfigError('api_base_url must not contain a ?query or #fragment (it is the base that paths are appended to), got %r' % shown)
    return url


def base_url_warnings(base_url: str, validate_certs: bool) -> list[str]:
    """Warnings for connection settings that expose the credentials (they are still allowed)."""
    warnings = []
    parts = urlsplit(base_url)
    if parts.scheme == 'http' and not _is_loopback(parts.hostname or ''):
        warnings.append(
            'api_base_url %s uses plain http to a host that is not loopback: the Basic auth credentials '
            'travel in clear text' % _endpoint(base_url, path=False)
        )
    if not validate_certs and parts.scheme == 'https':
        warnings.append(
            'validate_certs=false: the TLS certificate of %s is not checked, so anything on the network '
            'path can pose as Twilio and read the credentials' % _endpoint(base_url, path=False)
        )
    return warnings


def _is_loopback(host: str) -> bool:
    if host == 'localhost' or host.endswith('.localhost'):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _redact_url(url: str) -> str:
    """Drop any user:password@ from a URL before it goes into a message."""
    parts = urlsplit(url)
    if '@' not in parts.netloc:
        return url
    return urlunsplit((parts.scheme, parts.netloc.rsplit('@', 1)[1], parts.path, parts.query, parts.fragment))


def _endpoint(url: str, path: bool = True) -> str:
    """``scheme://host[:port][/path]`` of a request URL for a message (no query, no user:password)."""
    parts = urlsplit(_redact_url(url))
    return urlunsplit((parts.scheme, parts.netloc, parts.path if path else '', '', ''))


def host_port(url: str) -> str:
    """``host:port`` of a URL (the scheme's default port when none is given), for connection errors."""
    parts = urlsplit(_redact_url(url))
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or (443 if parts.scheme == 'https' else 80)
    host = parts.hostname or '?'
    return '%s:%d' % ('[%s]' % host if ':' in host else host, port)


def expected_sid_prefix(product: str, path: str) -> str | None:
    """The SID prefix of the records a path's answer carries: its last collection's (a path ending in an id names
    one record of the collection before it). None for singletons and collections the table does not know (shape is
    still checked).
    """
    segments = path.strip('/').split('/')
    return COLLECTION_SIDS.get(product, {}).get(segments[-1] if len(segments) % 2 else segments[-2])


def check_path(product: str, path: str) -> None:
    """Refuse a path that is not a plain sequence of safe segments, or carries a SID of the wrong kind.

    SIDs and names taken from answers end up in paths; this is the last guard before a URL is built.
    """
    segments = path.strip('/').split('/')
    table = COLLECTION_SIDS.get(product, {})
    for index, segment in enumerate(segments):
        if not _SEGMENT_RE.fullmatch(segment):
            raise TwilioError('refusing to send a request to an unsafe path segment %s' % one_line(repr(segment), 80))
        if index % 2 and _ANY_SID_RE.fullmatch(segment):
            prefix = table.get(segments[index - 1])
            if prefix and segment[:2] != prefix:
                raise TwilioError('refusing to send a request for %s under %s: not a %s SID' % (segment, segments[index - 1], prefix))


# ---- form and headers --------------------------------------------------------------------------


def encode_form(fields: FormData) -> list[tuple[str, str]]:
    """Form body as a list of pairs: booleans as true/false, lists as repeated keys.

    ``fields`` is a list of (name, value) pairs or a dict. An empty list becomes
    ``Name=`` (requests would drop the key entirely, so the list could never be emptied).
    """
    pairs = []
    for name, value in (fields.items() if isinstance(fields, dict) else fields):
        if value is None:
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        if not values:
            pairs.append((name, ''))
        for item in values:
            if isinstance(item, bool):
                item = 'true' if item else 'false'
            pairs.append((name, '%s' % item))
    return pairs


def parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = None
    if seconds is not None:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


def backoff_delay(attempt: int, base: float = BACKOFF_BASE, cap: float = BACKOFF_CAP) -> float:
    """Exponential backoff with 'equal jitter': half fixed, half random, capped."""
    ceiling: float = min(cap, base * (2**attempt))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


# ---- error answers -----------------------------------------------------------------------------


def _html_title(text: str | None) -> str | None:
    match = re.search(r'<title[^>]*>(.*?)</title>', text or '', re.IGNORECASE | re.DOTALL)
    return one_line(match.group(1), 120) if match else None


def decode_error(response: requests.Response, method: str, path: str, url: str | None = None, content: bytes | None = None) -> TwilioApiError:
    """One TwilioApiError from any error response: Twilio JSON, RFC 9457 JSON, HTML, text, empty.

    ``content`` is the (already size-capped and redacted) body; ``response.content`` when None.
    A 404 that is not Twilio's "resource not found" (code 20404) gets a hint naming the URL:
    it comes from something that is not the Twilio API, typically at a wrong api_base_url.
    """
    error = _decode_error(response, method, path, response.content if content is None else content)
    if error.status == 404 and not error.not_found:
        error.hint = ' from %s, not a Twilio API answer: check api_base_url' % (_endpoint(url) if url else 'the server')
    return error


def _decode_error(response: requests.Response, method: str, path: str, content: bytes | None) -> TwilioApiError:
    status = response.status_code
    retry_after = parse_retry_after(response.headers.get('Retry-After'))
    reason = one_line(response.reason or 'HTTP error', 80)
    text = content.decode('utf-8', 'replace') if content else ''
    try:
        body = json.loads(text) if text else None
    except ValueError:
        body = None
    if isinstance(body, dict):
        message = body.get('message') or body.get('title') or reason
        detail = body.get('detail')
        if detail and detail != message and isinstance(detail, str):
            message = '%s: %s' % (message, detail)
        code = body.get('code')
        if code is not None and not isinstance(code, (int, str)):
            code = None
        more_info = body.get('more_info')
        return TwilioApiError(
            status,
            one_line(message),
            code=one_line(code, 20) if isinstance(code, str) else code,
            more_info=one_line(more_info, 200) if more_info else None,
            method=method,
            path=path,
            retry_after=retry_after,
        )
    ctype = one_line((response.headers.get('Content-Type') or 'no content type').split(';')[0].strip(), 60)
    title = _html_title(text) if 'html' in ctype else None
    message = 'HTTP %s %s (non-JSON %s response%s)' % (status, reason, ctype, ': %s' % title if title else '')
    return TwilioApiError(status, message, method=method, path=path, retry_after=retry_after)


def redirect_error(response: requests.Response, method: str, path: str, url: str) -> TwilioApiError:
    """The error for a 3xx: redirects are never followed (the credentials and the method would go along)."""
    location = response.headers.get('Location') or ''
    target = urlsplit(location)
    where = host_port(location) if target.netloc else 'the same host %s' % host_port(url)
    return TwilioApiError(
        response.status_code,
        'HTTP %s redirect to %s refused: chatops.twilio never follows redirects, check api_base_url' % (response.status_code, where),
        method=method,
        path=path,
    )


def describe_tls_error(text: str, url: str | None = None) -> tuple[str, bool]:
    """(one-line message, retryable) for the text of a requests SSLError."""
    endpoint = _endpoint(url, path=False) if url else 'the API endpoint'
    # "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)",
    # possibly inside "HTTPSConnectionPool(...): ... (Caused by SSLError(SSLCertVerificationError(1, '...')))".
    match = re.search(r'\[SSL(?::\s*([A-Z0-9_]+))?\]\s*(.*?)\s*(?:\(_ssl\.c:\d+\)|[\'"]\)|$)', text, re.MULTILINE)
    name = match.group(1) if match else None
    reason = ' '.join(match.group(2).split()).rstrip('.') if match else ''
    verify = name == 'CERTIFICATE_VERIFY_FAILED' or 'certificate verify failed' in text or 'SSLCertVerificationError' in text
    if verify:
        reason = re.sub(r'^certificate verify failed:?\s*', '', reason)
        return (
            'TLS certificate verification failed for %s%s; set validate_certs=false only for a trusted test '
            'endpoint' % (endpoint, ': %s' % reason if reason else ''),
            False,
        )
    if match:
        message = 'TLS error: [SSL%s] %s from %s' % (': %s' % name if name else '', reason, endpoint)
        if name == 'WRONG_VERSION_NUMBER':
            message += ' (is it plain HTTP? check api_base_url)'
    else:
        message = 'TLS error from %s: %s' % (endpoint, one_line(text, 200))
    return message, name not in _PERMANENT_TLS


def describe_connection_error(exc: BaseException, timeout: float, url: str | None = None) -> tuple[str, bool, bool]:
    """(one-line message, may-have-been-sent, retryable) for a requests exception."""
    text = '%s' % exc
    target = host_port(url) if url else 'the API endpoint'
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return 'connection to %s timed out after %ss' % (target, timeout), False, True
    if isinstance(exc, requests.exceptions.Timeout):
        return 'no response from %s within %ss (read timeout)' % (target, timeout), True, True
    if isinstance(exc, requests.exceptions.SSLError):
        message, retryable = describe_tls_error(text, url)
        return message, False, retryable
    if isinstance(exc, (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema)):
        return 'invalid URL: %s' % one_line(_redact_url(text), 200), False, False
    if re.search(
        r'NameResolutionError|Name or service not known|nodename nor servname|getaddrinfo failed|'
        r'Temporary failure in name resolution|No address associated',
        text,
    ):
        # Not retried: a name that does not resolve now (a typo in api_base_url, region or edge) will not seconds later.
        return 'could not resolve host %s (DNS failure: check api_base_url, region and edge)' % target.rsplit(':', 1)[0], False, False
    if re.search(r'Connection refused|NewConnectionError|Failed to establish', text):
        return 'connection refused by %s' % target, False, True
    if re.search(r'reset by peer|RemoteDisconnected|Connection aborted|IncompleteRead|BrokenPipe|ChunkedEncodingError|ProtocolError', text) or isinstance(
        exc, requests.exceptions.ChunkedEncodingError
    ):
        return 'connection to %s dropped before a complete response' % target, True, True
    return 'connection to %s failed: %s' % (target, one_line((text.splitlines() or [''])[0], 200)), True, True


class _BodyTooLarge(Exception):
    pass


class _NotSeenYet(TwilioError):
    """A second look that found nothing yet (internal to the retry loop)."""


class TwilioClient(object):
    """HTTP client for Twilio's REST APIs.

    :param username: Account SID, or API key SID (``SK...``) when using an API key.
    :param password: Auth token, or API key secret.
    :param account_sid: the account (informational for product APIs whose URLs carry none).
    :param base_url: URL template; ``{product}`` is replaced by the request's product.
    :param timeout: seconds one request may take in total (connect, send, the whole answer).
    :param retries: how many times one request may be re-sent (0 = never).
    :param retry_timeout: seconds after a request's first attempt past which it is not retried; each
        request with its retries ends within ``retry_timeout`` + ``timeout``. The budget is per request
        (per look, for a loop that looks again), so a run of many healthy requests is never cut short.
    :param warn: callable receiving one message per retry (``module.warn``).
    :param redactor: a :class:`Redactor` (default: one for ``password``).
    """

    def __init__(
        self,
        username: str,
        password: str,
        account_sid: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        validate_certs: bool = True,
        timeout: float = 30,
        retries: int = 4,
        retry_timeout: float = 60,
        warn: Callable[[str], object] | None = None,
        user_agent_extra: str | None = None,
        session: requests.Session | None = None,
        redactor: Redactor | None = None,
        create_settle: float = CREATE_SETTLE,
    ) -> None:
        if not HAS_REQUESTS:
            raise TwilioConfigError('the requests Python library is required')
        self.account_sid = account_sid
        self.base_url = base_url.rstrip('/')
        self.validate_certs = validate_certs
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.retry_timeout = retry_timeout
        self.create_settle = create_settle
        self.retries_used = 0
        # Twilio's clock: (its Date header, time.monotonic() when it arrived) of the latest answer that had one.
        self.server_date: tuple[float, float] | None = None
        self.redactor = redactor or Redactor([password], [username])
        self._warn_sink = warn or (lambda msg: None)
        self.session = session if session is not None else requests.Session()
        self.session.auth = (username, password)
        self.session.headers.update(
            {
                'User-Agent': self.user_agent(user_agent_extra),
                'Accept': 'application/json',
                'Accept-Charset': 'utf-8',
            }
        )

    @staticmethod
    def user_agent(extra: str | None = None) -> str:
        ua = '%s/%s (Ansible module; python/%d.%d.%d; requests/%s)' % (
            COLLECTION_NAME,
            COLLECTION_VERSION,
            sys.version_info[0],
            sys.version_info[1],
            sys.version_info[2],
            getattr(requests, '__version__', '?'),
        )
        return '%s %s' % (ua, extra) if extra else ua

    def twilio_now(self) -> float | None:
        """Twilio's current time (UNIX seconds) by the ``Date`` of its latest answer, or None before any.

        ``Date`` has a resolution of one second and is truncated, so this runs up to a second behind:
        an age judged by it is never too large (a record is never taken for older than it is).
        """
        if self.server_date is None:
            return None
        date, at = self.server_date
        return date + (time.monotonic() - at)

    def _warn(self, message: str) -> None:
        self._warn_sink(self.redactor.text(message))

    # ---- URLs -------------------------------------------------------------------------------

    def product_url(self, product: str) -> str:
        return self.base_url.replace('{product}', product)

    def url(self, product: str, version: str, path: str) -> str:
        """The request URL; refuses a base URL that would misroute this product, and unsafe paths."""
        if '{product}' not in self.base_url and (product, version) in SHARED_PATHS:
            raise TwilioConfigError(
                'api_base_url %s has no {product} placeholder, so it cannot tell %s %s from the other products that '
                'serve the same paths (Chat v1, Conversations v1 and Serverless v1 all have /v1/Services); write it '
                'as http(s)://host[:port]/{product} or https://{product}.example.com' % (_endpoint(self.base_url), product.capitalize(), version)
            )
        check_path(product, path)
        return '%s/%s/%s' % (self.product_url(product), version, path.lstrip('/'))

    # ---- one request, with retries ------------------------------------------------------------

    def request(
        self, method: str, product: str, version: str, path: str, data: FormData | None = None, params: Query | None = None, kind: str | None = None
    ) -> tuple[int, Any]:
        """Send one request; returns ``(status, body or None)``, raises TwilioError.

        ``kind`` selects the retry rule: ``read``/``update``/``delete`` retry 429, 5xx and
        connection errors; ``create`` retries only 429 and certainly-unsent failures
        (use ``_create.create_unique`` for a duplicate-safe create). The body is returned as
        decoded; the verbs below check its shape.
        """
        kind = kind or {'GET': 'read', 'DELETE': 'delete'}.get(method, 'create')
        shown = '/%s/%s' % (version, path.lstrip('/'))
        url = self.url(product, version, path)
        return self._send(method, url, shown, data, params, kind)

    def upload(self, product: str, version: str, path: str, data: FormData, files: Files) -> Record:
        """POST a multipart/form-data body (``data`` as text parts, ``files`` as file parts); the record answered.

        Through the one retry loop with the rule of an update: an upload re-sent after an unknown outcome
        at worst leaves an unused version behind (versions are additive, and no build holds it), never a
        second live resource. ``files`` holds bytes, not open files, so a retry sends the same body again.
        """
        shown = '/%s/%s' % (version, path.lstrip('/'))
        url = self.url(product, version, path)
        body = self._send('POST', url, shown, data, None, 'update', files=files)[1]
        return self.check_record(product, version, path, body, 'POST')

    def _retrying(
        self,
        attempt: Callable[[int], tuple[T | None, TwilioError | None, float | None]],
        warning: Callable[[TwilioError, int, int, float], str],
        budget: int | None = None,
    ) -> T:
        """The client's one retry loop: every re-send and every second look goes through it.

        ``attempt(n)`` (n = 0, 1, ...) returns ``(value, None, None)`` when done, or ``(None, error,
        delay)`` to wait ``delay`` seconds and try again (``delay`` None: ``error`` is final). The
        loop gives up with ``error`` after ``budget`` (default ``retries``) retries, or when the wait
        would end more than ``retry_timeout`` after the loop's start (each loop has its own budget);
        ``error`` then says how many retries it took and how long (counting retries of nested requests
        too), and that ``retry_timeout`` ended it. ``warning(error, n, budget, delay)`` is the text
        warned before retry ``n``.
        """
        start = time.monotonic()
        retry_until = start + self.retry_timeout
        used = self.retries_used
        budget = self.retries if budget is None else budget
        attempt_number = 0
        while True:
            value, error, delay = attempt(attempt_number)
            if error is None:
                return cast('T', value)
            if delay is not None and attempt_number < budget and time.monotonic() + delay > retry_until:
                error.timed_out = self.retry_timeout
            if delay is None or attempt_number >= budget or time.monotonic() + delay > retry_until:
                raise error.gave_up(self.retries_used - used, time.monotonic() - start)
            attempt_number += 1
            self.retries_used += 1
            self._warn(warning(error, attempt_number, budget, delay))
            time.sleep(delay)

    def poll(
        self,
        look: Callable[[], T | None],
        warning: Callable[[int, int, float], str],
        budget: int | None = None,
        delay: Callable[[int], float] = backoff_delay,
        first: float = 0,
    ) -> T | None:
        """Look again (``look()``, None: not there yet) on the one retry loop until found; None when it never is.

        Every "wait, then look again" of the collection goes through here: a create's outcome after an
        unknown answer, a new record a listing does not show yet, namesakes resolving. ``budget`` looks
        again at most (default ``retries``), ``delay(n)`` seconds before look ``n`` (default backoff), all
        within ``retry_timeout``; ``warning(n, budget, delay)`` is warned before each. ``first`` seconds
        pass before the first look (for a caller that has just looked itself).
        """
        if first:
            time.sleep(first)

        def attempt(number: int) -> tuple[T | None, TwilioError | None, float | None]:
            found = look()
            if found is None:
                return None, _NotSeenYet('not found yet'), delay(number)
            return found, None, None

        try:
            return self._retrying(attempt, lambda dummy, number, most, wait: warning(number, most, wait), budget=budget)
        except _NotSeenYet:
            return None

    def _send(self, method: str, url: str, shown: str, data: FormData | None, params: Query | None, kind: str, files: Files | None = None) -> tuple[int, Any]:
        earlier: list[TwilioError] = []  # the first ambiguous failure (it may have been carried out), for delete()
        # This request's own budget: its retries stop after retry_timeout, its last attempt ends within timeout.
        deadline = time.monotonic() + self.retry_timeout + self.timeout

        def attempt(number: int) -> tuple[tuple[int, Any] | None, TwilioError | None, float | None]:
            outcome = self._attempt(method, url, shown, data, params, deadline, files)
            if not isinstance(outcome, TwilioError):
                return outcome, None, None
            outcome.earlier = earlier[0] if earlier else None
            if not earlier and is_ambiguous(outcome):
                earlier.append(outcome)
            return None, outcome, self._retry_delay(outcome, kind, number)

        return self._retrying(
            attempt, lambda error, number, budget, delay: 'Twilio API %s %s: %s; retry %d of %d in %.1fs' % (method, shown, error, number, budget, delay)
        )

    def _attempt(
        self, method: str, url: str, shown: str, data: FormData | None, params: Query | None, deadline: float, files: Files | None = None
    ) -> tuple[int, Any] | TwilioError:
        """(status, body) on success, or the TwilioError to raise or retry; ``deadline`` ends the request's budget."""
        limit = min(self.timeout, deadline - time.monotonic())
        if limit <= 0:
            return TwilioConnectionError(
                'no attempt left for %s %s: its budget (retry_timeout %ss + timeout %ss) is spent' % (method, shown, self.retry_timeout, self.timeout),
                method=method,
                path=shown,
                sent=False,
                retryable=False,
            )
        outcome = self._exchange_within(limit, method, url, data, params, files)
        if isinstance(outcome, requests.exceptions.RequestException):
            message, sent, retryable = describe_connection_error(outcome, self.timeout, url)
            return TwilioConnectionError(self.redactor.text(message), method=method, path=shown, sent=sent, retryable=retryable)
        if isinstance(outcome, TwilioError):
            outcome.method, outcome.path = method, shown
            return outcome
        response, content = outcome
        self._note_date(response)
        content = self.redactor.data(content)
        status = response.status_code
        if 300 <= status < 400:
            return redirect_error(response, method, shown, url)
        if status >= 400:
            return decode_error(response, method, shown, url, content)
        if status == 204 or not content:
            return status, None
        try:
            return status, json.loads(content.decode('utf-8'))
        except (ValueError, UnicodeDecodeError):
            ctype = one_line((response.headers.get('Content-Type') or 'no content type').split(';')[0], 60)
            return TwilioAnswerError('HTTP %s with a non-JSON %s body (is api_base_url right?)' % (status, ctype), method=method, path=shown)

    def _note_date(self, response: requests.Response) -> None:
        """Keep Twilio's clock from the answer's ``Date`` header (see :meth:`twilio_now`)."""
        try:
            date = email.utils.parsedate_to_datetime(response.headers.get('Date') or '')
        except (TypeError, ValueError, IndexError):
            return
        if date is not None and date.tzinfo is not None:
            self.server_date = (date.timestamp(), time.monotonic())

    def _exchange_within(
        self, limit: float, method: str, url: str, data: FormData | None, params: Query | None, files: Files | None = None
    ) -> tuple[requests.Response, bytes] | requests.RequestException | TwilioError:
        """``(response, content)`` or the exception, with the whole exchange bounded by ``limit`` seconds.

        requests' timeout bounds each socket operation, not the exchange: a server sending a byte
        every few seconds would hold it forever. The exchange runs in a worker thread; when the
        limit passes it is abandoned (a daemon thread, ended with the module's process).
        """
        outcome: list[tuple[requests.Response, bytes] | requests.RequestException | TwilioError] = []

        def work() -> None:
            try:
                outcome.append(self._exchange(limit, method, url, data, params, files))
            except (requests.exceptions.RequestException, TwilioError) as exc:
                outcome.append(exc)
            except Exception as exc:  # pylint: disable=broad-except
                outcome.append(requests.exceptions.ConnectionError('%s: %s' % (type(exc).__name__, exc)))

        worker = threading.Thread(target=work, name='twilio-request')
        worker.daemon = True
        worker.start()
        worker.join(limit)
        if worker.is_alive() or not outcome:
            budget = (
                '' if limit >= self.timeout else '; the budget of this request (retry_timeout %ss + timeout %ss) ran out' % (self.retry_timeout, self.timeout)
            )
            return TwilioConnectionError('no complete response from %s within %.1f s%s' % (host_port(url), limit, budget), sent=True, retryable=True)
        return outcome[0]

    def _exchange(
        self, limit: float, method: str, url: str, data: FormData | None, params: Query | None, files: Files | None = None
    ) -> tuple[requests.Response, bytes] | TwilioError:
        extra: dict[str, Any] = {'files': files} if files else {}
        response = self.session.request(
            method,
            url,
            data=encode_form(data) if data is not None else None,
            params=params,
            **extra,
            timeout=limit,
            verify=self.validate_certs,
            allow_redirects=False,
            stream=True,
        )
        try:
            length = response.headers.get('Content-Length') or ''
            if length.isdigit() and int(length) > MAX_BODY_BYTES:
                raise _BodyTooLarge(int(length))
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_content(65536):
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise _BodyTooLarge(size)
                chunks.append(chunk)
        except _BodyTooLarge as exc:
            return TwilioAnswerError(
                'HTTP %s answer larger than %d MiB (%s bytes%s) refused: no answer of these APIs '
                'is that large' % (response.status_code, MAX_BODY_BYTES // (1024 * 1024), exc.args[0], ' or more' if not length.isdigit() else '')
            )
        finally:
            response.close()
        return response, b''.join(chunks)

    @staticmethod
    def _retry_delay(error: TwilioError, kind: str, attempt: int) -> float | None:
        """Seconds to wait before re-sending, or None when this error must not be retried."""
        if isinstance(error, TwilioApiError):
            if error.status == 429:
                retryable = True  # Twilio never processed it
            else:
                retryable = error.status >= 500 and kind in _KIND_IDEMPOTENT
        elif isinstance(error, TwilioConnectionError):
            retryable = error.retryable and (kind in _KIND_IDEMPOTENT or not error.sent)
        else:
            retryable = False
        if not retryable:
            return None
        retry_after = getattr(error, 'retry_after', None)
        return retry_after if retry_after is not None else backoff_delay(attempt)

    # ---- answers ------------------------------------------------------------------------------

    @staticmethod
    def check_record(product: str, version: str, path: str, record: Any, method: str = 'GET', single: bool = True) -> Record:
        """``record`` when it is an object carrying a SID of the kind ``path`` implies; else TwilioAnswerError."""
        prefix = expected_sid_prefix(product, path)
        shown = '/%s/%s' % (version, path.lstrip('/'))
        if not isinstance(record, dict):
            raise TwilioAnswerError(
                'malformed answer: expected %s, got %s (is api_base_url right?)' % ('an object' if single else 'a list of objects', describe_value(record)),
                method=method,
                path=shown,
            )
        if prefix is None:
            return record
        sid = record.get('sid')
        if not isinstance(sid, str) or not re.fullmatch(r'%s[0-9a-fA-F]{32}' % prefix, sid):
            raise TwilioAnswerError(
                'malformed answer: expected a record with a %s SID (%s and 32 hex digits), got sid '
                '%s (is api_base_url right, and for this product?)' % (prefix, prefix, describe_value(sid)),
                method=method,
                path=shown,
            )
        return record

    # ---- convenience verbs -------------------------------------------------------------------

    def get(self, product: str, version: str, path: str, params: Query | None = None) -> Any:
        return self.request('GET', product, version, path, params=params)[1]

    def fetch(self, product: str, version: str, path: str) -> Record | None:
        """GET one resource; None when Twilio says it does not exist (404 with code 20404).

        Any other 404 (an HTML page, a proxy's answer) raises: it says nothing about the resource.
        A success whose answer is not a record of the expected kind raises TwilioAnswerError.
        """
        try:
            body = self.get(product, version, path)
        except TwilioApiError as exc:
            if exc.not_found:
                return None
            raise
        return self.check_record(product, version, path, body, 'GET')

    def update(self, product: str, version: str, path: str, data: FormData) -> Record:
        body = self.request('POST', product, version, path, data=data, kind='update')[1]
        return self.check_record(product, version, path, body, 'POST')

    def delete(self, product: str, version: str, path: str) -> bool:
        """DELETE; True when this call deleted the resource, False when it was already gone.

        Gone means Twilio's 404 with code 20404 (any other 404 raises). When an earlier attempt
        failed ambiguously (dropped connection, read timeout, 5xx: it may have been carried out)
        and the retry finds the resource gone, that earlier attempt deleted it: True.
        """
        try:
            self.request('DELETE', product, version, path)
        except TwilioApiError as exc:
            if not exc.not_found:
                raise
            if exc.earlier is None:
                return False
            self._warn('Twilio API DELETE %s: %s; the retry found it gone, so that DELETE went through' % (exc.path, exc.earlier))
            return True
        return True

    def list(self, product: str, version: str, path: str, key: str | None = None, page_size: int = PAGE_SIZE, params: Query | None = None) -> Records:
        """Every record of a list endpoint, following ``meta.next_page_url``.

        The next page is requested on the configured base URL with the paging query of
        ``next_page_url`` (PageSize, Page, PageToken only), so credentials only ever go to the
        configured host, also behind a proxy or an emulator. Each page is checked for shape:
        an empty, null or wrong-shaped page is an error, never "no records".
        """
        page_size = min(page_size, PAGE_SIZE_MAXIMA.get((product, version, path.rstrip('/').rsplit('/', 1)[-1]), page_size))
        query = dict(params or {}, PageSize=page_size)
        shown = '/%s/%s' % (version, path.lstrip('/'))
        records: Records = []
        seen: set[tuple[tuple[str, str], ...]] = set()
        # One listing is one operation: all its pages together end within retry_timeout + timeout (endless paging).
        deadline = time.monotonic() + self.retry_timeout + self.timeout
        for page in range(MAX_PAGES):
            if page and time.monotonic() > deadline:
                raise TwilioAnswerError(
                    'the listing did not end within its time budget (retry_timeout %ss + timeout %ss): %d pages, %d records read'
                    % (self.retry_timeout, self.timeout, page, len(records)),
                    method='GET',
                    path=shown,
                )
            try:
                body = self.get(product, version, path, params=query)
            except TwilioError as exc:
                if page:
                    exc.message = '%s, at page %d of the listing' % (exc.message, page + 1)
                raise
            items, next_url = self._page(product, version, path, key, body, shown)
            records.extend(items)
            if not next_url:
                return records
            paging = [(k, v) for k, v in parse_qsl(urlsplit(next_url).query, keep_blank_values=True) if k in PAGING_PARAMS]
            query = dict(params or {}, **dict(paging))
            marker = tuple(sorted(paging))
            if marker in seen or not paging:
                raise TwilioAnswerError(
                    'paging loop: next_page_url %s' % ('repeats %s' % one_line(urlsplit(next_url).query, 120) if paging else 'has no paging parameters'),
                    method='GET',
                    path=shown,
                )
            seen.add(marker)
        raise TwilioAnswerError('more than %d pages (%d records); refusing to read on' % (MAX_PAGES, len(records)), method='GET', path=shown)

    def _page(self, product: str, version: str, path: str, key: str | None, body: Any, shown: str) -> tuple[Records, str | None]:
        """(records, next_page_url) of one list page; TwilioAnswerError when it is not a list page."""

        def malformed(what: str) -> TwilioAnswerError:
            return TwilioAnswerError('malformed list page: %s (is api_base_url right?)' % what, method='GET', path=shown)

        if not isinstance(body, dict):
            raise malformed('expected an object, got %s' % describe_value(body))
        meta = body.get('meta')
        if not isinstance(meta, dict):
            raise malformed('no "meta" object, got %s' % describe_value(meta))
        key = key or meta.get('key')
        if not isinstance(key, str) or not isinstance(body.get(key), list):
            raise malformed('expected a list under %s, got %s' % (one_line(repr(key), 40), describe_value(body.get(key) if isinstance(key, str) else key)))
        next_url = meta.get('next_page_url')
        if next_url is not None and not isinstance(next_url, str):
            raise malformed('next_page_url must be a URL or null, got %s' % describe_value(next_url))
        items = [self.check_record(product, version, path, record, single=False) for record in body[key]]
        return items, next_url
