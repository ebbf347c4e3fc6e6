# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The parallelism section of ``make bench``: ``conversations_services`` over 100 services, with latency.

Each request to the emulator costs ``LATENCY_MS`` more (``latency_ms``, a realistic round trip to Twilio),
so the wall time is what a run against Twilio would take, and the rows show what bounded parallelism
(the set modules' ``parallelism`` option) saves: the same requests, sent 8 at a time. Every run manages
each service's webhooks (one GET each, and one POST each where they differ).

Standalone: ``.venv/bin/python bench/parallel.py`` (after ``make stage``) prints the table alone.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys


LATENCY_MS = 100
COUNT = 100
PREFIX = 'bench-parallel-'
WEBHOOKS = {'post_webhook_url': 'https://hooks.example.com/conversations', 'method': 'POST', 'filters': ['onMessageAdded']}
# The targets of issue 17 (item 7) at parallelism 8, in seconds.
TARGETS = {'no-op': 3.0, 'converge': 5.0}


def services(method='POST', state='present'):
    names = ['%s%03d' % (PREFIX, index) for index in range(COUNT)]
    if state == 'absent':
        return [{'name': name, 'state': 'absent'} for name in names]
    return [{'name': name, 'settings': {'webhooks': dict(WEBHOOKS, method=method)}} for name in names]


def per_parallelism(bench, shape):
    """Rows (parallelism, operation, requests, wall time, target) for parallelism 1 (as before 1.2.0) and 8 (the default)."""
    rows = []
    bench.delete_named(PREFIX)
    bench.emu.faults(latency_ms=LATENCY_MS)
    try:
        for parallelism in (1, 8):
            steps = (
                ('create', services()),
                ('no-op', services()),
                ('converge', services(method='GET')),  # every service's webhooks differ: 1 GET + 1 POST each
                ('delete', services(state='absent')),
            )
            for label, items in steps:
                run, log = bench.module('conversations_services', {'services': items, 'parallelism': parallelism})
                target = TARGETS.get(label) if parallelism == 8 else None
                rows.append((parallelism, label, shape(log), run.duration, target))
    finally:
        bench.emu.clear_faults()
        bench.delete_named(PREFIX)
    return rows


def markdown(rows):
    lines = [
        '',
        '## Set modules: bounded parallelism, with %d ms of latency per request' % LATENCY_MS,
        '',
        '`conversations_services` over %d services, each managing its webhooks, against the emulator with '
        '`latency_ms: %d` on every request (a realistic round trip to Twilio; the other sections run without latency). '
        '`parallelism: 1` converges the services one after the other, as before 1.2.0; `8` is the default. The requests '
        'are the same in both: only their overlap differs. A create waits about two seconds before its namesake check '
        '(the duplicate guard), and a run that created or found young services lists once more before it returns. '
        'Wall time is the whole module process.' % (COUNT, LATENCY_MS),
        '',
        '| parallelism | operation | requests | module wall time | target |',
        '|---:|---|---|---:|---|',
    ]
    for parallelism, label, measured, duration, target in rows:
        goal = '' if target is None else ('at most %.0f s: %s' % (target, 'met' if duration <= target else '**missed**'))
        lines.append('| %d | %s | %s | %.2f s | %s |' % (parallelism, label, measured, duration, goal))
    return '\n'.join(lines) + '\n'


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import run  # noqa: E402 pylint: disable=import-error,import-outside-toplevel

    bench = run.Bench(1)
    try:
        print(markdown(per_parallelism(bench, run.shape)))
    finally:
        bench.stop()


if __name__ == '__main__':
    main()
