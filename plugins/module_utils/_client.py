# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""The one HTTP client every chatops.twilio module talks to Twilio through.

Generic over products: a request names ``product`` (``chat``, ``serverless``...),
``version`` (``v1``, ``v2``) and a version-relative ``path`` (``/Services/IS...``).
Retries, backoff, paging and error decoding live here and nowhere else.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import email.utils
import json
import random
import re
import sys
import time
import traceback

from urllib.parse import parse_qsl, urlsplit, urlunsplit

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
MAX_PAGES = 10000

BACKOFF_BASE = 0.5
BACKOFF_CAP = 10.0

# Methods whose effect does not depend on how many times they are sent.
# POST is only idempotent for updates, which callers say explicitly (kind='update').
_KIND_IDEMPOTENT = ('read', 'update', 'delete')

# Twilio's error code for "The requested resource ... was not found". Only a 404 carrying it
# means the resource is absent; any other 404 (an HTML page of a web server, a proxy) means the
# request did not reach the Twilio API, for example because api_base_url is wrong.
NOT_FOUND_CODE = 20404

# TLS failures that the same request can never get past by trying again.
_PERMANENT_TLS = ('CERTIFICATE_VERIFY_FAILED', 'WRONG_VERSION_NUMBER', 'UNSUPPORTED_PROTOCOL',
                  'TLSV1_ALERT_PROTOCOL_VERSION', 'TLSV1_UNRECOGNIZED_NAME')


class TwilioError(Exception):
    """Base of every error the client raises; ``str()`` is one clear line."""

    def __init__(self, message, method=None, path=None):
        super(TwilioError, self).__init__(message)
        self.message = message
        self.method = method
        self.path = path
        # Set when the request is given up after retries: how many, and the seconds spent.
        self.retries = None
        self.elapsed = None
        # The ambiguous failure (may have been applied) of an earlier attempt of the same request.
        self.earlier = None

    def gave_up(self, retries, elapsed):
        """Record that this error ends a request that was retried ``retries`` times; returns self."""
        if retries:
            self.retries, self.elapsed = retries, elapsed
        return self

    def retry_note(self):
        """`` after N retries in X s`` when the request was retried before this error, else ''."""
        if not self.retries:
            return ''
        return ' after %d %s in %.1f s' % (self.retries, 'retry' if self.retries == 1 else 'retries', self.elapsed)

    def describe(self):
        """The one-line text of a failure message (what failed, where, after how many retries)."""
        where = ' (%s %s)' % (self.method, self.path) if self.method and self.path else ''
        return '%s%s%s' % (self.message, where, self.retry_note())

    def to_result(self):
        """Extra keys for ``fail_json`` (never secrets, never request bodies)."""
        return {k: v for k, v in (('method', self.method), ('path', self.path)) if v is not None}


class TwilioConfigError(TwilioError):
    """Bad connection settings, detected before any request is sent."""


class TwilioApiError(TwilioError):
    """Twilio (or something in front of it) answered with an error status."""

    def __init__(self, status, message, code=None, more_info=None, method=None, path=None, retry_after=None,
                 hint=None):
        super(TwilioApiError, self).__init__(message, method, path)
        self.status = status
        self.code = code
        self.more_info = more_info
        self.retry_after = retry_after
        self.hint = hint

    @property
    def not_found(self):
        """Whether this is Twilio's own "resource not found" (404 with code 20404), i.e. absence."""
        return self.status == 404 and '%s' % self.code == '%s' % NOT_FOUND_CODE

    def __str__(self):
        if self.code is not None:
            code = ' (code %s)' % self.code
        elif self.message.startswith('HTTP %s' % self.status):
            code = ''
        else:
            code = ' (HTTP %s)' % self.status
        return '%s%s%s' % (self.message, code, self.hint or '')

    def describe(self):
        return '%s%s' % (self, self.retry_note())

    def to_result(self):
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

    def __init__(self, message, method=None, path=None, sent=True, retryable=True):
        super(TwilioConnectionError, self).__init__(message, method, path)
        self.sent = sent
        self.retryable = retryable


