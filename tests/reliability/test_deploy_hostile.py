# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""serverless_deploy against a hostile Twilio (issue 19): upload 5xx, 429 and timeouts, a build that never finishes
and one that fails, a redirect from the upload host, answers that lie about SIDs, a lost build answer, a symlink
escape. Each test runs the module as Ansible does (python -m) against the emulator and proves its claim from the
emulator's request log."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import time

import pytest

import harness  # pylint: disable=import-error


def sl(emulator, method, path, data=None):
    response = emulator.session.request(
        method, '%s/serverless/v1/%s' % (emulator.url, path), data=data, auth=(emulator.account_sid, emulator.auth_token), timeout=30
    )
    response.raise_for_status()
    return response.json() if response.content else None


@pytest.fixture
def app(clean, tmp_path):
    """A service ``app`` with environment ``dev``, a source tree deployed to it once; the log cleared."""
    service = sl(clean, 'POST', 'Services', {'UniqueName': 'app', 'FriendlyName': 'app'})
    env = sl(clean, 'POST', 'Services/%s/Environments' % service['sid'], {'UniqueName': 'dev', 'DomainSuffix': 'dev'})
    clean._control('POST', 'serverless', {'build_delay_ms': 50})  # pylint: disable=protected-access
    root = tmp_path / 'app'
    for relative, data in {'functions/hook.protected.js': 'exports.handler = () => 1;\n', 'assets/keys.private.json': '{"k": 1}\n'}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(data)
    first = deploy(clean, str(root))
    assert first.rc == 0, first.describe()
    clean.clear_log()
    return {'emulator': clean, 'root': root, 'service': service, 'env': env, 'build_sid': first.result['build_sid']}


def deploy(emulator, source, **extra):
    args = harness.connection_args(emulator, service='app', environment='dev', source=source)
    args.update(extra)
    return harness.run_module('serverless_deploy', args, harness.base_env(emulator))


def change(app):
    (app['root'] / 'assets' / 'keys.private.json').write_text('{"k": %f}\n' % time.time())


def posts(log, suffix):
    return [e for e in log if e['method'] == 'POST' and e['path'].endswith(suffix)]


def live_build(app):
    return sl(app['emulator'], 'GET', 'Services/%s/Environments/%s' % (app['service']['sid'], app['env']['sid']))['build_sid']


@pytest.mark.parametrize('kind', ['500', '503', '429', '429_retry_after'])
def test_upload_5xx_and_429_are_retried(app, kind):
    change(app)
    app['emulator'].faults(kinds=[kind], next=1, methods=['POST'])
    run = deploy(app['emulator'], str(app['root']))
    assert run.rc == 0, run.describe()
    log = app['emulator'].requests_log()
    uploads = [e for e in log if e['path'].startswith('/serverless-upload/')]
    assert [e['fault'] for e in uploads] == [kind, None]
    assert len(posts(log, '/Builds')) == 1 and len(posts(log, '/Deployments')) == 1
    assert run.result['uploaded'] == ['/keys.json']


def test_upload_timeout_is_retried_and_the_late_version_unused(app):
    change(app)
    app['emulator'].faults(kinds=['slow_commit'], next=1, methods=['POST'], delay_ms=2500)
    run = deploy(app['emulator'], str(app['root']), timeout=1)
    assert run.rc == 0, run.describe()
    log = app['emulator'].requests_log()
    # the upload timed out client-side and was sent again (the late version is left unused: versions are additive)
    # Which timer fires first depends on the machine's load: the client's deadline (no complete response) or the
    # socket's read timeout; either is a timeout that was retried.
    warnings = json.dumps(run.result.get('warnings'))
    assert ('no complete response' in warnings or '(read timeout)' in warnings) and 'retry 1 of' in warnings
    assert any(e['path'].startswith('/serverless-upload/') and e['status'] == 201 for e in log)
    assert len(posts(log, '/Builds')) == 1


def test_redirect_from_the_upload_host_is_refused(app):
    change(app)
    app['emulator'].faults(kinds=['redirect'], next=1, methods=['POST'], location='http://127.0.0.1:9/steal')
    run = deploy(app['emulator'], str(app['root']))
    assert run.rc == 1 and 'redirect' in run.result['msg'] and 'upload' in run.result['msg']
    log = app['emulator'].requests_log()
    assert posts(log, '/Builds') == [] and posts(log, '/Deployments') == []
    assert live_build(app) == app['build_sid']


