# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A new Conversations service's webhook defaults (issue 20 item 4): whether Twilio answers the spec's fetchEmpty
example (method null) or its schema (method POST), a re-run right after a create is a no-op. The in-process emulator
(tests/emulator) in either mode; the requests from its log."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.chatops.twilio.plugins.modules import conversations_service, conversations_services
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import sent, writes

WEBHOOK_SETTINGS = [
    {'method': 'POST'},
    {'method': 'POST', 'filters': []},
    {'filters': [], 'pre_webhook_url': '', 'post_webhook_url': ''},
    {'method': 'GET', 'filters': ['onMessageAdded']},
]


@pytest.mark.parametrize('mode', ['schema', 'example'])
@pytest.mark.parametrize('webhooks', WEBHOOK_SETTINGS)
def test_rerun_after_create_is_a_noop(run, emu, api, mode, webhooks):
    emu.conversations_webhook_defaults = mode
    args = {'friendly_name': 'fresh', 'webhooks': webhooks}
    code, created = run(conversations_service.main, args)
    assert code == 0 and created['changed'] is True
    sid = created['service']['sid']
    # The spec's defaults need no webhook write for a default value.
    webhook_writes = [w for w in writes(emu) if w[1].endswith('/Webhooks')]
    assert len(webhook_writes) == (1 if webhooks.get('method') == 'GET' else 0)
    code, again = run(conversations_service.main, args, diff=True)
    assert code == 0 and again['changed'] is False and writes(emu) == []
    assert ('GET', 'v1/Services/%s/Configuration/Webhooks' % sid) in sent(emu)
    code, again = run(conversations_service.main, args, check=True)
    assert again['changed'] is False and writes(emu) == []


@pytest.mark.parametrize('mode', ['schema', 'example'])
def test_new_service_prediction_shows_the_spec_defaults(run, emu, mode):
    emu.conversations_webhook_defaults = mode
    code, result = run(conversations_service.main, {'friendly_name': 'fresh', 'webhooks': {'filters': []}}, check=True)
    assert result['service']['webhooks'] == {'pre_webhook_url': None, 'post_webhook_url': None, 'filters': None, 'method': None}


@pytest.mark.parametrize('mode', ['schema', 'example'])
def test_set_rerun_after_create_is_a_noop(run, emu, mode):
    emu.conversations_webhook_defaults = mode
    args = {'services': [{'friendly_name': 'fresh', 'settings': {'webhooks': {'method': 'POST', 'filters': []}}}]}
    code, created = run(conversations_services.main, args)
    assert code == 0 and created['changed'] is True
    code, again = run(conversations_services.main, args)
    assert again['changed'] is False and writes(emu) == []


def test_chat_v2_sound_left_out_of_answers_until_set_stays_idempotent(run, emu, api):
    """The emulator answers a v2 sound only once set, as the spec's example leaves it out (issue 20 item 5)."""
    from ansible_collections.chatops.twilio.plugins.modules import chat_service  # pylint: disable=import-outside-toplevel

    api('POST', '/chat/v2/Services', {'FriendlyName': 'notes'})
    for sound in ('ding', ''):
        args = {'friendly_name': 'notes', 'notifications': {'new_message': {'enabled': True, 'sound': sound}}}
        code, result = run(chat_service.main, args)
        assert code == 0
        code, again = run(chat_service.main, args)
        assert again['changed'] is False and writes(emu) == []