def is_ambiguous(error):
    """Whether a failed request may nevertheless have been carried out by Twilio."""
    if isinstance(error, TwilioConnectionError):
        return error.sent
    return isinstance(error, TwilioApiError) and error.status >= 500


def build_base_url(api_base_url=None, region=None, edge=None):
    """The base URL template (may contain ``{product}``) from the connection options."""
    if api_base_url:
        parts = urlsplit(api_base_url)
        if parts.scheme not in ('http', 'https') or not parts.netloc:
            raise TwilioConfigError('api_base_url must be an absolute http(s) URL such as '
                                    'https://{product}.twilio.com, got %r' % _redact_url(api_base_url))
        return api_base_url.rstrip('/')
    for name, value in (('region', region), ('edge', edge)):
        if value and not re.match(r'^[a-z0-9][a-z0-9-]*$', value):
            raise TwilioConfigError('%s must be a Twilio %s name such as %s, got %r'
                                    % (name, name, 'ie1' if name == 'region' else 'dublin', value))
    if not region and not edge:
        return DEFAULT_BASE_URL
    labels = ['{product}']
    if edge:
        labels.append(edge)
    labels.append(region or 'us1')
    return 'https://%s.twilio.com' % '.'.join(labels)


def _redact_url(url):
    """Drop any user:password@ from a URL before it goes into a message."""
    parts = urlsplit(url)
    if '@' not in parts.netloc:
        return url
    return urlunsplit((parts.scheme, parts.netloc.rsplit('@', 1)[1], parts.path, parts.query, parts.fragment))


def encode_form(fields):
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


def parse_retry_after(value):
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def backoff_delay(attempt, base=BACKOFF_BASE, cap=BACKOFF_CAP):
    """Exponential backoff with 'equal jitter': half fixed, half random, capped."""
    ceiling = min(cap, base * (2 ** attempt))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def _endpoint(url, path=True):
    """``scheme://host[:port][/path]`` of a request URL for a message (no query, no user:password)."""
    parts = urlsplit(_redact_url(url))
    return urlunsplit((parts.scheme, parts.netloc, parts.path if path else '', '', ''))


def _html_title(text):
    match = re.search(r'<title[^>]*>(.*?)</title>', text or '', re.IGNORECASE | re.DOTALL)
    return ' '.join(match.group(1).split())[:120] if match else None


def decode_error(response, method, path, url=None):
    """One TwilioApiError from any error response: Twilio JSON, RFC 9457 JSON, HTML, text, empty.

    A 404 that is not Twilio's "resource not found" (code 20404) gets a hint naming the URL:
    it comes from something that is not the Twilio API, typically at a wrong api_base_url.
    """
    error = _decode_error(response, method, path)
    if error.status == 404 and not error.not_found:
        error.hint = ' from %s, not a Twilio API answer: check api_base_url' % (_endpoint(url) if url else 'the server')
    return error


def _decode_error(response, method, path):
    status = response.status_code
    retry_after = parse_retry_after(response.headers.get('Retry-After'))
    reason = response.reason or 'HTTP error'
    body = None
    try:
        body = json.loads(response.content.decode('utf-8')) if response.content else None
    except (ValueError, UnicodeDecodeError):
        body = None
    if isinstance(body, dict):
        message = body.get('message') or body.get('title') or reason
        detail = body.get('detail')
        if detail and detail != message and isinstance(detail, str):
            message = '%s: %s' % (message, detail)
        code = body.get('code')
        return TwilioApiError(status, message, code=code, more_info=body.get('more_info'),
                              method=method, path=path, retry_after=retry_after)
    ctype = (response.headers.get('Content-Type') or 'no content type').split(';')[0].strip()
    title = _html_title(response.text) if 'html' in ctype else None
    message = 'HTTP %s %s (non-JSON %s response%s)' % (status, reason, ctype, ': %s' % title if title else '')
    return TwilioApiError(status, message, method=method, path=path, retry_after=retry_after)


