# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

from unittest import mock

import pytest
import yaml

from ansible.module_utils import _internal as module_utils_internal


def _load_filters():
    """Import the filter plugin without leaving the process in controller mode.

    Importing controller code (ansible.errors) sets ansible.module_utils._internal.is_controller,
    after which module warnings go to the display instead of the module result: the module tests
    that run later in this process would lose their warnings.
    """
    before = module_utils_internal.is_controller
    try:
        from ansible_collections.chatops.twilio.plugins.filter import chat_environments  # pylint: disable=import-outside-toplevel
    finally:
        module_utils_internal.is_controller = before
    return chat_environments


FILTERS = _load_filters()
AnsibleFilterError = FILTERS.AnsibleFilterError
FilterModule = FILTERS.FilterModule
chat_environments_facts = FILTERS.chat_environments_facts
chat_environments_plan = FILTERS.chat_environments_plan
exact_names = FILTERS.exact_names

ACCOUNT = 'AC' + 'a' * 32
DEFAULTS = {
    'chat_environments_app': 'acme',
    'chat_environments_names': ['dev', 'stage', 'prod'],
    'chat_environments_limit': [],
    'chat_environments_name_pattern': '{app}-{env}',
    'chat_environments_state': 'present',
    'chat_environments_api_version': 'v2',
    'chat_environments_protected': ['prod'],
    'chat_environments_confirm_delete': [],
    'chat_environments_common': {},
    'chat_environments_overrides': {},
    'chat_environments_functions': False,
    'chat_environments_functions_state': 'present',
    'chat_environments_functions_service_pattern': '{app}',
    'chat_environments_functions_friendly_name': '',
    'chat_environments_functions_domain_suffixes': {'prod': ''},
    'chat_environments_purge_strays': False,
    'chat_environment_overrides': None,
    'chat_environment_name': None,
}


def plan(**changes):
    args = dict(DEFAULTS)
    args.update(changes)
    return chat_environments_plan(args)


def errors(**changes):
    return plan(**changes)['errors']


def test_filters_are_registered():
    assert sorted(FilterModule().filters()) == [
        'chat_environments_facts',
        'chat_environments_functions_sids',
        'chat_environments_plan',
        'chat_environments_summary',
        'chat_environments_webhooks',
        'exact_names',
    ]


# ---- desired settings per environment ----------------------------------------------------------


def test_common_deep_merged_with_overrides():
    result = plan(
        chat_environments_common={
            'reachability_enabled': True,
            'notifications': {'new_message': {'enabled': True, 'template': 't'}},
            'webhook_filters': ['onMessageSent', 'onChannelAdded'],
        },
        chat_environments_overrides={
            'dev': {'notifications': {'new_message': {'enabled': False}}, 'webhook_filters': ['onMemberAdded']},
            'prod': {'friendly_name': 'legacy-prod', 'api_version': 'v1'},
        },
    )
    assert result['errors'] == []
    dev = result['environments']['dev']
    assert dev['name'] == 'acme-dev' and dev['api_version'] == 'v2'
    assert dev['settings'] == {
        'reachability_enabled': True,
        'webhook_filters': ['onMemberAdded'],
        'notifications': {'new_message': {'enabled': False, 'template': 't'}},
    }
    assert result['environments']['stage']['settings']['notifications']['new_message']['enabled'] is True
    assert result['environments']['prod']['name'] == 'legacy-prod'
    assert [s['api_version'] for s in result['chat_accounts'][0]['services']] == ['v2', 'v2', 'v1']


class Uncopyable(dict):
    """Stands in for Ansible's lazy containers, whose deep copy also copies the templating context."""

    def __deepcopy__(self, memo):
        raise AssertionError('the filter deep-copied a container it was given')


class TaggedStr(str):
    """Stands in for Ansible's tagged strings."""


def test_the_plan_reads_the_callers_containers_without_deep_copying_them():
    result = plan(
        chat_environments_common=Uncopyable(limits=Uncopyable(channel_members=500)),
        chat_environments_overrides=Uncopyable(prod=Uncopyable(limits=Uncopyable(channel_members=1000))),
        chat_environments_app=TaggedStr('acme'),
    )
    assert result['errors'] == []
    assert result['environments']['prod']['settings'] == {'limits': {'channel_members': 1000}}
    assert type(result['environments']['dev']['name']) is str  # pylint: disable=unidiomatic-typecheck
    facts = chat_environments_facts(result, [], services=Uncopyable(old=Uncopyable(name='x')))
    assert facts['services'] == {'old': {'name': 'x'}}


