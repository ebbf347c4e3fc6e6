# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import requests

from ansible_collections.chatops.twilio.plugins.modules import serverless_environment
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import response, twilio_error, warning_texts

main = serverless_environment.main
EMULATED = 'serverless'  # conftest's twilio fixture seeds Functions Services


@pytest.fixture
def app(twilio):
    """SID of a service 'myapp' (domain base myapp-1001)."""
    return twilio.add('myapp')


def envs_of(twilio, sid):
    return sorted((e['unique_name'], e['domain_suffix']) for e in twilio.environments(sid).values())


# ---- create ------------------------------------------------------------------------------------


def test_create_with_suffix(run_module, twilio, app):
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'stage', 'domain_suffix': 'stage'}, diff=True)
    assert code == 0 and result['changed'] is True
    assert twilio.sent() == [
        ('GET', '/serverless/v1/Services/myapp'),
        ('GET', '/serverless/v1/Services/%s/Environments' % app),
        ('POST', '/serverless/v1/Services/%s/Environments' % app),
    ]
    assert twilio.calls[1][2]['PageSize'] == '1000'
    assert twilio.calls[2][3] == [('UniqueName', 'stage'), ('DomainSuffix', 'stage')]
    env = result['environment']
    assert env['sid'].startswith('ZE') and env['domain_name'] == 'myapp-1001-stage.twil.io'
    assert result['diff'] == {
        'before': {},
        'after': {'sid': env['sid'], 'unique_name': 'stage', 'domain_suffix': 'stage', 'domain_name': 'myapp-1001-stage.twil.io'},
    }


@pytest.mark.parametrize('suffix', [None, ''])
def test_create_without_suffix_gets_the_base_domain(run_module, twilio, app, suffix):
    args = {'service': app, 'name': 'production'}
    if suffix is not None:
        args['domain_suffix'] = suffix
    code, result = run_module(main, args)
    assert code == 0 and result['changed'] is True
    assert twilio.writes()[0][3] == [('UniqueName', 'production')]
    assert result['environment']['domain_name'] == twilio.services[app]['domain_base'] + '.twil.io'
    code, result = run_module(main, args)
    assert code == 0 and result['changed'] is False and len(twilio.writes()) == 1


def test_create_check_mode_predicts_the_domain(run_module, twilio, app):
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'dev', 'domain_suffix': 'Dev'}, check=True, diff=True)
    assert code == 0 and result['changed'] is True and twilio.writes() == []
    assert result['environment']['sid'] is None and result['environment']['service_sid'] == app
    assert result['diff']['after'] == {'sid': None, 'unique_name': 'dev', 'domain_suffix': 'Dev', 'domain_name': 'myapp-1001-dev.twil.io'}
    assert twilio.environments(app) == {}


# ---- no-op -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    'args',
    [
        {'domain_suffix': 'stage'},
        {'domain_suffix': 'STAGE'},
        {},
    ],
)
def test_noop_is_two_reads(run_module, twilio, app, args):
    sid = twilio.add_environment(app, 'stage', 'stage')
    code, result = run_module(main, dict(args, service='myapp', unique_name='stage'), diff=True)
    assert code == 0 and result['changed'] is False and twilio.writes() == []
    assert result['environment']['sid'] == sid and len(twilio.calls) == 2
    assert result['diff']['before'] == result['diff']['after']


def test_empty_suffix_matches_none(run_module, twilio, app):
    twilio.add_environment(app, 'production')
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'production', 'domain_suffix': ''})
    assert code == 0 and result['changed'] is False


# ---- immutable: fail or recreate ---------------------------------------------------------------


def test_changed_suffix_fails_without_recreate(run_module, twilio, app):
    twilio.add_environment(app, 'stage', 'stage')
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'stage', 'domain_suffix': 'staging'})
    assert code == 1 and twilio.writes() == []
    assert "has domain_suffix 'stage' (myapp-1001-stage.twil.io), not 'staging'" in result['msg']
    assert 'cannot update an environment' in result['msg'] and 'recreate=true' in result['msg']


