# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.chatops.twilio.plugins.modules import serverless_environments

main = serverless_environments.main
EMULATED = 'serverless'  # conftest's twilio fixture seeds Functions Services
THREE = [{'name': 'dev', 'domain_suffix': 'dev'}, {'name': 'stage', 'domain_suffix': 'stage'}, {'name': 'prod', 'domain_suffix': ''}]


def test_creates_service_and_environments_without_relisting(run_module, twilio):
    code, result = run_module(main, {'service': 'myapp', 'environments': THREE}, diff=True)
    assert code == 0 and result['changed'] is True and result['service_changed'] is True
    # fetch (absent), create service, three creates: no listing per environment
    assert twilio.methods() == ['GET', 'POST', 'POST', 'POST', 'POST']
    domains = dict((e['unique_name'], e['domain_name']) for e in result['environments'])
    base = result['service']['domain_base']
    assert domains == {'dev': base + '-dev.twil.io', 'stage': base + '-stage.twil.io', 'prod': base + '.twil.io'}
    assert [d['after_header'] for d in result['diff']] == ['dev', 'stage', 'prod']


def test_noop_is_one_fetch_and_one_listing(run_module, twilio):
    run_module(main, {'service': 'myapp', 'environments': THREE})
    twilio.clear_log()
    code, result = run_module(main, {'service': 'myapp', 'environments': THREE})
    assert code == 0 and result['changed'] is False
    assert twilio.methods() == ['GET', 'GET']


def test_check_mode_before_the_service_exists(run_module, twilio):
    code, result = run_module(main, {'service': 'myapp', 'environments': THREE}, check=True)
    assert code == 0 and result['changed'] is True
    assert twilio.methods() == ['GET', 'GET']  # the service by name, and the listing that counts services against the cap
    assert [e['action'] for e in result['environments']] == ['create'] * 3
    assert all(e['domain_name'] is None and e['sid'] is None for e in result['environments'])


def test_changed_suffix_fails_before_any_write_unless_recreate(run_module, twilio):
    run_module(main, {'service': 'myapp', 'environments': THREE})
    twilio.clear_log()
    moved = [{'name': 'stage', 'domain_suffix': 'staging'}, {'name': 'dev', 'state': 'absent'}]
    code, result = run_module(main, {'service': 'myapp', 'environments': moved})
    assert code == 1 and 'recreate=true' in result['msg'] and twilio.writes() == []
    code, result = run_module(main, {'service': 'myapp', 'environments': moved, 'recreate': True})
    assert code == 0
    assert [e['action'] for e in result['environments']] == ['recreate', 'delete']
    assert result['environments'][0]['domain_name'].endswith('-staging.twil.io')
    assert result['environments'][1]['sid'] is None


def test_two_environments_cannot_share_a_domain(run_module, twilio):
    code, result = run_module(main, {'service': 'myapp', 'environments': [{'name': 'a', 'domain_suffix': 'x'}, {'name': 'b', 'domain_suffix': 'X'}]})
    assert code == 1 and 'cannot share a domain' in result['msg'] and twilio.writes() == []


def test_all_absent_and_no_service_sends_one_request(run_module, twilio):
    code, result = run_module(main, {'service': 'myapp', 'environments': [{'name': 'dev', 'state': 'absent'}]})
    assert code == 0 and result['changed'] is False and twilio.methods() == ['GET']


@pytest.mark.parametrize(
    'args, fragment',
    [
        ({'service': 'my_app'}, 'service may only contain'),
        ({'environments': [{'name': 'dev', 'domain_suffix': 'a.b'}]}, 'environments[0].domain_suffix'),
        ({'environments': [{'name': 'dev'}, {'name': 'dev'}]}, 'environments[1].unique_name'),
    ],
)
def test_bad_input_fails_before_any_request(run_module, twilio, args, fragment):
    full = dict({'service': 'myapp', 'environments': THREE}, **args)
    code, result = run_module(main, full)
    assert code == 1 and fragment in result['msg'] and twilio.calls == []
