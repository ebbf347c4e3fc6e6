# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The service_set doc fragment and the set modules' O(services) say what ``_service_set.argument_spec`` does.

The fragment documents the options every set module shares (``stray_pattern``, ``purge``,
``confirm_delete``); each module documents its own ``services``, whose common suboptions
(``friendly_name``, ``state``, ``settings``, ``protected``) come from the same spec. Each failure is one line
per difference (type, elements, choices, aliases, default, required).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import yaml

from ansible_collections.chatops.twilio.plugins.doc_fragments import service_set
from ansible_collections.chatops.twilio.plugins.module_utils import _service_set as ss
from ansible_collections.chatops.twilio.plugins.modules import chat_services, conversations_services
from ansible_collections.chatops.twilio.tests.unit.doc_sync import differences

SET_MODULES = [chat_services, conversations_services]


def test_fragment_documents_the_shared_options():
    documented = yaml.safe_load(service_set.ModuleDocFragment.DOCUMENTATION)['options']
    spec = dict((name, option) for name, option in ss.argument_spec().items() if name != 'services')
    assert differences(documented, spec) == []


@pytest.mark.parametrize('module', SET_MODULES, ids=lambda m: m.__name__.rsplit('.', 1)[-1])
def test_set_module_uses_the_fragment_and_documents_the_common_item_options(module):
    doc = yaml.safe_load(module.DOCUMENTATION)
    assert 'chatops.twilio.service_set' in doc['extends_documentation_fragment']
    assert not set(doc['options']) & {'stray_pattern', 'purge', 'confirm_delete'}, 'documented twice: in the module and in the fragment'
    common = ss.argument_spec()['services']['options']
    documented = dict((name, option) for name, option in doc['options']['services']['suboptions'].items() if name in common)
    assert differences(documented, common, 'services.') == []


def test_a_difference_is_reported():
    """The comparison is not vacuous: a changed default is named."""
    spec = {'purge': {'type': 'bool', 'default': False}}
    assert differences({'purge': {'type': 'bool', 'default': True}}, spec) == ["purge: default is True in the docs, False in the spec"]