def test_recreate_deletes_then_creates(run_module, twilio, app):
    old = twilio.add_environment(app, 'stage', 'stage')
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'stage', 'domain_suffix': 'staging', 'recreate': True}, diff=True)
    assert code == 0 and result['changed'] is True
    assert [(w[0], w[1]) for w in twilio.writes()] == [
        ('DELETE', '/serverless/v1/Services/%s/Environments/%s' % (app, old)),
        ('POST', '/serverless/v1/Services/%s/Environments' % app),
    ]
    new = result['environment']['sid']
    assert new != old and envs_of(twilio, app) == [('stage', 'staging')]
    assert result['diff'] == {
        'before': {'sid': old, 'unique_name': 'stage', 'domain_suffix': 'stage', 'domain_name': 'myapp-1001-stage.twil.io'},
        'after': {'sid': new, 'unique_name': 'stage', 'domain_suffix': 'staging', 'domain_name': 'myapp-1001-staging.twil.io'},
    }


def test_recreate_check_mode_predicts(run_module, twilio, app):
    old = twilio.add_environment(app, 'stage', 'stage')
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'stage', 'domain_suffix': '', 'recreate': True}, check=True, diff=True)
    assert code == 0 and result['changed'] is True and twilio.writes() == []
    assert result['diff']['before']['sid'] == old
    assert result['diff']['after'] == {'sid': None, 'unique_name': 'stage', 'domain_suffix': None, 'domain_name': 'myapp-1001.twil.io'}


def test_recreate_when_unchanged_does_nothing(run_module, twilio, app):
    twilio.add_environment(app, 'stage', 'stage')
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'stage', 'domain_suffix': 'stage', 'recreate': True})
    assert code == 0 and result['changed'] is False and twilio.writes() == []


def test_recreate_create_failure_says_the_old_one_is_gone(run_module, twilio, app):
    twilio.add_environment(app, 'stage', 'stage')
    twilio.fail(twilio_error(400, 20001, 'Invalid parameter DomainSuffix'), method='POST')
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'stage', 'domain_suffix': 'new', 'recreate': True})
    assert code == 1
    assert result['msg'] == (
        'Failed to create serverless environment stage of service myapp (its old version was '
        'deleted to recreate it): Invalid parameter DomainSuffix (code 20001)'
    )


@pytest.mark.parametrize('recreate', [False, True])
def test_suffix_taken_by_another_environment_fails_before_writing(run_module, twilio, app, recreate):
    twilio.add_environment(app, 'stage', 'stage')
    other = twilio.add_environment(app, 'qa', 'qa')
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'stage' if recreate else 'new', 'domain_suffix': 'QA', 'recreate': recreate})
    assert code == 1 and twilio.writes() == []
    assert "domain_suffix 'QA' is already used by environment qa (%s, myapp-1001-qa.twil.io)" % other in result['msg']


def test_second_environment_on_the_base_domain_fails_before_writing(run_module, twilio, app):
    twilio.add_environment(app, 'production')
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'live'}, check=True)
    assert code == 1 and twilio.writes() == []
    assert result['msg'].startswith('the base domain (no domain_suffix) is already used by environment production')


# ---- absent ------------------------------------------------------------------------------------


def test_absent_deletes(run_module, twilio, app):
    sid = twilio.add_environment(app, 'dev', 'dev')
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'dev', 'state': 'absent'}, diff=True)
    assert code == 0 and result['changed'] is True and result['environment']['sid'] == sid
    assert twilio.writes() == [('DELETE', '/serverless/v1/Services/%s/Environments/%s' % (app, sid), {}, [])]
    assert result['diff']['after'] == {} and result['diff']['before']['domain_suffix'] == 'dev'


def test_absent_check_mode(run_module, twilio, app):
    twilio.add_environment(app, 'dev', 'dev')
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'dev', 'state': 'absent'}, check=True)
    assert code == 0 and result['changed'] is True and twilio.writes() == [] and len(twilio.environments(app)) == 1


