# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A tiny in-memory Twilio Chat API behind a fake ``requests.Session``.

It is written independently of ``_chat_fields`` (form names are decoded by rule, not
from the collection's table) so that unit tests exercise the real wire format.
Failures are scripted with :meth:`FakeTwilio.fail`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
from urllib.parse import urlsplit, parse_qsl

import requests
from requests.structures import CaseInsensitiveDict

ACCOUNT_SID = 'AC' + '0' * 31 + '1'
AUTH_TOKEN = 'secret-auth-token-0123456789abcdef'
BASE = 'https://chat.twilio.com'


def response(status, body=None, headers=None, raw=None, reason=None):
    resp = requests.Response()
    resp.status_code = status
    resp.reason = reason or {
        200: 'OK',
        201: 'Created',
        204: 'No Content',
        400: 'Bad Request',
        401: 'Unauthorized',
        404: 'Not Found',
        429: 'Too Many Requests',
        500: 'Internal Server Error',
        502: 'Bad Gateway',
        503: 'Service Unavailable',
    }.get(status, 'X')
    resp.headers = CaseInsensitiveDict(headers or {})
    if raw is not None:
        resp._content = raw.encode('utf-8')
    elif body is not None:
        resp._content = json.dumps(body).encode('utf-8')
        resp.headers.setdefault('Content-Type', 'application/json')
    else:
        resp._content = b''
    resp._content_consumed = True  # the client streams bodies: serve the prepared content
    return resp


def twilio_error(status, code, message):
    return response(status, {'code': code, 'message': message, 'status': status, 'more_info': 'https://www.twilio.com/docs/errors/%d' % code})


def snake(pascal):
    """``NewMessage`` -> ``new_message``: a form name part as the field name Twilio answers with."""
    return re.sub(r'(?<!^)([A-Z])', r'_\1', pascal).lower()


class FakeTwilio(object):
    """The fake session: ``request()`` has the signature the client uses."""

    def __init__(self):
        self.headers = {}
        self.auth = None
        self.services = {}
        self.calls = []
        self.script = []
        self.counter = 0

    # -- scripting -----------------------------------------------------------------------------

    def fail(self, outcome, method=None, path=None, commit=False, times=1):
        """Make the next matching request(s) end with ``outcome`` (a Response or an exception)."""
        for dummy in range(times):
            self.script.append((method, path, outcome, commit))

    def add(self, name, **fields):
        self.counter += 1
        sid = 'IS%032x' % self.counter
        service = {
            'sid': sid,
            'account_sid': ACCOUNT_SID,
            'friendly_name': name,
            'date_created': '2025-01-01T00:00:%02dZ' % (self.counter % 60),
            'date_updated': '2025-01-01T00:00:00Z',
            'default_service_role_sid': 'RL%032x' % 1,
            'default_channel_role_sid': 'RL%032x' % 2,
            'default_channel_creator_role_sid': 'RL%032x' % 3,
            'read_status_enabled': True,
            'reachability_enabled': False,
            'typing_indicator_timeout': 5,
            'consumption_report_interval': 10,
            'limits': {'channel_members': 250, 'user_channels': 100},
            'pre_webhook_url': None,
            'post_webhook_url': None,
            'webhook_method': 'POST',
            'webhook_filters': [],
            'pre_webhook_retry_count': 0,
            'post_webhook_retry_count': 0,
            'notifications': {},
            'media': {'size_limit_mb': 150, 'compatibility_message': None},
            'webhooks': {},
        }
        service.update(fields)
        self.services[sid] = service
        return sid

    def writes(self):
        return [c for c in self.calls if c[0] in ('POST', 'DELETE')]

    def sent(self):
        """``(method, path)`` of every request so far."""
        return [(c[0], c[1]) for c in self.calls]

    def methods(self):
        """The method of every request so far."""
        return [c[0] for c in self.calls]

    # -- the API -------------------------------------------------------------------------------

    def request(self, method, url, data=None, params=None, **kwargs):  # pylint: disable=unused-argument
        parts = urlsplit(url)
        query = dict(parse_qsl(parts.query))
        query.update(params or {})
        self.calls.append((method, parts.path, query, list(data or [])))
        for index, (want_method, want_path, outcome, commit) in enumerate(self.script):
            if (want_method in (None, method)) and (want_path is None or re.search(want_path, parts.path)):
                del self.script[index]
                if commit:
                    self._serve(method, parts.path, query, data or [])
                if isinstance(outcome, Exception):
                    raise outcome
                return outcome
        return self._serve(method, parts.path, query, data or [])

    def _serve(self, method, path, query, data):
        match = re.match(r'^(?:/[a-z]+)?/(v1|v2)/Services(?:/([^/]+))?$', path)
        if not match:
            return twilio_error(404, 20404, 'The requested resource %s was not found' % path)
        version, sid = match.groups()
        if sid is None and method == 'GET':
            return self._list(version, path, query)
        if sid is None and method == 'POST':
            form = dict(data)
            new = self.add(form['FriendlyName'])
            return response(201, self._view(self.services[new], version))
        if sid not in self.services:
            return twilio_error(404, 20404, 'The requested resource /Services/%s was not found' % sid)
        if method == 'GET':
            return response(200, self._view(self.services[sid], version))
        if method == 'DELETE':
            del self.services[sid]
            return response(204)
        self._update(self.services[sid], data)
        return response(200, self._view(self.services[sid], version))

    def _list(self, version, path, query):
        size = int(query.get('PageSize', 50))
        page = int(query.get('Page', 0))
        items = sorted(self.services.values(), key=lambda s: s['sid'])
        chunk = items[page * size : (page + 1) * size]
        more = (page + 1) * size < len(items)
        next_url = None
        if more:
            next_url = '%s%s?PageSize=%d&Page=%d&PageToken=PA%s' % (BASE, path, size, page + 1, chunk[-1]['sid'])
        return response(
            200,
            {
                'services': [self._view(s, version) for s in chunk],
                'meta': {'key': 'services', 'page': page, 'page_size': size, 'next_page_url': next_url, 'url': BASE + path},
            },
        )

    def _update(self, service, data):
        filters = None
        for name, value in data:
            if name == 'WebhookFilters':
                filters = (filters or []) + ([value] if value else [])
                continue
            if value in ('true', 'false'):
                value = value == 'true'
            elif re.match(r'^-?\d+$', value):
                value = int(value)
            path = [snake(p) for p in name.split('.')]
            target = service
            for part in path[:-1]:
                target = target.setdefault(part, {})
            target[path[-1]] = value
        if filters is not None:
            service['webhook_filters'] = filters

    @staticmethod
    def _view(service, version):
        view = dict(service)
        drop = ('pre_webhook_retry_count', 'post_webhook_retry_count', 'media') if version == 'v1' else ('webhooks',)
        for key in drop:
            view.pop(key, None)
        view['url'] = '%s/%s/Services/%s' % (BASE, version, service['sid'])
        return json.loads(json.dumps(view))


def warning_texts(result):
    """Warning messages of a module result (plain strings, or 2.19+ WarningSummary dicts)."""
    texts = []
    for warning in result.get('warnings', []):
        if isinstance(warning, dict):
            warning = (warning.get('event') or {}).get('msg') or warning.get('msg') or json.dumps(warning)
        texts.append(warning)
    return texts
