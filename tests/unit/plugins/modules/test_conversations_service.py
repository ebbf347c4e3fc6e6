# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import pytest

from ansible_collections.chatops.twilio.plugins.modules import conversations_service
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import response, twilio_error

main = conversations_service.main
MISSING = 'IS' + 'f' * 32
ROLE = 'RL' + 'a' * 32


# ---- create ------------------------------------------------------------------------------------


def test_create_with_name_only_is_listing_post_and_namesake_check(run_module, twilio, sleeps):
    code, result = run_module(main, {'friendly_name': 'dev'})
    assert code == 0 and result['changed'] is True
    assert twilio.sent() == [('GET', '/conversations/v1/Services'), ('POST', '/conversations/v1/Services'), ('GET', '/conversations/v1/Services')]
    assert twilio.calls[1][3] == [('FriendlyName', 'dev')]
    assert sleeps == [2.0]
    assert result['service']['friendly_name'] == 'dev' and 'configuration' not in result['service']


def test_create_writes_only_the_settings_that_differ_from_twilio_defaults(run_module, twilio):
    args = {
        'name': 'dev',
        'configuration': {'reachability_enabled': False},  # the default: no write
        'notifications': {'new_message': {'enabled': True, 'with_media': {'template': 'file'}}},
        'webhooks': {'method': 'GET', 'filters': ['onMessageAdded']},
    }
    code, result = run_module(main, args, diff=True)
    assert code == 0 and result['changed'] is True
    sid = result['service']['sid']
    assert twilio.sent()[3:] == [
        ('POST', '/conversations/v1/Services/%s/Configuration/Notifications' % sid),
        ('POST', '/conversations/v1/Services/%s/Configuration/Webhooks' % sid),
    ]
    assert twilio.calls[3][3] == [('NewMessage.Enabled', 'true'), ('NewMessage.WithMedia.Template', 'file')]
    assert twilio.calls[4][3] == [('Filters', 'onMessageAdded'), ('Method', 'GET')]
    assert result['service']['configuration'] == {'reachability_enabled': False}
    assert result['service']['notifications']['new_message']['with_media'] == {'enabled': False, 'template': 'file'}
    assert result['diff']['before'] == {}
    assert result['diff']['after']['webhooks'] == {'method': 'GET', 'filters': ['onMessageAdded']}
    code, again = run_module(main, args)
    assert again['changed'] is False and len(twilio.writes()) == 3


def test_create_always_writes_role_sids_whose_default_twilio_makes(run_module, fake):
    code, result = run_module(main, {'name': 'dev', 'configuration': {'default_conversation_role_sid': ROLE}})
    assert result['changed'] is True
    assert fake.writes()[-1][1].endswith('/Configuration')
    assert fake.writes()[-1][3] == [('DefaultConversationRoleSid', ROLE)]


@pytest.mark.parametrize('option', ['default_chat_service_role_sid', 'default_conversation_role_sid', 'default_conversation_creator_role_sid'])
def test_a_role_sid_cannot_be_cleared_and_nothing_is_sent(run_module, fake, option):
    # The spec gives the role SIDs a pattern and no "": refused before any request (not even the listing).
    code, result = run_module(main, {'name': 'dev', 'configuration': {option: ''}})
    assert code == 1 and fake.sent() == []
    assert result['msg'] == "configuration.%s must be a role SID matching ^RL[0-9a-fA-F]{32}$, got ''" % option


def test_create_check_mode_predicts_without_writing(run_module, twilio):
    args = {'name': 'dev', 'webhooks': {'post_webhook_url': 'https://h.example/post'}, 'configuration': {'reachability_enabled': True}}
    code, result = run_module(main, args, check=True, diff=True)
    assert code == 0 and result['changed'] is True
    assert twilio.writes() == [] and twilio.sent() == [('GET', '/conversations/v1/Services')]
    assert result['service']['sid'] is None
    assert result['service']['webhooks'] == {'pre_webhook_url': None, 'post_webhook_url': 'https://h.example/post', 'filters': None, 'method': None}
    assert result['diff'] == {
        'before': {},
        'after': {
            'sid': None,
            'friendly_name': 'dev',
            'configuration': {'reachability_enabled': True},
            'webhooks': {'post_webhook_url': 'https://h.example/post'},
        },
    }


