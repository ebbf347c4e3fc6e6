# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The role doc fragment and the role modules' own options say what their argument specs do.

The fragment documents ``friendly_name`` and ``state`` (``_roles.argument_spec``); each module documents the rest
of its spec itself. Each failure is one line per difference (type, elements, choices, aliases, default, required).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import yaml

from ansible_collections.chatops.twilio.plugins.doc_fragments import role
from ansible_collections.chatops.twilio.plugins.module_utils import _roles as roles
from ansible_collections.chatops.twilio.plugins.modules import chat_role, conversations_role
from ansible_collections.chatops.twilio.tests.unit.doc_sync import differences

FRAGMENT_OPTIONS = yaml.safe_load(role.ModuleDocFragment.DOCUMENTATION)['options']


@pytest.mark.parametrize('module', [chat_role, conversations_role], ids=lambda m: m.__name__.rsplit('.', 1)[-1])
def test_role_module_with_the_fragment_documents_its_spec(module):
    doc = yaml.safe_load(module.DOCUMENTATION)
    assert 'chatops.twilio.role' in doc['extends_documentation_fragment']
    assert not set(doc['options']) & set(FRAGMENT_OPTIONS), 'documented twice: in the module and in the fragment'
    assert 'attributes' not in doc, 'check_mode and diff_mode come from the fragment'
    documented = dict(doc['options'], **FRAGMENT_OPTIONS)
    assert differences(documented, module.argument_spec()) == []


def test_fragment_options_are_those_of_every_role_module():
    for types in (roles.CHAT_TYPES, roles.CONVERSATIONS_TYPES):
        spec = roles.argument_spec(types)
        assert differences(FRAGMENT_OPTIONS, dict((name, spec[name]) for name in FRAGMENT_OPTIONS)) == []
