# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.chatops.twilio.plugins.modules import conversations_configuration

main = conversations_configuration.main
SERVICE = 'IS' + 'a' * 32


def test_sets_only_what_differs_then_is_a_no_op(run_module, twilio):
    twilio.add('default', sid=SERVICE)  # Twilio takes only a service of the account
    made_with_the_account = twilio.default_sid
    args = {'default_chat_service_sid': SERVICE, 'default_closed_timer': 'P30D'}
    code, result = run_module(main, args, diff=True)
    assert code == 0 and result['changed'] is True
    assert twilio.sent() == [('GET', '/conversations/v1/Configuration'), ('POST', '/conversations/v1/Configuration')]
    assert twilio.calls[1][3] == [('DefaultChatServiceSid', SERVICE), ('DefaultClosedTimer', 'P30D')]
    # before: the default Conversations Service Twilio makes with every account
    assert result['diff'] == {
        'before': {'default_chat_service_sid': made_with_the_account, 'default_closed_timer': None},
        'after': {'default_chat_service_sid': SERVICE, 'default_closed_timer': 'P30D'},
    }
    assert result['configuration']['default_closed_timer'] == 'P30D' and 'webhooks' not in result['configuration']
    code, result = run_module(main, dict(args, default_closed_timer='PT720H'))  # the same length
    assert result['changed'] is False and len(twilio.writes()) == 1


def test_webhooks_only_reads_and_writes_the_webhooks(run_module, twilio):
    args = {'webhooks': {'target': 'flex', 'filters': ['onUserAdded', 'onMessageAdded'], 'method': 'GET'}}
    code, result = run_module(main, args, check=True, diff=True)
    assert result['changed'] is True and twilio.writes() == []
    assert [c[1] for c in twilio.calls] == ['/conversations/v1/Configuration/Webhooks']
    assert result['configuration']['webhooks']['target'] == 'flex'
    code, result = run_module(main, args)
    assert twilio.writes()[0][3] == [('Filters', 'onUserAdded'), ('Filters', 'onMessageAdded'), ('Method', 'GET'), ('Target', 'flex')]
    code, result = run_module(main, dict(args, webhooks=dict(args['webhooks'], method='GET')))
    assert result['changed'] is False


def test_clears_are_sent(run_module, twilio):
    twilio.configure(None, 'configuration', {'DefaultInactiveTimer': 'PT5M'})
    code, result = run_module(main, {'default_inactive_timer': ''})
    assert result['changed'] is True and twilio.writes()[0][3] == [('DefaultInactiveTimer', '')]
    assert twilio.settings(None, 'configuration')['default_inactive_timer'] is None


def test_unapplied_setting_fails_naming_it(run_module, twilio):
    twilio.faults(next=1, kinds=['drop_field'], methods=['POST'], drop_field='Target')
    code, result = run_module(main, {'webhooks': {'target': 'flex'}})
    assert code == 1 and result['not_applied'] == ['webhooks.target'] and result['changed'] is False


@pytest.mark.parametrize(
    'args, message',
    [
        ({'default_inactive_timer': '30 minutes'}, 'default_inactive_timer must be an ISO 8601 duration'),
        ({'default_inactive_timer': 'P1M'}, 'default_inactive_timer must be an ISO 8601 duration'),
        ({'default_inactive_timer': 'PT59S'}, "default_inactive_timer must be at least 60 seconds (PT1M), got 'PT59S'"),
        ({'default_closed_timer': 'PT9M'}, "default_closed_timer must be at least 600 seconds (PT10M), got 'PT9M'"),
        ({'default_closed_timer': 600}, 'default_closed_timer must be an ISO 8601 duration'),
        ({'default_messaging_service_sid': 'IS' + 'a' * 32}, 'default_messaging_service_sid must be a SID matching ^MG'),
        ({'default_chat_service_sid': 'IS' + 'a' * 32 + '\n'}, 'default_chat_service_sid must be a SID matching ^IS'),
        ({'webhooks': {'filters': ['onUserAdded', '']}}, 'webhooks.filters must not contain empty names'),
        ({'webhooks': {'target': 'sms'}}, 'value of target must be one of: webhook, flex, got: sms found in webhooks'),
        ({'default_chat_service_sid': ''}, "default_chat_service_sid must be a SID matching ^IS[0-9a-fA-F]{32}$, got ''"),
        ({'default_messaging_service_sid': ''}, "default_messaging_service_sid must be a SID matching ^MG[0-9a-fA-F]{32}$, got ''"),
        ({}, 'one of the following is required: default_chat_service_sid'),
    ],
)
def test_bad_input_fails_before_any_request(run_module, twilio, args, message):
    code, result = run_module(main, args)
    assert code == 1 and twilio.calls == []
    assert message in result['msg']
