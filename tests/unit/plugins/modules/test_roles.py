# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""chat_role and conversations_role against the in-process emulator (tests/emulator): requests from its log."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.chatops.twilio.plugins.modules import chat_role, conversations_role
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import sent, writes


@pytest.fixture
def chat_service(api):
    return api('POST', '/chat/v2/Services', {'FriendlyName': 'support'})


# ---- chat_role -----------------------------------------------------------------------------------


def test_chat_role_create_check_apply_rerun(run, emu, chat_service):
    sid = chat_service['sid']
    args = {'service': 'support', 'friendly_name': 'announcer', 'type': 'channel', 'permissions': ['sendMessage', 'leaveChannel']}
    code, predicted = run(chat_role.main, args, check=True, diff=True)
    assert code == 0 and predicted['changed'] is True and writes(emu) == []
    assert predicted['diff'] == {
        'before': {},
        'after': {'sid': None, 'friendly_name': 'announcer', 'type': 'channel', 'permissions': ['leaveChannel', 'sendMessage']},
    }
    code, created = run(chat_role.main, args)
    assert code == 0 and created['changed'] is True
    assert sent(emu) == [
        ('GET', 'v2/Services'),
        ('GET', 'v2/Services/%s/Roles' % sid),
        ('POST', 'v2/Services/%s/Roles' % sid),
        ('GET', 'v2/Services/%s/Roles' % sid),
    ]
    role = created['role']
    assert (role['type'], role['service_sid'], sorted(role['permissions'])) == ('channel', sid, ['leaveChannel', 'sendMessage'])
    # Permissions in another order, the service by SID: the floor, one listing, no write.
    code, again = run(chat_role.main, dict(args, service=sid, permissions=['leaveChannel', 'sendMessage']))
    assert again['changed'] is False and sent(emu) == [('GET', 'v2/Services/%s/Roles' % sid)]
    code, again = run(chat_role.main, dict(args, service=sid), check=True)
    assert again['changed'] is False and writes(emu) == []


def test_chat_role_update_sends_the_whole_list(run, emu, api, chat_service):
    sid = chat_service['sid']
    role = api('POST', '/chat/v2/Services/%s/Roles' % sid, [('FriendlyName', 'r'), ('Type', 'deployment'), ('Permission', 'createChannel')])
    args = {'service': sid, 'friendly_name': 'r', 'permissions': ['createChannel', 'joinChannel']}
    code, result = run(chat_role.main, args, diff=True)
    assert result['changed'] is True and writes(emu) == [('POST', 'v2/Services/%s/Roles/%s' % (sid, role['sid']))]
    assert result['diff']['before']['permissions'] == ['createChannel'] and result['diff']['after']['permissions'] == ['createChannel', 'joinChannel']
    assert sorted(api('GET', '/chat/v2/Services/%s/Roles/%s' % (sid, role['sid']))['permissions']) == ['createChannel', 'joinChannel']
    # permissions left out: left alone
    code, result = run(chat_role.main, {'service': sid, 'friendly_name': 'r'})
    assert result['changed'] is False and writes(emu) == []


def test_chat_role_type_change_fails_with_no_write(run, emu, chat_service):
    code, result = run(chat_role.main, {'service': 'support', 'friendly_name': 'channel user', 'type': 'deployment'})
    assert code == 1 and writes(emu) == []
    assert 'is of type channel, not deployment' in result['msg'] and 'cannot change the type' in result['msg']


def test_chat_role_create_needs_type_and_permissions(run, emu, chat_service):
    code, result = run(chat_role.main, {'service': 'support', 'friendly_name': 'new'})
    assert code == 1 and writes(emu) == []
    assert 'to create it set type and permissions' in result['msg']


def test_chat_role_empty_permissions_refused_before_any_request(run, emu, chat_service):
    code, result = run(chat_role.main, {'service': 'support', 'friendly_name': 'x', 'type': 'channel', 'permissions': []})
    assert code == 1 and sent(emu) == []
    assert result['msg'].startswith('permissions must name at least one permission')


