# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# Test-only callback for tests/reliability and bench/: not part of the collection's plugins.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: reliability_log
type: aggregate
short_description: Append every task result as one JSON line to a file (test harness only)
description:
  - Writes one JSON object per task result (host, task, action, status, result) to the file named by the
    E(RELIABILITY_RESULT_LOG) environment variable, so tests can assert on results while the normal stdout
    callback keeps printing what a user would see.
  - Results are written as Ansible hands them to callbacks, that is after C(no_log) censoring.
requirements:
  - enabled in ANSIBLE_CALLBACKS_ENABLED
'''

import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    """Record task results as JSON lines."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'reliability_log'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self._path = os.environ.get('RELIABILITY_RESULT_LOG')

    def _write(self, record):
        if not self._path:
            return
        with open(self._path, 'a') as handle:
            handle.write(json.dumps(record, default=str, sort_keys=True) + '\n')

    def _record(self, result, status):
        task = result._task
        self._write(
            {
                'host': result._host.get_name(),
                'task': task.get_name(),
                'action': task.action,
                'status': status,
                'result': result._result,
            }
        )

    def v2_runner_on_ok(self, result):
        self._record(result, 'changed' if result._result.get('changed') else 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'ignored' if ignore_errors else 'failed')

    def v2_runner_on_skipped(self, result):
        self._record(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._record(result, 'unreachable')

    def v2_runner_item_on_ok(self, result):
        self._record(result, 'item_changed' if result._result.get('changed') else 'item_ok')

    def v2_runner_item_on_failed(self, result):
        self._record(result, 'item_failed')

    def v2_playbook_on_stats(self, stats):
        hosts = sorted(stats.processed.keys())
        self._write({'stats': {h: stats.summarize(h) for h in hosts}})
