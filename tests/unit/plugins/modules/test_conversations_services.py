# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import pytest

from ansible_collections.chatops.twilio.plugins.modules import chat_services, conversations_services
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import response

main = conversations_services.main
WEBHOOKS = {'post_webhook_url': 'https://h.example/post', 'method': 'GET', 'filters': ['onMessageAdded']}


def calls(twilio):
    return [(c[0], c[1]) for c in twilio.calls]


def three(**settings):
    return [{'name': 'app-%s' % env, 'settings': dict(settings)} for env in ('dev', 'stage', 'prod')]


def converged(twilio, **settings):
    """The app's three services, their settings already as wanted."""
    sids = [twilio.add('app-%s' % env) for env in ('dev', 'stage', 'prod')]
    for sid in sids:
        for part, values in settings.items():
            twilio.configure(sid, part, form(values))
    return sids


def form(values):
    """A Conversations settings form from module-style values (``filters`` a list, the rest strings)."""
    pairs = []
    for key, value in values.items():
        name = ''.join(part.capitalize() for part in key.split('_'))
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, str(item).lower() if isinstance(item, bool) else item))
    return pairs


#: Without a stray_pattern every unlisted service is a stray candidate, the account's default Conversations Service
#: (which Twilio makes with every account) too: one read of the account configuration, after the first listing,
#: says which one it is, so that it is never reported as a stray nor deleted.
ACCOUNT_DEFAULT = ('GET', '/conversations/v1/Configuration')


# ---- requests at the floor ----------------------------------------------------------------------


def test_noop_costs_the_listing_and_one_get_per_managed_resource(run_module, twilio):
    for index in range(150):
        twilio.add('other-%d' % index)
    sids = converged(twilio, webhooks=WEBHOOKS)
    code, result = run_module(main, {'services': three(webhooks=WEBHOOKS), 'parallelism': 1}, diff=True)  # 1: in the order of the items
    assert code == 0 and result['changed'] is False
    assert calls(twilio) == [('GET', '/conversations/v1/Services')] * 2 + [ACCOUNT_DEFAULT] + [
        ('GET', '/conversations/v1/Services/%s/Configuration/Webhooks' % sid) for sid in sids
    ]
    assert result['diff'] == []
    assert [r['action'] for r in result['services']] == ['none'] * 3
    assert result['services'][0]['diff']['before'] == result['services'][0]['diff']['after']
    assert result['services'][0]['service']['webhooks']['method'] == 'GET'
    assert result['services'][0]['current']['sid'] == sids[0]


def test_noop_without_settings_costs_only_the_listing(run_module, twilio):
    converged(twilio)
    code, result = run_module(main, {'services': three(), 'stray_pattern': 'app-.*'})
    assert code == 0 and result['changed'] is False and calls(twilio) == [('GET', '/conversations/v1/Services')]
    code, result = run_module(main, {'services': three()})
    assert code == 0 and result['changed'] is False and calls(twilio)[-1] == ACCOUNT_DEFAULT and result['strays'] == []


def test_create_three_posts_each_then_one_namesake_check_then_only_settings_off_the_defaults(run_module, twilio, sleeps):
    settings = {'configuration': {'reachability_enabled': False}, 'webhooks': WEBHOOKS}  # the first is the default
    code, result = run_module(main, {'services': three(**settings), 'parallelism': 1}, diff=True)
    assert code == 0 and result['changed'] is True
    sids = [r['sid'] for r in result['services']]
    assert calls(twilio) == (
        [('GET', '/conversations/v1/Services'), ACCOUNT_DEFAULT]
        + [('POST', '/conversations/v1/Services')] * 3
        + [('GET', '/conversations/v1/Services')]
        + [('POST', '/conversations/v1/Services/%s/Configuration/Webhooks' % sid) for sid in sids]
        + [('GET', '/conversations/v1/Services')]  # the services this run made are still there (none lost a race meanwhile)
    )
    assert sleeps.count(2.0) == 1
    assert [r['action'] for r in result['services']] == ['create'] * 3
    assert all(r['current'] == {} and r['diff']['before'] == {} for r in result['services'])
    assert result['services'][0]['service']['configuration'] == {'reachability_enabled': False}
    assert result['services'][0]['diff']['after'] == {
        'sid': sids[0],
        'friendly_name': 'app-dev',
        'configuration': {'reachability_enabled': False},
        'webhooks': WEBHOOKS,
    }
    assert [d['before_header'] for d in result['diff']] == ['app-dev', 'app-stage', 'app-prod']
    assert all(twilio.settings(sid, 'webhooks')['method'] == 'GET' for sid in sids)
    code, again = run_module(main, {'services': three(**settings)})
    assert again['changed'] is False and len(twilio.writes()) == 6


