# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""One HTTP exchange of the client, within its time and size bounds (``_client.py`` retries around it).

* the whole exchange, not each socket operation, ends within ``limit`` seconds (:func:`exchange_within`);
* redirects are never followed, bodies are streamed and refused past a size bound (:func:`exchange`);
* a Functions domain (a public Asset) gets no credentials at all, and its answer is checked as a file's
  bytes, not as Twilio's API's JSON (:func:`public_answer`).
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import threading
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ansible_collections.chatops.twilio.plugins.module_utils._endpoints import ASSET_MAX_BYTES, encode_form
from ansible_collections.chatops.twilio.plugins.module_utils._errors import (
    TwilioAnswerError,
    TwilioApiError,
    TwilioConnectionError,
    TwilioError,
    host_port,
    one_line,
    parse_retry_after,
)

try:
    import requests
except ImportError:  # pragma: no cover - _client reports the missing library
    pass

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable
    from typing import Any, Union

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Files, FormData, Query
    from ansible_collections.chatops.twilio.plugins.module_utils._redact import Redactor

    Outcome = Union[tuple[requests.Response, bytes], requests.RequestException, TwilioError]

# Twilio's answers for these APIs are a few hundred KB at most (a page of 1,000 Serverless services).
MAX_BODY_BYTES = 5 * 1024 * 1024


class _BodyTooLarge(Exception):
    pass


class _NoAuth(object):
    """No credentials at all: overrides the session's Basic auth, and keeps requests from reading ~/.netrc for the host.

    (requests takes any callable as ``auth``.)
    """

    def __call__(self, request: Any) -> Any:
        request.headers.pop('Authorization', None)
        return request


def exchange_within(limit: float, url: str, send: Callable[[], Outcome], budget_note: str = '') -> Outcome:
    """``(response, content)`` or the exception, with the whole exchange bounded by ``limit`` seconds.

    requests' timeout bounds each socket operation, not the exchange: a server sending a byte
    every few seconds would hold it forever. The exchange runs in a worker thread; when the
    limit passes it is abandoned (a daemon thread, ended with the module's process). ``send`` is the
    exchange (:func:`exchange` on the calling thread's session); ``budget_note`` ends the message when
    the limit was the request's remaining budget rather than its timeout.
    """
    outcome: list[Outcome] = []

    def work() -> None:
        try:
            outcome.append(send())
        except (requests.exceptions.RequestException, TwilioError) as exc:
            outcome.append(exc)
        except Exception as exc:  # pylint: disable=broad-except
            outcome.append(requests.exceptions.ConnectionError('%s: %s' % (type(exc).__name__, exc)))

    worker = threading.Thread(target=work, name='twilio-request')
    worker.daemon = True
    worker.start()
    worker.join(limit)
    if worker.is_alive() or not outcome:
        return TwilioConnectionError('no complete response from %s within %.1f s%s' % (host_port(url), limit, budget_note), sent=True, retryable=True)
    return outcome[0]


def exchange(
    session: requests.Session,
    limit: float,
    method: str,
    url: str,
    data: FormData | None,
    params: Query | None,
    files: Files | None = None,
    public: bool = False,
    verify: bool = True,
) -> tuple[requests.Response, bytes] | TwilioError:
    """One request and its whole body, read as a stream and refused past ``MAX_BODY_BYTES`` (an Asset: ``ASSET_MAX_BYTES``)."""
    extra: dict[str, Any] = {'files': files} if files else {}
    if public:
        # A Functions domain is not the API: never the credentials, whatever host it is (also not ~/.netrc's).
        extra.update(auth=_NoAuth(), headers={'Accept': '*/*'})
    max_bytes = ASSET_MAX_BYTES if public else MAX_BODY_BYTES
    response = session.request(
        method,
        url,
        data=encode_form(data) if data is not None else None,
        params=params,
        **extra,
        timeout=limit,
        verify=verify,
        allow_redirects=False,
        stream=True,
    )
    try:
        length = response.headers.get('Content-Length') or ''
        if length.isdigit() and int(length) > max_bytes:
            raise _BodyTooLarge(int(length))
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_content(65536):
            size += len(chunk)
            if size > max_bytes:
                raise _BodyTooLarge(size)
            chunks.append(chunk)
    except _BodyTooLarge as exc:
        if public:
            return TwilioAnswerError(
                'HTTP %s answer of %s bytes%s refused: an Asset holds at most %d bytes (Twilio\'s upload limit)'
                % (response.status_code, exc.args[0], ' or more' if not length.isdigit() else '', max_bytes)
            )
        return TwilioAnswerError(
            'HTTP %s answer larger than %d MiB (%s bytes%s) refused: no answer of these APIs '
            'is that large' % (response.status_code, MAX_BODY_BYTES // (1024 * 1024), exc.args[0], ' or more' if not length.isdigit() else '')
        )
    finally:
        response.close()
    return response, b''.join(chunks)


def public_answer(response: requests.Response, content: bytes, redactor: Redactor, method: str, shown: str, url: str) -> tuple[int, bytes] | TwilioError:
    """(status, bytes) of a Functions domain's answer, or the error (a redirect is refused, wherever it points)."""
    status = response.status_code
    if 300 <= status < 400:
        location = response.headers.get('Location') or ''
        where = host_port(location) if urlsplit(location).netloc else 'the same host %s' % host_port(url)
        return TwilioApiError(
            status, 'HTTP %s redirect to %s refused: a Functions domain is read without following redirects' % (status, where), method=method, path=shown
        )
    if status >= 400:
        retry_after = parse_retry_after(response.headers.get('Retry-After'))
        return TwilioApiError(
            status,
            'HTTP %s %s from %s' % (status, one_line(response.reason or 'error', 80), host_port(url)),
            method=method,
            path=shown,
            retry_after=retry_after,
        )
    if redactor.data(content) != content:
        # Public bytes, but the output must never show the credentials: the file is not exported rather than altered.
        return TwilioAnswerError('the answer holds the credentials of this run: refused, so that they reach no file or output', method=method, path=shown)
    return status, content
