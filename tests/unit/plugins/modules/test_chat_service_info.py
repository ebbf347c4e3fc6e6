# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.chatops.twilio.plugins.modules import chat_service, chat_service_info
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import twilio_error

main = chat_service_info.main


def test_lists_all_services_across_pages(run_module, twilio):
    for index in range(119):  # and the account's default Conversations Service: 120
        twilio.add('s%d' % index)
    code, result = run_module(main, {}, check=True)
    assert code == 0 and result['changed'] is False and len(result['services']) == 120
    assert len(twilio.calls) == 2 and twilio.writes() == []


def test_a_fresh_account_lists_its_default_conversations_service(run_module, twilio):
    code, result = run_module(main, {})
    # Twilio makes it with every account; it is a Chat service too (one IS object)
    assert [(s['sid'], s['friendly_name']) for s in result['services']] == [(twilio.default_sid, 'Default Conversations Service')]
    code, result = run_module(main, {'name': 'nothing of that name'})
    assert result['services'] == []


def test_filter_by_name_and_sid(run_module, twilio):
    sid = twilio.add('a')
    twilio.add('b')
    twilio.add('a')
    code, result = run_module(main, {'name': 'a'})
    assert [s['friendly_name'] for s in result['services']] == ['a', 'a']
    code, result = run_module(main, {'sid': sid})
    assert [s['sid'] for s in result['services']] == [sid] and len(twilio.calls) == 2
    code, result = run_module(main, {'sid': 'IS' + 'e' * 32})
    assert result['services'] == []


def test_sid_and_name_are_exclusive(run_module, twilio):
    code, result = run_module(main, {'sid': 'IS' + 'e' * 32, 'name': 'a'})
    assert code == 1 and 'mutually exclusive' in result['msg']


def test_bad_sid(run_module, twilio):
    code, result = run_module(main, {'sid': 'nope'})
    assert code == 1 and 'sid must be a Chat Service SID' in result['msg'] and twilio.calls == []


def test_error_message(run_module, twilio):
    twilio.fail(twilio_error(403, 20403, 'Forbidden'))
    code, result = run_module(main, {'sid': 'IS' + 'e' * 32})
    assert code == 1 and result['msg'] == 'Failed to fetch chat service IS%s: Forbidden (code 20403)' % ('e' * 32)


def test_v1_shape(run_module, twilio):
    twilio.add('legacy', webhooks={'on_member_added': {'url': 'https://a.example', 'method': 'get', 'format': 'json'}})
    code, result = run_module(main, {'api_version': 'v1', 'name': 'legacy'})
    service = result['services'][0]
    assert 'media' not in service and service['module_args']['api_version'] == 'v1'
    assert service['module_args']['webhooks'] == {'on_member_added': {'url': 'https://a.example', 'method': 'GET'}}


def test_module_args_feed_back_as_a_noop(run_module, twilio):
    twilio.add(
        'dev',
        reachability_enabled=True,
        webhook_filters=['onMessageSent'],
        pre_webhook_url='https://p.example',
        notifications={'log_enabled': True, 'new_message': {'enabled': True, 'template': 't', 'sound': None, 'badge_count_enabled': False}},
        media={'size_limit_mb': 150, 'compatibility_message': 'c'},
    )
    for version in ('v2', 'v1'):
        code, result = run_module(main, {'name': 'dev', 'api_version': version})
        args = result['services'][0]['module_args']
        before = len(twilio.calls)
        code, result = run_module(chat_service.main, args)
        assert code == 0 and result['changed'] is False, result
        assert len(twilio.calls) == before + 1 and twilio.writes() == []
