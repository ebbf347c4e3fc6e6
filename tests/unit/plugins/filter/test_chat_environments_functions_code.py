# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The role's Functions code (issue 19, item 4): source, runtime and variables per environment, and webhooks that name
a Function of the environment's own Functions environment, planned before any request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.chatops.twilio.tests.unit.plugins.filter.test_chat_environments import DEFAULTS, FILTERS

chat_environments_plan = FILTERS.chat_environments_plan
chat_environments_webhooks = FILTERS.chat_environments_webhooks
chat_environments_functions_sids = FILTERS.chat_environments_functions_sids


@pytest.fixture
def app(tmp_path):
    """A source tree: a protected /chat-hook, a private /secret, a public /status and one asset."""
    functions = tmp_path / 'app' / 'functions'
    functions.mkdir(parents=True)
    (functions / 'chat-hook.protected.js').write_text('exports.handler = (c, e, cb) => cb(null, {});\n')
    (functions / 'secret.private.js').write_text('exports.handler = (c, e, cb) => cb(null, 1);\n')
    (functions / 'status.js').write_text('exports.handler = (c, e, cb) => cb(null, 2);\n')
    (tmp_path / 'app' / 'assets').mkdir()
    (tmp_path / 'app' / 'assets' / 'page.html').write_text('<p>hi</p>\n')
    return tmp_path


def plan(base, **changes):
    args = dict(DEFAULTS, chat_environments_functions=True, chat_environments_functions_source='app')
    args.update(changes)
    return chat_environments_plan(args, None, str(base))


def test_every_environment_deploys_the_source_relative_to_the_playbook(app):
    the_plan = plan(app, chat_environments_functions_variables={'GREETING': 'hi'}, chat_environments_overrides={'prod': {'functions_runtime': 'node20'}})
    assert the_plan['errors'] == []
    assert the_plan['deploy_envs'] == ['dev', 'stage', 'prod'] and the_plan['variables_envs'] == ['dev', 'stage', 'prod']
    assert the_plan['environments']['dev']['deploy'] == {'source': os.path.join(str(app), 'app'), 'runtime': 'node22'}
    assert the_plan['environments']['prod']['deploy']['runtime'] == 'node20'
    assert the_plan['environments']['stage']['variables'] == {'GREETING': 'hi'}


def test_an_override_names_its_own_source_and_merges_its_variables(app):
    the_plan = plan(
        app,
        chat_environments_functions_source='',
        chat_environments_functions_variables={'A': '1', 'B': '2'},
        chat_environments_overrides={'dev': {'functions_source': 'app', 'functions_variables': {'B': 'dev'}}},
    )
    assert the_plan['errors'] == [] and the_plan['deploy_envs'] == ['dev']
    assert the_plan['environments']['dev']['variables'] == {'A': '1', 'B': 'dev'}
    assert the_plan['environments']['stage']['deploy'] is None


def test_an_absent_or_unselected_environment_deploys_nothing(app):
    the_plan = plan(
        app, chat_environments_limit=['dev', 'prod'], chat_environments_overrides={'prod': {'state': 'absent'}}, chat_environments_confirm_delete=['acme-prod']
    )
    assert the_plan['errors'] == [] and the_plan['deploy_envs'] == ['dev']


def test_a_source_that_does_not_exist_fails_before_any_request(app):
    assert plan(app, chat_environments_functions_source='no-such-app')['errors'] == [
        'chat_environments_functions_source: %s is not a directory' % os.path.join(str(app), 'no-such-app')
    ]


def test_an_empty_tree_and_a_bad_runtime_fail_naming_the_variable(app):
    (app / 'empty').mkdir()
    assert 'holds no file to deploy' in plan(app, chat_environments_functions_source='empty')['errors'][0]
    message = plan(app, chat_environments_overrides={'dev': {'functions_runtime': 'python3'}})['errors'][0]
    assert message.startswith('chat_environments_overrides.dev.functions_runtime must be node followed by a major version')


def test_code_without_the_functions_part_fails(app):
    message = plan(app, chat_environments_functions=False)['errors'][0]
    assert 'chat_environments_functions_source of environment dev needs its Functions environment: set chat_environments_functions: true' in message


