# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Benchmarks of chatops.twilio against the in-process Twilio emulator (figures, not pass/fail).

Usage (from the repository root, after ``make stage``)::

    .venv/bin/python bench/run.py [--reps 3] [--scale 0,100,1000,5000] [--baseline-sizes 0,1000] [--out bench]

1. Requests per operation of ``chatops.twilio.chat_service`` / ``chat_service_info``, measured
   against the floor (by sid 1 GET; by name ceil(N/100) GETs; create = list + create + namesake check + one update).
2. Scale: no-op by name and by sid with 0..5,000 existing services: requests and module wall time.
3. The 3-environment provisioning with the ``chat_environments`` role versus the same thing written
   with ``ansible.builtin.uri`` (``bench/baseline/provision_uri.yml``): create and no-op runs, wall
   time (whole ansible-playbook process) and requests, and the ratio ours / baseline.
4. Requests per operation of the Conversations modules (and of the set module ``conversations_services``)
   against the floor (``bench/conversations.py``).
5. Requests of ``serverless_deploy`` and ``serverless_variables`` against the floor and beside what the
   Serverless Toolkit sends for the same tree (``bench/functions.py``).
6. ``conversations_services`` over 100 services with 100 ms of latency per request, at ``parallelism`` 1 and 8:
   the same requests, and the wall time bounded parallelism saves (``bench/parallel.py``).

Writes ``RESULTS.md`` and ``scale.png`` to ``--out`` and prints the tables. Every request goes to
the emulator on 127.0.0.1; the run is bounded (a few minutes on 2 cores).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import argparse
import datetime
import os
import platform
import re
import socket
import statistics
import sys
import time
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, 'tests', 'reliability'))

import harness  # noqa: E402 pylint: disable=import-error,wrong-import-position
import conversations  # noqa: E402 pylint: disable=import-error,wrong-import-position
import functions  # noqa: E402 pylint: disable=import-error,wrong-import-position
import parallel  # noqa: E402 pylint: disable=import-error,wrong-import-position

APP_OURS = 'benchours'
APP_BASE = 'benchbase'
ENVS = ('dev', 'stage', 'prod')
TARGET = 'bench-target'
SETTINGS = {'typing_indicator_timeout': 10, 'reachability_enabled': True, 'limits': {'channel_members': 500}}
# The same desired state as bench/baseline/provision_uri.yml's baseline_settings / baseline_overrides.
ROLE_VARS = {
    'chat_environments_common': {
        'reachability_enabled': True,
        'typing_indicator_timeout': 10,
        'limits': {'channel_members': 500, 'user_channels': 200},
        'notifications': {'new_message': {'enabled': True}},
        'post_webhook_url': 'https://hooks.example.com/chat',
        'webhook_filters': ['onMessageSent'],
    },
    'chat_environments_overrides': {'prod': {'limits': {'channel_members': 1000}}},
}
COMPARED_FIELDS = (
    ('reachability_enabled',),
    ('typing_indicator_timeout',),
    ('limits', 'channel_members'),
    ('limits', 'user_channels'),
    ('notifications', 'new_message', 'enabled'),
    ('post_webhook_url',),
    ('webhook_filters',),
)
ROLE_PLAYBOOK = os.path.join(ROOT, 'tests', 'reliability', 'playbooks', 'converge_environments.yml')
BASELINE_PLAYBOOK = os.path.join(HERE, 'baseline', 'provision_uri.yml')
FAILURE_PLAYBOOK = os.path.join(HERE, 'playbooks', 'role_failure.yml')
FLOOR_PLAYBOOK = os.path.join(HERE, 'playbooks', 'floor.yml')
# Connection settings of the failure-time runs (role and single module call alike): the modules'
# defaults against a refused connection, shorter timeouts against a hung endpoint (the defaults
# make one call take about a minute there).
FAILURE_CONNECTION = {'refused': {'timeout': 30, 'retries': 4, 'retry_timeout': 60}, 'hung': {'timeout': 5, 'retries': 2, 'retry_timeout': 30}}
# Targets of issue 10: role no-op wall time / uri baseline, by services in the account.
NOOP_TARGETS = {6: 0.75, 1006: 0.3}
FAILURE_TARGET = 1.5


