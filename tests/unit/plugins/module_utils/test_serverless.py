# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError


@pytest.mark.parametrize(
    'check, value',
    [
        (sl.check_service_name, 'a'),
        (sl.check_service_name, 'My-App-2'),
        (sl.check_service_name, 'x' * 49),
        (sl.check_service_name, 'x' * 50),
        (sl.check_service_name, 'a-b'),
        (sl.check_service_ref, 'y' * 50),
        (sl.check_domain_suffix, 'a-b'),
        (sl.check_service_ref, 'ZS' + '0123456789abcdef' * 2),
        (sl.check_service_ref, 'myapp'),
        (sl.check_service_ref, 'ZS-short'),
        (sl.check_environment_name, 'Production (EU) / v2'),
        (sl.check_environment_name, 'e' * 100),
        (sl.check_domain_suffix, ''),
        (sl.check_domain_suffix, 'stage-2'),
        (sl.check_domain_suffix, 's' * 16),
        (sl.check_friendly_name, 'f' * 255),
        (sl.check_environment_sid, 'ZE' + 'A' * 32),
    ],
)
def test_valid_values(check, value):
    check(value)


@pytest.mark.parametrize(
    'check, value, words',
    [
        (sl.check_service_name, 'x' * 51, ['unique_name must be at most 50 characters, got 51']),
        (sl.check_service_name, 'nl-name\n', ["unique_name may only contain letters, numbers and dashes, got 'nl-name\\n'"]),
        (sl.check_service_name, '-app', ["unique_name must not start or end with a dash (it becomes part of a domain name), got '-app'"]),
        (sl.check_service_name, 'app-', ['must not start or end with a dash']),
        (sl.check_service_name, '-', ['must not start or end with a dash']),
        (
            sl.check_service_ref,
            '-app',
            ['service must be a Serverless Service SID (ZS and 32 hexadecimal digits) or a service unique name: must not start or end with a dash'],
        ),
        (
            sl.check_service_ref,
            'ZS' + 'a' * 32 + '\n',
            ['service must be a Serverless Service SID (ZS and 32 hexadecimal digits) or a service unique name: may only contain'],
        ),
        (sl.check_service_sid, 'ZS' + 'a' * 32 + '\n', ['sid must be a Serverless Service SID matching']),
        (sl.check_environment_sid, 'ZE' + 'a' * 32 + '\n', ['sid must be a Serverless Environment SID matching']),
        (sl.check_domain_suffix, 'dev\n', ['domain_suffix may only contain letters, numbers and dashes']),
        (sl.check_domain_suffix, '-dev', ["domain_suffix must not start or end with a dash (it becomes part of a domain name), got '-dev'"]),
        (sl.check_domain_suffix, 'dev-', ['domain_suffix must not start or end with a dash']),
        (sl.check_service_name, 'émile', ['letters, numbers and dashes']),
        (sl.check_service_name, 'ZS' + '0' * 32, ['look like a Service SID']),
        (sl.check_service_ref, 'ZS' + 'z' * 32, ['service must be a Serverless Service SID matching']),
        (
            sl.check_service_ref,
            'a b',
            [
                'service must be a Serverless Service SID (ZS and 32 hexadecimal digits) or a service '
                "unique name: may only contain letters, numbers and dashes, got 'a b'"
            ],
        ),
        (sl.check_environment_name, '', ['must not be empty']),
        (sl.check_domain_suffix, 'a/b', ['letters, numbers and dashes']),
        (sl.check_environment_sid, 'ZS' + 'a' * 32, ['^ZE[0-9a-fA-F]{32}$']),
    ],
)
def test_invalid_values(check, value, words):
    with pytest.raises(OptionError) as exc:
        check(value)
    for word in words:
        assert word in '%s' % exc.value


def test_domain_prediction_follows_twilios_scheme():
    service = {'domain_base': 'myapp-1234'}
    assert sl.predict_domain_name(service, '') == 'myapp-1234.twil.io'
    assert sl.predict_domain_name(service, 'Stage') == 'myapp-1234-stage.twil.io'
    assert sl.predict_domain_name({'domain_base': None}, 'x') is None


