# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""What an answer must look like before it is used, and listings read page by page.

A record must be an object carrying a SID of the kind its path implies (``check_record``) before
that SID can go into a URL; a listing follows ``meta.next_page_url`` on the configured base URL only,
checks every page for shape, and ends on a repeated page, on too many pages or when its time budget
is spent (``list_records``). The client's ``check_record`` and ``list`` are these.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import re
import time

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from ansible_collections.chatops.twilio.plugins.module_utils._endpoints import expected_sid_prefix
from ansible_collections.chatops.twilio.plugins.module_utils._errors import TwilioAnswerError, TwilioError, describe_value, one_line

if TYPE_CHECKING:  # annotations only
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Query, Record, Records, TwilioClient

PAGE_SIZE = 100
#: Lists whose spec allows fewer records per page than PAGE_SIZE: (product, version, last path segment) -> maximum.
PAGE_SIZE_MAXIMA = {('conversations', 'v1', 'Roles'): 50}
# A sane bound on its own; the run's deadline usually ends an endless listing long before.
MAX_PAGES = 1000
# The query parameters a next_page_url may carry over to the next request.
PAGING_PARAMS = ('PageSize', 'Page', 'PageToken')


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


def list_records(
    client: TwilioClient, product: str, version: str, path: str, key: str | None = None, page_size: int = PAGE_SIZE, params: Query | None = None
) -> Records:
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
    deadline = time.monotonic() + client.retry_timeout + client.timeout
    for page in range(MAX_PAGES):
        if page and time.monotonic() > deadline:
            raise TwilioAnswerError(
                'the listing did not end within its time budget (retry_timeout %ss + timeout %ss): %d pages, %d records read'
                % (client.retry_timeout, client.timeout, page, len(records)),
                method='GET',
                path=shown,
            )
        try:
            body = client.get(product, version, path, params=query)
        except TwilioError as exc:
            if page:
                exc.message = '%s, at page %d of the listing' % (exc.message, page + 1)
            raise
        items, next_url = read_page(product, version, path, key, body, shown)
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


def read_page(product: str, version: str, path: str, key: str | None, body: Any, shown: str) -> tuple[Records, str | None]:
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
    items = [check_record(product, version, path, record, single=False) for record in body[key]]
    return items, next_url
