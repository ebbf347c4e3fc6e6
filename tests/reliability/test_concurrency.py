# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Concurrency: 50 distinct services converged in parallel (forks >= 10) against one emulator.

Phase 1 creates the 50 services while the emulator injects faults on a share of the
requests, phase 2 updates every one of them (again under faults) to values derived from
its host index, phase 3 is a fault-free parallel re-run (10 hosts) that must change and
write nothing.
Hosts that fail under faults are converged again without faults, as an operator would.
Asserted: no duplicate name, no missing or extra service, every service carries exactly
its own host's values (no lost or crossed update), failures carry a clear message.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import random
import re

import pytest

import harness  # pylint: disable=import-error

HOSTS = 50
FORKS = 10
PREFIX = 'conc'
FAULT_RATE = 0.2
PLAYBOOK = os.path.join(harness.HERE, 'playbooks', 'converge_per_host.yml')
CLEAR_FAILURE = re.compile(r'^Failed to (look up|fetch|create|update) chat service conc-\d+: ')


def expected(phase, index):
    return {
        'typing_indicator_timeout': phase * 100 + index,
        'reachability_enabled': phase % 2 == 0,
        'limits': {'channel_members': phase * 100 + index, 'user_channels': 1000 - index},
        'template': 'phase %d host %d' % (phase, index),
    }


def actual(service):
    return {
        'typing_indicator_timeout': service['typing_indicator_timeout'],
        'reachability_enabled': service['reachability_enabled'],
        'limits': service['limits'],
        'template': service['notifications']['new_message']['template'],
    }


@pytest.fixture
def inventory(tmp_path):
    hosts = ['host%03d' % i for i in range(1, HOSTS + 1)]
    return harness.write_inventory(str(tmp_path / 'inventory.json'), hosts, host_vars={h: {'reliability_index': i} for i, h in enumerate(hosts, 1)})


def converge(emulator, inventory, phase, limit=None):  # pylint: disable=redefined-outer-name
    args = ['-f', str(FORKS)]
    if limit:
        args += ['--limit', ','.join(limit)]
    return harness.run_playbook(
        PLAYBOOK, harness.base_env(emulator), inventory=inventory, extra_vars={'reliability_prefix': PREFIX, 'reliability_phase': phase}, args=args
    )


def check_failures(run):
    """Hosts that failed; each failure must be a one-line 'Failed to ... chat service conc-N: ...'."""
    failed = run.task_results(action='chatops.twilio.chat_service', status='failed')
    for record in failed:
        msg = record['result'].get('msg', '')
        assert CLEAR_FAILURE.match(msg) and '\n' not in msg, 'unclear failure on %s: %r' % (record['host'], msg)
        assert not harness.TRACEBACK_RE.search(str(record['result']))
    return sorted(r['host'] for r in failed)


def converge_under_faults(emulator, inventory, phase, seed):  # pylint: disable=redefined-outer-name
    """Converge all hosts with faults on, then the failed ones again without; returns (run, failed hosts, faults)."""
    emulator.clear_log()
    emulator.faults(rate=FAULT_RATE, kinds=['429', '429_retry_after', '500', '503', 'reset', 'commit_drop'], seed=seed)
    run = converge(emulator, inventory, phase)
    emulator.clear_faults()
    faults = sum(1 for e in emulator.requests_log() if e['fault'])
    assert run.rc in (0, 2), run.describe()
    failed = check_failures(run)
    ok = run.task_results(action='chatops.twilio.chat_service', status=('ok', 'changed'))
    assert len(ok) + len(failed) == HOSTS, run.describe()
    if failed:
        again = converge(emulator, inventory, phase, limit=failed)
        assert again.rc == 0, again.describe()
    return run, failed, faults


def test_fifty_services_in_parallel(clean, inventory):  # pylint: disable=redefined-outer-name
    emulator = clean
    seed = int(os.environ.get('RELIABILITY_SEED') or random.SystemRandom().randrange(1, 10**6))
    harness.report('\nconcurrency: seed %d (RELIABILITY_SEED=%d reproduces the fault sequence, modulo thread timing)' % (seed, seed))
    emulator.create_service('%s-unrelated' % PREFIX, TypingIndicatorTimeout=7)
    emulator.clear_log()

    report = []
    for phase in (1, 2):
        run, failed, faults = converge_under_faults(emulator, inventory, phase, seed + phase)
        services = emulator.services()
        assert harness.duplicates(services) == {}, 'duplicate names after phase %d' % phase
        ours = {s['friendly_name']: s for s in services if s['friendly_name'] != '%s-unrelated' % PREFIX}
        assert sorted(ours) == sorted('%s-%d' % (PREFIX, i) for i in range(1, HOSTS + 1))
        lost = {
            name: (actual(s), expected(phase, int(name.split('-')[1]))) for name, s in ours.items() if actual(s) != expected(phase, int(name.split('-')[1]))
        }
        assert lost == {}, 'lost or crossed updates after phase %d: %s' % (phase, lost)
        report.append(
            'phase %d: %d hosts, forks %d, %.1fs, %d faults injected, %d hosts failed then re-converged'
            % (phase, HOSTS, FORKS, run.duration, faults, len(failed))
        )

    # The service nobody manages is untouched.
    unrelated = [s for s in emulator.services() if s['friendly_name'] == '%s-unrelated' % PREFIX]
    assert len(unrelated) == 1 and unrelated[0]['typing_indicator_timeout'] == 7

    # Phase 3: converged state, no faults, a parallel re-run (of a FORKS-sized share of the hosts, to
    # save CI time): nothing changes, nothing is written, one list page per host.
    emulator.clear_log()
    rerun = ['host%03d' % i for i in range(1, HOSTS + 1, HOSTS // FORKS)]
    run = converge(emulator, inventory, 2, limit=rerun)
    assert run.rc == 0, run.describe()
    assert len(run.task_results(action='chatops.twilio.chat_service', status='ok')) == len(rerun)
    log = emulator.requests_log()
    assert harness.writes(log) == []
    assert harness.count_requests(log) == {'list': len(rerun)}
    report.append('phase 3 (re-run of %d hosts): %.1fs, 0 changed, 0 writes, %d GETs' % (len(rerun), run.duration, len(log)))
    harness.report('\n'.join('concurrency: ' + line for line in report))
