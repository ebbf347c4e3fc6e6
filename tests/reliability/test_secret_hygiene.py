# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Secret hygiene: the auth token and API secret never show up, whatever happens.

Playbooks run with ``-vvvv`` in normal, check and diff mode, with credentials from
module_defaults, module options, role overrides and environment variables, and with
failures (wrong token, wrong secret, unreachable URL carrying credentials, bad input, role
input errors). Searched: stdout, stderr and every task result (diffs included, as the
callbacks receive them) for the token, the secret, the wrong token and the base64
``user:password`` of HTTP Basic auth. Each run also asserts that it did what it should
(changes, failures with their messages), so a run that stops early cannot pass.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import random

import pytest

import harness  # pylint: disable=import-error
from stub_servers import ClosedPort  # pylint: disable=import-error

_RNG = random.SystemRandom()
TOKEN = '%032x' % _RNG.getrandbits(128)
SECRET = '%032x' % _RNG.getrandbits(128)
WRONG = '%032x' % _RNG.getrandbits(128)
ACCOUNT = 'AC' + '%032x' % _RNG.getrandbits(128)
API_KEY = 'SK' + '%032x' % _RNG.getrandbits(128)
APP = 'hygiene'
SECRETS_PLAYBOOK = os.path.join(harness.HERE, 'playbooks', 'secrets.yml')
CONVERGE_PLAYBOOK = os.path.join(harness.HERE, 'playbooks', 'converge_environments.yml')
EXPECTED_FAILURES = [
    'Authenticate',  # wrong auth token
    'must not contain user:password@',  # a URL with credentials in it is refused, without echoing them
    'Authenticate',  # wrong API secret
    'limits.user_channels must be between 1 and 1000, got 5000',
    'Failed to list chat services (Chat API v2): Authenticate',  # role, prod's wrong token (its own account)
    'chat_environments_overrides.prod.limits.channel_members must be between 1 and 1000, got 0',
]


def forbidden():
    """Every form in which a secret could leak."""
    values = {'auth token': TOKEN, 'API secret': SECRET, 'wrong token': WRONG}
    for user, password, label in ((ACCOUNT, TOKEN, 'token'), (API_KEY, SECRET, 'secret'), (ACCOUNT, WRONG, 'wrong')):
        values['basic auth (%s)' % label] = base64.b64encode(('%s:%s' % (user, password)).encode()).decode()
    values['token prefix'] = TOKEN[:12]
    values['secret prefix'] = SECRET[:12]
    return values


def assert_clean(run, label):
    texts = {'stdout': run.stdout, 'stderr': run.stderr, 'results': json.dumps(run.results)}
    leaks = ['%s in %s' % (name, where) for name, value in forbidden().items() for where, text in texts.items() if value in text]
    assert leaks == [], '%s leaked: %s\n%s' % (label, ', '.join(leaks), run.describe())


@pytest.fixture(scope='module')
def emulator():
    """An emulator whose account has random credentials nothing else could contain."""
    handle = harness.EmulatorHandle(account={'account_sid': ACCOUNT, 'auth_token': TOKEN, 'api_key': API_KEY, 'api_secret': SECRET})
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture(scope='module')
def closed_port():
    port = ClosedPort()
    try:
        yield port
    finally:
        port.stop()


def secrets_vars(emulator, closed_port):  # pylint: disable=redefined-outer-name
    return {
        'hyg_app': APP,
        'hyg_account_sid': ACCOUNT,
        'hyg_auth_token': TOKEN,
        'hyg_api_key': API_KEY,
        'hyg_api_secret': SECRET,
        'hyg_wrong_token': WRONG,
        'hyg_base_url': emulator.api_base_url,
        'hyg_closed_url': 'http://%s:%s@127.0.0.1:%d/{product}' % (ACCOUNT, TOKEN, closed_port.port),
    }


@pytest.mark.parametrize('mode', [['--check', '--diff'], ['--diff']], ids=['check-diff', 'diff'])
def test_no_secret_in_output(clean, closed_port, mode):  # pylint: disable=redefined-outer-name
    emulator = clean
    check = '--check' in mode
    # Credentials only from module_defaults, options and role overrides (the URL is pinned to the emulator).
    env = harness.base_env(emulator, credentials=None)
    run = harness.run_playbook(SECRETS_PLAYBOOK, env, extra_vars=secrets_vars(emulator, closed_port), args=['-vvvv'] + mode)
    assert run.rc == 0, run.describe()
    assert_clean(run, 'secrets.yml %s' % ' '.join(mode))

    # It really ran: the expected failures, in order, with their messages ...
    # (The role's own debug tasks may be skipped, e.g. its check-mode preview note: they have no msg. Its last one
    # tells what it did per environment, names only: assert_clean above proves it shows no secret.)
    debugs = [r for r in run.task_results(action='ansible.builtin.debug') if r['status'] != 'skipped']
    notes = [r['result']['msg'] for r in debugs if 'chat_environments : ' not in r['task']]
    assert len(notes) == len(EXPECTED_FAILURES), notes
    plans = [r['result']['msg'] for r in debugs if r['task'].endswith(': Tell what was done in each environment, one line each')]
    assert plans and all(isinstance(lines, list) and lines for lines in plans), plans
    for note, fragment in zip(notes, EXPECTED_FAILURES):
        assert note.startswith('expected failure: ') and fragment in note, (note, fragment)
    # ... the changes (predicted in check mode), with diffs when asked ...
    modules = run.task_results(action=('chatops.twilio.chat_service', 'chatops.twilio.chat_services'), status=('changed', 'item_changed'))
    assert len(modules) >= 4, [r['task'] for r in modules]
    if '--diff' in mode:
        assert any(r['result'].get('diff') for r in modules)
    # ... and no write at all in check mode.
    writes = harness.writes(emulator.requests_log())
    assert (writes == []) if check else (len(writes) >= 6), writes
    assert emulator.services() == [] if check else sorted(s['friendly_name'] for s in emulator.services()) == ['hygiene-dev', 'hygiene-prod', 'hygiene-stage']


@pytest.mark.parametrize('token, mode', [('right', ['--diff']), ('wrong', ['--check', '--diff'])])
def test_no_secret_with_environment_credentials(clean, token, mode):
    """Credentials only in TWILIO_* environment variables (what the modules fall back to)."""
    emulator = clean
    env = harness.base_env(
        emulator,
        credentials=None,
        extra={'TWILIO_ACCOUNT_SID': ACCOUNT, 'TWILIO_AUTH_TOKEN': TOKEN if token == 'right' else WRONG, 'TWILIO_API_BASE_URL': emulator.api_base_url},
    )
    role_vars = {'chat_environments_app': APP, 'chat_environments_common': {'typing_indicator_timeout': 6}}
    run = harness.run_playbook(CONVERGE_PLAYBOOK, env, extra_vars=role_vars, args=['-vvvv'] + mode)
    assert_clean(run, 'environment credentials (%s token) %s' % (token, ' '.join(mode)))
    if token == 'right':
        assert run.rc == 0, run.describe()
        # one chatops.twilio.chat_services call for the account converges the three environments
        results = run.task_results(action='chatops.twilio.chat_services', status='item_changed')
        assert len(results) == 1 and len(results[0]['result']['services']) == 3, results
    else:
        assert run.rc == 2, run.describe()
        failed = run.task_results(action='chatops.twilio.chat_services', status='item_failed')
        assert len(failed) == 1 and 'Authenticate' in failed[0]['result']['msg'], failed
