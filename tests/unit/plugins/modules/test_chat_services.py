# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


from ansible_collections.chatops.twilio.plugins.modules import chat_services
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import response

main = chat_services.main


def three(**settings):
    return [{'name': 'app-%s' % env, 'settings': dict(settings)} for env in ('dev', 'stage', 'prod')]


# ---- requests at the floor ----------------------------------------------------------------------


def test_create_three_costs_one_listing_and_two_posts_each(run_module, twilio):
    for index in range(150):
        twilio.add('other-%d' % index)
    code, result = run_module(main, {'services': three(reachability_enabled=True)})
    assert code == 0 and result['changed'] is True
    # the listing (150 other services on two pages), the account configuration (which of those strays is the
    # account's default Conversations Service), the 3 creates, one namesake check for all of them (the listing
    # again), the 3 updates, and the listing that confirms the services this run made still exist
    assert twilio.methods() == ['GET', 'GET', 'GET'] + ['POST'] * 3 + ['GET', 'GET'] + ['POST'] * 3 + ['GET', 'GET']
    assert [r['action'] for r in result['services']] == ['create'] * 3
    assert all(r['current'] == {} for r in result['services'])
    assert all(r['service']['reachability_enabled'] for r in result['services'])
    assert all(r['sid'].startswith('IS') for r in result['services'])


def test_noop_costs_only_the_listing(run_module, twilio):
    for env in ('dev', 'stage', 'prod'):
        twilio.add('app-%s' % env, reachability_enabled=True)
    code, result = run_module(main, {'services': three(reachability_enabled=True), 'stray_pattern': 'app-.*'}, diff=True)
    assert code == 0 and result['changed'] is False
    assert twilio.methods() == ['GET']
    assert result['strays'] == []
    assert result['diff'] == []
    assert result['services'][0]['diff']['before'] == result['services'][0]['diff']['after']


def test_without_a_stray_pattern_the_default_service_costs_one_read_and_is_no_stray(run_module, twilio):
    for env in ('dev', 'stage', 'prod'):
        twilio.add('app-%s' % env, reachability_enabled=True)
    code, result = run_module(main, {'services': three(reachability_enabled=True), 'purge': True}, diff=True)
    # every unlisted service is a stray candidate: the account configuration says the one listed is the
    # account's default Conversations Service, which Twilio makes with every account
    assert code == 0 and result['changed'] is False
    assert twilio.sent() == [('GET', '/chat/v2/Services'), ('GET', '/conversations/v1/Configuration')]
    assert result['strays'] == [] and result['purged'] == []


def test_update_only_the_differing_service_with_only_the_delta(run_module, twilio):
    for env in ('dev', 'stage', 'prod'):
        twilio.add('app-%s' % env, typing_indicator_timeout=5)
    services = three(typing_indicator_timeout=5)
    services[2]['settings'] = {'typing_indicator_timeout': 9, 'limits': {'channel_members': 250}}
    code, result = run_module(main, {'services': services}, diff=True)
    assert code == 0 and result['changed'] is True
    assert [(c[0], c[3]) for c in twilio.writes()] == [('POST', [('TypingIndicatorTimeout', '9')])]
    assert [r['action'] for r in result['services']] == ['none', 'none', 'update']
    assert result['diff'] == [
        {
            'before': {'friendly_name': 'app-prod', 'typing_indicator_timeout': 5, 'limits': {'channel_members': 250}},
            'after': {'friendly_name': 'app-prod', 'typing_indicator_timeout': 9, 'limits': {'channel_members': 250}},
            'before_header': 'app-prod',
            'after_header': 'app-prod',
        }
    ]


def test_check_mode_sends_no_write_and_predicts(run_module, twilio):
    twilio.add('app-dev')
    code, result = run_module(main, {'services': three(typing_indicator_timeout=8)}, check=True, diff=True)
    assert code == 0 and result['changed'] is True
    assert twilio.writes() == []
    assert [r['action'] for r in result['services']] == ['update', 'create', 'create']
    assert result['services'][1]['sid'] is None
    assert result['services'][1]['service']['typing_indicator_timeout'] == 8
    assert result['services'][1]['diff']['before'] == {}
    assert len(result['diff']) == 3


def test_absent_deletes_by_listed_sid(run_module, twilio):
    sid = twilio.add('app-dev')
    code, result = run_module(main, {'services': [{'name': 'app-dev', 'state': 'absent'}, {'name': 'app-qa', 'state': 'absent'}]})
    assert code == 0 and result['changed'] is True
    # the account configuration: a delete of the account's default Conversations Service is refused
    assert twilio.sent() == [('GET', '/chat/v2/Services'), ('GET', '/conversations/v1/Configuration'), ('DELETE', '/chat/v2/Services/%s' % sid)]
    assert [r['action'] for r in result['services']] == ['delete', 'none']
    assert result['services'][0]['sid'] is None and result['services'][1]['service'] == {}


