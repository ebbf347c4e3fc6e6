# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Secret hygiene of conversations_credential: push credential secrets never show up, whatever happens.

``playbooks/credential_secrets.yml`` creates, rotates and deletes credentials and fails twice (a type change
and a secret of the other type), with -vvvv in normal, check and diff mode. Searched: stdout, stderr and every
task result (diffs included) for each secret, each line of the PEM bodies, and their JSON-escaped forms. Each
run also asserts what it did, so a run that stops early cannot pass.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import random

import pytest

import harness  # pylint: disable=import-error

_RNG = random.SystemRandom()
PLAYBOOK = os.path.join(harness.HERE, 'playbooks', 'credential_secrets.yml')
CERT_LINES = ['MIIC%060x' % _RNG.getrandbits(240), 'BgNV%060x' % _RNG.getrandbits(240)]
KEY_LINES = ['MIIE%060x' % _RNG.getrandbits(240), 'AoIB%060x' % _RNG.getrandbits(240)]
CERTIFICATE = '\n'.join(['-----BEGIN CERTIFICATE-----'] + CERT_LINES + ['-----END CERTIFICATE-----'])
PRIVATE_KEY = '\n'.join(['-----BEGIN RSA PRIVATE KEY-----'] + KEY_LINES + ['-----END RSA PRIVATE KEY-----'])
FCM_SECRET = 'AAAA%040x' % _RNG.getrandbits(160)
EXPECTED_FAILURES = ["is of type fcm, not apn", 'secret is for fcm credentials only, and the credential is of type apn']


def forbidden():
    values = {'fcm secret': FCM_SECRET, 'certificate (JSON)': json.dumps(CERTIFICATE)[1:-1], 'private key (JSON)': json.dumps(PRIVATE_KEY)[1:-1]}
    values.update(('certificate line %d' % i, line) for i, line in enumerate(CERT_LINES))
    values.update(('private key line %d' % i, line) for i, line in enumerate(KEY_LINES))
    return values


@pytest.mark.parametrize('mode', [['--check', '--diff'], ['--diff'], []], ids=['check-diff', 'diff', 'plain'])
def test_no_credential_secret_in_output(clean, mode):
    emulator = clean
    extra_vars = {
        'hyg_account_sid': emulator.account_sid,
        'hyg_auth_token': emulator.auth_token,
        'hyg_base_url': emulator.api_base_url,
        'hyg_certificate': CERTIFICATE,
        'hyg_private_key': PRIVATE_KEY,
        'hyg_fcm_secret': FCM_SECRET,
    }
    run = harness.run_playbook(PLAYBOOK, harness.base_env(emulator, credentials=None), extra_vars=extra_vars, args=['-vvvv'] + mode)
    assert run.rc == 0, run.describe()
    texts = {'stdout': run.stdout, 'stderr': run.stderr, 'results': json.dumps(run.results)}
    leaks = ['%s in %s' % (name, where) for name, value in forbidden().items() for where, text in texts.items() if value in text]
    assert leaks == [], 'leaked: %s\n%s' % (', '.join(leaks), run.describe())

    check = '--check' in mode
    notes = [r['result']['msg'] for r in run.task_results(action='ansible.builtin.debug')]
    # In check mode nothing is created: the type change predicts a create, and the secret meets no credential.
    expected = ['to create it set type'] if check else EXPECTED_FAILURES
    assert len(notes) == len(expected), notes
    for note, fragment in zip(notes, expected):
        assert note.startswith('expected failure: ') and fragment in note, (note, fragment)
    changed = run.task_results(action='chatops.twilio.conversations_credential', status='changed')
    assert len(changed) >= 3, [r['task'] for r in changed]
    if '--diff' in mode:
        assert any(r['result'].get('diff') for r in changed)
    writes = harness.writes(emulator.requests_log())
    assert (writes == []) if check else [w['method'] for w in writes] == ['POST', 'POST', 'POST', 'DELETE'], writes
