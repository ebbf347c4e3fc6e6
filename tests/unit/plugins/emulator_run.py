# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fixtures that run a module against the in-process emulator (tests/emulator, on the path of every unit run).

A test module imports the fixtures it uses: ``emulator`` (one per test module), ``emu`` (reset for the test),
``api`` (the test's own setup requests), ``run`` (runs a module's main, the request log cleared first),
and reads what the module sent with ``sent`` and ``writes``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import json
from unittest import mock

import pytest
import requests

from ansible.module_utils.common import warnings as core_warnings
from ansible.module_utils.testing import patch_module_args

from twilio_emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator

CLIENT = 'ansible_collections.chatops.twilio.plugins.module_utils._client'


@pytest.fixture(scope='module')
def emulator():
    emu = Emulator()
    emu.start()
    yield emu
    emu.stop()


@pytest.fixture
def emu(emulator):
    emulator.reset(faults=True, config=True)
    return emulator


@pytest.fixture
def api(emu):
    """(method, path, data) -> JSON answer, as the emulator's account: the test's own setup, outside the module."""
    session = requests.Session()
    session.auth = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)

    def call(method, path, data=None):
        answer = session.request(method, emu.base_url + path, data=data)
        assert answer.status_code < 300, answer.text
        return answer.json() if answer.content else None

    yield call
    session.close()


def module_runner(emu, capsys, monkeypatch, defaults=None, clear_log=True, patch_sleep=True):
    """run(main, args, check=False, diff=False) -> (exit code, result) against ``emu``, as the emulator's account.

    ``defaults``: module options a test may override; ``clear_log``: the request log is cleared before each run;
    ``patch_sleep``: the client's back-off sleeps take no time (a test of build polling keeps real time).
    """
    for var in ('TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_API_KEY', 'TWILIO_API_SECRET', 'TWILIO_API_BASE_URL', 'TWILIO_REGION', 'TWILIO_EDGE'):
        monkeypatch.delenv(var, raising=False)

    def runner(main, args, check=False, diff=False):
        full = dict(defaults or {}, **args)
        full.update(account_sid=DEFAULT_ACCOUNT_SID, auth_token=DEFAULT_AUTH_TOKEN, api_base_url=emu.base_url + '/{product}')
        full['_ansible_check_mode'] = check
        full['_ansible_diff'] = diff
        for store in ('_global_warnings', '_global_deprecations'):
            getattr(core_warnings, store, {}).clear()
        if clear_log:
            emu.clear_request_log()
        with patch_module_args(full), mock.patch(CLIENT + '.time.sleep') if patch_sleep else contextlib.nullcontext():
            with pytest.raises(SystemExit) as exc:
                main()
        return exc.value.code, json.loads(capsys.readouterr().out)

    return runner


@pytest.fixture
def run(emu, capsys, monkeypatch):
    """run(main, args, check=False, diff=False) -> (exit code, result); the request log is cleared first."""
    return module_runner(emu, capsys, monkeypatch)


def sent(emu):
    return [(e['method'], e['path'].split('/', 2)[2]) for e in emu.request_log()]


def writes(emu):
    return [entry for entry in sent(emu) if entry[0] != 'GET']
