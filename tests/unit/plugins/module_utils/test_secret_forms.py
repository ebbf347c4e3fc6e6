# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Secret forms the redaction must cover (issue 18, items 6 and 7), the credential precedence (item 8), DNS (item 17)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

import pytest
import requests

from ansible_collections.chatops.twilio.plugins.module_utils._client import Redactor, describe_connection_error
from ansible_collections.chatops.twilio.plugins.module_utils._redact import mask_url_passwords, url_passwords
from ansible_collections.chatops.twilio.plugins.module_utils._module import effective_credentials, from_environment
from ansible_collections.chatops.twilio.plugins.module_utils._client import TwilioConfigError

USER = 'AC' + '1' * 32
TOKEN = '0123456789abcdef0123456789abcdef'
HEADER = 'Basic ' + base64.b64encode(('%s:%s' % (USER, TOKEN)).encode()).decode()


@pytest.mark.parametrize(
    'echo',
    [
        HEADER.encode().hex(),
        HEADER.encode().hex().upper(),
        base64.b64encode(HEADER.encode()).decode(),
        base64.b64encode(HEADER.encode()).decode().rstrip('='),
        ('%s:%s' % (USER, TOKEN)).encode().hex(),
        TOKEN.encode().hex(),
    ],
    ids=['hex', 'HEX', 'base64', 'base64-unpadded', 'hex-pair', 'hex-token'],
)
def test_encoded_echoes_of_the_authorization_value_are_masked(echo):
    text = Redactor([TOKEN], [USER]).text('proxy saw: %s.' % echo)
    assert text == 'proxy saw: ********.'


@pytest.mark.parametrize(
    'url, shown',
    [
        ('https://hook:s3cret@hooks.example.com/x', 'https://hook:********@hooks.example.com/x'),
        ('see http://a:b%40c@h:8080/p?q=1 here', 'see http://a:********@h:8080/p?q=1 here'),
        ('https://:only-pass@h/', 'https://:********@h/'),
        ('https://user-only@h/x', 'https://user-only@h/x'),
        ('https://h/x?email=a@b.c', 'https://h/x?email=a@b.c'),
        ('mailto:someone@example.com', 'mailto:someone@example.com'),
    ],
)
def test_url_passwords_are_masked_and_the_rest_shown(url, shown):
    assert mask_url_passwords(url) == shown
    assert Redactor().data({'k': [url]}) == {'k': [shown]}


def test_url_passwords_are_found_in_nested_options():
    assert url_passwords({'a': ['https://u:p1@h/'], 'b': {'c': 'http://x:p2@y'}, 'd': 3}) == {'p1', 'p2'}


ENV = {'TWILIO_ACCOUNT_SID': 'AC' + 'b' * 32, 'TWILIO_AUTH_TOKEN': 'tb', 'TWILIO_API_KEY': 'SK' + 'b' * 32, 'TWILIO_API_SECRET': 'sb'}


def params_with_env(raw):
    """What Ansible makes of ``raw`` task options with ENV as the environment (the fallbacks applied)."""
    names = dict(account_sid='TWILIO_ACCOUNT_SID', auth_token='TWILIO_AUTH_TOKEN', api_key='TWILIO_API_KEY', api_secret='TWILIO_API_SECRET')
    return dict((name, raw.get(name) if raw.get(name) is not None else ENV.get(var)) for name, var in names.items())


def test_explicit_pair_drops_the_other_pair_from_the_environment():
    raw = {'account_sid': USER, 'auth_token': TOKEN}
    params = params_with_env(raw)
    used = effective_credentials(params, from_environment(params, raw, ENV), ENV)
    assert (used['account_sid'], used['auth_token'], used['api_key'], used['api_secret']) == (USER, TOKEN, None, None)


def test_explicit_api_key_drops_the_environment_auth_token():
    raw = {'api_key': 'SK' + 'c' * 32, 'api_secret': 'sc'}
    params = params_with_env(raw)
    used = effective_credentials(params, from_environment(params, raw, ENV), ENV)
    assert used['api_key'] == 'SK' + 'c' * 32 and used['auth_token'] is None and used['account_sid'] is None


def test_account_sid_in_the_task_with_the_token_of_another_account_is_refused():
    raw = {'account_sid': USER}
    params = params_with_env(raw)
    with pytest.raises(TwilioConfigError) as exc:
        effective_credentials(params, from_environment(params, raw, ENV), ENV)
    assert 'two different accounts' in exc.value.message and USER in exc.value.message and 'TWILIO_AUTH_TOKEN' in exc.value.message


def test_without_raw_parameters_a_value_equal_to_its_variable_counts_as_the_environment():
    params = {'account_sid': USER, 'auth_token': TOKEN, 'api_key': ENV['TWILIO_API_KEY'], 'api_secret': ENV['TWILIO_API_SECRET']}
    assert from_environment(params, None, ENV) == {'api_key', 'api_secret'}


def test_a_name_that_does_not_resolve_is_not_retryable():
    error = requests.exceptions.ConnectionError("HTTPSConnectionPool(host='chat.typo.invalid'): NameResolutionError: Name or service not known")
    message, sent, retryable = describe_connection_error(error, 30, 'https://chat.typo.invalid/v2/Services')
    assert 'DNS' in message and sent is False and retryable is False
