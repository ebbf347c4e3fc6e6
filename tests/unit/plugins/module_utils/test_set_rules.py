# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest

from ansible_collections.chatops.twilio.plugins.module_utils import _set_rules as cs
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError


def test_check_settings_coerces_and_names_the_path():
    assert cs.check_settings({'typing_indicator_timeout': '5', 'limits': {'channel_members': 9}}, 'v2') == {
        'typing_indicator_timeout': 5,
        'limits': {'channel_members': 9},
    }
    with pytest.raises(OptionError, match=r'^x\.limits\.channel_member is not a Chat service setting; did you mean'):
        cs.check_settings({'limits': {'channel_member': 9}}, 'v2', 'x')
    with pytest.raises(OptionError, match=r'^x\.reachability_enabled must be of type bool'):
        cs.check_settings({'reachability_enabled': 'maybe'}, 'v2', 'x')
    with pytest.raises(OptionError, match=r'^x\.webhook_filters must be of type list'):
        cs.check_settings({'webhook_filters': 'onMessageSent'}, 'v2', 'x')
    with pytest.raises(OptionError, match=r'^x\.typing_indicator_timeout must be of type int'):
        cs.check_settings({'typing_indicator_timeout': True}, 'v2', 'x')
    with pytest.raises(OptionError, match=r'^x\.webhook_method must be one of GET, POST'):
        cs.check_settings({'webhook_method': 'PUT'}, 'v2', 'x')


def test_check_settings_names_the_origin_of_a_merged_value():
    with pytest.raises(OptionError, match=r'^o\.dev\.media is not supported by Chat API v1'):
        cs.check_settings({'media': {'compatibility_message': 'x'}}, 'v1', 'common', {'media': 'o.dev'})
    with pytest.raises(OptionError, match=r'^common\.media is not supported'):
        cs.check_settings({'media': {'compatibility_message': 'x'}}, 'v1', 'common', {'limits': 'o.dev'})


def test_unknown_key_without_a_close_match_lists_the_keys_briefly():
    with pytest.raises(OptionError) as exc:
        cs.check_settings({'zzz': 1}, 'v2', 'x')
    assert 'valid keys:' in '%s' % exc.value and len('%s' % exc.value) < 700


@pytest.mark.parametrize('value, expected', [('a', ['a']), ('a,b', ['a', 'b']), (' a , ', ['a']), ([], []), (['a-b'], ['a-b']), (None, [])])
def test_as_names(value, expected):
    assert cs.as_names(value, 'v') == expected


@pytest.mark.parametrize('value', [{'a': 1}, 3, ['a', 1]])
def test_as_names_refuses(value):
    with pytest.raises(ValueError, match='^v must be a list of strings'):
        cs.as_names(value, 'v')


def test_strays_and_name_regex():
    services = [{'sid': 'IS1', 'friendly_name': 'app-dev'}, {'sid': 'IS2', 'friendly_name': 'app-qa'}, {'sid': 'IS3', 'friendly_name': 'other'}]
    assert cs.strays(services, ['app-dev'], cs.name_regex('{app}-{env}', 'app')) == [{'sid': 'IS2', 'friendly_name': 'app-qa'}]
    assert [s['sid'] for s in cs.strays(services, ['app-dev'], None)] == ['IS2', 'IS3']
    assert re.fullmatch(cs.name_regex('{env}.{app}', 'a+b'), 'x.a+b')
    assert cs.matches_by_name(services, 'app-q') == []


# ---- Conversations settings (conversations_services, the chat_environments role) ----------------


def test_check_conversations_settings_coerces_and_names_the_path():
    settings = {'configuration': {'reachability_enabled': 'yes'}, 'webhooks': {'filters': ['onMessageAdded']}}
    assert cs.check_conversations_settings(settings, 'x') == {'configuration': {'reachability_enabled': True}, 'webhooks': {'filters': ['onMessageAdded']}}
    with pytest.raises(OptionError, match=r'^x\.notifications\.added_to_channel is not a Conversations service setting; did you mean added_to_conversation\?'):
        cs.check_conversations_settings({'notifications': {'added_to_channel': {'enabled': True}}}, 'x')
    # Names Twilio does not list are accepted (the module warns); an empty one is not.
    assert cs.check_conversations_settings({'webhooks': {'filters': ['onMessageSent']}}, 'x') == {'webhooks': {'filters': ['onMessageSent']}}
    with pytest.raises(OptionError, match=r'^x\.webhooks\.filters must not contain empty names'):
        cs.check_conversations_settings({'webhooks': {'filters': ['']}}, 'x')
    with pytest.raises(OptionError, match=r'^x\.configuration\.reachability_enabled must be of type bool'):
        cs.check_conversations_settings({'configuration': {'reachability_enabled': 'maybe'}}, 'x')


def test_check_conversations_settings_names_the_origin_of_a_merged_value():
    with pytest.raises(OptionError, match=r'^o\.dev\.webhooks\.filters must not contain empty names'):
        cs.check_conversations_settings({'webhooks': {'filters': ['']}}, 'common', {'webhooks': 'o.dev'})
    with pytest.raises(OptionError, match=r'^common\.webhooks\.post_webhook_url must be an absolute'):
        cs.check_conversations_settings({'webhooks': {'post_webhook_url': 'h'}}, 'common', {'configuration': 'o.dev'})


@pytest.mark.parametrize(
    'path, chat, conversations',
    [
        ('reachability_enabled', True, False),
        ('configuration', False, True),
        ('configuration.reachability_enabled', False, True),
        ('notifications', True, True),
        ('notifications.new_message.enabled', True, True),
        ('notifications.added_to_channel', True, False),
        ('notifications.added_to_conversation.enabled', False, True),
        ('webhooks.post_webhook_url', False, True),
        ('webhooks.on_message_send.url', True, False),
        ('limits.nothing', False, False),
    ],
)
def test_setting_of(path, chat, conversations):
    assert cs.setting_of(path, cs.CHAT) is chat
    assert cs.setting_of(path, cs.CONVERSATIONS) is conversations
