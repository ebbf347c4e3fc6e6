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

from ansible_collections.chatops.twilio.plugins.modules import serverless_service
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import (
    response,
    twilio_error,
    warning_texts,
)

main = serverless_service.main
EMULATED = 'serverless'  # conftest's twilio fixture seeds Functions Services
WRONG_TOKEN = 'wrong-auth-token-0123456789abcdef'
MISSING = 'ZS' + 'f' * 32


# ---- create ------------------------------------------------------------------------------------


def test_create_with_unique_name_only(run_module, twilio):
    code, result = run_module(main, {'unique_name': 'myapp'}, diff=True)
    assert code == 0 and result['changed'] is True
    assert twilio.sent() == [('GET', '/serverless/v1/Services/myapp'), ('POST', '/serverless/v1/Services')]
    # FriendlyName is required by Twilio: it defaults to the unique name; nothing else is sent.
    assert twilio.calls[1][3] == [('UniqueName', 'myapp'), ('FriendlyName', 'myapp')]
    service = result['service']
    assert service['sid'].startswith('ZS') and service['unique_name'] == 'myapp'
    assert service['include_credentials'] is True and service['ui_editable'] is False
    assert result['diff'] == {'before': {}, 'after': {'unique_name': 'myapp', 'friendly_name': 'myapp', 'include_credentials': True, 'ui_editable': False}}
    assert result['retries_used'] == 0


def test_create_with_every_setting_is_one_write(run_module, twilio):
    args = {'name': 'myapp', 'friendly_name': 'My app', 'include_credentials': False, 'ui_editable': True}
    code, result = run_module(main, args)
    assert code == 0 and result['changed'] is True
    assert twilio.writes() == [
        ('POST', '/serverless/v1/Services', {}, [('UniqueName', 'myapp'), ('FriendlyName', 'My app'), ('IncludeCredentials', 'false'), ('UiEditable', 'true')])
    ]
    assert result['service']['include_credentials'] is False and result['service']['ui_editable'] is True
    code, result = run_module(main, args)
    assert code == 0 and result['changed'] is False and len(twilio.writes()) == 1


def test_create_check_mode_predicts_without_writing(run_module, twilio):
    code, result = run_module(main, {'unique_name': 'myapp', 'ui_editable': True}, check=True, diff=True)
    assert code == 0 and result['changed'] is True
    assert twilio.writes() == [] and twilio.services == {}
    assert result['service'] == {
        'sid': None,
        'unique_name': 'myapp',
        'friendly_name': 'myapp',
        'domain_base': None,
        'include_credentials': True,
        'ui_editable': True,
    }
    assert result['diff'] == {'before': {}, 'after': {'unique_name': 'myapp', 'friendly_name': 'myapp', 'include_credentials': True, 'ui_editable': True}}


@pytest.mark.parametrize('existing', [49, 50])
def test_check_mode_create_at_the_cap_says_it_would_be_refused(run_module, twilio, existing):
    # Twilio allows 50 Functions services per account by default: the real create would be refused (20001).
    for index in range(existing):
        twilio.add('app%d' % index)
    twilio.clear_log()
    code, result = run_module(main, {'unique_name': 'myapp'}, check=True)
    assert code == 0 and result['changed'] is True and twilio.writes() == []
    # the look-up of the name, and the one listing that counts the services (only in a check-mode create)
    assert twilio.sent() == [('GET', '/serverless/v1/Services/myapp'), ('GET', '/serverless/v1/Services')]
    refused = [w for w in warning_texts(result) if 'would be refused' in w]
    if existing < 50:
        assert refused == []
    else:
        assert refused == [
            "check mode: creating serverless service myapp would be refused: the account already has 50 serverless services, "
            "and Twilio allows 50 by default (the create fails with code 20001 unless Twilio raised this account's limit)"
        ]


def test_unique_name_of_49_characters_is_fine(run_module, twilio):
    code, result = run_module(main, {'unique_name': 'a-' * 24 + 'b'})
    assert code == 0 and result['changed'] is True