def test_create_that_adopts_a_concurrent_namesake_reads_its_settings(run_module, twilio, sleeps):
    """The namesake check finds an older 'dev' made meanwhile: ours is deleted, and the winner's settings are read."""
    concurrent = []

    def race():
        concurrent.append(twilio.add('dev'))  # a concurrent run's create, older than ours
        return True

    twilio.before(race, method='POST', path=r'/Services$')
    code, result = run_module(main, {'name': 'dev', 'webhooks': {'method': 'POST'}})
    assert code == 0 and result['changed'] is True
    assert len(twilio.services) == 2
    ours = [c[1] for c in twilio.calls if c[0] == 'DELETE']
    assert len(ours) == 1 and ours[0] != '/conversations/v1/Services/%s' % concurrent[0] and list(twilio.services) == [twilio.default_sid] + concurrent
    assert twilio.sent()[-1] == ('GET', '/conversations/v1/Services/%s/Configuration/Webhooks' % concurrent[0])


def test_a_service_found_seconds_old_is_looked_at_again_and_the_rule_winner_reported(run_module, twilio, sleeps):
    """Found just made by a concurrent run A, while run B makes a namesake in the same second with a lower SID that
    the first listing does not show yet: A's namesake check keeps B's and deletes A's, so reporting A's would report a
    service that is gone (issue 18: 1 parallel run in ~30 did)."""
    now = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
    loser = twilio.add('dev', date_created=now)
    winner = 'IS' + '0' * 32

    def racing():
        gets = twilio.methods().count('GET')
        if gets == 1:  # after this run's first listing: B's create commits, dated the same second
            twilio.add('dev', sid=winner, date_created=now)
        elif gets == 2:  # A's namesake check deletes its own, the younger by SID
            twilio.remove(loser)
            return True
        return False

    twilio.before(racing, method='GET', path=r'/Services$')
    code, result = run_module(main, {'name': 'dev', 'webhooks': {'method': 'GET'}})
    assert code == 0 and result['service']['sid'] == winner
    assert sleeps == [2.0, 2.0]  # settle after the young find, then once more for the two namesakes seen
    assert twilio.sent()[:3] == [('GET', '/conversations/v1/Services')] * 3
    assert twilio.writes() == [('POST', '/conversations/v1/Services/%s/Configuration/Webhooks' % winner, {}, [('Method', 'GET')])]


def test_a_service_found_older_is_not_looked_at_again(run_module, twilio, sleeps):
    sid = twilio.add('dev', date_created=time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(time.time() - 3)))
    code, result = run_module(main, {'name': 'dev'})
    assert code == 0 and result['service']['sid'] == sid and sleeps == [] and twilio.sent() == [('GET', '/conversations/v1/Services')]


# ---- no-op, update, clears -----------------------------------------------------------------------


def test_noop_by_sid_is_one_get_plus_one_per_managed_settings_resource(run_module, twilio):
    sid = twilio.add('dev')
    twilio.configure(sid, 'webhooks', [('Filters', 'onMessageAdded'), ('Filters', 'onConversationAdded')])
    args = {'sid': sid, 'friendly_name': 'dev', 'webhooks': {'filters': ['onConversationAdded', 'onMessageAdded'], 'method': 'POST', 'pre_webhook_url': ''}}
    code, result = run_module(main, args)
    assert code == 0 and result['changed'] is False
    assert twilio.sent() == [('GET', '/conversations/v1/Services/%s' % sid), ('GET', '/conversations/v1/Services/%s/Configuration/Webhooks' % sid)]
    assert 'configuration' not in result['service'] and 'notifications' not in result['service']


def test_update_sends_only_the_delta_and_merges_nested_keys(run_module, twilio):
    sid = twilio.add('dev')
    twilio.configure(sid, 'notifications', {'NewMessage.Enabled': 'true', 'NewMessage.Sound': 'ding'})
    args = {'name': 'dev', 'notifications': {'new_message': {'template': 'hi', 'enabled': True}}}
    code, result = run_module(main, args, diff=True)
    assert code == 0 and result['changed'] is True
    assert twilio.writes() == [('POST', '/conversations/v1/Services/%s/Configuration/Notifications' % sid, {}, [('NewMessage.Template', 'hi')])]
    assert result['service']['notifications']['new_message']['sound'] == 'ding'
    assert result['diff']['before']['notifications'] == {'new_message': {'template': None, 'enabled': True}}
    assert result['diff']['after']['notifications'] == {'new_message': {'template': 'hi', 'enabled': True}}