def describe_tls_error(text, url=None):
    """(one-line message, retryable) for the text of a requests SSLError."""
    endpoint = _endpoint(url, path=False) if url else 'the API endpoint'
    # "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate (_ssl.c:1006)",
    # possibly inside "HTTPSConnectionPool(...): ... (Caused by SSLError(SSLCertVerificationError(1, '...')))".
    match = re.search(r'\[SSL(?::\s*([A-Z0-9_]+))?\]\s*(.*?)\s*(?:\(_ssl\.c:\d+\)|[\'"]\)|$)', text, re.MULTILINE)
    name = match.group(1) if match else None
    reason = ' '.join(match.group(2).split()).rstrip('.') if match else ''
    verify = name == 'CERTIFICATE_VERIFY_FAILED' or 'certificate verify failed' in text or \
        'SSLCertVerificationError' in text
    if verify:
        reason = re.sub(r'^certificate verify failed:?\s*', '', reason)
        return ('TLS certificate verification failed for %s%s; set validate_certs=false only for a trusted test '
                'endpoint' % (endpoint, ': %s' % reason if reason else ''), False)
    if match:
        message = 'TLS error: [SSL%s] %s from %s' % (': %s' % name if name else '', reason, endpoint)
        if name == 'WRONG_VERSION_NUMBER':
            message += ' (is it plain HTTP? check api_base_url)'
    else:
        message = 'TLS error from %s: %s' % (endpoint, ' '.join(text.split())[:200])
    return message, name not in _PERMANENT_TLS


def describe_connection_error(exc, timeout, url=None):
    """(one-line message, may-have-been-sent, retryable) for a requests exception."""
    text = '%s' % exc
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return 'connection timed out after %ss' % timeout, False, True
    if isinstance(exc, requests.exceptions.Timeout):
        return 'no response within %ss (read timeout)' % timeout, True, True
    if isinstance(exc, requests.exceptions.SSLError):
        message, retryable = describe_tls_error(text, url)
        return message, False, retryable
    if isinstance(exc, requests.exceptions.InvalidURL) or isinstance(exc, requests.exceptions.MissingSchema):
        return 'invalid URL: %s' % ' '.join(text.split())[:200], False, False
    if re.search(r'NameResolutionError|Name or service not known|nodename nor servname|getaddrinfo failed|'
                 r'Temporary failure in name resolution|No address associated', text):
        host = re.search(r"host='([^']+)'", text)
        return 'could not resolve host %s (DNS failure)' % (host.group(1) if host else ''), False, True
    if re.search(r'Connection refused|NewConnectionError|Failed to establish', text):
        return 'connection refused', False, True
    if re.search(r'reset by peer|RemoteDisconnected|Connection aborted|IncompleteRead|BrokenPipe', text):
        return 'connection dropped before a complete response', True, True
    return 'connection failed: %s' % (text.splitlines() or [''])[0][:200], True, True