def test_unique_name_of_50_characters_is_sent_and_addressable(run_module, twilio):
    name = 'a-' * 24 + 'bc'
    code, result = run_module(main, {'unique_name': name})
    assert code == 0 and result['changed'] is True and twilio.writes()[0][3][0] == ('UniqueName', name)
    code, result = run_module(main, {'unique_name': name, 'ui_editable': True})
    assert code == 0 and result['changed'] is True
    assert twilio.sent()[-2:] == [('GET', '/serverless/v1/Services/' + name), ('POST', '/serverless/v1/Services/%s' % result['service']['sid'])]
    code, result = run_module(main, {'unique_name': name, 'state': 'absent'})
    assert code == 0 and result['changed'] is True and twilio.services == {}


def _service_answer(twilio, sid, status=200, **fields):
    view = twilio.view(sid)
    view.update(fields)
    return response(status, view)


def test_update_answered_without_a_setting_fails_naming_it(run_module, twilio):
    sid = twilio.add('myapp')
    twilio.fail(_service_answer(twilio, sid, friendly_name='New'), method='POST')
    code, result = run_module(main, {'unique_name': 'myapp', 'friendly_name': 'New', 'ui_editable': True})
    assert code == 1 and result['changed'] is True and result['not_applied'] == ['ui_editable']
    assert result['msg'] == (
        'Twilio accepted the update of serverless service myapp but did not apply ui_editable '
        '(sent true, Twilio has false); the next run would send the same again'
    )


def test_create_answered_without_a_setting_fails_naming_it(run_module, twilio):
    sid = twilio.add('myapp')
    answer = _service_answer(twilio, sid, 201)
    twilio.remove(sid)
    twilio.fail(answer, method='POST')
    code, result = run_module(main, {'unique_name': 'myapp', 'friendly_name': 'My app', 'include_credentials': False})
    assert code == 1 and result['changed'] is True
    assert result['not_applied'] == ['friendly_name', 'include_credentials']
    assert result['msg'].startswith(
        "Twilio accepted the creation of serverless service myapp but did not apply "
        "friendly_name (sent 'My app', Twilio has 'myapp'), include_credentials (sent false, "
        "Twilio has true)"
    )


# ---- update / no-op ----------------------------------------------------------------------------


def test_noop_by_unique_name_is_one_request(run_module, twilio):
    twilio.add('myapp', friendly_name='My app', ui_editable=True)
    code, result = run_module(main, {'unique_name': 'myapp', 'friendly_name': 'My app', 'ui_editable': True, 'include_credentials': True}, diff=True)
    assert code == 0 and result['changed'] is False
    assert twilio.sent() == [('GET', '/serverless/v1/Services/myapp')]
    assert result['diff']['before'] == result['diff']['after']


def test_noop_by_sid_is_one_request(run_module, twilio):
    sid = twilio.add('myapp')
    code, result = run_module(main, {'sid': sid, 'unique_name': 'myapp'})
    assert code == 0 and result['changed'] is False and twilio.sent() == [('GET', '/serverless/v1/Services/%s' % sid)]


def test_update_sends_only_the_delta(run_module, twilio):
    sid = twilio.add('myapp', friendly_name='Old')
    code, result = run_module(main, {'name': 'myapp', 'friendly_name': 'New', 'include_credentials': True, 'ui_editable': True}, diff=True)
    assert code == 0 and result['changed'] is True
    assert twilio.writes() == [('POST', '/serverless/v1/Services/%s' % sid, {}, [('FriendlyName', 'New'), ('UiEditable', 'true')])]
    assert result['diff'] == {
        'before': {'unique_name': 'myapp', 'friendly_name': 'Old', 'include_credentials': True, 'ui_editable': False},
        'after': {'unique_name': 'myapp', 'friendly_name': 'New', 'include_credentials': True, 'ui_editable': True},
    }
    assert twilio.services[sid]['friendly_name'] == 'New'


def test_update_check_mode_predicts_without_writing(run_module, twilio):
    sid = twilio.add('myapp')
    code, result = run_module(main, {'sid': sid, 'include_credentials': False}, check=True, diff=True)
    assert code == 0 and result['changed'] is True and twilio.writes() == []
    assert result['service']['include_credentials'] is False and result['service']['sid'] == sid
    assert result['diff'] == {'before': {'unique_name': 'myapp', 'include_credentials': True}, 'after': {'unique_name': 'myapp', 'include_credentials': False}}
    assert twilio.services[sid]['include_credentials'] is True


