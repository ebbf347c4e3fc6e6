# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The chat_environments role deploys each environment's Functions code and wires its chat webhooks to it (issue 19,
item 4), through real ansible-playbook runs against the emulator: the webhook of each environment's chat service is
its own Functions domain, the variables are set without being shown, a re-run sends no write, check mode none."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import harness  # pylint: disable=import-error

PLAYBOOK = os.path.join(harness.HERE, 'playbooks', 'converge_environments.yml')
EXAMPLE_APP = os.path.join(os.path.dirname(os.path.dirname(harness.HERE)), 'examples', 'chat-status-app')
SECRET_VALUE = 'status-bot-s3cret-value'
ROLE_VARS = {
    'chat_environments_app': 'wired',
    'chat_environments_functions': True,
    'chat_environments_functions_source': EXAMPLE_APP,
    'chat_environments_functions_variables': {'BOT_TOKEN': SECRET_VALUE},
    'chat_environments_common': {'post_webhook_function': '/status', 'webhook_method': 'POST', 'webhook_filters': ['onMessageSent']},
    'chat_environments_overrides': {'prod': {'api_version': 'conversations', 'webhooks': {'post_webhook_function': '/status', 'method': 'POST'}}},
}


def serverless(emulator, path):
    response = emulator.session.get('%s/serverless/v1/%s' % (emulator.url, path.lstrip('/')), auth=(emulator.account_sid, emulator.auth_token), timeout=30)
    response.raise_for_status()
    return response.json()


def test_role_deploys_the_code_and_wires_each_webhook_to_its_own_environment(clean):
    clean._control('POST', 'serverless', {'build_delay_ms': 50})  # pylint: disable=protected-access
    preview = harness.run_playbook(PLAYBOOK, harness.base_env(clean), extra_vars=ROLE_VARS, args=['--check', '--diff'])
    assert preview.rc == 0, preview.describe()
    assert harness.writes(clean.requests_log()) == [], 'check mode sent a write'
    assert 'wired-0000-dev.twil.io/status' in preview.output, 'the preview shows the placeholder domain of a new environment'

    first = harness.run_playbook(PLAYBOOK, harness.base_env(clean), extra_vars=ROLE_VARS, args=['-v'])
    assert first.rc == 0, first.describe()
    assert SECRET_VALUE not in first.output, 'a Functions variable value was shown'
    service = serverless(clean, 'Services/wired')
    environments = dict((e['unique_name'], e) for e in serverless(clean, 'Services/%s/Environments' % service['sid'])['environments'])
    assert sorted(environments) == ['dev', 'prod', 'stage']
    assert all(e['build_sid'] for e in environments.values()), 'every environment serves a build'
    chat = dict((s['friendly_name'], s) for s in clean.services())
    assert chat['wired-dev']['post_webhook_url'] == 'https://%s/status' % environments['dev']['domain_name']
    assert chat['wired-stage']['post_webhook_url'] == 'https://%s/status' % environments['stage']['domain_name']
    conversations = clean.session.get(
        '%s/conversations/v1/Services/%s/Configuration/Webhooks' % (clean.url, chat['wired-prod']['sid']),
        auth=(clean.account_sid, clean.auth_token),
        timeout=30,
    ).json()
    assert conversations['post_webhook_url'] == 'https://%s/status' % environments['prod']['domain_name']
    variables = serverless(clean, 'Services/%s/Environments/%s/Variables' % (service['sid'], environments['dev']['sid']))['variables']
    assert {'BOT_TOKEN': SECRET_VALUE}.items() <= dict((v['key'], v['value']) for v in variables).items()

    clean.clear_log()
    again = harness.run_playbook(PLAYBOOK, harness.base_env(clean), extra_vars=ROLE_VARS)
    assert again.rc == 0, again.describe()
    assert harness.writes(clean.requests_log()) == [], 'the re-run sent writes: %s' % harness.writes(clean.requests_log())
    assert 'changed=0' in again.output, again.describe()
    harness.report('role with Functions code, 3 environments: re-run %d requests, 0 writes' % len(clean.requests_log()))


PROMOTE = os.path.join(os.path.dirname(os.path.dirname(harness.HERE)), 'playbooks', 'promote.yml')


def test_promote_deploys_what_dev_serves_to_stage_then_prod_once(clean):
    clean._control('POST', 'serverless', {'build_delay_ms': 50})  # pylint: disable=protected-access
    # Only dev gets the code; stage and prod get it by promotion.
    role_vars = dict(
        ROLE_VARS,
        chat_environments_app='promo',
        chat_environments_functions_source='',
        chat_environments_common={},
        chat_environments_overrides={'dev': {'functions_source': EXAMPLE_APP}},
    )
    assert harness.run_playbook(PLAYBOOK, harness.base_env(clean), extra_vars=role_vars).rc == 0
    service = serverless(clean, 'Services/promo')
    environments = dict((e['unique_name'], e) for e in serverless(clean, 'Services/%s/Environments' % service['sid'])['environments'])
    assert environments['dev']['build_sid'] and not environments['stage']['build_sid']
    for target, extra in (('stage', {}), ('prod', {'promote_confirm': 'promo/prod'})):
        clean.clear_log()
        run = harness.run_playbook(PROMOTE, harness.base_env(clean), extra_vars=dict({'chat_environments_app': 'promo', 'promote_to': target}, **extra))
        assert run.rc == 0, run.describe()
        writes = harness.writes(clean.requests_log())
        assert [(w['method'], w['path'].rsplit('/', 1)[-1]) for w in writes] == [('POST', 'Deployments')], writes
        clean.clear_log()
        again = harness.run_playbook(PROMOTE, harness.base_env(clean), extra_vars=dict({'chat_environments_app': 'promo', 'promote_to': target}, **extra))
        assert again.rc == 0 and harness.writes(clean.requests_log()) == [], again.describe()
    environments = dict((e['unique_name'], e) for e in serverless(clean, 'Services/%s/Environments' % service['sid'])['environments'])
    assert environments['dev']['build_sid'] == environments['stage']['build_sid'] == environments['prod']['build_sid']
