# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""The errors the client raises, and the diagnosis of a failed exchange.

``TwilioError`` and its kinds (configuration, API answer, connection, malformed answer, create of
unknown outcome); what an error answer says (Twilio's JSON, RFC 9457 JSON, an HTML page, a
redirect), what a ``requests`` exception means (DNS, refused, TLS, timeout, dropped) and whether
the request may have reached Twilio. Every text taken from a server is cut to one line here.
``_client.py`` sends the requests and re-exports these names.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import email.utils
import json
import math
import re
import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:  # annotations only
    from typing import Any

try:
    import requests
except ImportError:  # pragma: no cover - _client.py reports the missing library
    pass

# Server-provided text (error messages, titles) kept in one message.
MAX_TEXT = 300


# Twilio's error code for "The requested resource ... was not found". Only a 404 carrying it
# means the resource is absent; any other 404 (an HTML page of a web server, a proxy) means the
# request did not reach the Twilio API, for example because api_base_url is wrong.
NOT_FOUND_CODE = 20404


# TLS failures that the same request can never get past by trying again.
_PERMANENT_TLS = ('CERTIFICATE_VERIFY_FAILED', 'WRONG_VERSION_NUMBER', 'UNSUPPORTED_PROTOCOL', 'TLSV1_ALERT_PROTOCOL_VERSION', 'TLSV1_UNRECOGNIZED_NAME')


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
