# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""conversations_service and conversations_services under concurrency, lost answers and an unreachable API.

* Parallel runs creating the same name converge on one service (the client's namesake check after
  the create), every run reports that service, and it carries the settings.
* A create whose answer is lost after Twilio committed it (``commit_drop``) is never sent again:
  the run adopts the service, reads its settings (it cannot assume Twilio's defaults for a service
  it did not see being made) and writes only what differs.
* conversations_services: parallel runs creating the same set converge on one service per name;
  the role with every environment on Conversations fails once against an unreachable API.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import threading

import harness  # pylint: disable=import-error
from stub_servers import ClosedPort  # pylint: disable=import-error

RUNS = 4
SETTINGS = {
    'configuration': {'reachability_enabled': True},
    'webhooks': {'method': 'GET', 'filters': ['onMessageAdded']},
}


def _run(emulator, args, results, index):
    results[index] = harness.run_module('conversations_service', dict(harness.connection_args(emulator), **args), harness.base_env(emulator, credentials=None))


def _settings_of(emulator, sid):
    base = 'Services/%s/Configuration' % sid
    session = emulator.session
    auth = (emulator.account_sid, emulator.auth_token)
    url = '%s/conversations/v1/%s' % (emulator.url, base)
    return session.get(url, auth=auth, timeout=30).json(), session.get(url + '/Webhooks', auth=auth, timeout=30).json()


def test_parallel_creates_of_one_name_converge_on_one_service(clean):
    emulator = clean
    results = [None] * RUNS
    threads = [threading.Thread(target=_run, args=(emulator, dict(SETTINGS, friendly_name='conv-race'), results, i)) for i in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for run in results:
        assert run.result is not None and not run.result.get('failed'), run.describe()
    services = [s for s in emulator.services() if s['friendly_name'] == 'conv-race']
    assert len(services) == 1, 'duplicates left: %s' % [s['sid'] for s in services]
    assert set(run.result['service']['sid'] for run in results) == set([services[0]['sid']])
    configuration, webhooks = _settings_of(emulator, services[0]['sid'])
    assert configuration['reachability_enabled'] is True
    assert webhooks['method'] == 'GET' and webhooks['filters'] == ['onMessageAdded']
    harness.report('conversations_service: %d parallel creates of one name -> 1 service' % RUNS)

    emulator.clear_log()
    again = harness.run_module(
        'conversations_service', dict(harness.connection_args(emulator), friendly_name='conv-race', **SETTINGS), harness.base_env(emulator, credentials=None)
    )
    assert again.result['changed'] is False and harness.writes(emulator.requests_log()) == []


def test_a_create_whose_answer_is_lost_is_adopted_not_sent_again(clean):
    emulator = clean
    emulator.faults(kinds=['commit_drop'], next=1, methods=['POST'])
    run = harness.run_module(
        'conversations_service', dict(harness.connection_args(emulator), friendly_name='conv-lost', **SETTINGS), harness.base_env(emulator, credentials=None)
    )
    assert run.result is not None and not run.result.get('failed'), run.describe()
    assert run.result['changed'] is True
    services = [s for s in emulator.services() if s['friendly_name'] == 'conv-lost']
    assert len(services) == 1
    log = emulator.requests_log()
    creates = [e for e in log if e['method'] == 'POST' and e['path'].endswith('/Services')]
    assert len(creates) == 1, 'the create was sent again: %s' % creates
    paths = [(e['method'], e['path'].split(services[0]['sid'])[-1]) for e in log if services[0]['sid'] in e['path']]
    assert ('GET', '/Configuration') in paths and ('GET', '/Configuration/Webhooks') in paths
    configuration, webhooks = _settings_of(emulator, services[0]['sid'])
    assert configuration['reachability_enabled'] is True and webhooks['method'] == 'GET'


def test_parallel_set_runs_converge_on_one_service_per_name(clean):
    """conversations_services: each run creates what it does not see, then one namesake check for all of them."""
    emulator = clean
    services = [{'name': 'conv-set-%s' % env, 'settings': SETTINGS} for env in ('dev', 'prod')]
    results = [None] * RUNS

    def run(index):
        results[index] = harness.run_module(
            'conversations_services', dict(harness.connection_args(emulator), services=services), harness.base_env(emulator, credentials=None)
        )

    threads = [threading.Thread(target=run, args=(i,)) for i in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    for result in results:
        assert result.result is not None and not result.result.get('failed'), result.describe()
    for name in ('conv-set-dev', 'conv-set-prod'):
        found = [s for s in emulator.services() if s['friendly_name'] == name]
        assert len(found) == 1, 'duplicates of %s left: %s' % (name, [s['sid'] for s in found])
        assert set(r.result['services'][name.endswith('prod')]['sid'] for r in results) == set([found[0]['sid']])
        configuration, webhooks = _settings_of(emulator, found[0]['sid'])
        assert configuration['reachability_enabled'] is True and webhooks['method'] == 'GET'
    harness.report('conversations_services: %d parallel runs of 2 new services -> 1 service per name' % RUNS)

    emulator.clear_log()
    again = harness.run_module(
        'conversations_services', dict(harness.connection_args(emulator), services=services), harness.base_env(emulator, credentials=None)
    )
    assert again.result['changed'] is False and harness.writes(emulator.requests_log()) == []


def test_the_role_on_conversations_fails_once_against_an_unreachable_api(clean):
    """Every environment on Conversations, prod in a second account: the first account fails, the second is not tried."""
    closed = ClosedPort()
    try:
        run = harness.run_playbook(
            os.path.join(harness.HERE, 'playbooks', 'converge_environments.yml'),
            harness.base_env(clean, extra={'TWILIO_API_BASE_URL': closed.url + '/{product}'}),
            extra_vars={
                'chat_environments_app': 'convfail',
                'chat_environments_api_version': 'conversations',
                'chat_environments_conversations_common': {'webhooks': {'method': 'GET'}},
                'chat_environments_overrides': {'prod': {'account_sid': 'AC' + 'b' * 32, 'auth_token': 't' * 32}},
            },
        )
    finally:
        closed.stop()
    assert run.rc == 2, run.describe()
    failed = [r for r in run.results if r.get('status') in ('failed', 'item_failed')]
    items = [r for r in failed if r['status'] == 'item_failed']
    assert len(items) == 1, run.describe()
    assert items[0]['result']['msg'].startswith('Failed to list conversations services: connection refused'), items[0]
    assert items[0]['result']['__chat_environments_envs'] == ['dev', 'stage']
    assert clean.requests_log() == []
