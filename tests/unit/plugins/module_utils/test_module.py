# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

import pytest

from ansible_collections.chatops.twilio.plugins.module_utils._client import TwilioConfigError
from ansible_collections.chatops.twilio.plugins.module_utils._module import connection_argument_spec, credentials
from ansible_collections.chatops.twilio.plugins.modules import (
    chat_service,
    chat_service_info,
    serverless_environment,
    serverless_service,
)
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import (
    ACCOUNT_SID,
    API_KEY,
    API_SECRET,
    AUTH_TOKEN,
    twilio_error,
    warning_texts,
)

KEY, SECRET = API_KEY, API_SECRET  # a key of the emulator's test account


def test_no_log_is_explicit_on_secret_looking_options():
    spec = connection_argument_spec()
    assert spec['auth_token']['no_log'] is True and spec['api_secret']['no_log'] is True
    assert spec['api_key']['no_log'] is False


@pytest.mark.parametrize(
    'params, expected',
    [
        ({'account_sid': ACCOUNT_SID, 'auth_token': 't'}, (ACCOUNT_SID, 't', ACCOUNT_SID)),
        ({'api_key': KEY, 'api_secret': 's'}, (KEY, 's', None)),
        ({'account_sid': ACCOUNT_SID, 'auth_token': 't', 'api_key': KEY, 'api_secret': 's'}, (KEY, 's', ACCOUNT_SID)),
    ],
)
def test_credentials(params, expected):
    assert credentials(params) == expected


@pytest.mark.parametrize(
    'params, words',
    [
        ({'account_sid': 'AC123', 'auth_token': 't'}, 'account_sid must match ^AC[0-9a-fA-F]{32}$'),
        ({'api_key': 'SKxyz', 'api_secret': 's'}, 'api_key must match ^SK[0-9a-fA-F]{32}$'),
        ({'api_key': KEY}, 'api_key needs api_secret'),
        ({'account_sid': ACCOUNT_SID, 'api_secret': 's'}, 'api_secret needs api_key'),
        ({'account_sid': ACCOUNT_SID}, 'no Twilio credentials'),
        ({}, 'no Twilio credentials'),
    ],
)
def test_credentials_rejected(params, words):
    with pytest.raises(TwilioConfigError) as exc:
        credentials(params)
    assert words in exc.value.message


def test_env_fallbacks_and_api_key_auth(run_module, fake, monkeypatch):
    monkeypatch.setenv('TWILIO_API_KEY', KEY)
    monkeypatch.setenv('TWILIO_API_SECRET', SECRET)
    monkeypatch.setenv('TWILIO_REGION', 'ie1')
    monkeypatch.setenv('TWILIO_EDGE', 'dublin')
    with pytest.MonkeyPatch.context() as patch:
        urls = []
        original = fake.request
        patch.setattr(fake, 'request', lambda method, url, **kw: urls.append(url) or original(method, url, **kw))
        code, result = run_module(chat_service_info.main, {}, credentials=False)
    assert code == 0 and fake.auth == (KEY, SECRET)
    assert urls[0] == 'https://chat.dublin.ie1.twilio.com/v2/Services'


def test_explicit_auth_token_wins_over_an_api_key_in_the_environment(run_module, fake, monkeypatch):
    monkeypatch.setenv('TWILIO_API_KEY', KEY)
    monkeypatch.setenv('TWILIO_API_SECRET', SECRET)
    code, result = run_module(chat_service_info.main, {})  # account_sid and auth_token given as options
    assert code == 0 and fake.auth == (ACCOUNT_SID, AUTH_TOKEN)
    assert not any('auth_token is not used' in w for w in warning_texts(result))
    assert SECRET not in json.dumps(result) and AUTH_TOKEN not in json.dumps(result)


def test_both_pairs_as_options_use_the_api_key_with_a_warning(run_module, fake):
    code, result = run_module(chat_service_info.main, {'api_key': KEY, 'api_secret': SECRET})  # + account_sid and auth_token
    assert code == 0 and fake.auth == (KEY, SECRET)
    assert [w for w in warning_texts(result) if 'auth_token is not used' in w] == [
        'Both api_key/api_secret and account_sid/auth_token are set (as options or through the '
        'TWILIO_* environment variables); authenticating with API key %s, auth_token is not used' % KEY
    ]


def test_explicit_account_sid_with_a_token_of_another_account_from_the_environment_is_refused(run_module, fake, monkeypatch):
    other = 'AC' + 'f' * 32
    monkeypatch.setenv('TWILIO_ACCOUNT_SID', other)
    monkeypatch.setenv('TWILIO_AUTH_TOKEN', 'e' * 32)
    code, result = run_module(chat_service_info.main, {'account_sid': ACCOUNT_SID}, credentials=False)
    assert code == 1 and fake.calls == []
    assert result['msg'].startswith('Invalid connection settings: the credentials name two different accounts: account_sid %s' % ACCOUNT_SID)
    assert other in result['msg'] and 'TWILIO_AUTH_TOKEN' in result['msg'] and 'e' * 32 not in result['msg']


@pytest.mark.parametrize('args', [{}, {'api_key': KEY, 'api_secret': SECRET, 'auth_token': None}])
def test_one_credential_pair_gives_no_warning(run_module, fake, args):
    code, result = run_module(chat_service_info.main, args)
    assert code == 0 and not any('auth_token is not used' in w for w in warning_texts(result))


