# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""conversations_credential against the in-process emulator: requests from its log, secrets never in the result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.chatops.twilio.plugins.modules import conversations_credential
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import sent, writes

main = conversations_credential.main
CERT = '-----BEGIN CERTIFICATE-----\nMIIFnTCCBIWgAwIBAgIIAjy9H849+E8wDQYJKoZIhvcNAQEFBQAwgZYxCzAJBgNV\n-----END CERTIFICATE-----'
KEY = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpQIBAAKCAQEAuyf/lNrH9ck8DmNyo3fGgvCI1l9s+cmBY3WIz+cUDqmxiieR\n-----END RSA PRIVATE KEY-----'
FCM = 'AAAA-fcm-server-key-0123456789abcdef'
APN = {'friendly_name': 'ios', 'type': 'apn', 'sandbox': True, 'certificate': CERT, 'private_key': KEY}


def assert_no_secret(result):
    text = json.dumps(result)
    for secret in (CERT, KEY, FCM, 'MIIFnTCCBIWgAwIBAgIIAjy9H849', 'MIIEpQIBAAKCAQEAuyf'):
        assert secret not in text


def form_of(emu, index):
    return emu.request_log()[index]


def test_apn_create_check_apply_rerun(run, emu):
    code, predicted = run(main, APN, check=True, diff=True)
    assert code == 0 and predicted['changed'] is True and writes(emu) == []
    assert predicted['diff']['after'] == {'sid': None, 'friendly_name': 'ios', 'type': 'apn', 'sandbox': 'True'}
    code, created = run(main, APN, diff=True)
    assert code == 0 and created['changed'] is True
    assert sent(emu) == [('GET', 'v1/Credentials'), ('POST', 'v1/Credentials'), ('GET', 'v1/Credentials')]
    assert created['credential']['sandbox'] == 'True' and created['credential']['sid'].startswith('CR')
    assert_no_secret(created)
    code, again = run(main, APN, diff=True)
    assert again['changed'] is False and sent(emu) == [('GET', 'v1/Credentials')]
    code, again = run(main, APN, check=True)
    assert again['changed'] is False and writes(emu) == []


def test_sandbox_is_compared_case_insensitively_and_updated_without_type(run, emu, api):
    made = api('POST', '/chat/v2/Credentials', {'Type': 'apn', 'FriendlyName': 'ios', 'Sandbox': 'false', 'Certificate': CERT, 'PrivateKey': KEY})
    assert made['sandbox'] == 'False'
    code, result = run(main, {'friendly_name': 'ios', 'sandbox': False})
    assert result['changed'] is False and writes(emu) == []
    code, result = run(main, {'friendly_name': 'ios', 'type': 'apn', 'sandbox': True}, diff=True)
    assert result['changed'] is True and writes(emu) == [('POST', 'v1/Credentials/' + made['sid'])]
    assert result['diff'] == {
        'before': {'sid': made['sid'], 'friendly_name': 'ios', 'type': 'apn', 'sandbox': 'False'},
        'after': dict(result['diff']['before'], sandbox='True'),
    }
    assert api('GET', '/chat/v2/Credentials/' + made['sid'])['sandbox'] == 'True'


def test_update_secrets_always_sends_them_and_reports_changed_in_check_mode_too(run, emu):
    args = {'friendly_name': 'android', 'type': 'fcm', 'secret': FCM, 'update_secrets': 'always'}
    run(main, args)
    code, result = run(main, args, check=True, diff=True)
    assert result['changed'] is True and writes(emu) == []
    assert result['diff']['before']['secrets'] == 'not readable' and result['diff']['after']['secrets'] == 'sent'
    code, result = run(main, args, diff=True)
    assert result['changed'] is True and len(writes(emu)) == 1
    assert_no_secret(result)
    code, result = run(main, dict(args, update_secrets='on_create'))
    assert result['changed'] is False and writes(emu) == []


def test_type_is_fixed_also_for_a_gcm_credential(run, emu, api):
    api('POST', '/conversations/v1/Credentials', {'Type': 'gcm', 'FriendlyName': 'old', 'ApiKey': 'gcm-key'})
    code, result = run(main, {'friendly_name': 'old', 'type': 'fcm', 'secret': FCM})
    assert code == 1 and writes(emu) == [] and 'is of type gcm, not fcm' in result['msg']
    assert_no_secret(result)


def test_create_needs_the_secrets_of_its_type(run, emu):
    code, result = run(main, {'friendly_name': 'ios', 'type': 'apn', 'certificate': CERT})
    assert code == 1 and writes(emu) == [] and 'to create it set private_key' in result['msg']
    assert_no_secret(result)


def test_options_of_the_other_type_are_refused_before_any_request(run, emu):
    for args, message in (
        ({'friendly_name': 'a', 'type': 'fcm', 'sandbox': True, 'secret': FCM}, 'sandbox is for apn credentials only'),
        ({'friendly_name': 'a', 'type': 'fcm', 'certificate': CERT}, 'certificate is for apn credentials only'),
        ({'friendly_name': 'a', 'type': 'apn', 'secret': FCM}, 'secret is for fcm credentials only'),
        ({'friendly_name': 'a', 'type': 'fcm', 'secret': ''}, 'secret must not be empty'),
    ):
        code, result = run(main, args)
        assert code == 1 and sent(emu) == [] and result['msg'].startswith(message)
        assert_no_secret(result)


def test_duplicates_fail_listing_the_sids_and_delete(run, emu, api):
    made = [api('POST', '/conversations/v1/Credentials', {'Type': 'fcm', 'FriendlyName': 'twin', 'Secret': 's'})['sid'] for dummy in range(2)]
    code, result = run(main, {'friendly_name': 'twin', 'state': 'absent'})
    assert code == 1 and writes(emu) == [] and sorted(result['sids']) == sorted(made)
    api('DELETE', '/conversations/v1/Credentials/' + made[0])
    code, result = run(main, {'friendly_name': 'twin', 'state': 'absent'}, diff=True)
    assert result['changed'] is True and writes(emu) == [('DELETE', 'v1/Credentials/' + made[1])] and result['diff']['after'] == {}
    code, result = run(main, {'friendly_name': 'twin', 'state': 'absent'})
    assert result['changed'] is False and result['credential'] == {}


def test_a_piece_of_a_secret_quoted_in_an_answer_is_redacted(run, emu):
    # A malformed answer that quotes one line of the key (Ansible's own no_log masking looks for whole values only).
    line = KEY.splitlines()[1]
    emu.set_faults(next=1, kinds=['malformed'], methods=['POST'], body=json.dumps({'error': 'bad key ' + line}))
    code, result = run(main, APN)
    # An answer without a CR SID is refused as malformed (as for every create), quoting the answer redacted.
    assert code == 1 and writes(emu) == [('POST', 'v1/Credentials')]
    assert 'malformed answer' in result['msg'], result['msg']
    assert_no_secret(result)
    assert line not in json.dumps(result)


def test_a_short_secret_masks_no_result_key(run, emu):
    # Ansible itself masks a one-letter no_log value inside words; the module's own redaction must not also mask
    # it in the result's keys, which lost "msg" and crashed fail_json.
    code, result = run(main, {'friendly_name': 'a', 'type': 'fcm', 'secret': 's', 'sandbox': True})
    assert code == 1 and result['failed'] is True and 'for apn credential' in result['msg']
