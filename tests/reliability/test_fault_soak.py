# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fault soak: the chat_environments role converged again and again while ~30% of requests fail.

The emulator injects 429 (with and without Retry-After), 500, 503, connection resets,
commit-then-drop (the write is applied, the answer is lost), slow commits (the write is
applied after the client's timeout, so a create got no answer and must not be re-sent) and
late commits (a create answered at once by Twilio's JSON 500/503 whose record appears 3 s
later) at ``SOAK_FAULT_RATE`` (0.3), while every listing lags ``SOAK_LISTING_LAG_MS`` (3000)
behind the creates (a fetch by SID finds a new service at once),
from a seeded RNG (``SOAK_SEED``, printed). At least ``SOAK_RUNS`` (default 50) converges of
3 environments cycle through three desired states, one of which deletes dev and stage, so
creates, updates and deletes all happen under faults. To fit CI's time, the converges are
shared by ``SOAK_PARALLEL`` (default 5) applications, each converged by its own
ansible-playbook process at the same time (one role run per play, as the role asks); the
runs of one application are sequential. Asserted at the end (faults off):

* exactly the desired services exist, the unrelated ones are untouched, no name twice;
* every setting equals the desired value;
* every failed run failed with a one-line "Failed to <verb> chat service <name>: ..." after
  spending its whole retry budget ("retry 4 of 4"), without a traceback.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import os
import random
import re
import time
from collections import Counter

import harness  # pylint: disable=import-error

RUNS = int(os.environ.get('SOAK_RUNS') or 50)
PARALLEL = max(1, int(os.environ.get('SOAK_PARALLEL') or 5))
RUNS_PER_APP = -(-RUNS // PARALLEL)
APPS = ['soak%d' % (i + 1) for i in range(PARALLEL)]
FAULT_RATE = float(os.environ.get('SOAK_FAULT_RATE') or 0.3)
# slow_commit: processed and committed 3 s after the request, after the client's 2 s timeout (soak.yml).
# late_commit_500/503: Twilio's JSON 5xx at once, the create committed 3 s later (delay_ms, shared with slow_commit).
FAULT_KINDS = ['429', '429_retry_after', '500', '503', 'reset', 'commit_drop', 'slow_commit', 'late_commit_500', 'late_commit_503']
SLOW_COMMIT_MS = 3000
# A new service is missing from listings for this long after its create.
LISTING_LAG_MS = int(os.environ.get('SOAK_LISTING_LAG_MS') or 3000)
RETRIES = 4  # the modules' default retry budget
ENVS = ('dev', 'stage', 'prod')
UNRELATED = ('soak-unrelated', 'other-dev')
HERE = harness.HERE
SOAK_PLAYBOOK = os.path.join(HERE, 'playbooks', 'soak.yml')
CONVERGE_PLAYBOOK = os.path.join(HERE, 'playbooks', 'converge_environments.yml')
# The role converges each account with one chatops.twilio.chat_services call (older roles: chat_service per environment).
MODULES = ('chatops.twilio.chat_services', 'chatops.twilio.chat_service')
FAILURE_MSG = re.compile(
    r'^Failed to (look up|fetch|create|update|delete|list|check for namesakes of) chat services? '
    r'(soak\d+-(dev|stage|prod)|\(Chat API v[12]\))(, soak\d+-(dev|stage|prod))*: \S'
    # before a delete or a stray report: which service is the account's default Conversations Service (never deleted)
    r'|^Failed to read account configuration: \S'
)
# A failed run spent its retry budget: re-sends, or (a create without an answer, never re-sent) looks for it.
BUDGET_SPENT = re.compile(r'(retry |looking for the record again \()%d of %d\b' % (RETRIES, RETRIES))
RETRY_WARNING = re.compile(r'\bretry \d+ of \d+\b')

# Run N converges to VARIANTS[N % 3]. Each changes every managed setting of the one before it.
VARIANTS = [
    {
        'common': {
            'reachability_enabled': True,
            'typing_indicator_timeout': 7,
            'limits': {'channel_members': 500},
            'notifications': {'new_message': {'enabled': True, 'template': 'A: ${MESSAGE}'}},
            'webhook_filters': ['onMessageSent'],
        },
        'overrides': {'prod': {'limits': {'channel_members': 1000}}},
    },
    {
        'common': {
            'reachability_enabled': False,
            'typing_indicator_timeout': 11,
            'limits': {'channel_members': 300, 'user_channels': 50},
            'notifications': {'new_message': {'enabled': False, 'template': 'B: ${MESSAGE}'}},
            'webhook_filters': ['onMessageSent', 'onChannelAdded'],
        },
        'overrides': {'prod': {'typing_indicator_timeout': 20, 'post_webhook_url': 'https://hooks.example.com/prod'}},
    },
    {
        'common': {
            'reachability_enabled': True,
            'typing_indicator_timeout': 3,
            'limits': {'channel_members': 250},
            'notifications': {'new_message': {'enabled': True, 'template': 'C: ${MESSAGE}'}},
            'webhook_filters': [],
        },
        'overrides': {'dev': {'state': 'absent'}, 'stage': {'state': 'absent'}, 'prod': {'post_webhook_url': '', 'limits': {'user_channels': 999}}},
    },
]
NOT_SETTINGS = ('state', 'friendly_name', 'api_version')


def merge(base, extra):
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def desired_state(variant, app):
    """{service name: settings} of the services that must exist after converging ``variant``."""
    wanted = {}
    for env in ENVS:
        override = variant['overrides'].get(env, {})
        if override.get('state', 'present') == 'present':
            own = {k: v for k, v in override.items() if k not in NOT_SETTINGS}
            wanted['%s-%s' % (app, env)] = merge(variant['common'], own)
    return wanted


def flatten(settings, prefix=()):
    for key, value in settings.items():
        if isinstance(value, dict):
            yield from flatten(value, prefix + (key,))
        else:
            yield prefix + (key,), value


def mismatches(service, settings):
    found = []
    for path, want in flatten(settings):
        have = service
        for part in path:
            have = have.get(part) if isinstance(have, dict) else None
        if isinstance(want, list):
            same = sorted(have or []) == sorted(want)
        elif want == '':
            same = have in ('', None)
        else:
            same = have == want
        if not same:
            found.append('%s.%s: want %r, have %r' % (service['friendly_name'], '.'.join(path), want, have))
    return found


def per_run(results):
    """{run number: {'items': [module results], 'failed': bool, 'message': str}} from the callback log."""
    runs = {}
    current = None
    for record in results:
        if 'task' not in record:
            continue
        msg = record['result'].get('msg', '')
        if record['action'] == 'ansible.builtin.debug' and isinstance(msg, str) and msg.startswith('soak run '):
            number = int(msg.split()[2])
            if ' failed: ' in msg:
                runs[number]['failed'] = True
                runs[number]['message'] = msg.split(' failed: ', 1)[1]
            else:
                current = runs.setdefault(number, {'items': [], 'failed': False, 'message': ''})
        elif record['action'] in MODULES and record['status'].startswith('item_'):
            current['items'].append(record)
    return runs


def converge_until_done(env, app, variant, first_failed):
    """Converge ``app`` to ``variant`` again (faults still on) while its last run failed; at most 5 times."""
    extra_runs = []
    while first_failed if not extra_runs else extra_runs[-1].rc != 0:
        assert len(extra_runs) < 5, '%s never converged:\n%s' % (app, extra_runs[-1].describe())
        extra_runs.append(
            harness.run_playbook(
                CONVERGE_PLAYBOOK,
                env,
                extra_vars={'chat_environments_app': app, 'chat_environments_common': variant['common'], 'chat_environments_overrides': variant['overrides']},
            )
        )
    return extra_runs


def test_fault_soak(clean):
    emulator = clean
    seed = int(os.environ.get('SOAK_SEED') or random.SystemRandom().randrange(1, 10**6))
    harness.report(
        '\nsoak: seed %d, %d applications x %d runs, fault rate %.2f, listing lag %d ms (SOAK_SEED=%d SOAK_RUNS=%d SOAK_PARALLEL=%d '
        'reproduce the fault sequence, modulo process timing)' % (seed, PARALLEL, RUNS_PER_APP, FAULT_RATE, LISTING_LAG_MS, seed, RUNS, PARALLEL)
    )
    for name in UNRELATED:
        emulator.create_service(name, TypingIndicatorTimeout=9)
    unrelated_before = sorted((s['sid'], s['friendly_name'], s['date_updated']) for s in emulator.services())
    emulator.clear_log()
    env = harness.base_env(emulator)

    emulator.faults(rate=FAULT_RATE, kinds=FAULT_KINDS, seed=seed, delay_ms=SLOW_COMMIT_MS, listing_lag_ms=LISTING_LAG_MS)
    procs = [
        harness.PlaybookProcess(
            SOAK_PLAYBOOK, env, timeout=max(600, RUNS_PER_APP * 40), extra_vars={'soak_runs': RUNS_PER_APP, 'soak_variants': VARIANTS, 'soak_app': app}
        )
        for app in APPS
    ]
    soaks = [proc.wait() for proc in procs]
    final_variant = VARIANTS[RUNS_PER_APP % len(VARIANTS)]
    runs, extra_runs = {}, []
    for app, run in zip(APPS, soaks):
        assert run.rc == 0, run.describe()
        runs[app] = per_run(run.results)
        assert sorted(runs[app]) == list(range(1, RUNS_PER_APP + 1)), run.describe()
        # A last run that failed is converged again, faults still on (bounded), as an operator would.
        extra_runs += converge_until_done(env, app, final_variant, runs[app][RUNS_PER_APP]['failed'])
    emulator.clear_faults()
    time.sleep(SLOW_COMMIT_MS / 1000.0 + 0.5)  # a create committed late after the last run lands before the count
    log = emulator.requests_log()

    # Exactly the desired services, each once, with the desired settings; the others untouched.
    services = emulator.services()
    assert harness.duplicates(services) == {}, 'duplicate service names: %s' % harness.duplicates(services)
    wanted = {}
    for app in APPS:
        wanted.update(desired_state(final_variant, app))
    ours = {s['friendly_name']: s for s in services if s['friendly_name'] not in UNRELATED}
    assert sorted(ours) == sorted(wanted)
    problems = [p for name, settings in wanted.items() for p in mismatches(ours[name], settings)]
    assert problems == [], 'settings differ from the desired ones:\n' + '\n'.join(problems)
    assert sorted((s['sid'], s['friendly_name'], s['date_updated']) for s in services if s['friendly_name'] in UNRELATED) == unrelated_before

    # Every failure: clear one-line message, retry budget spent, no traceback.
    all_runs = [info for app in APPS for info in runs[app].values()]
    module_results = [r for info in all_runs for r in info['items']]
    module_results += [r for extra in extra_runs for r in extra.task_results(action=MODULES) if r['status'].startswith('item_')]
    failed_items = [r for r in module_results if r['status'] == 'item_failed']
    for record in failed_items:
        result = record['result']
        msg = result.get('msg', '')
        assert FAILURE_MSG.match(msg) and '\n' not in msg, 'unclear failure message: %r' % msg
        assert not harness.TRACEBACK_RE.search(repr(result)), result
        warnings = ' | '.join(str(w) for w in result.get('warnings', []))
        assert BUDGET_SPENT.search(warnings), 'failed before its retry budget (%d) was spent: %r / %s' % (RETRIES, msg, warnings)
    for info in all_runs:
        assert info['failed'] == any(r['status'] == 'item_failed' for r in info['items']), info

    # The faults really happened, on reads and writes alike.
    faults = Counter(e['fault'] for e in log if e['fault'])
    kinds = Counter(harness.request_kind(e) for e in log)
    faulted_writes = sum(1 for e in log if e['fault'] and e['method'] in harness.WRITE_METHODS)
    assert set(faults) == set(FAULT_KINDS), faults
    assert sum(faults.values()) >= 0.5 * FAULT_RATE * len(log)
    assert faulted_writes > 0 and kinds['create'] >= len(all_runs) // 3 and kinds['delete'] >= len(all_runs) // 3

    warnings = [str(w) for r in module_results for w in r['result'].get('warnings', [])]
    retries = sum(1 for w in warnings if RETRY_WARNING.search(w))
    adopted = sum(1 for w in warnings if 'adopting' in w)
    failed_runs = sum(1 for info in all_runs if info['failed'])
    harness.report(
        'soak: %d converges of %d environments (%d applications x %d runs, +%d final re-converges), %.0fs wall'
        % (len(all_runs), len(ENVS), PARALLEL, RUNS_PER_APP, len(extra_runs), max(r.duration for r in soaks) + sum(e.duration for e in extra_runs))
    )
    harness.report(
        'soak: requests %d (%s), faults injected %d (%s), faulted writes %d'
        % (
            len(log),
            ', '.join('%s %d' % kv for kv in sorted(kinds.items())),
            sum(faults.values()),
            ', '.join('%s %d' % kv for kv in sorted(faults.items())),
            faulted_writes,
        )
    )
    harness.report(
        'soak: retries %d, interrupted creates adopted %d, failed runs %d (failed items %d, each after %d retries), '
        'duplicates 0, final settings as desired' % (retries, adopted, failed_runs, len(failed_items), RETRIES)
    )
    for record in failed_items[:3]:
        harness.report('soak: failure example: %s' % record['result']['msg'])
