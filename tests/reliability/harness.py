# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Shared harness of the reliability tests and the benchmarks.

Starts the Twilio emulator in-process, talks to its control endpoints, stages the
collection, and runs ``ansible-playbook`` or a module directly in a subprocess with
the emulator's connection settings. Used by ``tests/reliability/test_*.py`` and
``bench/run.py``; it needs nothing outside the project's venv.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter

import requests

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PYTHON = sys.executable
BIN = os.path.dirname(PYTHON)
CALLBACK_DIR = os.path.join(HERE, 'callback_plugins')
PAGE_SIZE = 100
# The harness lists services with this page size, so its own GETs can be told apart from the
# modules' (which use 100) and left out of requests_log().
HARNESS_PAGE_SIZE = 99
WRITE_METHODS = ('POST', 'DELETE')
TRACEBACK_RE = re.compile(r'Traceback \(most recent call last\)')


def collections_path():
    """The directory to put in ANSIBLE_COLLECTIONS_PATH (the parent of ``ansible_collections``).

    Inside a staged copy (``build/ansible_collections/chatops/twilio``) that is the copy's
    ``build``; in the checkout the collection is staged first with ``hacking/stage.py``.
    """
    parts = ROOT.split(os.sep)
    if len(parts) > 3 and parts[-3:-1] == ['ansible_collections', 'chatops'] and parts[-1] == 'twilio':
        return os.sep.join(parts[:-3])
    build = os.path.join(ROOT, 'build')
    subprocess.run([PYTHON, os.path.join(ROOT, 'hacking', 'stage.py'), ROOT, os.path.join(build, 'ansible_collections', 'chatops', 'twilio')], check=True)
    return build


SUMMARY_FILE = os.path.join(ROOT, 'tests', 'output', 'reliability-summary.txt')


def report(line):
    """Print a figure and keep it for the end-of-session summary (shown even under pytest-xdist)."""
    print(line)
    os.makedirs(os.path.dirname(SUMMARY_FILE), exist_ok=True)
    with open(SUMMARY_FILE, 'a') as handle:
        handle.write(line.strip('\n') + '\n')


# ---- the emulator ------------------------------------------------------------------------------


