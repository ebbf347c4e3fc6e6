# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.chatops.twilio.plugins.modules import serverless_variables as module
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import log_writes, make_service

# The emulator fixtures, used as test arguments.


def variables_of(emu, service, env):
    import requests
    from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import ACCOUNT_SID, AUTH_TOKEN

    url = '%s/serverless/v1/Services/%s/Environments/%s/Variables' % (emu.base_url, service['sid'], env['sid'])
    answer = requests.get(url, auth=(ACCOUNT_SID, AUTH_TOKEN), timeout=10).json()
    emu.request_log(clear=True)
    return dict((v['key'], v['value']) for v in answer['variables'])


def test_create_noop_update_purge(emu, run_emulated):
    service, envs = make_service(emu)
    args = dict(service='app', environment='dev', variables={'GREETING': 'hello', 'RETRIES': 3, 'ON': True})
    code, result = run_emulated(module.main, args, check=True, diff=True)
    assert code == 0 and result['changed'] is True
    assert result['added'] == ['GREETING', 'ON', 'RETRIES']
    assert log_writes(emu.request_log(clear=True)) == []
    code, result = run_emulated(module.main, args)
    assert result['changed'] is True and result['variable_keys'] == ['GREETING', 'ON', 'RETRIES']
    assert len(log_writes(emu.request_log(clear=True))) == 3
    assert variables_of(emu, service, envs['dev']) == {'GREETING': 'hello', 'RETRIES': '3', 'ON': 'true'}
    # the re-run: no write, 2 reads (the environments, listed under the service name; the variables)
    code, result = run_emulated(module.main, args)
    assert result['changed'] is False
    log = emu.request_log(clear=True)
    assert log_writes(log) == [] and len(log) == 2
    # a changed value is one POST to that variable
    args['variables']['GREETING'] = 'bonjour'
    code, result = run_emulated(module.main, args, diff=True)
    assert result['updated'] == ['GREETING']
    log = log_writes(emu.request_log(clear=True))
    assert [(e['method'], e['path'].rsplit('/', 2)[-2]) for e in log] == [('POST', 'Variables')]
    assert 'bonjour' not in json.dumps(result) and 'hello' not in json.dumps(result)
    assert result['diff']['after']['GREETING'] == '(value hidden, changed)'
    # purge deletes unlisted keys
    code, result = run_emulated(module.main, dict(service='app', environment='dev', variables={'GREETING': 'bonjour'}, purge=True))
    assert result['removed'] == ['ON', 'RETRIES']
    assert variables_of(emu, service, envs['dev']) == {'GREETING': 'bonjour'}


def test_purge_never_deletes_the_reserved_variable(emu, run_emulated):
    import requests
    from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import ACCOUNT_SID, AUTH_TOKEN

    service, envs = make_service(emu)
    url = '%s/serverless/v1/Services/%s/Environments/%s/Variables' % (emu.base_url, service['sid'], envs['dev']['sid'])
    requests.post(url, data={'Key': 'CHATOPS_DEPLOY', 'Value': 'x'}, auth=(ACCOUNT_SID, AUTH_TOKEN), timeout=10)
    emu.request_log(clear=True)
    code, result = run_emulated(module.main, dict(service='app', environment=envs['dev']['sid'], variables={}, purge=True))
    assert result['changed'] is False and result['removed'] == []
    assert log_writes(emu.request_log()) == []


@pytest.mark.parametrize(
    'variables, message',
    [
        ({'K' * 129: 'v'}, 'Twilio allows at most 128'),
        ({'BIG': 'é' * 226}, 'variables.BIG is 452 bytes long in UTF-8; Twilio allows at most 450 bytes'),
        (dict(('K%02d' % i, 'v' * 400) for i in range(8)), 'within 3000 bytes'),
        ({'CHATOPS_DEPLOY': 'x'}, 'variables.CHATOPS_DEPLOY is reserved'),
        ({'LIST': ['abcdefgh']}, 'variables.LIST must be a string, a number or a boolean, got list'),
        ({'NONE': None}, 'variables.NONE must be a string, a number or a boolean, got null'),
    ],
)
def test_limits_are_checked_before_any_request(emu, run_emulated, variables, message):
    code, result = run_emulated(module.main, dict(service='app', environment='dev', variables=variables))
    assert code == 1 and message in result['msg']
    assert emu.request_log() == []
    assert 'é' * 10 not in result['msg'] and 'vvvvvvvvvv' not in result['msg']


def test_whole_set_over_budget_fails_before_any_write(emu, run_emulated):
    import requests
    from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import ACCOUNT_SID, AUTH_TOKEN

    service, envs = make_service(emu)
    url = '%s/serverless/v1/Services/%s/Environments/%s/Variables' % (emu.base_url, service['sid'], envs['dev']['sid'])
    for i in range(6):
        requests.post(url, data={'Key': 'OLD%d' % i, 'Value': 'o' * 400}, auth=(ACCOUNT_SID, AUTH_TOKEN), timeout=10)
    emu.request_log(clear=True)
    code, result = run_emulated(module.main, dict(service='app', environment='dev', variables={'NEW1': 'n' * 400, 'NEW2': 'n' * 400}))
    assert code == 1 and 'would hold take' in result['msg']
    assert log_writes(emu.request_log()) == []


def test_missing_environment_is_named(emu, run_emulated):
    make_service(emu)
    code, result = run_emulated(module.main, dict(service='app', environment='prod', variables={'A': 'b'}))
    assert code == 1 and 'serverless environment prod does not exist in service app' in result['msg']
