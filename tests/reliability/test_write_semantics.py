# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a write did, proven from the emulator's request log (issue 9, items 8, 10 and 13).

* A write Twilio answers without applying a field (the emulator's ``drop_field`` fault) fails the task
  naming the field, instead of a ``changed`` that every later run repeats with before equal to after.
  The next run (without the fault) sends the field again and converges.
* ``chat_service`` with ``state: absent``, ``sid`` and a ``friendly_name`` the service does not have
  sends no DELETE.
* A Serverless service whose unique name has 50 characters is created (Twilio's call, here the
  emulator's) and then addressed by that name for lookup, update and delete.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import harness  # pylint: disable=import-error

NAME_50 = 'a-' * 24 + 'bc'


def run(emulator, module, args):
    outcome = harness.run_module(module, args, harness.base_env(emulator))
    assert outcome.result is not None, outcome.describe()
    for text in (outcome.stdout, outcome.stderr):
        assert not harness.TRACEBACK_RE.search(text), outcome.describe()
    return outcome.result


def writes(emulator):
    """(method, path, fault, dropped) of every write in the log."""
    return [(e['method'], e['path'], e['fault'], e.get('dropped')) for e in harness.writes(emulator.requests_log())]


def serverless(emulator, method, path, **data):
    response = emulator.session.request(
        method, '%s/serverless/v1/%s' % (emulator.url, path), data=data or None, auth=(emulator.account_sid, emulator.auth_token), timeout=30
    )
    response.raise_for_status()
    return response.json() if response.content else None


# ---- item 8: a field Twilio did not apply ----------------------------------------------------------


def test_chat_update_without_a_field_fails_naming_it_then_converges(clean):
    sid = clean.create_service('one')['sid']
    clean.clear_log()
    clean.faults(next=1, kinds=['drop_field'], methods=['POST'], drop_field='Limits.ChannelMembers')
    args = {'friendly_name': 'one', 'typing_indicator_timeout': 9, 'limits': {'channel_members': 500}}
    result = run(clean, 'chat_service', args)
    assert result.get('failed') is True, result
    assert result['msg'] == (
        'Twilio accepted the update of chat service one but did not apply limits.channel_members '
        '(sent 500, Twilio has 250); the next run would send the same again'
    )
    assert result['not_applied'] == ['limits.channel_members']
    assert result['changed'] is True, 'typing_indicator_timeout was applied'
    path = '/chat/v2/Services/%s' % sid
    assert writes(clean) == [('POST', path, 'drop_field', 'Limits.ChannelMembers')]

    clean.clear_faults()
    clean.clear_log()
    result = run(clean, 'chat_service', args)
    assert result.get('failed') is not True and result['changed'] is True, result
    assert writes(clean) == [('POST', path, None, None)]
    assert clean.services()[0]['limits']['channel_members'] == 500
    clean.clear_log()
    result = run(clean, 'chat_service', args)
    assert result['changed'] is False and writes(clean) == []


def test_chat_create_then_update_without_a_field_reports_the_creation(clean):
    clean.faults(next=2, kinds=['drop_field'], methods=['POST'], drop_field='Notifications.NewMessage.Enabled')
    result = run(clean, 'chat_service', {'friendly_name': 'new', 'notifications': {'new_message': {'enabled': True}}})
    assert result.get('failed') is True and result['changed'] is True, result
    assert result['not_applied'] == ['notifications.new_message.enabled']
    assert 'notifications.new_message.enabled (sent true, Twilio has null)' in result['msg']
    log = writes(clean)
    dropped = 'Notifications.NewMessage.Enabled'
    assert [(m, p.count('/'), d) for m, p, dummy, d in log] == [('POST', 3, None), ('POST', 4, dropped)]
    assert [s['friendly_name'] for s in clean.services()] == ['new']


def test_serverless_create_and_update_without_a_setting_fail_naming_it(clean):
    clean.faults(next=1, kinds=['drop_field'], methods=['POST'])
    args = {'unique_name': 'drop-app', 'ui_editable': True}
    result = run(clean, 'serverless_service', args)
    assert result.get('failed') is True and result['changed'] is True, result
    assert result['msg'] == (
        'Twilio accepted the creation of serverless service drop-app but did not apply ui_editable '
        '(sent true, Twilio has false); the next run would send the same again'
    )
    assert writes(clean) == [('POST', '/serverless/v1/Services', 'drop_field', 'UiEditable')]

    clean.clear_log()
    clean.faults(next=1, kinds=['drop_field'], methods=['POST'])
    result = run(clean, 'serverless_service', args)
    assert result.get('failed') is True and result['changed'] is False, result
    assert result['not_applied'] == ['ui_editable']
    sid = serverless(clean, 'GET', 'Services/drop-app')['sid']
    assert writes(clean) == [('POST', '/serverless/v1/Services/%s' % sid, 'drop_field', 'UiEditable')]

    clean.clear_faults()
    result = run(clean, 'serverless_service', args)
    assert result.get('failed') is not True and result['changed'] is True, result
    assert serverless(clean, 'GET', 'Services/drop-app')['ui_editable'] is True


def test_serverless_environment_created_without_its_suffix_fails_naming_it(clean):
    service = serverless(clean, 'POST', 'Services', UniqueName='env-app', FriendlyName='env-app')
    clean.clear_log()
    clean.faults(next=1, kinds=['drop_field'], methods=['POST'])
    result = run(clean, 'serverless_environment', {'service': 'env-app', 'unique_name': 'dev', 'domain_suffix': 'dev'})
    assert result.get('failed') is True and result['changed'] is True, result
    assert result['msg'] == (
        "Twilio accepted the creation of serverless environment dev of service env-app but did not apply domain_suffix (sent 'dev', Twilio has '')"
    )
    assert writes(clean) == [('POST', '/serverless/v1/Services/%s/Environments' % service['sid'], 'drop_field', 'DomainSuffix')]


def test_serverless_environments_rename_is_checked_and_shown_in_the_diff(clean):
    """The service step of serverless_environments is the service Lifecycle: a rename Twilio drops fails naming it."""
    service = serverless(clean, 'POST', 'Services', UniqueName='set-app', FriendlyName='old name')
    args = {'service': 'set-app', 'friendly_name': 'new name', 'environments': [{'name': 'dev', 'domain_suffix': 'dev'}], '_ansible_diff': True}
    clean.clear_log()
    clean.faults(next=1, kinds=['drop_field'], methods=['POST'])
    result = run(clean, 'serverless_environments', args)
    assert result.get('failed') is True and result['changed'] is False and result['not_applied'] == ['friendly_name'], result
    assert result['msg'] == (
        "Twilio accepted the update of serverless service set-app but did not apply friendly_name "
        "(sent 'new name', Twilio has 'old name'); the next run would send the same again"
    )
    assert writes(clean) == [('POST', '/serverless/v1/Services/%s' % service['sid'], 'drop_field', 'FriendlyName')]

    clean.clear_faults()
    result = run(clean, 'serverless_environments', args)
    assert result.get('failed') is not True and result['service_changed'] is True, result
    assert result['diff'][0] == {
        'before': {'unique_name': 'set-app', 'friendly_name': 'old name'},
        'after': {'unique_name': 'set-app', 'friendly_name': 'new name'},
        'before_header': 'service set-app',
        'after_header': 'service set-app',
    }
    assert [d['after_header'] for d in result['diff'][1:]] == ['dev']


def test_serverless_service_delete_lists_its_environments_in_the_diff(clean):
    """Deleting a Functions service deletes its environments: the diff says which (diff mode only: one more GET)."""
    service = serverless(clean, 'POST', 'Services', UniqueName='gone-app', FriendlyName='gone-app')
    for name in ('prod', 'dev'):
        serverless(clean, 'POST', 'Services/%s/Environments' % service['sid'], UniqueName=name, DomainSuffix=name)
    clean.clear_log()
    result = run(clean, 'serverless_service', {'unique_name': 'gone-app', 'state': 'absent', '_ansible_check_mode': True, '_ansible_diff': True})
    assert result['changed'] is True and result['diff']['before']['environments'] == ['dev', 'prod'] and result['diff']['after'] == {}, result
    assert writes(clean) == []
    clean.clear_log()
    result = run(clean, 'serverless_service', {'unique_name': 'gone-app', 'state': 'absent'})
    assert result['changed'] is True and 'diff' not in result, result
    assert [e['method'] for e in clean.requests_log()] == ['GET', 'DELETE']


# ---- item 10: a delete by sid whose service has another name --------------------------------------


def test_chat_delete_by_sid_with_another_name_sends_no_delete(clean):
    sid = clean.create_service('prod')['sid']
    clean.clear_log()
    for check in (True, False):
        outcome = harness.run_module(
            'chat_service', {'sid': sid, 'friendly_name': 'dev', 'state': 'absent', '_ansible_check_mode': check}, harness.base_env(clean)
        )
        result = outcome.result
        assert result is not None and result.get('failed') is True, outcome.describe()
        assert result['msg'] == (
            "chat service %s has friendly_name 'prod', not 'dev': refusing to delete it. Check sid, or leave friendly_name out to delete by sid alone" % sid
        )
    log = clean.requests_log()
    assert [(e['method'], e['path']) for e in log] == [('GET', '/chat/v2/Services/%s' % sid)] * 2
    assert [s['sid'] for s in clean.services()] == [sid]

    clean.clear_log()
    result = run(clean, 'chat_service', {'sid': sid, 'friendly_name': 'prod', 'state': 'absent'})
    assert result['changed'] is True and writes(clean) == [('DELETE', '/chat/v2/Services/%s' % sid, None, None)]
    assert clean.services() == []


# ---- item 13: a unique name of 50 characters ---------------------------------------------------------


def test_serverless_service_of_50_characters_is_addressable_by_name(clean):
    result = run(clean, 'serverless_service', {'unique_name': NAME_50})
    assert result.get('failed') is not True and result['changed'] is True, result
    sid = result['service']['sid']
    result = run(clean, 'serverless_service', {'unique_name': NAME_50, 'friendly_name': 'Fifty'})
    assert result['changed'] is True and result['service']['friendly_name'] == 'Fifty'
    result = run(clean, 'serverless_service_info', {'unique_name': NAME_50})
    assert [s['sid'] for s in result['services']] == [sid]
    result = run(clean, 'serverless_environment', {'service': NAME_50, 'unique_name': 'dev', 'domain_suffix': 'dev'})
    assert result['changed'] is True
    result = run(clean, 'serverless_service', {'unique_name': NAME_50, 'state': 'absent'})
    assert result['changed'] is True
    by_name = '/serverless/v1/Services/' + NAME_50
    assert [(e['method'], e['path'], e['status']) for e in clean.requests_log()] == [
        ('GET', by_name, 404),
        ('POST', '/serverless/v1/Services', 201),
        ('GET', by_name, 200),
        ('POST', '/serverless/v1/Services/' + sid, 200),
        ('GET', by_name, 200),
        ('GET', by_name, 200),
        ('GET', '/serverless/v1/Services/%s/Environments' % sid, 200),
        ('POST', '/serverless/v1/Services/%s/Environments' % sid, 201),
        ('GET', by_name, 200),
        ('DELETE', '/serverless/v1/Services/' + sid, 204),
    ]
