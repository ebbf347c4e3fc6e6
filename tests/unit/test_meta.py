# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Collection-level guards: the action group and the executed EXAMPLES."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
MODULES = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, 'plugins', 'modules'))
                 if name.endswith('.py') and not name.startswith('_'))


def test_every_module_is_in_the_twilio_action_group():
    with open(os.path.join(ROOT, 'meta', 'runtime.yml')) as handle:
        runtime = yaml.safe_load(handle)
    group = runtime['action_groups']['twilio']
    missing = sorted(set(MODULES) - set(group))
    assert not missing, 'modules missing from action group twilio in meta/runtime.yml: %s' % missing


@pytest.mark.parametrize('module', MODULES)
def test_examples_are_executed_by_the_integration_target(module):
    """tests/integration/targets/<module>/tasks/examples.yml must start with the module's EXAMPLES, verbatim.

    Every module is covered: a new module without an integration target running its EXAMPLES fails here.
    """
    with open(os.path.join(ROOT, 'plugins', 'modules', module + '.py')) as handle:
        source = handle.read()
    start = source.index("EXAMPLES = r'''") + len("EXAMPLES = r'''")
    examples = yaml.safe_load(source[start:source.index("'''", start)])
    with open(os.path.join(ROOT, 'tests', 'integration', 'targets', module, 'tasks', 'examples.yml')) as handle:
        executed = yaml.safe_load(handle)
    assert executed[:len(examples)] == examples


def test_role_defaults_match_its_argument_specs_and_reach_the_plan():
    """Every role variable: the same default in defaults/main.yml and meta/argument_specs.yml, and passed to the plan
    filter (vars/main.yml), except the two that only the tasks read."""
    role = os.path.join(ROOT, 'roles', 'chat_environments')
    with open(os.path.join(role, 'meta', 'argument_specs.yml')) as handle:
        options = yaml.safe_load(handle)['argument_specs']['main']['options']
    with open(os.path.join(role, 'defaults', 'main.yml')) as handle:
        defaults = yaml.safe_load(handle)
    with open(os.path.join(role, 'vars', 'main.yml')) as handle:
        planned = yaml.safe_load(handle)['__chat_environments_input']
    for name, option in options.items():
        if not option.get('required'):
            assert defaults[name] == option['default'], name
    assert sorted(set(options) - set(planned)) == ['chat_environments_functions_recreate', 'chat_environments_read_only']
    assert sorted(set(defaults) - set(options)) == []