@pytest.mark.parametrize('service', ['myapp', 'gone'])
def test_absent_when_missing_is_a_noop(run_module, twilio, app, service):
    code, result = run_module(main, {'service': service, 'unique_name': 'dev', 'state': 'absent'}, diff=True)
    assert code == 0 and result['changed'] is False and result['environment'] == {}
    assert result['diff'] == {'before': {}, 'after': {}} and twilio.writes() == []


def test_absent_delete_applied_but_answer_lost_reports_changed(run_module, twilio, sleeps, app):
    sid = twilio.add_environment(app, 'dev', 'dev')
    twilio.fail(requests.exceptions.ReadTimeout('read timed out'), method='DELETE', commit=True)
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'dev', 'state': 'absent'})
    assert code == 0 and result['changed'] is True and result['environment']['sid'] == sid
    assert [c[0] for c in twilio.writes()] == ['DELETE', 'DELETE'] and twilio.environments(app) == {}
    assert any('so that DELETE went through' in w for w in warning_texts(result))


def test_recreate_whose_delete_answer_was_lost_still_creates(run_module, twilio, sleeps, app):
    twilio.add_environment(app, 'stage', 'stage')
    twilio.fail(requests.exceptions.ReadTimeout('read timed out'), method='DELETE', commit=True)
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'stage', 'domain_suffix': 'staging', 'recreate': True})
    assert code == 0 and result['changed'] is True and envs_of(twilio, app) == [('stage', 'staging')]


def test_html_404_for_the_service_is_an_error_not_absence(run_module, twilio):
    twilio.fail(response(404, raw='<html><title>Not Found</title></html>', headers={'Content-Type': 'text/html'}))
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'dev', 'state': 'absent'})
    assert code == 1 and twilio.writes() == [] and result['status'] == 404
    assert result['msg'].startswith(
        'Failed to fetch serverless service myapp: HTTP 404 Not Found (non-JSON text/html '
        'response: Not Found) from https://serverless.twilio.com/v1/Services/myapp'
    )
    assert result['msg'].endswith('check api_base_url')


def test_missing_service_fails_for_present(run_module, twilio):
    code, result = run_module(main, {'service': 'nothing', 'unique_name': 'dev'})
    assert code == 1 and twilio.calls[0][1] == '/serverless/v1/Services/nothing'
    assert result['msg'] == ('serverless service nothing does not exist; create it first (chatops.twilio.serverless_service)')


# ---- validation (no request at all) ------------------------------------------------------------


@pytest.mark.parametrize(
    'args, words',
    [
        ({'service': 'my_app'}, ['service', 'Service SID', 'letters, numbers and dashes']),
        ({'service': 'ZS' + 'g' * 32}, ['service', '^ZS[0-9a-fA-F]{32}$']),
        ({'service': 'x' * 51}, ['service', 'at most 50 characters, got 51']),
        ({'service': 'app-'}, ['service', 'must not start or end with a dash']),
        ({'service': 'myapp\n'}, ['service', 'letters, numbers and dashes']),
        ({'domain_suffix': '-dev'}, ['domain_suffix must not start or end with a dash']),
        ({'domain_suffix': 'dev-'}, ['domain_suffix must not start or end with a dash']),
        ({'domain_suffix': 'dev\n'}, ['domain_suffix', 'letters, numbers and dashes']),
        ({'unique_name': 'e' * 101}, ['unique_name', '100']),
        ({'unique_name': ''}, ['unique_name', 'empty']),
        ({'domain_suffix': 's' * 17}, ['domain_suffix', '16']),
        ({'domain_suffix': 'st.age'}, ['domain_suffix', 'letters, numbers and dashes']),
        ({'domain_suffix': 'st_age'}, ['domain_suffix', 'letters, numbers and dashes']),
    ],
)
def test_validation_fails_before_any_request(run_module, twilio, args, words):
    code, result = run_module(main, dict({'service': 'myapp', 'unique_name': 'dev'}, **args))
    assert code == 1 and twilio.calls == []
    for word in words:
        assert word in result['msg']


