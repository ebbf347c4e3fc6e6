# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json
from unittest import mock

import pytest
import requests

from ansible.module_utils.common import warnings as core_warnings
from ansible.module_utils.testing import patch_module_args

from ansible_collections.chatops.twilio.plugins.module_utils._client import TwilioClient
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    EmulatedServerless,
    EmulatedTwilio,
    start_emulator,
)


CLIENT = 'ansible_collections.chatops.twilio.plugins.module_utils._client'
ENV_VARS = ('TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_API_KEY', 'TWILIO_API_SECRET', 'TWILIO_API_BASE_URL', 'TWILIO_REGION', 'TWILIO_EDGE')


def clear_global_warnings():
    """Module warnings are process-global in ansible-core: each run starts without the last one's."""
    for store in ('_global_warnings', '_global_deprecations'):
        getattr(core_warnings, store, {}).clear()


@pytest.fixture(scope='session')
def emulator():
    """The in-process Twilio emulator (tests/emulator), one for the session."""
    emu = start_emulator()
    yield emu
    emu.stop()


@pytest.fixture
def twilio(request, emulator):
    """The emulator, reset, as every HTTP session of the test reaches it (through the scripted stand-in), whatever
    the host: Twilio's hosts and an ``api_base_url`` all lead to it.

    A test module seeds Serverless Services with ``add()`` when it sets ``EMULATED = 'serverless'``, else
    Chat/Conversations services.
    """
    emulator.reset(faults=True, config=True)
    kind = EmulatedServerless if getattr(request.module, 'EMULATED', None) == 'serverless' else EmulatedTwilio
    double = kind(emulator)

    def request(session, method, url, **kwargs):
        return double.send(session, method, url, **kwargs)

    with mock.patch.object(requests.Session, 'request', request):
        yield double
    emulator.clear_faults()


@pytest.fixture
def emu(emulator):
    """The emulator, reset, reached over real HTTP with no stand-in in front (``api``, ``run`` and ``run_emulated``
    talk to it; ``sent``/``writes`` of emulated_twilio read what a module sent)."""
    emulator.reset(faults=True, config=True)
    yield emulator
    emulator.clear_faults()


@pytest.fixture
def api(emu):
    """(method, path, data) -> JSON answer, as the emulator's account: the test's own setup, outside the module."""
    session = requests.Session()
    session.auth = (ACCOUNT_SID, AUTH_TOKEN)

    def call(method, path, data=None):
        answer = session.request(method, emu.base_url + path, data=data, timeout=10)
        assert answer.status_code < 300, answer.text
        return answer.json() if answer.content else None

    yield call
    session.close()


def module_runner(emu, capsys, monkeypatch, defaults=None, clear_log=True, patch_sleep=True):
    """run(main, args, check=False, diff=False) -> (exit code, result) against ``emu``, as the emulator's account.

    ``defaults``: module options a test may override; ``clear_log``: the request log is cleared before each run;
    ``patch_sleep``: the client's back-off sleeps take no time (a test of build polling keeps real time).
    """
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)

    def runner(main, args, check=False, diff=False):
        full = dict(defaults or {}, **args)
        full.update(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, api_base_url=emu.base_url + '/{product}')
        full['_ansible_check_mode'] = check
        full['_ansible_diff'] = diff
        clear_global_warnings()
        if clear_log:
            emu.clear_request_log()
        with patch_module_args(full), mock.patch(CLIENT + '.time.sleep') if patch_sleep else contextlib.nullcontext():
            with pytest.raises(SystemExit) as exc:
                main()
        return exc.value.code, json.loads(capsys.readouterr().out)

    return runner


@pytest.fixture
def run(emu, capsys, monkeypatch):
    """run(main, args, check=False, diff=False) -> (exit code, result) against ``emu``; the request log cleared first."""
    return module_runner(emu, capsys, monkeypatch)


@pytest.fixture
def run_emulated(emu, capsys, monkeypatch):
    """run_emulated(main, args, check=False, diff=False) against ``emu`` with builds that take 50 ms: the log
    kept across runs and real sleeps (a deploy polls its build), ``retry_timeout`` 5 s unless given."""
    emu.serverless.configure({'build_delay_ms': 50})
    return module_runner(emu, capsys, monkeypatch, defaults={'retry_timeout': 5}, clear_log=False, patch_sleep=False)


@pytest.fixture
def fake(twilio):
    """The name module_utils' tests know ``twilio`` by."""
    return twilio


@pytest.fixture
def sleeps():
    """time.sleep patched out (the retry loop's waits); the list of requested delays."""
    delays = []
    with mock.patch('time.sleep', side_effect=delays.append):
        yield delays


@pytest.fixture
def run_module(twilio, sleeps, capsys, monkeypatch):
    """run_module(main, args, check=False, diff=False) -> (exit code, parsed result), against the emulator."""
    for var in ENV_VARS:
        monkeypatch.delenv(var, raising=False)

    def runner(main, args, check=False, diff=False, credentials=True):
        full = dict(args)
        if credentials:
            full.setdefault('account_sid', ACCOUNT_SID)
            full.setdefault('auth_token', AUTH_TOKEN)
        full['_ansible_check_mode'] = check
        full['_ansible_diff'] = diff
        clear_global_warnings()
        with patch_module_args(full):
            with pytest.raises(SystemExit) as exc:
                main()
        out = capsys.readouterr().out
        return exc.value.code, json.loads(out)

    return runner


@pytest.fixture
def client(sleeps, twilio):
    """A TwilioClient on the emulator (``client.fake``: the EmulatedTwilio), collecting its warnings (``client.warnings``)."""
    warnings = []
    api = TwilioClient(ACCOUNT_SID, AUTH_TOKEN, account_sid=ACCOUNT_SID, warn=warnings.append, session=requests.Session(), retries=3, retry_timeout=60)
    api.fake, api.warnings = twilio, warnings
    return api
