# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The service modules' default_*_role_sid options given a role's friendly_name (issue 20 item 10), against the
in-process emulator (tests/emulator): the requests from its log."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.chatops.twilio.plugins.modules import chat_service, chat_services, conversations_service, conversations_services
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import sent, writes


@pytest.fixture
def service(api, emu):
    record = api('POST', '/chat/v2/Services', {'FriendlyName': 'support'})
    emu.store.age(60)  # an existing service, not a concurrent run's fresh create (which a module looks at again)
    return record


def roles_of(api, product, sid):
    return dict((r['friendly_name'], r['sid']) for r in api('GET', '/%s/Services/%s/Roles' % (product, sid))['roles'])


# ---- chat_service --------------------------------------------------------------------------------


def test_chat_service_role_by_name_check_apply_rerun(run, emu, api, service):
    sid = service['sid']
    admin = roles_of(api, 'chat/v2', sid)['channel admin']
    args = {'friendly_name': 'support', 'default_channel_role_sid': 'channel admin'}
    code, predicted = run(chat_service.main, args, check=True, diff=True)
    assert code == 0 and predicted['changed'] is True and writes(emu) == []
    assert predicted['diff']['after']['default_channel_role_sid'] == admin
    code, result = run(chat_service.main, args)
    assert code == 0 and result['changed'] is True
    # One listing of the service's roles, one write carrying the SID.
    assert sent(emu) == [('GET', 'v2/Services'), ('GET', 'v2/Services/%s/Roles' % sid), ('POST', 'v2/Services/%s' % sid)]
    assert result['service']['default_channel_role_sid'] == admin
    assert api('GET', '/chat/v2/Services/%s' % sid)['default_channel_role_sid'] == admin
    code, again = run(chat_service.main, args)
    assert again['changed'] is False and writes(emu) == []
    code, again = run(chat_service.main, args, check=True)
    assert again['changed'] is False and writes(emu) == []


def test_chat_service_role_sid_lists_no_roles(run, emu, api, service):
    sid = service['sid']
    admin = roles_of(api, 'chat/v2', sid)['channel admin']
    code, result = run(chat_service.main, {'friendly_name': 'support', 'default_channel_role_sid': admin})
    assert code == 0 and sent(emu) == [('GET', 'v2/Services'), ('POST', 'v2/Services/%s' % sid)]


def test_chat_service_unknown_role_name_fails_listing_the_roles(run, emu, api, service):
    sid = service['sid']
    roles = roles_of(api, 'chat/v2', sid)
    code, result = run(chat_service.main, {'friendly_name': 'support', 'default_service_role_sid': 'moderator'})
    assert code == 1 and writes(emu) == []
    assert result['msg'].startswith("default_service_role_sid: service %s ('support') has no role named 'moderator'" % sid)
    assert all(rsid in result['msg'] for rsid in roles.values()) and result['msg'].endswith('nothing was changed')
    assert sorted(result['sids']) == sorted(roles.values())


def test_chat_service_ambiguous_role_name_fails_listing_both(run, emu, api, service):
    sid = service['sid']
    twin = api('POST', '/chat/v2/Services/%s/Roles' % sid, [('FriendlyName', 'channel user'), ('Type', 'channel'), ('Permission', 'sendMessage')])
    original = [r['sid'] for r in api('GET', '/chat/v2/Services/%s/Roles' % sid)['roles'] if r['friendly_name'] == 'channel user' and r['sid'] != twin['sid']]
    code, result = run(chat_service.main, {'friendly_name': 'support', 'default_channel_role_sid': 'channel user'})
    assert code == 1 and writes(emu) == []
    assert "default_channel_role_sid: 2 roles of service %s ('support') are named 'channel user'" % sid in result['msg']
    assert sorted(result['sids']) == sorted(original + [twin['sid']]) and all(s in result['msg'] for s in result['sids'])


def test_chat_service_new_service_resolves_after_create(run, emu, api):
    args = {'friendly_name': 'fresh', 'api_version': 'v1', 'default_channel_creator_role_sid': 'channel user'}
    code, predicted = run(chat_service.main, args, check=True, diff=True)
    # No service, no roles yet: the prediction shows the name as given.
    assert code == 0 and predicted['changed'] is True and writes(emu) == []
    assert predicted['diff']['after']['default_channel_creator_role_sid'] == 'channel user'
    code, result = run(chat_service.main, args)
    assert code == 0 and result['changed'] is True
    sid = result['service']['sid']
    user = roles_of(api, 'chat/v1', sid)['channel user']
    assert result['service']['default_channel_creator_role_sid'] == user
    assert ('GET', 'v1/Services/%s/Roles' % sid) in sent(emu)
    code, again = run(chat_service.main, args)
    assert again['changed'] is False and writes(emu) == []