def test_suffix_owner_ignores_case_and_the_environment_itself():
    envs = [{'sid': 'ZE1', 'domain_suffix': 'Stage'}, {'sid': 'ZE2', 'domain_suffix': None}]
    assert sl.suffix_owner(envs, 'stage')['sid'] == 'ZE1'
    assert sl.suffix_owner(envs, 'stage', exclude_sid='ZE1') is None
    assert sl.suffix_owner(envs, '')['sid'] == 'ZE2'
    assert sl.suffix_owner(envs, 'prod') is None


def test_service_fields_compare_and_send_in_table_order():
    want = sl.wanted({'ui_editable': True, 'friendly_name': 'n', 'include_credentials': True})
    delta = rl.differing(sl.SERVICE_FIELDS, want, {'friendly_name': 'n', 'include_credentials': False, 'ui_editable': False})
    assert [f.option for f in delta] == ['include_credentials', 'ui_editable']
    assert [(f.form, want[f]) for f in delta] == [('IncludeCredentials', True), ('UiEditable', True)]
    answer = {'friendly_name': 'old', 'ui_editable': False}
    assert (
        rl.describe_unapplied(rl.differing(sl.SERVICE_FIELDS, sl.wanted({'ui_editable': True, 'friendly_name': 'n'}), answer), want, answer)
        == "friendly_name (sent 'n', Twilio has 'old'), ui_editable (sent true, Twilio has false)"
    )


def test_environment_not_applied_compares_name_and_suffix_like_domains():
    env = {'unique_name': 'dev', 'domain_suffix': 'Dev'}
    assert sl.environment_not_applied('dev', 'dev', env) == []
    assert sl.environment_not_applied('dev', '', {'unique_name': 'dev', 'domain_suffix': None}) == []
    assert sl.environment_not_applied('dev', 'stage', env) == ['domain_suffix']
    assert sl.environment_not_applied('prod', '', env) == ['unique_name', 'domain_suffix']
    assert sl.describe_environment_not_applied(['domain_suffix'], 'dev', 'stage', env) == "domain_suffix (sent 'stage', Twilio has 'Dev')"


# ---- the name rules are field rules, and the options come from the fields --------------------------


@pytest.mark.parametrize(
    'field, option, value, message',
    [
        (sl.SERVICES.name, 'service', 'ZS' + 'a' * 32, 'service must not look like a Service SID (ZS and 32 hexadecimal digits)'),
        (sl.SERVICES.name, 'unique_name', 'acme-', 'unique_name must not start or end with a dash'),
        (sl.DOMAIN_SUFFIX, 'environments[1].domain_suffix', 'st_age', 'environments[1].domain_suffix may only contain letters, numbers and dashes'),
        (sl.DOMAIN_SUFFIX, 'domain_suffix', 'x' * 17, 'domain_suffix must be at most 16 characters, got 17'),
    ],
)
def test_name_rules_live_on_the_fields_and_name_the_option(field, option, value, message):
    with pytest.raises(OptionError) as exc:
        field.renamed(option).check(value)
    assert ('%s' % exc.value).startswith(message)


def test_domain_suffix_may_be_empty_but_a_service_name_may_not():
    sl.DOMAIN_SUFFIX.check('')
    with pytest.raises(OptionError, match='^unique_name must not be empty$'):
        sl.SERVICES.name.check('')


def test_environment_argument_specs_come_from_the_fields():
    from ansible_collections.chatops.twilio.plugins.modules import serverless_environment, serverless_environments

    single = serverless_environment.argument_spec()
    items = serverless_environments.argument_spec()['environments']['options']
    for spec in (single, items):
        assert spec['unique_name'] == dict(type='str', aliases=['name'], required=True)
        assert spec['domain_suffix'] == dict(type='str')
    assert rl.argument_spec([sl.SERVICES.name])['unique_name'] == dict(type='str', aliases=['name'])
