# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import email.utils
import time
from unittest import mock

import pytest
import requests

from ansible_collections.chatops.twilio.plugins.module_utils import _client
from ansible_collections.chatops.twilio.plugins.module_utils._client import (
    TwilioApiError, TwilioClient, TwilioConfigError, TwilioConnectionError, backoff_delay, build_base_url,
    encode_form, parse_retry_after,
)
from ansible_collections.chatops.twilio.tests.unit.plugins.fake_twilio import (
    ACCOUNT_SID, AUTH_TOKEN, FakeTwilio, response, twilio_error,
)


@pytest.fixture
def client(sleeps):
    warnings = []
    twilio = FakeTwilio()
    api = TwilioClient(ACCOUNT_SID, AUTH_TOKEN, account_sid=ACCOUNT_SID, warn=warnings.append, session=twilio,
                       retries=3, retry_timeout=60)
    api.fake, api.warnings = twilio, warnings
    return api


# ---- configuration -----------------------------------------------------------------------------

@pytest.mark.parametrize('kwargs, expected', [
    ({}, 'https://{product}.twilio.com'),
    ({'region': 'ie1'}, 'https://{product}.ie1.twilio.com'),
    ({'edge': 'sydney'}, 'https://{product}.sydney.us1.twilio.com'),
    ({'edge': 'dublin', 'region': 'ie1'}, 'https://{product}.dublin.ie1.twilio.com'),
    ({'api_base_url': 'http://127.0.0.1:8080/{product}/', 'region': 'ie1'}, 'http://127.0.0.1:8080/{product}'),
])
def test_build_base_url(kwargs, expected):
    assert build_base_url(**kwargs) == expected


@pytest.mark.parametrize('kwargs, word', [
    ({'api_base_url': 'chat.twilio.com'}, 'api_base_url'),
    ({'api_base_url': 'ftp://user:pw@x/{product}'}, 'api_base_url'),
    ({'region': 'IE 1'}, 'region'),
    ({'edge': 'dub.lin'}, 'edge'),
])
def test_build_base_url_rejects(kwargs, word):
    with pytest.raises(TwilioConfigError) as exc:
        build_base_url(**kwargs)
    assert word in exc.value.message and 'pw' not in exc.value.message


def test_session_setup_and_urls(client):
    assert client.fake.auth == (ACCOUNT_SID, AUTH_TOKEN)
    agent = client.fake.headers['User-Agent']
    assert agent.startswith('chatops.twilio/%s ' % _client.COLLECTION_VERSION)
    assert client.fake.headers['Accept'] == 'application/json'
    assert client.url('serverless', 'v1', '/Services/ZS1') == 'https://serverless.twilio.com/v1/Services/ZS1'


def test_collection_version_matches_galaxy():
    import os
    galaxy = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'galaxy.yml')
    with open(galaxy) as handle:
        assert 'version: %s\n' % _client.COLLECTION_VERSION in handle.read()


def test_encode_form():
    assert encode_form([('A', True), ('B', False), ('C', 5), ('D', ['x', 'y']), ('E', []), ('F', None), ('G', '')]) == [
        ('A', 'true'), ('B', 'false'), ('C', '5'), ('D', 'x'), ('D', 'y'), ('E', ''), ('G', '')]


def test_parse_retry_after():
    assert parse_retry_after('3') == 3.0
    assert parse_retry_after(None) is None
    assert parse_retry_after('soon') is None
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 <= parse_retry_after(later) <= 31


def test_backoff_grows_and_is_capped():
    with mock.patch.object(_client.random, 'uniform', side_effect=lambda a, b: b):
        assert [backoff_delay(n) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]
    with mock.patch.object(_client.random, 'uniform', side_effect=lambda a, b: a):
        assert backoff_delay(3) == 2.0


# ---- errors ------------------------------------------------------------------------------------

def test_404_fetch_is_none_and_delete_false(client):
    assert client.fetch('chat', 'v2', 'Services/IS' + '0' * 32) is None
    assert client.delete('chat', 'v2', 'Services/IS' + '0' * 32) is False