def test_clears_are_sent(run_module, twilio):
    sid = twilio.add('dev')
    twilio.configure(sid, 'webhooks', {'PreWebhookUrl': 'https://h.example/pre', 'Filters': 'onMessageAdded'})
    code, result = run_module(main, {'sid': sid, 'webhooks': {'pre_webhook_url': '', 'filters': []}})
    assert result['changed'] is True
    assert twilio.writes()[0][3] == [('PreWebhookUrl', ''), ('Filters', '')]  # Filters= clears the list
    assert twilio.settings(sid, 'webhooks')['pre_webhook_url'] is None
    assert twilio.settings(sid, 'webhooks')['filters'] is None  # no filters answer null (the spec's fetchEmpty)


def test_update_check_mode_predicts_without_writing(run_module, twilio):
    sid = twilio.add('dev')
    code, result = run_module(main, {'sid': sid, 'configuration': {'reachability_enabled': True}}, check=True, diff=True)
    assert result['changed'] is True and twilio.writes() == []
    assert result['service']['configuration']['reachability_enabled'] is True
    assert result['diff']['before']['configuration'] == {'reachability_enabled': False}
    assert result['diff']['after']['configuration'] == {'reachability_enabled': True}


def test_unapplied_change_fails_naming_the_field(run_module, twilio):
    sid = twilio.add('dev')
    twilio.faults(next=1, kinds=['drop_field'], methods=['POST'], drop_field='ReachabilityEnabled')
    code, result = run_module(main, {'sid': sid, 'configuration': {'reachability_enabled': True, 'default_chat_service_role_sid': ROLE}})
    assert code == 1
    assert result['not_applied'] == ['configuration.reachability_enabled'] and result['changed'] is True
    assert result['msg'] == (
        'Twilio accepted the update of configuration of conversations service %s but did not apply '
        'configuration.reachability_enabled (sent true, Twilio has false); the next run would '
        'send the same again' % sid
    )


# ---- identity and absent -------------------------------------------------------------------------


def test_ambiguous_name_fails_listing_the_sids_and_writes_nothing(run_module, twilio, sleeps):
    one, two = twilio.add('dup'), twilio.add('dup')
    code, result = run_module(main, {'name': 'dup', 'state': 'absent'})
    assert code == 1 and twilio.writes() == []
    assert "friendly_name 'dup' matches 2 conversations services (%s, %s); set sid" % (one, two) in result['msg']
    assert result['sids'] == [one, two]


def test_absent_by_name_deletes(run_module, twilio):
    sid = twilio.add('dev')
    code, result = run_module(main, {'name': 'dev', 'state': 'absent'}, diff=True)
    assert result['changed'] is True and list(twilio.services) == [twilio.default_sid]
    assert twilio.writes() == [('DELETE', '/conversations/v1/Services/%s' % sid, {}, [])]
    assert result['diff'] == {'before': {'sid': sid, 'friendly_name': 'dev'}, 'after': {}}
    code, result = run_module(main, {'name': 'dev', 'state': 'absent'})
    assert result['changed'] is False and result['service'] == {}


def test_absent_check_mode_sends_no_delete(run_module, twilio):
    twilio.add('dev')
    code, result = run_module(main, {'name': 'dev', 'state': 'absent'}, check=True)
    assert result['changed'] is True and twilio.writes() == [] and len(twilio.services) == 2


def test_absent_with_sid_and_another_name_is_refused(run_module, twilio):
    sid = twilio.add('prod')
    code, result = run_module(main, {'sid': sid, 'friendly_name': 'dev', 'state': 'absent'})
    assert code == 1 and twilio.writes() == [] and sid in twilio.services
    assert "friendly_name 'dev' is not the name of conversations service %s ('prod')" % sid in result['msg']


def test_present_with_missing_sid_fails(run_module, twilio):
    code, result = run_module(main, {'sid': MISSING, 'configuration': {'reachability_enabled': True}})
    assert code == 1 and twilio.writes() == []
    assert result['msg'].startswith('conversations service %s does not exist' % MISSING)


# ---- input checked before any request, errors in context -----------------------------------------


