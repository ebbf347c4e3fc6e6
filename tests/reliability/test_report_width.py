# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The playbooks' tables in the YAML callback that ``make demo`` and playbooks/README.md use (issue 18, item 18).

provision.yml, then report.yml after drift at Twilio (a long webhook URL, a changed limit, a stray and a
Functions domain suffix that differs), all through ``ANSIBLE_CALLBACK_RESULT_FORMAT=yaml``: no line of a
``msg:`` table may pass 80 columns, or the YAML dumper folds it and the table falls apart.
The role's own plan, one line per environment (issue 21, item 8), says created in the first run, unchanged in a
re-run in the default callback, and what would be updated in the report.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil

import harness  # pylint: disable=import-error

PLAYBOOKS = os.path.join(harness.ROOT, 'playbooks')
COLUMNS = 80


def _msg_lines(output):
    """The lines of every ``msg:`` block of the YAML callback's output."""
    lines, inside = [], False
    for line in output.splitlines():
        if line.strip() == 'msg:':
            inside = True
            continue
        if inside and (line.startswith('    - ') or line.startswith('        ')):
            lines.append(line)
        else:
            inside = False
    return lines


def _run(playbook, emulator, inventory, extra_vars=None, result_format='yaml'):
    env = harness.base_env(emulator, extra={'ANSIBLE_CALLBACK_RESULT_FORMAT': result_format})
    run = harness.run_playbook(os.path.join(PLAYBOOKS, playbook), env, inventory=inventory, extra_vars=extra_vars)
    assert run.rc == 0, run.describe()
    return run


def test_provision_and_report_tables_fit_80_columns(clean, tmp_path):
    inventory = str(tmp_path / 'inventory')
    shutil.copytree(os.path.join(PLAYBOOKS, 'inventory'), inventory)
    functions = {'chat_environments_functions': True}
    provision = _run('provision.yml', clean, inventory, functions)
    shown = _msg_lines(provision.output)
    assert any('acme-support-prod' in line for line in shown), provision.output
    # the role's plan, one line per environment (issue 21 item 8)
    for env in ('dev', 'stage', 'prod'):
        assert "    - '%s: created; functions: created'" % env in shown, provision.output

    # a re-run in the default callback: every environment unchanged, one line each within 80 columns
    again = _run('provision.yml', clean, inventory, functions, result_format='json')
    plan = [line for line in again.output.splitlines() if line.lstrip().startswith(('"dev: ', '"stage: ', '"prod: '))]
    assert plan == [
        '        "dev: unchanged; functions: unchanged",',
        '        "stage: unchanged; functions: unchanged",',
        '        "prod: unchanged; functions: unchanged"',
    ], again.output

    # drift at Twilio: a long post-event URL on prod (60 characters), another limit on stage, and a stray
    by_name = dict((s['friendly_name'], s['sid']) for s in clean.services())
    clean.api('POST', 'Services/' + by_name['acme-support-prod'], data={'PostWebhookUrl': 'https://hooks.example.com/' + 'x' * 34})
    clean.api('POST', 'Services/' + by_name['acme-support-stage'], data={'Limits.ChannelMembers': '999'})
    clean.create_service('acme-support-qa')
    report = _run('report.yml', clean, inventory, dict(functions, chat_environments_functions_domain_suffixes={'stage': 'stg', 'prod': ''}))
    table = _msg_lines(report.output)
    assert any('Drift (at Twilio -> desired)' in line for line in table), report.output
    assert any('acme-support-qa' in line for line in table), report.output
    assert any('would be replaced' in line for line in table), report.output
    assert "    - 'stage: would be updated (1 setting); functions: would be recreated'" in table, report.output
    assert "    - 'prod: would be updated (post_webhook_url); functions: unchanged'" in table, report.output
    assert "    - 'strays: acme-support-qa'" in table, report.output

    wide = [line for line in shown + table + plan if len(line) > COLUMNS]
    assert wide == [], '\n'.join(wide)
    # a folded line of the YAML dumper starts with more indentation than a list item
    assert [line for line in shown + table if line.startswith('        ')] == []
    harness.report('report width: provision and report tables at most %d columns (widest %d)' % (COLUMNS, max(len(line) for line in shown + table)))
