# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The role and the set modules as a new user (or a hostile name) meets them (issue 18, items 9 to 16).

Each case is the attack as it was found: the mistyped variables a new user writes on day one, a
sibling application's services in the account during a purge, NUL and escape characters in names,
both given and read from Twilio. Every refusal is asserted before any request to the emulator.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

import pytest

import harness  # pylint: disable=import-error

PLAYBOOK = os.path.join(harness.HERE, 'playbooks', 'converge_environments.yml')
APP = 'acme'
MESSAGE_MAX = 2000


@pytest.fixture
def existing(clean):
    """acme's three services, plus the services of the sibling application acme-support in the same account."""
    for name in ('acme-dev', 'acme-stage', 'acme-prod', 'acme-support-dev', 'acme-support-prod'):
        clean.create_service(name, TypingIndicatorTimeout=4)
    clean.age()
    clean.clear_log()
    return clean.services()


def _refused(run, emulator, existing):  # pylint: disable=redefined-outer-name
    """The run failed once, with a short message, no traceback, and no request; returns the message."""
    assert run.rc == 2, run.describe()
    failed = run.task_results(status='failed')
    assert len(failed) == 1, run.describe()
    msg = failed[0]['result'].get('msg', '')
    assert len(msg) < MESSAGE_MAX, msg
    assert not harness.TRACEBACK_RE.search(run.output), run.describe()
    assert emulator.requests_log() == [], 'the role sent requests before refusing its input'
    assert emulator.services() == existing
    return msg


# ---- item 13: an unknown chat_environments_* variable --------------------------------------------


@pytest.mark.parametrize(
    'typo, value, closest',
    [
        # the case: the override is silently dropped and prod's webhook "moves" to staging's
        ('chat_environments_overide', {'prod': {'post_webhook_url': 'https://hooks.example.com/prod'}}, 'chat_environments_overrides'),
        ('chat_environments_override', {'prod': {'post_webhook_url': 'https://hooks.example.com/prod'}}, 'chat_environments_overrides'),
        ('chat_environments_protect', ['prod'], 'chat_environments_protected'),
        ('chat_environments_confirm_deletes', ['acme-prod'], 'chat_environments_confirm_delete'),
        ('chat_environments_environments', ['dev', 'prod'], 'chat_environments_names'),
        ('chat_environments_readonly', True, 'chat_environments_read_only'),
    ],
)
def test_a_mistyped_role_variable_fails_before_any_request(clean, existing, typo, value, closest):  # pylint: disable=redefined-outer-name
    run = harness.run_playbook(
        PLAYBOOK,
        harness.base_env(clean),
        extra_vars={'chat_environments_app': APP, 'chat_environments_common': {'post_webhook_url': 'https://hooks.example.com/staging'}, typo: value},
    )
    msg = _refused(run, clean, existing)
    assert '%s is not a variable of the chatops.twilio.chat_environments role, so it would be ignored' % typo in msg, msg
    if typo != 'chat_environments_environments':
        assert 'did you mean %s?' % closest in msg, msg


# ---- item 12: the protection list against the environment names ---------------------------------


def test_a_mistyped_protection_entry_refuses_the_delete_of_prod(clean, existing):  # pylint: disable=redefined-outer-name
    """chat_environments_protected: [prdo] with state absent previewed a delete of prod; now nothing is sent."""
    run = harness.run_playbook(
        PLAYBOOK,
        harness.base_env(clean),
        extra_vars={'chat_environments_app': APP, 'chat_environments_protected': ['prdo'], 'chat_environments_state': 'absent'},
        args=['--check', '--diff'],
    )
    msg = _refused(run, clean, existing)
    assert 'chat_environments_protected: "prdo" is not in chat_environments_names (dev, stage, prod); did you mean prod?' in msg, msg


def test_an_app_without_prod_is_warned_that_nothing_is_protected(clean, existing):  # pylint: disable=redefined-outer-name
    run = harness.run_playbook(
        PLAYBOOK,
        harness.base_env(clean),
        extra_vars={'chat_environments_app': APP, 'chat_environments_names': ['development', 'production']},
        args=['--check'],
    )
    assert run.rc == 0, run.describe()
    assert '[WARNING]: chatops.twilio.chat_environments: no environment is protected: chat_environments_protected is [prod]' in run.output, run.output
    harness.report('role guard: an app without prod is warned that nothing is protected')