@pytest.mark.parametrize(
    'args, message',
    [
        ({'sid': 'IS123'}, 'sid must be a conversations service SID matching ^IS[0-9a-fA-F]{32}$'),
        ({'name': {'a': 1}}, 'friendly_name must be a string, got a dictionary'),
        ({'name': 'x' * 257}, 'friendly_name must be at most 256 characters, got 257'),
        ({'name': ' '}, 'friendly_name must not be empty'),
        ({'name': 'x', 'webhooks': {'method': 'PUT'}}, 'value of method must be one of: GET, POST, got: PUT found in webhooks'),
        ({'name': 'x', 'webhooks': {'filters': ['onMessageAdded', {'a': 1}]}}, 'webhooks.filters[1] must be a string, got a dictionary'),
        ({'name': 'x', 'webhooks': {'filters': ['']}}, 'webhooks.filters must not contain empty names'),
        (
            {'name': 'x', 'webhooks': {'post_webhook_url': 'ftp://h.example/x'}},
            "webhooks.post_webhook_url must be an absolute http(s) URL (or \"\" to clear it), got 'ftp://h.example/x'",
        ),
        (
            {'name': 'x', 'configuration': {'default_chat_service_role_sid': 'RL12'}},
            'configuration.default_chat_service_role_sid must be a role SID matching ^RL[0-9a-fA-F]{32}$',
        ),
        ({'name': 'x', 'notifications': {'new_message': {'template': ['a']}}}, 'notifications.new_message.template must be a string, got a list'),
    ],
)
def test_bad_input_fails_before_any_request(run_module, twilio, args, message):
    code, result = run_module(main, args)
    assert code == 1 and twilio.calls == []
    assert message in result['msg']


def test_error_names_the_step_and_the_resource(run_module, twilio):
    sid = twilio.add('dev')
    twilio.fail(twilio_error(403, 20003, 'Permission denied'), method='GET', path='/Webhooks$')
    code, result = run_module(main, {'sid': sid, 'webhooks': {'method': 'GET'}, 'retries': 0})
    assert code == 1 and twilio.writes() == []
    assert result['msg'].startswith('Failed to read webhooks of conversations service %s: ' % sid)
    assert 'Permission denied' in result['msg'] and result['status'] == 403


def test_a_listing_that_is_no_listing_fails_in_context(run_module, twilio):
    twilio.fail(response(200, {'unexpected': True}), method='GET')
    code, result = run_module(main, {'name': 'dev', 'retries': 0})
    assert code == 1 and twilio.writes() == []
    assert result['msg'].startswith('Failed to look up conversations service dev: malformed list page')


# ---- the account's default Conversations Service (issue 20 item 5) -------------------------------


def test_the_account_default_service_is_never_deleted(run_module, twilio):
    default = twilio.default_sid
    for check in (False, True):
        code, result = run_module(main, {'friendly_name': 'Default Conversations Service', 'state': 'absent'}, check=check)
        assert code == 1 and twilio.writes() == [] and default in twilio.services
        assert "it is the account's default Conversations Service" in result['msg'] and result['service']['sid'] == default
    twilio.clear_log()
    code, result = run_module(main, {'friendly_name': 'app-dev', 'state': 'absent'})
    assert code == 0 and result['changed'] is False and ('GET', '/conversations/v1/Configuration') not in twilio.sent(), 'nothing to delete: no read'


# ---- push credentials are picked per binding, not per service (issue 20 item 13) ----------------


@pytest.mark.parametrize(
    'notifications, path',
    [
        ({'credential_sid': 'CR' + 'a' * 32}, 'notifications.credential_sid'),
        ({'new_message': {'enabled': True, 'push_credential': 'ios-prod'}}, 'notifications.new_message.push_credential'),
    ],
)
def test_a_push_credential_in_notifications_is_refused_with_the_rule(run_module, twilio, notifications, path):
    code, result = run_module(main, {'name': 'dev', 'notifications': notifications})
    assert code == 1 and twilio.calls == []
    assert result['msg'].startswith('%s is not a service setting: Twilio picks the push credential per binding' % path)
    assert 'chatops.twilio.conversations_credential' in result['msg']


def test_another_unknown_notifications_key_keeps_cores_message(run_module, twilio):
    code, result = run_module(main, {'name': 'dev', 'notifications': {'bogus': True}})
    assert code == 1 and twilio.calls == [] and result['msg'].startswith('Unsupported parameters') and 'notifications.bogus' in result['msg']