def test_an_upload_answer_that_lies_about_the_version_is_refused(app):
    change(app)
    lie = {'sid': 'ZN' + 'a' * 32, 'path': '/other.json', 'visibility': 'public', 'asset_sid': 'ZH' + 'b' * 32}
    app['emulator'].faults(kinds=['malformed'], next=1, methods=['POST'], body=json.dumps(lie))
    run = deploy(app['emulator'], str(app['root']))
    assert run.rc == 1 and 'answered a version of asset ZH' in run.result['msg'], run.describe()
    assert posts(app['emulator'].requests_log(), '/Builds') == []
    assert live_build(app) == app['build_sid']


def test_a_build_answer_of_another_kind_is_refused(app):
    app['emulator'].faults(kinds=['malformed'], next=1, methods=['POST'], body=json.dumps({'sid': 'ZS' + 'a' * 32}))
    run = deploy(app['emulator'], str(app['root']), runtime='node20')  # no upload: the first POST is the build
    assert run.rc == 1 and 'ZB SID' in run.result['msg'], run.describe()
    assert posts(app['emulator'].requests_log(), '/Deployments') == []


def test_a_lost_build_answer_is_adopted_not_sent_again(app):
    app['emulator'].faults(kinds=['commit_drop'], next=1, methods=['POST'])
    run = deploy(app['emulator'], str(app['root']), runtime='node20')
    assert run.rc == 0, run.describe()
    log = app['emulator'].requests_log()
    builds = posts(log, '/Builds')
    assert len(builds) == 1 and builds[0]['fault'] == 'commit_drop'
    # the recent builds were read after the lost answer, before anything else was sent
    after = log[log.index(builds[0]) + 1]
    assert after['method'] == 'GET' and after['path'].endswith('/Builds')
    assert live_build(app) == run.result['build_sid'] != app['build_sid']


def test_a_build_that_times_out_is_never_sent_again_and_adopted_when_it_lands(app):
    app['emulator'].faults(kinds=['slow_commit'], next=1, methods=['POST'], delay_ms=2500)
    run = deploy(app['emulator'], str(app['root']), runtime='node20', timeout=1)
    assert run.rc == 0, run.describe()
    log = app['emulator'].requests_log()
    assert len(posts(log, '/Builds')) <= 1  # the timed-out POST (logged when it lands), never a second one
    # the create protocol's word (_create.send_create) that the build it could not confirm was found and adopted
    assert 'the create went through, adopting %s' % run.result['build_sid'] in json.dumps(run.result.get('warnings'))
    builds = sl(app['emulator'], 'GET', 'Services/%s/Builds' % app['service']['sid'])['builds']
    assert len(builds) == 2  # the first deploy's and this one
    assert live_build(app) == run.result['build_sid'] != app['build_sid']


def test_a_refused_build_is_sent_again_only_after_the_builds_were_read(app):
    app['emulator'].faults(kinds=['500'], next=1, methods=['POST'])
    run = deploy(app['emulator'], str(app['root']), runtime='node20')
    assert run.rc == 0, run.describe()
    log = app['emulator'].requests_log()
    builds = posts(log, '/Builds')
    assert [e['fault'] for e in builds] == ['500', None]
    between = log[log.index(builds[0]) + 1 : log.index(builds[1])]
    assert any(e['method'] == 'GET' and e['path'].endswith('/Builds') for e in between)


def test_a_build_that_never_finishes_fails_within_the_timeout(app):
    change(app)
    app['emulator']._control('POST', 'serverless', {'build_fault': 'stall'})  # pylint: disable=protected-access
    start = time.monotonic()
    run = deploy(app['emulator'], str(app['root']), build_timeout=3)
    # build_timeout plus the run around it (module start, reads, the upload) on a loaded 2-core machine
    assert time.monotonic() - start < 3 + 20
    assert run.rc == 1 and 'was still building after build_timeout (3.0s)' in run.result['msg']
    assert 'node22' in run.result['msg'] and run.result['build_sid'] in run.result['msg']
    assert posts(app['emulator'].requests_log(), '/Deployments') == []
    assert live_build(app) == app['build_sid']


