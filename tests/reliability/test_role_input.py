# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bad role input (the role part of the bad-input matrix), through real ansible-playbook runs.

The role promises to check all input before its first request, so every case asserts the
failure message fragment, ``failed: true``, no traceback, and that the emulator received no
request at all; the three existing services (prod included) are untouched.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

import harness  # pylint: disable=import-error

PLAYBOOK = os.path.join(harness.HERE, 'playbooks', 'converge_environments.yml')
APP = 'roleinput'
# The example Functions app of the repository (issue 19, item 5).
EXAMPLE_APP = os.path.join(os.path.dirname(os.path.dirname(harness.HERE)), 'examples', 'chat-status-app')

# (id, role variables, expected message fragment)
CASES = [
    ('app-missing', {}, 'chat_environments_app is required: the name of the application'),
    ('app-empty', {'chat_environments_app': ' '}, 'chat_environments_app must not be empty'),
    ('names-wrong-type', {'chat_environments_names': {'dev': 1}}, 'chat_environments_names'),
    ('names-empty', {'chat_environments_names': []}, 'chat_environments_names must name at least one environment'),
    ('name-invalid', {'chat_environments_names': ['dev', 'prod env']}, 'chat_environments_names: "prod env" is not a valid environment name'),
    ('name-twice', {'chat_environments_names': ['dev', 'stage', 'dev']}, 'chat_environments_names lists "dev" more than once'),
    ('pattern-without-env', {'chat_environments_name_pattern': '{app}-chat'}, 'chat_environments_name_pattern "{app}-chat" must contain {env}'),
    ('limit-unknown-env', {'chat_environments_limit': ['qa']}, 'chat_environments_limit: "qa" is not in chat_environments_names'),
    ('limit-string-unknown-env', {'chat_environments_limit': 'qa'}, 'chat_environments_limit: "qa" is not in chat_environments_names'),
    (
        'common-unknown-setting',
        {'chat_environments_common': {'typing_timeout': 3}},
        'chat_environments_common.typing_timeout is not a Chat service setting; did you mean typing_indicator_timeout?',
    ),
    (
        'common-wrong-type',
        {'chat_environments_common': {'typing_indicator_timeout': 'slow'}},
        'chat_environments_common.typing_indicator_timeout must be of type int',
    ),
    (
        'common-limit-out-of-range',
        {'chat_environments_common': {'limits': {'channel_members': 5000}}},
        'chat_environments_common.limits.channel_members must be between 1 and 1000, got 5000',
    ),
    (
        'override-typo',
        {'chat_environments_overrides': {'prod': {'limits': {'channel_member': 5}}}},
        'chat_environments_overrides.prod.limits.channel_member is not a Chat service setting; did you mean channel_members?',
    ),
    (
        'override-v1-only-setting',
        {'chat_environments_overrides': {'dev': {'webhooks': {'on_message_send': {'url': 'https://h.example/x'}}}}},
        'chat_environments_overrides.dev.webhooks is not supported by Chat API v2 (it exists only in v1)',
    ),
    (
        'override-bad-url',
        {'chat_environments_overrides': {'stage': {'post_webhook_url': 'hooks.example.com'}}},
        'chat_environments_overrides.stage.post_webhook_url must be an absolute http(s) URL',
    ),
    (
        'override-unknown-env',
        {'chat_environments_overrides': {'qa': {'typing_indicator_timeout': 3}}},
        'chat_environments_overrides.qa: "qa" is not in chat_environments_names',
    ),
    (
        'override-token-without-account',
        {'chat_environments_overrides': {'prod': {'auth_token': 'x' * 32}}},
        'chat_environments_overrides.prod.account_sid is required with auth_token',
    ),
    (
        'override-same-name',
        {'chat_environments_overrides': {'stage': {'friendly_name': APP + '-dev'}}},
        'environments dev and stage would both use the service name "%s-dev"' % APP,
    ),
    (
        'host-var-name-in-role',
        {'chat_environment_overrides': {'limits': {'channel_members': 5}}},
        'chat_environment_overrides is set where the role runs, but the role reads chat_environments_overrides',
    ),
    ('protected-prod-delete', {'chat_environments_state': 'absent'}, 'Refusing to delete the Chat service %s-prod of protected environment prod' % APP),
    # A trailing newline passed patterns ending in $; a dash cannot start or end a domain label (issue 9).
    ('name-newline', {'chat_environments_names': ['dev', 'stage\n']}, 'chat_environments_names: "stage\n" is not a valid environment name'),
    (
        'role-sid-newline',
        {'chat_environments_common': {'default_service_role_sid': 'RL' + 'a' * 32 + '\n'}},
        'chat_environments_common.default_service_role_sid must be a role SID',
    ),
    (
        'functions-name-newline',
        {'chat_environments_functions': True, 'chat_environments_functions_service_pattern': '{app}\n'},
        '(chat_environments_functions_service_pattern) may only contain letters, numbers and dashes',
    ),
    (
        'functions-name-trailing-dash',
        {'chat_environments_functions': True, 'chat_environments_functions_service_pattern': '{app}-'},
        'the Functions service name (chat_environments_functions_service_pattern) must not start or end with a dash',
    ),
    (
        'functions-name-51',
        {'chat_environments_functions': True, 'chat_environments_functions_service_pattern': '{app}' + 'x' * (51 - len(APP))},
        '(chat_environments_functions_service_pattern) must be at most 50 characters, got 51',
    ),
    (
        'functions-suffix-leading-dash',
        {'chat_environments_functions': True, 'chat_environments_functions_domain_suffixes': {'dev': '-dev'}},
        'the Functions domain suffix of environment dev must not start or end with a dash',
    ),
    # -e chat_environments_confirm_delete=<string>: compared as whole names, never as a substring.
    (
        'confirm-substring-string',
        {'chat_environments_state': 'absent', 'chat_environments_confirm_delete': APP + '-prod-old'},
        'Refusing to delete the Chat service %s-prod of protected environment prod' % APP,
    ),
    (
        'confirm-prefix-string',
        {'chat_environments_state': 'absent', 'chat_environments_confirm_delete': APP + '-pro'},
        'Refusing to delete the Chat service %s-prod of protected environment prod' % APP,
    ),
    (
        'functions-confirmed-by-prod-name',
        {
            'chat_environments_functions': True,
            'chat_environments_functions_state': 'absent',
            'chat_environments_state': 'absent',
            'chat_environments_confirm_delete': APP + '-prod',
        },
        'Refusing to delete the Functions service %s ' % APP,
    ),
    # An API per environment (issue 12): unknown APIs, and settings of the other API, by name.
    ('api-version-unknown', {'chat_environments_api_version': 'v3'}, 'chat_environments_api_version must be one of: v1, v2, conversations, got: v3'),
    (
        'override-api-version-unknown',
        {'chat_environments_overrides': {'dev': {'api_version': 'conversation'}}},
        "chat_environments_overrides.dev.api_version must be one of conversations, v1, v2, got 'conversation'",
    ),
    (
        'conversations-env-chat-setting',
        {'chat_environments_overrides': {'dev': {'api_version': 'conversations', 'typing_indicator_timeout': 3}}},
        'chat_environments_overrides.dev.typing_indicator_timeout is a Chat service setting, but environment dev uses the Conversations API',
    ),
    (
        'chat-env-conversations-setting',
        {'chat_environments_overrides': {'prod': {'configuration': {'reachability_enabled': True}}}},
        'chat_environments_overrides.prod.configuration is a Conversations service setting, but environment prod uses Chat API v2',
    ),
    (
        'conversations-common-chat-setting',
        {'chat_environments_conversations_common': {'reachability_enabled': True}},
        'chat_environments_conversations_common.reachability_enabled is a Chat service setting; the settings of '
        'environments on Chat (API v1 or v2) go in chat_environments_common',
    ),
    (
        'common-conversations-setting',
        {'chat_environments_common': {'webhooks': {'post_webhook_url': 'https://h.e/x'}}},
        'chat_environments_common.webhooks.post_webhook_url is a Conversations service setting',
    ),
    (
        'conversations-common-bad-filter',
        {'chat_environments_api_version': 'conversations', 'chat_environments_conversations_common': {'webhooks': {'filters': ['onMessageAdded', '']}}},
        'chat_environments_conversations_common.webhooks.filters must not contain empty names',
    ),
    (
        'conversations-common-wrong-type',
        {'chat_environments_conversations_common': {'configuration': {'reachability_enabled': 'maybe'}}},
        'chat_environments_conversations_common.configuration.reachability_enabled must be of type bool',
    ),
    (
        'conversations-override-bad-url',
        {'chat_environments_overrides': {'stage': {'api_version': 'conversations', 'webhooks': {'pre_webhook_url': 'hooks.example.com'}}}},
        'chat_environments_overrides.stage.webhooks.pre_webhook_url must be an absolute http(s) URL',
    ),
    (
        'conversations-protected-prod-delete',
        {'chat_environments_api_version': 'conversations', 'chat_environments_state': 'absent', 'chat_environments_confirm_delete': APP + '-prod-old'},
        'Refusing to delete the Conversations service %s-prod of protected environment prod' % APP,
    ),
    (
        'conversations-name-too-long',
        {'chat_environments_api_version': 'conversations', 'chat_environments_overrides': {'dev': {'friendly_name': 'n' * 257}}},
        'is longer than the 256 characters of a Conversations service name',
    ),
    (
        'functions-source-missing',
        {'chat_environments_functions': True, 'chat_environments_functions_source': '/nonexistent/chat-app'},
        'chat_environments_functions_source: /nonexistent/chat-app is not a directory',
    ),
    (
        'webhook-function-unknown',
        {
            'chat_environments_functions': True,
            'chat_environments_functions_source': EXAMPLE_APP,
            'chat_environments_common': {'post_webhook_function': '/stauts'},
        },
        'post_webhook_function (dev) names the Function /stauts, which %s does not have (its Functions: /status); did you mean /status?' % EXAMPLE_APP,
    ),
    (
        'webhook-function-without-functions',
        {'chat_environments_common': {'post_webhook_function': '/status'}},
        'the webhook Function /status of environment dev needs its Functions environment: set chat_environments_functions: true',
    ),
]
# The role checks everything before its first request with one short message.
MESSAGE_MAX = 2000