def test_one_listing_per_api_version(run_module, twilio):
    twilio.add('legacy', webhooks={'on_message_send': {'url': 'https://h.example/a', 'method': 'POST'}})
    code, result = run_module(
        main,
        {
            'services': [
                {'name': 'legacy', 'api_version': 'v1', 'settings': {'webhooks': {'on_message_send': {'url': 'https://h.example/a', 'method': 'POST'}}}},
                {'name': 'modern', 'settings': {'media': {'compatibility_message': 'x'}}},
            ]
        },
    )
    assert code == 0
    assert [(c[0], c[1]) for c in twilio.calls if c[0] == 'GET'] == [
        ('GET', '/chat/v1/Services'),
        ('GET', '/chat/v2/Services'),
        ('GET', '/conversations/v1/Configuration'),
        ('GET', '/chat/v2/Services'),
        ('GET', '/chat/v2/Services'),
    ]  # + the account's default service (no stray), + the namesake check, + the confirmation that the service made is still there
    assert [r['action'] for r in result['services']] == ['none', 'create']


# ---- input, before any request ------------------------------------------------------------------


def test_unknown_setting_is_named_with_a_suggestion(run_module, twilio):
    code, result = run_module(main, {'services': [{'name': 'a', 'settings': {'typing_timeout': 3}}]})
    assert code == 1 and twilio.calls == []
    assert result['msg'] == 'services[0].settings.typing_timeout is not a Chat service setting; did you mean typing_indicator_timeout?'


def test_setting_of_the_other_api_version_is_refused(run_module, twilio):
    code, result = run_module(main, {'services': [{'name': 'a', 'settings': {'media': {'compatibility_message': 'x'}}}], 'api_version': 'v1'})
    assert code == 1 and twilio.calls == []
    assert 'services[0].settings.media is not supported by Chat API v1' in result['msg']


def test_wrong_type_and_range(run_module, twilio):
    code, result = run_module(main, {'services': [{'name': 'a', 'settings': {'limits': {'channel_members': 5000}}}]})
    assert code == 1 and twilio.calls == []
    assert result['msg'] == 'services[0].settings.limits.channel_members must be between 1 and 1000, got 5000'
    code, result = run_module(main, {'services': [{'name': 'a', 'settings': {'typing_indicator_timeout': 'slow'}}]})
    assert code == 1 and result['msg'].startswith('services[0].settings.typing_indicator_timeout must be of type int')


def test_duplicate_names_are_refused(run_module, twilio):
    code, result = run_module(main, {'services': [{'name': 'a'}, {'name': 'a'}]})
    assert code == 1 and twilio.calls == []
    assert 'services[1].friendly_name' in result['msg']


def test_protected_delete_needs_the_exact_name(run_module, twilio):
    twilio.add('app-prod')
    for confirm in (['app-prod-old'], ['app'], ['APP-PROD'], []):
        code, result = run_module(main, {'services': [{'name': 'app-prod', 'state': 'absent', 'protected': True}], 'confirm_delete': confirm})
        assert code == 1 and twilio.calls == [], confirm
        assert 'Refusing to delete the protected chat service' in result['msg']
    code, result = run_module(main, {'services': [{'name': 'app-prod', 'state': 'absent', 'protected': True}], 'confirm_delete': ['app-prod']})
    assert code == 0 and result['changed'] is True and list(twilio.services) == [twilio.default_sid]


def test_ambiguous_name_fails_before_any_write(run_module, twilio):
    twilio.add('app-dev')
    twilio.add('app-dev')
    code, result = run_module(main, {'services': [{'name': 'app-stage'}, {'name': 'app-dev'}]})
    assert code == 1 and twilio.writes() == []
    assert 'matches 2 chat services' in result['msg'] and len(result['sids']) == 2


def test_invalid_stray_pattern(run_module, twilio):
    code, result = run_module(main, {'services': [], 'stray_pattern': '('})
    assert code == 1 and twilio.calls == [] and 'stray_pattern' in result['msg']


# ---- strays and purge ---------------------------------------------------------------------------


def test_strays_are_reported_and_only_confirmed_ones_purged(run_module, twilio):
    twilio.add('app-dev')
    qa = twilio.add('app-qa')
    twilio.add('app-old')
    twilio.add('unrelated')
    args = {'services': [{'name': 'app-dev'}], 'stray_pattern': 'app-.+'}
    code, result = run_module(main, args)
    assert code == 0 and result['changed'] is False
    assert sorted(s['friendly_name'] for s in result['strays']) == ['app-old', 'app-qa']
    assert result['purged'] == []

    code, result = run_module(main, dict(args, purge=True, confirm_delete=['app-qa']))
    assert code == 1 and twilio.writes() == []
    assert 'app-old' in result['msg'] and 'app-qa' not in result['msg'].split('(')[0]

    twilio.clear_log()
    code, result = run_module(main, dict(args, purge=True, confirm_delete='app-qa,app-old'.split(',')), diff=True)
    assert code == 0 and result['changed'] is True
    assert sorted(s['friendly_name'] for s in result['purged']) == ['app-old', 'app-qa']
    assert qa not in twilio.services and len(twilio.services) == 3
    assert [d['after_header'] for d in result['diff']] == ['(deleted)', '(deleted)']


