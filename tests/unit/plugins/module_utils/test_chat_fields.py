# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.chatops.twilio.plugins.module_utils import _chat_fields as cf
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl

# UpdateServiceRequest properties of twilio-oai twilio_chat_v1.json / twilio_chat_v2.json (d50069b4).
_COMMON = [
    'FriendlyName',
    'DefaultServiceRoleSid',
    'DefaultChannelRoleSid',
    'DefaultChannelCreatorRoleSid',
    'ReadStatusEnabled',
    'ReachabilityEnabled',
    'TypingIndicatorTimeout',
    'ConsumptionReportInterval',
    'Notifications.NewMessage.Enabled',
    'Notifications.NewMessage.Template',
    'Notifications.AddedToChannel.Enabled',
    'Notifications.AddedToChannel.Template',
    'Notifications.RemovedFromChannel.Enabled',
    'Notifications.RemovedFromChannel.Template',
    'Notifications.InvitedToChannel.Enabled',
    'Notifications.InvitedToChannel.Template',
    'PreWebhookUrl',
    'PostWebhookUrl',
    'WebhookMethod',
    'WebhookFilters',
    'Limits.ChannelMembers',
    'Limits.UserChannels',
]
_EVENTS = [
    'OnMessageSend',
    'OnMessageUpdate',
    'OnMessageRemove',
    'OnChannelAdd',
    'OnChannelDestroy',
    'OnChannelUpdate',
    'OnMemberAdd',
    'OnMemberRemove',
    'OnMessageSent',
    'OnMessageUpdated',
    'OnMessageRemoved',
    'OnChannelAdded',
    'OnChannelDestroyed',
    'OnChannelUpdated',
    'OnMemberAdded',
    'OnMemberRemoved',
]
SPEC_V1 = _COMMON + ['Webhooks.%s.%s' % (e, p) for e in _EVENTS for p in ('Url', 'Method')]
SPEC_V2 = _COMMON + [
    'Notifications.NewMessage.Sound',
    'Notifications.NewMessage.BadgeCountEnabled',
    'Notifications.AddedToChannel.Sound',
    'Notifications.RemovedFromChannel.Sound',
    'Notifications.InvitedToChannel.Sound',
    'Media.CompatibilityMessage',
    'PreWebhookRetryCount',
    'PostWebhookRetryCount',
    'Notifications.LogEnabled',
]


@pytest.mark.parametrize('version, expected', [('v1', SPEC_V1), ('v2', SPEC_V2)])
def test_table_matches_the_openapi_spec(version, expected):
    forms = [f.form for f in cf.fields_for(version)]
    assert len(forms) == len(set(forms)) == len(expected)
    assert sorted(forms) == sorted(expected)


def test_form_and_option_names():
    field = [f for f in cf.FIELDS if f.path == ('notifications', 'new_message', 'badge_count_enabled')][0]
    assert field.option == 'notifications.new_message.badge_count_enabled'
    assert field.form == 'Notifications.NewMessage.BadgeCountEnabled'


def test_desired_settings_keeps_only_what_is_set():
    params = {'friendly_name': 'x', 'limits': {'channel_members': 5, 'user_channels': None}, 'notifications': None, 'webhook_filters': []}
    desired = cf.desired_settings(params, 'v2')
    assert {f.option: v for f, v in desired.items()} == {'friendly_name': 'x', 'limits.channel_members': 5, 'webhook_filters': []}


@pytest.mark.parametrize(
    'field_option, desired, current, changed',
    [
        ('pre_webhook_url', '', None, False),
        ('pre_webhook_url', None, '', False),
        ('webhook_method', 'POST', 'post', False),
        ('webhook_filters', ['b', 'a'], ['a', 'b'], False),
        ('webhook_filters', [], None, False),
        ('webhook_filters', ['a'], ['a', 'b'], True),
        ('read_status_enabled', False, None, True),
        ('typing_indicator_timeout', 5, '5', False),
        ('notifications.new_message.enabled', True, None, True),
    ],
)
def test_normalised_comparison(field_option, desired, current, changed):
    field = [f for f in cf.FIELDS if f.option == field_option][0]
    service = {}
    if current is not None:
        rl.set_path(service, field.path, current)
    assert bool(rl.differing(cf.FIELDS, {field: desired}, service)) is changed


def test_module_args_round_trip():
    service = {
        'sid': 'IS' + 'a' * 32,
        'friendly_name': 'x',
        'webhook_method': 'post',
        'webhook_filters': ['a'],
        'pre_webhook_url': None,
        'limits': {'channel_members': 250, 'user_channels': 100},
        'notifications': {},
        'media': {'size_limit_mb': 150, 'compatibility_message': None},
        'links': {'users': 'u'},
        'url': 'u',
    }
    args = cf.module_args(service, 'v2')
    assert args == {
        'sid': 'IS' + 'a' * 32,
        'api_version': 'v2',
        'friendly_name': 'x',
        'webhook_method': 'POST',
        'webhook_filters': ['a'],
        'limits': {'channel_members': 250, 'user_channels': 100},
    }
    desired = cf.desired_settings(args, 'v2')
    assert rl.differing(cf.FIELDS, desired, service) == []


def test_module_args_v1_webhooks_drop_format():
    hook = {'url': 'https://a.example', 'method': 'GET', 'format': 'json'}
    service = {'sid': 'IS' + 'a' * 32, 'webhooks': {'on_message_send': hook}}
    assert cf.module_args(service, 'v1')['webhooks'] == {'on_message_send': {'url': 'https://a.example', 'method': 'GET'}}


def test_predict_and_view():
    field = [f for f in cf.FIELDS if f.option == 'limits.user_channels'][0]
    current = {'limits': {'channel_members': 1, 'user_channels': 2}}
    predicted = rl.predict(current, [field], {field: 9})
    assert predicted['limits'] == {'channel_members': 1, 'user_channels': 9} and current['limits']['user_channels'] == 2
    assert rl.view(predicted, [field]) == {'limits': {'user_channels': 9}}
    assert rl.view(None, [field]) == {'limits': {'user_channels': None}}


def _field(option):
    return [f for f in cf.FIELDS if f.option == option][0]


def test_not_applied_uses_the_comparison_of_the_next_run():
    limit, method, name = _field('limits.channel_members'), _field('webhook_method'), _field('friendly_name')
    desired = {limit: 500, method: 'get', name: 'dev'}
    answer = {'friendly_name': 'dev', 'webhook_method': 'GET', 'limits': {'channel_members': 250}}
    assert rl.differing([limit, method, name], desired, answer) == [limit]
    assert rl.differing([method, name], desired, answer) == []
    assert rl.describe_unapplied([limit], desired, answer) == 'limits.channel_members (sent 500, Twilio has 250)'
    flag = _field('notifications.new_message.enabled')
    assert (
        rl.describe_unapplied([flag, name], {flag: True, name: 'x'}, {})
        == "notifications.new_message.enabled (sent true, Twilio has null), friendly_name (sent 'x', Twilio has null)"
    )


@pytest.mark.parametrize(
    'pattern, value',
    [
        (cf.SERVICE_SID_RE, 'IS' + 'a' * 32 + '\n'),
        (cf.ROLE_SID_RE, 'RL' + 'a' * 32 + '\n'),
    ],
)
def test_sid_patterns_refuse_a_trailing_newline(pattern, value):
    assert pattern.match(value.strip()) and not pattern.match(value)