def test_settings_are_coerced_and_an_absent_environment_has_none():
    result = plan(
        chat_environments_common={'typing_indicator_timeout': '7', 'read_status_enabled': 'yes'}, chat_environments_overrides={'stage': {'state': 'absent'}}
    )
    assert result['environments']['dev']['settings'] == {'typing_indicator_timeout': 7, 'read_status_enabled': True}
    assert result['environments']['stage']['settings'] == {}


def test_accounts_group_the_environments_by_connection():
    result = plan(chat_environments_overrides={'prod': {'account_sid': ACCOUNT, 'auth_token': 'x' * 32}})
    assert [(a['env'], a['envs']) for a in result['chat_accounts']] == [('dev', ['dev', 'stage']), ('prod', ['prod'])]
    assert result['chat_accounts'][1]['services'][0]['protected'] is True
    # no credential in the plan
    assert 'x' * 32 not in repr(result)


def test_limit_selects_in_environment_order():
    result = plan(chat_environments_limit=['prod', 'dev'])
    assert result['selected'] == ['dev', 'prod']
    assert [s['friendly_name'] for s in result['chat_accounts'][0]['services']] == ['acme-dev', 'acme-prod']


# ---- strings where a list is expected ----------------------------------------------------------


def test_string_limit_is_one_environment_not_characters():
    result = plan(chat_environments_limit='prod')
    assert result['errors'] == [] and result['selected'] == ['prod']


def test_string_names_and_protected():
    result = plan(
        chat_environments_names='dev,prod', chat_environments_protected='prod', chat_environments_state='absent', chat_environments_confirm_delete='acme-prod'
    )
    assert result['errors'] == [] and result['selected'] == ['dev', 'prod']


def test_non_string_list_is_refused_by_name():
    assert errors(chat_environments_limit={'prod': 1}) == ["chat_environments_limit must be a list of strings (or one string), got {'prod': 1}"]
    assert errors(chat_environments_names=['dev', 3])[0].startswith('chat_environments_names must be a list of strings')


@pytest.mark.parametrize('value, expected', [('acme-prod', ['acme-prod']), ('a, b', ['a', 'b']), (['x,y'], ['x,y']), (None, []), ([], [])])
def test_exact_names(value, expected):
    assert exact_names(value) == expected


def test_exact_names_refuses_other_types():
    with pytest.raises(AnsibleFilterError, match='my_var must be a list of strings'):
        exact_names(3, 'my_var')


# ---- delete guards: exact names only -------------------------------------------------------------


@pytest.mark.parametrize('confirm', ['acme-prod-old', 'acme', 'cme-prod', ['acme-prod-old'], ['xacme-prod'], 'ACME-PROD', ['acme-prod ', 'acme'], []])
def test_protected_delete_needs_the_exact_service_name(confirm):
    found = errors(chat_environments_state='absent', chat_environments_confirm_delete=confirm)
    assert len(found) == 1 and found[0].startswith('Refusing to delete the Chat service acme-prod of protected')


@pytest.mark.parametrize('confirm', ['acme-prod', ['acme-prod'], 'acme-dev,acme-prod'])
def test_protected_delete_confirmed(confirm):
    assert errors(chat_environments_state='absent', chat_environments_confirm_delete=confirm) == []


def test_the_issue_case_confirms_prod_but_not_the_functions_service():
    """-e chat_environments_confirm_delete=acme-support-prod once confirmed the Functions service acme-support too."""
    found = errors(
        chat_environments_app='acme-support',
        chat_environments_functions=True,
        chat_environments_functions_state='absent',
        chat_environments_state='absent',
        chat_environments_confirm_delete='acme-support-prod',
    )
    assert len(found) == 1 and found[0].startswith('Refusing to delete the Functions service acme-support ')
    assert (
        errors(
            chat_environments_app='acme-support',
            chat_environments_functions=True,
            chat_environments_functions_state='absent',
            chat_environments_state='absent',
            chat_environments_confirm_delete='acme-support-prod,acme-support',
        )
        == []
    )


def test_unselected_protected_environment_needs_no_confirmation():
    assert errors(chat_environments_state='absent', chat_environments_limit=['dev']) == []


# ---- messages: short, naming the variable --------------------------------------------------------