def test_update_writes_only_the_differing_resource_of_the_differing_service(run_module, twilio):
    sids = converged(twilio, webhooks=WEBHOOKS, configuration={'reachability_enabled': True})
    services = three(webhooks=WEBHOOKS, configuration={'reachability_enabled': True})
    services[2]['settings'] = {'webhooks': dict(WEBHOOKS, method='POST'), 'configuration': {'reachability_enabled': True}}
    code, result = run_module(main, {'services': services}, diff=True)
    assert code == 0 and result['changed'] is True
    assert [(c[0], c[1], c[3]) for c in twilio.writes()] == [('POST', '/conversations/v1/Services/%s/Configuration/Webhooks' % sids[2], [('Method', 'POST')])]
    assert [r['action'] for r in result['services']] == ['none', 'none', 'update']
    assert result['diff'] == [
        {
            'before': {'sid': sids[2], 'friendly_name': 'app-prod', 'configuration': {'reachability_enabled': True}, 'webhooks': WEBHOOKS},
            'after': {'sid': sids[2], 'friendly_name': 'app-prod', 'configuration': {'reachability_enabled': True}, 'webhooks': dict(WEBHOOKS, method='POST')},
            'before_header': 'app-prod',
            'after_header': 'app-prod',
        }
    ]


def test_check_mode_sends_no_write_and_predicts(run_module, twilio):
    twilio.add('app-dev')
    code, result = run_module(main, {'services': three(webhooks={'method': 'GET'})}, check=True, diff=True)
    assert code == 0 and result['changed'] is True
    assert twilio.writes() == []
    # dev exists: its webhooks are read; the two to create are predicted from Twilio's defaults, unread.
    assert twilio.calls[1][:2] == ACCOUNT_DEFAULT and [c[0] for c in twilio.calls] == ['GET', 'GET', 'GET']
    assert [r['action'] for r in result['services']] == ['update', 'create', 'create']
    assert result['services'][1]['sid'] is None
    assert result['services'][1]['service']['webhooks'] == {'pre_webhook_url': None, 'post_webhook_url': None, 'filters': None, 'method': 'GET'}
    assert result['services'][0]['diff']['before']['webhooks'] == {'method': 'POST'}
    assert len(result['diff']) == 3


def test_a_chat_service_of_the_same_name_is_adopted_not_recreated(run_module, twilio):
    sid = twilio.add('app-dev')  # made with the Chat API: the same object
    code, result = run_module(main, {'services': [{'name': 'app-dev', 'settings': {'webhooks': {'method': 'GET'}}}]})
    assert code == 0 and result['services'][0]['sid'] == sid and result['services'][0]['action'] == 'update'
    assert [c[1] for c in twilio.writes()] == ['/conversations/v1/Services/%s/Configuration/Webhooks' % sid]


def test_absent_deletes_by_listed_sid(run_module, twilio):
    sid = twilio.add('app-dev')
    code, result = run_module(
        main,
        {'services': [{'name': 'app-dev', 'state': 'absent', 'settings': {'webhooks': {'method': 'GET'}}}, {'name': 'app-qa', 'state': 'absent'}]},
        diff=True,
    )
    assert code == 0 and result['changed'] is True
    assert calls(twilio) == [('GET', '/conversations/v1/Services'), ACCOUNT_DEFAULT, ('DELETE', '/conversations/v1/Services/%s' % sid)]
    assert [r['action'] for r in result['services']] == ['delete', 'none']
    assert result['services'][0]['sid'] is None and result['services'][1]['service'] == {}
    assert result['diff'] == [{'before': {'sid': sid, 'friendly_name': 'app-dev'}, 'after': {}, 'before_header': 'app-dev', 'after_header': 'app-dev'}]


