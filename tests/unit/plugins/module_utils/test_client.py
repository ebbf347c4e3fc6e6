# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import re
import time
from unittest import mock

import pytest
import requests

from ansible_collections.chatops.twilio.plugins.module_utils import _client
from ansible_collections.chatops.twilio.plugins.module_utils import _retry_rule
from ansible_collections.chatops.twilio.plugins.module_utils import _create as creates
from ansible_collections.chatops.twilio.plugins.module_utils._client import (
    TwilioApiError,
    TwilioConfigError,
    TwilioConnectionError,
    backoff_delay,
)
from ansible_collections.chatops.twilio.plugins.module_utils._endpoints import build_base_url, encode_form
from ansible_collections.chatops.twilio.plugins.module_utils._errors import parse_retry_after
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    response,
    twilio_error,
)

# ---- configuration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    'kwargs, expected',
    [
        ({}, 'https://{product}.twilio.com'),
        ({'region': 'ie1'}, 'https://{product}.ie1.twilio.com'),
        ({'edge': 'sydney'}, 'https://{product}.sydney.us1.twilio.com'),
        ({'edge': 'dublin', 'region': 'ie1'}, 'https://{product}.dublin.ie1.twilio.com'),
        ({'api_base_url': 'http://127.0.0.1:8080/{product}/', 'region': 'ie1'}, 'http://127.0.0.1:8080/{product}'),
    ],
)
def test_build_base_url(kwargs, expected):
    assert build_base_url(**kwargs) == expected


@pytest.mark.parametrize(
    'kwargs, word',
    [
        ({'api_base_url': 'chat.twilio.com'}, 'api_base_url'),
        ({'api_base_url': 'ftp://user:pw@x/{product}'}, 'api_base_url'),
        ({'region': 'IE 1'}, 'region'),
        ({'edge': 'dub.lin'}, 'edge'),
    ],
)
def test_build_base_url_rejects(kwargs, word):
    with pytest.raises(TwilioConfigError) as exc:
        build_base_url(**kwargs)
    assert word in exc.value.message and 'pw' not in exc.value.message


def test_session_setup_and_urls(client):
    assert client.session.auth == (ACCOUNT_SID, AUTH_TOKEN)
    agent = client.session.headers['User-Agent']
    assert agent.startswith('chatops.twilio/%s ' % _client.COLLECTION_VERSION)
    assert client.session.headers['Accept'] == 'application/json'
    assert client.url('serverless', 'v1', '/Services/ZS1') == 'https://serverless.twilio.com/v1/Services/ZS1'


def test_collection_version_matches_galaxy():
    import os

    galaxy = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'galaxy.yml')
    with open(galaxy) as handle:
        assert 'version: %s\n' % _client.COLLECTION_VERSION in handle.read()


def test_encode_form():
    assert encode_form([('A', True), ('B', False), ('C', 5), ('D', ['x', 'y']), ('E', []), ('F', None), ('G', '')]) == [
        ('A', 'true'),
        ('B', 'false'),
        ('C', '5'),
        ('D', 'x'),
        ('D', 'y'),
        ('E', ''),
        ('G', ''),
    ]


def test_parse_retry_after():
    assert parse_retry_after('3') == 3.0
    assert parse_retry_after(None) is None
    assert parse_retry_after('soon') is None
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= parse_retry_after(later) <= 31