# ---- item 14: no chat_environments_app -------------------------------------------------------------


def test_a_missing_app_is_one_short_message(clean, existing):  # pylint: disable=redefined-outer-name
    run = harness.run_playbook(PLAYBOOK, harness.base_env(clean), extra_vars={})
    msg = _refused(run, clean, existing)
    assert msg.startswith('Invalid chatops.twilio.chat_environments input: chat_environments_app is required'), msg
    # the whole failure, not only its msg: ansible-core's missing-required failure carried 11 KB of argument spec
    failed = run.task_results(status='failed')[0]['result']
    size = len(json.dumps(failed))
    assert size < MESSAGE_MAX, size
    assert 'argument_spec_data' not in failed
    harness.report('role guard: a missing chat_environments_app fails with %d characters of result' % size)


# ---- item 15: Functions domain suffixes of environments without prod ----------------------------


def test_functions_domains_of_development_and_production(clean):
    run = harness.run_playbook(
        PLAYBOOK,
        harness.base_env(clean),
        extra_vars={
            'chat_environments_app': APP,
            'chat_environments_names': ['development', 'production'],
            'chat_environments_protected': ['production'],
            'chat_environments_functions': True,
        },
    )
    assert run.rc == 0, run.describe()
    auth = (clean.account_sid, clean.auth_token)
    services = clean.session.get(clean.url + '/serverless/v1/Services', auth=auth, timeout=30).json()['services']
    sid = [s['sid'] for s in services if s['unique_name'] == APP][0]
    environments = clean.session.get(clean.url + '/serverless/v1/Services/%s/Environments' % sid, auth=auth, timeout=30).json()['environments']
    suffixes = dict((e['unique_name'], e['domain_suffix']) for e in environments)
    # production on the base domain (Twilio answers null for no suffix), development on its own name
    assert suffixes == {'development': 'development', 'production': None}, suffixes


def test_functions_suffixes_that_cannot_be_derived_say_how_to_set_them(clean, existing):  # pylint: disable=redefined-outer-name
    run = harness.run_playbook(
        PLAYBOOK,
        harness.base_env(clean),
        extra_vars={
            'chat_environments_app': APP,
            'chat_environments_names': ['dev', 'prod-eu', 'prod-us'],
            'chat_environments_protected': ['prod-eu', 'prod-us'],
            'chat_environments_functions': True,
        },
    )
    msg = _refused(run, clean, existing)
    assert 'prod-eu and prod-us could each be production; set chat_environments_functions_domain_suffixes, for example {prod-eu: ""}' in msg, msg


# ---- item 16: Chat webhook events -----------------------------------------------------------------


def test_a_near_miss_of_a_chat_webhook_event_is_refused_with_did_you_mean(clean, existing):  # pylint: disable=redefined-outer-name
    run = harness.run_playbook(
        PLAYBOOK,
        harness.base_env(clean),
        extra_vars={'chat_environments_app': APP, 'chat_environments_common': {'webhook_filters': ['onMessageSent', 'onMesageSent']}},
    )
    msg = _refused(run, clean, existing)
    assert "chat_environments_common.webhook_filters: 'onMesageSent' is not a known event; did you mean onMessageSent?" in msg, msg


def test_a_near_miss_of_a_chat_webhook_event_is_refused_by_the_module(clean):
    run = harness.run_module('chat_service', harness.connection_args(clean, name='acme-dev', webhook_filters=['onmessagesent']), harness.base_env(clean))
    assert run.result and run.result.get('failed'), run.describe()
    assert "webhook_filters: 'onmessagesent' is not a known event; did you mean onMessageSent?" in run.result['msg'], run.result['msg']
    assert clean.requests_log() == []


# ---- item 9: a sibling application's services during a purge --------------------------------------


def test_a_purge_leaves_a_sibling_applications_services_alone(clean, existing):  # pylint: disable=redefined-outer-name
    """App acme purges its stray acme-qa; acme-support-dev and acme-support-prod (app acme-support) are not its strays."""
    clean.create_service('acme-qa')
    clean.clear_log()
    run = harness.run_playbook(
        PLAYBOOK,
        harness.base_env(clean),
        extra_vars={'chat_environments_app': APP, 'chat_environments_purge_strays': True, 'chat_environments_confirm_delete': ['acme-qa']},
    )
    assert run.rc == 0, run.describe()
    names = sorted(s['friendly_name'] for s in clean.services())
    assert names == ['acme-dev', 'acme-prod', 'acme-stage', 'acme-support-dev', 'acme-support-prod'], names
    assert [e['method'] for e in harness.writes(clean.requests_log())] == ['DELETE']


