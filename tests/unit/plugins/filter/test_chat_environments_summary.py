# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The role's plan in one line per environment (issue 21, item 8): built from the module results as the role
registers them, through the facts filter, so a user reading a long run sees what happened in each environment."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools

from ansible_collections.chatops.twilio.tests.unit.plugins.filter.test_chat_environments import DEFAULTS, FILTERS

chat_environments_plan = FILTERS.chat_environments_plan
chat_environments_facts = FILTERS.chat_environments_facts
chat_environments_summary = FILTERS.chat_environments_summary
WIDTH = FILTERS.SUMMARY_WIDTH


def plan(**changes):
    args = dict(DEFAULTS)
    args.update(changes)
    the_plan = chat_environments_plan(args)
    assert the_plan['errors'] == []
    return the_plan


def item(action, state='present', settings=(), sid='IS1'):
    """One entry of a set module's ``services`` result (no diff mode)."""
    return {'sid': sid, 'state': state, 'action': action, 'changed': action != 'none', 'changed_settings': list(settings), 'diff': {}}


def chat_results(the_plan, *items, **extra):
    """The registered loop results of chat_services for an account of the plan, one item per environment."""
    return [dict(extra, __chat_environments_envs=the_plan['chat_accounts'][0]['envs'], services=list(items))]


def lines(the_plan, chat, earlier=None, check_mode=False, functions=None, deploys=None, variables=None):
    facts = chat_environments_facts(the_plan, chat, functions or [], earlier or {}, {}, False, 'present', deploys or [])
    return chat_environments_summary(the_plan, facts['services'], earlier or {}, check_mode, variables or [], facts['strays'])


def test_one_line_per_environment_for_each_action():
    the_plan = plan(chat_environments_names=['dev', 'stage', 'prod', 'old'], chat_environments_overrides={'old': {'state': 'absent'}})
    chat = chat_results(
        the_plan,
        item('none'),
        item('update', settings=['friendly_name', 'webhook_filters']),
        item('create', sid='IS3'),
        item('delete', state='absent', sid=None),
    )
    assert lines(the_plan, chat) == ['dev: unchanged', 'stage: updated (friendly_name, webhook_filters)', 'prod: created', 'old: deleted']


def test_an_absent_environment_with_nothing_to_delete_says_absent():
    the_plan = plan(chat_environments_names=['dev'], chat_environments_state='absent')
    assert lines(the_plan, chat_results(the_plan, item('none', state='absent', sid=None))) == ['dev: absent']


def test_check_mode_says_what_would_be_done():
    the_plan = plan(chat_environments_names=['dev', 'stage', 'prod', 'old'], chat_environments_overrides={'old': {'state': 'absent'}})
    chat = chat_results(
        the_plan,
        item('none'),
        item('update', settings=['limits.channel_members']),
        item('create', sid=None),
        item('delete', state='absent', sid=None),
    )
    assert lines(the_plan, chat, check_mode=True) == [
        'dev: unchanged',
        'stage: would be updated (limits.channel_members)',
        'prod: would be created',
        'old: would be deleted',
    ]


def test_a_module_that_ran_in_check_mode_makes_the_lines_say_would_be():
    """Under an import's check_mode: true, ansible_check_mode stays false: the set modules' results tell."""
    the_plan = plan(chat_environments_names=['dev'])
    chat = chat_results(the_plan, item('create', sid=None), check_mode=True)
    facts = chat_environments_facts(the_plan, chat)
    assert chat_environments_summary(the_plan, facts['services'], {}, False, [], [], chat) == ['dev: would be created']
    chat[0]['check_mode'] = False
    assert chat_environments_summary(the_plan, facts['services'], {}, False, [], [], chat) == ['dev: created']
    # a result of an earlier run of the role in the play (other environments) does not count
    stale = [{'__chat_environments_envs': ['legacy'], 'check_mode': True, 'services': []}]
    assert chat_environments_summary(the_plan, facts['services'], {}, False, [], [], chat + stale) == ['dev: created']