def test_a_create_whose_answer_is_lost_is_adopted_and_its_settings_read(run_module, twilio, sleeps):
    twilio.faults(next=1, kinds=['commit_drop'], methods=['POST'])  # the create
    code, result = run_module(main, {'services': [{'name': 'app-dev', 'settings': {'webhooks': {'method': 'GET'}}}]})
    assert code == 0 and result['changed'] is True
    sid = result['services'][0]['sid']
    assert len(twilio.services) == 2 and [c for c in calls(twilio) if c == ('POST', '/conversations/v1/Services')] == [('POST', '/conversations/v1/Services')]
    # Not seen being made: its settings are read, not assumed to be Twilio's defaults.
    assert ('GET', '/conversations/v1/Services/%s/Configuration/Webhooks' % sid) in calls(twilio)
    assert twilio.settings(sid, 'webhooks')['method'] == 'GET'


def test_a_namesake_created_first_by_a_concurrent_run_wins_and_is_read(run_module, twilio, sleeps):
    def racing():
        if 'POST' not in twilio.methods():
            return False
        # another run created it first, and set its webhooks
        twilio.add('app-dev', date_created='2024-12-31T23:59:59Z', webhook_method='GET')
        return True

    twilio.before(racing, method='GET', path=r'/Services$')
    code, result = run_module(main, {'services': [{'name': 'app-dev', 'settings': {'webhooks': {'method': 'GET'}}}]})
    assert code == 0 and [s['friendly_name'] for s in twilio.services.values()] == ['Default Conversations Service', 'app-dev']
    survivor = list(twilio.services)[1]
    assert result['services'][0]['sid'] == survivor
    # the winner's settings were read (already GET), so nothing was written to them
    assert ('GET', '/conversations/v1/Services/%s/Configuration/Webhooks' % survivor) in calls(twilio)
    assert [c for c in twilio.writes() if '/Configuration' in c[1]] == []


# ---- input, before any request ------------------------------------------------------------------


@pytest.mark.parametrize(
    'settings, message',
    [
        (
            {'reachability_enabled': True},
            'services[0].settings.reachability_enabled is not a Conversations service setting; valid keys: configuration, notifications, webhooks',
        ),
        ({'webhooks': {'filter': ['onMessageAdded']}}, 'services[0].settings.webhooks.filter is not a Conversations service setting; did you mean filters?'),
        ({'webhooks': {'filters': ['onMessageSent', '']}}, 'services[0].settings.webhooks.filters must not contain empty names'),
        ({'webhooks': {'method': 'PUT'}}, 'services[0].settings.webhooks.method must be one of GET, POST, got \'PUT\''),
        ({'configuration': {'reachability_enabled': 'maybe'}}, 'services[0].settings.configuration.reachability_enabled must be of type bool'),
        ({'notifications': {'new_message': {'template': {'text': 'hi'}}}}, 'services[0].settings.notifications.new_message.template must be of type str'),
        (
            {'configuration': {'default_conversation_role_sid': 'RL1'}},
            'services[0].settings.configuration.default_conversation_role_sid must be a role SID matching ^RL[0-9a-fA-F]{32}$',
        ),
        ({'webhooks': {'post_webhook_url': 'hooks.example.com'}}, 'services[0].settings.webhooks.post_webhook_url must be an absolute http(s) URL'),
        ({'configuration': 'on'}, 'services[0].settings.configuration must be a dictionary'),
    ],
)
def test_bad_settings_are_refused_before_any_request(run_module, twilio, settings, message):
    code, result = run_module(main, {'services': [{'name': 'a', 'settings': settings}]})
    assert code == 1 and twilio.calls == []
    assert result['msg'].startswith(message), result['msg']


def test_name_rules(run_module, twilio):
    code, result = run_module(main, {'services': [{'name': 'n' * 257}]})
    assert code == 1 and twilio.calls == []
    assert result['msg'] == 'services[0].friendly_name must be at most 256 characters, got 257'
    code, result = run_module(main, {'services': [{'name': 'a'}, {'name': 'a'}]})
    assert code == 1 and twilio.calls == []
    assert result['msg'] == "services[1].friendly_name 'a' is also services[0].friendly_name; each service may be listed once"


def test_protected_delete_needs_the_exact_name(run_module, twilio):
    twilio.add('app-prod')
    for confirm in (['app-prod-old'], ['app'], ['APP-PROD'], []):
        code, result = run_module(main, {'services': [{'name': 'app-prod', 'state': 'absent', 'protected': True}], 'confirm_delete': confirm})
        assert code == 1 and twilio.calls == [], confirm
        assert result['msg'].startswith(
            "Refusing to delete the protected conversations service 'app-prod' (services[0]): its exact name is not in confirm_delete"
        )
    code, result = run_module(main, {'services': [{'name': 'app-prod', 'state': 'absent', 'protected': True}], 'confirm_delete': ['app-prod']})
    assert code == 0 and result['changed'] is True and list(twilio.services) == [twilio.default_sid]