def test_twilio_error_is_decoded(client):
    client.fake.fail(twilio_error(400, 20001, 'Invalid parameter'))
    with pytest.raises(TwilioApiError) as exc:
        client.update('chat', 'v2', 'Services/IS1', [('A', 1)])
    err = exc.value
    assert (err.status, err.code, err.message, err.method, err.path) == (400, 20001, 'Invalid parameter', 'POST',
                                                                         '/v2/Services/IS1')
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
    assert describe(requests.exceptions.ConnectTimeout('x'), 5) == ('connection timed out after 5s', False)
    assert describe(requests.exceptions.ReadTimeout('x'), 5)[1] is True
    assert describe(requests.exceptions.ConnectionError('[Errno 111] Connection refused'), 5)[0] == 'connection refused'
    assert describe(requests.exceptions.ConnectionError('Connection reset by peer'), 5)[1] is True
    message, sent = describe(requests.exceptions.ConnectionError('something odd\nsecond line'), 5)
    assert message == 'connection failed: something odd' and sent is True


# ---- retries -----------------------------------------------------------------------------------

def test_read_retries_5xx_then_succeeds(client, sleeps):
    client.fake.fail(twilio_error(503, 20503, 'Unavailable'), times=2)
    assert client.list('chat', 'v2', 'Services') == []
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
    assert exc.value.message == 'connection dropped before a complete response'


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
    assert len(sleeps) == 1 and len(client.fake.services) == 1


# ---- paging ------------------------------------------------------------------------------------

def test_list_follows_next_page_url_on_the_configured_host(client):
    for index in range(250):
        client.fake.add('s%d' % index)
    client.base_url = 'http://proxy.local/{product}'
    with mock.patch.object(client.fake, 'request', wraps=client.fake.request) as spy:
        records = client.list('chat', 'v2', 'Services')
    assert len(records) == 250 and len(set(r['sid'] for r in records)) == 250
    urls = [call.args[1] for call in spy.call_args_list]
    assert all(url.startswith('http://proxy.local/chat/v2/Services') for url in urls)
    assert [c[2]['PageSize'] for c in client.fake.calls] == [100, '100', '100']


def test_list_stops_on_a_paging_loop(client):
    page = {'services': [{'sid': 'IS1'}], 'meta': {'next_page_url': 'https://chat.twilio.com/v2/Services?Page=1'}}
    client.fake.fail(response(200, page), times=3)
    with pytest.raises(TwilioApiError) as exc:
        client.list('chat', 'v2', 'Services')
    assert 'paging loop' in exc.value.message


# ---- duplicate-safe create ---------------------------------------------------------------------

def test_create_unique_plain(client):
    record, adopted = client.create_unique('chat', 'v2', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'})
    assert adopted is False and record['friendly_name'] == 'x'
    # known sids were listed first because none were given
    assert [c[0] for c in client.fake.calls] == ['GET', 'POST']


def test_create_unique_ignores_preexisting_namesakes(client, sleeps):
    old = client.fake.add('x')
    client.fake.fail(twilio_error(502, 20500, 'bad gateway'), method='POST')
    record, adopted = client.create_unique('chat', 'v2', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'},
                                           known_sids={old})
    assert adopted is False and record['sid'] != old and len(client.fake.services) == 2


def test_create_unique_adopts_after_ambiguous_failure(client):
    client.fake.fail(requests.exceptions.ReadTimeout('x'), method='POST', commit=True)
    record, adopted = client.create_unique('chat', 'v2', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'},
                                           known_sids=set())
    assert adopted is True and len(client.fake.services) == 1 and record['friendly_name'] == 'x'
    assert 'adopting' in client.warnings[-1]


def test_create_unique_gives_up_after_retries(client, sleeps):
    client.fake.fail(twilio_error(500, 20500, 'boom'), method='POST', times=10)
    with pytest.raises(TwilioApiError):
        client.create_unique('chat', 'v2', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'},
                             known_sids=set())
    assert len(sleeps) == 3 and client.fake.services == {}


def test_create_unique_4xx_is_final(client, sleeps):
    client.fake.fail(twilio_error(400, 20001, 'bad'), method='POST')
    with pytest.raises(TwilioApiError):
        client.create_unique('chat', 'v2', 'Services', [('FriendlyName', 'x')], {'friendly_name': 'x'},
                             known_sids=set())
    assert [c[0] for c in client.fake.calls] == ['POST'] and sleeps == []
