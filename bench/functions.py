# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Functions section of ``make bench``: requests of serverless_deploy and serverless_variables (issue 19).

Each row is measured from the emulator's request log, against the floor (what the API needs at least) and beside
what the Serverless Toolkit's deploy sequence sends for the same tree: it uploads every file and makes a build and a
deployment on every run (FUNCTIONS-DEPLOY.md, "the Toolkit's call sequence"). Run alone: ``python bench/functions.py``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import sys
import tempfile
from collections import Counter

FILES = 20
TOOLKIT_DEPLOY = '%d uploads + 1 build + 1 deployment, every run' % FILES


def sl(emu, method, path, data=None):
    response = emu.session.request(method, '%s/serverless/v1/%s' % (emu.url, path), data=data, auth=(emu.account_sid, emu.auth_token), timeout=30)
    response.raise_for_status()
    return response.json() if response.content else None


def writes_shape(log):
    """'1 upload + 1 build + 1 deployment + 1 variable' from a request log."""
    counts = Counter()
    for entry in log:
        if entry['method'] == 'GET':
            continue
        path = entry['path']
        if path.startswith('/serverless-upload/'):
            counts['upload'] += 1
        elif path.endswith('/Builds'):
            counts['build'] += 1
        elif path.endswith('/Deployments'):
            counts['deployment'] += 1
        elif '/Variables' in path:
            counts['variable'] += 1
        else:
            counts['other'] += 1
    return ' + '.join('%d %s' % (counts[k], k) for k in ('upload', 'build', 'deployment', 'variable', 'other') if counts[k]) or '0 writes'


def make_tree(root):
    for index in range(FILES // 2):
        for relative, data in (
            ('functions/f%02d.js' % index, 'exports.handler = (c, e, cb) => cb(null, %d);\n' % index),
            ('assets/a%02d.private.txt' % index, 'asset %d\n' % index),
        ):
            path = os.path.join(root, relative)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, 'w') as handle:
                handle.write(data)


def per_operation(bench, shape, floor_text):
    """Rows: (operation, measured requests, writes, floor, at floor, wall time, Toolkit, note)."""
    emu = bench.emu
    service = sl(emu, 'POST', 'Services', {'UniqueName': 'bench-fn', 'FriendlyName': 'bench-fn'})
    for name in ('dev', 'prod'):
        sl(emu, 'POST', 'Services/%s/Environments' % service['sid'], {'UniqueName': name, 'DomainSuffix': name})
    emu.clear_log()
    root = tempfile.mkdtemp(prefix='bench-functions-')
    rows = []

    def measure(label, module, args, floor, toolkit, note='', writes_floor=None):
        run, log = bench.module(module, args)
        if writes_floor is None:
            ok = shape(log) == floor_text(*floor)
            floor_shown = floor_text(*floor)
        else:
            ok = writes_shape(log) == writes_floor
            floor_shown = writes_floor + ' (polls vary)'
        rows.append((label, shape(log), writes_shape(log), floor_shown, ok, run.duration, toolkit, note))
        return run

    try:
        make_tree(root)
        deploy = dict(service='bench-fn', environment='dev', source=root)
        measure(
            'first deploy, %d files' % FILES,
            'serverless_deploy',
            deploy,
            None,
            TOOLKIT_DEPLOY,
            'creates the %d Functions and Assets (one settle listing per kind), polls the build' % FILES,
            writes_floor='%d upload + 1 build + 1 deployment + 1 variable + %d other' % (FILES, FILES),
        )
        measure(
            'unchanged %d-file re-deploy' % FILES,
            'serverless_deploy',
            deploy,
            (3,),
            TOOLKIT_DEPLOY,
            'environments (by name), the live build, the variables (CHATOPS_DEPLOY): 0 uploads',
        )
        with open(os.path.join(root, 'assets', 'a03.private.txt'), 'w') as handle:
            handle.write('changed\n')
        measure(
            'one changed file (a private asset)',
            'serverless_deploy',
            deploy,
            None,
            TOOLKIT_DEPLOY,
            'the new version goes to the deployed version\'s Asset; CHATOPS_DEPLOY updated',
            writes_floor='1 upload + 1 build + 1 deployment + 1 variable',
        )
        measure(
            'promote dev to prod',
            'serverless_deploy',
            dict(service='bench-fn', environment='prod', from_environment='dev'),
            (1, 1),
            '1 deployment',
            'one listing holds both environments',
        )
        measure(
            'promote again (no-op)',
            'serverless_deploy',
            dict(service='bench-fn', environment='prod', from_environment='dev'),
            (1,),
            '1 deployment (refused by Twilio: already requested)',
        )
        variables = dict(service='bench-fn', environment='dev', variables=dict(('KEY_%02d' % i, 'value %d' % i) for i in range(10)))
        bench.module('serverless_variables', variables)
        measure(
            'variables no-op (10 keys)',
            'serverless_variables',
            variables,
            (2,),
            '10 POSTs (the Toolkit sets every variable)',
            'environments (by name), variables',
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return rows


def markdown(rows):
    lines = [
        '',
        '## Functions: serverless_deploy and serverless_variables against the floor and the Toolkit',
        '',
        'A tree of %d files (10 Functions, 10 private Assets). "measured" counts every request; "writes" names them; the '
        'floor of a deploy that builds counts writes only (the number of build status polls depends on how long Twilio '
        'builds). The Toolkit column is what the Serverless Toolkit\'s deploy sends for the same tree (it uploads every '
        'file and builds on every run).' % FILES,
        '',
        '| operation | measured | writes | floor | at floor | module wall time | Toolkit | note |',
        '|---|---|---|---|---|---:|---|---|',
    ]
    for label, measured, writes, floor, ok, duration, toolkit, note in rows:
        lines.append('| %s | %s | %s | %s | %s | %.2f s | %s | %s |' % (label, measured, writes, floor, 'yes' if ok else '**no**', duration, toolkit, note))
    return '\n'.join(lines) + '\n'


def main():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import run  # noqa: E402 pylint: disable=import-error,import-outside-toplevel

    bench = run.Bench(1)
    try:
        print(markdown(per_operation(bench, run.shape, run.floor_text)))
    finally:
        bench.stop()


if __name__ == '__main__':
    main()