class Bench(object):
    """The emulator, the environment for subprocesses and the measuring helpers."""

    def __init__(self, reps):
        self.reps = reps
        self.emu = harness.EmulatorHandle()
        self.env = harness.base_env(self.emu)
        self.existing = 0

    def stop(self):
        self.emu.stop()

    def grow_to(self, count):
        """Add or delete filler services until there are ``count`` of them (besides the ones measured)."""
        if count > self.existing:
            for index in range(self.existing, count):
                self.emu.api('POST', 'Services', data={'FriendlyName': 'filler-%05d' % (index + 1)})
        elif count < self.existing:
            for service in self.emu.services():
                name = service['friendly_name']
                if name.startswith('filler-') and int(name.split('-')[1]) > count:
                    self.emu.api('DELETE', 'Services/' + service['sid'])
        self.existing = count
        self.emu.clear_log()

    def total(self):
        return len(self.emu.services(include_default=True))

    def module(self, name, args):
        """(Run, request log) of one module run."""
        self.emu.clear_log()
        full = dict(args, account_sid=self.emu.account_sid, auth_token=self.emu.auth_token, api_base_url=self.emu.api_base_url)
        run = harness.run_module(name, full, self.env)
        if not run.result or run.result.get('failed'):
            raise RuntimeError('%s %s failed: %s' % (name, args, run.describe()))
        return run, self.emu.requests_log()

    def playbook(self, playbook, extra_vars):
        self.emu.clear_log()
        run = harness.run_playbook(playbook, self.env, extra_vars=extra_vars)
        if run.rc != 0:
            raise RuntimeError(run.describe())
        return run, self.emu.requests_log()

    def delete_named(self, prefix):
        for service in self.emu.services():
            if service['friendly_name'].startswith(prefix):
                self.emu.api('DELETE', 'Services/' + service['sid'])
        self.emu.clear_log()


def shape(log):
    """'2 GET + 1 POST' style summary of a request log."""
    counts = Counter(e['method'] for e in log)
    return ' + '.join('%d %s' % (counts[m], m) for m in ('GET', 'POST', 'DELETE') if counts[m]) or '0'


def floor_text(gets, posts=0, deletes=0):
    return ' + '.join('%d %s' % (n, m) for n, m in ((gets, 'GET'), (posts, 'POST'), (deletes, 'DELETE')) if n)


def median(values):
    return statistics.median(values) if values else float('nan')


# ---- 1. requests per operation -------------------------------------------------------------------


def per_operation(bench, existing):
    """Rows: operation, measured requests, floor, measured == floor, module wall time."""
    bench.delete_named(TARGET)
    bench.grow_to(existing)
    total = bench.total() + 1
    pages = harness.pages_for(total)
    rows = []

    def measure(label, module, args, floor, note=''):
        run, log = bench.module(module, args)
        rows.append((label, shape(log), floor_text(*floor), sum(floor) == len(log) and shape(log) == floor_text(*floor), run.duration, note))
        return run

    created = measure(
        'create (by name)',
        'chat_service',
        dict(SETTINGS, friendly_name=TARGET),
        (2 * pages, 2),
        'list + create + namesake check (list again, after 2 s) + one update',
    )
    sid = created.result['service']['sid']
    measure('no-op by sid', 'chat_service', dict(SETTINGS, sid=sid), (1,))
    measure('no-op by name', 'chat_service', dict(SETTINGS, friendly_name=TARGET), (pages,), 'ceil(N/100) pages')
    measure('update by sid', 'chat_service', dict(SETTINGS, sid=sid, typing_indicator_timeout=11), (1, 1), 'read to compare, one POST')
    measure('update by name', 'chat_service', dict(SETTINGS, friendly_name=TARGET, typing_indicator_timeout=12), (pages, 1))
    measure('info by sid', 'chat_service_info', {'sid': sid}, (1,))
    measure('info by name', 'chat_service_info', {'friendly_name': TARGET}, (pages,), 'no server-side filter')
    measure(
        'delete by name',
        'chat_service',
        {'friendly_name': TARGET, 'state': 'absent'},
        (pages + 1, 0, 1),
        'the listing, the account configuration (its default Conversations Service is never deleted), one DELETE',
    )
    recreated = bench.module('chat_service', {'friendly_name': TARGET})[0]
    measure(
        'delete by sid',
        'chat_service',
        {'sid': recreated.result['service']['sid'], 'state': 'absent'},
        (2, 0, 1),
        'read for the result and diff, the account configuration, one DELETE',
    )
    measure('delete, already absent', 'chat_service', {'friendly_name': TARGET, 'state': 'absent'}, (pages,))
    return total, rows


