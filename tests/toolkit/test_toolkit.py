"""Toolkit conformance: the Serverless Toolkit's own API client deploys the example app to the emulator.

The client is ``@twilio-labs/serverless-api`` from npm, pinned in package-lock.json and installed by
``make toolkit`` (``npm ci``); toolkit.js points its ``getApiUrl(config, product)`` at the emulator, so
its uploads reach the ``serverless-upload`` product there. Passing proves the emulator speaks the
Toolkit's protocol: what the Toolkit sends is accepted, and what it reads back is what it deployed.
The Toolkit runs against Twilio's lenient default (it sends ``FriendlyName`` when it creates an
environment, which Twilio ignores).

Later steps (serverless_deploy taking over the Toolkit's environment) add tests that use the same
``toolkit`` runner and the ``deployed`` fixture.
"""

import json
import os
import pathlib
import shutil
import subprocess

import pytest

from twilio_emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
APP = ROOT / 'examples' / 'chat-status-app'
RUNNER = HERE / 'toolkit.js'
SERVICE = 'chat-status-app'
LIST_TYPES = ['environments', 'builds', 'functions', 'assets', 'variables']


class Toolkit:
    """Runs toolkit.js (one Toolkit call per node process) against one emulator."""

    def __init__(self, base_url):
        self.base_url = base_url

    def run(self, command, options, expect_ok=True):
        """The Toolkit's answer as JSON; asserts success (or failure, with ``expect_ok=False``)."""
        env = dict(os.environ, TOOLKIT_BASE_URL=self.base_url, TWILIO_USERNAME=DEFAULT_ACCOUNT_SID, TWILIO_PASSWORD=DEFAULT_AUTH_TOKEN)
        for name in ('HTTP_PROXY', 'HTTPS_PROXY', 'TWILIO_EDGE', 'TWILIO_REGION', 'DEBUG'):
            env.pop(name, None)
        proc = subprocess.run(['node', str(RUNNER), command, json.dumps(options)], cwd=HERE, env=env, capture_output=True, text=True, timeout=120, check=False)
        assert (proc.returncode == 0) == expect_ok, 'toolkit.js %s exited %d\nstdout: %s\nstderr: %s' % (command, proc.returncode, proc.stdout, proc.stderr)
        return json.loads(proc.stdout.strip().splitlines()[-1])

    def deploy(self, expect_ok=True, **overrides):
        """``deployLocalProject`` of the example app (the Toolkit reads the tree, then calls ``deployProject``)."""
        options = {
            'cwd': str(APP),
            'serviceName': SERVICE,
            'functionsEnv': 'dev',
            'env': {'STATUS_GREETING': 'hello from the toolkit'},
            'pkgJson': json.loads((APP / 'package.json').read_text(encoding='utf-8')),
            'runtime': 'node22',
            'overrideExistingService': True,
        }
        options.update(overrides)
        return self.run('deploy', options, expect_ok)

    def list(self, service_sid, environment='dev'):
        """The Toolkit's ``list`` of every type for one environment."""
        return self.run('list', {'serviceSid': service_sid, 'environment': environment, 'types': LIST_TYPES})


@pytest.fixture(scope='module')
def emulator():
    """An emulator with Twilio's defaults (unknown parameters ignored, builds take 500 ms)."""
    if shutil.which('node') is None:
        pytest.fail('node is not on PATH: the Toolkit conformance test needs Node.js 20 or later')
    if not (HERE / 'node_modules' / '@twilio-labs' / 'serverless-api').is_dir():
        pytest.fail('the Toolkit is not installed: run make toolkit (npm ci in tests/toolkit)')
    with Emulator() as emu:
        yield emu


@pytest.fixture
def toolkit(emulator):
    emulator.reset(faults=True, config=True)
    return Toolkit(emulator.base_url)


