# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Control characters in names and string options, escaped names, and near misses of known names (issue 18)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.chatops.twilio.plugins.module_utils import _chat_fields as cf
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils._module import strict_type_error
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError

NAME = rl.Field(('friendly_name',), 'name')
TEXT = rl.Field(('template',), 'str')
EVENTS = [f for f in cf.FIELDS if f.path == ('webhook_filters',)][0]


@pytest.mark.parametrize('char', ['\x00', '\n', '\t', '\r', '\x1b', '\x7f', '\x85', '\u2028', '\u202e'])
def test_a_name_with_a_control_character_is_refused(char):
    with pytest.raises(OptionError, match=r'^friendly_name must not contain control characters, got \\'):
        NAME.check('acme%sdev' % char)


def test_free_text_may_hold_tabs_and_line_breaks_but_not_nul():
    TEXT.check('New message\n\tfrom ${USER}\r\n')
    for char in ('\x00', '\x1b', '\x07', '\u202e'):
        with pytest.raises(OptionError, match='^template must not contain NUL or control characters other than tab and line breaks'):
            TEXT.check('a%sb' % char)


def test_printable_escapes_what_would_forge_a_line():
    assert rl.printable('acme-q\x1b[2Ja\nfake\x00') == 'acme-q\\x1b[2Ja\\nfake\\x00'
    assert rl.printable('acme-dev') == 'acme-dev' and rl.printable('café') == 'café'


def test_strict_type_error_refuses_nul_in_any_string_option_without_showing_it():
    spec = {'auth_token': {'type': 'str'}, 'services': {'type': 'list', 'elements': 'dict', 'options': {'name': {'type': 'str'}}}}
    assert strict_type_error(spec, {'auth_token': 'sec\x00ret'}) == (
        'auth_token must not contain NUL or control characters other than tab and line breaks, got \\x00'
    )
    assert strict_type_error(spec, {'services': [{'name': 'ok'}, {'name': 'a\x1bb'}]}).startswith('services[1].name must not contain NUL')
    assert strict_type_error(spec, {'auth_token': 'fine', 'services': [{'name': 'tab\tok'}]}) is None


@pytest.mark.parametrize(
    'event, closest',
    [('onMessageSnet', 'onMessageSent'), ('onmessagesent', 'onMessageSent'), ('OnChannelAdded', 'onChannelAdded'), ('onMemberAded', 'onMemberAdded')],
)
def test_a_near_miss_of_a_chat_webhook_event_is_refused(event, closest):
    with pytest.raises(OptionError, match=r"'%s' is not a known event; did you mean %s\?" % (event, closest)):
        EVENTS.check(['onMessageSent', event])


def test_known_and_far_chat_webhook_events_pass():
    EVENTS.check(list(cf.WEBHOOK_FILTER_EVENTS))
    # Twilio's list is open (the spec types the parameter as any string): a name far from every known one passes
    EVENTS.check(['onSomethingNew'])


def test_the_known_chat_events_include_the_16_of_the_v1_webhooks():
    assert {'onMessageSend', 'onMessageSent', 'onChannelDestroyed', 'onMemberRemoved'} <= set(cf.WEBHOOK_FILTER_EVENTS)
    assert len(set(cf.WEBHOOK_FILTER_EVENTS)) == len(cf.WEBHOOK_FILTER_EVENTS) == 23


def test_a_closed_choice_list_is_sorted_with_did_you_mean():
    field = rl.Field(('filters',), 'list', choices=('onB', 'onA', 'onMessageAdded'))
    with pytest.raises(OptionError) as raised:
        field.check(['onMessageAdd'])
    assert '%s' % raised.value == "filters must contain only onA, onB, onMessageAdded; got 'onMessageAdd'; did you mean onMessageAdded?"