# ---- 2. scale ------------------------------------------------------------------------------------


def scale_point(bench, size):
    """Requests and median module wall time of no-op by name and by sid with ``size`` fillers."""
    bench.grow_to(size)
    targets = [s for s in bench.emu.services() if s['friendly_name'] == TARGET]
    sid = targets[0]['sid'] if targets else bench.module('chat_service', dict(SETTINGS, friendly_name=TARGET))[0].result['service']['sid']
    point = {'existing': bench.total()}
    for label, args in (('name', dict(SETTINGS, friendly_name=TARGET)), ('sid', dict(SETTINGS, sid=sid))):
        times, requests = [], []
        for dummy in range(bench.reps):
            run, log = bench.module('chat_service', args)
            if run.result.get('changed') or harness.writes(log):
                raise RuntimeError('no-op by %s changed something at %d services' % (label, size))
            times.append(run.duration)
            requests.append(len(log))
        point[label] = {'time': median(times), 'requests': max(requests)}
    point['floor_name'] = harness.pages_for(point['existing'])
    print(
        '  scale: %5d services: no-op by name %d requests %.2fs, by sid %d request %.2fs'
        % (point['existing'], point['name']['requests'], point['name']['time'], point['sid']['requests'], point['sid']['time'])
    )
    return point


# ---- 3. versus ansible.builtin.uri ----------------------------------------------------------------


def service_view(service):
    view = {}
    for path in COMPARED_FIELDS:
        value = service
        for part in path:
            value = value.get(part) if isinstance(value, dict) else None
        view['.'.join(path)] = sorted(value) if isinstance(value, list) else value
    return view


def versus_baseline(bench, size):
    """Median wall time and requests of create and no-op runs, ours and baseline, at ``size`` fillers."""
    bench.grow_to(size)
    bench.delete_named(TARGET)
    tools = {
        'chat_environments role': (ROLE_PLAYBOOK, dict(ROLE_VARS, chat_environments_app=APP_OURS), APP_OURS + '-'),
        'ansible.builtin.uri baseline': (BASELINE_PLAYBOOK, {'baseline_app_name': APP_BASE}, APP_BASE + '-'),
    }
    out = {}
    for tool, (playbook, extra_vars, prefix) in tools.items():
        for phase in ('create', 'no-op'):
            out[(tool, phase)] = {'times': [], 'requests': None, 'writes': None}
        for dummy in range(bench.reps):
            bench.delete_named(prefix)
            for phase in ('create', 'no-op'):
                run, log = bench.playbook(playbook, extra_vars)
                entry = out[(tool, phase)]
                entry['times'].append(run.duration)
                entry['requests'], entry['writes'] = len(log), len(harness.writes(log))
                entry['shape'] = shape(log)
    # The floor of any design that reads Twilio through a module task: ansible-playbook start-up
    # alone, and a playbook whose only task is one converged chat_services call.
    floor_services = [{'friendly_name': '%s-%s' % (APP_OURS, env)} for env in ENVS]
    for label, task in (('start-up', False), ('one module task', True)):
        entry = out[('floor', label)] = {'times': []}
        for dummy in range(bench.reps):
            extra = {'bench_floor_task': task, 'bench_services': floor_services, 'bench_stray_pattern': re.escape(APP_OURS) + '-.*'}
            run, log = bench.playbook(FLOOR_PLAYBOOK, extra)
            entry['times'].append(run.duration)
            entry['requests'], entry['writes'] = len(log), len(harness.writes(log))
        entry['time'] = median(entry['times'])
        if entry['writes']:
            raise RuntimeError('the floor playbook wrote: %s' % log)
    # Both must have produced the same services (the baseline is a fair, correct one).
    services = bench.emu.services()
    for env in ENVS:
        ours = [s for s in services if s['friendly_name'] == '%s-%s' % (APP_OURS, env)]
        base = [s for s in services if s['friendly_name'] == '%s-%s' % (APP_BASE, env)]
        if len(ours) != 1 or len(base) != 1 or service_view(ours[0]) != service_view(base[0]):
            raise RuntimeError('role and baseline disagree on %s: %s / %s' % (env, [service_view(s) for s in ours], [service_view(s) for s in base]))
    for tool, dummy in tools.items():
        for phase in ('create', 'no-op'):
            entry = out[(tool, phase)]
            entry['time'] = median(entry['times'])
    total = bench.total()
    bench.delete_named(APP_OURS)
    bench.delete_named(APP_BASE)
    return total, out