def test_an_environment_whose_api_differs_from_the_earlier_fact_has_moved():
    the_plan = plan(chat_environments_names=['dev', 'stage'], chat_environments_overrides={'dev': {'api_version': 'conversations'}})
    conversations = [{'__chat_environments_envs': the_plan['conversations_accounts'][0]['envs'], 'services': [item('update', settings=['webhooks.filters'])]}]
    chat = [{'__chat_environments_envs': the_plan['chat_accounts'][0]['envs'], 'services': [item('none')]}]
    earlier = {'dev': {'name': 'acme-dev', 'api_version': 'v2'}, 'stage': {'name': 'acme-stage', 'api_version': 'v2'}}
    assert lines(the_plan, chat + conversations, earlier) == ['dev: moved v2 -> conversations, updated (webhooks.filters)', 'stage: unchanged']
    conversations[0]['services'] = [item('none')]
    assert lines(the_plan, chat + conversations, earlier) == ['dev: moved v2 -> conversations', 'stage: unchanged']
    assert lines(the_plan, chat + conversations, earlier, check_mode=True)[0] == 'dev: would be moved v2 -> conversations'
    # no earlier fact (a new play): Twilio does not record the API, so no move is claimed
    assert lines(the_plan, chat + conversations)[0] == 'dev: unchanged'


def test_many_changed_settings_are_cut_to_the_width_and_counted():
    the_plan = plan(chat_environments_names=['stage'])
    names = ['notifications.%s.template' % kind for kind in ('new_message', 'added_to_channel', 'removed_from_channel', 'invited_to_channel')]
    (line,) = lines(the_plan, chat_results(the_plan, item('update', settings=names + ['webhook_filters'])))
    assert line == 'stage: updated (notifications.new_message.template, +4 more)'
    assert len(line) <= WIDTH
    # a name too long for the line: the settings are counted
    (line,) = lines(the_plan, chat_results(the_plan, item('update', settings=['a' * 80, 'limits.user_channels'])))
    assert line == 'stage: updated (2 settings)'


def test_the_functions_environment_its_code_and_variables():
    the_plan = plan(chat_environments_names=['dev', 'prod'], chat_environments_functions=True)
    the_plan['deploy_envs'] = the_plan['variables_envs'] = ['dev', 'prod']
    chat = chat_results(the_plan, item('create'), item('none'))
    functions = [
        {
            '__chat_environments_envs': the_plan['functions_accounts'][0]['envs'],
            'service': {'sid': 'ZS1'},
            'environments': [
                {'state': 'present', 'sid': 'ZE1', 'domain_name': 'acme-1-dev.twil.io', 'changed': True, 'action': 'create'},
                {'state': 'present', 'sid': 'ZE2', 'domain_name': 'acme-1.twil.io', 'changed': False, 'action': 'none'},
            ],
        }
    ]
    deploys = [
        {'__chat_environments_env': 'dev', 'changed': True, 'build_sid': 'ZB1', 'changes': {'added': ['/a', '/b', '/c'], 'changed': [], 'removed': []}},
        {'__chat_environments_env': 'prod', 'changed': False, 'build_sid': 'ZB2', 'changes': {}},
    ]
    variables = [
        {'__chat_environments_env': 'dev', 'changed': True, 'added': ['TOKEN'], 'updated': [], 'removed': []},
        {'__chat_environments_env': 'prod', 'changed': False, 'added': [], 'updated': [], 'removed': []},
    ]
    # too long with every count: the Functions parts lose their counts
    assert lines(the_plan, chat, functions=functions, deploys=deploys, variables=variables) == [
        'dev: created; functions: created, deployed, variables set',
        'prod: unchanged; functions: unchanged',
    ]
    # a variables result of another environment (an earlier run of the role in the play) is not this run's
    the_plan['variables_envs'] = ['prod']
    assert lines(the_plan, chat, functions=functions, deploys=deploys, variables=variables)[0] == 'dev: created; functions: created, deployed (+3 ~0 -0)'
    assert lines(the_plan, chat, functions=functions, deploys=deploys, check_mode=True)[0] == ('dev: would be created; functions: would be created, deployed')
    # variables alone
    the_plan['variables_envs'] = ['dev', 'prod']
    functions[0]['environments'][0].update(changed=False, action='none')
    assert lines(the_plan, chat, functions=functions, variables=variables, check_mode=True)[0] == (
        'dev: would be created; functions: variables would be set (+1 ~0 -0)'
    )


