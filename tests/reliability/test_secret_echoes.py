# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Secrets that reach output by other roads (issue 18, items 6, 7, 8 and 17).

* a webhook URL that carries a password (``https://user:pass@host/...``): masked in the result, the
  diff and the warnings, while the real value is compared, so a re-run is a no-op;
* a server echoing the ``Authorization`` value in hex or base64 (both decode to ``AC...:token``);
* TWILIO_* variables of another account beside explicit task options;
* a host name that does not resolve: one attempt, no retries.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json

import pytest

import harness  # pylint: disable=import-error

HOOK_PASSWORD = 'hook-pa55-word-%s' % 'q7'
HOOK_URL = 'https://hookuser:%s@hooks.example.com/chat' % HOOK_PASSWORD
SHOWN_URL = 'https://hookuser:********@hooks.example.com/chat'


def run(emulator, module, args, **extra):
    return harness.run_module(module, dict(harness.connection_args(emulator, **extra), **args), harness.base_env(emulator, credentials=None))


def test_webhook_url_password_is_masked_everywhere_and_still_compared(clean):
    args = dict(friendly_name='hooked', post_webhook_url=HOOK_URL, _ansible_diff=True)
    first = run(clean, 'chat_service', args)
    assert first.rc == 0 and first.result['changed'] is True, first.describe()
    assert clean.services()[0]['post_webhook_url'] == HOOK_URL, 'Twilio gets the real URL'
    text = first.stdout + first.stderr
    assert HOOK_PASSWORD not in text, 'the password leaked: %s' % text[-2000:]
    assert first.result['service']['post_webhook_url'] == SHOWN_URL
    assert SHOWN_URL in json.dumps(first.result['diff']) and SHOWN_URL in json.dumps(first.result['invocation'])
    again = run(clean, 'chat_service', args)
    assert again.rc == 0 and again.result['changed'] is False, 'the real value is compared: a re-run is a no-op'
    assert HOOK_PASSWORD not in again.stdout


def test_webhook_url_password_set_elsewhere_is_masked_when_read(clean):
    clean.create_service('read-only', PostWebhookUrl=HOOK_URL)
    info = run(clean, 'chat_service_info', dict(friendly_name='read-only'))
    assert info.rc == 0 and HOOK_PASSWORD not in info.stdout, info.stdout[-2000:]
    assert SHOWN_URL in info.stdout
    sets = run(clean, 'chat_services', dict(services=[dict(friendly_name='read-only', settings=dict(post_webhook_url=HOOK_URL))], _ansible_diff=True))
    assert sets.rc == 0 and sets.result['changed'] is False and HOOK_PASSWORD not in sets.stdout, sets.describe()


@pytest.mark.parametrize('kind', ['echo_auth_hex', 'echo_auth_base64'])
def test_encoded_echo_of_the_authorization_header_is_redacted(clean, kind):
    clean.faults(next=1, kinds=[kind])
    result = run(clean, 'chat_service_info', dict(friendly_name='x'))
    assert result.rc != 0 and 'Authenticate' in result.result['msg'], result.describe()
    header = 'Basic ' + base64.b64encode(('%s:%s' % (clean.account_sid, clean.auth_token)).encode()).decode()
    for form in (header.encode().hex(), header.encode().hex().upper(), base64.b64encode(header.encode()).decode(), clean.auth_token):
        assert form not in result.stdout + result.stderr, '%s leaked' % kind
    assert '********' in result.result['msg']


@pytest.fixture
def other_account(clean):
    """A second account in the emulator (its API key is what the environment carries)."""
    from twilio_emulator import store  # pylint: disable=import-error,import-outside-toplevel

    sid, key = 'AC' + 'b' * 32, 'SK' + 'b' * 32
    clean.emulator.store.accounts[sid] = store.Account(sid, 'b' * 32, {key: 'c' * 32})
    yield {'TWILIO_ACCOUNT_SID': sid, 'TWILIO_AUTH_TOKEN': 'b' * 32, 'TWILIO_API_KEY': key, 'TWILIO_API_SECRET': 'c' * 32}
    clean.emulator.store.accounts.pop(sid)


def test_explicit_options_beat_an_api_key_of_another_account_in_the_environment(clean, other_account):
    env = harness.base_env(
        clean, credentials=None, extra={'TWILIO_API_KEY': other_account['TWILIO_API_KEY'], 'TWILIO_API_SECRET': other_account['TWILIO_API_SECRET']}
    )
    result = harness.run_module('chat_service', dict(harness.connection_args(clean), friendly_name='mine'), env)
    assert result.rc == 0, result.describe()
    writes = [e for e in clean.requests_log() if e['method'] == 'POST']
    assert writes and all(e['account_sid'] == clean.account_sid for e in clean.requests_log()), 'a request went to the other account'


def test_credentials_naming_two_accounts_are_refused_before_any_request(clean, other_account):
    env = harness.base_env(
        clean, credentials=None, extra={'TWILIO_ACCOUNT_SID': other_account['TWILIO_ACCOUNT_SID'], 'TWILIO_AUTH_TOKEN': other_account['TWILIO_AUTH_TOKEN']}
    )
    result = harness.run_module('chat_service', dict(account_sid=clean.account_sid, api_base_url=clean.api_base_url, friendly_name='mine'), env)
    assert result.rc != 0 and 'name two different accounts' in result.result['msg'], result.describe()
    assert clean.requests_log() == []


def test_a_name_that_does_not_resolve_is_not_retried(clean):
    result = run(clean, 'chat_service_info', dict(friendly_name='x'), api_base_url='http://{product}.no-such-host.invalid')
    assert result.rc != 0 and 'DNS' in result.result['msg'], result.describe()
    assert result.result['retries_used'] == 0 and 'retry' not in json.dumps(result.result.get('warnings', []))


def test_webhook_url_password_is_masked_in_the_role_facts_and_diff(clean):
    """The role's published facts and its --diff show the masked URL; the service gets the real one."""
    playbook = harness.os.path.join(harness.HERE, 'playbooks', 'converge_environments.yml')
    role_vars = {'chat_environments_app': 'masked', 'chat_environments_common': {'post_webhook_url': HOOK_URL}}
    first = harness.run_playbook(playbook, harness.base_env(clean), extra_vars=role_vars, args=['--diff'])
    assert first.rc == 0, first.describe()
    assert all(s['post_webhook_url'] == HOOK_URL for s in clean.services()) and len(clean.services()) == 3
    facts = [r['result'].get('ansible_facts', {}) for r in first.task_results(action='ansible.builtin.set_fact')]
    published = [f['chat_environments_services'] for f in facts if 'chat_environments_services' in f]
    assert published and SHOWN_URL in json.dumps(published), published
    # What the module returns (the loop's own ``item``, the role's input, is the controller's to show).
    returned = [dict((k, r['result'].get(k)) for k in ('services', 'diff', 'warnings')) for r in first.task_results(action='chatops.twilio.chat_services')]
    assert returned and SHOWN_URL in json.dumps(returned)
    assert HOOK_PASSWORD not in json.dumps(published) + json.dumps(returned)
    again = harness.run_playbook(playbook, harness.base_env(clean), extra_vars=role_vars)
    assert again.rc == 0 and not again.task_results(action='chatops.twilio.chat_services', status=('changed', 'item_changed')), again.describe()


@pytest.mark.parametrize('verbosity', ['-v', '-vv'])
def test_webhook_url_password_stays_out_of_the_role_output_at_verbosity(clean, verbosity):
    """At -v the role prints its loop items and its internal facts: none of them holds the password."""
    playbook = harness.os.path.join(harness.HERE, 'playbooks', 'converge_environments.yml')
    role_vars = {
        'chat_environments_app': 'verbose',
        'chat_environments_common': {'post_webhook_url': HOOK_URL},
        'chat_environments_overrides': {'prod': {'api_version': 'conversations', 'webhooks': {'pre_webhook_url': HOOK_URL, 'method': 'POST'}}},
    }
    run = harness.run_playbook(playbook, harness.base_env(clean), extra_vars=role_vars, args=[verbosity, '--diff'])
    assert run.rc == 0, run.describe()
    assert all(s['post_webhook_url'] == HOOK_URL for s in clean.services() if s.get('post_webhook_url')), 'Twilio gets the real URL'
    text = run.stdout + run.stderr
    assert HOOK_PASSWORD not in text, 'the password leaked at %s: %s' % (verbosity, text[max(0, text.find(HOOK_PASSWORD) - 600) :][:1200])
    assert SHOWN_URL in text, 'the masked URL is still shown (the diff, the facts)'
