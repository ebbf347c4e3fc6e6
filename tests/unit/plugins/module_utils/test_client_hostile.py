# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The client against answers a hostile or broken server gives (issue: hostile conditions).

Each test scripts the answer on the fake session and asserts what the client sent
afterwards: nothing that the answer could have steered.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import threading
from unittest import mock
import time

import pytest
import requests

from ansible_collections.chatops.twilio.plugins.module_utils import _client, _exchange
from ansible_collections.chatops.twilio.plugins.module_utils import _create as creates
from ansible_collections.chatops.twilio.plugins.module_utils._client import (
    Redactor,
    TwilioAnswerError,
    TwilioApiError,
    TwilioConfigError,
    TwilioConnectionError,
    TwilioError,
)
from ansible_collections.chatops.twilio.plugins.module_utils._errors import TwilioCreateUnknown
from ansible_collections.chatops.twilio.plugins.module_utils._endpoints import base_url_warnings, build_base_url
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    response,
)

SID = 'IS' + 'a' * 32
BASIC = base64.b64encode(('%s:%s' % (ACCOUNT_SID, AUTH_TOKEN)).encode()).decode()


# ---- redirects are never followed ------------------------------------------------------------------


@pytest.mark.parametrize('status', [301, 302, 303, 307, 308])
def test_redirect_to_a_create_is_an_error_and_nothing_else_is_sent(client, status):
    client.fake.fail(response(status, raw='', headers={'Location': 'https://evil.example:8443/chat/v2/Services'}), method='POST')
    with pytest.raises(TwilioApiError) as exc:
        creates.create_unique(client, 'chat', 'v2', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'}, known_sids=set())
    assert 'redirect to evil.example:8443 refused' in str(exc.value)
    assert [c[0] for c in client.fake.calls] == ['POST'] and list(client.fake.services) == [client.fake.default_sid]


def test_session_is_asked_not_to_follow_redirects(client):
    seen = {}
    original = client.fake.request

    def spy(method, url, **kwargs):
        seen.update(kwargs)
        return original(method, url, **kwargs)

    client.fake.request = spy
    client.list('chat', 'v2', 'Services')
    assert seen['allow_redirects'] is False and seen['stream'] is True


def test_relative_redirect_names_the_configured_host(client):
    client.fake.fail(response(302, raw='', headers={'Location': '/somewhere'}))
    with pytest.raises(TwilioApiError) as exc:
        client.get('chat', 'v2', 'Services')
    assert 'redirect to the same host chat.twilio.com:443 refused' in str(exc.value)


# ---- answers are checked before anything in them is used ---------------------------------------------


@pytest.mark.parametrize(
    'raw, words',
    [
        ('', 'expected an object, got null'),
        ('null', 'expected an object, got null'),
        ('[1]', 'expected an object, got a list of 1 item'),
        ('42', 'expected an object, got the number 42'),
        ('{"services": [1], "meta": {"key": "services"}}', 'expected a list of objects, got the number 1'),
        ('{"services": []}', 'no "meta" object'),
        ('{"meta": {"key": "services"}}', 'expected a list under \'services\', got null'),
        ('{"services": [], "meta": {"key": "services", "next_page_url": 7}}', 'next_page_url must be a URL or null'),
        ('{"services": [{"sid": "../../2010-04-01/Accounts/AC1/Messages.json?To=1"}], "meta": {"key": "services"}}', 'expected a record with a IS SID'),
        ('{"services": [{"sid": "ZS%s"}], "meta": {"key": "services"}}' % ('b' * 32), 'got sid the string \'ZS'),
    ],
)
def test_malformed_list_page_is_an_error_never_no_records(client, raw, words):
    client.fake.fail(response(200, raw=raw, headers={'Content-Type': 'application/json'}))
    with pytest.raises(TwilioAnswerError) as exc:
        client.list('chat', 'v2', 'Services')
    assert words in exc.value.message and '\n' not in exc.value.describe()
    assert len(client.fake.calls) == 1


@pytest.mark.parametrize(
    'raw', ['', 'null', '[]', '{"friendly_name": "x"}', '{"sid": "IS1"}', '{"sid": "ZS%s"}' % ('c' * 32), '{"sid": "IS%s\\n"}' % ('c' * 32)]
)
def test_malformed_single_answers(client, raw):
    client.fake.fail(response(200, raw=raw, headers={'Content-Type': 'application/json'}))
    with pytest.raises(TwilioAnswerError):
        client.fetch('chat', 'v2', 'Services/%s' % SID)


def test_malformed_create_answer_is_not_followed_by_any_write(client):
    client.fake.fail(response(201, raw='{}', headers={'Content-Type': 'application/json'}), method='POST', commit=True)
    with pytest.raises(TwilioAnswerError):
        creates.create_unique(client, 'chat', 'v2', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'}, known_sids=set())
    assert [c[0] for c in client.fake.calls] == ['POST']


def test_serverless_answer_for_a_chat_request_is_the_wrong_kind(client):
    client.fake.fail(response(201, {'sid': 'ZS' + 'd' * 32, 'unique_name': 'x'}), method='POST')
    with pytest.raises(TwilioAnswerError) as exc:
        creates.create_unique(client, 'chat', 'v1', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'}, known_sids=set())
    assert 'IS SID' in exc.value.message


@pytest.mark.parametrize('path', ['Services/../../2010-04-01/Accounts', 'Services/IS1?To=x', 'Services/a b', 'Services/%s\n' % SID, 'Services/ZS' + 'e' * 32])
def test_unsafe_or_wrong_kind_paths_are_never_sent(client, path):
    with pytest.raises(TwilioError):
        client.update('chat', 'v2', path, [('A', 1)])
    assert client.fake.calls == []


def test_next_page_url_only_carries_paging_parameters(client):
    page = {'services': [], 'meta': {'key': 'services', 'next_page_url': 'https://evil.example/2010-04-01/Accounts?To=1&Body=x&PageToken=PT1&Page=1'}}
    client.fake.fail(response(200, page))
    client.fake.fail(response(200, {'services': [], 'meta': {'key': 'services', 'next_page_url': None}}))
    client.list('chat', 'v2', 'Services')
    second = client.fake.calls[1]
    assert second[1] == '/chat/v2/Services' and set(second[2]) == {'Page', 'PageToken'}


# ---- secrets ------------------------------------------------------------------------------------


@pytest.mark.parametrize('echo', [AUTH_TOKEN, BASIC, BASIC.rstrip('='), 'Basic %s' % BASIC, requests.utils.quote(BASIC, safe=''), BASIC.replace('/', '\\/')])
def test_error_echoing_credentials_is_redacted_everywhere(client, sleeps, echo):
    body = {'code': 20500, 'message': 'bad request with Authorization: %s' % echo, 'status': 500, 'more_info': 'https://x/?auth=%s' % echo}
    client.fake.fail(response(500, body), times=10)
    html = '<html><title>Authorization %s</title></html>' % echo
    client.fake.fail(response(502, raw=html, headers={'Content-Type': 'text/html'}))
    with pytest.raises(TwilioApiError) as exc:
        client.get('chat', 'v2', 'Services')
    texts = [exc.value.describe(), '%s' % exc.value.to_result()] + client.warnings
    for text in texts:
        assert AUTH_TOKEN not in text and BASIC.rstrip('=') not in text and '********' in text


def test_redactor_covers_api_secret_and_nested_data():
    redactor = Redactor(['s3cr3t-value'], ['SK' + '1' * 32])
    basic = base64.b64encode(b'SK' + b'1' * 32 + b':s3cr3t-value').decode()
    data = {'a': ['x s3cr3t-value y', {'k': basic}], 'b': 5, basic: 1}
    assert 's3cr3t' not in repr(redactor.data(data)) and basic not in repr(redactor.data(data))
    assert Redactor([None, ''], []).data('anything') == 'anything'


def test_huge_error_message_becomes_one_short_line(client):
    client.fake.fail(response(400, {'code': 20001, 'message': 'x\n' * 1000000, 'status': 400}))
    with pytest.raises(TwilioApiError) as exc:
        client.get('chat', 'v2', 'Services')
    assert len(exc.value.describe()) < 500 and '\n' not in exc.value.describe()


# ---- size and time bounds -----------------------------------------------------------------------


def test_body_over_the_cap_is_refused_while_read(client):
    big = 'x' * (_exchange.MAX_BODY_BYTES + 1)
    client.fake.fail(response(200, raw=big, headers={'Content-Type': 'application/json'}))
    with pytest.raises(TwilioAnswerError) as exc:
        client.get('chat', 'v2', 'Services')
    assert 'larger than 5 MiB' in exc.value.message


def test_declared_length_over_the_cap_is_refused_before_reading(client):
    client.fake.fail(response(200, raw='{}', headers={'Content-Length': str(300 * 1024 * 1024)}))
    with pytest.raises(TwilioAnswerError) as exc:
        client.get('chat', 'v2', 'Services')
    assert '314572800 bytes' in exc.value.message


def test_a_request_that_never_completes_ends_at_the_deadline(client):
    release = threading.Event()

    def hang(method, url, **kwargs):
        release.wait(10)
        raise requests.exceptions.ConnectionError('too late')

    client.fake.request = hang
    client.timeout = 0.3
    client.retries = 0
    start = time.monotonic()
    with pytest.raises(TwilioConnectionError) as exc:
        client.get('chat', 'v2', 'Services')
    release.set()
    assert time.monotonic() - start < 2 and 'no complete response from' in exc.value.message


def test_spent_budget_sends_nothing(client):
    client.retry_timeout = -client.timeout - 1  # the request's budget (retry_timeout + timeout) ended before it started
    with pytest.raises(TwilioConnectionError) as exc:
        client.get('chat', 'v2', 'Services')
    assert 'no attempt left for GET /v2/Services: its budget' in exc.value.message and client.fake.calls == []


def test_each_request_has_its_own_budget(client, sleeps):
    """A run of healthy requests that together outlast retry_timeout + timeout is never cut short."""
    client.retry_timeout, client.timeout = 1.0, 1.0
    clock = [1000.0]
    with mock.patch.object(_client.time, 'monotonic', side_effect=lambda: clock.__setitem__(0, clock[0] + 0.5) or clock[0]):
        for dummy in range(20):  # 20 requests, 10 s of the client's time, against a 2 s budget per request
            client.get('chat', 'v2', 'Services')
    assert len(client.fake.calls) == 20


# ---- creates: slow commits and concurrent runs --------------------------------------------------


def test_create_that_commits_after_the_timeout_is_adopted_by_polling(client, sleeps):
    client.fake.fail(requests.exceptions.ReadTimeout('read timed out'), method='POST')
    looks = []

    def late_commit():
        looks.append(1)
        if len(looks) < 3:
            return False
        client.fake.add('x')  # Twilio commits while the client looks again
        return True

    client.fake.before(late_commit, method='GET', path=r'/Services$')
    record, adopted = creates.create_unique(client, 'chat', 'v2', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'}, known_sids=set())
    assert adopted is True and len(client.fake.services) == 2
    assert [c[0] for c in client.fake.calls].count('POST') == 1


def test_create_unknown_is_clear_and_counts_its_looks(client, sleeps):
    client.fake.fail(requests.exceptions.ReadTimeout('read timed out'), method='POST')
    with pytest.raises(TwilioCreateUnknown) as exc:
        creates.create_unique(client, 'chat', 'v2', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'}, known_sids=set())
    assert "no new record matching friendly_name='x' appeared" in exc.value.message
    assert [c[0] for c in client.fake.calls] == ['POST', 'GET', 'GET', 'GET', 'GET'] and exc.value.retries == 3


def test_namesake_created_first_by_a_concurrent_run_wins(client, sleeps):
    other = client.fake.add('x')
    client.fake.services[other]['date_created'] = '2025-01-01T00:00:00Z'
    record, adopted = creates.create_unique(client, 'chat', 'v2', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'}, known_sids=set())
    assert record['sid'] == other and adopted is True
    assert list(client.fake.services) == [client.fake.default_sid, other]
    assert [c[0] for c in client.fake.calls] == ['POST', 'GET', 'DELETE']
    assert 'deleting' in client.warnings[-1] and other in client.warnings[-1]


def test_namesake_created_later_leaves_ours(client, sleeps):
    record, adopted = creates.create_unique(client, 'chat', 'v2', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'}, known_sids=set())
    later = client.fake.add('x')
    client.fake.services[later]['date_created'] = '2099-01-01T00:00:00Z'
    assert creates.resolve_namesakes(client, 'chat', 'v2', 'Services', [(record, {'friendly_name': 'x'})]) == [record]
    assert len(client.fake.services) == 3 and 'DELETE' not in [c[0] for c in client.fake.calls]


def test_same_second_namesakes_are_decided_by_sid_in_every_run(client, sleeps):
    first = client.fake.add('x', sid='IS' + '1' * 32)
    second = client.fake.add('x', sid='IS' + '2' * 32)
    for sid in (first, second):
        client.fake.services[sid]['date_created'] = '2025-01-01T00:00:00Z'
    a = creates.resolve_namesakes(client, 'chat', 'v2', 'Services', [(client.fake.services[second], {'friendly_name': 'x'})])
    assert a[0]['sid'] == min(first, second) and list(client.fake.services) == [client.fake.default_sid, min(first, second)]


def test_keyed_create_honours_retry_after_after_a_5xx(client, sleeps):
    client.fake.fail(response(503, {'code': 20503, 'message': 'busy', 'status': 503}, headers={'Retry-After': '30'}), method='POST')
    creates.create_keyed(client, 'chat', 'v2', 'Services', [('FriendlyName', 'x')], lambda: None)
    assert sleeps == [30.0]


# ---- connection settings ------------------------------------------------------------------------


@pytest.mark.parametrize(
    'url, words',
    [
        ('http://user:hunter2@127.0.0.1:1/{product}', 'must not contain user:password@'),
        ('http://127.0.0.1:1/{product}?x=1', 'must not contain a ?query or #fragment'),
        ('http://127.0.0.1:1/{product}#frag', 'must not contain a ?query or #fragment'),
        ('http://127.0.0.1:1/{product}?', 'must not contain a ?query or #fragment'),
        ('http://127.0.0.1:1/{product}\n', 'white space'),
        ('ftp://127.0.0.1/{product}', 'absolute http(s) URL'),
    ],
)
def test_base_url_rules(url, words):
    with pytest.raises(TwilioConfigError) as exc:
        build_base_url(url)
    assert words in exc.value.message and 'hunter2' not in exc.value.message


@pytest.mark.parametrize('product, version, refused', [('serverless', 'v1', True), ('chat', 'v1', True), ('conversations', 'v1', True), ('chat', 'v2', False)])
def test_base_url_without_product_is_refused_where_it_would_misroute(client, product, version, refused):
    client.base_url = 'http://127.0.0.1:8080/chat'
    if refused:
        with pytest.raises(TwilioConfigError) as exc:
            client.url(product, version, 'Services')
        assert '{product}' in exc.value.message
    else:
        assert client.url(product, version, 'Services') == 'http://127.0.0.1:8080/chat/v2/Services'


@pytest.mark.parametrize(
    'url, certs, count',
    [
        ('http://127.0.0.1:8080/{product}', True, 0),
        ('http://localhost/{product}', True, 0),
        ('http://[::1]:8080/{product}', True, 0),
        ('http://twilio-proxy.internal/{product}', True, 1),
        ('https://{product}.twilio.com', False, 1),
        ('https://{product}.twilio.com', True, 0),
    ],
)
def test_warnings_for_credentials_in_clear(url, certs, count):
    assert len(base_url_warnings(url, certs)) == count