class EmulatorHandle(object):
    """An in-process emulator plus a client for its control endpoints and its test account."""

    def __init__(self, account=None):
        """``account``: ``{"account_sid", "auth_token", "api_key", "api_secret"}`` (default: the emulator's)."""
        emulator_dir = os.path.join(ROOT, 'tests', 'emulator')
        if emulator_dir not in sys.path:
            sys.path.insert(0, emulator_dir)
        import twilio_emulator  # pylint: disable=import-error,import-outside-toplevel

        account = dict(account or {})
        self.account_sid = account.get('account_sid', twilio_emulator.DEFAULT_ACCOUNT_SID)
        self.auth_token = account.get('auth_token', twilio_emulator.DEFAULT_AUTH_TOKEN)
        self.api_key = account.get('api_key', twilio_emulator.DEFAULT_API_KEY)
        self.api_secret = account.get('api_secret', twilio_emulator.DEFAULT_API_SECRET)
        accounts = [{'account_sid': self.account_sid, 'auth_token': self.auth_token, 'api_keys': [{'sid': self.api_key, 'secret': self.api_secret}]}]
        self.emulator = twilio_emulator.Emulator(accounts=accounts, strict_params=True)
        self.url = self.emulator.start().rstrip('/')
        self.api_base_url = self.url + '/{product}'
        self.session = requests.Session()

    def stop(self):
        self.session.close()
        self.emulator.stop()

    # control endpoints (not logged by the emulator)

    def _control(self, method, path, payload=None):
        # the emulator takes control requests only as JSON (a web page cannot send one without a CORS preflight)
        headers = {'Content-Type': 'application/json'}
        response = self.session.request(method, self.url + '/__emulator/' + path, json=payload, headers=headers, timeout=30)
        response.raise_for_status()
        return response.json() if response.content else None

    def requests_log(self, include_harness=False):
        """The emulator's request log, without the harness's own listings (PageSize=99)."""
        log = self._control('GET', 'requests')['requests']
        if include_harness:
            return log
        return [e for e in log if not (e['method'] == 'GET' and 'PageSize=%d' % HARNESS_PAGE_SIZE in (e['query'] or ''))]

    def clear_log(self):
        self._control('DELETE', 'requests')

    def faults(self, **spec):
        """Inject faults: rate, kinds, next, latency_ms, seed (see docs/architecture.md)."""
        return self._control('POST', 'faults', spec)

    def clear_faults(self):
        self._control('DELETE', 'faults')

    def reset(self, faults=False):
        """No services and an empty request log (and no faults with ``faults``)."""
        self._control('POST', 'reset', {'faults': True} if faults else None)

    def age(self, seconds=3600):
        """Move every record's dates ``seconds`` into the past (setup services are not fresh creates)."""
        return self._control('POST', 'age', {'seconds': seconds})

    def config(self, **settings):
        return self._control('POST', 'config', settings)

    # the Chat API as the test account (these calls ARE logged)

    def api(self, method, path, version='v2', data=None, params=None, auth=None):
        response = self.session.request(
            method,
            '%s/chat/%s/%s' % (self.url, version, path.lstrip('/')),
            data=data,
            params=params,
            timeout=30,
            auth=auth or (self.account_sid, self.auth_token),
        )
        response.raise_for_status()
        return response.json() if response.content else None

    def default_sid(self):
        """The SID of the account's default Conversations Service, which Twilio (and the emulator) make with the account
        (from the emulator's state: no request)."""
        return self.emulator.store.accounts[self.account_sid].conversations_settings['default_chat_service_sid']

    def services(self, version='v2', include_default=False):
        """Every Chat service of the test account, following next_page_url (not in requests_log()).

        The account's default Conversations Service is left out unless ``include_default``: it is there before any test
        and no module may delete it, which every call checks (an AssertionError when it is gone).
        """
        records = self._services(version)
        default_sid = self.default_sid()
        if [r['sid'] for r in records].count(default_sid) != 1:
            raise AssertionError("the account's default Conversations Service %s is gone" % default_sid)
        return records if include_default else [r for r in records if r['sid'] != default_sid]

    def _services(self, version):
        records = []
        url = '%s/chat/%s/Services?PageSize=%d' % (self.url, version, HARNESS_PAGE_SIZE)
        pages = 0
        while url:
            response = self.session.get(url, auth=(self.account_sid, self.auth_token), timeout=30)
            response.raise_for_status()
            body = response.json()
            records.extend(body[body['meta']['key']])
            url = body['meta'].get('next_page_url')
            pages += 1
            if pages > 1000:
                raise AssertionError('emulator paging does not end')
        return records

    def create_service(self, name, version='v2', **form):
        service = self.api('POST', 'Services', version, data={'FriendlyName': name})
        if form:
            service = self.api('POST', 'Services/' + service['sid'], version, data=form)
        return service

    def seed_services(self, count, prefix='filler', version='v2'):
        """Create ``count`` services named ``<prefix>-00001``... (then clear the log)."""
        for index in range(count):
            self.api('POST', 'Services', version, data={'FriendlyName': '%s-%05d' % (prefix, index + 1)})
        self.clear_log()


def duplicates(services):
    """{friendly_name: count} of names held by more than one service."""
    counts = Counter(s['friendly_name'] for s in services)
    return {name: n for name, n in counts.items() if n > 1}


def writes(log):
    """The POST/DELETE requests of a request log."""
    return [e for e in log if e['method'] in WRITE_METHODS]


def count_requests(log):
    """Counter of 'METHOD kind' for a request log (kind: list, fetch, create, update, delete)."""
    counts = Counter()
    for entry in log:
        counts[request_kind(entry)] += 1
    return counts


