# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.chatops.twilio.plugins.modules import conversations_service, conversations_service_info

main = conversations_service_info.main


def test_lists_all_without_settings_in_one_request(run_module, twilio):
    twilio.add('a')
    twilio.add('b')
    code, result = run_module(main, {})
    assert code == 0 and result['changed'] is False
    assert [s['friendly_name'] for s in result['services']] == ['Default Conversations Service', 'a', 'b']
    assert [c[1] for c in twilio.calls] == ['/conversations/v1/Services']
    assert result['services'][1]['module_args'] == {'sid': result['services'][1]['sid'], 'friendly_name': 'a'}


def test_filter_by_name_and_include_settings(run_module, twilio):
    twilio.add('a')
    sid = twilio.add('b')
    twilio.configure(sid, 'webhooks', {'Filters': 'onMessageAdded', 'PostWebhookUrl': 'https://h.example/post'})
    code, result = run_module(main, {'name': 'b', 'include': ['webhooks', 'configuration']})
    assert [s['sid'] for s in result['services']] == [sid]
    service = result['services'][0]
    assert service['webhooks']['filters'] == ['onMessageAdded'] and 'notifications' not in service
    assert service['module_args']['webhooks'] == {'filters': ['onMessageAdded'], 'method': 'POST', 'post_webhook_url': 'https://h.example/post'}
    assert service['module_args']['configuration']['reachability_enabled'] is False
    assert [c[1] for c in twilio.calls] == [
        '/conversations/v1/Services',
        '/conversations/v1/Services/%s/Configuration' % sid,
        '/conversations/v1/Services/%s/Configuration/Webhooks' % sid,
    ]


def test_by_sid_missing_is_an_empty_list(run_module, twilio):
    code, result = run_module(main, {'sid': 'IS' + 'f' * 32, 'include': ['webhooks']})
    assert code == 0 and result['services'] == []


def test_module_args_round_trip_as_a_no_op(run_module, twilio):
    sid = twilio.add('dev')
    twilio.configure(sid, 'notifications', {'NewMessage.Enabled': 'true', 'NewMessage.Template': 'hi'})
    twilio.configure(sid, 'configuration', {'ReachabilityEnabled': 'true'})
    code, result = run_module(main, {'sid': sid, 'include': ['configuration', 'notifications', 'webhooks']})
    args = result['services'][0]['module_args']
    before = len(twilio.calls)
    code, result = run_module(conversations_service.main, args, diff=True)
    assert code == 0 and result['changed'] is False and twilio.writes() == []
    assert len(twilio.calls) - before == 4
    assert result['diff']['before'] == result['diff']['after']


def test_sid_is_checked_before_any_request(run_module, twilio):
    code, result = run_module(main, {'sid': 'nope'})
    assert code == 1 and twilio.calls == []
    assert 'sid must be a conversations service SID matching ^IS[0-9a-fA-F]{32}$' in result['msg']
