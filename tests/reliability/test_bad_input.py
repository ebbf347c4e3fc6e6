# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bad-input matrix: every case fails cleanly, says what is wrong, and writes nothing.

Each case runs a module directly (``python -m ansible_collections.chatops.twilio.plugins.modules.X``
with its arguments on stdin, exactly what Ansible's module runner does) against the emulator or a
misbehaving local server, and asserts:

* the result says ``failed: true`` and the process exits non-zero;
* ``msg`` contains the expected fragment and is a single line;
* no Python traceback anywhere (stdout, stderr, ``msg``, no ``exception`` key);
* no write request (POST/DELETE) reached the emulator or the stub server, and the
  services the case started with are unchanged.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import tempfile

import pytest

import harness  # pylint: disable=import-error
from stub_servers import HTML_502, ClosedPort, StubServer  # pylint: disable=import-error

HEX32 = '0123456789abcdef' * 2
MISSING_SID = 'IS' + 'f' * 32
WRONG_TOKEN = 'e' * 32
SERVICE_SID_MSG = 'sid must be a Chat Service SID matching ^IS[0-9a-fA-F]{32}$'


@pytest.fixture(scope='module')
def servers():
    """The misbehaving servers, by name."""
    made = {
        'tls': StubServer(tls=True),
        'html502': StubServer(502, 'text/html; charset=utf-8', HTML_502),
        'text200': StubServer(200, 'text/plain', 'hello, this is not JSON'),
        'html404': StubServer(404, 'text/html', '<html><head><title>Not Found</title></head><body>nope</body></html>'),
        'closed': ClosedPort(),
    }
    try:
        yield made
    finally:
        for server in made.values():
            server.stop()


def _emu(ctx):
    return ctx['emulator'].api_base_url


def _stub(name):
    def url(ctx):
        return ctx['servers'][name].url + '/{product}'

    return url


def _https_to_http_emulator(ctx):
    return 'https://' + ctx['emulator'].url.split('://', 1)[1] + '/{product}'


# (id, module, args, expected msg fragment, options)
# options: base (callable ctx -> api_base_url, default the emulator), creds ('env' | 'none' | dict of
# connection options), setup ('dup' = two services named "dup", 'one' = one service named "one").
CASES = [
    # --- identifiers
    ('sid-bad-format', 'chat_service', {'sid': 'IS123', 'typing_indicator_timeout': 5}, SERVICE_SID_MSG, {}),
    ('sid-wrong-prefix', 'chat_service', {'sid': 'CH' + HEX32, 'friendly_name': 'x'}, SERVICE_SID_MSG, {}),
    ('sid-bad-format-absent', 'chat_service', {'sid': 'not-a-sid', 'state': 'absent'}, SERVICE_SID_MSG, {}),
    ('sid-404-present', 'chat_service', {'sid': MISSING_SID, 'typing_indicator_timeout': 5}, 'chat service %s does not exist (Chat API v2)' % MISSING_SID, {}),
    (
        'sid-404-present-v1',
        'chat_service',
        {'sid': MISSING_SID, 'api_version': 'v1', 'friendly_name': 'renamed'},
        'chat service %s does not exist (Chat API v1)' % MISSING_SID,
        {},
    ),
    ('missing-identity', 'chat_service', {'typing_indicator_timeout': 5}, 'one of the following is required: sid, friendly_name', {}),
    (
        'ambiguous-name-present',
        'chat_service',
        {'friendly_name': 'dup', 'typing_indicator_timeout': 9},
        "friendly_name 'dup' matches 2 chat services",
        {'setup': 'dup'},
    ),
    ('ambiguous-name-absent', 'chat_service', {'friendly_name': 'dup', 'state': 'absent'}, "friendly_name 'dup' matches 2 chat services", {'setup': 'dup'}),
    ('empty-name', 'chat_service', {'friendly_name': '   '}, 'friendly_name must not be empty', {}),
    (
        'v1-name-too-long',
        'chat_service',
        {'friendly_name': 'n' * 65, 'api_version': 'v1'},
        'friendly_name must be at most 64 characters with Chat API v1 (got 65)',
        {},
    ),
    # --- types and ranges
    (
        'role-sid-bad',
        'chat_service',
        {'friendly_name': 'one', 'default_channel_role_sid': 'RLnothex'},
        "default_channel_role_sid must be a role SID matching ^RL[0-9a-fA-F]{32}$, got 'RLnothex'",
        {'setup': 'one'},
    ),
    (
        'int-wrong-type',
        'chat_service',
        {'friendly_name': 'one', 'typing_indicator_timeout': 'soon'},
        "argument 'typing_indicator_timeout' is of type str and we were unable to convert to int",
        {'setup': 'one'},
    ),
    (
        'bool-wrong-type',
        'chat_service',
        {'friendly_name': 'one', 'reachability_enabled': 'maybe'},
        "argument 'reachability_enabled' is of type str and we were unable to convert to bool",
        {'setup': 'one'},
    ),
    (
        'dict-wrong-type',
        'chat_service',
        {'friendly_name': 'one', 'limits': 'lots'},
        # ansible-core's message for a dict with suboptions does not name the option
        'dictionary requested, could not parse JSON or key=value',
        {'setup': 'one'},
    ),
    (
        'limit-zero',
        'chat_service',
        {'friendly_name': 'one', 'limits': {'channel_members': 0}},
        'limits.channel_members must be between 1 and 1000, got 0',
        {'setup': 'one'},
    ),
    (
        'limit-over-max',
        'chat_service',
        {'friendly_name': 'one', 'limits': {'user_channels': 1001}},
        'limits.user_channels must be between 1 and 1000, got 1001',
        {'setup': 'one'},
    ),
    (
        'count-negative',
        'chat_service',
        {'friendly_name': 'one', 'typing_indicator_timeout': -1},
        'typing_indicator_timeout must be 0 or more, got -1',
        {'setup': 'one'},
    ),
    (
        'webhook-filters-empty-item',
        'chat_service',
        {'friendly_name': 'one', 'webhook_filters': ['onMessageSent', '']},
        'webhook_filters must not contain empty names',
        {'setup': 'one'},
    ),
    # --- options of the other API version, unknown options, choices
    (
        'v1-webhooks-on-v2',
        'chat_service',
        {'friendly_name': 'one', 'webhooks': {'on_message_send': {'url': 'https://h.example/x'}}},
        'webhooks is not supported by Chat API v2 (it exists only in v1)',
        {'setup': 'one'},
    ),
    (
        'v2-media-on-v1',
        'chat_service',
        {'friendly_name': 'one', 'api_version': 'v1', 'media': {'compatibility_message': 'm'}},
        'media is not supported by Chat API v1 (it exists only in v2)',
        {'setup': 'one'},
    ),
    (
        'v2-retry-count-on-v1',
        'chat_service',
        {'friendly_name': 'one', 'api_version': 'v1', 'pre_webhook_retry_count': 2},
        'pre_webhook_retry_count is not supported by Chat API v1 (it exists only in v2)',
        {'setup': 'one'},
    ),
    (
        'v2-sound-on-v1',
        'chat_service',
        {'friendly_name': 'one', 'api_version': 'v1', 'notifications': {'new_message': {'sound': 'ding'}}},
        'notifications.new_message.sound is not supported by Chat API v1 (it exists only in v2)',
        {'setup': 'one'},
    ),
    (
        'unknown-option',
        'chat_service',
        {'friendly_name': 'one', 'typing_timeout': 5},
        'module: typing_timeout. Supported parameters include: account_sid,',
        {'setup': 'one'},
    ),
    (
        'unknown-nested-option',
        'chat_service',
        {'friendly_name': 'one', 'limits': {'channels': 5}},
        'module: limits.channels. Supported parameters include: channel_members, user_channels',
        {'setup': 'one'},
    ),
    (
        'api-version-choice',
        'chat_service',
        {'friendly_name': 'one', 'api_version': 'v3'},
        'value of api_version must be one of: v1, v2, got: v3',
        {'setup': 'one'},
    ),
    (
        'webhook-method-choice',
        'chat_service',
        {'friendly_name': 'one', 'webhook_method': 'PUT'},
        'value of webhook_method must be one of: GET, POST, got: PUT',
        {'setup': 'one'},
    ),
    # --- bad URLs
    (
        'webhook-url-not-url',
        'chat_service',
        {'friendly_name': 'one', 'pre_webhook_url': 'hooks.example.com/pre'},
        "pre_webhook_url must be an absolute http(s) URL (or \"\" to clear it), got 'hooks.example.com/pre'",
        {'setup': 'one'},
    ),
    (
        'webhook-url-ftp',
        'chat_service',
        {'friendly_name': 'one', 'post_webhook_url': 'ftp://hooks.example.com/post'},
        "post_webhook_url must be an absolute http(s) URL",
        {'setup': 'one'},
    ),
    (
        'v1-event-webhook-url',
        'chat_service',
        {'friendly_name': 'one', 'api_version': 'v1', 'webhooks': {'on_member_added': {'url': 'not a url'}}},
        "webhooks.on_member_added.url must be an absolute http(s) URL",
        {'setup': 'one'},
    ),
    (
        'api-base-url-no-scheme',
        'chat_service',
        {'friendly_name': 'one'},
        'Invalid connection settings: api_base_url must be an absolute http(s) URL',
        {'setup': 'one', 'base': lambda ctx: '127.0.0.1:8080/{product}'},
    ),
    # --- credentials and connection settings
    ('no-credentials', 'chat_service', {'friendly_name': 'one'}, 'Invalid connection settings: no Twilio credentials', {'setup': 'one', 'creds': {}}),
    (
        'account-sid-bad-format',
        'chat_service',
        {'friendly_name': 'one'},
        'Invalid connection settings: account_sid must match ^AC[0-9a-fA-F]{32}$',
        {'setup': 'one', 'creds': {'account_sid': 'AC123', 'auth_token': WRONG_TOKEN}},
    ),
    (
        'api-key-without-secret',
        'chat_service',
        {'friendly_name': 'one'},
        'Invalid connection settings: api_key needs api_secret',
        {'setup': 'one', 'creds': {'api_key': 'SK' + HEX32}},
    ),
    (
        'wrong-auth-token',
        'chat_service',
        {'friendly_name': 'one', 'typing_indicator_timeout': 9},
        'Failed to look up chat service one: Authenticate',
        {'setup': 'one', 'creds': {'account_sid': 'env', 'auth_token': WRONG_TOKEN}},
    ),
    (
        'wrong-api-secret',
        'chat_service',
        {'friendly_name': 'one', 'typing_indicator_timeout': 9},
        'Failed to look up chat service one: Authenticate',
        {'setup': 'one', 'creds': {'api_key': 'env', 'api_secret': WRONG_TOKEN}},
    ),
    (
        'timeout-zero',
        'chat_service',
        {'friendly_name': 'one', 'timeout': 0},
        'Invalid connection settings: timeout must be a positive number of seconds, got 0',
        {'setup': 'one'},
    ),
    (
        'retries-negative',
        'chat_service',
        {'friendly_name': 'one', 'retries': -1},
        'Invalid connection settings: retries must be 0 or more, got -1',
        {'setup': 'one'},
    ),
    (
        'region-bad',
        'chat_service',
        {'friendly_name': 'one'},
        "Invalid connection settings: region must be a Twilio region name such as ie1, got 'eu west'",
        {'setup': 'one', 'base': lambda ctx: None, 'extra': {'region': 'eu west'}},
    ),
    # --- unreachable, TLS, non-JSON answers (retries bounded to keep the case short)
    (
        'unreachable-host',
        'chat_service',
        {'friendly_name': 'one', 'retries': 1, 'typing_indicator_timeout': 9},
        'Failed to look up chat service one: connection refused',
        {'base': _stub('closed')},
    ),
    (
        'tls-self-signed',
        'chat_service',
        {'friendly_name': 'one', 'retries': 1},
        'Failed to look up chat service one: TLS certificate verification failed for https://127.0.0.1:',
        {'base': _stub('tls')},
    ),
    (
        'tls-to-plain-http',
        'chat_service',
        {'friendly_name': 'one', 'retries': 1},
        'Failed to look up chat service one: TLS error: [SSL',
        {'setup': 'one', 'base': _https_to_http_emulator},
    ),
    (
        'html-502-body',
        'chat_service',
        {'friendly_name': 'one', 'retries': 1, 'retry_timeout': 5},
        'Failed to look up chat service one: HTTP 502 Bad Gateway (non-JSON text/html response: 502 Bad Gateway)',
        {'base': _stub('html502')},
    ),
    (
        'html-404-body-by-name',
        'chat_service',
        {'friendly_name': 'one', 'typing_indicator_timeout': 4, 'retries': 1},
        'Failed to look up chat service one: HTTP 404 Not Found (non-JSON text/html response: Not Found)',
        {'base': _stub('html404')},
    ),
    (
        'text-200-body',
        'chat_service',
        {'friendly_name': 'one', 'retries': 1},
        'Failed to look up chat service one: HTTP 200 with a non-JSON text/plain body (is api_base_url right?)',
        {'base': _stub('text200')},
    ),
    # --- the info module
    ('info-sid-bad-format', 'chat_service_info', {'sid': 'IS-nope'}, SERVICE_SID_MSG, {}),
    ('info-sid-and-name', 'chat_service_info', {'sid': MISSING_SID, 'friendly_name': 'one'}, 'parameters are mutually exclusive: sid|friendly_name', {}),
    (
        'info-wrong-auth-token',
        'chat_service_info',
        {'friendly_name': 'one'},
        'Authenticate',
        {'setup': 'one', 'creds': {'account_sid': 'env', 'auth_token': WRONG_TOKEN}},
    ),
    (
        'info-html-502-body',
        'chat_service_info',
        {'retries': 1, 'retry_timeout': 5},
        'HTTP 502 Bad Gateway (non-JSON text/html response: 502 Bad Gateway)',
        {'base': _stub('html502')},
    ),
    ('info-api-version-choice', 'chat_service_info', {'api_version': '2'}, 'value of api_version must be one of: v1, v2, got: 2', {}),
]

# Input that ansible-core or a loose pattern used to let through (issue 9, items 7 and 13): each is refused before
# any request at all, by a message naming the option. (id, module, args, expected msg fragment)
NL_SID = 'IS' + HEX32 + '\n'
ZS_SID = 'ZS' + HEX32
SL_SERVICE_REF = 'service must be a Serverless Service SID (ZS and 32 hexadecimal digits) or a service unique name: '
DASH = 'must not start or end with a dash (it becomes part of a domain name)'
EARLY_CASES = [
    # --- a trailing newline ($ matches before it; the value went out as ...%0A)
    ('nl-sid-present', 'chat_service', {'sid': NL_SID, 'typing_indicator_timeout': 5}, SERVICE_SID_MSG),
    ('nl-sid-absent', 'chat_service', {'sid': NL_SID, 'state': 'absent'}, SERVICE_SID_MSG),
    (
        'nl-role-sid',
        'chat_service',
        {'friendly_name': 'one', 'default_service_role_sid': 'RL' + HEX32 + '\n'},
        'default_service_role_sid must be a role SID matching ^RL[0-9a-fA-F]{32}$',
    ),
    ('nl-info-sid', 'chat_service_info', {'sid': NL_SID}, SERVICE_SID_MSG),
    ('nl-serverless-name', 'serverless_service', {'unique_name': 'nl-name\n'}, "unique_name may only contain letters, numbers and dashes, got 'nl-name\\n'"),
    ('nl-serverless-sid', 'serverless_service', {'sid': ZS_SID + '\n', 'state': 'absent'}, 'sid must be a Serverless Service SID matching ^ZS[0-9a-fA-F]{32}$'),
    ('nl-serverless-info-name', 'serverless_service_info', {'unique_name': 'app\n'}, 'unique_name may only contain letters, numbers and dashes'),
    ('nl-serverless-info-sid', 'serverless_service_info', {'sid': ZS_SID + '\n'}, 'sid must be a Serverless Service SID matching ^ZS[0-9a-fA-F]{32}$'),
    (
        'nl-environment-service-name',
        'serverless_environment',
        {'service': 'myapp\n', 'unique_name': 'dev'},
        SL_SERVICE_REF + 'may only contain letters, numbers and dashes',
    ),
    (
        'nl-environment-service-sid',
        'serverless_environment',
        {'service': ZS_SID + '\n', 'unique_name': 'dev'},
        SL_SERVICE_REF + 'may only contain letters, numbers and dashes',
    ),
    (
        'nl-domain-suffix',
        'serverless_environment',
        {'service': 'myapp', 'unique_name': 'dev', 'domain_suffix': 'dev\n'},
        'domain_suffix may only contain letters, numbers and dashes',
    ),
    (
        'nl-account-sid',
        'chat_service',
        {'friendly_name': 'one', 'account_sid': 'AC' + HEX32 + '\n'},
        'Invalid connection settings: account_sid must match ^AC[0-9a-fA-F]{32}$',
    ),
    (
        'nl-api-key',
        'chat_service',
        {'friendly_name': 'one', 'api_key': 'SK' + HEX32 + '\n', 'api_secret': WRONG_TOKEN},
        'Invalid connection settings: api_key must match ^SK[0-9a-fA-F]{32}$',
    ),
    # --- a boolean for an integer option (core takes true as 1)
    (
        'bool-limit-channel-members',
        'chat_service',
        {'friendly_name': 'one', 'limits': {'channel_members': True}},
        'limits.channel_members must be a number, got a boolean (true)',
    ),
    (
        'bool-limit-user-channels',
        'chat_service',
        {'friendly_name': 'one', 'limits': {'user_channels': False}},
        'limits.user_channels must be a number, got a boolean (false)',
    ),
    (
        'bool-typing-timeout',
        'chat_service',
        {'friendly_name': 'one', 'typing_indicator_timeout': True},
        'typing_indicator_timeout must be a number, got a boolean (true)',
    ),
    (
        'bool-consumption-interval',
        'chat_service',
        {'friendly_name': 'one', 'consumption_report_interval': True},
        'consumption_report_interval must be a number, got a boolean (true)',
    ),
    (
        'bool-pre-retry-count',
        'chat_service',
        {'friendly_name': 'one', 'pre_webhook_retry_count': True},
        'pre_webhook_retry_count must be a number, got a boolean (true)',
    ),
    (
        'bool-post-retry-count',
        'chat_service',
        {'friendly_name': 'one', 'post_webhook_retry_count': False},
        'post_webhook_retry_count must be a number, got a boolean (false)',
    ),
    ('bool-retries', 'chat_service', {'friendly_name': 'one', 'retries': True}, 'retries must be a number, got a boolean (true)'),
    ('bool-timeout', 'chat_service', {'friendly_name': 'one', 'timeout': True}, 'timeout must be a number, got a boolean (true)'),
    ('bool-retry-timeout', 'chat_service_info', {'retry_timeout': False}, 'retry_timeout must be a number, got a boolean (false)'),
    ('bool-serverless-retries', 'serverless_service', {'unique_name': 'app', 'retries': True}, 'retries must be a number, got a boolean (true)'),
    # --- a dict, list or boolean for a string option (core turns it into its Python text)
    ('dict-friendly-name', 'chat_service', {'friendly_name': {'name': 'one'}}, 'friendly_name must be a string, got a dictionary'),
    ('list-friendly-name', 'chat_service', {'friendly_name': ['one']}, 'friendly_name must be a string, got a list'),
    ('list-name-alias', 'chat_service', {'name': ['one', 'two']}, 'friendly_name must be a string, got a list'),
    ('bool-friendly-name', 'chat_service', {'friendly_name': True}, 'friendly_name must be a string, got a boolean'),
    ('dict-sid', 'chat_service', {'sid': {'sid': MISSING_SID}, 'state': 'absent'}, 'sid must be a string, got a dictionary'),
    (
        'list-webhook-url',
        'chat_service',
        {'friendly_name': 'one', 'pre_webhook_url': ['https://h.example/pre']},
        'pre_webhook_url must be a string, got a list',
    ),
    (
        'dict-notification-template',
        'chat_service',
        {'friendly_name': 'one', 'notifications': {'new_message': {'template': {'text': 'hi'}}}},
        'notifications.new_message.template must be a string, got a dictionary',
    ),
    (
        'list-compatibility-message',
        'chat_service',
        {'friendly_name': 'one', 'media': {'compatibility_message': ['m']}},
        'media.compatibility_message must be a string, got a list',
    ),
    (
        'dict-webhook-filter',
        'chat_service',
        {'friendly_name': 'one', 'webhook_filters': ['onMessageSent', {'on': 1}]},
        'webhook_filters[1] must be a string, got a dictionary',
    ),
    (
        'list-role-sid',
        'chat_service',
        {'friendly_name': 'one', 'default_channel_role_sid': ['RL' + HEX32]},
        'default_channel_role_sid must be a string, got a list',
    ),
    (
        'dict-v1-event-url',
        'chat_service',
        {'friendly_name': 'one', 'api_version': 'v1', 'webhooks': {'on_message_send': {'url': {'u': 'https://h.example'}}}},
        'webhooks.on_message_send.url must be a string, got a dictionary',
    ),
    ('dict-info-name', 'chat_service_info', {'friendly_name': {'n': 1}}, 'friendly_name must be a string, got a dictionary'),
    (
        'dict-serverless-friendly-name',
        'serverless_service',
        {'unique_name': 'app', 'friendly_name': {'n': 1}},
        'friendly_name must be a string, got a dictionary',
    ),
    ('list-serverless-unique-name', 'serverless_service', {'unique_name': ['app']}, 'unique_name must be a string, got a list'),
    ('dict-environment-name', 'serverless_environment', {'service': 'app', 'unique_name': {'n': 'dev'}}, 'unique_name must be a string, got a dictionary'),
    (
        'list-domain-suffix',
        'serverless_environment',
        {'service': 'app', 'unique_name': 'dev', 'domain_suffix': ['dev']},
        'domain_suffix must be a string, got a list',
    ),
    ('dict-environment-service', 'serverless_environment', {'service': {'sid': ZS_SID}, 'unique_name': 'dev'}, 'service must be a string, got a dictionary'),
    ('list-serverless-info-name', 'serverless_service_info', {'unique_name': ['app']}, 'unique_name must be a string, got a list'),
    ('dict-auth-token', 'chat_service', {'friendly_name': 'one', 'auth_token': {'token': WRONG_TOKEN}}, 'auth_token must be a string, got a dictionary'),
    (
        'list-api-base-url',
        'chat_service',
        {'friendly_name': 'one', 'api_base_url': ['http://127.0.0.1:9/{product}']},
        'api_base_url must be a string, got a list',
    ),
    ('list-region', 'chat_service', {'friendly_name': 'one', 'region': ['ie1']}, 'region must be a string, got a list'),
    # --- timeouts that are not finite
    (
        'timeout-nan',
        'chat_service',
        {'friendly_name': 'one', 'timeout': 'nan'},
        'Invalid connection settings: timeout must be a finite number of seconds, got nan',
    ),
    (
        'timeout-inf',
        'chat_service',
        {'friendly_name': 'one', 'timeout': float('inf')},
        'Invalid connection settings: timeout must be a finite number of seconds, got inf',
    ),
    (
        'retry-timeout-nan',
        'chat_service_info',
        {'retry_timeout': float('nan')},
        'Invalid connection settings: retry_timeout must be a finite number of seconds, got nan',
    ),
    (
        'retry-timeout-inf',
        'chat_service',
        {'friendly_name': 'one', 'retry_timeout': 'inf'},
        'Invalid connection settings: retry_timeout must be a finite number of seconds, got inf',
    ),
    (
        'serverless-timeout-inf',
        'serverless_service',
        {'unique_name': 'app', 'timeout': 'Infinity'},
        'Invalid connection settings: timeout must be a finite number of seconds, got inf',
    ),
    (
        'environment-retry-timeout-nan',
        'serverless_environment',
        {'service': 'app', 'unique_name': 'dev', 'retry_timeout': 'NaN'},
        'Invalid connection settings: retry_timeout must be a finite number of seconds, got nan',
    ),
    # --- serverless names that cannot be a DNS label, and the 50-character limit
    ('serverless-name-leading-dash', 'serverless_service', {'unique_name': '-app'}, 'unique_name ' + DASH),
    ('serverless-name-trailing-dash', 'serverless_service', {'unique_name': 'app-', 'state': 'absent'}, 'unique_name ' + DASH),
    ('serverless-name-dash-only', 'serverless_service', {'unique_name': '-'}, 'unique_name ' + DASH),
    ('serverless-name-51', 'serverless_service', {'unique_name': 'a' * 51}, 'unique_name must be at most 50 characters, got 51'),
    ('serverless-info-name-dash', 'serverless_service_info', {'unique_name': 'app-'}, 'unique_name ' + DASH),
    ('environment-service-dash', 'serverless_environment', {'service': '-app', 'unique_name': 'dev'}, SL_SERVICE_REF + 'must not start or end with a dash'),
    (
        'environment-service-51',
        'serverless_environment',
        {'service': 'a' * 51, 'unique_name': 'dev', 'state': 'absent'},
        SL_SERVICE_REF + 'must be at most 50 characters, got 51',
    ),
    ('domain-suffix-leading-dash', 'serverless_environment', {'service': 'app', 'unique_name': 'dev', 'domain_suffix': '-dev'}, 'domain_suffix ' + DASH),
    (
        'domain-suffix-trailing-dash',
        'serverless_environment',
        {'service': 'app', 'unique_name': 'dev', 'domain_suffix': 'dev-', 'recreate': True},
        'domain_suffix ' + DASH,
    ),
]

# Connection settings that would misroute or expose the credentials (issue 9, items 4, 9 and 12): refused before any
# request, without echoing a password. 'BASE' is replaced by the emulator's address (http://127.0.0.1:PORT).
CI = 'Invalid connection settings: '
CONNECTION_CASES = [
    (
        'base-url-userinfo',
        'chat_service',
        {'friendly_name': 'one', 'api_base_url': 'http://user:pa55word@BASE/{product}'},
        CI + 'api_base_url must not contain user:password@',
    ),
    (
        'base-url-query',
        'chat_service',
        {'friendly_name': 'one', 'api_base_url': 'http://BASE/{product}?x=1'},
        CI + 'api_base_url must not contain a ?query or #fragment',
    ),
    (
        'base-url-fragment',
        'chat_service',
        {'friendly_name': 'one', 'api_base_url': 'http://BASE/{product}#top'},
        CI + 'api_base_url must not contain a ?query or #fragment',
    ),
    (
        'base-url-empty-query',
        'serverless_service',
        {'unique_name': 'app', 'api_base_url': 'http://BASE/{product}?'},
        CI + 'api_base_url must not contain a ?query or #fragment',
    ),
    ('base-url-newline', 'chat_service_info', {'api_base_url': 'http://BASE/{product}\n'}, CI + 'api_base_url must not contain white space'),
    ('base-url-no-product-serverless', 'serverless_service', {'unique_name': 'app', 'api_base_url': 'http://BASE/chat'}, 'has no {product} placeholder'),
    (
        'base-url-no-product-chat-v1',
        'chat_service',
        {'friendly_name': 'one', 'api_version': 'v1', 'api_base_url': 'http://BASE/chat'},
        'has no {product} placeholder',
    ),
    (
        'base-url-no-product-env',
        'serverless_environment',
        {'service': 'app', 'unique_name': 'dev', 'api_base_url': 'http://BASE/serverless'},
        'has no {product} placeholder',
    ),
    ('base-url-no-product-info', 'serverless_service_info', {'api_base_url': 'http://BASE'}, 'has no {product} placeholder'),
    ('region-newline', 'chat_service', {'friendly_name': 'one', 'region': 'ie1\n'}, CI + 'region must be a Twilio region name'),
    ('edge-newline', 'chat_service', {'friendly_name': 'one', 'edge': 'dublin\n'}, CI + 'edge must be a Twilio edge name'),
]
EARLY_CASES += CONNECTION_CASES


def _tree(files, links=()):
    """A source tree for serverless_deploy in a temporary directory (the cases' args are built at import time)."""
    root = tempfile.mkdtemp(prefix='bad-input-deploy-')
    for relative, data in files.items():
        path = os.path.join(root, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, 'w') as handle:
            handle.write(data)
    for relative, target in links:
        os.makedirs(os.path.dirname(os.path.join(root, relative)), exist_ok=True)
        os.symlink(target, os.path.join(root, relative))
    return root


_OUTSIDE = _tree({'secret.txt': 'outside'})
_GOOD_TREE = _tree({'functions/a.js': 'exports.handler = () => {};'})
DEPLOY = {'service': 'app', 'environment': 'dev'}
# Issue 19: serverless_variables and serverless_deploy refuse bad input before any request, naming the option
# (and for a source tree the file) and the rule; variable values never appear in the message.
EARLY_CASES += [
    ('vars-key-129', 'serverless_variables', dict(DEPLOY, variables={'K' * 129: 'v'}), 'Twilio allows at most 128'),
    ('vars-value-451-bytes', 'serverless_variables', dict(DEPLOY, variables={'BIG': 'x' * 451}), 'variables.BIG is 451 bytes long in UTF-8'),
    ('vars-value-utf8-bytes', 'serverless_variables', dict(DEPLOY, variables={'E': '\u00e9' * 226}), 'variables.E is 452 bytes long in UTF-8'),
    ('vars-over-3kb', 'serverless_variables', dict(DEPLOY, variables=dict(('K%d' % i, 'v' * 440) for i in range(7))), 'within 3000 bytes'),
    ('vars-reserved', 'serverless_variables', dict(DEPLOY, variables={'CHATOPS_DEPLOY': 'x'}), 'variables.CHATOPS_DEPLOY is reserved'),
    ('vars-list-value', 'serverless_variables', dict(DEPLOY, variables={'L': ['one-two']}), 'variables.L must be a string, a number or a boolean, got list'),
    ('vars-env-sid', 'serverless_variables', dict(DEPLOY, environment='ZE' + 'g' * 32), 'environment must be a Serverless Environment SID'),
    ('vars-service-dash', 'serverless_variables', dict(DEPLOY, service='-app'), SL_SERVICE_REF + 'must not start or end with a dash'),
    ('deploy-no-source', 'serverless_deploy', dict(DEPLOY), 'set exactly one of source'),
    ('deploy-both', 'serverless_deploy', dict(DEPLOY, source=_GOOD_TREE, from_environment='prod'), 'set exactly one of source'),
    ('deploy-promote-self', 'serverless_deploy', dict(DEPLOY, from_environment='dev'), 'from_environment must name another environment'),
    ('deploy-not-a-dir', 'serverless_deploy', dict(DEPLOY, source='/nonexistent/app'), 'source: /nonexistent/app is not a directory'),
    ('deploy-empty-tree', 'serverless_deploy', dict(DEPLOY, source=_tree({'functions/readme.md': 'x'})), 'holds no file to deploy'),
    (
        'deploy-path-space',
        'serverless_deploy',
        dict(DEPLOY, source=_tree({'assets/my file.css': 'x'})),
        "source file assets/my file.css: its path /my file.css contains ' '",
    ),
    ('deploy-path-hash', 'serverless_deploy', dict(DEPLOY, source=_tree({'assets/a#b.css': 'x'})), "contains '#'"),
    (
        'deploy-duplicate-path',
        'serverless_deploy',
        dict(DEPLOY, source=_tree({'functions/a.js': 'x', 'functions/a.private.js': 'y'})),
        'functions/a.js and functions/a.private.js both become the path /a',
    ),
    (
        'deploy-symlink-escape',
        'serverless_deploy',
        dict(DEPLOY, source=_tree({'functions/a.js': 'x'}, [('assets/leak.txt', os.path.join(_OUTSIDE, 'secret.txt'))])),
        'assets/leak.txt is a symbolic link to',
    ),
    (
        'deploy-bad-package-json',
        'serverless_deploy',
        dict(DEPLOY, source=_tree({'functions/a.js': 'x', 'package.json': '{nope'})),
        'source: package.json is not valid JSON',
    ),
    ('deploy-runtime', 'serverless_deploy', dict(DEPLOY, source=_GOOD_TREE, runtime='python3'), 'runtime must be node followed by a major version'),
    ('deploy-build-timeout', 'serverless_deploy', dict(DEPLOY, source=_GOOD_TREE, build_timeout=0), 'build_timeout must be a positive number of seconds'),
    (
        'deploy-dependency-list',
        'serverless_deploy',
        dict(DEPLOY, source=_GOOD_TREE, dependencies={'lodash': ['4']}),
        'dependencies.lodash must be a version string',
    ),
    ('deploy-env-sid', 'serverless_deploy', dict(DEPLOY, source=_GOOD_TREE, environment='ZE' + 'g' * 32), 'environment must be a Serverless Environment SID'),
]
# Issue 21: chat_environments_export refuses an app name that is none, and an API it does not know, before any request.
EARLY_CASES += [
    ('export-app-slash', 'chat_environments_export', {'app': 'acme/x'}, 'app must be an application name'),
    ('export-app-dash-first', 'chat_environments_export', {'app': '-acme'}, 'app must be an application name'),
    ('export-app-dash-last', 'chat_environments_export', {'app': 'acme-'}, 'app must be an application name'),
    (
        'export-api-version',
        'chat_environments_export',
        {'app': 'acme', 'api_versions': {'dev': 'v3'}},
        "api_versions.dev must be one of v1, v2, conversations, got 'v3'",
    ),
]
# Connection options the case sets itself go in 'extra', which the test applies after the emulator's own.
_OWN = ('account_sid', 'auth_token', 'api_base_url')
CASES += [
    (
        case_id,
        module,
        dict((k, v) for k, v in args.items() if k not in _OWN),
        fragment,
        {'setup': 'one', 'early': True, 'extra': dict((k, v) for k, v in args.items() if k in _OWN)},
    )
    for case_id, module, args, fragment in EARLY_CASES
]


def _setup(emulator, kind):
    if kind == 'dup':
        emulator.create_service('dup')
        emulator.create_service('dup')
    elif kind == 'one':
        emulator.create_service('one', TypingIndicatorTimeout=3)
    emulator.clear_log()


def _connection(emulator, creds):
    """Connection options of a case: the test account, or the case's overrides ('env' = the right value)."""
    if creds is None:
        return {'account_sid': emulator.account_sid, 'auth_token': emulator.auth_token}
    right = {'account_sid': emulator.account_sid, 'auth_token': emulator.auth_token, 'api_key': emulator.api_key, 'api_secret': emulator.api_secret}
    return {k: (right[k] if v == 'env' else v) for k, v in creds.items()}


@pytest.mark.parametrize('case_id, module, args, fragment, options', CASES, ids=[c[0] for c in CASES])
def test_bad_input(clean, servers, case_id, module, args, fragment, options):  # pylint: disable=redefined-outer-name
    emulator = clean
    _setup(emulator, options.get('setup'))
    before = emulator.services()
    ctx = {'emulator': emulator, 'servers': servers}
    base = options.get('base', _emu)(ctx)
    full = dict(args)
    full.update(_connection(emulator, options.get('creds')))
    if base is not None:
        full['api_base_url'] = base
    full.update(options.get('extra', {}))
    if isinstance(full.get('api_base_url'), str):
        full['api_base_url'] = full['api_base_url'].replace('BASE', emulator.url.split('://', 1)[1])
    stub_writes_before = {name: len(s.writes()) for name, s in servers.items() if hasattr(s, 'writes')}

    # TWILIO_API_BASE_URL stays pinned to the emulator unless the case is about the default (regional) host.
    env = harness.base_env(emulator, credentials=None, pin_base_url=base is not None)
    run = harness.run_module(module, full, env)

    assert run.result is not None, 'no JSON result (%s)\n%s' % (case_id, run.describe())
    result = run.result
    msg = result.get('msg', '')
    assert result.get('failed') is True, '%s did not fail: %s' % (case_id, result)
    assert run.rc != 0
    assert fragment in msg, '%s: expected %r in msg %r' % (case_id, fragment, msg)
    assert 'pa55word' not in run.stdout + run.stderr, '%s: the password of the URL was echoed' % case_id
    assert '\n' not in msg.strip(), '%s: msg is not one line: %r' % (case_id, msg)
    assert 'exception' not in result, '%s: traceback attached: %s' % (case_id, result.get('exception'))
    for text in (run.stdout, run.stderr, msg):
        assert not harness.TRACEBACK_RE.search(text), '%s: Python traceback:\n%s' % (case_id, text)
    # Nothing was written: no POST/DELETE anywhere, the services are as they were.
    log = emulator.requests_log()
    assert harness.writes(log) == [], '%s: write requests sent: %s' % (case_id, harness.writes(log))
    if options.get('early'):
        assert log == [], '%s: requests sent before the input was refused: %s' % (case_id, log)
    for name, server in servers.items():
        if hasattr(server, 'writes'):
            assert len(server.writes()) == stub_writes_before[name], '%s: write sent to stub %s' % (case_id, name)
    assert emulator.services() == before


def test_matrix_is_large_enough():
    """Issue 9 asks for at least 80 distinct bad-input cases (role cases are in test_role_input.py)."""
    ids = [c[0] for c in CASES]
    assert len(set(ids)) == len(ids)
    assert len(ids) >= 80
    harness.report('\nbad-input matrix: %d module cases (%d refused before any request at all)' % (len(ids), sum(1 for c in CASES if c[4].get('early'))))


def test_html_404_by_sid_is_not_taken_for_absence(clean, servers):  # pylint: disable=redefined-outer-name
    """A 404 that is not Twilio's (HTML from a web server at a wrong URL) must fail, not mean "absent"."""
    args = dict(_connection(clean, None), sid=MISSING_SID, state='absent', retries=0, api_base_url=servers['html404'].url + '/{product}')
    run = harness.run_module('chat_service', args, harness.base_env(clean, credentials=None))
    assert run.result is not None, run.describe()
    assert run.result.get('failed') is True, 'a wrong api_base_url passed as "already absent": %s' % run.result
    assert 'non-JSON text/html response' in run.result['msg']


# ---- Conversations modules (issue 12) ----------------------------------------------------------
# Their own block: each case fails before any write, says what is wrong in one line, no traceback.

CONVERSATIONS_SID_MSG = 'sid must be a conversations service SID matching ^IS[0-9a-fA-F]{32}$'
CONVERSATIONS_CASES = [
    ('conv-sid-bad-format', 'conversations_service', {'sid': 'IS123', 'webhooks': {'method': 'GET'}}, CONVERSATIONS_SID_MSG, {}),
    ('conv-sid-trailing-newline', 'conversations_service', {'sid': MISSING_SID + '\n', 'state': 'absent'}, CONVERSATIONS_SID_MSG, {}),
    (
        'conv-sid-404-present',
        'conversations_service',
        {'sid': MISSING_SID, 'configuration': {'reachability_enabled': True}},
        'conversations service %s does not exist' % MISSING_SID,
        {},
    ),
    ('conv-missing-identity', 'conversations_service', {'webhooks': {'method': 'GET'}}, 'one of the following is required: sid, friendly_name', {}),
    (
        'conv-ambiguous-name',
        'conversations_service',
        {'friendly_name': 'dup', 'webhooks': {'method': 'GET'}},
        "friendly_name 'dup' matches 2 conversations services",
        {'setup': 'dup'},
    ),
    (
        'conv-ambiguous-name-absent',
        'conversations_service',
        {'friendly_name': 'dup', 'state': 'absent'},
        "friendly_name 'dup' matches 2 conversations services",
        {'setup': 'dup'},
    ),
    (
        'conv-absent-sid-name-mismatch',
        'conversations_service',
        {'sid': 'one', 'friendly_name': 'two', 'state': 'absent'},
        "friendly_name 'two' is not the name of conversations service",
        {'setup': 'one', 'sid_of': 'one'},
    ),
    ('conv-name-not-a-string', 'conversations_service', {'friendly_name': {'n': 12}}, 'friendly_name must be a string, got a dictionary', {}),
    ('conv-name-too-long', 'conversations_service', {'friendly_name': 'n' * 257}, 'friendly_name must be at most 256 characters, got 257', {}),
    ('conv-empty-name', 'conversations_service', {'friendly_name': ' '}, 'friendly_name must not be empty', {}),
    (
        'conv-role-sid-bad',
        'conversations_service',
        {'friendly_name': 'one', 'configuration': {'default_conversation_role_sid': 'RLnothex'}},
        'configuration.default_conversation_role_sid must be a role SID matching ^RL[0-9a-fA-F]{32}$',
        {'setup': 'one'},
    ),
    (
        'conv-bool-wrong-type',
        'conversations_service',
        {'friendly_name': 'one', 'configuration': {'reachability_enabled': 'maybe'}},
        "argument 'reachability_enabled' is of type str found in 'configuration'. and we were unable to convert to bool",
        {'setup': 'one'},
    ),
    (
        'conv-template-not-a-string',
        'conversations_service',
        {'friendly_name': 'one', 'notifications': {'new_message': {'template': ['5']}}},
        'notifications.new_message.template must be a string, got a list',
        {'setup': 'one'},
    ),
    (
        'conv-filter-empty',
        'conversations_service',
        {'friendly_name': 'one', 'webhooks': {'filters': ['']}},
        'webhooks.filters must not contain empty names',
        {'setup': 'one'},
    ),
    (
        'conv-filter-not-a-string',
        'conversations_service',
        {'friendly_name': 'one', 'webhooks': {'filters': [True]}},
        'webhooks.filters[0] must be a string, got a boolean',
        {'setup': 'one'},
    ),
    (
        'conv-method-choice',
        'conversations_service',
        {'friendly_name': 'one', 'webhooks': {'method': 'PUT'}},
        'value of method must be one of: GET, POST, got: PUT found in webhooks',
        {'setup': 'one'},
    ),
    (
        'conv-webhook-url-bad',
        'conversations_service',
        {'friendly_name': 'one', 'webhooks': {'pre_webhook_url': 'hooks'}},
        "webhooks.pre_webhook_url must be an absolute http(s) URL (or \"\" to clear it), got 'hooks'",
        {'setup': 'one'},
    ),
    (
        'conv-unknown-nested-option',
        'conversations_service',
        {'friendly_name': 'one', 'webhooks': {'target': 'flex'}},
        'Unsupported parameters for (',
        {'setup': 'one'},
    ),
    (
        'conv-wrong-auth-token',
        'conversations_service',
        {'friendly_name': 'one', 'webhooks': {'method': 'GET'}},
        'Failed to look up conversations service one: Authenticate',
        {'setup': 'one', 'creds': {'account_sid': 'env', 'auth_token': WRONG_TOKEN}},
    ),
    (
        'conv-html-502',
        'conversations_service',
        {'sid': MISSING_SID, 'retries': 1, 'retry_timeout': 5},
        'Failed to fetch conversations service %s: HTTP 502 Bad Gateway' % MISSING_SID,
        {'base': _stub('html502')},
    ),
    ('conv-info-sid-bad-format', 'conversations_service_info', {'sid': 'IS-nope'}, CONVERSATIONS_SID_MSG, {}),
    (
        'conv-info-include-choice',
        'conversations_service_info',
        {'include': ['media']},
        'value of include must be one or more of: configuration, notifications, webhooks',
        {},
    ),
    (
        'conv-info-sid-and-name',
        'conversations_service_info',
        {'sid': MISSING_SID, 'friendly_name': 'one'},
        'parameters are mutually exclusive: sid|friendly_name',
        {},
    ),
    (
        'conv-notifications-credential',
        'conversations_service',
        {'friendly_name': 'one', 'notifications': {'credential_sid': 'CR' + 'a' * 32}},
        'notifications.credential_sid is not a service setting: Twilio picks the push credential per binding',
        {},
    ),
    (
        'conv-set-notifications-credential',
        'conversations_services',
        {'services': [{'name': 'one', 'settings': {'notifications': {'new_message': {'push_credential': 'ios'}}}}]},
        'services[0].settings.notifications.new_message.push_credential is not a service setting: Twilio picks the push credential per binding',
        {},
    ),
    ('conv-config-nothing-set', 'conversations_configuration', {}, 'one of the following is required: default_chat_service_sid', {}),
    ('conv-config-timer-format', 'conversations_configuration', {'default_inactive_timer': '30m'}, 'default_inactive_timer must be an ISO 8601 duration', {}),
    (
        'conv-config-timer-too-short',
        'conversations_configuration',
        {'default_closed_timer': 'PT9M'},
        'default_closed_timer must be at least 600 seconds (PT10M)',
        {},
    ),
    ('conv-config-timer-not-a-string', 'conversations_configuration', {'default_closed_timer': 3600}, 'default_closed_timer must be an ISO 8601 duration', {}),
    (
        'conv-config-messaging-sid',
        'conversations_configuration',
        {'default_messaging_service_sid': 'IS' + HEX32},
        'default_messaging_service_sid must be a SID matching ^MG[0-9a-fA-F]{32}$',
        {},
    ),
    (
        'conv-config-target-choice',
        'conversations_configuration',
        {'webhooks': {'target': 'sms'}},
        'value of target must be one of: webhook, flex, got: sms found in webhooks',
        {},
    ),
    (
        'conv-config-filter-empty',
        'conversations_configuration',
        {'webhooks': {'filters': ['onUserAdded', '']}},
        'webhooks.filters must not contain empty names',
        {},
    ),
    # --- the set module: every setting, name and guard is checked before the first request
    (
        'convs-chat-setting',
        'conversations_services',
        {'services': [{'name': 'one', 'settings': {'reachability_enabled': True}}]},
        'services[0].settings.reachability_enabled is not a Conversations service setting',
        {'setup': 'one'},
    ),
    (
        'convs-setting-typo',
        'conversations_services',
        {'services': [{'name': 'one', 'settings': {'webhooks': {'filter': ['onMessageAdded']}}}]},
        'services[0].settings.webhooks.filter is not a Conversations service setting; did you mean filters?',
        {'setup': 'one'},
    ),
    (
        'convs-filter-empty',
        'conversations_services',
        {'services': [{'name': 'one', 'settings': {'webhooks': {'filters': ['onMessageSent', '']}}}]},
        'services[0].settings.webhooks.filters must not contain empty names',
        {'setup': 'one'},
    ),
    (
        'convs-method-choice',
        'conversations_services',
        {'services': [{'name': 'one', 'settings': {'webhooks': {'method': 'PUT'}}}]},
        "services[0].settings.webhooks.method must be one of GET, POST, got 'PUT'",
        {'setup': 'one'},
    ),
    (
        'convs-template-not-a-string',
        'conversations_services',
        {'services': [{'name': 'one', 'settings': {'notifications': {'new_message': {'template': {'t': 1}}}}}]},
        'services[0].settings.notifications.new_message.template must be of type str',
        {'setup': 'one'},
    ),
    (
        'convs-bool-not-a-bool',
        'conversations_services',
        {'services': [{'name': 'one', 'settings': {'configuration': {'reachability_enabled': 'maybe'}}}]},
        'services[0].settings.configuration.reachability_enabled must be of type bool',
        {'setup': 'one'},
    ),
    (
        'convs-role-sid-bad',
        'conversations_services',
        {'services': [{'name': 'one', 'settings': {'configuration': {'default_chat_service_role_sid': 'RL' + HEX32 + '\n'}}}]},
        'services[0].settings.configuration.default_chat_service_role_sid must be a role SID matching ^RL[0-9a-fA-F]{32}$',
        {'setup': 'one'},
    ),
    (
        'convs-webhook-url-bad',
        'conversations_services',
        {'services': [{'name': 'one', 'settings': {'webhooks': {'post_webhook_url': 'ftp://h.example/x'}}}]},
        'services[0].settings.webhooks.post_webhook_url must be an absolute http(s) URL',
        {'setup': 'one'},
    ),
    (
        'convs-name-a-list',
        'conversations_services',
        {'services': [{'name': ['one']}]},
        'services[0].friendly_name must be a string, got a list',
        {'setup': 'one'},
    ),
    (
        'convs-name-too-long',
        'conversations_services',
        {'services': [{'name': 'n' * 257}]},
        'services[0].friendly_name must be at most 256 characters, got 257',
        {},
    ),
    (
        'convs-name-twice',
        'conversations_services',
        {'services': [{'name': 'one'}, {'name': 'one', 'state': 'absent'}]},
        "services[1].friendly_name 'one' is also services[0].friendly_name; each service may be listed once",
        {'setup': 'one'},
    ),
    (
        'convs-protected-unconfirmed',
        'conversations_services',
        {'services': [{'name': 'one', 'state': 'absent', 'protected': True}], 'confirm_delete': ['one-old', 'on']},
        "Refusing to delete the protected conversations service 'one' (services[0])",
        {'setup': 'one'},
    ),
    (
        'convs-stray-pattern-bad',
        'conversations_services',
        {'services': [], 'stray_pattern': 'one-('},
        'stray_pattern is not a valid regular expression',
        {'setup': 'one'},
    ),
    (
        'convs-stray-unconfirmed',
        'conversations_services',
        {'services': [], 'stray_pattern': 'o.e', 'purge': True, 'confirm_delete': ['on', 'one-old']},
        'Refusing to delete the stray conversations service(s) one (purge=true)',
        {'setup': 'one'},
    ),
    (
        'convs-ambiguous-name',
        'conversations_services',
        {'services': [{'name': 'dup', 'settings': {'webhooks': {'method': 'GET'}}}]},
        "friendly_name 'dup' matches 2 conversations services",
        {'setup': 'dup'},
    ),
    (
        'convs-wrong-auth-token',
        'conversations_services',
        {'services': [{'name': 'one'}]},
        'Failed to list conversations services: Authenticate',
        {'setup': 'one', 'creds': {'account_sid': 'env', 'auth_token': WRONG_TOKEN}},
    ),
    (
        'convs-html-502',
        'conversations_services',
        {'services': [{'name': 'one'}], 'retries': 1, 'retry_timeout': 5},
        'Failed to list conversations services: HTTP 502 Bad Gateway',
        {'base': _stub('html502')},
    ),
]


@pytest.mark.parametrize('case_id, module, args, fragment, options', CONVERSATIONS_CASES, ids=[c[0] for c in CONVERSATIONS_CASES])
def test_conversations_bad_input(clean, servers, case_id, module, args, fragment, options):  # pylint: disable=redefined-outer-name
    emulator = clean
    _setup(emulator, options.get('setup'))
    before = emulator.services()
    full = dict(args)
    if options.get('sid_of'):
        full['sid'] = [s['sid'] for s in before if s['friendly_name'] == options['sid_of']][0]
    full.update(_connection(emulator, options.get('creds')))
    base = options.get('base', _emu)({'emulator': emulator, 'servers': servers})
    full['api_base_url'] = base
    run = harness.run_module(module, full, harness.base_env(emulator, credentials=None))

    result = run.result
    assert result is not None, 'no JSON result (%s)\n%s' % (case_id, run.describe())
    msg = result.get('msg', '')
    assert result.get('failed') is True and run.rc != 0, '%s did not fail: %s' % (case_id, result)
    assert fragment in msg, '%s: expected %r in msg %r' % (case_id, fragment, msg)
    assert '\n' not in msg.strip() and 'exception' not in result
    for text in (run.stdout, run.stderr, msg):
        assert not harness.TRACEBACK_RE.search(text), '%s: Python traceback:\n%s' % (case_id, text)
    assert harness.writes(emulator.requests_log()) == [], '%s: write requests sent' % case_id
    assert emulator.services() == before


def test_conversations_matrix_covers_every_conversations_module():
    modules = set(c[1] for c in CONVERSATIONS_CASES)
    assert modules == {'conversations_service', 'conversations_service_info', 'conversations_configuration', 'conversations_services'}
    assert len(set(c[0] for c in CONVERSATIONS_CASES)) == len(CONVERSATIONS_CASES)
    harness.report('bad-input matrix: %d Conversations module cases' % len(CONVERSATIONS_CASES))


# ---- roles (chat_role, conversations_role): refused before any request ('early'), or after the reads with no write ----
ROLE_CASES = [
    (
        'role-empty-permissions',
        'chat_role',
        {'service': 'one', 'friendly_name': 'r', 'type': 'channel', 'permissions': []},
        'permissions must name at least one permission',
        {'early': True},
    ),
    (
        'role-empty-permission-name',
        'conversations_role',
        {'service': 'one', 'friendly_name': 'r', 'type': 'conversation', 'permissions': ['sendMessage', '']},
        'permissions must not contain empty names',
        {'early': True},
    ),
    (
        'role-name-too-long',
        'chat_role',
        {'service': 'one', 'friendly_name': 'r' * 65, 'type': 'channel', 'permissions': ['a']},
        'friendly_name must be at most 64 characters, got 65',
        {'early': True},
    ),
    (
        'role-name-empty',
        'conversations_role',
        {'friendly_name': ' ', 'type': 'service', 'permissions': ['a']},
        'friendly_name must not be empty',
        {'early': True},
    ),
    ('role-service-empty', 'chat_role', {'service': '', 'friendly_name': 'r'}, 'service must be a service SID', {'early': True}),
    (
        'role-type-choice',
        'conversations_role',
        {'service': 'one', 'friendly_name': 'r', 'type': 'channel'},
        'value of type must be one of: conversation, service',
        {'early': True},
    ),
    (
        'role-permissions-string',
        'chat_role',
        {'service': 'one', 'friendly_name': 'r', 'permissions': [{'a': 1}]},
        'permissions[0] must be a string',
        {'early': True},
    ),
    ('role-type-change', 'chat_role', {'service': 'one', 'friendly_name': 'channel user', 'type': 'deployment'}, 'is of type channel, not deployment', {}),
    (
        'role-type-change-conv',
        'conversations_role',
        {'service': 'one', 'friendly_name': 'service user', 'type': 'conversation'},
        'is of type service, not conversation',
        {},
    ),
    ('role-create-without-type', 'chat_role', {'service': 'one', 'friendly_name': 'new', 'permissions': ['a']}, 'to create it set type', {}),
    (
        'role-delete-default',
        'chat_role',
        {'service': 'one', 'friendly_name': 'channel admin', 'state': 'absent'},
        'is the default_channel_creator_role_sid of its service',
        {},
    ),
    (
        'role-delete-default-conv',
        'conversations_role',
        {'service': 'one', 'friendly_name': 'service user', 'state': 'absent'},
        'is the default_chat_service_role_sid of its service',
        {},
    ),
    # The service modules' default_*_role_sid given a role's friendly_name (issue 20 item 10): resolved after the reads.
    ('role-name-unknown', 'chat_service', {'friendly_name': 'one', 'default_channel_role_sid': 'moderator'}, "has no role named 'moderator'", {}),
    (
        'role-name-unknown-conv',
        'conversations_service',
        {'friendly_name': 'one', 'configuration': {'default_conversation_role_sid': 'moderator'}},
        "configuration.default_conversation_role_sid: service IS",
        {},
    ),
    (
        'role-name-unknown-set',
        'conversations_services',
        {'services': [{'friendly_name': 'one', 'settings': {'configuration': {'default_chat_service_role_sid': 'nobody'}}}]},
        "has no role named 'nobody'",
        {},
    ),
    (
        'role-name-blank',
        'chat_service',
        {'friendly_name': 'one', 'default_service_role_sid': '  '},
        'default_service_role_sid must be a role SID',
        {'early': True},
    ),
    (
        'role-name-control',
        'chat_service',
        {'friendly_name': 'one', 'default_service_role_sid': 'mod\x07erator'},
        'default_service_role_sid must not contain NUL or control characters',
        {'early': True},
    ),
    ('role-ambiguous-service', 'chat_role', {'service': 'dup', 'friendly_name': 'r'}, "service 'dup' matches 2 chat services", {'setup': 'dup'}),
    (
        'role-unknown-service',
        'conversations_role',
        {'service': 'nope', 'friendly_name': 'r'},
        "service 'nope': no conversations service has this friendly_name",
        {},
    ),
    (
        'cred-sandbox-fcm',
        'conversations_credential',
        {'friendly_name': 'c', 'type': 'fcm', 'sandbox': True, 'secret': 'fcm-server-key-1'},
        'sandbox is for apn credentials only',
        {'early': True},
    ),
    (
        'cred-secret-apn',
        'conversations_credential',
        {'friendly_name': 'c', 'type': 'apn', 'secret': 'fcm-server-key-1'},
        'secret is for fcm credentials only',
        {'early': True},
    ),
    (
        'cred-certificate-fcm',
        'conversations_credential',
        {'friendly_name': 'c', 'type': 'fcm', 'certificate': 'PEM'},
        'certificate is for apn credentials only',
        {'early': True},
    ),
    ('cred-empty-secret', 'conversations_credential', {'friendly_name': 'c', 'type': 'fcm', 'secret': ''}, 'secret must not be empty', {'early': True}),
    ('cred-type-gcm', 'conversations_credential', {'friendly_name': 'c', 'type': 'gcm'}, 'value of type must be one of: apn, fcm', {'early': True}),
    (
        'cred-name-too-long',
        'conversations_credential',
        {'friendly_name': 'c' * 65, 'type': 'fcm', 'secret': 'fcm-server-key-1'},
        'friendly_name must be at most 64 characters, got 65',
        {'early': True},
    ),
    (
        'cred-update-secrets',
        'conversations_credential',
        {'friendly_name': 'c', 'update_secrets': 'sometimes'},
        'value of update_secrets must be one of: on_create, always',
        {'early': True},
    ),
    ('cred-create-without-secret', 'conversations_credential', {'friendly_name': 'c', 'type': 'apn', 'certificate': 'PEM'}, 'to create it set private_key', {}),
    ('cred-create-without-type', 'conversations_credential', {'friendly_name': 'c'}, 'to create it set type', {}),
    # the spec gives these SIDs a pattern and no "": refused before any request, not even a listing (issue 20)
    (
        'clear-conv-role-sid',
        'conversations_service',
        {'friendly_name': 'one', 'configuration': {'default_conversation_role_sid': ''}},
        "configuration.default_conversation_role_sid must be a role SID matching ^RL[0-9a-fA-F]{32}$, got ''",
        {'early': True},
    ),
    (
        'clear-convs-role-sid',
        'conversations_services',
        {'services': [{'name': 'one', 'settings': {'configuration': {'default_chat_service_role_sid': ''}}}]},
        'services[0].settings.configuration.default_chat_service_role_sid must be a role SID',
        {'early': True},
    ),
    (
        'clear-default-chat-service',
        'conversations_configuration',
        {'default_chat_service_sid': ''},
        "default_chat_service_sid must be a SID matching ^IS[0-9a-fA-F]{32}$, got ''",
        {'early': True},
    ),
    (
        'clear-default-messaging-service',
        'conversations_configuration',
        {'default_messaging_service_sid': ''},
        "default_messaging_service_sid must be a SID matching ^MG[0-9a-fA-F]{32}$, got ''",
        {'early': True},
    ),
]


@pytest.mark.parametrize('case_id, module, args, fragment, options', ROLE_CASES, ids=[c[0] for c in ROLE_CASES])
def test_role_bad_input(clean, case_id, module, args, fragment, options):
    emulator = clean
    _setup(emulator, options.get('setup', 'one'))
    before = emulator.services()
    full = dict(args, api_base_url=_emu({'emulator': emulator}))
    full.update(_connection(emulator, None))
    run = harness.run_module(module, full, harness.base_env(emulator, credentials=None))

    result = run.result
    assert result is not None, 'no JSON result (%s)\n%s' % (case_id, run.describe())
    msg = result.get('msg', '')
    assert result.get('failed') is True and run.rc != 0, '%s did not fail: %s' % (case_id, result)
    assert fragment in msg, '%s: expected %r in msg %r' % (case_id, fragment, msg)
    assert '\n' not in msg.strip() and 'exception' not in result
    for text in (run.stdout, run.stderr, msg):
        assert not harness.TRACEBACK_RE.search(text), '%s: Python traceback:\n%s' % (case_id, text)
    log = emulator.requests_log()
    assert harness.writes(log) == [], '%s: write requests sent' % case_id
    if options.get('early'):
        assert log == [], '%s: requests sent before the input was refused: %s' % (case_id, log)
    assert emulator.services() == before