@pytest.fixture
def existing(clean):
    """The app's three services, as they are before each case."""
    for env in ('dev', 'stage', 'prod'):
        clean.create_service('%s-%s' % (APP, env), TypingIndicatorTimeout=4)
    # created long ago: a service younger than 2 s is one a concurrent run may still be resolving,
    # which the set modules list again for (and this module's floor assertions would see)
    clean.age()
    clean.clear_log()
    return clean.services()


@pytest.mark.parametrize('case_id, role_vars, fragment', CASES, ids=[c[0] for c in CASES])
def test_bad_role_input(clean, existing, case_id, role_vars, fragment):  # pylint: disable=redefined-outer-name
    emulator = clean
    extra_vars = {'chat_environments_app': APP}
    extra_vars.update(role_vars)
    if case_id == 'app-missing':
        del extra_vars['chat_environments_app']
    run = harness.run_playbook(PLAYBOOK, harness.base_env(emulator), extra_vars=extra_vars)

    assert run.rc == 2, run.describe()
    failed = run.task_results(status='failed')
    assert len(failed) == 1, run.describe()
    msg = failed[0]['result'].get('msg', '')
    # ansible-playbook reports the task as failed (the callback's v2_runner_on_failed, i.e. failed: true)
    assert failed[0]['status'] == 'failed'
    assert fragment in msg, '%s: expected %r in %r' % (case_id, fragment, msg)
    assert len(msg) < MESSAGE_MAX, '%s: %d characters' % (case_id, len(msg))
    assert not harness.TRACEBACK_RE.search(run.output), run.describe()
    assert emulator.requests_log() == [], '%s: the role sent requests before validating its input' % case_id
    assert emulator.services() == existing