def test_limits_are_inclusive(run_module, twilio, app):
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'e' * 100, 'domain_suffix': 's' * 16})
    assert code == 0 and result['changed'] is True


# ---- errors and duplicate-safe create ----------------------------------------------------------


def test_api_error_becomes_one_clear_failure(run_module, twilio, app):
    twilio.fail(twilio_error(400, 20001, 'Invalid parameter UniqueName'), method='POST')
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'dev'})
    assert code == 1
    assert result['msg'] == ('Failed to create serverless environment dev of service myapp: Invalid parameter UniqueName (code 20001)')
    assert result['path'] == '/v1/Services/%s/Environments' % app


def test_list_error_names_the_service(run_module, twilio, app):
    twilio.fail(twilio_error(403, 20403, 'Forbidden'), method='GET', path='/Environments$')
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'dev'})
    assert code == 1
    assert result['msg'] == 'Failed to list serverless environments of service myapp: Forbidden (code 20403)'


def test_create_5xx_after_commit_adopts(run_module, twilio, app, sleeps):
    twilio.fail(twilio_error(502, 20500, 'Bad Gateway'), method='POST', commit=True)
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'dev', 'domain_suffix': 'dev'})
    assert code == 0 and result['changed'] is True and envs_of(twilio, app) == [('dev', 'dev')]
    assert twilio.methods() == ['GET', 'GET', 'POST', 'GET'] and sleeps == []
    assert any('adopting ZE' in w for w in warning_texts(result))


def test_create_read_timeout_without_commit_is_resent(run_module, twilio, app, sleeps):
    twilio.fail(requests.exceptions.ReadTimeout('read timed out'), method='POST')
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'dev'})
    assert code == 0 and envs_of(twilio, app) == [('dev', None)] and result['retries_used'] == 1


def test_environment_list_follows_paging(run_module, twilio, app):
    twilio.add_environments(app, ['env-%d' % index for index in range(1001)])
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'env-1000'})
    assert code == 0 and result['changed'] is False
    gets = [c for c in twilio.calls if c[0] == 'GET']
    assert len(gets) == 3 and gets[2][2]['Page'] == '1' and gets[2][2]['PageSize'] == '1000'


def test_service_of_50_characters_is_addressable(run_module, twilio):
    name = 'x' * 50
    sid = twilio.add(name)
    code, result = run_module(main, {'service': name, 'unique_name': 'dev', 'domain_suffix': 'dev'})
    assert code == 0 and result['changed'] is True and twilio.sent()[0] == ('GET', '/serverless/v1/Services/' + name)
    assert envs_of(twilio, sid) == [('dev', 'dev')]


def test_create_answered_without_the_suffix_fails_naming_it(run_module, twilio, app):
    twilio.faults(next=1, kinds=['drop_field'], methods=['POST'], drop_field='DomainSuffix')
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'stage', 'domain_suffix': 'stage'})
    assert code == 1 and result['changed'] is True and result['not_applied'] == ['domain_suffix']
    assert result['msg'] == (
        "Twilio accepted the creation of serverless environment stage of service myapp but did not apply domain_suffix (sent 'stage', Twilio has '')"
    )
    assert result['environment']['domain_name'] == twilio.services[app]['domain_base'] + '.twil.io'


def test_environment_adopted_after_a_conflict_with_another_suffix_fails(run_module, twilio, app):
    twilio.before(lambda: twilio.add_environment(app, 'stage', 'other', fresh=True), method='POST')
    code, result = run_module(main, {'service': 'myapp', 'unique_name': 'stage', 'domain_suffix': 'stage'})
    assert code == 1 and result['changed'] is False and result['not_applied'] == ['domain_suffix']
    assert result['msg'] == (
        "serverless environment stage of service myapp was created meanwhile by someone else, without domain_suffix (sent 'stage', Twilio has 'other')"
    )
