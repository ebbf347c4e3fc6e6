# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re

import pytest
import requests
from ansible.release import __version__ as ansible_version

from ansible_collections.chatops.twilio.plugins.modules import chat_service
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import (
    ACCOUNT_SID,
    API_KEY,
    API_SECRET,
    AUTH_TOKEN,
    response,
    twilio_error,
    warning_texts,
)

main = chat_service.main
MISSING = 'IS' + 'f' * 32
WRONG_TOKEN = 'wrong-auth-token-0123456789abcdef'


# ---- create ------------------------------------------------------------------------------------


def test_create_with_name_only_sends_one_write_then_looks_for_namesakes(run_module, twilio, sleeps):
    code, result = run_module(main, {'friendly_name': 'dev'})
    assert code == 0 and result['changed'] is True
    assert result['service']['friendly_name'] == 'dev'
    assert twilio.sent() == [('GET', '/chat/v2/Services'), ('POST', '/chat/v2/Services'), ('GET', '/chat/v2/Services')]
    assert sleeps == [2.0]  # the settle before the namesake check (date_created has one-second resolution)
    assert twilio.calls[0][2]['PageSize'] == '100'
    assert twilio.calls[1][3] == [('FriendlyName', 'dev')]
    assert result['retries_used'] == 0


def test_create_then_one_update_with_remaining_fields(run_module, twilio):
    args = {
        'name': 'dev',
        'reachability_enabled': True,
        'read_status_enabled': True,
        'webhook_filters': ['onMessageSent', 'onChannelAdded'],
        'limits': {'channel_members': 500},
        'notifications': {'new_message': {'enabled': True, 'badge_count_enabled': True}},
        'media': {'compatibility_message': 'no media'},
    }
    code, result = run_module(main, args, diff=True)
    assert code == 0 and result['changed'] is True
    writes = twilio.writes()
    assert len(writes) == 2
    sid = result['service']['sid']
    assert writes[1][1] == '/chat/v2/Services/%s' % sid
    # read_status_enabled is already true after create: not sent again
    assert writes[1][3] == [
        ('ReachabilityEnabled', 'true'),
        ('WebhookFilters', 'onMessageSent'),
        ('WebhookFilters', 'onChannelAdded'),
        ('Notifications.NewMessage.Enabled', 'true'),
        ('Notifications.NewMessage.BadgeCountEnabled', 'true'),
        ('Limits.ChannelMembers', '500'),
        ('Media.CompatibilityMessage', 'no media'),
    ]
    assert result['diff']['before'] == {}
    assert result['diff']['after']['limits'] == {'channel_members': 500}
    assert result['service']['notifications']['new_message']['enabled'] is True


def test_create_check_mode_sends_no_write_and_predicts(run_module, twilio):
    code, result = run_module(main, {'name': 'dev', 'typing_indicator_timeout': 9}, check=True, diff=True)
    assert code == 0 and result['changed'] is True
    assert twilio.writes() == [] and list(twilio.services) == [twilio.default_sid]
    assert result['service'] == {'sid': None, 'friendly_name': 'dev', 'typing_indicator_timeout': 9}
    assert result['diff'] == {'before': {}, 'after': {'friendly_name': 'dev', 'typing_indicator_timeout': 9}}


def test_create_v1_with_webhooks(run_module, twilio):
    args = {'name': 'legacy', 'api_version': 'v1', 'webhooks': {'on_message_send': {'url': 'https://h.example/send', 'method': 'GET'}}}
    code, result = run_module(main, args)
    assert code == 0 and result['changed'] is True
    assert twilio.writes()[1][1].startswith('/chat/v1/Services/IS')
    assert twilio.writes()[1][3] == [('Webhooks.OnMessageSend.Url', 'https://h.example/send'), ('Webhooks.OnMessageSend.Method', 'GET')]
    assert result['service']['webhooks']['on_message_send']['method'] == 'GET'
    code, result = run_module(main, args)
    assert result['changed'] is False and len(twilio.writes()) == 2