def test_backoff_grows_and_is_capped():
    with mock.patch.object(_retry_rule.random, 'uniform', side_effect=lambda a, b: b):
        assert [backoff_delay(n) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    with mock.patch.object(_retry_rule.random, 'uniform', side_effect=lambda a, b: a):
        assert backoff_delay(3) == 2.0


# ---- errors ------------------------------------------------------------------------------------


def test_404_fetch_is_none_and_delete_false(client):
    assert client.fetch('chat', 'v2', 'Services/IS' + '0' * 32) is None
    assert client.delete('chat', 'v2', 'Services/IS' + '0' * 32) is False


HTML_404 = '<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>'


@pytest.mark.parametrize(
    'outcome, text',
    [
        (
            response(404, raw=HTML_404, headers={'Content-Type': 'text/html; charset=utf-8'}),
            'HTTP 404 Not Found (non-JSON text/html response: 404 Not Found) from '
            'http://proxy.local/chat/v2/Services/IS1, not a Twilio API answer: check api_base_url',
        ),
        (
            response(404),
            'HTTP 404 Not Found (non-JSON no content type response) from http://proxy.local/chat/v2/Services/IS1, not a Twilio API answer: check api_base_url',
        ),
        (
            response(404, {'message': 'Not Found', 'status': 404}),
            'Not Found (HTTP 404) from http://proxy.local/chat/v2/Services/IS1, not a Twilio API answer: check api_base_url',
        ),
        (
            twilio_error(404, 20001, 'Some other 404'),
            'Some other 404 (code 20001) from http://proxy.local/chat/v2/Services/IS1, not a Twilio API answer: check api_base_url',
        ),
    ],
)
@pytest.mark.parametrize('verb', ['fetch', 'delete'])
def test_404_without_twilio_code_20404_is_an_error(client, outcome, text, verb):
    client.base_url = 'http://user:pw@proxy.local/{product}'
    client.fake.fail(outcome)
    with pytest.raises(TwilioApiError) as exc:
        getattr(client, verb)('chat', 'v2', 'Services/IS1')
    assert str(exc.value) == text and exc.value.status == 404 and not exc.value.not_found
    assert exc.value.to_result()['status'] == 404


def test_twilio_404_code_may_be_a_string(client):
    client.fake.fail(response(404, {'code': '20404', 'message': 'gone', 'status': 404}))
    assert client.fetch('chat', 'v2', 'Services/IS1') is None


def test_non_json_error_names_its_status_once(client):
    client.fake.fail(response(502, raw='<title>502 Bad Gateway</title>', headers={'Content-Type': 'text/html'}))
    client.retries = 0
    with pytest.raises(TwilioApiError) as exc:
        client.get('chat', 'v2', 'Services')
    assert str(exc.value) == 'HTTP 502 Bad Gateway (non-JSON text/html response: 502 Bad Gateway)'


# ---- a DELETE whose answer was lost ------------------------------------------------------------


@pytest.mark.parametrize(
    'outcome',
    [
        requests.exceptions.ConnectionError('Connection aborted: RemoteDisconnected'),
        requests.exceptions.ReadTimeout('read timed out'),
        twilio_error(500, 20500, 'Internal Server Error'),
        twilio_error(503, 20503, 'Service Unavailable'),
    ],
)
def test_delete_applied_but_answer_lost_is_a_delete(client, sleeps, outcome):
    sid = client.fake.add('x')
    client.fake.fail(outcome, method='DELETE', commit=True)
    assert client.delete('chat', 'v2', 'Services/%s' % sid) is True
    assert [c[0] for c in client.fake.calls] == ['DELETE', 'DELETE'] and list(client.fake.services) == [client.fake.default_sid]
    assert 'the retry found it gone, so that DELETE went through' in client.warnings[-1]
    assert 'DELETE /v2/Services/%s' % sid in client.warnings[-1]


def test_delete_not_applied_then_gone_is_a_delete_too(client, sleeps):
    # The first attempt failed ambiguously (never applied here); someone else deleted it meanwhile.
    # Indistinguishable from a lost answer: the service is gone because this run asked for it.
    sid = client.fake.add('x')
    client.fake.fail(requests.exceptions.ReadTimeout('read timed out'), method='DELETE')
    client.fake.fail(twilio_error(404, 20404, 'gone'), method='DELETE')
    assert client.delete('chat', 'v2', 'Services/%s' % sid) is True


def test_delete_gone_after_an_unambiguous_failure_is_not_ours(client, sleeps):
    # 429 and a connection that was never made are certainly not applied: a 404 after them is someone else's delete.
    for first in (twilio_error(429, 20429, 'Too Many Requests'), requests.exceptions.ConnectTimeout('x')):
        client.fake.fail(first, method='DELETE')
        client.fake.fail(twilio_error(404, 20404, 'gone'), method='DELETE')
        assert client.delete('chat', 'v2', 'Services/IS1') is False
    assert client.warnings and not any('went through' in w for w in client.warnings)


def test_delete_lost_answer_then_html_404_is_an_error(client, sleeps):
    client.fake.fail(requests.exceptions.ReadTimeout('read timed out'), method='DELETE')
    client.fake.fail(response(404, raw=HTML_404, headers={'Content-Type': 'text/html'}), method='DELETE')
    with pytest.raises(TwilioApiError) as exc:
        client.delete('chat', 'v2', 'Services/IS1')
    assert 'check api_base_url' in str(exc.value)


def test_twilio_error_is_decoded(client):
    client.fake.fail(twilio_error(400, 20001, 'Invalid parameter'))
    with pytest.raises(TwilioApiError) as exc:
        client.update('chat', 'v2', 'Services/IS1', [('A', 1)])
    err = exc.value
    assert (err.status, err.code, err.message, err.method, err.path) == (400, 20001, 'Invalid parameter', 'POST', '/v2/Services/IS1')
    assert str(err) == 'Invalid parameter (code 20001)'
    assert err.to_result()['more_info'] == 'https://www.twilio.com/docs/errors/20001'


def test_rfc9457_and_empty_bodies(client):
    client.fake.fail(response(400, {'type': 'x', 'title': 'Bad thing', 'detail': 'field X', 'status': 400}))
    with pytest.raises(TwilioApiError) as exc:
        client.get('chat', 'v2', 'Services')
    assert exc.value.message == 'Bad thing: field X' and str(exc.value).endswith('(HTTP 400)')
    client.fake.fail(response(403))
    with pytest.raises(TwilioApiError) as exc:
        client.get('chat', 'v2', 'Services')
    assert 'HTTP 403' in exc.value.message


def test_connection_error_kinds():
    describe = _client.describe_connection_error
    url = 'http://127.0.0.1:8080/chat/v2/Services'
    assert describe(requests.exceptions.ConnectTimeout('x'), 5, url) == ('connection to 127.0.0.1:8080 timed out after 5s', False, True)
    assert describe(requests.exceptions.ReadTimeout('x'), 5)[1] is True
    assert describe(requests.exceptions.ConnectionError('[Errno 111] Connection refused'), 5, url)[0] == 'connection refused by 127.0.0.1:8080'
    assert (
        describe(requests.exceptions.ConnectionError('Connection refused'), 5, 'https://chat.twilio.com/v2')[0] == 'connection refused by chat.twilio.com:443'
    )
    assert describe(requests.exceptions.ConnectionError('Connection reset by peer'), 5)[1] is True
    message, sent, retryable = describe(requests.exceptions.ConnectionError('something odd\nsecond line'), 5)
    assert message == 'connection to the API endpoint failed: something odd' and sent is True and retryable is True
    assert describe(requests.exceptions.InvalidURL('bad'), 5)[2] is False


# The texts requests gives for TLS failures (as seen against a self-signed and a plain-HTTP server).
TLS_SELF_SIGNED = (
    "HTTPSConnectionPool(host='127.0.0.1', port=4443): Max retries exceeded with url: /chat/v2/Services"
    "?PageSize=100 (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] "
    "certificate verify failed: self-signed certificate (_ssl.c:1006)')))"
)
TLS_HOSTNAME = (
    "HTTPSConnectionPool(host='chat.twilio.com', port=443): Max retries exceeded with url: /v2/Services "
    "(Caused by SSLError(SSLCertVerificationError(1, \"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify "
    "failed: Hostname mismatch, certificate is not valid for 'chat.twilio.com'. (_ssl.c:1006)\")))"
)
TLS_PLAIN_HTTP = (
    "HTTPSConnectionPool(host='127.0.0.1', port=8080): Max retries exceeded with url: /chat/v2/Services "
    "(Caused by SSLError(SSLError(1, '[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)')))"
)
TLS_EOF = (
    "HTTPSConnectionPool(host='chat.twilio.com', port=443): Max retries exceeded with url: /v2/Services "
    "(Caused by SSLError(SSLEOFError(8, '[SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of "
    "protocol (_ssl.c:1006)')))"
)


@pytest.mark.parametrize(
    'text, url, expected, retryable',
    [
        (
            TLS_SELF_SIGNED,
            'https://127.0.0.1:4443/chat/v2/Services',
            'TLS certificate verification failed for https://127.0.0.1:4443: self-signed certificate; '
            'set validate_certs=false only for a trusted test endpoint',
            False,
        ),
        (
            TLS_HOSTNAME,
            'https://user:pw@chat.twilio.com/v2/Services',
            "TLS certificate verification failed for https://chat.twilio.com: Hostname mismatch, certificate is not valid "
            "for 'chat.twilio.com'; set validate_certs=false only for a trusted test endpoint",
            False,
        ),
        (
            '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed',
            None,
            'TLS certificate verification failed for the API endpoint; set validate_certs=false only for a trusted test endpoint',
            False,
        ),
        (
            TLS_PLAIN_HTTP,
            'https://127.0.0.1:8080/chat/v2/Services',
            'TLS error: [SSL: WRONG_VERSION_NUMBER] wrong version number from https://127.0.0.1:8080 (is it plain HTTP? check api_base_url)',
            False,
        ),
        (
            TLS_EOF,
            'https://chat.twilio.com/v2/Services',
            'TLS error: [SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol from https://chat.twilio.com',
            True,
        ),
    ],
)
def test_tls_errors_are_one_clean_line(text, url, expected, retryable):
    message, sent, can_retry = _client.describe_connection_error(requests.exceptions.SSLError(text), 5, url)
    assert message == expected and sent is False and can_retry is retryable
    assert message.count('(') == message.count(')') and '_ssl.c' not in message and 'pw' not in message


@pytest.mark.parametrize('kind', ['read', 'update', 'delete', 'create'])
def test_certificate_failures_are_not_retried(client, sleeps, kind):
    client.fake.fail(requests.exceptions.SSLError(TLS_SELF_SIGNED), times=10)
    method = {'read': 'GET', 'delete': 'DELETE'}.get(kind, 'POST')
    with pytest.raises(TwilioConnectionError) as exc:
        client.request(method, 'chat', 'v2', 'Services', kind=kind)
    assert len(client.fake.calls) == 1 and sleeps == [] and client.warnings == []
    assert exc.value.describe() == (
        'TLS certificate verification failed for https://chat.twilio.com: self-signed '
        'certificate; set validate_certs=false only for a trusted test endpoint (%s '
        '/v2/Services)' % method
    )


def test_transient_tls_failure_of_a_read_is_retried(client, sleeps):
    client.fake.fail(requests.exceptions.SSLError(TLS_EOF))
    assert [s['sid'] for s in client.list('chat', 'v2', 'Services')] == [client.fake.default_sid] and len(sleeps) == 1


# ---- retries -----------------------------------------------------------------------------------


def test_read_retries_5xx_then_succeeds(client, sleeps):
    client.fake.fail(twilio_error(503, 20503, 'Unavailable'), times=2)
    assert [s['sid'] for s in client.list('chat', 'v2', 'Services')] == [client.fake.default_sid]
    assert len(sleeps) == 2 and client.retries_used == 2 and len(client.warnings) == 2
    assert 'retry 1 of 3' in client.warnings[0] and 'GET /v2/Services' in client.warnings[0]


def test_retry_after_is_honoured(client, sleeps):
    client.fake.fail(response(429, {'code': 20429, 'message': 'Too Many Requests'}, headers={'Retry-After': '7'}))
    client.get('chat', 'v2', 'Services')
    assert sleeps == [7.0]


def test_no_retry_on_4xx(client, sleeps):
    client.fake.fail(twilio_error(401, 20003, 'Authenticate'))
    with pytest.raises(TwilioApiError):
        client.get('chat', 'v2', 'Services')
    assert sleeps == [] and len(client.fake.calls) == 1


def test_retry_count_bound(client, sleeps):
    client.fake.fail(requests.exceptions.ConnectionError('Connection reset by peer'), times=10)
    with pytest.raises(TwilioConnectionError) as exc:
        client.delete('chat', 'v2', 'Services/IS1')
    assert len(sleeps) == 3 and len(client.fake.calls) == 4
    assert exc.value.message == 'connection to chat.twilio.com:443 dropped before a complete response'
    assert exc.value.retries == 3
    assert re.match(
        r'^connection to chat.twilio.com:443 dropped before a complete response \(DELETE /v2/Services/IS1\) after 3 retries in \d+\.\d s$',
        exc.value.describe(),
    )


def test_given_up_error_says_after_how_many_retries(client, sleeps):
    client.retries = 1
    clock = iter([100.0, 100.0, 101.0])  # the request's deadline, start, the check before the retry; then the moment it gives up
    with mock.patch.object(_client.time, 'monotonic', side_effect=lambda: next(clock, 112.3)):
        client.fake.fail(twilio_error(503, 20503, 'Service Unavailable'), times=10)
        with pytest.raises(TwilioApiError) as exc:
            client.update('chat', 'v2', 'Services/IS1', [('A', 1)])
    assert exc.value.describe() == 'Service Unavailable (code 20503) after 1 retry in 12.3 s'
    assert str(exc.value) == 'Service Unavailable (code 20503)'  # the retry warnings keep the bare text


def test_error_without_retries_has_no_retry_note(client, sleeps):
    client.fake.fail(twilio_error(400, 20001, 'Invalid parameter'))
    with pytest.raises(TwilioApiError) as exc:
        client.update('chat', 'v2', 'Services/IS1', [('A', 1)])
    assert exc.value.describe() == 'Invalid parameter (code 20001)' and exc.value.retries is None


def test_retry_time_bound(client, sleeps):
    client.retry_timeout = 5
    client.fake.fail(response(429, {'message': 'slow down'}, headers={'Retry-After': '30'}))
    with pytest.raises(TwilioApiError):
        client.get('chat', 'v2', 'Services')
    assert sleeps == []


def test_zero_retries(client, sleeps):
    client.retries = 0
    client.fake.fail(twilio_error(500, 20500, 'boom'))
    with pytest.raises(TwilioApiError):
        client.get('chat', 'v2', 'Services')
    assert sleeps == []


def test_plain_post_create_is_not_retried_on_5xx(client, sleeps):
    client.fake.fail(twilio_error(500, 20500, 'boom'))
    with pytest.raises(TwilioApiError):
        client.request('POST', 'chat', 'v2', 'Services', data=[('FriendlyName', 'x')])
    assert sleeps == [] and len(client.fake.calls) == 1


def test_unsent_create_is_retried(client, sleeps):
    client.fake.fail(requests.exceptions.ConnectTimeout('x'))
    client.request('POST', 'chat', 'v2', 'Services', data=[('FriendlyName', 'x')])
    assert len(sleeps) == 1 and len(client.fake.services) == 2


# ---- paging ------------------------------------------------------------------------------------


def test_list_follows_next_page_url_on_the_configured_host(client):
    for index in range(249):  # and the account's default Conversations Service
        client.fake.add('s%d' % index)
    client.base_url = 'http://proxy.local/{product}'
    with mock.patch.object(client.fake, 'request', wraps=client.fake.request) as spy:
        records = client.list('chat', 'v2', 'Services')
    assert len(records) == 250 and len(set(r['sid'] for r in records)) == 250
    urls = [call.args[1] for call in spy.call_args_list]
    assert all(url.startswith('http://proxy.local/chat/v2/Services') for url in urls)
    assert [c[2]['PageSize'] for c in client.fake.calls] == ['100', '100', '100']


def test_list_stops_on_a_paging_loop(client):
    page = {'services': [{'sid': 'IS' + '1' * 32}], 'meta': {'key': 'services', 'next_page_url': 'https://chat.twilio.com/v2/Services?Page=1'}}
    client.fake.fail(response(200, page), times=3)
    with pytest.raises(_client.TwilioAnswerError) as exc:
        client.list('chat', 'v2', 'Services')
    assert 'paging loop' in exc.value.message


# ---- duplicate-safe create ---------------------------------------------------------------------


def test_create_unique_plain(client):
    record, adopted = creates.create_unique(client, 'chat', 'v2', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'})
    assert adopted is False and record['friendly_name'] == 'x'
    # known sids were listed first because none were given; after the create, the namesake check
    assert [c[0] for c in client.fake.calls] == ['GET', 'POST', 'GET']


def test_create_unique_ignores_preexisting_namesakes(client, sleeps):
    old = client.fake.add('x')
    client.fake.fail(twilio_error(500, 20500, 'failed, not applied'), method='POST')
    record, adopted = creates.create_unique(client, 'chat', 'v2', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'}, known_sids={old})
    assert adopted is False and record['sid'] != old and len(client.fake.services) == 3


def test_create_unique_adopts_after_ambiguous_failure(client):
    client.fake.fail(requests.exceptions.ReadTimeout('x'), method='POST', commit=True)
    record, adopted = creates.create_unique(client, 'chat', 'v2', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'}, known_sids=set())
    assert adopted is True and len(client.fake.services) == 2 and record['friendly_name'] == 'x'
    assert 'adopting' in client.warnings[-1]


def test_create_unique_gives_up_after_retries(client, sleeps):
    client.fake.fail(twilio_error(500, 20500, 'boom'), method='POST', times=10)
    with pytest.raises(TwilioApiError) as exc:
        creates.create_unique(client, 'chat', 'v2', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'}, known_sids=set())
    # each 500's outcome is unknown: 3 looks for the record (after backoff), then the re-send; 4 sends in all
    assert len(sleeps) == 15 and list(client.fake.services) == [client.fake.default_sid] and [c[0] for c in client.fake.calls].count('POST') == 4
    assert re.match(r'^boom \(code 20500\) after 15 retries in \d+\.\d s$', exc.value.describe())


def test_create_unique_4xx_is_final(client, sleeps):
    client.fake.fail(twilio_error(400, 20001, 'bad'), method='POST')
    with pytest.raises(TwilioApiError):
        creates.create_unique(client, 'chat', 'v2', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'}, known_sids=set())
    assert [c[0] for c in client.fake.calls] == ['POST'] and sleeps == []
