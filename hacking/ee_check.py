"""The collection as AWX / Automation Controller runs it: in an execution environment, through ansible-runner.

    python hacking/ee_check.py --tarball build/dist/chatops-twilio-X.Y.Z.tar.gz --build build/ee

1. Installs the built tarball (nothing else) into BUILD/collections.
2. ``ansible-builder introspect`` over it, the step an EE image build runs to collect Python
   requirements: the collection's ``meta/execution-environment.yml`` must bring in ``requests``.
3. ``ansible-builder create`` turns an EE definition that installs the tarball into a build
   context (BUILD/context); the context is checked: Containerfile stages, the tarball byte for
   byte, the galaxy requirements naming it, the pinned ansible-core and ansible-runner. No
   container engine runs here, so the image itself is not built.
4. ``chatops.twilio.provision`` runs twice through ansible-runner, with the example inventory
   and the emulator shipped in the installed tarball: the first run changes something, the
   second reports changed=0 and sends no write request.

Exit 1 with one line per failed check.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile

import yaml

BIN = os.path.dirname(sys.executable)
ANSIBLE_CORE = 'ansible-core==2.21.5'
ANSIBLE_RUNNER = 'ansible-runner==2.4.3'
BASE_IMAGE = 'quay.io/fedora/fedora:41'
CREDENTIAL_VARIABLES = ('TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_API_KEY', 'TWILIO_API_SECRET', 'TWILIO_API_BASE_URL', 'TWILIO_REGION', 'TWILIO_EDGE')


class Checks:
    """Collects failed checks; each check prints one line."""

    def __init__(self):
        self.failed = []

    def check(self, ok, what, detail=''):
        print('ee_check: %s %s%s' % ('ok  ' if ok else 'FAIL', what, (': ' + detail) if detail and not ok else ''))
        if not ok:
            self.failed.append(what)
        return ok


def run(*command, **kwargs):
    print('ee_check: $ %s' % ' '.join(command))
    return subprocess.run(command, check=True, text=True, **kwargs)


def sha256(path):
    with open(path, 'rb') as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def collection_version(tarball):
    with tarfile.open(tarball) as tar:
        return json.load(tar.extractfile('MANIFEST.json'))['collection_info']['version']


def install(tarball, collections):
    run(os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '--offline', '-p', collections, tarball)
    return os.path.join(collections, 'ansible_collections', 'chatops', 'twilio')


def introspect(checks, collections, build):
    written = os.path.join(build, 'introspected-requirements.txt')
    run(os.path.join(BIN, 'ansible-builder'), 'introspect', collections, '--write-pip', written, stdout=subprocess.DEVNULL)
    lines = []
    if os.path.exists(written):  # not written when introspect finds no requirement at all
        with open(written, encoding='utf-8') as handle:
            lines = [line.strip() for line in handle if line.strip()]
    checks.check(
        any(line.startswith('requests') and 'chatops.twilio' in line for line in lines),
        'meta/execution-environment.yml brings requests into an EE',
        repr(lines),
    )


def create_context(checks, tarball, build):
    source = os.path.join(build, 'definition')
    context = os.path.join(build, 'context')
    os.makedirs(source)
    name = os.path.basename(tarball)
    shutil.copy2(tarball, os.path.join(source, name))
    definition = {
        'version': 3,
        'images': {'base_image': {'name': BASE_IMAGE}},
        'dependencies': {
            'python_interpreter': {'package_system': 'python3', 'python_path': '/usr/bin/python3'},
            'ansible_core': {'package_pip': ANSIBLE_CORE},
            'ansible_runner': {'package_pip': ANSIBLE_RUNNER},
            'galaxy': {'collections': [{'name': '/build/collections/' + name, 'type': 'file'}]},
        },
        'additional_build_files': [{'src': name, 'dest': 'collections'}],
    }
    with open(os.path.join(source, 'execution-environment.yml'), 'w', encoding='utf-8') as handle:
        handle.write('---\n' + yaml.safe_dump(definition, sort_keys=False))
    run(
        os.path.join(BIN, 'ansible-builder'),
        'create',
        '-f',
        os.path.join(source, 'execution-environment.yml'),
        '-c',
        context,
        '--output-filename',
        'Containerfile',
    )
    containerfile_path = os.path.join(context, 'Containerfile')
    if not checks.check(os.path.isfile(containerfile_path), 'build context has a Containerfile'):
        return
    with open(containerfile_path, encoding='utf-8') as handle:
        containerfile = handle.read()
    for needle in (
        'EE_BASE_IMAGE="%s"' % BASE_IMAGE,
        'ANSIBLE_INSTALL_REFS="%s %s"' % (ANSIBLE_CORE, ANSIBLE_RUNNER),
        'ansible-galaxy collection install',
        'introspect.py introspect',
        'FROM base AS final',
    ):
        checks.check(needle in containerfile, 'Containerfile has %s' % needle)
    copied = os.path.join(context, '_build', 'collections', name)
    checks.check(os.path.isfile(copied) and sha256(copied) == sha256(tarball), 'context holds the built tarball, byte for byte')
    with open(os.path.join(context, '_build', 'requirements.yml'), encoding='utf-8') as handle:
        requirements = yaml.safe_load(handle)
    checks.check(
        requirements == {'collections': [{'name': '/build/collections/' + name, 'type': 'file'}]},
        'context galaxy requirements install exactly the tarball',
        repr(requirements),
    )
    checks.check(os.path.isfile(os.path.join(context, '_build', 'scripts', 'introspect.py')), 'context carries the introspect script the image build runs')


def runner_runs(checks, installed, collections, build):
    """Two runs of chatops.twilio.provision through ansible-runner against the shipped emulator."""
    import ansible_runner  # pylint: disable=import-outside-toplevel

    sys.path.insert(0, os.path.join(installed, 'tests', 'emulator'))
    from twilio_emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator  # pylint: disable=import-outside-toplevel

    checks.check(
        sys.modules['twilio_emulator'].__file__.startswith(installed), 'emulator imported from the installed tarball', sys.modules['twilio_emulator'].__file__
    )

    private = os.path.join(build, 'runner')
    os.makedirs(os.path.join(private, 'project'))
    os.makedirs(os.path.join(private, 'env'))
    shutil.copytree(os.path.join(installed, 'playbooks', 'inventory'), os.path.join(private, 'inventory'))
    for name in CREDENTIAL_VARIABLES:
        os.environ.pop(name, None)
    os.environ['PATH'] = BIN + os.pathsep + os.environ.get('PATH', '')  # ansible-playbook beside this Python
    with Emulator() as emulator:
        envvars = {
            'TWILIO_API_BASE_URL': emulator.base_url + '/{product}',
            'TWILIO_ACCOUNT_SID': DEFAULT_ACCOUNT_SID,
            'TWILIO_AUTH_TOKEN': DEFAULT_AUTH_TOKEN,
            'ANSIBLE_COLLECTIONS_PATH': collections,
        }
        with open(os.path.join(private, 'env', 'envvars'), 'w', encoding='utf-8') as handle:
            yaml.safe_dump(envvars, handle)
        for attempt in (1, 2):
            emulator.clear_request_log()
            result = ansible_runner.run(private_data_dir=private, playbook='chatops.twilio.provision', inventory=os.path.join(private, 'inventory'), quiet=True)
            stats = result.stats or {}
            changed = sum((stats.get('changed') or {}).values())
            writes = [r for r in emulator.request_log() if r['method'] in ('POST', 'DELETE')]
            task_paths = {
                e['event_data'].get('task_path', '').split(':')[0]
                for e in result.events
                if e.get('event') == 'runner_on_ok' and e['event_data'].get('task_path')
            }
            print('ee_check: run %d: status %s, rc %s, changed %d, write requests %d' % (attempt, result.status, result.rc, changed, len(writes)))
            succeeded = checks.check(
                result.status == 'successful' and result.rc == 0,
                'ansible-runner run %d succeeds' % attempt,
                '%s rc=%s, see %s/artifacts' % (result.status, result.rc, private),
            )
            checks.check(
                bool(task_paths) and all(p.startswith(installed) for p in task_paths),
                'run %d executes the installed tarball\'s role' % attempt,
                repr(sorted(task_paths)),
            )
            if attempt == 1:
                checks.check(changed > 0 and writes, 'first run provisions (changed > 0)', 'changed=%d' % changed)
            else:
                checks.check(
                    succeeded and changed == 0 and not writes, 'second run reports changed=0 and sends no write', 'changed=%d, writes=%r' % (changed, writes)
                )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', maxsplit=1)[0])
    parser.add_argument('--tarball', required=True)
    parser.add_argument('--build', required=True)
    args = parser.parse_args(argv)
    tarball, build = os.path.abspath(args.tarball), os.path.abspath(args.build)
    shutil.rmtree(build, ignore_errors=True)
    os.makedirs(build)
    checks = Checks()
    version = collection_version(tarball)
    collections = os.path.join(build, 'collections')
    # Only the tarball's install: not a staged copy or a user's collections (the Makefile points elsewhere).
    os.environ['ANSIBLE_COLLECTIONS_PATH'] = collections
    installed = install(tarball, collections)
    checks.check(os.path.isfile(os.path.join(installed, 'MANIFEST.json')), 'chatops.twilio %s installed from the tarball' % version)
    introspect(checks, collections, build)
    create_context(checks, tarball, build)
    runner_runs(checks, installed, collections, build)
    print('ee_check: %d checks failed' % len(checks.failed))
    return 1 if checks.failed else 0


if __name__ == '__main__':
    sys.exit(main())