# ---- update / no-op / rename -------------------------------------------------------------------


def test_update_sends_only_the_delta(run_module, twilio):
    sid = twilio.add('dev', pre_webhook_url='https://old.example/pre')
    args = {'name': 'dev', 'reachability_enabled': False, 'typing_indicator_timeout': 7, 'pre_webhook_url': 'https://new.example/pre'}
    code, result = run_module(main, args, diff=True)
    assert code == 0 and result['changed'] is True
    assert twilio.writes() == [('POST', '/chat/v2/Services/%s' % sid, {}, [('TypingIndicatorTimeout', '7'), ('PreWebhookUrl', 'https://new.example/pre')])]
    assert result['diff']['before'] == {
        'friendly_name': 'dev',
        'reachability_enabled': False,
        'typing_indicator_timeout': 5,
        'pre_webhook_url': 'https://old.example/pre',
    }
    assert result['diff']['after']['typing_indicator_timeout'] == 7


def test_update_check_mode_predicts_without_writing(run_module, twilio):
    sid = twilio.add('dev')
    code, result = run_module(main, {'sid': sid, 'limits': {'user_channels': 42}}, check=True, diff=True)
    assert result['changed'] is True and twilio.writes() == []
    assert result['service']['limits'] == {'channel_members': 250, 'user_channels': 42}
    assert result['diff'] == {'before': {'limits': {'user_channels': 100}}, 'after': {'limits': {'user_channels': 42}}}


def test_noop_by_sid_is_exactly_one_request(run_module, twilio):
    sid = twilio.add('dev', webhook_filters=['b', 'a'], pre_webhook_url=None)
    code, result = run_module(
        main, {'sid': sid, 'webhook_filters': ['a', 'b'], 'pre_webhook_url': '', 'webhook_method': 'POST', 'limits': {'channel_members': 250}}
    )
    assert code == 0 and result['changed'] is False
    assert twilio.sent() == [('GET', '/chat/v2/Services/%s' % sid)]


def test_noop_by_name_lists_only(run_module, twilio):
    twilio.add('dev', reachability_enabled=True)
    code, result = run_module(main, {'name': 'dev', 'reachability_enabled': True}, check=True)
    assert result['changed'] is False and twilio.writes() == []


def test_rename_by_sid(run_module, twilio):
    sid = twilio.add('old')
    code, result = run_module(main, {'sid': sid, 'friendly_name': 'new'}, diff=True)
    assert result['changed'] is True
    assert twilio.writes()[0][3] == [('FriendlyName', 'new')]
    assert result['diff'] == {'before': {'friendly_name': 'old'}, 'after': {'friendly_name': 'new'}}


def test_emptying_a_list_sends_an_empty_value(run_module, twilio):
    sid = twilio.add('dev', webhook_filters=['onMessageSent'])
    code, result = run_module(main, {'sid': sid, 'webhook_filters': []})
    assert result['changed'] is True
    assert twilio.writes()[0][3] == [('WebhookFilters', '')]
    assert twilio.services[sid]['webhook_filters'] == []


def test_unknown_sid_fails_for_present(run_module, twilio):
    code, result = run_module(main, {'sid': MISSING, 'friendly_name': 'x'})
    assert code == 1 and 'does not exist' in result['msg'] and twilio.writes() == []


# ---- absent ------------------------------------------------------------------------------------


def test_absent_deletes_and_returns_the_deleted_service(run_module, twilio):
    sid = twilio.add('dev')
    code, result = run_module(main, {'name': 'dev', 'state': 'absent'}, diff=True)
    assert code == 0 and result['changed'] is True
    assert result['service']['sid'] == sid and list(twilio.services) == [twilio.default_sid]
    assert twilio.writes() == [('DELETE', '/chat/v2/Services/%s' % sid, {}, [])]
    assert result['diff']['after'] == {} and result['diff']['before']['friendly_name'] == 'dev'