# ---- 4. failure time -------------------------------------------------------------------------------


class Endpoint(object):
    """A local endpoint that refuses connections (``refused``) or accepts them and never answers (``hung``)."""

    def __init__(self, kind):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(('127.0.0.1', 0))
        if kind == 'hung':
            self.sock.listen(128)  # the kernel completes the handshake; nothing ever reads or answers
        self.url = 'http://127.0.0.1:%d/{product}' % self.sock.getsockname()[1]

    def stop(self):
        self.sock.close()


def failure_time(bench):
    """Wall time and printed errors of the role (two accounts) and of one chat_service call, per endpoint kind."""
    rows = []
    for kind in ('refused', 'hung'):
        endpoint = Endpoint(kind)
        try:
            connection = FAILURE_CONNECTION[kind]
            extra = dict(
                bench_base_url=endpoint.url,
                bench_prod_account_sid='AC' + 'b' * 32,
                bench_prod_auth_token='t' * 32,
                **dict(('bench_' + k, v) for k, v in connection.items()),
            )
            role_times, module_times, errors = [], [], []
            for dummy in range(max(1, min(bench.reps, 3))):
                start = time.monotonic()
                run = harness.run_playbook(FAILURE_PLAYBOOK, bench.env, extra_vars=extra)
                role_times.append(time.monotonic() - start)
                if run.rc == 0:
                    raise RuntimeError('the role succeeded against a %s endpoint: %s' % (kind, run.describe()))
                # Failed module results (loop items included) that carry a request error.
                errors.append(
                    len(
                        [
                            r
                            for r in run.results
                            if r.get('status') in ('failed', 'item_failed') and ('%s' % (r.get('result') or {}).get('msg', '')).startswith('Failed to')
                        ]
                    )
                )
                args = dict(
                    connection, friendly_name='benchfail-dev', account_sid=bench.emu.account_sid, auth_token=bench.emu.auth_token, api_base_url=endpoint.url
                )
                start = time.monotonic()
                single = harness.run_module('chat_service', args, bench.env)
                module_times.append(time.monotonic() - start)
                if not (single.result or {}).get('failed'):
                    raise RuntimeError('chat_service succeeded against a %s endpoint' % kind)
        finally:
            endpoint.stop()
        rows.append((kind, connection, median(role_times), median(module_times), max(errors)))
    return rows


# ---- report --------------------------------------------------------------------------------------


