# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from unittest import mock

import pytest

from ansible.module_utils.common import warnings as core_warnings
from ansible.module_utils.testing import patch_module_args

from ansible_collections.chatops.twilio.plugins.module_utils._client import TwilioClient
from ansible_collections.chatops.twilio.tests.unit.plugins.fake_conversations import FakeConversations
from ansible_collections.chatops.twilio.tests.unit.plugins.fake_serverless import FakeServerless
from ansible_collections.chatops.twilio.tests.unit.plugins.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

CLIENT = 'ansible_collections.chatops.twilio.plugins.module_utils._client'


# ---- one fixture per fake Twilio -----------------------------------------------------------------


@pytest.fixture
def chat_fake():
    """A fresh FakeTwilio: Chat Services, v1 and v2."""
    return FakeTwilio()


@pytest.fixture
def conversations_fake():
    """A fresh FakeConversations: Conversations Services with their settings, and the account's configuration."""
    return FakeConversations()


@pytest.fixture
def serverless_fake():
    """A fresh FakeServerless: Functions (Serverless) Services and their Environments."""
    return FakeServerless()


@pytest.fixture
def fake(request):
    """The fake Twilio that every client built during the test talks to.

    It is the fixture that the test module names in ``FAKE`` (``FAKE = 'serverless_fake'``), ``chat_fake`` by default.
    """
    twilio = request.getfixturevalue(getattr(request.module, 'FAKE', 'chat_fake'))
    with mock.patch(CLIENT + '.requests.Session', return_value=twilio):
        yield twilio


@pytest.fixture
def sleeps():
    """time.sleep patched out; the list of requested delays."""
    delays = []
    with mock.patch(CLIENT + '.time.sleep', side_effect=delays.append):
        yield delays


@pytest.fixture
def run_module(fake, sleeps, capsys, monkeypatch):
    """run_module(main, args, check=False, diff=False) -> (exit code, parsed result)."""
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
def client(sleeps, chat_fake):
    """A TwilioClient on a fresh FakeTwilio (``client.fake``), collecting its warnings (``client.warnings``)."""
    warnings = []
    api = TwilioClient(ACCOUNT_SID, AUTH_TOKEN, account_sid=ACCOUNT_SID, warn=warnings.append, session=chat_fake, retries=3, retry_timeout=60)
    api.fake, api.warnings = chat_fake, warnings
    return api