def test_unset_settings_are_left_alone(run_module, twilio):
    twilio.add('myapp', friendly_name='Kept', include_credentials=False)
    code, result = run_module(main, {'unique_name': 'myapp'})
    assert code == 0 and result['changed'] is False and twilio.writes() == []


def test_different_unique_name_on_a_sid_is_a_clear_error(run_module, twilio):
    sid = twilio.add('myapp')
    for state in ('present', 'absent'):
        code, result = run_module(main, {'sid': sid, 'unique_name': 'other', 'state': state})
        assert code == 1 and twilio.writes() == []
        assert "has unique_name 'myapp', not 'other'" in result['msg']
        assert 'cannot be changed after creation' in result['msg']


def test_unknown_sid_fails_for_present(run_module, twilio):
    code, result = run_module(main, {'sid': MISSING, 'friendly_name': 'x'})
    assert code == 1 and 'does not exist' in result['msg'] and 'unique_name without sid' in result['msg']
    assert twilio.writes() == []


# ---- absent ------------------------------------------------------------------------------------


def test_absent_deletes_and_returns_the_deleted_service(run_module, twilio):
    sid = twilio.add('myapp')
    twilio.add_environment(sid, 'prod')
    code, result = run_module(main, {'name': 'myapp', 'state': 'absent'}, diff=True)
    assert code == 0 and result['changed'] is True and result['service']['sid'] == sid
    assert twilio.writes() == [('DELETE', '/serverless/v1/Services/%s' % sid, {}, [])] and twilio.services == {}
    before = {'unique_name': 'myapp', 'friendly_name': 'myapp', 'include_credentials': True, 'ui_editable': False, 'environments': ['prod']}
    assert result['diff'] == {'before': before, 'after': {}}


def test_absent_check_mode_does_not_delete(run_module, twilio):
    sid = twilio.add('myapp')
    code, result = run_module(main, {'sid': sid, 'state': 'absent'}, check=True, diff=True)
    assert code == 0 and result['changed'] is True and sid in twilio.services and twilio.writes() == []
    assert result['diff']['after'] == {}


def test_absent_when_missing_is_a_noop(run_module, twilio):
    code, result = run_module(main, {'sid': MISSING, 'state': 'absent'}, diff=True)
    assert code == 0 and result['changed'] is False and result['service'] == {}
    assert result['diff'] == {'before': {}, 'after': {}}
    code, result = run_module(main, {'name': 'nothing', 'state': 'absent'})
    assert code == 0 and result['changed'] is False and twilio.writes() == []


def test_absent_raced_by_someone_else(run_module, twilio):
    sid = twilio.add('myapp')
    twilio.before(lambda: twilio.remove(sid) or True, method='DELETE')  # someone else deletes it first: Twilio answers 404
    code, result = run_module(main, {'sid': sid, 'state': 'absent'})
    assert code == 0 and result['changed'] is False


def test_absent_delete_applied_but_answer_lost_reports_changed(run_module, twilio, sleeps):
    sid = twilio.add('myapp')
    twilio.faults(next=1, kinds=['commit_drop'], methods=['DELETE'])
    code, result = run_module(main, {'name': 'myapp', 'state': 'absent'})
    assert code == 0 and result['changed'] is True and result['service']['sid'] == sid and twilio.services == {}
    assert [c[0] for c in twilio.writes()] == ['DELETE', 'DELETE']
    assert any('so that DELETE went through' in w for w in warning_texts(result))