def test_absent_check_mode_does_not_delete(run_module, twilio):
    sid = twilio.add('dev')
    code, result = run_module(main, {'sid': sid, 'state': 'absent'}, check=True)
    assert result['changed'] is True and sid in twilio.services and twilio.writes() == []


def test_absent_when_missing_is_a_noop(run_module, twilio):
    code, result = run_module(main, {'sid': MISSING, 'state': 'absent'}, diff=True)
    assert code == 0 and result['changed'] is False and result['service'] == {}
    assert result['diff'] == {'before': {}, 'after': {}}
    code, result = run_module(main, {'name': 'nothing', 'state': 'absent'})
    assert result['changed'] is False and twilio.writes() == []


def test_absent_raced_by_someone_else(run_module, twilio):
    sid = twilio.add('dev')
    twilio.before(lambda: twilio.remove(sid) or True, method='DELETE')  # someone else deletes it first: Twilio answers 404
    code, result = run_module(main, {'sid': sid, 'state': 'absent'})
    assert code == 0 and result['changed'] is False


@pytest.mark.parametrize(
    'lost',
    [
        requests.exceptions.ConnectionError('Connection aborted: RemoteDisconnected'),
        requests.exceptions.ReadTimeout('read timed out'),
        twilio_error(503, 20503, 'Service Unavailable'),
    ],
)
def test_absent_delete_applied_but_answer_lost_reports_changed(run_module, twilio, sleeps, lost):
    sid = twilio.add('gone')
    twilio.fail(lost, method='DELETE', commit=True)
    code, result = run_module(main, {'name': 'gone', 'state': 'absent'}, diff=True)
    assert code == 0 and result['changed'] is True and result['service']['sid'] == sid and list(twilio.services) == [twilio.default_sid]
    assert [c[0] for c in twilio.writes()] == ['DELETE', 'DELETE'] and result['retries_used'] == 1
    assert result['diff']['after'] == {} and result['diff']['before']['friendly_name'] == 'gone'
    assert any('so that DELETE went through' in w for w in warning_texts(result))


HTML_404 = '<html><head><title>404 Not Found</title></head><body>nginx</body></html>'


@pytest.mark.parametrize('args', [{'sid': MISSING, 'state': 'absent'}, {'sid': MISSING, 'friendly_name': 'x'}])
def test_html_404_by_sid_is_an_error_not_absence(run_module, twilio, args):
    twilio.fail(response(404, raw=HTML_404, headers={'Content-Type': 'text/html'}), method='GET')
    code, result = run_module(main, dict(args, api_base_url='http://127.0.0.1:8080/wrong/{product}'))
    assert code == 1 and result['status'] == 404 and twilio.writes() == []
    assert result['msg'] == (
        'Failed to fetch chat service %s: HTTP 404 Not Found (non-JSON text/html response: 404 Not '
        'Found) from http://127.0.0.1:8080/wrong/chat/v2/Services/%s, not a Twilio API answer: '
        'check api_base_url' % (MISSING, MISSING)
    )


def test_html_404_on_delete_is_an_error(run_module, twilio):
    sid = twilio.add('dev')
    twilio.fail(response(404, raw=HTML_404, headers={'Content-Type': 'text/html'}), method='DELETE')
    code, result = run_module(main, {'sid': sid, 'state': 'absent'})
    assert code == 1 and 'Failed to delete chat service %s: HTTP 404 Not Found' % sid in result['msg']
    assert 'check api_base_url' in result['msg']


# ---- identity ----------------------------------------------------------------------------------


def test_ambiguous_name_fails_listing_sids(run_module, twilio):
    first, second = twilio.add('dup'), twilio.add('dup')
    code, result = run_module(main, {'name': 'dup', 'reachability_enabled': True})
    assert code == 1
    assert first in result['msg'] and second in result['msg'] and 'set sid' in result['msg']
    assert sorted(result['sids']) == sorted([first, second]) and twilio.writes() == []


