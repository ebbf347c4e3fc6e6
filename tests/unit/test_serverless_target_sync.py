# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The serverless_target doc fragment says what ``_serverless.environment_target_spec`` does, and the modules that
extend it document the rest of their spec themselves, each option once."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import yaml

from ansible_collections.chatops.twilio.plugins.doc_fragments import serverless_target
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.modules import serverless_deploy, serverless_deploy_info, serverless_variables
from ansible_collections.chatops.twilio.tests.unit.doc_sync import differences

SERVICE = yaml.safe_load(serverless_target.ModuleDocFragment.DOCUMENTATION)['options']
ENVIRONMENT = yaml.safe_load(serverless_target.ModuleDocFragment.ENVIRONMENT)['options']


def test_fragment_is_the_helper_spec():
    assert differences(dict(SERVICE, **ENVIRONMENT), sl.environment_target_spec({})) == []
    spec = sl.environment_target_spec({}, environment_required=False)
    assert differences(SERVICE, {'service': spec['service']}) == []
    assert spec['environment'].get('required') is False


@pytest.mark.parametrize(
    'module, fragments',
    [(serverless_deploy, [SERVICE, ENVIRONMENT]), (serverless_variables, [SERVICE, ENVIRONMENT]), (serverless_deploy_info, [SERVICE])],
    ids=lambda m: getattr(m, '__name__', '').rsplit('.', 1)[-1],
)
def test_module_with_the_fragment_documents_its_spec(module, fragments):
    doc = yaml.safe_load(module.DOCUMENTATION)
    names = ['chatops.twilio.serverless_target', 'chatops.twilio.serverless_target.environment'][: len(fragments)]
    assert [f for f in doc['extends_documentation_fragment'] if f.startswith('chatops.twilio.serverless_target')] == names
    documented = dict(doc['options'])
    for fragment in fragments:
        assert not set(documented) & set(fragment), 'documented twice: in the module and in the fragment'
        documented.update(fragment)
    assert differences(documented, module.argument_spec()) == []