def test_a_webhook_function_becomes_the_url_of_the_environments_own_domain(app):
    the_plan = plan(
        app,
        chat_environments_common={'post_webhook_function': '/chat-hook', 'webhook_method': 'POST'},
        chat_environments_overrides={
            'prod': {'api_version': 'conversations', 'webhooks': {'pre_webhook_function': '/status', 'method': 'POST', 'filters': ['onMessageAdd']}},
        },
    )
    assert the_plan['errors'] == [], the_plan['errors']
    assert the_plan['environments']['dev']['webhook_functions'] == {'post_webhook_url': '/chat-hook'}
    assert the_plan['environments']['prod']['webhook_functions'] == {'webhooks.pre_webhook_url': '/status'}
    # The settings sent never carry the *_function keys.
    assert 'post_webhook_function' not in the_plan['chat_accounts'][0]['services'][0]['settings']
    results = [
        {
            '__chat_environments_envs': ['dev', 'stage', 'prod'],
            'environments': [
                {'sid': 'ZE1', 'domain_name': 'acme-1234-dev.twil.io'},
                {'sid': None, 'domain_name': 'acme-1234-stage.twil.io'},
                {'sid': 'ZE3', 'domain_name': 'acme-1234.twil.io'},
            ],
        }
    ]
    wired = chat_environments_webhooks(the_plan, results)
    dev, stage = wired['chat_accounts'][0]['services']
    assert dev['settings']['post_webhook_url'] == 'https://acme-1234-dev.twil.io/chat-hook'
    assert stage['settings']['post_webhook_url'] == 'https://acme-1234-stage.twil.io/chat-hook'
    assert wired['conversations_accounts'][0]['services'][0]['settings']['webhooks'] == {
        'pre_webhook_url': 'https://acme-1234.twil.io/status',
        'method': 'POST',
        'filters': ['onMessageAdd'],
    }
    assert chat_environments_functions_sids(the_plan, results) == {'dev': 'ZE1', 'stage': None, 'prod': 'ZE3'}


def test_a_domain_not_known_yet_is_shown_as_a_placeholder(app):
    the_plan = plan(app, chat_environments_common={'post_webhook_function': '/chat-hook'})
    wired = chat_environments_webhooks(the_plan, [])
    urls = [s['settings']['post_webhook_url'] for s in wired['chat_accounts'][0]['services']]
    assert urls == ['https://acme-0000-dev.twil.io/chat-hook', 'https://acme-0000-stage.twil.io/chat-hook', 'https://acme-0000.twil.io/chat-hook']


def test_an_environments_own_url_beats_the_common_function(app):
    the_plan = plan(
        app, chat_environments_common={'post_webhook_function': '/chat-hook'}, chat_environments_overrides={'prod': {'post_webhook_url': 'https://x.example/h'}}
    )
    assert the_plan['errors'] == [] and the_plan['environments']['prod']['webhook_functions'] == {}
    assert the_plan['environments']['prod']['settings']['post_webhook_url'] == 'https://x.example/h'


@pytest.mark.parametrize(
    'common, expected',
    [
        ({'post_webhook_function': '/chat-hok'}, 'post_webhook_function (dev) names the Function /chat-hok, which '),
        ({'post_webhook_function': '/secret'}, 'post_webhook_function (dev) names the private Function /secret, which no URL reaches'),
        (
            {'post_webhook_function': 'chat-hook'},
            "chat_environments_common.post_webhook_function must be the path of a Function, such as /chat-hook, got 'chat-hook'",
        ),
        (
            {'post_webhook_function': '/chat-hook', 'post_webhook_url': 'https://x.example/'},
            'chat_environments_common.post_webhook_function and chat_environments_common.post_webhook_url are both set',
        ),
    ],
)
def test_a_bad_webhook_function_fails_naming_it(app, common, expected):
    found = plan(app, chat_environments_common=common)['errors']
    assert found and found[0].startswith(expected), found


def test_an_unknown_function_path_says_what_the_tree_has(app):
    message = plan(app, chat_environments_common={'post_webhook_function': '/chat-hok'})['errors'][0]
    assert message.endswith('(its Functions: /chat-hook, /secret, /status); did you mean /chat-hook?'), message


def test_a_webhook_function_without_a_source_fails(app):
    message = plan(app, chat_environments_functions_source='', chat_environments_common={'post_webhook_function': '/chat-hook'})['errors'][0]
    assert message == 'post_webhook_function (dev) names the Function /chat-hook, but environment dev deploys no source (chat_environments_functions_source)'


def test_facts_carry_each_deploy(app):
    the_plan = plan(app)
    functions = [
        {
            '__chat_environments_envs': ['dev', 'stage', 'prod'],
            'service': {'sid': 'ZS1'},
            'environments': [{'state': 'present', 'sid': 'ZE%d' % i, 'domain_name': 'd%d' % i, 'action': 'none'} for i in range(3)],
        }
    ]
    deploys = [
        {'__chat_environments_env': 'dev', 'changed': True, 'build_sid': 'ZB1', 'changes': {'added': ['/status'], 'changed': [], 'removed': []}},
        {'__chat_environments_env': 'stage', 'changed': False, 'build_sid': 'ZB2', 'changes': {}},
        {'__chat_environments_env': 'prod', 'skipped': True},
        # a result of an earlier run of the role for an environment this plan does not have
        {'__chat_environments_env': 'qa', 'changed': True, 'build_sid': 'ZB9'},
    ]
    facts = FILTERS.chat_environments_facts(the_plan, [], functions, deploy_results=deploys)
    assert facts['services']['dev']['functions']['deploy'] == {
        'build_sid': 'ZB1',
        'changed': True,
        'changes': {'added': ['/status'], 'changed': [], 'removed': []},
    }
    assert facts['services']['stage']['functions']['deploy']['changed'] is False
    assert 'deploy' not in facts['services']['prod']['functions'] and 'qa' not in facts['services']