def test_chat_service_empty_role_name_refused_before_any_request(run, emu):
    code, result = run(chat_service.main, {'friendly_name': 'support', 'default_channel_role_sid': ' '})
    assert code == 1 and sent(emu) == []
    assert result['msg'].startswith('default_channel_role_sid must be a role SID')


def test_chat_services_role_by_name(run, emu, api, service):
    sid = service['sid']
    user = roles_of(api, 'chat/v2', sid)['service admin']
    args = {'services': [{'friendly_name': 'support', 'settings': {'default_service_role_sid': 'service admin'}}]}
    code, result = run(chat_services.main, args)
    assert code == 0 and result['changed'] is True
    assert api('GET', '/chat/v2/Services/%s' % sid)['default_service_role_sid'] == user
    code, again = run(chat_services.main, args)
    assert again['changed'] is False and writes(emu) == []
    code, failed = run(chat_services.main, {'services': [{'friendly_name': 'support', 'settings': {'default_service_role_sid': 'nobody'}}]})
    assert failed['failed'] and "default_service_role_sid: service %s ('support') has no role named 'nobody'" % sid in failed['msg']


# ---- conversations_service -----------------------------------------------------------------------


def test_conversations_service_role_by_name_check_apply_rerun(run, emu, api, service):
    sid = service['sid']
    member = roles_of(api, 'conversations/v1', sid)['channel user']
    args = {'friendly_name': 'support', 'configuration': {'default_conversation_role_sid': 'channel user'}}
    code, predicted = run(conversations_service.main, args, check=True, diff=True)
    assert code == 0 and predicted['changed'] is False and writes(emu) == []
    code, result = run(conversations_service.main, args)
    assert code == 0
    # channel user is already the default of a new service: one listing, and no write.
    assert result['changed'] is False and writes(emu) == []
    assert ('GET', 'v1/Services/%s/Roles' % sid) in sent(emu)
    assert result['service']['configuration']['default_conversation_role_sid'] == member
    admin = roles_of(api, 'conversations/v1', sid)['channel admin']
    args = {'friendly_name': 'support', 'configuration': {'default_conversation_role_sid': 'channel admin'}}
    code, predicted = run(conversations_service.main, args, check=True, diff=True)
    assert predicted['changed'] is True and writes(emu) == []
    assert predicted['diff']['after']['configuration']['default_conversation_role_sid'] == admin
    code, result = run(conversations_service.main, args)
    assert result['changed'] is True and writes(emu) == [('POST', 'v1/Services/%s/Configuration' % sid)]
    assert api('GET', '/conversations/v1/Services/%s/Configuration' % sid)['default_conversation_role_sid'] == admin
    code, again = run(conversations_service.main, args)
    assert again['changed'] is False and writes(emu) == []


def test_conversations_service_unknown_role_name_fails_with_no_write(run, emu, service):
    args = {'friendly_name': 'support', 'configuration': {'default_chat_service_role_sid': 'ghost'}}
    for check in (True, False):
        code, result = run(conversations_service.main, args, check=check)
        assert code == 1 and writes(emu) == []
        assert result['msg'].startswith("configuration.default_chat_service_role_sid: service %s ('support') has no role named 'ghost'" % service['sid'])


def test_conversations_services_new_service_role_by_name(run, emu, api):
    args = {'services': [{'friendly_name': 'fresh', 'settings': {'configuration': {'default_conversation_creator_role_sid': 'channel user'}}}]}
    code, result = run(conversations_services.main, args)
    assert code == 0 and result['changed'] is True
    sid = result['services'][0]['sid']
    user = roles_of(api, 'conversations/v1', sid)['channel user']
    assert api('GET', '/conversations/v1/Services/%s/Configuration' % sid)['default_conversation_creator_role_sid'] == user
    code, again = run(conversations_services.main, args)
    assert again['changed'] is False and writes(emu) == []