def request_kind(entry):
    path = entry['path'].rstrip('/')
    is_collection = path.endswith('/Services')
    if entry['method'] == 'GET':
        return 'list' if is_collection else 'fetch'
    if entry['method'] == 'POST':
        return 'create' if is_collection else 'update'
    if entry['method'] == 'DELETE':
        return 'delete'
    return entry['method'].lower()


def pages_for(count):
    """GETs a full listing of ``count`` services needs at PageSize=100 (at least 1)."""
    return max(1, int(math.ceil(count / float(PAGE_SIZE))))


# ---- running Ansible ---------------------------------------------------------------------------


class Run(object):
    """Outcome of one subprocess run of ansible-playbook or a module."""

    def __init__(self, argv, rc, stdout, stderr, duration, results=None, result=None):
        self.argv = argv
        self.rc = rc
        self.stdout = stdout
        self.stderr = stderr
        self.duration = duration
        self.results = results or []
        self.result = result

    @property
    def output(self):
        return self.stdout + self.stderr

    def task_results(self, action=None, status=None):
        found = [r for r in self.results if 'task' in r]
        if action:
            found = [r for r in found if r['action'] in (action if isinstance(action, (list, tuple)) else (action,))]
        if status:
            found = [r for r in found if r['status'] in (status if isinstance(status, (list, tuple)) else (status,))]
        return found

    def describe(self):
        return 'rc=%s argv=%s\n--- stdout (tail)\n%s\n--- stderr (tail)\n%s' % (self.rc, ' '.join(self.argv), self.stdout[-4000:], self.stderr[-4000:])