def test_chat_role_duplicates_and_ambiguous_service_list_the_sids(run, emu, api, chat_service):
    sid = chat_service['sid']
    made = [
        api('POST', '/chat/v2/Services/%s/Roles' % sid, [('FriendlyName', 'twin'), ('Type', 'channel'), ('Permission', 'sendMessage')]) for dummy in range(2)
    ]
    code, result = run(chat_role.main, {'service': sid, 'friendly_name': 'twin', 'state': 'absent'})
    assert code == 1 and writes(emu) == [] and sorted(result['sids']) == sorted(r['sid'] for r in made)
    other = api('POST', '/chat/v2/Services', {'FriendlyName': 'support'})
    code, result = run(chat_role.main, {'service': 'support', 'friendly_name': 'twin'})
    assert code == 1 and writes(emu) == [] and sorted(result['sids']) == sorted([sid, other['sid']])
    assert "service 'support' matches 2 chat services" in result['msg']


def test_chat_role_delete_of_a_default_role_is_refused(run, emu, api, chat_service):
    sid = chat_service['sid']
    code, result = run(chat_role.main, {'service': sid, 'api_version': 'v1', 'friendly_name': 'channel user', 'state': 'absent'})
    assert code == 1 and writes(emu) == []
    assert 'is the default_channel_role_sid of its service' in result['msg']
    # The service admin role is no setting's: it goes, in check mode first.
    code, result = run(chat_role.main, {'service': sid, 'friendly_name': 'service admin', 'state': 'absent'}, check=True)
    assert result['changed'] is True and writes(emu) == []
    code, result = run(chat_role.main, {'service': sid, 'friendly_name': 'service admin', 'state': 'absent'}, diff=True)
    assert result['changed'] is True and writes(emu) == [('DELETE', 'v2/Services/%s/Roles/%s' % (sid, result['role']['sid']))]
    assert result['diff']['after'] == {} and result['diff']['before']['friendly_name'] == 'service admin'
    code, result = run(chat_role.main, {'service': sid, 'friendly_name': 'service admin', 'state': 'absent'})
    assert result['changed'] is False and writes(emu) == []
    # Once the service points elsewhere, the former default can go.
    api('POST', '/chat/v2/Services/%s' % sid, {'DefaultChannelRoleSid': chat_service['default_channel_creator_role_sid']})
    code, result = run(chat_role.main, {'service': sid, 'friendly_name': 'channel user', 'state': 'absent'})
    assert result['changed'] is True


# ---- conversations_role --------------------------------------------------------------------------


def test_conversations_service_role_sees_chat_roles_with_conversations_types(run, emu, api, chat_service):
    sid = chat_service['sid']
    code, result = run(conversations_role.main, {'service': sid, 'friendly_name': 'channel user', 'type': 'conversation'})
    assert code == 0 and result['changed'] is False
    assert sent(emu) == [('GET', 'v1/Services/%s/Roles' % sid)]
    assert emu.request_log()[0]['query'] == 'PageSize=50'
    code, result = run(conversations_role.main, {'service': sid, 'friendly_name': 'channel user', 'type': 'service'})
    assert code == 1 and 'is of type conversation, not service' in result['msg'] and writes(emu) == []
    code, result = run(conversations_role.main, {'service': sid, 'friendly_name': 'channel user', 'state': 'absent'})
    assert code == 1 and 'default_conversation_role_sid' in result['msg'] and writes(emu) == []


def test_conversations_account_role_lifecycle(run, emu):
    args = {'friendly_name': 'auditor', 'type': 'service', 'permissions': ['editOwnUserInfo']}
    code, result = run(conversations_role.main, args)
    assert code == 0 and result['changed'] is True
    assert writes(emu) == [('POST', 'v1/Roles')]
    assert all(e['query'] in ('', 'PageSize=50') for e in emu.request_log())
    code, result = run(conversations_role.main, args)
    assert result['changed'] is False and sent(emu) == [('GET', 'v1/Roles')]
    code, result = run(conversations_role.main, dict(args, permissions=['editOwnUserInfo', 'joinConversation']))
    assert result['changed'] is True and writes(emu) == [('POST', 'v1/Roles/' + result['role']['sid'])]
    code, result = run(conversations_role.main, {'friendly_name': 'auditor', 'state': 'absent'})
    assert result['changed'] is True and writes(emu) == [('DELETE', 'v1/Roles/' + result['role']['sid'])]
    code, result = run(conversations_role.main, {'friendly_name': 'service user', 'state': 'absent'})
    assert code == 1 and 'default_chat_service_role_sid' in result['msg'] and writes(emu) == []