def test_lookup_follows_paging(run_module, twilio):
    for index in range(230):
        twilio.add('svc-%d' % index)
    code, result = run_module(main, {'name': 'svc-229', 'typing_indicator_timeout': 5})
    assert result['changed'] is False
    gets = [c for c in twilio.calls if c[0] == 'GET']
    assert len(gets) == 3 and gets[2][2]['Page'] == '2' and gets[2][2]['PageToken'].startswith('PA')


# ---- validation (no request at all) ------------------------------------------------------------


@pytest.mark.parametrize(
    'args, words',
    [
        ({'sid': 'IS123'}, ['sid', '^IS[0-9a-fA-F]{32}$']),
        ({'name': 'x', 'default_channel_role_sid': 'RLnope'}, ['default_channel_role_sid', 'RL']),
        ({'name': 'x', 'limits': {'channel_members': 0}}, ['limits.channel_members', '1 and 1000']),
        ({'name': 'x', 'limits': {'user_channels': 1001}}, ['limits.user_channels', '1 and 1000']),
        ({'name': 'x', 'pre_webhook_url': 'ftp://x'}, ['pre_webhook_url', 'absolute http(s) URL']),
        ({'name': 'x', 'post_webhook_url': '/relative'}, ['post_webhook_url', 'absolute http(s) URL']),
        ({'name': 'x', 'api_version': 'v1', 'media': {'compatibility_message': 'm'}}, ['media', 'v1']),
        ({'name': 'x', 'api_version': 'v1', 'pre_webhook_retry_count': 1}, ['pre_webhook_retry_count', 'v1']),
        ({'name': 'x', 'api_version': 'v1', 'notifications': {'new_message': {'sound': 's'}}}, ['notifications.new_message.sound', 'v1']),
        ({'name': 'x', 'webhooks': {'on_message_send': {'url': 'https://a.example'}}}, ['webhooks', 'v2']),
        ({'name': 'x' * 65, 'api_version': 'v1'}, ['friendly_name', '64']),
        ({'name': ''}, ['friendly_name', 'empty']),
        ({'name': 'x', 'typing_indicator_timeout': -1}, ['typing_indicator_timeout', '0 or more']),
        ({'name': 'x', 'webhook_filters': ['']}, ['webhook_filters', 'empty']),
        ({'sid': 'IS' + 'a' * 32 + '\n'}, ['sid must be a Chat Service SID matching']),
        ({'sid': 'IS' + 'a' * 32 + '\n', 'state': 'absent'}, ['sid must be a Chat Service SID matching']),
        ({'name': 'x', 'default_service_role_sid': 'RL' + 'a' * 32 + '\n'}, ['default_service_role_sid', 'RL']),
        ({'name': 'x', 'limits': {'channel_members': True}}, ['limits.channel_members must be a number, got a boolean']),
        ({'name': {'n': 1}}, ['friendly_name must be a string, got a dictionary']),
    ],
)
def test_validation_fails_before_any_request(run_module, twilio, args, words):
    code, result = run_module(main, args)
    assert code == 1 and twilio.calls == []
    for word in words:
        assert word in result['msg']


def test_bad_choice_is_rejected_by_ansible(run_module, twilio):
    code, result = run_module(main, {'name': 'x', 'webhook_method': 'PUT'})
    assert code == 1 and 'webhook_method' in result['msg'] and twilio.calls == []


def test_v1_name_of_64_is_fine(run_module, twilio):
    code, result = run_module(main, {'name': 'x' * 64, 'api_version': 'v1'})
    assert code == 0 and result['changed'] is True


# ---- errors ------------------------------------------------------------------------------------


def test_api_error_becomes_one_clear_failure(run_module, twilio):
    sid = twilio.add('dev')
    twilio.fail(twilio_error(400, 20001, 'Invalid parameter: TypingIndicatorTimeout'), method='POST')
    code, result = run_module(main, {'name': 'dev', 'typing_indicator_timeout': 3})
    assert code == 1
    assert result['msg'] == ('Failed to update chat service dev: Invalid parameter: TypingIndicatorTimeout (code 20001)')
    assert result['status'] == 400 and result['code'] == 20001
    assert result['method'] == 'POST' and result['path'] == '/v2/Services/%s' % sid
    assert result['more_info'].endswith('/20001')