def markdown(ops, points, versus, reps, failures):
    lines = [
        '# chatops.twilio benchmarks',
        '',
        'Generated by `make bench` (`bench/run.py`) on %s: Python %s, %s, %d CPU(s), against the in-process '
        'Twilio emulator on 127.0.0.1 (no network latency: the request counts carry over to Twilio, the times '
        'are the local cost of Ansible and the modules). Times are medians of %d runs. Load average at the end of '
        'the run: %s (wall times and their ratios are only comparable on an otherwise idle machine).'
        % (
            datetime.date.today().isoformat(),
            platform.python_version(),
            platform.machine(),
            os.cpu_count() or 0,
            reps,
            ', '.join('%.1f' % load for load in os.getloadavg()),
        ),
        '',
        '## Requests per operation against the floor',
        '',
        'With %d services in the account (so ceil(N/100) = %d list pages). Floors: by sid 1 GET; by name '
        'ceil(N/100) GETs (Twilio has no filter on friendly_name and names are not unique, so every page is read); '
        'create = list + create + one update (Twilio creates a service with a name only).' % (ops[0], harness.pages_for(ops[0])),
        '',
        '| operation | measured | floor | at floor | module wall time | note |',
        '|---|---|---|---|---:|---|',
    ]
    for label, measured, floor, ok, duration, note in ops[1]:
        lines.append('| %s | %s | %s | %s | %.2f s | %s |' % (label, measured, floor, 'yes' if ok else '**no**', duration, note))
    lines += [
        '',
        '## Scale: no-op with many existing services',
        '',
        'A converged `chatops.twilio.chat_service` run (settings already as desired) by name and by sid, with N '
        'services in the account. Wall time is the module process (Python start included).',
        '',
        '| services in account | by name: requests | floor | by name: wall time | by sid: requests | by sid: wall time |',
        '|---:|---:|---:|---:|---:|---:|',
    ]
    for point in points:
        lines.append(
            '| %d | %d GET | %d | %.2f s | %d GET | %.2f s |'
            % (point['existing'], point['name']['requests'], point['floor_name'], point['name']['time'], point['sid']['requests'], point['sid']['time'])
        )
    lines += [
        '',
        '![wall time and requests against existing services](scale.png)',
        '',
        '## Versus `ansible.builtin.uri`',
        '',
        'The same dev/stage/prod provisioning (same settings, prod override) with the `chat_environments` role '
        'and with `bench/baseline/provision_uri.yml`, a careful `uri` playbook (reads every page, fails on '
        'ambiguous names, creates only missing services, updates only differing fields). Wall time of the whole '
        '`ansible-playbook` run; both leave identical services (checked).',
        '',
        '| services in account | run | role: wall time | uri: wall time | ours / baseline | target | role: requests | uri: requests | floor | role at floor |',
        '|---:|---|---:|---:|---:|---|---|---|---|---|',
    ]
    for total, result in versus:
        for phase in ('create', 'no-op'):
            ours = result[('chat_environments role', phase)]
            base = result[('ansible.builtin.uri baseline', phase)]
            pages = harness.pages_for(total)
            # A create lists twice: to find, and after the creates the namesake check for concurrent runs.
            floor = floor_text(2 * pages, 2 * len(ENVS)) if phase == 'create' else floor_text(pages)
            ratio = ours['time'] / base['time']
            target = NOOP_TARGETS.get(total) if phase == 'no-op' else None
            target_text = '-' if target is None else ('<= %.2f: %s' % (target, 'met' if ratio <= target else '**missed**'))
            lines.append(
                '| %d | %s | %.2f s | %.2f s | %.2f | %s | %s | %s | %s | %s |'
                % (
                    total,
                    phase,
                    ours['time'],
                    base['time'],
                    ratio,
                    target_text,
                    ours['shape'],
                    base['shape'],
                    floor,
                    (
                        'yes'
                        if ours['requests'] <= sum(int(n) for n in re.findall(r'\d+', floor)) and ours['writes'] == (2 * len(ENVS) if phase == 'create' else 0)
                        else '**no**'
                    ),
                )
            )
    for total, result in versus:
        base = result[('ansible.builtin.uri baseline', 'no-op')]['time']
        startup, one_task = result[('floor', 'start-up')]['time'], result[('floor', 'one module task')]['time']
        lines += [
            '',
            'With %d services, the least a no-op can cost: `ansible-playbook` start-up alone %.2f s (%.2f of the '
            'baseline), a playbook whose only task is one converged `chat_services` call %.2f s (%.2f of the baseline, '
            'the floor of any design that reads Twilio through a module task; `bench/playbooks/floor.yml`).'
            % (total, startup, startup / base, one_task, one_task / base),
        ]
    lines += [
        '',
        'Floor: one listing shared by the environments (ceil(N/100) GETs), plus create and one update per '
        'missing environment; a run that creates lists once more after its creates, the namesake check that makes '
        'concurrent runs converge on one service per name (the `uri` playbook has no such guard). The role '
        'plans everything in one filter (`chatops.twilio.chat_environments_plan`, '
        'no request) and converges each account with one `chatops.twilio.chat_services` call: one listing, then '
        'only the writes a service needs. The `uri` playbook pays one task and one `set_fact` per page and loops '
        'for creates and updates, which dominates its wall time as the account grows. Against Twilio the request '
        'counts matter more than local wall time: each request is a network round trip and counts against the '
        'account\'s concurrency limit.',
        '',
        '## Failure time',
        '',
        'The role (dev and stage in one account, prod in its own) against an endpoint that refuses connections '
        'and one that accepts them and never answers, versus one `chatops.twilio.chat_service` call with the same '
        'connection settings. Target: the role fails once, with one failed module result carrying the error, in '
        'at most %.1fx the single call.' % FAILURE_TARGET,
        '',
        '| endpoint | timeout, retries, retry_timeout | role: wall time | one module call | ratio | failed results | target |',
        '|---|---|---:|---:|---:|---:|---|',
    ]
    for kind, connection, role_time, module_time, errors in failures:
        ratio = role_time / module_time
        lines.append(
            '| %s | %s s, %s, %s s | %.2f s | %.2f s | %.2f | %d | %s |'
            % (
                kind,
                connection['timeout'],
                connection['retries'],
                connection['retry_timeout'],
                role_time,
                module_time,
                ratio,
                errors,
                'met' if ratio <= FAILURE_TARGET and errors == 1 else '**missed**',
            )
        )
    lines += [
        '',
        'The role stops at the first account that fails (`loop_control.break_when`), so a second account does '
        'not spend its own retry budget; the wall time beyond the module call is ansible-playbook start-up and '
        'the role\'s controller-side tasks.',
        '',
    ]
    return '\n'.join(lines)