@pytest.mark.parametrize(
    'changes, expected',
    [
        ({'chat_environments_app': ' '}, 'chat_environments_app must not be empty'),
        ({'chat_environments_names': []}, 'chat_environments_names must name at least one environment'),
        ({'chat_environments_names': ['dev', 'prod env']}, 'chat_environments_names: "prod env" is not a valid'),
        ({'chat_environments_names': ['dev', 'stage', 'dev']}, 'chat_environments_names lists "dev" more than once'),
        ({'chat_environments_name_pattern': '{app}-chat'}, 'chat_environments_name_pattern "{app}-chat" must contain {env}'),
        ({'chat_environments_limit': ['qa']}, 'chat_environments_limit: "qa" is not in chat_environments_names'),
        (
            {'chat_environments_common': {'typing_timeout': 3}},
            'chat_environments_common.typing_timeout is not a Chat service setting; did you mean typing_indicator_timeout?',
        ),
        ({'chat_environments_common': {'typing_indicator_timeout': 'slow'}}, 'chat_environments_common.typing_indicator_timeout must be of type int'),
        (
            {'chat_environments_common': {'limits': {'channel_members': 5000}}},
            'chat_environments_common.limits.channel_members must be between 1 and 1000, got 5000',
        ),
        (
            {'chat_environments_overrides': {'prod': {'limits': {'channel_member': 5}}}},
            'chat_environments_overrides.prod.limits.channel_member is not a Chat service setting; did you mean channel_members?',
        ),
        (
            {'chat_environments_overrides': {'dev': {'webhooks': {'on_message_send': {'url': 'https://h.example/x'}}}}},
            'chat_environments_overrides.dev.webhooks is not supported by Chat API v2',
        ),
        (
            {'chat_environments_common': {'media': {'compatibility_message': 'x'}}, 'chat_environments_overrides': {'dev': {'api_version': 'v1'}}},
            'chat_environments_common.media is not supported by Chat API v1 (it exists only in v2) (environment dev uses',
        ),
        (
            {'chat_environments_overrides': {'stage': {'post_webhook_url': 'hooks.example.com'}}},
            'chat_environments_overrides.stage.post_webhook_url must be an absolute http(s) URL',
        ),
        ({'chat_environments_overrides': {'qa': {'typing_indicator_timeout': 3}}}, 'chat_environments_overrides.qa: "qa" is not in chat_environments_names'),
        ({'chat_environments_overrides': {'prod': {'auth_token': 'x' * 32}}}, 'chat_environments_overrides.prod.account_sid is required with auth_token'),
        ({'chat_environments_overrides': {'prod': {'state': 'gone'}}}, 'chat_environments_overrides.prod.state must be one of absent, present'),
        ({'chat_environments_overrides': {'stage': {'friendly_name': 'acme-dev'}}}, 'environments dev and stage would both use the service name "acme-dev"'),
        (
            {'chat_environment_overrides': {'limits': {'channel_members': 5}}},
            'chat_environment_overrides is set where the role runs, but the role reads chat_environments_overrides',
        ),
        (
            {'chat_environments_functions': True, 'chat_environments_functions_domain_suffixes': {'dev': 'a.b'}},
            'the Functions domain suffix of environment dev may only contain',
        ),
        (
            {'chat_environments_functions': True, 'chat_environments_functions_domain_suffixes': {'dev': 'x', 'stage': 'X'}},
            'environments dev and stage would share the Functions domain suffix "X"',
        ),
        ({'chat_environments_functions': True, 'chat_environments_functions_service_pattern': '{app}-{env}'}, 'must not contain {env}'),
    ],
)
def test_one_short_message_naming_the_variable(changes, expected):
    result = plan(**changes)
    assert any(expected in e for e in result['errors']), result['errors']
    assert result['message'].startswith('Invalid chatops.twilio.chat_environments input: ')
    assert len(result['message']) < 2000


def test_many_errors_still_make_a_short_message():
    result = plan(chat_environments_names=['e%d x' % i for i in range(300)])
    assert len(result['errors']) == 300 and len(result['message']) < 2000 and '(and 295 more)' in result['message']


# ---- strays ---------------------------------------------------------------------------------------


def test_stray_pattern_matches_other_environments_only():
    pattern = re.compile(plan(chat_environments_overrides={'stage': {'friendly_name': 'acme-staging'}})['stray_pattern'])
    for name in ('acme-qa', 'acme-dev2', 'acme-stage', 'acme-prod.old', 'acme-qa_2'):
        assert pattern.fullmatch(name), name
    # acme-prod-old and acme-support-prod: {env} has no dash, so a sibling app's services are not acme's strays
    for name in ('acme-dev', 'acme-prod', 'acme-staging', 'acme', 'other-dev', 'acme-a b', 'acme-prod-old', 'acme-support-prod'):
        assert not pattern.fullmatch(name), name