def test_role_deletes_protected_prod_only_when_confirmed(clean, existing):  # pylint: disable=redefined-outer-name
    """The counterpart of protected-prod-delete: with the name confirmed, all three go."""
    run = harness.run_playbook(
        PLAYBOOK,
        harness.base_env(clean),
        extra_vars={'chat_environments_app': APP, 'chat_environments_state': 'absent', 'chat_environments_confirm_delete': ['%s-prod' % APP]},
    )
    assert run.rc == 0, run.describe()
    assert len(existing) == 3 and clean.services() == []
    # the fetch: the account configuration, which says none of them is the account's default Conversations Service
    assert harness.count_requests(clean.requests_log()) == {'list': 1, 'fetch': 1, 'delete': 3}


def test_role_moves_an_environment_to_conversations_without_recreating_it(clean, existing):  # pylint: disable=redefined-outer-name
    """dev switched to api_version conversations keeps its service: found by name, only its settings written."""
    sids = dict((s['friendly_name'], s['sid']) for s in existing)
    run = harness.run_playbook(
        PLAYBOOK,
        harness.base_env(clean),
        extra_vars={
            'chat_environments_app': APP,
            'chat_environments_common': {'typing_indicator_timeout': 4},
            'chat_environments_conversations_common': {'webhooks': {'method': 'GET'}},
            'chat_environments_overrides': {'dev': {'api_version': 'conversations'}},
        },
    )
    assert run.rc == 0, run.describe()
    assert dict((s['friendly_name'], s['sid']) for s in clean.services()) == sids
    log = clean.requests_log()
    assert [(e['method'], e['path']) for e in harness.writes(log)] == [('POST', '/conversations/v1/Services/%s/Configuration/Webhooks' % sids[APP + '-dev'])]
    # one listing per API for the account, and dev's webhooks
    assert sorted(e['path'] for e in log if e['method'] == 'GET') == sorted(
        ['/chat/v2/Services', '/conversations/v1/Services', '/conversations/v1/Services/%s/Configuration/Webhooks' % sids[APP + '-dev']]
    )