def test_without_pattern_every_unlisted_service_is_a_stray(run_module, twilio):
    twilio.add('x')
    code, result = run_module(main, {'services': []})
    assert code == 0 and [s['friendly_name'] for s in result['strays']] == ['x']


def test_the_account_default_service_is_no_stray_and_never_deleted(run_module, twilio):
    default = twilio.default_sid
    code, result = run_module(main, {'services': [{'name': 'Default Conversations Service', 'state': 'absent'}]})
    assert code == 1 and twilio.writes() == [] and default in twilio.services
    assert "it is the account's default Conversations Service" in result['msg'] and default in result['msg']
    assert 'chatops.twilio.conversations_configuration' in result['msg']
    # Once another service is the default, the former one is a service like any other: here a stray
    other = twilio.add('app-dev')
    twilio.configure(None, 'configuration', {'DefaultChatServiceSid': other})
    code, result = run_module(main, {'services': [{'name': 'app-dev'}], 'purge': True, 'confirm_delete': ['Default Conversations Service']})
    assert code == 0 and [s['sid'] for s in result['purged']] == [default] and list(twilio.services) == [other]


# ---- failures -----------------------------------------------------------------------------------


def test_unreachable_api_fails_once_with_one_message(run_module, twilio, sleeps):
    twilio.faults(next=10, kinds=['reset'])
    code, result = run_module(main, {'services': three(), 'retries': 1})
    assert code == 1
    assert result['msg'].startswith('Failed to list chat services (Chat API v2)')
    assert len(twilio.calls) == 2 and len(sleeps) == 1


def test_update_error_names_the_service(run_module, twilio):
    twilio.add('app-dev')
    twilio.fail(response(400, {'code': 20001, 'message': 'bad', 'status': 400}), method='POST')
    code, result = run_module(main, {'services': [{'name': 'app-dev', 'settings': {'typing_indicator_timeout': 1}}]})
    assert code == 1 and result['msg'].startswith('Failed to update chat service app-dev')


def test_a_namesake_created_first_by_a_concurrent_run_wins(run_module, twilio, sleeps):
    def racing():
        if 'POST' not in twilio.methods():
            return False
        other = twilio.add('app-dev')  # another run created it first
        twilio.services[other]['date_created'] = '2024-12-31T23:59:59Z'
        return True

    twilio.before(racing, method='GET', path=r'/Services$')
    code, result = run_module(main, {'services': [{'name': 'app-dev', 'settings': {'reachability_enabled': True}}]})
    assert code == 0 and [s['friendly_name'] for s in twilio.services.values()] == ['Default Conversations Service', 'app-dev']
    survivor = list(twilio.services.values())[1]
    assert survivor['date_created'] == '2024-12-31T23:59:59Z' and survivor['reachability_enabled'] is True
    assert result['services'][0]['sid'] == survivor['sid'] and 2.0 in sleeps


def test_a_push_credential_in_settings_is_refused_with_the_rule(run_module, twilio):
    settings = {'notifications': {'added_to_channel': {'credential': 'ios-prod'}}}
    code, result = run_module(main, {'services': [{'name': 'app-dev', 'settings': settings}]})
    assert code == 1 and twilio.calls == []
    assert result['msg'].startswith('services[0].settings.notifications.added_to_channel.credential is not a service setting: Twilio picks')


# ---- changed_settings: what an update changed, named without diff mode (the role's one-line plan) --------------


def test_an_update_names_the_settings_it_changes_without_diff_mode(run_module, twilio):
    for env in ('dev', 'stage', 'prod'):
        twilio.add('app-%s' % env, typing_indicator_timeout=5)
    services = three(typing_indicator_timeout=5)
    services[1]['settings'] = {'typing_indicator_timeout': 9, 'limits': {'channel_members': 100}, 'webhook_filters': ['onMessageSent']}
    services.append({'name': 'app-new', 'settings': {'typing_indicator_timeout': 9}})
    code, result = run_module(main, {'services': services})
    assert code == 0
    assert [r['action'] for r in result['services']] == ['none', 'update', 'none', 'create']
    assert [r['changed_settings'] for r in result['services']] == [[], ['limits.channel_members', 'typing_indicator_timeout', 'webhook_filters'], [], []]
    assert 'diff' not in result and result['services'][1]['diff'] == {}
    assert result['check_mode'] is False
    services[1]['settings']['typing_indicator_timeout'] = 12
    code, result = run_module(main, {'services': services}, check=True)
    assert code == 0 and result['check_mode'] is True
    assert result['services'][1]['changed_settings'] == ['typing_indicator_timeout']


def test_a_changed_webhook_password_is_named_never_shown(run_module, twilio):
    twilio.add('app-dev', post_webhook_url='https://hook:old-secret@h.example/post')
    code, result = run_module(main, {'services': [{'name': 'app-dev', 'settings': {'post_webhook_url': 'https://hook:new-secret@h.example/post'}}]})
    assert code == 0 and result['services'][0]['changed_settings'] == ['post_webhook_url']
    assert 'secret' not in repr(result['services'][0]['changed_settings'])
