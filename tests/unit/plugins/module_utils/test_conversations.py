# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Conversations field tables against Twilio's OpenAPI description (the docs: tests/unit/test_settings_sync.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

from ansible_collections.chatops.twilio.plugins.module_utils import _conversations as conv

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))
SPEC_FILE = os.path.join(ROOT, 'tests', 'emulator', 'specs', 'twilio_conversations_v1.json')


def _spec():
    with open(SPEC_FILE) as handle:
        return json.load(handle)


def _form(spec, path):
    body = spec['paths'][path]['post']['requestBody']['content']['application/x-www-form-urlencoded']['schema']
    return body['properties']


@pytest.mark.parametrize(
    'singleton, path',
    [
        (conv.CONFIGURATION, '/v1/Services/{ChatServiceSid}/Configuration'),
        (conv.NOTIFICATIONS, '/v1/Services/{ChatServiceSid}/Configuration/Notifications'),
        (conv.WEBHOOKS, '/v1/Services/{ChatServiceSid}/Configuration/Webhooks'),
        (conv.ACCOUNT_CONFIGURATION, '/v1/Configuration'),
        (conv.ACCOUNT_WEBHOOKS, '/v1/Configuration/Webhooks'),
    ],
)
def test_every_form_parameter_of_the_spec_is_in_the_table(singleton, path):
    properties = _form(_spec(), path)
    assert sorted(f.form for f in singleton.fields) == sorted(properties)
    for field in singleton.fields:
        prop = properties[field.form]
        if 'pattern' in prop:
            assert field.kind == 'sid' and prop['pattern'] == '^%s[0-9a-fA-F]{32}$' % field.rules['prefix']
        if prop.get('type') == 'boolean':
            assert field.kind == 'bool'
        if prop.get('type') == 'array':
            assert field.kind == 'list'
            for event in field.rules['known']:  # the events the spec's prose lists
                assert '`%s`' % event in prop['description']


def test_service_create_takes_the_friendly_name_only():
    properties = _form(_spec(), '/v1/Services')
    assert list(properties) == [conv.NAME.form]
    assert '256 characters' in properties['FriendlyName']['description'] and conv.NAME.rules['max_len'] == 256


def test_service_fields_are_answer_fields():
    """Each field path exists in the answer schema of its resource (the answers are what is compared)."""
    schemas = _spec()['components']['schemas']
    for singleton, name in (
        (conv.CONFIGURATION, 'conversations.v1.service.service_configuration'),
        (conv.WEBHOOKS, 'conversations.v1.service.service_configuration.service_webhook_configuration'),
        (conv.NOTIFICATIONS, 'conversations.v1.service.service_configuration.service_notification'),
        (conv.ACCOUNT_CONFIGURATION, 'conversations.v1.configuration'),
        (conv.ACCOUNT_WEBHOOKS, 'conversations.v1.configuration.configuration_webhook'),
    ):
        for field in singleton.fields:
            assert field.path[0] in schemas[name]['properties'], field


def test_fresh_service_defaults_leave_the_role_sids_unknown():
    record, unknown = conv.CONFIGURATION.fresh()
    assert record == {'reachability_enabled': False}
    assert sorted(f.option for f in unknown) == [
        'configuration.default_chat_service_role_sid',
        'configuration.default_conversation_creator_role_sid',
        'configuration.default_conversation_role_sid',
    ]
    record, unknown = conv.NOTIFICATIONS.fresh()
    assert unknown == [] and record['new_message']['with_media'] == {'enabled': False, 'template': None}


def test_filter_warnings_use_the_one_matcher_and_only_warn():
    """Conversations filters: an undocumented name is warned about (never refused), with the near miss that
    ``_fields.near_miss`` finds (letter case first, then a loose typo match); a far name gets no hint."""
    [filters] = [f for f in conv.WEBHOOKS.fields if f.path == ('filters',)]
    warnings = conv.filter_warnings({filters: ['onmessageadded', 'onMesageRemoved', 'zzz', 'onMessageAdded']})
    assert len(warnings) == 3
    assert warnings[0].startswith("webhooks.filters: 'onmessageadded' is not among") and warnings[0].endswith('did you mean onMessageAdded?')
    assert warnings[1].endswith('did you mean onMessageRemoved?')
    assert warnings[2].endswith('it is sent as given')
