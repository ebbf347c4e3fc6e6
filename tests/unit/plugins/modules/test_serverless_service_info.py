# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.chatops.twilio.plugins.modules import (
    serverless_environment,
    serverless_service,
    serverless_service_info,
)
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import twilio_error

main = serverless_service_info.main
EMULATED = 'serverless'  # conftest's twilio fixture seeds Functions Services


def test_lists_every_service_with_one_request(run_module, twilio):
    for name in ('a', 'b', 'c'):
        twilio.add(name)
    code, result = run_module(main, {})
    assert code == 0 and result['changed'] is False
    assert [s['unique_name'] for s in result['services']] == ['a', 'b', 'c']
    assert [(c[0], c[1], c[2]) for c in twilio.calls] == [('GET', '/serverless/v1/Services', {'PageSize': '1000'})]
    assert 'environments' not in result['services'][0]


def test_list_follows_paging_beyond_1000(run_module, twilio):
    twilio.emulator.set_max_services({'serverless': None})  # beyond Twilio's 50, as an account may be allowed
    twilio.add_many(['svc-%d' % index for index in range(1205)])
    code, result = run_module(main, {})
    assert code == 0 and len(result['services']) == 1205 and len(twilio.calls) == 2
    assert twilio.calls[1][2]['Page'] == '1' and twilio.calls[1][2]['PageToken'].startswith('PAZS')


@pytest.mark.parametrize('key', ['sid', 'unique_name'])
def test_one_service_by_sid_or_unique_name(run_module, twilio, key):
    sid = twilio.add('myapp')
    twilio.add('other')
    code, result = run_module(main, {key: sid if key == 'sid' else 'myapp'})
    assert code == 0 and [s['sid'] for s in result['services']] == [sid] and len(twilio.calls) == 1


@pytest.mark.parametrize('args', [{'sid': 'ZS' + 'f' * 32}, {'unique_name': 'nothing'}])
def test_missing_service_is_an_empty_list(run_module, twilio, args):
    code, result = run_module(main, args)
    assert code == 0 and result['services'] == []


def test_environments_with_domains(run_module, twilio):
    app = twilio.add('myapp')
    twilio.add('empty')
    twilio.add_environment(app, 'production')
    twilio.add_environment(app, 'staging', 'stage')
    code, result = run_module(main, {'include_environments': True}, check=True)
    assert code == 0 and result['changed'] is False
    by_name = dict((s['unique_name'], s) for s in result['services'])
    assert by_name['empty']['environments'] == []
    envs = by_name['myapp']['environments']
    assert [(e['unique_name'], e['domain_name']) for e in envs] == [('production', 'myapp-1001.twil.io'), ('staging', 'myapp-1001-stage.twil.io')]
    assert envs[0]['module_args'] == {'service': 'myapp', 'unique_name': 'production', 'domain_suffix': ''}
    assert envs[1]['module_args'] == {'service': 'myapp', 'unique_name': 'staging', 'domain_suffix': 'stage'}
    lists = [c for c in twilio.calls if c[1].endswith('/Environments')]
    assert len(lists) == 2 and all(c[2]['PageSize'] == '1000' for c in lists)


def test_module_args_adopt_without_change(run_module, twilio):
    app = twilio.add('myapp', friendly_name='My app', include_credentials=False, ui_editable=True)
    twilio.add_environment(app, 'production')
    twilio.add_environment(app, 'staging', 'stage')
    code, result = run_module(main, {'unique_name': 'myapp', 'include_environments': True})
    service = result['services'][0]
    assert service['module_args'] == {'sid': app, 'unique_name': 'myapp', 'friendly_name': 'My app', 'include_credentials': False, 'ui_editable': True}
    code, adopted = run_module(serverless_service.main, service['module_args'])
    assert code == 0 and adopted['changed'] is False
    for environment in service['environments']:
        code, adopted = run_module(serverless_environment.main, environment['module_args'])
        assert code == 0 and adopted['changed'] is False
    assert twilio.writes() == []


def test_sid_and_unique_name_are_exclusive(run_module, twilio):
    code, result = run_module(main, {'sid': 'ZS' + 'f' * 32, 'unique_name': 'x'})
    assert code == 1 and 'mutually exclusive' in result['msg'] and twilio.calls == []


@pytest.mark.parametrize('args, word', [({'sid': 'ZSnope'}, 'sid'), ({'unique_name': 'no_pe'}, 'unique_name')])
def test_validation_fails_before_any_request(run_module, twilio, args, word):
    code, result = run_module(main, args)
    assert code == 1 and result['msg'].startswith(word) and twilio.calls == []


def test_error_names_what_was_listed(run_module, twilio):
    twilio.add('myapp')
    twilio.fail(twilio_error(500, 20500, 'Internal Server Error'), method='GET', path='/Environments$', times=10)
    code, result = run_module(main, {'include_environments': True, 'retries': 0})
    assert code == 1
    assert result['msg'] == ('Failed to list serverless environments of service myapp: Internal Server Error (code 20500)')