def test_stray_pattern_escapes_the_app_name():
    pattern = re.compile(plan(chat_environments_app='a.b+', chat_environments_name_pattern='chat {env} of {app}')['stray_pattern'])
    assert pattern.fullmatch('chat qa of a.b+') and not pattern.fullmatch('chat qa of aXbb')


# ---- facts ------------------------------------------------------------------------------------------


def test_facts_from_the_module_results():
    the_plan = plan(chat_environments_functions=True)
    chat = [
        {
            '__chat_environments_envs': the_plan['chat_accounts'][0]['envs'],
            'changed': True,
            'services': [
                {'sid': 'IS1', 'changed': False, 'action': 'none', 'service': {'sid': 'IS1'}, 'current': {'sid': 'IS1'}, 'diff': {}},
                {'sid': None, 'changed': True, 'action': 'create', 'service': {'sid': None}, 'diff': {}},
                {'sid': 'IS3', 'changed': True, 'action': 'update', 'service': {'sid': 'IS3'}, 'diff': {}},
            ],
            'strays': [{'sid': 'IS9', 'friendly_name': 'acme-qa'}],
            'purged': [],
        }
    ]
    functions = [
        {
            '__chat_environments_envs': the_plan['functions_accounts'][0]['envs'],
            'service': {'sid': 'ZS1'},
            'environments': [
                {'state': 'present', 'sid': 'ZE%d' % i, 'domain_name': 'd%d' % i, 'changed': False, 'action': 'none', 'environment': {}, 'diff': {}}
                for i in range(3)
            ],
        }
    ]
    facts = chat_environments_facts(the_plan, chat, functions, services={'old': {'name': 'x'}}, domains={})
    assert sorted(facts['services']) == ['dev', 'old', 'prod', 'stage']
    assert facts['services']['stage']['changed'] is True and facts['services']['stage']['sid'] is None
    assert facts['services']['dev']['current'] == {'sid': 'IS1'}
    assert facts['services']['prod']['functions']['domain_suffix'] == '' and facts['domains']['prod'] == 'd2'
    assert facts['services']['dev']['functions']['service_sid'] == 'ZS1'
    assert facts['strays'] == [{'sid': 'IS9', 'friendly_name': 'acme-qa', 'account': 'dev', 'deleted': False}]


def test_facts_skip_a_failed_account():
    the_plan = plan()
    facts = chat_environments_facts(the_plan, [{'failed': True, '__chat_environments_envs': []}])
    assert facts == {'services': {}, 'domains': {}, 'strays': []}


def test_facts_ignore_results_of_an_earlier_run_in_the_same_play():
    first = plan(chat_environments_functions=True)
    second = plan(chat_environments_app='other', chat_environments_names=['legacy'])
    stale = [{'__chat_environments_envs': first['functions_accounts'][0]['envs'], 'service': {}, 'environments': [{'state': 'present', 'action': 'none'}] * 3}]
    chat = [{'__chat_environments_envs': second['chat_accounts'][0]['envs'], 'services': [{'sid': 'IS1', 'changed': False, 'action': 'none'}]}]
    facts = chat_environments_facts(second, chat, stale)
    assert list(facts['services']) == ['legacy'] and facts['domains'] == {}


# ---- the API of each environment: Chat v1 or v2, or Conversations --------------------------------

CONV_WEBHOOKS = {'post_webhook_url': 'https://h.example/conv', 'method': 'GET', 'filters': ['onMessageAdded']}


def test_one_call_per_account_and_api():
    result = plan(
        chat_environments_overrides={'dev': {'api_version': 'conversations'}, 'prod': {'api_version': 'v1'}},
        chat_environments_conversations_common={'webhooks': CONV_WEBHOOKS},
        chat_environments_common={'reachability_enabled': True},
    )
    assert result['errors'] == []
    assert [(a['env'], a['envs'], a['account'], a['api_version']) for a in result['chat_accounts']] == [('stage', ['stage', 'prod'], 'dev', 'v2')]
    assert [s['api_version'] for s in result['chat_accounts'][0]['services']] == ['v2', 'v1']
    assert [(a['env'], a['envs'], a['account']) for a in result['conversations_accounts']] == [('dev', ['dev'], 'dev')]
    assert result['conversations_accounts'][0]['services'] == [
        {'friendly_name': 'acme-dev', 'state': 'present', 'settings': {'webhooks': CONV_WEBHOOKS}, 'protected': False}
    ]
    assert result['environments']['dev']['api_version'] == 'conversations'
    assert result['environments']['stage']['settings'] == {'reachability_enabled': True}