def base_env(emulator, credentials='env', extra=None, pin_base_url=True):
    """Environment for ansible-playbook / modules against ``emulator``.

    ``credentials='env'`` exports the test account as TWILIO_ACCOUNT_SID / TWILIO_AUTH_TOKEN (what
    the modules fall back to); ``None`` exports no credentials. TWILIO_API_BASE_URL always points at
    the emulator (unless ``pin_base_url`` is false), so no run can ever reach a real Twilio host.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(('TWILIO_', 'ANSIBLE_'))}
    env.update(
        {
            'PATH': BIN + os.pathsep + env.get('PATH', '/usr/bin:/bin'),
            'ANSIBLE_COLLECTIONS_PATH': collections_path(),
            'ANSIBLE_CALLBACK_PLUGINS': CALLBACK_DIR,
            'ANSIBLE_CALLBACKS_ENABLED': 'reliability_log',
            'ANSIBLE_STDOUT_CALLBACK': 'default',
            'ANSIBLE_PYTHON_INTERPRETER': PYTHON,
            'ANSIBLE_RETRY_FILES_ENABLED': 'false',
            'ANSIBLE_HOST_KEY_CHECKING': 'false',
            'ANSIBLE_LOCALHOST_WARNING': 'false',
            'ANSIBLE_INVENTORY_UNPARSED_WARNING': 'false',
            'ANSIBLE_NOCOLOR': '1',
            'ANSIBLE_FORCE_COLOR': '0',
            'ANSIBLE_CONFIG': os.path.join(HERE, 'ansible.cfg'),
            'PYTHONDONTWRITEBYTECODE': '1',
        }
    )
    if pin_base_url:
        env['TWILIO_API_BASE_URL'] = emulator.api_base_url
    if credentials == 'env':
        env.update(
            {
                'TWILIO_ACCOUNT_SID': emulator.account_sid,
                'TWILIO_AUTH_TOKEN': emulator.auth_token,
            }
        )
    env.update(extra or {})
    return {k: v for k, v in env.items() if v is not None}


class PlaybookProcess(object):
    """ansible-playbook started in the background; :meth:`wait` returns its :class:`Run`.

    Task results are recorded by the test-only reliability_log callback (JSON lines).
    """

    def __init__(self, playbook, env, extra_vars=None, inventory=None, args=(), timeout=600, cwd=None):
        self._tmp = tempfile.TemporaryDirectory(prefix='reliability-')
        tmp = self._tmp.name
        self._log_path = os.path.join(tmp, 'results.jsonl')
        self.argv = [os.path.join(BIN, 'ansible-playbook'), playbook]
        if inventory:
            self.argv += ['-i', inventory]
        else:
            self.argv += ['-i', 'localhost,', '-c', 'local']
        if extra_vars:
            vars_path = os.path.join(tmp, 'extra_vars.json')
            with open(vars_path, 'w') as handle:
                json.dump(extra_vars, handle)
            self.argv += ['-e', '@' + vars_path]
        self.argv += list(args)
        self.timeout = timeout
        self._out = open(os.path.join(tmp, 'stdout'), 'w+')  # pylint: disable=consider-using-with
        self._err = open(os.path.join(tmp, 'stderr'), 'w+')  # pylint: disable=consider-using-with
        self.start = time.monotonic()
        self.proc = subprocess.Popen(
            self.argv,
            env=dict(env, RELIABILITY_RESULT_LOG=self._log_path),  # pylint: disable=consider-using-with
            stdout=self._out,
            stderr=self._err,
            stdin=subprocess.DEVNULL,
            text=True,
            cwd=cwd or HERE,
        )

    def wait(self):
        try:
            rc = self.proc.wait(timeout=max(1, self.timeout - (time.monotonic() - self.start)))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = 'timeout after %ss' % self.timeout
        duration = time.monotonic() - self.start
        outputs = []
        for handle in (self._out, self._err):
            handle.seek(0)
            outputs.append(handle.read())
            handle.close()
        results = []
        if os.path.exists(self._log_path):
            with open(self._log_path) as handle:
                results = [json.loads(line) for line in handle if line.strip()]
        self._tmp.cleanup()
        return Run(self.argv, rc, outputs[0], outputs[1], duration, results=results)


def run_playbook(playbook, env, extra_vars=None, inventory=None, args=(), timeout=600, cwd=None):
    """ansible-playbook in a subprocess, waited for; see :class:`PlaybookProcess`."""
    return PlaybookProcess(playbook, env, extra_vars, inventory, args, timeout, cwd).wait()


def run_module(module, args, env, timeout=120):
    """Run ``chatops.twilio.<module>`` directly (python -m) with ``args``; Run.result is its JSON result."""
    argv = [PYTHON, '-m', 'ansible_collections.chatops.twilio.plugins.modules.' + module]
    run_env = dict(env, PYTHONPATH=collections_path())
    start = time.monotonic()
    proc = subprocess.run(argv, env=run_env, input=json.dumps({'ANSIBLE_MODULE_ARGS': args}), capture_output=True, text=True, timeout=timeout, check=False)
    duration = time.monotonic() - start
    result = None
    for line in reversed(proc.stdout.strip().splitlines()):
        line = line.strip()
        if line.startswith('{'):
            try:
                result = json.loads(line)
            except ValueError:
                continue
            break
    return Run(argv, proc.returncode, proc.stdout, proc.stderr, duration, result=result)


def connection_args(emulator, **extra):
    """Explicit connection options for the emulator's test account (no environment needed)."""
    args = {
        'account_sid': emulator.account_sid,
        'auth_token': emulator.auth_token,
        'api_base_url': emulator.api_base_url,
    }
    args.update(extra)
    return args


def write_inventory(path, hosts, group='services', host_vars=None):
    """An INI-free YAML inventory of local-connection hosts (aliases of localhost)."""
    body = {'all': {'children': {group: {'hosts': {}}}}}
    for host in hosts:
        entry = {'ansible_connection': 'local', 'ansible_python_interpreter': PYTHON}
        entry.update((host_vars or {}).get(host, {}))
        body['all']['children'][group]['hosts'][host] = entry
    with open(path, 'w') as handle:
        json.dump(body, handle, indent=1)
    return path
