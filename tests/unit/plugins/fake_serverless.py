# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""An in-memory Twilio Serverless v1 API (Services, Environments) behind a fake ``requests.Session``.

It reuses the scripting of ``FakeTwilio`` (``fail()``, ``calls``, ``writes()``) and is written
independently of ``_serverless`` so that the unit tests exercise the real wire format. Tests get it
from the ``serverless_fake`` fixture (conftest.py); ``test_fakes.py`` keeps its shapes in line with
the official OpenAPI spec.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

from ansible_collections.chatops.twilio.tests.unit.plugins.fake_twilio import (
    ACCOUNT_SID,
    FakeTwilio,
    response,
    twilio_error,
)

BASE = 'https://serverless.twilio.com'
_PATH = re.compile(r'^/v1/Services(?:/([^/]+)(?:/(Environments)(?:/([^/]+))?)?)?$')
_NAME = re.compile(r'^[A-Za-z0-9-]+$')


class FakeServerless(FakeTwilio):
    """Serverless Services and Environments; ``max_services`` caps creates like Twilio's 50."""

    def __init__(self, max_services=None):
        super(FakeServerless, self).__init__()
        self.environments = {}
        self.max_services = max_services

    # -- fixtures ------------------------------------------------------------------------------

    def add(self, name, **fields):
        """A service with unique name ``name``; returns its SID."""
        unique_name = name
        self.counter += 1
        sid = 'ZS%032x' % self.counter
        service = {
            'sid': sid,
            'account_sid': ACCOUNT_SID,
            'unique_name': unique_name,
            'friendly_name': fields.pop('friendly_name', unique_name),
            'include_credentials': True,
            'ui_editable': False,
            'domain_base': '%s-%04d' % (unique_name.lower(), 1000 + self.counter),
            'date_created': '2025-01-01T00:00:%02dZ' % (self.counter % 60),
            'date_updated': '2025-01-01T00:00:00Z',
        }
        service.update(fields)
        self.services[sid] = service
        self.environments[sid] = {}
        return sid

    def add_environment(self, service_sid, unique_name, domain_suffix=None):
        self.counter += 1
        sid = 'ZE%032x' % self.counter
        base = self.services[service_sid]['domain_base']
        self.environments[service_sid][sid] = {
            'sid': sid,
            'account_sid': ACCOUNT_SID,
            'service_sid': service_sid,
            'build_sid': None,
            'unique_name': unique_name,
            'domain_suffix': domain_suffix,
            'domain_name': '%s%s.twil.io' % (base, '-' + domain_suffix.lower() if domain_suffix else ''),
            'date_created': '2025-01-01T00:00:%02dZ' % (self.counter % 60),
            'date_updated': '2025-01-01T00:00:00Z',
        }
        return sid

    def service_named(self, unique_name):
        found = [s for s in self.services.values() if s['unique_name'] == unique_name]
        return found[0] if found else None

    # -- the API -------------------------------------------------------------------------------

    def _serve(self, method, path, query, data):
        match = _PATH.match(path)
        if not match:
            return twilio_error(404, 20404, 'The requested resource %s was not found' % path)
        ident, envs, env_sid = match.groups()
        form = list(data)
        if ident is None:
            if method == 'GET':
                return self._page(path, query, 'services', sorted(self.services.values(), key=lambda s: s['sid']), self._service_view)
            return self._create_service(dict(form))
        service = self.services.get(ident) or self.service_named(ident)
        if service is None:
            return twilio_error(404, 20404, 'The requested resource /Services/%s was not found' % ident)
        if envs:
            return self._environment(method, path, query, form, service, env_sid)
        if method == 'GET':
            return response(200, self._service_view(service))
        if method == 'DELETE':
            del self.services[service['sid']]
            del self.environments[service['sid']]
            return response(204)
        for name, value in form:
            field = {'FriendlyName': 'friendly_name', 'IncludeCredentials': 'include_credentials', 'UiEditable': 'ui_editable'}.get(name)
            if field is None:
                return twilio_error(400, 20001, 'Invalid parameter %s' % name)
            service[field] = {'true': True, 'false': False}.get(value, value) if field != 'friendly_name' else value
        return response(200, self._service_view(service))

    def _create_service(self, form):
        name = form.get('UniqueName')
        if not name or not form.get('FriendlyName'):
            return twilio_error(400, 20001, 'Missing required parameter UniqueName or FriendlyName in the post body')
        if self.service_named(name):
            return twilio_error(409, 20409, 'Service with UniqueName %s already exists' % name)
        if self.max_services is not None and len(self.services) >= self.max_services:
            return twilio_error(
                400,
                20001,
                'Maximum number of Services reached: an account may have at most %d '
                'Serverless Services; delete one before creating another' % self.max_services,
            )
        fields = {'friendly_name': form['FriendlyName']}
        for key, field in (('IncludeCredentials', 'include_credentials'), ('UiEditable', 'ui_editable')):
            if key in form:
                fields[field] = form[key] == 'true'
        sid = self.add(name, **fields)
        return response(201, self._service_view(self.services[sid]))

    def _environment(self, method, path, query, form, service, env_sid):
        envs = self.environments[service['sid']]
        if env_sid is None:
            if method == 'GET':
                return self._page(path, query, 'environments', sorted(envs.values(), key=lambda e: e['sid']), self._environment_view)
            values = dict(form)
            name, suffix = values.get('UniqueName'), values.get('DomainSuffix')
            if not name:
                return twilio_error(400, 20001, 'Missing required parameter UniqueName in the post body')
            if suffix is not None and (len(suffix) > 16 or not _NAME.match(suffix)):
                return twilio_error(400, 20001, 'Invalid parameter DomainSuffix')
            for other in envs.values():
                if other['unique_name'] == name or (suffix and other['domain_suffix'] == suffix):
                    return twilio_error(409, 20409, 'Environment with this UniqueName or DomainSuffix already exists.')
            sid = self.add_environment(service['sid'], name, suffix)
            return response(201, self._environment_view(envs[sid]))
        if env_sid not in envs:
            return twilio_error(404, 20404, 'The requested resource /Services/%s/Environments/%s was not found' % (service['sid'], env_sid))
        if method == 'GET':
            return response(200, self._environment_view(envs[env_sid]))
        if method == 'DELETE':
            del envs[env_sid]
            return response(204)
        return response(405, {'code': 20004, 'message': 'Method not allowed', 'status': 405})

    @staticmethod
    def _page(path, query, key, items, view):
        size = int(query.get('PageSize', 50))
        if size > 1000:
            return twilio_error(400, 20007, 'Page size too large: the maximum page size is 1000')
        page = int(query.get('Page', 0))
        chunk = items[page * size : (page + 1) * size]
        next_url = None
        if (page + 1) * size < len(items):
            next_url = '%s%s?PageSize=%d&Page=%d&PageToken=PA%s' % (BASE, path, size, page + 1, chunk[-1]['sid'])
        return response(
            200,
            {
                key: [view(item) for item in chunk],
                'meta': {
                    'key': key,
                    'page': page,
                    'page_size': size,
                    'next_page_url': next_url,
                    'url': BASE + path,
                    'first_page_url': BASE + path,
                    'previous_page_url': None,
                },
            },
        )

    @staticmethod
    def _service_view(service):
        view = dict(service)
        view['url'] = '%s/v1/Services/%s' % (BASE, service['sid'])
        view['links'] = dict((k, '%s/%s' % (view['url'], k.capitalize())) for k in ('environments', 'functions', 'assets', 'builds'))
        return json.loads(json.dumps(view))

    @staticmethod
    def _environment_view(environment):
        view = dict(environment)
        view['url'] = '%s/v1/Services/%s/Environments/%s' % (BASE, environment['service_sid'], environment['sid'])
        view['links'] = dict((k, '%s/%s' % (view['url'], k.capitalize())) for k in ('variables', 'deployments', 'logs'))
        return json.loads(json.dumps(view))