def test_conversations_for_every_environment_and_accounts_apart():
    result = plan(
        chat_environments_api_version='conversations',
        chat_environments_conversations_common={'configuration': {'reachability_enabled': 'yes'}, 'webhooks': CONV_WEBHOOKS},
        chat_environments_overrides={'prod': {'account_sid': ACCOUNT, 'auth_token': 'x' * 32, 'webhooks': {'method': 'POST'}}, 'stage': {'api_version': 'v1'}},
    )
    assert result['errors'] == []
    assert [(a['envs'], a['api_version']) for a in result['chat_accounts']] == [(['stage'], 'v1')]
    assert [(a['envs'], a['account']) for a in result['conversations_accounts']] == [(['dev'], 'dev'), (['prod'], 'prod')]
    prod = result['conversations_accounts'][1]['services'][0]
    assert prod['settings'] == {'configuration': {'reachability_enabled': True}, 'webhooks': dict(CONV_WEBHOOKS, method='POST')}
    assert prod['protected'] is True and 'x' * 32 not in repr(result)


@pytest.mark.parametrize(
    'changes, expected',
    [
        (
            {'chat_environments_overrides': {'dev': {'api_version': 'v3'}}},
            "chat_environments_overrides.dev.api_version must be one of conversations, v1, v2, got 'v3'",
        ),
        ({'chat_environments_api_version': 'conversation'}, "chat_environments_api_version must be one of conversations, v1, v2, got 'conversation'"),
        (
            {'chat_environments_overrides': {'dev': {'api_version': 'conversations', 'typing_indicator_timeout': 5}}},
            'chat_environments_overrides.dev.typing_indicator_timeout is a Chat service setting, but environment dev uses the '
            'Conversations API (api_version: conversations), whose settings are configuration, notifications and webhooks',
        ),
        (
            {'chat_environments_overrides': {'dev': {'api_version': 'conversations', 'notifications': {'added_to_channel': {'enabled': True}}}}},
            'chat_environments_overrides.dev.notifications.added_to_channel is a Chat service setting, but environment dev',
        ),
        (
            {'chat_environments_overrides': {'prod': {'configuration': {'reachability_enabled': True}}}},
            'chat_environments_overrides.prod.configuration is a Conversations service setting, but environment prod uses Chat '
            'API v2; set its api_version to conversations',
        ),
        (
            {'chat_environments_overrides': {'prod': {'api_version': 'v1', 'webhooks': {'post_webhook_url': 'https://h.e/x'}}}},
            'chat_environments_overrides.prod.webhooks.post_webhook_url is a Conversations service setting, but environment prod uses Chat API v1',
        ),
        (
            {'chat_environments_common': {'configuration': {'reachability_enabled': True}}},
            'chat_environments_common.configuration is a Conversations service setting; the settings of environments on '
            'Conversations go in chat_environments_conversations_common',
        ),
        (
            {'chat_environments_conversations_common': {'reachability_enabled': True}},
            'chat_environments_conversations_common.reachability_enabled is a Chat service setting; the settings of '
            'environments on Chat (API v1 or v2) go in chat_environments_common',
        ),
        (
            {'chat_environments_conversations_common': {'webhooks': {'filter': []}}},
            'chat_environments_conversations_common.webhooks.filter is not a Conversations service setting; did you mean filters?',
        ),
        (
            {'chat_environments_conversations_common': {'webhooks': {'method': 'PUT'}}},
            "chat_environments_conversations_common.webhooks.method must be one of GET, POST, got 'PUT'",
        ),
        (
            {'chat_environments_api_version': 'conversations', 'chat_environments_conversations_common': {'webhooks': {'filters': ['onMessageAdded', '']}}},
            'chat_environments_conversations_common.webhooks.filters must not contain empty names',
        ),
        (
            {'chat_environments_api_version': 'conversations', 'chat_environments_overrides': {'stage': {'webhooks': {'pre_webhook_url': 'hooks'}}}},
            'chat_environments_overrides.stage.webhooks.pre_webhook_url must be an absolute http(s) URL',
        ),
        ({'chat_environments_conversations_common': 'on'}, 'chat_environments_conversations_common must be a dictionary, got str'),
        (
            {'chat_environments_api_version': 'conversations', 'chat_environments_overrides': {'dev': {'friendly_name': 'n' * 257}}},
            'the service name "%s" of environment dev is longer than the 256 characters of a Conversations service name' % ('n' * 257),
        ),
        (
            {'chat_environments_api_version': 'conversations', 'chat_environments_state': 'absent'},
            'Refusing to delete the Conversations service acme-prod of protected environment prod '
            '(chat_environments_protected): deleting a Conversations service also deletes all of its conversations, users '
            'and messages. Nothing was deleted.',
        ),
    ],
)
def test_api_choice_messages_name_the_variable(changes, expected):
    result = plan(**changes)
    assert any(expected in e for e in result['errors']), result['errors']
    assert len(result['message']) < 2000