def test_role_takes_a_string_limit_as_one_environment(clean, existing):  # pylint: disable=redefined-outer-name
    """-e chat_environments_limit=prod (a string) manages prod, not the environments "p", "r", "o", "d"."""
    run = harness.run_playbook(
        PLAYBOOK,
        harness.base_env(clean),
        args=['-e', 'chat_environments_limit=prod'],
        extra_vars={'chat_environments_app': APP, 'chat_environments_common': {'typing_indicator_timeout': 6}},
    )
    assert run.rc == 0, run.describe()
    timeouts = dict((s['friendly_name'], s['typing_indicator_timeout']) for s in clean.services())
    assert timeouts == {'%s-dev' % APP: 4, '%s-stage' % APP: 4, '%s-prod' % APP: 6}


def test_role_confirm_delete_as_a_string_is_an_exact_name(clean, existing):  # pylint: disable=redefined-outer-name
    """-e chat_environments_confirm_delete=<name> confirms exactly that service."""
    run = harness.run_playbook(
        PLAYBOOK,
        harness.base_env(clean),
        args=['-e', 'chat_environments_confirm_delete=%s-prod' % APP],
        extra_vars={'chat_environments_app': APP, 'chat_environments_state': 'absent'},
    )
    assert run.rc == 0, run.describe()
    assert clean.services() == []


def test_role_variable_name_in_inventory_group_vars_fails_by_name(clean, existing, tmp_path):  # pylint: disable=redefined-outer-name
    """group_vars/prod.yml with the role's chat_environments_overrides (plural) is not silently ignored."""
    (tmp_path / 'group_vars').mkdir()
    (tmp_path / 'hosts.yml').write_text('chat_environments:\n  children:\n    dev: {hosts: {twilio-dev: }}\n    prod: {hosts: {twilio-prod: }}\n')
    (tmp_path / 'group_vars' / 'all.yml').write_text('chat_environments_app: %s\n' % APP)
    (tmp_path / 'group_vars' / 'prod.yml').write_text(
        'chat_environment_name: prod\nchat_environments_overrides:\n  prod:\n    limits: {channel_members: 500}\n'
    )
    playbook = os.path.join(harness.ROOT, 'playbooks', 'provision.yml')
    run = harness.run_playbook(playbook, harness.base_env(clean), inventory=str(tmp_path / 'hosts.yml'))
    assert run.rc == 2, run.describe()
    failed = run.task_results(status='failed')
    assert len(failed) == 1, run.describe()
    msg = failed[0]['result'].get('msg', '')
    assert msg.startswith('twilio-prod sets chat_environments_overrides, which is ignored'), msg
    assert 'chat_environment_overrides' in msg and len(msg) < MESSAGE_MAX
    assert clean.requests_log() == []


