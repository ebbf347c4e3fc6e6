# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl

URL = rl.Field(('pre_webhook_url',), 'url', ('webhooks',))
SID = rl.Field(('default_role_sid',), 'sid', prefix='RL')
COUNT = rl.Field(('limits', 'members'), 'int', minimum=1, maximum=1000)
FILTERS = rl.Field(('filters',), 'list', ('webhooks',), choices=('onA', 'onB'))
METHOD = rl.Field(('method',), 'method', ('webhooks',))
TIMER = rl.Field(('timer',), 'duration', minimum=600)
NAME = rl.Field(('friendly_name',), 'name', max_len=5, aliases=('name',))
FIELDS = [NAME, URL, SID, COUNT, FILTERS, METHOD, TIMER]


def test_option_and_form_names():
    deep = rl.Field(('new_message', 'with_media', 'enabled'), 'bool', ('notifications',))
    assert deep.option == 'notifications.new_message.with_media.enabled'
    assert deep.form == 'NewMessage.WithMedia.Enabled'


def test_argument_spec_nests_by_option_path():
    spec = rl.argument_spec(FIELDS)
    assert spec['webhooks'] == {
        'type': 'dict',
        'options': {'pre_webhook_url': {'type': 'str'}, 'filters': {'type': 'list', 'elements': 'str'}, 'method': {'type': 'str', 'choices': ['GET', 'POST']}},
    }
    assert spec['friendly_name'] == {'type': 'str', 'aliases': ['name']}
    assert spec['limits']['options']['members'] == {'type': 'int'}


@pytest.mark.parametrize(
    'field, value, message',
    [
        (NAME, '  ', 'friendly_name must not be empty'),
        (NAME, 'toolong', 'friendly_name must be at most 5 characters, got 7'),
        (URL, 'https://', 'webhooks.pre_webhook_url must be an absolute http(s) URL'),
        (URL, 'https://h.example/a b', 'must be an absolute http(s) URL'),
        (SID, 'RL' + 'a' * 31, 'default_role_sid must be a SID matching ^RL[0-9a-fA-F]{32}$'),
        (SID, 'RL' + 'a' * 32 + '\n', 'must be a SID matching'),
        (COUNT, 0, 'limits.members must be 1 or more, got 0'),
        (COUNT, 1001, 'limits.members must be 1000 or less, got 1001'),
        (FILTERS, ['onC'], "webhooks.filters must contain only onA, onB; got 'onC'"),
        (TIMER, 'P1Y', 'timer must be an ISO 8601 duration'),
        (TIMER, 'PT', 'timer must be an ISO 8601 duration'),
        (TIMER, 'P', 'timer must be an ISO 8601 duration'),
        (TIMER, 'PT9M59S', 'timer must be at least 600 seconds (PT10M)'),
    ],
)
def test_checks(field, value, message):
    with pytest.raises(rl.OptionError) as exc:
        field.check(value)
    assert message in str(exc.value)


@pytest.mark.parametrize(
    'field, value',
    [
        (URL, ''),
        (SID, ''),
        (TIMER, ''),
        (TIMER, 'P1W'),
        (TIMER, 'PT10M'),
        (TIMER, 'P1DT2H3M4.5S'),
        (FILTERS, []),
        (COUNT, 1000),
        (NAME, 'ok'),
    ],
)
def test_valid_values_pass(field, value):
    field.check(value)


@pytest.mark.parametrize(
    'field, wanted, current, differs',
    [
        (URL, '', None, False),
        (URL, 'https://h.example', None, True),
        (METHOD, 'GET', 'get', False),
        (FILTERS, ['onB', 'onA'], ['onA', 'onB'], False),
        (FILTERS, [], None, False),
        (TIMER, 'PT60M', 'PT1H', False),
        (TIMER, 'PT61M', 'PT1H', True),
        (COUNT, 5, '5', False),
    ],
)
def test_comparison_is_normalised(field, wanted, current, differs):
    record = rl.predict({}, [field], {field: current})
    assert bool(rl.differing([field], {field: wanted}, record)) is differs


def test_prediction_of_a_cleared_setting_is_null_as_twilio_answers():
    predicted = rl.predict({'pre_webhook_url': 'https://a.example', 'filters': ['onA']}, [URL, FILTERS], {URL: '', FILTERS: []})
    assert predicted['pre_webhook_url'] is None and predicted['filters'] == []
    assert rl.differing([URL], {URL: ''}, predicted) == []  # the next run sees no change


def test_unknown_fields_always_differ():
    assert rl.differing([URL, SID], {URL: '', SID: ''}, {}, unknown=[SID]) == [SID]


def test_desired_keeps_set_options_and_checks_them():
    params = {'friendly_name': 'ok', 'webhooks': {'filters': ['onA'], 'method': None, 'pre_webhook_url': None}, 'limits': None}
    wanted = rl.desired(FIELDS, params)
    assert {f.option: v for f, v in wanted.items()} == {'friendly_name': 'ok', 'webhooks.filters': ['onA']}
    with pytest.raises(rl.OptionError, match='friendly_name must not be empty'):
        rl.desired(FIELDS, {'friendly_name': '  '})


def test_view_predict_and_module_args():
    record = {'webhooks_unused': 1, 'method': 'post', 'filters': ['', 'onA'], 'pre_webhook_url': None}
    assert rl.view(record, [METHOD, URL]) == {'method': 'post', 'pre_webhook_url': None}
    assert rl.predict(record, [METHOD], {METHOD: 'GET'})['method'] == 'GET'
    assert rl.module_args(record, [METHOD, FILTERS, URL]) == {'webhooks': {'method': 'POST', 'filters': ['onA']}}


def test_collection_checks_sids():
    collection = rl.Collection('conversations', 'v1', 'Services', 'conversations service', 'IS', NAME)
    collection.check_sid(None)
    collection.check_sid('IS' + 'A' * 32)
    with pytest.raises(rl.OptionError, match=r'sid must be a conversations service SID matching \^IS'):
        collection.check_sid('IS' + 'a' * 32 + '\n')