def test_auth_error_never_shows_the_secret(run_module, twilio):
    code, result = run_module(main, {'name': 'dev', 'auth_token': WRONG_TOKEN})
    assert code == 1
    assert result['msg'] == ('Failed to look up chat service dev: Authenticate: Your AccountSid or AuthToken was incorrect. (code 20003)')
    assert WRONG_TOKEN not in json.dumps(result)


@pytest.mark.parametrize(
    'outcome, text',
    [
        (
            response(502, raw='<html><head><title>502 Bad Gateway</title></head><body>x</body></html>', headers={'Content-Type': 'text/html'}),
            'HTTP 502 Bad Gateway (non-JSON text/html response: 502 Bad Gateway)',
        ),
        (response(200, raw='hello', headers={'Content-Type': 'text/plain'}), 'non-JSON text/plain body'),
        (requests.exceptions.ConnectTimeout('x'), 'connection to chat.twilio.com:443 timed out after 30.0s'),
        (
            requests.exceptions.SSLError('[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed'),
            'Failed to look up chat service dev: TLS certificate verification failed for https://chat.twilio.com; set '
            'validate_certs=false only for a trusted test endpoint (GET /v2/Services)',
        ),
        (
            requests.exceptions.ConnectionError("HTTPSConnectionPool(host='chat.twilio.com', port=443): NameResolutionError"),
            'could not resolve host chat.twilio.com',
        ),
    ],
)
def test_transport_errors_are_one_line(run_module, twilio, outcome, text):
    twilio.fail(outcome, times=10)
    code, result = run_module(main, {'name': 'dev', 'retries': 0})
    assert code == 1 and text in result['msg'] and '\n' not in result['msg']
    assert 'Traceback' not in json.dumps(result)


def test_missing_credentials_fail_clearly(run_module, twilio):
    code, result = run_module(main, {'name': 'dev'}, credentials=False)
    assert code == 1 and 'no Twilio credentials' in result['msg'] and twilio.calls == []


def test_bad_account_sid_is_named(run_module, twilio):
    code, result = run_module(main, {'name': 'dev', 'account_sid': 'ACnope'})
    assert code == 1 and 'account_sid must match' in result['msg'] and twilio.calls == []


# ---- retries -----------------------------------------------------------------------------------


def test_429_on_read_is_retried_with_retry_after(run_module, twilio, sleeps):
    twilio.faults(next=1, kinds=['429_retry_after'], retry_after=2, methods=['GET'])
    code, result = run_module(main, {'name': 'dev'})
    assert code == 0 and sleeps[0] == 2.0 and result['retries_used'] == 1
    assert any('retry 1 of 4' in w for w in warning_texts(result))


def test_5xx_on_update_is_retried(run_module, twilio, sleeps):
    twilio.add('dev')
    twilio.faults(next=2, kinds=['503'], methods=['POST'])
    code, result = run_module(main, {'name': 'dev', 'reachability_enabled': True})
    assert code == 0 and result['changed'] is True and len(sleeps) == 2 and result['retries_used'] == 2


def test_retries_are_bounded(run_module, twilio, sleeps):
    twilio.faults(next=10, kinds=['500'])
    code, result = run_module(main, {'name': 'dev', 'retries': 2})
    assert code == 1 and len(sleeps) == 2 and result['retries_used'] == 2
    assert re.match(r'^Failed to look up chat service dev: Internal Server Error \(code 20500\) after 2 retries in \d+\.\d s$', result['msg'])


def test_update_given_up_says_after_how_many_retries(run_module, twilio, sleeps):
    twilio.add('x')
    twilio.faults(next=10, kinds=['503'], methods=['POST'])
    code, result = run_module(main, {'name': 'x', 'reachability_enabled': True})
    assert code == 1 and len(sleeps) == 4 and result['status'] == 503 and result['retries_used'] == 4
    assert re.match(r'^Failed to update chat service x: Service Unavailable \(code 20503\) after 4 retries in \d+\.\d s$', result['msg'])