def test_a_sibling_applications_services_are_not_reported_as_strays(clean, existing):  # pylint: disable=redefined-outer-name
    """Before the fix every purge of acme failed on acme-support-prod, an "unconfirmed stray"; or, confirmed from
    the module's own output, deleted it."""
    run = harness.run_playbook(
        PLAYBOOK,
        harness.base_env(clean),
        extra_vars={'chat_environments_app': APP, 'chat_environments_purge_strays': True},
    )
    assert run.rc == 0, run.describe()
    assert clean.services() == existing
    assert harness.writes(clean.requests_log()) == []


# ---- item 10: NUL and control characters -------------------------------------------------------------


@pytest.mark.parametrize(
    'role_vars, fragment',
    [
        ({'chat_environments_app': 'acme\x00'}, 'chat_environments_app must not contain control characters, got acme\\x00'),
        (
            {'chat_environments_overrides': {'dev': {'friendly_name': 'acme-dev\x00x'}}},
            'chat_environments_overrides.dev.friendly_name must not contain control characters',
        ),
        ({'chat_environments_name_pattern': '{app}-{env}\x1b[31m'}, 'chat_environments_name_pattern must not contain control characters'),
        (
            {'chat_environments_common': {'notifications': {'new_message': {'template': 'New\x00message'}}}},
            'chat_environments_common.notifications.new_message.template must not contain NUL',
        ),
    ],
    ids=['app-nul', 'friendly-name-nul', 'pattern-escape', 'template-nul'],
)
def test_nul_in_role_input_is_refused_before_any_request(clean, existing, role_vars, fragment):  # pylint: disable=redefined-outer-name
    extra_vars = {'chat_environments_app': APP}
    extra_vars.update(role_vars)
    run = harness.run_playbook(PLAYBOOK, harness.base_env(clean), extra_vars=extra_vars)
    msg = _refused(run, clean, existing)
    assert fragment in msg, msg


@pytest.mark.parametrize(
    'module, args, fragment',
    [
        ('chat_service', {'name': 'acme\x00dev'}, 'must not contain NUL or control characters'),
        ('chat_service', {'name': 'acme\ndev'}, 'name must not contain control characters, got \\n'),
        ('chat_service', {'name': 'acme-dev', 'notifications': {'new_message': {'template': 'a\x00b'}}}, 'template must not contain NUL'),
        ('chat_services', {'services': [{'name': 'acme-\x1b[2Jdev'}]}, 'services[0].friendly_name must not contain NUL or control characters'),
        ('conversations_service', {'name': 'acme\x00dev'}, 'must not contain NUL or control characters'),
    ],
    ids=['chat-name-nul', 'chat-name-newline', 'chat-template-nul', 'set-name-escape', 'conversations-name-nul'],
)
def test_nul_in_module_options_is_refused_before_any_request(clean, module, args, fragment):
    run = harness.run_module(module, harness.connection_args(clean, **args), harness.base_env(clean))
    assert run.result and run.result.get('failed'), run.describe()
    assert fragment in run.result['msg'], run.result['msg']
    assert '\x00' not in run.result['msg'] and '\x1b' not in run.result['msg']
    assert clean.requests_log() == []


def test_a_name_read_from_twilio_is_escaped_in_the_diff_header(clean):
    """A stray named with a terminal escape and a newline forges no line in the --diff output."""
    clean.create_service('acme-q\x1b[2Ja\nfake')
    clean.clear_log()
    args = harness.connection_args(clean, services=[{'name': 'acme-dev'}], stray_pattern='(?s)acme-.+', purge=True, confirm_delete=['acme-q\x1b[2Ja\nfake'])
    args.update(_ansible_diff=True, _ansible_check_mode=True)
    run = harness.run_module('chat_services', args, harness.base_env(clean))
    assert run.result and not run.result.get('failed'), run.describe()
    headers = [d.get('before_header') for d in run.result['diff']]
    assert 'acme-q\\x1b[2Ja\\nfake' in headers, headers
    assert not any('\x1b' in h or '\n' in h for h in headers if h), headers