def test_conversations_environments_ignore_chat_settings_of_the_common_variable():
    result = plan(chat_environments_api_version='conversations', chat_environments_common={'reachability_enabled': True})
    assert result['errors'] == [] and result['environments']['dev']['settings'] == {}


def test_chat_only_settings_of_the_common_variable_warn_for_environments_on_conversations():
    common = {
        'typing_indicator_timeout': 9,
        'limits': {'channel_members': 500},
        'reachability_enabled': True,
        'notifications': {'invited_to_channel': {'enabled': True}},
    }
    with mock.patch('ansible.utils.display.Display.warning') as warning:
        result = plan(chat_environments_overrides={'dev': {'api_version': 'conversations'}}, chat_environments_common=common)
    assert result['errors'] == []
    text = result['warnings'][0]
    assert 'environment dev (api_version: conversations) does not get' in text
    assert text.endswith(': limits.channel_members, notifications.invited_to_channel.enabled, typing_indicator_timeout'), text
    assert 'reachability_enabled' not in text, 'a setting with a Conversations name is not Chat-only'
    warning.assert_called_once_with(text)


def test_no_chat_only_warning_when_every_environment_is_on_chat():
    with mock.patch('ansible.utils.display.Display.warning') as warning:
        result = plan(chat_environments_common={'typing_indicator_timeout': 9, 'limits': {'channel_members': 500}})
    assert result['errors'] == [] and result['warnings'] == []
    warning.assert_not_called()


def test_facts_show_the_api_and_report_a_stray_of_an_account_on_both_apis_once():
    the_plan = plan(chat_environments_overrides={'dev': {'api_version': 'conversations'}})
    stray = {'sid': 'IS9', 'friendly_name': 'acme-qa'}
    chat = [
        {
            '__chat_environments_envs': the_plan['chat_accounts'][0]['envs'],
            'services': [
                {'sid': 'IS2', 'changed': False, 'action': 'none', 'service': {'sid': 'IS2'}},
                {'sid': 'IS3', 'changed': False, 'action': 'none', 'service': {'sid': 'IS3'}},
            ],
            'strays': [stray],
            'purged': [stray],
        },
        {
            '__chat_environments_envs': the_plan['conversations_accounts'][0]['envs'],
            'services': [
                {
                    'sid': 'IS1',
                    'changed': True,
                    'action': 'update',
                    'diff': {'before': {}, 'after': {}},
                    'service': {'sid': 'IS1', 'webhooks': {'method': 'GET'}},
                    'current': {'sid': 'IS1'},
                }
            ],
            'strays': [stray],
            'purged': [],
        },
    ]
    facts = chat_environments_facts(the_plan, chat)
    assert dict((env, svc['api_version']) for env, svc in facts['services'].items()) == {'dev': 'conversations', 'stage': 'v2', 'prod': 'v2'}
    assert facts['services']['dev']['service']['webhooks'] == {'method': 'GET'}
    assert facts['services']['dev']['action'] == 'update' and facts['services']['dev']['sid'] == 'IS1'
    assert facts['strays'] == [dict(stray, account='dev', deleted=True)]


def test_facts_list_the_environments_in_their_order_whichever_api_reported_them():
    the_plan = plan(chat_environments_overrides={'dev': {'api_version': 'conversations'}})
    chat = [
        {'__chat_environments_envs': the_plan['chat_accounts'][0]['envs'], 'services': [{'sid': 'IS2', 'action': 'none'}, {'sid': 'IS3', 'action': 'none'}]},
        {'__chat_environments_envs': the_plan['conversations_accounts'][0]['envs'], 'services': [{'sid': 'IS1', 'action': 'none'}]},
    ]
    facts = chat_environments_facts(the_plan, chat, services={'legacy': {'name': 'x'}, 'prod': {'name': 'old'}})
    assert list(facts['services']) == ['legacy', 'dev', 'stage', 'prod']
    assert facts['services']['prod']['sid'] == 'IS3'


ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..', '..', '..'))


def _inventory_file(name):
    with open(os.path.join(ROOT, 'playbooks', 'inventory', 'group_vars', name)) as handle:
        return handle.read()