def test_ambiguous_name_fails_before_any_write(run_module, twilio):
    twilio.add('app-dev')
    twilio.add('app-dev')
    code, result = run_module(main, {'services': [{'name': 'app-stage'}, {'name': 'app-dev'}]})
    assert code == 1 and twilio.writes() == []
    assert "friendly_name 'app-dev' matches 2 conversations services" in result['msg'] and len(result['sids']) == 2


def test_invalid_stray_pattern(run_module, twilio):
    code, result = run_module(main, {'services': [], 'stray_pattern': '(['})
    assert code == 1 and twilio.calls == [] and result['msg'].startswith('stray_pattern is not a valid regular expression')


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

    code, result = run_module(main, dict(args, purge=True, confirm_delete=['app-qa', 'app-ol']))
    assert code == 1 and twilio.writes() == []
    assert result['msg'].startswith('Refusing to delete the stray conversations service(s) app-old (purge=true)')

    code, result = run_module(main, dict(args, purge=True, confirm_delete=['app-qa', 'app-old']), check=True, diff=True)
    assert code == 0 and result['changed'] is True and twilio.writes() == []
    assert [d['after_header'] for d in result['diff']] == ['(deleted)', '(deleted)']

    code, result = run_module(main, dict(args, purge=True, confirm_delete=['app-qa', 'app-old']))
    assert code == 0 and result['changed'] is True
    assert sorted(s['friendly_name'] for s in result['purged']) == ['app-old', 'app-qa']
    assert qa not in twilio.services
    assert sorted(s['friendly_name'] for s in twilio.services.values()) == ['Default Conversations Service', 'app-dev', 'unrelated']


# ---- failures -----------------------------------------------------------------------------------


def test_unreachable_api_fails_once_with_one_message(run_module, twilio, sleeps):
    twilio.faults(next=10, kinds=['reset'])
    code, result = run_module(main, {'services': three(), 'retries': 1})
    assert code == 1
    assert result['msg'].startswith('Failed to list conversations services: ')
    assert len(twilio.calls) == 2 and len(sleeps) == 1


def test_a_setting_twilio_did_not_apply_fails_naming_it(run_module, twilio):
    converged(twilio)
    twilio.faults(next=1, kinds=['drop_field'], methods=['POST'], drop_field='Method')
    code, result = run_module(main, {'services': three(webhooks={'method': 'GET', 'post_webhook_url': 'https://h.e/p'}), 'parallelism': 1})
    assert code == 1 and result['not_applied'] == ['webhooks.method']
    assert result['msg'].startswith('Twilio accepted the update of webhooks of conversations service app-dev but did not apply webhooks.method')
    assert result['changed'] is True


def test_update_error_names_the_service_and_resource(run_module, twilio):
    converged(twilio)
    twilio.fail(response(400, {'code': 20001, 'message': 'bad', 'status': 400}), method='POST')
    code, result = run_module(main, {'services': [{'name': 'app-stage', 'settings': {'webhooks': {'method': 'GET'}}}]})
    assert code == 1 and result['msg'].startswith('Failed to update webhooks of conversations service app-stage')


def test_namesakes_of_a_race_in_progress_are_looked_at_again_before_failing(run_module, twilio, sleeps):
    """Two services named app-dev that a concurrent run resolves within the settle time: no failure, one listing more."""
    twilio.add('app-dev')
    late = twilio.add('app-dev')

    def resolving():
        if twilio.methods().count('GET') < 1:
            return False
        twilio.remove(late)  # the other run deleted its duplicate meanwhile
        return True

    twilio.before(resolving, method='GET', path=r'/Services$')
    code, result = run_module(main, {'services': [{'name': 'app-dev'}, {'name': 'app-prod'}]}, check=True)
    assert code == 0, result
    assert sleeps == [2.0] and calls(twilio) == [('GET', '/conversations/v1/Services')] * 2 + [ACCOUNT_DEFAULT]
    assert result['services'][0]['action'] == 'none' and result['services'][0]['sid'] != late