def test_a_recreated_and_a_deleted_functions_environment():
    the_plan = plan(chat_environments_names=['dev', 'stage'], chat_environments_functions=True, chat_environments_overrides={'stage': {'state': 'absent'}})
    chat = chat_results(the_plan, item('none'), item('delete', state='absent', sid=None))
    functions = [
        {
            '__chat_environments_envs': the_plan['functions_accounts'][0]['envs'],
            'service': {'sid': 'ZS1'},
            'environments': [
                {'state': 'present', 'sid': 'ZE3', 'domain_name': 'acme-1-dv.twil.io', 'changed': True, 'action': 'recreate'},
                {'state': 'absent', 'sid': None, 'domain_name': None, 'changed': True, 'action': 'delete'},
            ],
        }
    ]
    assert lines(the_plan, chat, functions=functions, check_mode=True) == [
        'dev: unchanged; functions: would be recreated',
        'stage: would be deleted; functions: would be deleted',
    ]


def test_strays_get_a_line_and_the_deleted_ones_say_so():
    the_plan = plan(chat_environments_names=['dev'])
    chat = chat_results(
        the_plan,
        item('none'),
        strays=[{'sid': 'IS8', 'friendly_name': 'acme-qa'}, {'sid': 'IS9', 'friendly_name': 'acme-tmp'}],
        purged=[{'sid': 'IS9', 'friendly_name': 'acme-tmp'}],
    )
    assert lines(the_plan, chat) == ['dev: unchanged', 'strays: acme-qa, acme-tmp (deleted)']


def test_only_the_environments_of_this_run_get_a_line():
    the_plan = plan(chat_environments_limit=['stage'])
    chat = chat_results(the_plan, item('none'))
    earlier = {'dev': {'name': 'acme-dev', 'api_version': 'v2', 'action': 'create'}}
    assert lines(the_plan, chat, earlier) == ['stage: unchanged']


def test_no_value_of_a_setting_reaches_a_line():
    """The module results hold the settings (a webhook URL with its password); the lines name settings only."""
    the_plan = plan(chat_environments_names=['dev'])
    result = dict(item('update', settings=['post_webhook_url']), service={'post_webhook_url': 'https://u:hunter2@h.example/x'})
    result['current'] = {'post_webhook_url': 'https://u:old-pass@h.example/x'}
    assert lines(the_plan, chat_results(the_plan, result)) == ['dev: updated (post_webhook_url)']


def test_every_line_fits_the_width_but_a_move_with_changes_on_both_sides():
    """At most SUMMARY_WIDTH characters (80 columns in the default and YAML callbacks) for an environment name of
    up to 5 characters, however many settings, files and variables changed; a move of API, a one-time event, may
    make its line longer (the callback then wraps it, nothing is lost)."""
    many = dict(added=['/a'] * 12, changed=['/b'] * 10, removed=['/c'] * 10, updated=['K'] * 10)
    longest = 0
    for action, fn_action, deployed, variables_set, check_mode in itertools.product(
        ('none', 'create', 'update', 'delete'), ('none', 'create', 'recreate', 'delete'), (False, True), (False, True), (False, True)
    ):
        state = 'absent' if action == 'delete' else 'present'
        service = dict(item(action, state=state, settings=['notifications.new_message.template'] * 12), api_version='v2')
        service['functions'] = dict(state=state, action=fn_action, changed=fn_action != 'none', deploy=dict(changed=deployed, changes=many))
        line = FILTERS._line('stage', service, {}, dict(many, changed=variables_set), check_mode)
        longest = max(longest, len(line))
    assert longest <= WIDTH