@pytest.mark.parametrize('ref', [MISSING, 'myapp'])
def test_html_404_on_fetch_is_an_error_not_absence(run_module, twilio, ref):
    twilio.fail(response(404, raw='<html><title>Not Found</title></html>', headers={'Content-Type': 'text/html'}))
    code, result = run_module(main, {'sid' if ref == MISSING else 'name': ref, 'state': 'absent', 'api_base_url': 'http://127.0.0.1:9/{product}'})
    assert code == 1 and twilio.writes() == [] and result['status'] == 404
    assert result['msg'] == (
        'Failed to fetch serverless service %s: HTTP 404 Not Found (non-JSON text/html response: '
        'Not Found) from http://127.0.0.1:9/serverless/v1/Services/%s, not a Twilio API answer: '
        'check api_base_url' % (ref, ref)
    )


# ---- validation (no request at all) ------------------------------------------------------------


@pytest.mark.parametrize(
    'args, words',
    [
        ({'sid': 'ZS123'}, ['sid', '^ZS[0-9a-fA-F]{32}$']),
        ({'sid': 'IS' + '0' * 32}, ['sid', '^ZS[0-9a-fA-F]{32}$']),
        ({'unique_name': 'a' * 51}, ['unique_name must be at most 50 characters, got 51']),
        ({'unique_name': 'nl-name\n'}, ['unique_name', 'letters, numbers and dashes']),
        ({'unique_name': '-app'}, ['unique_name must not start or end with a dash']),
        ({'unique_name': 'app-'}, ['unique_name must not start or end with a dash']),
        ({'sid': 'ZS' + 'a' * 32 + '\n'}, ['sid', '^ZS[0-9a-fA-F]{32}$']),
        ({'unique_name': 'ok', 'ui_editable': 'maybe'}, ['ui_editable']),
        ({'unique_name': 'my_app'}, ['unique_name', 'letters, numbers and dashes', "'my_app'"]),
        ({'unique_name': 'my app'}, ['unique_name', 'letters, numbers and dashes']),
        ({'unique_name': 'my.app'}, ['unique_name', 'letters, numbers and dashes']),
        ({'unique_name': ''}, ['unique_name', 'empty']),
        ({'unique_name': 'ZS' + 'a' * 32}, ['unique_name', 'look like a Service SID']),
        ({'unique_name': 'ok', 'friendly_name': 'x' * 256}, ['friendly_name', '255']),
        ({'unique_name': 'ok', 'friendly_name': ''}, ['friendly_name', 'empty']),
    ],
)
def test_validation_fails_before_any_request(run_module, twilio, args, words):
    code, result = run_module(main, args)
    assert code == 1 and twilio.calls == []
    for word in words:
        assert word in result['msg']


def test_sid_or_unique_name_is_required(run_module, twilio):
    code, result = run_module(main, {'friendly_name': 'x'})
    assert code == 1 and 'sid' in result['msg'] and 'unique_name' in result['msg'] and twilio.calls == []


# ---- errors ------------------------------------------------------------------------------------


def test_api_error_becomes_one_clear_failure(run_module, twilio):
    sid = twilio.add('myapp')
    twilio.fail(twilio_error(400, 20001, 'Invalid parameter: FriendlyName'), method='POST')
    code, result = run_module(main, {'name': 'myapp', 'friendly_name': 'n'})
    assert code == 1
    assert result['msg'] == 'Failed to update serverless service myapp: Invalid parameter: FriendlyName (code 20001)'
    assert result['status'] == 400 and result['code'] == 20001
    assert result['method'] == 'POST' and result['path'] == '/v1/Services/%s' % sid


def test_service_cap_is_surfaced(run_module, twilio):
    twilio.emulator.set_max_services({'serverless': 2})
    twilio.add('one')
    twilio.add('two')
    code, result = run_module(main, {'name': 'three'})
    assert code == 1 and len(twilio.services) == 2
    assert result['msg'].startswith('Failed to create serverless service three: Maximum number of Services reached')
    assert result['msg'].endswith('(code 20001)')


def test_auth_error_never_shows_the_secret(run_module, twilio):
    code, result = run_module(main, {'name': 'myapp', 'auth_token': WRONG_TOKEN})
    assert code == 1
    assert result['msg'] == ('Failed to fetch serverless service myapp: Authenticate: Your AccountSid or AuthToken was incorrect. (code 20003)')
    assert WRONG_TOKEN not in json.dumps(result)