class TwilioClient(object):
    """HTTP client for Twilio's REST APIs.

    :param username: Account SID, or API key SID (``SK...``) when using an API key.
    :param password: Auth token, or API key secret.
    :param account_sid: the account (informational for product APIs whose URLs carry none).
    :param base_url: URL template; ``{product}`` is replaced by the request's product.
    :param retries: how many times one request may be re-sent (0 = never).
    :param retry_timeout: seconds after the first attempt past which no retry starts.
    :param warn: callable receiving one message per retry (``module.warn``).
    """

    def __init__(self, username, password, account_sid=None, base_url=DEFAULT_BASE_URL, validate_certs=True,
                 timeout=30, retries=4, retry_timeout=60, warn=None, user_agent_extra=None, session=None):
        if not HAS_REQUESTS:
            raise TwilioConfigError('the requests Python library is required')
        self.account_sid = account_sid
        self.base_url = base_url.rstrip('/')
        self.validate_certs = validate_certs
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.retry_timeout = retry_timeout
        self.retries_used = 0
        self._warn = warn or (lambda msg: None)
        self.session = session if session is not None else requests.Session()
        self.session.auth = (username, password)
        self.session.headers.update({
            'User-Agent': self.user_agent(user_agent_extra),
            'Accept': 'application/json',
            'Accept-Charset': 'utf-8',
        })

    @staticmethod
    def user_agent(extra=None):
        ua = '%s/%s (Ansible module; python/%d.%d.%d; requests/%s)' % (
            COLLECTION_NAME, COLLECTION_VERSION, sys.version_info[0], sys.version_info[1], sys.version_info[2],
            getattr(requests, '__version__', '?'))
        return '%s %s' % (ua, extra) if extra else ua

    # ---- URLs -------------------------------------------------------------------------------

    def product_url(self, product):
        return self.base_url.replace('{product}', product)

    def url(self, product, version, path):
        return '%s/%s/%s' % (self.product_url(product), version, path.lstrip('/'))

    # ---- one request, with retries ------------------------------------------------------------

    def request(self, method, product, version, path, data=None, params=None, kind=None):
        """Send one request; returns ``(status, body or None)``, raises TwilioError.

        ``kind`` selects the retry rule: ``read``/``update``/``delete`` retry 429, 5xx and
        connection errors; ``create`` retries only 429 and certainly-unsent failures
        (use :meth:`create_unique` for a duplicate-safe create).
        """
        kind = kind or {'GET': 'read', 'DELETE': 'delete'}.get(method, 'create')
        shown = '/%s/%s' % (version, path.lstrip('/'))
        url = self.url(product, version, path)
        return self._send(method, url, shown, data, params, kind)

    def _send(self, method, url, shown, data, params, kind):
        start = time.monotonic()
        attempt = 0
        earlier = None
        while True:
            error = self._attempt(method, url, shown, data, params)
            if not isinstance(error, TwilioError):
                return error
            error.earlier = earlier
            delay = self._retry_delay(error, kind, attempt)
            if delay is None or attempt >= self.retries or \
                    time.monotonic() - start + delay > self.retry_timeout:
                raise error.gave_up(attempt, time.monotonic() - start)
            if earlier is None and is_ambiguous(error):
                earlier = error
            attempt += 1
            self.retries_used += 1
            self._warn('Twilio API %s %s: %s; retry %d of %d in %.1fs'
                       % (method, shown, error, attempt, self.retries, delay))
            time.sleep(delay)

    def _attempt(self, method, url, shown, data, params):
        """(status, body) on success, or the TwilioError to raise or retry."""
        try:
            response = self.session.request(method, url, data=encode_form(data) if data is not None else None,
                                            params=params, timeout=self.timeout, verify=self.validate_certs)
        except requests.exceptions.RequestException as exc:
            message, sent, retryable = describe_connection_error(exc, self.timeout, url)
            return TwilioConnectionError(message, method=method, path=shown, sent=sent, retryable=retryable)
        if response.status_code >= 400:
            return decode_error(response, method, shown, url)
        if response.status_code == 204 or not response.content:
            return response.status_code, None
        try:
            return response.status_code, json.loads(response.content.decode('utf-8'))
        except (ValueError, UnicodeDecodeError):
            ctype = (response.headers.get('Content-Type') or 'no content type').split(';')[0]
            return TwilioApiError(response.status_code, 'HTTP %s with a non-JSON %s body (is api_base_url right?)'
                                  % (response.status_code, ctype), method=method, path=shown)

    @staticmethod
    def _retry_delay(error, kind, attempt):
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

    # ---- convenience verbs -------------------------------------------------------------------

    def get(self, product, version, path, params=None):
        return self.request('GET', product, version, path, params=params)[1]

    def fetch(self, product, version, path):
        """GET one resource; None when Twilio says it does not exist (404 with code 20404).

        Any other 404 (an HTML page, a proxy's answer) raises: it says nothing about the resource.
        """
        try:
            return self.get(product, version, path)
        except TwilioApiError as exc:
            if exc.not_found:
                return None
            raise

    def update(self, product, version, path, data):
        return self.request('POST', product, version, path, data=data, kind='update')[1]

    def delete(self, product, version, path):
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
            self._warn('Twilio API DELETE %s: %s; the retry found it gone, so that DELETE went through'
                       % (exc.path, exc.earlier))
            return True
        return True

    def list(self, product, version, path, key=None, page_size=PAGE_SIZE, params=None):
        """Every record of a list endpoint, following ``meta.next_page_url``.

        The next page is requested on the configured base URL with the paging query of
        ``next_page_url`` (PageSize, Page, PageToken), so credentials only ever go to the
        configured host, also behind a proxy or an emulator.
        """
        query = dict(params or {}, PageSize=page_size)
        records = []
        seen = set()
        for dummy in range(MAX_PAGES):
            body = self.get(product, version, path, params=query) or {}
            meta = body.get('meta') or {}
            records.extend(body.get(key or meta.get('key') or 'services') or [])
            next_url = meta.get('next_page_url')
            if not next_url:
                return records
            query = dict(parse_qsl(urlsplit(next_url).query, keep_blank_values=True))
            marker = tuple(sorted(query.items()))
            if marker in seen:
                raise TwilioApiError(200, 'paging loop: next_page_url repeats %s' % urlsplit(next_url).query,
                                     method='GET', path='/%s/%s' % (version, path.lstrip('/')))
            seen.add(marker)
        raise TwilioApiError(200, 'more than %d pages' % MAX_PAGES, method='GET', path='/%s/%s' % (version, path))

    def create_unique(self, product, version, path, data, match, key=None, known_sids=None):
        """Duplicate-safe create: returns ``(record, adopted)``.

        ``match`` is a dict of response fields identifying what this create makes (for
        example ``{'friendly_name': 'dev'}``); ``known_sids`` are the sids that already
        matched before (listed here when None). A 429 or a certainly-unsent failure is
        retried directly. After an ambiguous failure (5xx, reset, read timeout) the list is
        read again: a new matching record means the create went through and is adopted;
        none means it did not, and the create is safely re-sent.
        """
        shown = '/%s/%s' % (version, path.lstrip('/'))
        if known_sids is None:
            known_sids = set(r.get('sid') for r in self._matching(product, version, path, match, key))
        start = time.monotonic()
        used = self.retries_used
        attempt = 0
        while True:
            try:
                return self.request('POST', product, version, path, data=data, kind='create')[1], False
            except (TwilioApiError, TwilioConnectionError) as exc:
                ambiguous = isinstance(exc, TwilioConnectionError) or exc.status >= 500
                if not ambiguous:
                    raise exc.gave_up(self.retries_used - used, time.monotonic() - start)
                error = exc
            new = [r for r in self._matching(product, version, path, match, key) if r.get('sid') not in known_sids]
            if new:
                new.sort(key=lambda r: (r.get('date_created') or '', r.get('sid') or ''))
                if len(new) > 1:
                    self._warn('Twilio API POST %s: %d new records match %s after an interrupted create; adopting '
                               'the oldest, %s' % (shown, len(new), match, new[0].get('sid')))
                else:
                    self._warn('Twilio API POST %s: %s; the create went through, adopting %s'
                               % (shown, error, new[0].get('sid')))
                return new[0], True
            delay = backoff_delay(attempt)
            if attempt >= self.retries or time.monotonic() - start + delay > self.retry_timeout:
                raise error.gave_up(self.retries_used - used, time.monotonic() - start)
            attempt += 1
            self.retries_used += 1
            self._warn('Twilio API POST %s: %s; nothing was created, retry %d of %d in %.1fs'
                       % (shown, error, attempt, self.retries, delay))
            time.sleep(delay)

    def _matching(self, product, version, path, match, key):
        return [r for r in self.list(product, version, path, key=key)
                if all(r.get(k) == v for k, v in match.items())]