def test_tls_certificate_failure_is_not_retried(run_module, twilio, sleeps):
    twilio.fail(
        requests.exceptions.SSLError(
            "HTTPSConnectionPool(host='chat.twilio.com', port=443): (Caused by "
            "SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] "
            "certificate verify failed: self-signed certificate (_ssl.c:1006)')))"
        ),
        times=10,
    )
    code, result = run_module(main, {'name': 'dev'})
    assert code == 1 and len(twilio.calls) == 1 and sleeps == [] and result['retries_used'] == 0
    assert result['msg'] == (
        'Failed to look up chat service dev: TLS certificate verification failed for '
        'https://chat.twilio.com: self-signed certificate; set validate_certs=false only for a '
        'trusted test endpoint (GET /v2/Services)'
    )


def test_create_5xx_after_commit_adopts_instead_of_duplicating(run_module, twilio, sleeps):
    twilio.fail(twilio_error(500, 20500, 'Internal Server Error'), method='POST', path=r'/Services$', commit=True)
    code, result = run_module(main, {'name': 'dev', 'reachability_enabled': True})
    assert code == 0 and result['changed'] is True
    assert len(twilio.services) == 2 and result['service']['reachability_enabled'] is True
    # list, create (500 after the commit), list (found: adopted), namesake check, update
    assert twilio.methods() == ['GET', 'POST', 'GET', 'GET', 'POST']
    assert any('adopting' in w for w in warning_texts(result))


def test_create_answered_500_without_commit_is_resent_after_retry_after(run_module, twilio, sleeps):
    twilio.fail(
        response(500, {'code': 20500, 'message': 'Internal Server Error', 'status': 500}, headers={'Retry-After': '3'}), method='POST', path=r'/Services$'
    )
    code, result = run_module(main, {'name': 'dev'})
    assert code == 0 and result['changed'] is True and len(twilio.services) == 2
    # the 500's outcome is unknown: looked for (the listing, then 4 looks more) before the create is sent again
    assert twilio.methods() == ['GET', 'POST'] + ['GET'] * 5 + ['POST', 'GET']
    assert len(sleeps) == 6 and sleeps[-2:] == [3.0, 2.0] and result['retries_used'] == 5


@pytest.mark.parametrize(
    'outcome',
    [
        requests.exceptions.ConnectionError('Connection aborted. RemoteDisconnected'),
        requests.exceptions.ReadTimeout('read timed out'),
        twilio_error(502, 20502, 'Bad Gateway'),
        response(504, raw='<title>504 Gateway Time-out</title>', headers={'Content-Type': 'text/html'}),
    ],
)
def test_create_without_an_answer_is_never_resent_in_the_same_run(run_module, twilio, sleeps, outcome):
    # The create may still be committed later (slow backend, a proxy that gave up): re-sending could duplicate.
    twilio.fail(outcome, method='POST')
    code, result = run_module(main, {'name': 'dev'})
    assert code == 1 and list(twilio.services) == [twilio.default_sid]
    assert twilio.methods() == ['GET', 'POST'] + ['GET'] * 5  # the listing, then 4 more looks
    assert 'so it was not sent again' in result['msg'] and 'Run again' in result['msg']
    assert result['msg'].startswith('Failed to create chat service dev: ') and result['retries_used'] == 4


def test_create_429_is_retried_directly(run_module, twilio, sleeps):
    twilio.faults(next=1, kinds=['429'], methods=['POST'])
    code, result = run_module(main, {'name': 'dev'})
    assert code == 0 and len(twilio.services) == 2
    assert twilio.methods() == ['GET', 'POST', 'POST', 'GET']


