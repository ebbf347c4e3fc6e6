# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fixtures that run a module against the in-process Twilio emulator (tests/emulator, on PYTHONPATH in make units).

The Functions code routes (uploads, builds, /Content) are the emulator's; a module test here proves the requests
from the emulator's request log rather than from a hand-written fake.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

twilio_emulator = pytest.importorskip('twilio_emulator')

from ansible_collections.chatops.twilio.tests.unit.plugins.emulator_run import module_runner  # noqa: E402 pylint: disable=wrong-import-position

ACCOUNT_SID = twilio_emulator.DEFAULT_ACCOUNT_SID
AUTH_TOKEN = twilio_emulator.DEFAULT_AUTH_TOKEN


@pytest.fixture(scope='module')
def emulator_server():
    emu = twilio_emulator.Emulator(strict_params=True)
    emu.start()
    yield emu
    emu.stop()


@pytest.fixture
def emu(emulator_server):
    emulator_server.reset(faults=True, config=True)
    emulator_server.serverless.configure({'build_delay_ms': 50})
    yield emulator_server
    emulator_server.clear_faults()


def writes(log):
    return [e for e in log if e['method'] != 'GET']


@pytest.fixture
def run_emulated(emu, capsys, monkeypatch):
    """run_emulated(main, args, check=False, diff=False) -> (exit code, result), against ``emu`` (the log kept, real time)."""
    return module_runner(emu, capsys, monkeypatch, defaults={'retry_timeout': 5}, clear_log=False, patch_sleep=False)


def make_service(emu, unique_name='app', environments=('dev',)):
    """A service and its environments, made over HTTP; returns (service, {name: environment})."""
    import requests

    base = emu.base_url + '/serverless/v1/Services'
    auth = (ACCOUNT_SID, AUTH_TOKEN)
    service = requests.post(base, data={'UniqueName': unique_name, 'FriendlyName': unique_name}, auth=auth, timeout=10).json()
    envs = {}
    for name in environments:
        envs[name] = requests.post('%s/%s/Environments' % (base, service['sid']), data={'UniqueName': name, 'DomainSuffix': name}, auth=auth, timeout=10).json()
    emu.request_log(clear=True)
    return service, envs