def test_transport_error_is_one_line(run_module, twilio):
    twilio.fail(requests.exceptions.ConnectTimeout('x'), times=10)
    code, result = run_module(main, {'name': 'myapp', 'retries': 0})
    assert code == 1 and 'connection to serverless.twilio.com:443 timed out after 30.0s' in result['msg'] and '\n' not in result['msg']
    assert result['msg'].startswith('Failed to fetch serverless service myapp:')


# ---- duplicate-safe create ---------------------------------------------------------------------


def test_create_5xx_after_commit_adopts_by_unique_name(run_module, twilio, sleeps):
    twilio.fail(twilio_error(500, 20500, 'Internal Server Error'), method='POST', path=r'/Services$', commit=True)
    code, result = run_module(main, {'name': 'myapp', 'friendly_name': 'My app'})
    assert code == 0 and result['changed'] is True and len(twilio.services) == 1
    assert twilio.sent() == [('GET', '/serverless/v1/Services/myapp'), ('POST', '/serverless/v1/Services'), ('GET', '/serverless/v1/Services/myapp')]
    assert result['service']['friendly_name'] == 'My app' and sleeps == []
    assert any('the create went through, adopting ZS' in w for w in warning_texts(result))


def test_create_reset_before_commit_is_resent(run_module, twilio, sleeps):
    twilio.faults(next=1, kinds=['reset'], methods=['POST'])
    code, result = run_module(main, {'name': 'myapp'})
    assert code == 0 and result['changed'] is True and len(twilio.services) == 1
    assert twilio.methods() == ['GET', 'POST', 'GET', 'POST']
    assert result['retries_used'] == 1 and len(sleeps) == 1
    assert any('nothing was created, retry 1 of 4' in w for w in warning_texts(result))


def test_create_never_duplicates_when_every_attempt_commits(run_module, twilio, sleeps):
    twilio.fail(requests.exceptions.ReadTimeout('read timed out'), method='POST', path=r'/Services$', commit=True, times=3)
    code, result = run_module(main, {'name': 'myapp'})
    assert code == 0 and len(twilio.services) == 1 and result['changed'] is True


def test_create_gives_up_after_retries(run_module, twilio, sleeps):
    twilio.faults(next=10, kinds=['503'], methods=['POST'])
    code, result = run_module(main, {'name': 'myapp', 'retries': 2})
    assert code == 1 and twilio.services == {} and len(sleeps) == 2
    assert twilio.methods().count('POST') == 3
    assert re.match(r'^Failed to create serverless service myapp: Service Unavailable \(code 20503\) after 2 retries in \d+\.\d s$', result['msg'])


def test_create_429_is_retried_directly(run_module, twilio, sleeps):
    twilio.faults(next=1, kinds=['429'], methods=['POST'])
    code, result = run_module(main, {'name': 'myapp'})
    assert code == 0 and len(twilio.services) == 1
    assert twilio.methods() == ['GET', 'POST', 'POST']


def test_create_conflict_adopts_the_concurrent_service_and_converges(run_module, twilio):
    # Another run creates it between our lookup and our create: Twilio answers our create with 409.
    twilio.before(lambda: twilio.add('myapp', friendly_name='theirs', fresh=True), method='POST', path=r'/Services$')
    code, result = run_module(main, {'name': 'myapp', 'friendly_name': 'ours'})
    assert code == 0 and result['changed'] is True and len(twilio.services) == 1
    assert twilio.sent() == [
        ('GET', '/serverless/v1/Services/myapp'),
        ('POST', '/serverless/v1/Services'),
        ('GET', '/serverless/v1/Services/myapp'),
        ('POST', '/serverless/v1/Services/%s' % result['service']['sid']),
    ]
    assert result['service']['friendly_name'] == 'ours'
    assert any('created meanwhile by someone else' in w for w in warning_texts(result))


def test_5xx_on_update_is_retried(run_module, twilio, sleeps):
    twilio.add('myapp')
    twilio.faults(next=2, kinds=['503'], methods=['POST'])
    code, result = run_module(main, {'name': 'myapp', 'ui_editable': True})
    assert code == 0 and result['changed'] is True and len(sleeps) == 2 and result['retries_used'] == 2