def api_get(emulator, path):
    """GET on the emulator as the Toolkit's account."""
    import requests  # pylint: disable=import-outside-toplevel

    response = requests.get(emulator.base_url + path, auth=(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()


def writes(emulator):
    """The write requests of the request log, as (method, path without SIDs)."""
    shapes = []
    for entry in emulator.request_log():
        if entry['method'] != 'GET':
            parts = ['{sid}' if len(part) == 34 and part[:2].isalpha() else part for part in entry['path'].split('/')]
            shapes.append((entry['method'], '/'.join(parts), entry['status']))
    return shapes


def test_the_toolkit_deploys_the_example_app_and_lists_what_it_deployed(toolkit, emulator):
    deployed = toolkit.deploy()
    assert deployed['serviceName'] == SERVICE and deployed['runtime'] == 'node22'
    assert sorted((fn['path'], fn['access']) for fn in deployed['functionResources']) == [('/status', 'protected')]
    assert sorted((asset['path'], asset['access']) for asset in deployed['assetResources']) == [('/status.html', 'public')]
    service = '/serverless/v1/Services/' + deployed['serviceSid']

    # What the Toolkit sent: one upload per file on the upload product, one build, one deployment, no error.
    assert writes(emulator) == [
        ('POST', '/serverless/v1/Services', 201),
        ('POST', '/serverless/v1/Services/{sid}/Environments', 201),
        ('POST', '/serverless/v1/Services/{sid}/Functions', 201),
        ('POST', '/serverless-upload/v1/Services/{sid}/Functions/{sid}/Versions', 201),
        ('POST', '/serverless/v1/Services/{sid}/Assets', 201),
        ('POST', '/serverless-upload/v1/Services/{sid}/Assets/{sid}/Versions', 201),
        ('POST', '/serverless/v1/Services/{sid}/Builds', 201),
        ('POST', '/serverless/v1/Services/{sid}/Environments/{sid}/Variables', 201),
        ('POST', '/serverless/v1/Services/{sid}/Environments/{sid}/Deployments', 201),
    ]
    create_env = [e for e in emulator.request_log() if e['method'] == 'POST' and e['path'].endswith('/Environments')]
    assert create_env[0]['unknown_params'] == ['FriendlyName'], 'Twilio ignores the FriendlyName the Toolkit sends; the log names it'
    polls = [e for e in emulator.request_log() if e['path'].endswith('/Status')]
    assert len(polls) >= 2, 'the build was still building at the first poll (build_delay_ms), so the Toolkit polled again'

    # What the emulator holds: the build is live in the Toolkit's environment, with the app's files.
    env = api_get(emulator, '%s/Environments/%s' % (service, deployed['environmentSid']))
    assert (env['unique_name'], env['domain_suffix'], env['build_sid']) == ('dev-environment', 'dev', deployed['buildSid'])
    assert env['domain_name'] == deployed['domain']
    build = api_get(emulator, '%s/Builds/%s' % (service, deployed['buildSid']))
    assert build['status'] == 'completed' and build['runtime'] == 'node22'
    assert {(dep['name'], dep['version']) for dep in build['dependencies']} >= {('@twilio/runtime-handler', '2.1.2')}
    assert 'twilio' in {dep['name'] for dep in build['dependencies']}, 'Twilio adds twilio to every build'
    (version,) = build['function_versions']
    assert (version['path'], version['visibility'].lower()) == ('/status', 'protected')
    source = api_get(emulator, version['links']['function_version_content'].split(emulator.base_url, 1)[1])
    assert source['content'] == (APP / 'functions' / 'status.protected.js').read_text(encoding='utf-8'), 'the upload reached /Content intact'
    (asset,) = build['asset_versions']
    assert (asset['path'], asset['visibility'].lower()) == ('/status.html', 'public')

    # What the Toolkit reads back through its own `list`.
    listed = toolkit.list(deployed['serviceSid'])
    assert [(e['unique_name'], e['build_sid']) for e in listed['environments']] == [('dev-environment', deployed['buildSid'])]
    assert [(b['sid'], b['status']) for b in listed['builds']] == [(deployed['buildSid'], 'completed')]
    assert [(f['path'], f['visibility'].lower()) for f in listed['functions']['entries']] == [('/status', 'protected')]
    assert [(a['path'], a['visibility'].lower()) for a in listed['assets']['entries']] == [('/status.html', 'public')]
    assert [(v['key'], v['value']) for v in listed['variables']['entries']] == [('STATUS_GREETING', 'hello from the toolkit')]


def test_a_second_toolkit_deploy_uploads_every_file_again(toolkit, emulator):
    """The Toolkit's own sequence, the baseline serverless_deploy improves on: no change detection."""
    first = toolkit.deploy()
    emulator.clear_request_log()
    second = toolkit.deploy()
    assert second['serviceSid'] == first['serviceSid'] and second['buildSid'] != first['buildSid']
    shapes = [shape[:2] for shape in writes(emulator)]
    assert shapes.count(('POST', '/serverless-upload/v1/Services/{sid}/Functions/{sid}/Versions')) == 1
    assert shapes.count(('POST', '/serverless-upload/v1/Services/{sid}/Assets/{sid}/Versions')) == 1
    assert shapes.count(('POST', '/serverless/v1/Services/{sid}/Builds')) == 1
    assert shapes.count(('POST', '/serverless/v1/Services/{sid}/Environments/{sid}/Deployments')) == 1
    assert ('POST', '/serverless/v1/Services/{sid}/Functions') not in shapes, 'the Toolkit found its Function by friendly_name == path'
    env = api_get(emulator, '/serverless/v1/Services/%s/Environments/%s' % (second['serviceSid'], second['environmentSid']))
    assert env['build_sid'] == second['buildSid']


def test_a_failed_build_fails_the_toolkit_deploy_and_keeps_what_is_live(toolkit, emulator):
    first = toolkit.deploy()
    emulator.serverless.configure({'build_fault': 'failed', 'build_fault_next': 1})
    emulator.clear_request_log()
    answer = toolkit.deploy(expect_ok=False)
    assert 'failed' in json.dumps(answer)
    assert not [entry for entry in emulator.request_log() if entry['path'].endswith('/Deployments') and entry['method'] == 'POST'], 'nothing deployed'
    env = api_get(emulator, '/serverless/v1/Services/%s/Environments/%s' % (first['serviceSid'], first['environmentSid']))
    assert env['build_sid'] == first['buildSid'], 'the environment keeps serving the build it served'


def run_serverless_deploy(emulator, args):
    """chatops.twilio.serverless_deploy as Ansible runs it (python -m, arguments on stdin), from the staged collection."""
    import sys  # pylint: disable=import-outside-toplevel

    build = ROOT / 'build'
    if not (build / 'ansible_collections' / 'chatops' / 'twilio').is_dir():
        pytest.fail('the collection is not staged: run make stage (make toolkit does)')
    full = dict(args, account_sid=DEFAULT_ACCOUNT_SID, auth_token=DEFAULT_AUTH_TOKEN, api_base_url=emulator.base_url + '/{product}')
    env = {k: v for k, v in os.environ.items() if not k.startswith(('TWILIO_', 'ANSIBLE_'))}
    env['PYTHONPATH'] = str(build)
    proc = subprocess.run(
        [sys.executable, '-m', 'ansible_collections.chatops.twilio.plugins.modules.serverless_deploy'],
        input=json.dumps({'ANSIBLE_MODULE_ARGS': full}),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return proc.returncode, json.loads(proc.stdout.strip().splitlines()[-1])


def test_serverless_deploy_takes_over_the_toolkit_environment_and_the_toolkit_lists_it(toolkit, emulator):
    """A project moves from the Toolkit to Ansible: serverless_deploy compares the Toolkit's Function and public Asset
    with the tree, uploads neither, makes one build of the Toolkit's versions (on another runtime), then re-runs with no
    write; the Toolkit's ``list`` reads back what serverless_deploy deployed."""
    first = toolkit.deploy()
    emulator.clear_request_log()
    built = api_get(emulator, '/serverless/v1/Services/%s/Builds/%s' % (first['serviceSid'], first['buildSid']))
    args = dict(service=SERVICE, environment='dev-environment', source=str(APP), runtime='node20' if built['runtime'] != 'node20' else 'node22')
    code, result = run_serverless_deploy(emulator, args)
    assert code == 0, result
    # The Function compares equal through /Content, the public Asset with what the environment's domain serves (read
    # without the credentials): no upload. The runtime change makes one build of the same versions; CHATOPS_DEPLOY records it.
    assert result['changed'] is True and result['uploaded'] == [] and sorted(result['reused']) == ['/status', '/status.html']
    domain = [e for e in emulator.request_log() if e['path'].startswith('/serverless-domains/')]
    assert [(e['path'].rsplit('/', 1)[-1], e['status'], e['authorization']) for e in domain] == [('status.html', 200, False)]
    shapes = [shape[:2] for shape in writes(emulator)]
    assert not [shape for shape in shapes if shape[1].startswith('/serverless-upload/')]
    assert shapes.count(('POST', '/serverless/v1/Services/{sid}/Builds')) == 1
    assert (
        result['functions']['/status']['version_sid']
        == [v['sid'] for v in api_get(emulator, '/serverless/v1/Services/%s/Builds/%s' % (first['serviceSid'], first['buildSid']))['function_versions']][0]
    )

    emulator.clear_request_log()
    code, again = run_serverless_deploy(emulator, args)
    assert code == 0 and again['changed'] is False and writes(emulator) == [], 'the second run sends no write'

    listed = toolkit.list(first['serviceSid'], environment='dev')
    assert [(e['unique_name'], e['build_sid']) for e in listed['environments']] == [('dev-environment', result['build_sid'])]
    assert [(f['path'], f['visibility'].lower()) for f in listed['functions']['entries']] == [('/status', 'protected')]
    assert [(a['path'], a['visibility'].lower()) for a in listed['assets']['entries']] == [('/status.html', 'public')]
    assert sorted(v['key'] for v in listed['variables']['entries']) == ['CHATOPS_DEPLOY', 'STATUS_GREETING']
