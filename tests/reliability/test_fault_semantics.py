# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Deterministic companions of the soak: one fault of each kind on the one write of a run.

Each case injects exactly one fault (``next: 1``) on the create, update or delete request of a
``chat_service`` run and asserts the exact request sequence that follows, the result
(``changed``), the final state and that nothing was duplicated. 429 with Retry-After must
wait the announced second before the retry.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

import harness  # pylint: disable=import-error

KINDS = ['429', '429_retry_after', '500', '503', 'reset', 'commit_drop']
NAME = 'faulty'
SETTINGS = {'typing_indicator_timeout': 17, 'limits': {'channel_members': 77}}

# Requests after the faulted create, by kind: (method, kind of request, fault). Every successful create is
# followed by one listing: the check for namesakes that concurrent runs created at the same time.
CREATE_SEQUENCES = {
    # never processed: re-sent at once
    '429': ['GET list', 'POST create 429', 'POST create', 'GET list', 'POST update'],
    '429_retry_after': ['GET list', 'POST create 429_retry_after', 'POST create', 'GET list', 'POST update'],
    # Twilio answered that it failed, but a 5xx'd create may still commit: looked for (the listing and 4 looks
    # more), nothing new, so the create is re-sent
    '500': ['GET list', 'POST create 500'] + ['GET list'] * 5 + ['POST create', 'GET list', 'POST update'],
    '503': ['GET list', 'POST create 503'] + ['GET list'] * 5 + ['POST create', 'GET list', 'POST update'],
    # processed, answer lost: the new service is found and adopted, never created twice
    'commit_drop': ['GET list', 'POST create commit_drop', 'GET list', 'GET list', 'POST update'],
}


def sequence(log):
    return [' '.join(x for x in (e['method'], harness.request_kind(e), e['fault']) if x) for e in log]


def run(emulator, args):
    result = harness.run_module('chat_service', dict(args, friendly_name=NAME), harness.base_env(emulator))
    assert result.result is not None and not result.result.get('failed'), result.describe()
    return result.result


def test_reset_on_create_is_never_resent_and_the_next_run_creates(clean):
    # No answer at all: Twilio may still commit it, so this run only looks (4 more times) and fails clearly.
    clean.faults(next=1, kinds=['reset'], methods=['POST'])
    first = harness.run_module('chat_service', dict(SETTINGS, friendly_name=NAME), harness.base_env(clean))
    assert first.rc == 1 and 'so it was not sent again' in first.result['msg'], first.describe()
    assert sequence(clean.requests_log()) == ['GET list', 'POST create reset'] + ['GET list'] * 5
    clean.clear_log()
    result = run(clean, SETTINGS)
    assert result['changed'] is True
    assert sequence(clean.requests_log()) == ['GET list', 'POST create', 'GET list', 'POST update']
    assert [s['friendly_name'] for s in clean.services()] == [NAME]


@pytest.mark.parametrize('kind', sorted(CREATE_SEQUENCES))
def test_fault_on_create(clean, kind):
    clean.faults(next=1, kinds=[kind], methods=['POST'])
    result = run(clean, SETTINGS)
    log = clean.requests_log()
    assert sequence(log) == CREATE_SEQUENCES[kind]
    assert result['changed'] is True
    services = clean.services()
    assert [s['friendly_name'] for s in services] == [NAME]
    assert services[0]['typing_indicator_timeout'] == 17 and services[0]['limits']['channel_members'] == 77
    if kind == '429_retry_after':
        assert log[2]['timestamp'] - log[1]['timestamp'] >= 0.95, 'Retry-After: 1 was not honoured'


@pytest.mark.parametrize('kind', KINDS)
def test_fault_on_update(clean, kind):
    clean.create_service(NAME)
    clean.age()  # an existing service, not a concurrent run's fresh create (those are looked at again)
    clean.clear_log()
    clean.faults(next=1, kinds=[kind], methods=['POST'])
    result = run(clean, SETTINGS)
    assert sequence(clean.requests_log()) == ['GET list', 'POST update %s' % kind, 'POST update']
    assert result['changed'] is True
    services = clean.services()
    assert len(services) == 1 and services[0]['typing_indicator_timeout'] == 17


@pytest.mark.parametrize('kind', [k for k in KINDS if k != 'commit_drop'])
def test_fault_on_delete(clean, kind):
    clean.create_service(NAME)
    clean.age()  # an existing service, not a concurrent run's fresh create (those are looked at again)
    clean.clear_log()
    clean.faults(next=1, kinds=[kind], methods=['DELETE'])
    result = run(clean, {'state': 'absent'})
    # 'GET fetch': the account configuration, which says the service is not the account's default Conversations Service
    assert sequence(clean.requests_log()) == ['GET list', 'GET fetch', 'DELETE delete %s' % kind, 'DELETE delete']
    assert result['changed'] is True
    assert clean.services() == []


def test_commit_drop_on_delete_reports_changed(clean):
    clean.create_service(NAME)
    clean.age()  # an existing service, not a concurrent run's fresh create (those are looked at again)
    clean.clear_log()
    clean.faults(next=1, kinds=['commit_drop'], methods=['DELETE'])
    result = run(clean, {'state': 'absent'})
    assert sequence(clean.requests_log()) == ['GET list', 'GET fetch', 'DELETE delete commit_drop', 'DELETE delete']
    assert clean.services() == []
    assert result['changed'] is True