def test_create_never_duplicates_when_every_attempt_commits(run_module, twilio, sleeps):
    twilio.fail(requests.exceptions.ReadTimeout('read timed out'), method='POST', path=r'/Services$', commit=True, times=3)
    code, result = run_module(main, {'name': 'dev'})
    assert code == 0 and len(twilio.services) == 2


def test_secrets_never_in_result_or_diff(run_module, twilio):
    secret = API_SECRET
    args = {'name': 'dev', 'reachability_enabled': True, 'api_key': API_KEY, 'api_secret': secret}
    code, result = run_module(main, args, diff=True)
    assert code == 0 and twilio.auth == (API_KEY, secret) and twilio.log()[-1]['account_sid'] == ACCOUNT_SID
    text = json.dumps(result)
    assert secret not in text and AUTH_TOKEN not in text
    # ansible-core 2.21 adds invocation only when the controller asks for it (_ansible_inject_invocation);
    # where a result carries it, the secret is masked there.
    if 'invocation' in result:
        assert result['invocation']['module_args']['api_secret'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    else:
        assert int(ansible_version.split('.')[1]) >= 21, 'ansible-core %s dropped invocation' % ansible_version


# ---- a write Twilio answers without applying a field ------------------------------------------


def _answer(twilio, sid, version='v2', **fields):
    """The emulator's answer for service ``sid`` as it is now, with ``fields`` (nested dicts merged) on top."""
    view = twilio.view(sid, version)
    for key, value in fields.items():
        if isinstance(value, dict):
            view[key] = dict(view.get(key) or {}, **value)
        else:
            view[key] = value
    return response(200, view)


def test_update_answered_without_a_field_fails_naming_it(run_module, twilio):
    twilio.add('dev')
    twilio.faults(next=1, kinds=['drop_field'], methods=['POST'], drop_field='Limits.ChannelMembers')
    code, result = run_module(main, {'name': 'dev', 'limits': {'channel_members': 500}}, diff=True)
    assert code == 1 and len(twilio.writes()) == 1 and twilio.log()[-1]['dropped'] == 'Limits.ChannelMembers'
    assert result['msg'] == (
        'Twilio accepted the update of chat service dev but did not apply limits.channel_members '
        '(sent 500, Twilio has 250); the next run would send the same again'
    )
    assert result['not_applied'] == ['limits.channel_members'] and result['changed'] is False
    assert result['service']['limits']['channel_members'] == 250


def test_update_partly_applied_fails_and_reports_the_change(run_module, twilio):
    sid = twilio.add('dev')
    twilio.fail(_answer(twilio, sid, typing_indicator_timeout=9), method='POST')
    code, result = run_module(main, {'sid': sid, 'typing_indicator_timeout': 9, 'reachability_enabled': True, 'webhook_method': 'GET'})
    assert code == 1 and result['changed'] is True
    assert result['not_applied'] == ['reachability_enabled', 'webhook_method']
    assert 'reachability_enabled (sent true, Twilio has false), webhook_method (sent \'GET\', Twilio has \'POST\')' in result['msg']


def test_create_then_update_without_a_field_reports_the_creation(run_module, twilio):
    # the create sends no such field: only the update after it loses it
    twilio.faults(next=2, kinds=['drop_field'], methods=['POST'], drop_field='Notifications.NewMessage.Enabled')
    code, result = run_module(main, {'name': 'new', 'notifications': {'new_message': {'enabled': True}}})
    assert code == 1 and result['changed'] is True and len(twilio.writes()) == 2
    assert result['not_applied'] == ['notifications.new_message.enabled']
    assert result['msg'].startswith(
        'Twilio accepted the update of chat service new but did not apply notifications.new_message.enabled (sent true, Twilio has null)'
    )


def test_create_answered_with_another_name_fails(run_module, twilio):
    other = twilio.add('other')
    twilio.fail(response(201, twilio.view(other)), method='POST')
    twilio.remove(other)
    code, result = run_module(main, {'name': 'mine'})
    assert code == 1 and result['changed'] is True and result['not_applied'] == ['friendly_name']
    assert result['msg'].startswith("Twilio accepted the creation of chat service mine but did not apply friendly_name (sent 'mine', Twilio has 'other')")


def test_update_answer_normalised_like_the_next_run_is_no_failure(run_module, twilio):
    sid = twilio.add('dev', webhook_filters=['b'], webhook_method='get')
    code, result = run_module(main, {'sid': sid, 'webhook_filters': ['c', 'a'], 'webhook_method': 'GET', 'pre_webhook_url': ''})
    assert code == 0 and result['changed'] is True and 'not_applied' not in result


# ---- delete by sid with a name that does not match --------------------------------------------


@pytest.mark.parametrize('check', [False, True])
def test_absent_by_sid_with_another_friendly_name_is_refused(run_module, twilio, check):
    sid = twilio.add('prod')
    code, result = run_module(main, {'sid': sid, 'friendly_name': 'dev', 'state': 'absent'}, check=check)
    assert code == 1 and twilio.writes() == [] and sid in twilio.services
    assert result['msg'] == (
        "chat service %s has friendly_name 'prod', not 'dev': refusing to delete it. Check sid, or leave friendly_name out to delete by sid alone" % sid
    )
    assert twilio.sent() == [('GET', '/chat/v2/Services/%s' % sid)]


def test_absent_by_sid_with_its_friendly_name_deletes(run_module, twilio):
    sid = twilio.add('dev')
    code, result = run_module(main, {'sid': sid, 'name': 'dev', 'state': 'absent'})
    assert code == 0 and result['changed'] is True and list(twilio.services) == [twilio.default_sid]
    code, result = run_module(main, {'sid': sid, 'name': 'dev', 'state': 'absent'})
    assert code == 0 and result['changed'] is False


@pytest.mark.parametrize(
    'args, words',
    [
        ({'validate_certs': False}, 'validate_certs=false: the TLS certificate of https://{product}.twilio.com is not checked'),
        ({'api_base_url': 'http://twilio-proxy.example/{product}'}, 'api_base_url http://twilio-proxy.example uses plain http to a host that is not loopback'),
    ],
)
def test_settings_that_expose_credentials_warn(run_module, twilio, args, words):
    code, result = run_module(main, dict(args, name='dev'))
    assert code == 0 and any(words in w for w in warning_texts(result))


def test_loopback_plain_http_does_not_warn(run_module, twilio):
    code, result = run_module(main, {'name': 'dev', 'api_base_url': 'http://127.0.0.1:8080/{product}'})
    assert code == 0 and not any('clear text' in w for w in warning_texts(result))


# ---- the account's default Conversations Service (issue 20 item 5) -------------------------------


def test_the_account_default_service_is_never_deleted(run_module, twilio):
    default = twilio.default_sid
    for args in ({'friendly_name': 'Default Conversations Service'}, {'sid': default}, {'sid': default, 'api_version': 'v1'}):
        for check in (False, True):
            twilio.clear_log()
            code, result = run_module(main, dict(args, state='absent'), check=check)
            assert code == 1 and twilio.writes() == [] and default in twilio.services, (args, check)
            assert result['msg'].startswith("Refusing to delete the chat service 'Default Conversations Service' (%s): it is the account's default" % default)
            assert ('GET', '/conversations/v1/Configuration') in twilio.sent()
    # another service made the default: the former one is deleted like any other
    other = twilio.add('app-dev')
    twilio.configure(None, 'configuration', {'DefaultChatServiceSid': other})
    code, result = run_module(main, {'sid': default, 'state': 'absent'})
    assert code == 0 and result['changed'] is True and list(twilio.services) == [other]


def test_a_push_credential_in_notifications_is_refused_with_the_rule(run_module, twilio):
    code, result = run_module(main, {'friendly_name': 'dev', 'notifications': {'new_message': {'credential_sid': 'CR' + 'a' * 32}}})
    assert code == 1 and twilio.calls == []
    assert result['msg'].startswith('notifications.new_message.credential_sid is not a service setting: Twilio picks the push credential per binding')
