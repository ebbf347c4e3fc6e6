# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""The one HTTP client every chatops.twilio module talks to Twilio through.

Generic over products: a request names ``product`` (``chat``, ``serverless``...),
``version`` (``v1``, ``v2``) and a version-relative ``path`` (``/Services/IS...``).
Retries (the one loop) live here; one exchange within its time and size bounds in ``_exchange.py``,
the retry rule and backoff in ``_retry_rule.py``, paging and answer checks in ``_paging.py``, secret redaction in ``_redact.py``,
errors and their diagnosis in ``_errors.py``, URLs and form encoding in ``_endpoints.py``.

What the client trusts, and what it does not:

* it never follows a redirect (the credentials would go along, and a POST would become a GET);
* a Functions domain (``get_public``: a public Asset) is not the API: it never gets the credentials;
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
  is judged by the clock that dated it, not by the controller's;
* it may be used by several threads at once (the set modules' workers, ``_parallel.py``): each thread
  sends through its own ``requests.Session``, and they share one rate-limit gate (``_threads.py``).

The duplicate-safe create protocol built on this client lives in ``_create.py``.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import email.utils
import json
import sys
import threading
import time
import traceback

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:  # annotations only: nothing below is needed (or evaluated) when the module runs
    from collections.abc import Callable, Sequence
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

from ansible_collections.chatops.twilio.plugins.module_utils._errors import (
    TwilioAnswerError,
    TwilioApiError,
    TwilioConfigError,
    TwilioConnectionError,
    TwilioError,
    _endpoint,
    decode_error,
    describe_connection_error,
    is_ambiguous,
    one_line,
    redirect_error,
)
from ansible_collections.chatops.twilio.plugins.module_utils._endpoints import (
    DEFAULT_BASE_URL,
    check_path,
    domain_url,
)
from ansible_collections.chatops.twilio.plugins.module_utils._exchange import exchange, exchange_within, public_answer
from ansible_collections.chatops.twilio.plugins.module_utils._paging import PAGE_SIZE, check_record, list_records
from ansible_collections.chatops.twilio.plugins.module_utils._retry_rule import backoff_delay, retry_delay
from ansible_collections.chatops.twilio.plugins.module_utils._redact import Redactor
from ansible_collections.chatops.twilio.plugins.module_utils._threads import RateGate, ThreadSessions

REQUESTS_IMPORT_ERROR = None
try:
    import requests

    HAS_REQUESTS = True
except ImportError:  # pragma: no cover - exercised by the import sanity test only
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

COLLECTION_NAME = 'chatops.twilio'
COLLECTION_VERSION = '1.1.0'

# Seconds between a create and the listing that looks for namesakes made by concurrent runs (see _create.py).
# date_created has a resolution of one second: two creates more than this apart always carry
# different dates, which is what makes "the oldest wins" decide the same way in every run.
CREATE_SETTLE = 2.0


# (product, version) pairs whose paths another product serves too (/v1/Services is Chat v1's,
# Conversations' and Serverless'): a base URL without {product} would send them all to one place.
SHARED_PATHS = frozenset([('chat', 'v1'), ('conversations', 'v1'), ('serverless', 'v1'), ('serverless-upload', 'v1')])


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
        # The thread that built the client sends through ``session``, any other through its own; one rate-limit gate.
        self._sessions = ThreadSessions(self.session)
        self._gate = RateGate()
        self._lock = threading.Lock()

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
            with self._lock:  # workers count their retries into one total
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

    def _send(
        self, method: str, url: str, shown: str, data: FormData | None, params: Query | None, kind: str, files: Files | None = None, public: bool = False
    ) -> tuple[int, Any]:
        earlier: list[TwilioError] = []  # the first ambiguous failure (it may have been carried out), for delete()
        # This request's own budget: its retries stop after retry_timeout, its last attempt ends within timeout.
        deadline = time.monotonic() + self.retry_timeout + self.timeout

        def attempt(number: int) -> tuple[tuple[int, Any] | None, TwilioError | None, float | None]:
            if not public:  # the gate is the API's rate limit; a Functions domain (a CDN) is another host
                self._gate.wait(deadline)
            outcome = self._attempt(method, url, shown, data, params, deadline, files, public)
            if not isinstance(outcome, TwilioError):
                return outcome, None, None
            outcome.earlier = earlier[0] if earlier else None
            if not earlier and is_ambiguous(outcome):
                earlier.append(outcome)
            delay = retry_delay(outcome, kind, number)
            if not public:
                self._gate.close_for(outcome, delay)
            return None, outcome, delay

        return self._retrying(
            attempt, lambda error, number, budget, delay: 'Twilio API %s %s: %s; retry %d of %d in %.1fs' % (method, shown, error, number, budget, delay)
        )

    def _attempt(
        self, method: str, url: str, shown: str, data: FormData | None, params: Query | None, deadline: float, files: Files | None = None, public: bool = False
    ) -> tuple[int, Any] | TwilioError:
        """(status, body) on success, or the TwilioError to raise or retry; ``deadline`` ends the request's budget.

        ``public``: a request to a Functions domain (``get_public``): the body is returned as bytes, up to
        ``ASSET_MAX_BYTES``, and an error status is the domain's own answer, not Twilio's API's.
        """
        limit = min(self.timeout, deadline - time.monotonic())
        if limit <= 0:
            return TwilioConnectionError(
                'no attempt left for %s %s: its budget (retry_timeout %ss + timeout %ss) is spent' % (method, shown, self.retry_timeout, self.timeout),
                method=method,
                path=shown,
                sent=False,
                retryable=False,
            )
        note = '' if limit >= self.timeout else '; the budget of this request (retry_timeout %ss + timeout %ss) ran out' % (self.retry_timeout, self.timeout)
        session = self._sessions.here()  # the calling thread's, not the exchange worker's
        outcome = exchange_within(limit, url, lambda: exchange(session, limit, method, url, data, params, files, public, self.validate_certs), note)
        if isinstance(outcome, requests.exceptions.RequestException):
            message, sent, retryable = describe_connection_error(outcome, self.timeout, url)
            return TwilioConnectionError(self.redactor.text(message), method=method, path=shown, sent=sent, retryable=retryable)
        if isinstance(outcome, TwilioError):
            outcome.method, outcome.path = method, shown
            return outcome
        response, content = outcome
        if public:
            return public_answer(response, content, self.redactor, method, shown, url)
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

    # ---- answers and convenience verbs ---------------------------------------------------------

    check_record = staticmethod(check_record)

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

    def get_public(self, domain_name: str, path: str) -> bytes:
        """The bytes a Functions environment serves at ``path`` of its domain (a public Asset), unauthenticated.

        Through the one retry loop with the rule of a read and the same time bounds, but never with the credentials
        (the domain is not the API), refusing any redirect and any body larger than an Asset can be
        (``ASSET_MAX_BYTES``). Where the request goes: ``_endpoints.domain_url`` (the domain must be under twil.io;
        with api_base_url, the emulator's ``serverless-domains`` product). An error status raises TwilioApiError.
        """
        url = domain_url(self.base_url, domain_name, path)
        shown = 'https://%s%s' % (domain_name, path)
        return cast('bytes', self._send('GET', url, shown, None, None, 'read', public=True)[1])

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
        """Every record of a list endpoint, following ``meta.next_page_url`` (see ``_paging.list_records``)."""
        return list_records(self, product, version, path, key=key, page_size=page_size, params=params)
