# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible_collections.chatops.twilio.plugins.modules import serverless_deploy as module
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import log_writes, make_service

# The emulator fixtures, used as test arguments.


def write(root, relative, data):
    path = os.path.join(str(root), relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as handle:
        handle.write(data)


def tree(tmp_path):
    write(tmp_path, 'functions/hook.protected.js', 'exports.handler = (c, e, cb) => cb(null, "ok");\n')
    write(tmp_path, 'functions/open.js', 'exports.handler = (c, e, cb) => cb(null, "open");\n')
    write(tmp_path, 'assets/style.css', 'body {}\n')
    write(tmp_path, 'assets/secret.private.json', '{"k": 1}\n')
    write(tmp_path, 'assets/.env', 'TOKEN=do-not-upload\n')
    return str(tmp_path)


def kinds(log):
    out = []
    for entry in log_writes(log):
        parts = entry['path'].split('/')
        out.append(parts[1] if parts[1] == 'serverless-upload' else parts[-1] if not parts[-1].startswith('Z') else parts[-2])
    return out


def test_deploy_noop_one_change_check_mode(emu, run_emulated, tmp_path):
    make_service(emu, environments=('dev', 'prod'))
    args = dict(service='app', environment='dev', source=tree(tmp_path), dependencies={'lodash': '4.17.21'})
    code, result = run_emulated(module.main, args, check=True, diff=True)
    assert code == 0, result
    assert result['changed'] and sorted(result['changes']['added']) == ['/hook', '/open', '/secret.json', '/style.css']
    assert log_writes(emu.request_log(clear=True)) == []
    assert 'do-not-upload' not in json.dumps(result) and 'exports.handler' not in json.dumps(result)

    code, result = run_emulated(module.main, args)
    assert code == 0, result
    assert result['build_sid'].startswith('ZB') and result['deployment_sid'].startswith('ZD')
    assert result['functions']['/hook']['url'] == 'https://%s/hook' % result['domain_name']
    assert result['functions']['/hook']['visibility'] == 'protected'
    assert result['assets']['/secret.json']['url'] is None
    log = emu.request_log(clear=True)
    uploads = [e for e in log if e['path'].startswith('/serverless-upload/')]
    assert len(uploads) == 4
    assert kinds(log).count('Builds') == 1 and kinds(log).count('Deployments') == 1
    first_build = result['build_sid']

    # re-run: no write, 3 reads (environments, build, variables)
    code, result = run_emulated(module.main, args)
    assert result['changed'] is False and result['build_sid'] == first_build
    log = emu.request_log(clear=True)
    assert log_writes(log) == [] and len(log) == 3
    code, result = run_emulated(module.main, args, check=True)
    assert result['changed'] is False and log_writes(emu.request_log(clear=True)) == []

    # one changed private asset: 1 upload, 1 build, 1 deployment (+ the reserved variable)
    write(tmp_path, 'assets/secret.private.json', '{"k": 2}\n')
    code, result = run_emulated(module.main, args, diff=True)
    assert result['uploaded'] == ['/secret.json'] and result['changes']['changed'] == ['/secret.json']
    assert sorted(result['reused']) == ['/hook', '/open', '/style.css']
    log = emu.request_log(clear=True)
    assert sorted(kinds(log)) == ['Builds', 'Deployments', 'Variables', 'serverless-upload']
    # the new version goes to the deployed version's Asset: no listing of the Assets
    assert not [e for e in log if e['method'] == 'GET' and e['path'].endswith('/Assets')]
    assert result['functions']['/hook']['version_sid'] is not None

    # promote: 1 deployment, then none
    code, result = run_emulated(module.main, dict(service='app', environment='prod', from_environment='dev'))
    assert result['changed'] is True
    assert kinds(emu.request_log(clear=True)) == ['Deployments']
    code, result = run_emulated(module.main, dict(service='app', environment='prod', from_environment='dev'))
    assert result['changed'] is False and log_writes(emu.request_log(clear=True)) == []


def test_failed_build_deploys_nothing_and_names_the_build(emu, run_emulated, tmp_path):
    make_service(emu)
    emu.serverless.configure({'build_fault': 'failed', 'build_fault_next': 1})
    code, result = run_emulated(module.main, dict(service='app', environment='dev', source=tree(tmp_path), dependencies={'lodash': '4.17.21'}))
    assert code == 1
    assert 'build ZB' in result['msg'] and 'failed' in result['msg'] and 'node22' in result['msg'] and 'lodash@4.17.21' in result['msg']
    assert 'Deployments' not in kinds(emu.request_log(clear=True))


def test_stalled_build_times_out(emu, run_emulated, tmp_path):
    make_service(emu)
    emu.serverless.configure({'build_fault': 'stall'})
    code, result = run_emulated(module.main, dict(service='app', environment='dev', source=tree(tmp_path), build_timeout=1))
    assert code == 1 and 'was still building after build_timeout (1.0s)' in result['msg']
    assert 'Deployments' not in kinds(emu.request_log(clear=True))


def test_a_toolkit_deploy_is_noticed_and_undone(emu, run_emulated, tmp_path):
    make_service(emu)
    args = dict(service='app', environment='dev', source=tree(tmp_path))
    code, first = run_emulated(module.main, args)
    write(tmp_path, 'functions/open.js', 'changed by hand\n')
    code, other = run_emulated(module.main, args)
    write(tmp_path, 'functions/open.js', 'exports.handler = (c, e, cb) => cb(null, "open");\n')
    emu.request_log(clear=True)
    # back to the first tree: CHATOPS_DEPLOY names the other build, which the run reads
    code, result = run_emulated(module.main, args)
    assert result['changed'] is True and result['uploaded'] == ['/open']


def test_prune_deletes_what_no_environment_serves(emu, run_emulated, tmp_path):
    make_service(emu)
    source = tree(tmp_path)
    run_emulated(module.main, dict(service='app', environment='dev', source=source))
    os.remove(os.path.join(source, 'functions', 'open.js'))
    code, result = run_emulated(module.main, dict(service='app', environment='dev', source=source, prune=True))
    assert code == 0, result
    assert result['changes']['removed'] == ['/open'] and result['pruned'] == ['/open']
    code, result = run_emulated(module.main, dict(service='app', environment='dev', source=source, prune=True))
    assert result['changed'] is False and result['pruned'] == []


def test_refusals_before_any_request(emu, run_emulated, tmp_path):
    code, result = run_emulated(module.main, dict(service='app', environment='dev', source=str(tmp_path)))
    assert code == 1 and 'holds no file to deploy' in result['msg']
    code, result = run_emulated(module.main, dict(service='app', environment='dev', source=str(tmp_path), from_environment='prod'))
    assert code == 1 and 'set exactly one of source' in result['msg']
    code, result = run_emulated(module.main, dict(service='app', environment='dev', source=tree(tmp_path), runtime='python3'))
    assert code == 1 and 'runtime must be node followed by a major version' in result['msg']
    assert emu.request_log() == []


def test_info_describes_what_each_environment_serves(emu, run_emulated, tmp_path):
    from ansible_collections.chatops.twilio.plugins.modules import serverless_deploy_info as info
    from ansible_collections.chatops.twilio.plugins.modules import serverless_variables as variables

    make_service(emu, environments=('dev', 'prod'))
    code, deployed = run_emulated(module.main, dict(service='app', environment='dev', source=tree(tmp_path), dependencies={'lodash': '4.17.21'}))
    run_emulated(variables.main, dict(service='app', environment='dev', variables={'GREETING': 'secret-hello'}))
    emu.request_log(clear=True)
    code, result = run_emulated(info.main, dict(service='app'))
    assert code == 0 and result['changed'] is False
    dev, prod = sorted(result['environments'], key=lambda e: e['unique_name'])
    assert dev['build_sid'] == deployed['build_sid'] and prod['build_sid'] is None
    assert dev['functions']['/hook'] == dict(
        url=deployed['functions']['/hook']['url'], visibility='protected', version_sid=deployed['functions']['/hook']['version_sid']
    )
    assert dev['assets']['/secret.json']['url'] is None
    assert dev['variable_keys'] == ['CHATOPS_DEPLOY', 'GREETING'] and 'variables' not in dev
    assert 'secret-hello' not in json.dumps(result)
    assert dev['module_args']['serverless_deploy'] == dict(service='app', environment='dev', runtime='node22', dependencies={'lodash': '4.17.21'})
    log = emu.request_log(clear=True)
    assert log_writes(log) == [] and len(log) == 1 + 2 + 1  # listing; dev: build, variables; prod: variables
    code, result = run_emulated(info.main, dict(service='app', environment='dev', include_variable_values=True))
    assert result['environments'][0]['variables']['GREETING'] == 'secret-hello'
    assert result['environments'][0]['module_args']['serverless_variables']['variables'] == {'GREETING': 'secret-hello'}
    # the module_args deploy the same tree with no write
    args = dict(result['environments'][0]['module_args']['serverless_deploy'], source=str(tmp_path))
    emu.request_log(clear=True)
    code, again = run_emulated(module.main, args)
    assert again['changed'] is False and log_writes(emu.request_log()) == []
