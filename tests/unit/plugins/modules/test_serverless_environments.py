# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import threading

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


# ---- on the set flow (ServiceSet, keyed): the rename's diff and check, parallel environments --------------------


def test_rename_of_the_service_is_shown_in_diff_before_the_environments(run_module, twilio):
    sid = twilio.add('myapp', friendly_name='Old name')
    twilio.add_environment(sid, 'dev', 'dev')
    code, result = run_module(main, {'service': 'myapp', 'friendly_name': 'New name', 'environments': THREE}, diff=True)
    assert code == 0 and result['changed'] is True and result['service_changed'] is True
    rename = result['diff'][0]
    assert rename['before_header'] == rename['after_header'] == 'service myapp'
    assert rename['before']['friendly_name'] == 'Old name' and rename['after']['friendly_name'] == 'New name'
    assert [d['after_header'] for d in result['diff'][1:]] == ['stage', 'prod']  # dev is already so
    assert ('POST', '/serverless/v1/Services/%s' % sid) in twilio.sent() and twilio.services[sid]['friendly_name'] == 'New name'


def test_rename_in_check_mode_is_predicted_in_diff_without_a_write(run_module, twilio):
    sid = twilio.add('myapp', friendly_name='Old name')
    for environment in THREE:
        twilio.add_environment(sid, environment['name'], environment['domain_suffix'])
    code, result = run_module(main, {'service': 'myapp', 'friendly_name': 'New name', 'environments': THREE}, check=True, diff=True)
    assert code == 0 and result['changed'] is True and twilio.writes() == []
    assert [(d['before_header'], d['after']['friendly_name']) for d in result['diff']] == [('service myapp', 'New name')]


def test_rename_twilio_did_not_apply_fails_naming_it(run_module, twilio):
    twilio.add('myapp', friendly_name='Old name')
    twilio.faults(next=1, kinds=['drop_field'], methods=['POST'], drop_field='FriendlyName')
    code, result = run_module(main, {'service': 'myapp', 'friendly_name': 'New name', 'environments': THREE[:1]})
    assert code == 1 and result['not_applied'] == ['friendly_name']
    assert 'did not apply friendly_name' in result['msg'] and 'myapp' in result['msg']
    assert [m for m, path in twilio.sent() if m == 'POST'] == ['POST'], 'no environment is written after the failed rename'


def test_environment_create_twilio_did_not_apply_fails_naming_it(run_module, twilio):
    sid = twilio.add('myapp')
    twilio.faults(next=1, kinds=['drop_field'], methods=['POST'], drop_field='DomainSuffix')
    code, result = run_module(main, {'service': 'myapp', 'environments': THREE[:1], 'parallelism': 1})
    assert code == 1 and result['changed'] is True and result['not_applied'] == ['domain_suffix']
    assert result['msg'].startswith('Twilio accepted the creation of serverless environment dev of service myapp but did not apply domain_suffix')
    assert [e['unique_name'] for e in twilio.api('GET', '/serverless/v1/Services/%s/Environments' % sid)['environments']] == ['dev']


def test_environments_in_parallel_are_reported_in_the_order_of_the_items(run_module, twilio):
    names = ['env-%d' % index for index in range(8)]
    items = [{'name': name, 'domain_suffix': 's%d' % index} for index, name in enumerate(names)]
    original = twilio.request
    rng, in_flight, most = random.Random(5), [0], [0]
    lock = threading.Lock()

    def slow(method, url, **kwargs):
        with lock:
            delay = rng.uniform(0, 0.04)
            in_flight[0] += 1
            most[0] = max(most[0], in_flight[0])
        try:
            threading.Event().wait(delay)
            return original(method, url, **kwargs)
        finally:
            with lock:
                in_flight[0] -= 1

    twilio.add('myapp')
    twilio.request = slow
    code, result = run_module(main, {'service': 'myapp', 'environments': items, 'parallelism': 4}, diff=True)
    assert code == 0 and most[0] > 1, 'the creates did not overlap: the test proves nothing'
    assert [e['unique_name'] for e in result['environments']] == names and [d['after_header'] for d in result['diff']] == names
    assert [e['domain_suffix'] for e in result['environments']] == ['s%d' % index for index in range(8)]
    assert twilio.methods().count('POST') == 8


def test_a_domain_freed_by_a_delete_is_taken_after_it_in_order(run_module, twilio):
    """A new environment that takes the domain of one this run deletes: one after the other, the delete first."""
    sid = twilio.add('myapp')
    old = twilio.add_environment(sid, 'old', 'web')
    items = [{'name': 'old', 'state': 'absent'}] + [{'name': 'e%d' % index, 'domain_suffix': 'x%d' % index} for index in range(3)]
    items.append({'name': 'new', 'domain_suffix': 'web'})
    code, result = run_module(main, {'service': 'myapp', 'environments': items, 'parallelism': 8})
    assert code == 0, result
    writes = [(m, path.rsplit('/', 1)[-1]) for m, path in twilio.sent() if m != 'GET']
    assert writes == [('DELETE', old)] + [('POST', 'Environments')] * 4
    assert result['environments'][-1]['domain_name'].endswith('-web.twil.io')