@pytest.mark.parametrize('env, missing', [({'TWILIO_API_KEY': KEY}, 'api_key needs api_secret'), ({'TWILIO_API_SECRET': SECRET}, 'api_secret needs api_key')])
def test_half_an_api_key_pair_fails_even_with_an_auth_token(run_module, fake, monkeypatch, env, missing):
    monkeypatch.setenv('TWILIO_ACCOUNT_SID', ACCOUNT_SID)
    monkeypatch.setenv('TWILIO_AUTH_TOKEN', AUTH_TOKEN)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    code, result = run_module(chat_service_info.main, {}, credentials=False)  # everything from the environment
    assert code == 1 and fake.calls == []
    assert result['msg'].startswith('Invalid connection settings: %s' % missing)
    assert 'to authenticate with account_sid and auth_token instead, unset' in result['msg']


def test_failure_reports_retries_used(run_module, fake, sleeps):
    fake.fail(twilio_error(503, 20503, 'Service Unavailable'), times=10)
    code, result = run_module(chat_service_info.main, {'retries': 1})
    assert code == 1 and result['retries_used'] == 1 and result['status'] == 503
    assert re.match(r'^Failed to list chat services: Service Unavailable \(code 20503\) after 1 retry in \d+\.\d s$', result['msg'])


def test_api_base_url_env_and_secret_never_output(run_module, fake, monkeypatch):
    monkeypatch.setenv('TWILIO_API_BASE_URL', 'http://127.0.0.1:9/{product}')
    fake.fail(fake_error_with_secret())
    code, result = run_module(chat_service_info.main, {'api_key': KEY, 'api_secret': SECRET, 'retries': 0}, credentials=False)
    assert code == 1
    assert SECRET not in json.dumps(result)
    assert result['msg'].startswith('Failed to list chat services: ')


def fake_error_with_secret():
    import requests

    # Even if a transport error echoed the secret, the no_log masking keeps it out of the result.
    return requests.exceptions.ConnectionError('Connection refused for %s' % SECRET)


@pytest.mark.parametrize(
    'args, words',
    [
        ({'timeout': 0}, 'timeout must be a positive'),
        ({'retry_timeout': -1}, 'retry_timeout must be a positive'),
        ({'retries': -1}, 'retries must be 0 or more'),
        ({'api_base_url': 'localhost:8080'}, 'api_base_url must be an absolute'),
    ],
)
def test_connection_options_validated(run_module, fake, args, words):
    code, result = run_module(chat_service_info.main, args)
    assert code == 1 and words in result['msg'] and fake.calls == []


@pytest.mark.parametrize(
    'args, msg',
    [
        ({'timeout': 'nan'}, 'Invalid connection settings: timeout must be a finite number of seconds, got nan'),
        ({'timeout': float('inf')}, 'Invalid connection settings: timeout must be a finite number of seconds, got inf'),
        ({'retry_timeout': '-inf'}, 'Invalid connection settings: retry_timeout must be a finite number of seconds, got -inf'),
        ({'retry_timeout': float('nan')}, 'Invalid connection settings: retry_timeout must be a finite number of seconds, got nan'),
    ],
)
def test_timeouts_must_be_finite(run_module, fake, args, msg):
    code, result = run_module(chat_service_info.main, args)
    assert (code, result['msg'], fake.calls) == (1, msg, [])


@pytest.mark.parametrize(
    'main, args, msg',
    [
        (chat_service.main, {'friendly_name': {'a': 1}}, 'friendly_name must be a string, got a dictionary'),
        (chat_service.main, {'name': ['a', 'b']}, 'friendly_name must be a string, got a list'),
        (chat_service.main, {'friendly_name': True}, 'friendly_name must be a string, got a boolean'),
        (chat_service.main, {'sid': {'sid': 'x'}}, 'sid must be a string, got a dictionary'),
        (chat_service.main, {'friendly_name': 'x', 'limits': {'channel_members': True}}, 'limits.channel_members must be a number, got a boolean (true)'),
        (chat_service.main, {'friendly_name': 'x', 'typing_indicator_timeout': False}, 'typing_indicator_timeout must be a number, got a boolean (false)'),
        (chat_service.main, {'friendly_name': 'x', 'webhook_filters': ['onMessageSent', {'on': 1}]}, 'webhook_filters[1] must be a string, got a dictionary'),
        (
            chat_service.main,
            {'friendly_name': 'x', 'notifications': {'new_message': {'template': ['a']}}},
            'notifications.new_message.template must be a string, got a list',
        ),
        (chat_service.main, {'friendly_name': 'x', 'retries': True}, 'retries must be a number, got a boolean (true)'),
        (chat_service.main, {'friendly_name': 'x', 'timeout': True}, 'timeout must be a number, got a boolean (true)'),
        (chat_service.main, {'friendly_name': 'x', 'auth_token': {'t': 1}}, 'auth_token must be a string, got a dictionary'),
        (chat_service_info.main, {'friendly_name': ['x']}, 'friendly_name must be a string, got a list'),
        (serverless_service.main, {'unique_name': 'app', 'friendly_name': {'a': 1}}, 'friendly_name must be a string, got a dictionary'),
        (serverless_environment.main, {'service': 'app', 'unique_name': 'dev', 'domain_suffix': ['dev']}, 'domain_suffix must be a string, got a list'),
    ],
)
def test_values_core_would_convert_silently_are_refused_by_name(run_module, fake, main, args, msg):
    code, result = run_module(main, args)
    assert (code, result['msg'], fake.calls) == (1, msg, [])
    assert 'exception' not in result


def test_numbers_and_strings_still_convert_as_documented(run_module, fake):
    code, result = run_module(chat_service.main, {'friendly_name': 2024, 'limits': {'channel_members': '300'}, 'timeout': 5, 'retries': '2'})
    assert code == 0 and result['service']['friendly_name'] == '2024'
    assert result['service']['limits']['channel_members'] == 300