def _commented_block(text, first_line):
    """The commented-out YAML block of ``text`` that starts with ``# <first_line>``, parsed."""
    lines = text.splitlines()
    block = [first_line]
    for line in lines[lines.index('# ' + first_line) + 1 :]:
        if not line.startswith('#   '):
            break
        block.append(line[2:])
    return yaml.safe_load('\n'.join(block))


def test_the_inventory_example_of_a_conversations_environment_is_valid():
    """playbooks/inventory/group_vars/dev.yml and all.yml show it commented out (the demo stays on Chat)."""
    dev = _commented_block(_inventory_file('dev.yml'), 'chat_environment_overrides:')['chat_environment_overrides']
    all_text = _inventory_file('all.yml')
    role_vars = dict((k, v) for k, v in yaml.safe_load(all_text).items() if k.startswith('chat_environments_'))
    role_vars.update(_commented_block(all_text, 'chat_environments_conversations_common:'))
    result = plan(chat_environments_overrides={'dev': dev}, **role_vars)
    assert result['errors'] == []
    assert result['environments']['dev']['api_version'] == 'conversations'
    assert result['environments']['dev']['settings']['notifications']['new_message'] == {'enabled': False, 'template': '${PARTICIPANT}: ${MESSAGE}'}
    assert result['environments']['stage']['settings']['limits'] == {'channel_members': 100, 'user_channels': 50}
    assert [a['envs'] for a in result['conversations_accounts']] == [['dev']]


# ---- issue 18: the guards a new user meets ------------------------------------------------------


def test_stray_pattern_leaves_a_sibling_apps_services_alone():
    """For app acme, acme-support-prod (app acme-support) is no stray; acme-qa is."""
    pattern = re.compile(plan()['stray_pattern'])
    assert pattern.fullmatch('acme-qa') and pattern.fullmatch('acme-qa2')
    for sibling in ('acme-support-prod', 'acme-support-dev', 'acme-prod-old', 'acme-x-y'):
        assert not pattern.fullmatch(sibling), sibling


@pytest.mark.parametrize(
    'changes, expected',
    [
        ({'chat_environments_app': 'ac\x00me'}, 'chat_environments_app must not contain control characters, got ac\\x00me'),
        (
            {'chat_environments_name_pattern': '{app}-{env}\x1b[2J'},
            'chat_environments_name_pattern must not contain control characters, got {app}-{env}\\x1b[2J',
        ),
        (
            {'chat_environments_overrides': {'dev': {'friendly_name': 'acme-dev\x00'}}},
            'chat_environments_overrides.dev.friendly_name must not contain control characters, got acme-dev\\x00',
        ),
        ({'chat_environments_common': {'notifications': {'new_message': {'template': 'a\x00b'}}}}, 'must not contain NUL or control characters'),
        ({'chat_environments_common': {'webhook_filters': ['onMessageSent\x00']}}, 'webhook_filters must not contain control characters'),
    ],
)
def test_control_characters_are_refused_by_name(changes, expected):
    found = errors(**changes)
    assert any(expected in e for e in found), found


def test_a_control_character_in_a_credential_is_refused_without_showing_it():
    found = errors(chat_environments_overrides={'dev': {'account_sid': ACCOUNT, 'auth_token': 'secret\x00token'}})
    assert found == ['chat_environments_overrides.dev.auth_token must not contain control characters'], found


@pytest.mark.parametrize(
    'protected, expected',
    [
        (['prdo'], 'chat_environments_protected: "prdo" is not in chat_environments_names (dev, stage, prod); did you mean prod?'),
        ('prod,stagee', 'chat_environments_protected: "stagee" is not in chat_environments_names (dev, stage, prod); did you mean stage?'),
        (['qa'], 'chat_environments_protected: "qa" is not in chat_environments_names (dev, stage, prod); an unknown entry protects nothing'),
    ],
)
def test_an_unknown_protected_entry_fails_by_name(protected, expected):
    found = errors(chat_environments_protected=protected, chat_environments_state='absent')
    assert any(e.startswith(expected) for e in found), found
    # the unknown entry is refused even when nothing would be deleted
    assert any(expected in e for e in errors(chat_environments_protected=protected)), protected


def test_the_default_protection_of_an_app_without_prod_is_a_warning():
    result = plan(chat_environments_names=['development', 'production'])
    assert result['errors'] == []
    assert result['warnings'] == [
        'no environment is protected: chat_environments_protected is [prod], but chat_environments_names (development, production) '
        'has no prod; set chat_environments_protected to the environments whose services must not be deleted without confirmation'
    ]
    assert plan(chat_environments_names=['development', 'production'], chat_environments_protected=['production'])['warnings'] == []
    assert plan()['warnings'] == []


