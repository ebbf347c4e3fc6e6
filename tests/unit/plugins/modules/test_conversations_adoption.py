# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Adoption round trip (issue 20): conversations_service_info's module_args, fed to conversations_service, change
nothing and send no write, for a service configured through Chat v2, a bare one and a native Conversations one."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.chatops.twilio.plugins.modules import conversations_service, conversations_service_info
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import writes
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import warning_texts

INCLUDE = ['configuration', 'notifications', 'webhooks']


def make_services(api):
    chat = api('POST', '/chat/v2/Services', {'FriendlyName': 'from-chat'})
    api(
        'POST',
        '/chat/v2/Services/' + chat['sid'],
        [
            ('WebhookFilters', 'onMessageSent'),
            ('WebhookFilters', 'onChannelAdded'),
            ('PostWebhookUrl', 'https://hooks.example.com/chat'),
            ('WebhookMethod', 'GET'),
            ('ReachabilityEnabled', 'true'),
            ('Notifications.NewMessage.Enabled', 'true'),
            ('Notifications.NewMessage.Template', '${USER}: ${MESSAGE}'),
            ('Notifications.AddedToChannel.Enabled', 'true'),
            ('Notifications.InvitedToChannel.Enabled', 'true'),
            ('Notifications.LogEnabled', 'true'),
            ('TypingIndicatorTimeout', '9'),
        ],
    )
    api('POST', '/conversations/v1/Services', {'FriendlyName': 'bare'})
    native = api('POST', '/conversations/v1/Services', {'FriendlyName': 'native'})
    base = '/conversations/v1/Services/%s/Configuration' % native['sid']
    api('POST', base + '/Webhooks', [('Filters', 'onMessageAdded'), ('Filters', 'onConversationAdded'), ('PreWebhookUrl', 'https://hooks.example.com/pre')])
    api('POST', base + '/Notifications', [('NewMessage.Enabled', 'true'), ('NewMessage.WithMedia.Enabled', 'true'), ('NewMessage.WithMedia.Template', 'file')])


def test_module_args_round_trip_is_a_no_op_for_every_service(run, emu, api):
    make_services(api)
    code, info = run(conversations_service_info.main, {'include': INCLUDE})
    # the account's default Conversations Service (Twilio makes it with the account) is listed, and round-trips too
    assert code == 0 and sorted(s['friendly_name'] for s in info['services']) == ['Default Conversations Service', 'bare', 'from-chat', 'native']
    chat = [s for s in info['services'] if s['friendly_name'] == 'from-chat'][0]
    assert chat['module_args']['webhooks']['filters'] == ['onMessageSent', 'onChannelAdded']
    for service in info['services']:
        code, result = run(conversations_service.main, service['module_args'], diff=True)
        assert code == 0, (service['friendly_name'], result)
        assert result['changed'] is False, (service['friendly_name'], result['diff'])
        assert writes(emu) == [], service['friendly_name']
        code, result = run(conversations_service.main, service['module_args'], check=True)
        assert result['changed'] is False and writes(emu) == []
        if service['friendly_name'] == 'from-chat':
            assert any("'onMessageSent' is not among" in w and 'did you mean onMessageAdded?' in w for w in warning_texts(result)), result
            assert any("'onChannelAdded' is not among" in w and 'did you mean onConversationAdded?' in w for w in warning_texts(result))
        else:
            assert 'warnings' not in result


def test_an_unknown_filter_is_sent_with_a_warning_and_the_spec_example_is_not_refused(run, emu, api):
    sid = api('POST', '/conversations/v1/Services', {'FriendlyName': 'open'})['sid']
    code, result = run(conversations_service.main, {'sid': sid, 'webhooks': {'filters': ['onMessageSend', 'onMesageAdded', 'onMessageAdded']}})
    assert code == 0 and result['changed'] is True
    assert emu.request_log()[-1]['method'] == 'POST'
    assert sorted(result['service']['webhooks']['filters']) == ['onMesageAdded', 'onMessageAdded', 'onMessageSend']
    warnings = warning_texts(result)
    assert [w.split(': ', 1)[1].split(' is not')[0] for w in warnings] == ["'onMessageSend'", "'onMesageAdded'"]
    assert 'did you mean onMessageAdd? onMessageSend is the Chat name of that event' in warnings[0]
    assert warnings[1].endswith('did you mean onMessageAdded?')