def test_lasting_namesakes_fail_after_two_more_looks(run_module, twilio, sleeps):
    twilio.add('app-dev')
    twilio.add('app-dev')
    code, result = run_module(main, {'services': [{'name': 'app-dev'}]})
    assert code == 1 and twilio.writes() == []
    assert sleeps == [2.0, 2.0] and calls(twilio) == [('GET', '/conversations/v1/Services')] * 3


@pytest.mark.parametrize(
    'main_of, services, message',
    [
        (conversations_services.main, [{'name': ['acme-dev']}], 'services[0].friendly_name must be a string, got a list'),
        (conversations_services.main, [{'name': 'a'}, {'friendly_name': {'n': 1}}], 'services[1].friendly_name must be a string, got a dictionary'),
        (conversations_services.main, [{'name': 'a', 'protected': 1}], None),  # a number for a bool converts as documented
        (chat_services.main, [{'name': True}], 'services[0].friendly_name must be a string, got a boolean'),
        (
            chat_services.main,
            [{'name': 'a', 'api_version': ['v2']}],  # choices: core refuses it itself
            "value of api_version must be one of: v1, v2, got: ['v2'] found in services",
        ),
    ],
)
def test_item_values_core_would_convert_silently_are_refused_by_name(run_module, twilio, main_of, services, message):
    code, result = run_module(main_of, {'services': services}, check=True)
    if message is None:
        assert code == 0, result
        return
    assert (code, result['msg'], twilio.calls) == (1, message, [])


def test_a_service_found_seconds_old_is_looked_at_again_and_the_rule_winner_taken(run_module, twilio, sleeps):
    """Found just made: a concurrent run may make a namesake in the same second that wins (lowest SID)."""
    now = time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())
    loser = twilio.add('app-dev', date_created=now)
    winner = 'IS' + '0' * 32

    def racing():
        if len(twilio.calls) < 1:
            return False
        twilio.add('app-dev', sid=winner, date_created=now)  # made after this run's first listing
        return True

    twilio.before(racing, method='GET', path=r'/Services$')
    code, result = run_module(main, {'services': [{'name': 'app-dev', 'settings': {'webhooks': {'method': 'GET'}}}]})
    assert code == 0 and result['services'][0]['sid'] == winner
    assert sleeps == [2.0]
    assert calls(twilio) == [
        ('GET', '/conversations/v1/Services'),
        ACCOUNT_DEFAULT,
        ('GET', '/conversations/v1/Services'),
        ('GET', '/conversations/v1/Services/%s/Configuration/Webhooks' % winner),
        ('POST', '/conversations/v1/Services/%s/Configuration/Webhooks' % winner),
        ('GET', '/conversations/v1/Services'),  # the young service converged is still there
    ]


def test_a_service_found_older_is_not_looked_at_again(run_module, twilio, sleeps):
    twilio.add('app-dev', date_created=time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(time.time() - 3)))
    code, result = run_module(main, {'services': [{'name': 'app-dev'}]})
    assert code == 0 and calls(twilio) == [('GET', '/conversations/v1/Services'), ACCOUNT_DEFAULT] and sleeps == []


def test_a_push_credential_in_settings_is_refused_with_the_rule(run_module, twilio):
    settings = {'notifications': {'credential_sid': 'CR' + 'a' * 32}}
    code, result = run_module(main, {'services': [{'name': 'app-dev', 'settings': settings}]})
    assert code == 1 and twilio.calls == []
    assert result['msg'].startswith('services[0].settings.notifications.credential_sid is not a service setting: Twilio picks the push credential per binding')


# ---- changed_settings: what an update changed, named without diff mode (the role's one-line plan) --------------


def test_an_update_names_the_settings_it_changes_without_diff_mode(run_module, twilio):
    converged(twilio, webhooks=WEBHOOKS)
    services = three(webhooks=WEBHOOKS)
    services[2]['settings'] = {'webhooks': dict(WEBHOOKS, filters=['onMessageAdded', 'onConversationAdded']), 'configuration': {'reachability_enabled': True}}
    code, result = run_module(main, {'services': services})
    assert code == 0
    assert [r['action'] for r in result['services']] == ['none', 'none', 'update']
    assert [r['changed_settings'] for r in result['services']] == [[], [], ['configuration.reachability_enabled', 'webhooks.filters']]
