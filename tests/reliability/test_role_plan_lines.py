# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The chat_environments role tells its plan in one line per environment (issue 21, item 8), in ansible-playbook's
output: a preview under an import's ``check_mode: true`` (where ``ansible_check_mode`` stays false) says "would be",
the run says created, and a later run in the same play that moves an environment to Conversations and changes a
webhook URL's password says moved and names the setting, never its value. test_report_width.py proves the lines of
provision.yml and report.yml (created, unchanged in a re-run, would be updated) and their width."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import harness  # pylint: disable=import-error

PLAYBOOK = '''
- name: The role three times in one play
  hosts: localhost
  gather_facts: false
  vars:
    chat_environments_app: plan
    chat_environments_names: [dev, stage]
  tasks:
    - name: Preview
      ansible.builtin.import_role: {name: chatops.twilio.chat_environments}
      check_mode: true
      vars:
        chat_environments_common: {post_webhook_url: "https://hook:first-secret@h.example/post"}
    - name: Create
      ansible.builtin.import_role: {name: chatops.twilio.chat_environments}
      vars:
        chat_environments_common: {post_webhook_url: "https://hook:first-secret@h.example/post"}
    - name: Move dev to Conversations, change stage's webhook password
      ansible.builtin.import_role: {name: chatops.twilio.chat_environments}
      vars:
        chat_environments_common: {post_webhook_url: "https://hook:second-secret@h.example/post"}
        chat_environments_overrides: {dev: {api_version: conversations}}
'''


def _plan_lines(output):
    return [line.strip().rstrip(',') for line in output.splitlines() if line.lstrip().startswith(('"dev: ', '"stage: '))]


def test_plan_lines_in_check_mode_after_a_create_and_after_a_move(clean, tmp_path):
    playbook = tmp_path / 'plan.yml'
    playbook.write_text(PLAYBOOK)
    run = harness.run_playbook(str(playbook), harness.base_env(clean))
    assert run.rc == 0, run.describe()
    assert _plan_lines(run.output) == [
        '"dev: would be created"',
        '"stage: would be created"',
        '"dev: created"',
        '"stage: created"',
        '"dev: moved v2 -> conversations"',
        '"stage: updated (post_webhook_url)"',
    ], run.output
    assert 'secret' not in run.output
