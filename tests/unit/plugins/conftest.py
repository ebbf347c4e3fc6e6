# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

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
    for var in ('TWILIO_ACCOUNT_SID', 'TWILIO_AUTH_TOKEN', 'TWILIO_API_KEY', 'TWILIO_API_SECRET', 'TWILIO_API_BASE_URL', 'TWILIO_REGION', 'TWILIO_EDGE'):
        monkeypatch.delenv(var, raising=False)

    def runner(main, args, check=False, diff=False, credentials=True):
        full = dict(args)
        if credentials:
            full.setdefault('account_sid', ACCOUNT_SID)
            full.setdefault('auth_token', AUTH_TOKEN)
        full['_ansible_check_mode'] = check
        full['_ansible_diff'] = diff
        # Module warnings are process-global in ansible-core: start each run without the last one's.
        for store in ('_global_warnings', '_global_deprecations'):
            getattr(core_warnings, store, {}).clear()
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