def test_role_takes_credentials_from_module_defaults(clean):
    """The role documents module_defaults for group/chatops.twilio.twilio as the way to pass credentials.

    Regression: task arguments that template to omit hide module_defaults values, so the role must
    not pass connection options as ``{{ ... | default(omit) }}``.
    """
    playbook = os.path.join(harness.HERE, 'playbooks', 'module_defaults_role.yml')
    run = harness.run_playbook(
        playbook,
        harness.base_env(clean, credentials=None),
        extra_vars={
            'reliability_account_sid': clean.account_sid,
            'reliability_auth_token': clean.auth_token,
            'reliability_base_url': clean.api_base_url,
            'chat_environments_app': APP,
        },
    )
    assert run.rc == 0, run.describe()
    assert sorted(s['friendly_name'] for s in clean.services()) == ['%s-dev' % APP, '%s-prod' % APP, '%s-stage' % APP]


def test_role_matrix_size():
    ids = [c[0] for c in CASES]
    assert len(set(ids)) == len(ids) and len(ids) >= 10
    harness.report('bad-input matrix: %d role cases (ansible-playbook)' % len(ids))


PROMOTE = os.path.join(os.path.dirname(os.path.dirname(harness.HERE)), 'playbooks', 'promote.yml')


@pytest.mark.parametrize(
    'promote_vars, fragment',
    [
        ({'promote_to': 'prod'}, 'Refusing to promote stage to the protected environment prod (chat_environments_protected)'),
        ({'promote_to': 'prod', 'promote_confirm': 'prod'}, 'set promote_confirm to exactly %s/prod' % APP),
        ({'promote_to': 'prod', 'promote_confirm': '%s/prod ' % APP}, 'Nothing was deployed'),
        ({'promote_to': 'prdo'}, 'promote_to must be one of the environments (dev, stage, prod), got "prdo"'),
        ({'promote_to': 'dev'}, 'promote_from must be another environment (stage, prod), got ""'),
        ({'promote_to': 'stage', 'promote_from': 'stage'}, 'promote_from must be another environment (dev, prod), got "stage"'),
    ],
    ids=['no-confirmation', 'confirmation-not-exact', 'confirmation-trailing-space', 'target-typo', 'no-source', 'source-is-target'],
)
def test_promote_without_an_exact_confirmation_fails_before_any_request(clean, existing, promote_vars, fragment):  # pylint: disable=redefined-outer-name
    run = harness.run_playbook(PROMOTE, harness.base_env(clean), extra_vars=dict({'chat_environments_app': APP}, **promote_vars))
    assert run.rc == 2, run.describe()
    failed = run.task_results(status='failed')
    assert len(failed) == 1 and fragment in failed[0]['result'].get('msg', ''), run.describe()
    assert not harness.TRACEBACK_RE.search(run.output), run.describe()
    assert clean.requests_log() == [], 'promote sent requests before checking its input'


def test_role_never_deletes_the_account_default_service(clean, existing):  # pylint: disable=redefined-outer-name
    """An environment's service that the account's Conversations configuration names as its default: a teardown of every
    environment fails before any write, naming the rule, and the next run after the default moved deletes it."""
    dev = [s for s in existing if s['friendly_name'] == APP + '-dev'][0]
    made_with_the_account = clean.default_sid()
    auth = (clean.account_sid, clean.auth_token)
    clean.session.post(clean.url + '/conversations/v1/Configuration', data={'DefaultChatServiceSid': dev['sid']}, auth=auth, timeout=30).raise_for_status()
    clean.clear_log()
    teardown = {'chat_environments_app': APP, 'chat_environments_state': 'absent', 'chat_environments_confirm_delete': ['%s-prod' % APP]}
    run = harness.run_playbook(PLAYBOOK, harness.base_env(clean), extra_vars=teardown)
    assert run.rc != 0 and "it is the account's default Conversations Service" in run.describe(), run.describe()
    assert harness.writes(clean.requests_log()) == []
    assert sorted(s['sid'] for s in clean.services(include_default=True)) == sorted([made_with_the_account] + [s['sid'] for s in existing])
    clean.session.post(
        clean.url + '/conversations/v1/Configuration', data={'DefaultChatServiceSid': made_with_the_account}, auth=auth, timeout=30
    ).raise_for_status()
    run = harness.run_playbook(PLAYBOOK, harness.base_env(clean), extra_vars=teardown)
    assert run.rc == 0 and clean.services() == [], run.describe()