def test_a_failed_build_deploys_nothing(app):
    change(app)
    app['emulator']._control('POST', 'serverless', {'build_fault': 'failed', 'build_fault_next': 1})  # pylint: disable=protected-access
    run = deploy(app['emulator'], str(app['root']), dependencies={'lodash': '4.17.21'})
    assert run.rc == 1 and ' failed (runtime node22, dependencies lodash@4.17.21)' in run.result['msg']
    assert run.result['msg'].startswith('build ZB')
    assert posts(app['emulator'].requests_log(), '/Deployments') == []
    assert live_build(app) == app['build_sid']
    # the next run deploys
    run = deploy(app['emulator'], str(app['root']), dependencies={'lodash': '4.17.21'})
    assert run.rc == 0 and live_build(app) == run.result['build_sid']


def test_a_symlink_escape_sends_nothing(app, tmp_path):
    outside = tmp_path / 'outside.txt'
    outside.write_text('private key')
    os.symlink(str(outside), str(app['root'] / 'assets' / 'leak.txt'))
    run = deploy(app['emulator'], str(app['root']))
    assert run.rc == 1 and 'assets/leak.txt is a symbolic link to %s, outside source' % outside in run.result['msg']
    assert app['emulator'].requests_log() == []
    assert 'private key' not in run.stdout + run.stderr


def test_two_concurrent_deploys_of_one_tree_converge(clean, tmp_path):
    from concurrent.futures import ThreadPoolExecutor  # pylint: disable=import-outside-toplevel

    service = sl(clean, 'POST', 'Services', {'UniqueName': 'app', 'FriendlyName': 'app'})
    sl(clean, 'POST', 'Services/%s/Environments' % service['sid'], {'UniqueName': 'dev', 'DomainSuffix': 'dev'})
    root = tmp_path / 'app'
    for relative, data in {'functions/hook.js': 'exports.handler = () => 1;\n', 'assets/a.private.txt': 'a\n', 'assets/b.txt': 'b\n'}.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(data)
    with ThreadPoolExecutor(2) as pool:
        runs = list(pool.map(lambda i: deploy(clean, str(root)), range(2)))
    assert [r.rc for r in runs] == [0, 0], [r.describe() for r in runs]
    # one Function and one Asset per path: the namesakes of the race were resolved
    for plural in ('Functions', 'Assets'):
        names = [r['friendly_name'] for r in sl(clean, 'GET', 'Services/%s/%s' % (service['sid'], plural))[plural.lower()]]
        assert len(names) == len(set(names)), names
    live = sl(clean, 'GET', 'Services/%s/Environments' % service['sid'])['environments'][0]['build_sid']
    assert live in {r.result['build_sid'] for r in runs}
    # converged: within one more run (CHATOPS_DEPLOY may name the build that lost the race), a run sends no write
    settled = [deploy(clean, str(root)), deploy(clean, str(root))]
    assert settled[-1].rc == 0 and settled[-1].result['changed'] is False
    harness.report('deploy: 2 concurrent deploys of one tree, then %s' % ('a no-op' if not settled[0].result['changed'] else 'one re-deploy and a no-op'))


def test_variable_values_never_reach_the_output(clean):
    service = sl(clean, 'POST', 'Services', {'UniqueName': 'app', 'FriendlyName': 'app'})
    sl(clean, 'POST', 'Services/%s/Environments' % service['sid'], {'UniqueName': 'dev', 'DomainSuffix': 'dev'})
    secret, other = 'sk-live-0123456789-very-secret', 'another-secret-value-42'
    outputs = []
    for value, extra in ((secret, {}), (other, {'_ansible_diff': True}), (secret, {'_ansible_check_mode': True, '_ansible_diff': True})):
        args = harness.connection_args(clean, service='app', environment='dev', variables={'API_TOKEN': value})
        args.update(extra)
        run = harness.run_module('serverless_variables', args, harness.base_env(clean))
        assert run.rc == 0, run.describe()
        outputs.append(run.stdout + run.stderr)
    assert outputs[1] and 'API_TOKEN' in outputs[1]
    for text in outputs:
        assert secret not in text and other not in text