def plot(points, path):
    import matplotlib  # pylint: disable=import-outside-toplevel

    matplotlib.use('Agg')
    import matplotlib.pyplot as plt  # pylint: disable=import-outside-toplevel

    sizes = [p['existing'] for p in points]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    left.plot(sizes, [p['name']['time'] for p in points], 'o-', label='no-op by name')
    left.plot(sizes, [p['sid']['time'] for p in points], 's-', label='no-op by sid')
    left.set_xlabel('services in the account')
    left.set_ylabel('module wall time (s)')
    left.set_ylim(bottom=0)
    left.grid(True, alpha=0.3)
    left.legend()
    right.plot(sizes, [p['name']['requests'] for p in points], 'o-', label='no-op by name')
    right.plot(sizes, [p['floor_name'] for p in points], 'k:', label='floor by name: ceil(N/100)')
    right.plot(sizes, [p['sid']['requests'] for p in points], 's-', label='no-op by sid (floor 1)')
    right.set_xlabel('services in the account')
    right.set_ylabel('HTTP requests')
    right.set_ylim(bottom=0)
    right.grid(True, alpha=0.3)
    right.legend()
    fig.suptitle('chatops.twilio.chat_service: converged run against the emulator')
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', maxsplit=1)[0])
    parser.add_argument('--reps', type=int, default=5, help='runs per timed measurement (median)')
    parser.add_argument('--scale', default='0,100,1000,5000', help='numbers of existing services for the scale test')
    parser.add_argument('--ops-size', type=int, default=249, help='existing services for the per-operation counts')
    parser.add_argument('--baseline-sizes', default='0,1000', help='existing services for the role-vs-uri runs')
    parser.add_argument('--out', default=HERE, help='directory for RESULTS.md and scale.png')
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.scale.split(',') if s.strip())
    baseline_sizes = sorted(int(s) for s in args.baseline_sizes.split(',') if s.strip())
    if max(sizes + baseline_sizes + [args.ops_size]) > 20000 or args.reps < 1 or args.reps > 20:
        parser.error('keep the benchmark bounded: at most 20000 services and 1..20 reps')

    bench = Bench(args.reps)
    try:
        # Ascending sizes, so the fillers are created once.
        versus, points, ops, conversations_ops, functions_ops, parallel_ops = [], [], None, None, None, None
        for size in sorted(set(sizes + baseline_sizes + [args.ops_size])):
            if size in baseline_sizes:
                print('role vs uri baseline with %d filler services ...' % size)
                versus.append(versus_baseline(bench, size))
            if size == args.ops_size:
                print('requests per operation with %d filler services ...' % size)
                ops = per_operation(bench, size)
                print('Conversations requests per operation with %d filler services ...' % size)
                conversations_ops = conversations.per_operation(bench, shape, floor_text)
                print('Functions deploy and variables requests ...')
                functions_ops = functions.per_operation(bench, shape, floor_text)
                print('conversations_services over %d services with %d ms latency, parallelism 1 and 8 ...' % (parallel.COUNT, parallel.LATENCY_MS))
                parallel_ops = parallel.per_parallelism(bench, shape)
            if size in sizes:
                points.append(scale_point(bench, size))
        print('failure time ...')
        failures = failure_time(bench)
    finally:
        bench.stop()

    os.makedirs(args.out, exist_ok=True)
    report = (
        markdown(ops, points, versus, args.reps, failures)
        + conversations.markdown(conversations_ops)
        + functions.markdown(functions_ops)
        + parallel.markdown(parallel_ops)
    )
    with open(os.path.join(args.out, 'RESULTS.md'), 'w') as handle:
        handle.write(report)
    plot(points, os.path.join(args.out, 'scale.png'))
    print()
    print(report)
    print('wrote %s and %s' % (os.path.join(args.out, 'RESULTS.md'), os.path.join(args.out, 'scale.png')))
    return 0


if __name__ == '__main__':
    sys.exit(main())