@pytest.mark.parametrize(
    'typo, closest',
    [
        ('chat_environments_overide', 'chat_environments_overrides'),
        ('chat_environments_override', 'chat_environments_overrides'),
        ('chat_environments_protect', 'chat_environments_protected'),
        ('chat_environments_confirm_deletes', 'chat_environments_confirm_delete'),
        ('chat_environments_name', 'chat_environments_names'),
        ('chat_environments_purge', 'chat_environments_purge_strays'),
        ('chat_environments_readonly', 'chat_environments_read_only'),
    ],
)
def test_an_unknown_role_variable_fails_naming_the_closest(typo, closest):
    found = chat_environments_plan(dict(DEFAULTS), sorted(DEFAULTS) + [typo])['errors']
    assert found == ['%s is not a variable of the chatops.twilio.chat_environments role, so it would be ignored; did you mean %s?' % (typo, closest)]


def test_the_role_variables_and_facts_are_known():
    given = list(FILTERS.ROLE_VARIABLES + FILTERS.ROLE_FACTS)
    assert chat_environments_plan(dict(DEFAULTS), given)['errors'] == []
    far = chat_environments_plan(dict(DEFAULTS), ['chat_environments_zzz'])['errors']
    assert far == [
        'chat_environments_zzz is not a variable of the chatops.twilio.chat_environments role, so it would be ignored (its variables: meta/argument_specs.yml)'
    ]


def test_the_role_variables_are_those_of_the_argument_spec():
    import yaml  # pylint: disable=import-outside-toplevel

    specs = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'roles', 'chat_environments', 'meta', 'argument_specs.yml')
    with open(specs) as handle:
        options = yaml.safe_load(handle)['argument_specs']['main']['options']
    assert sorted(options) == sorted(FILTERS.ROLE_VARIABLES)


@pytest.mark.parametrize('app', [None, ''])
def test_a_missing_app_is_one_short_message(app):
    found = errors(chat_environments_app=app)
    assert found == [
        'chat_environments_app is required: the name of the application, {app} in the service names '
        '(for example chat_environments_app: acme gives acme-dev, acme-stage and acme-prod)'
    ]


def test_functions_suffixes_are_derived_for_environments_without_prod():
    result = plan(chat_environments_functions=True, chat_environments_names=['development', 'production'], chat_environments_protected=['production'])
    assert result['errors'] == []
    suffixes = dict((e['unique_name'], e['domain_suffix']) for e in result['functions_accounts'][0]['environments'])
    assert suffixes == {'development': 'development', 'production': ''}
    # no production-like name: every environment keeps its own name
    result = plan(chat_environments_functions=True, chat_environments_names=['dev', 'live'], chat_environments_protected=['live'])
    assert dict((e['unique_name'], e['domain_suffix']) for e in result['functions_accounts'][0]['environments']) == {'dev': 'dev', 'live': 'live'}


def test_functions_suffixes_that_cannot_be_derived_name_the_variable_and_the_fix():
    found = errors(chat_environments_functions=True, chat_environments_names=['dev', 'prod-eu', 'prod-us'], chat_environments_protected=['prod-eu'])
    assert found == [
        'chat_environments_functions_domain_suffixes: the default gives the base domain to prod, which is not in chat_environments_names, '
        'and prod-eu and prod-us could each be production; set chat_environments_functions_domain_suffixes, for example {prod-eu: ""} for '
        'the base domain (every other environment uses its own name)'
    ]
    found = errors(chat_environments_functions=True, chat_environments_names=['dev_eu', 'production'], chat_environments_protected=['production'])
    assert len(found) == 1 and found[0].endswith('(set chat_environments_functions_domain_suffixes.dev_eu to a valid suffix, as the name is not one)'), found


def test_chat_webhook_events_near_misses_are_refused_with_did_you_mean():
    found = errors(chat_environments_common={'webhook_filters': ['onMessageSent', 'onMessageSnet']})
    assert len(found) == 1 and "webhook_filters: 'onMessageSnet' is not a known event; did you mean onMessageSent?" in found[0], found
    found = errors(chat_environments_common={'webhook_filters': ['onmessagesent']})
    assert 'did you mean onMessageSent?' in found[0], found
    # the known events sorted in the message
    listed = found[0].split('(the known events: ')[1].rstrip(')').split(', ')
    assert listed == sorted(listed) and 'onUserUpdated' in listed
    # Twilio documents more events than the spec lists: an event far from every known one passes
    assert errors(chat_environments_common={'webhook_filters': ['onMessageSent', 'onUserUpdated', 'onChannelDestroyed']}) == []
