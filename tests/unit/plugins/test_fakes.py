# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The records of the unit tests' fakes have the fields of Twilio's official OpenAPI spec."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re

import pytest

SPEC = os.path.join(os.path.dirname(__file__), '..', '..', 'emulator', 'specs', 'twilio_serverless_v1.json')


def _schema(name):
    with open(SPEC) as handle:
        return json.load(handle)['components']['schemas'][name]


def _service_record(fake):
    return fake._service_view(fake.services[fake.add('svc')])


def _environment_record(fake):
    sid = fake.add('app')
    return fake._environment_view(fake.environments[sid][fake.add_environment(sid, 'stage', 'stage')])


@pytest.mark.parametrize(
    'schema, make',
    [
        ('serverless.v1.service', _service_record),
        ('serverless.v1.service.environment', _environment_record),
    ],
)
def test_serverless_fake_records_have_the_spec_fields(serverless_fake, schema, make):
    record = make(serverless_fake)
    properties = _schema(schema)['properties']
    assert set(record) == set(properties)
    for name, prop in properties.items():
        if prop.get('pattern') and record[name] is not None:
            assert re.match(prop['pattern'], record[name]), name


def test_serverless_fake_environment_domain_scheme(serverless_fake):
    sid = serverless_fake.add('myapp')
    prod = serverless_fake.environments[sid][serverless_fake.add_environment(sid, 'production')]
    stage = serverless_fake.environments[sid][serverless_fake.add_environment(sid, 'staging', 'Stage')]
    base = serverless_fake.services[sid]['domain_base']
    assert re.match(r'^myapp-\d+$', base)
    assert prod['domain_name'] == base + '.twil.io' and stage['domain_name'] == base + '-stage.twil.io'
