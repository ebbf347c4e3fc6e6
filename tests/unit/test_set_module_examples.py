# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The set modules' EXAMPLES and the chat_environments role README example are what the integration targets run."""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import os
import re

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
TARGETS = os.path.join(ROOT, 'tests', 'integration', 'targets')


def read(*parts):
    with open(os.path.join(ROOT, *parts)) as handle:
        return handle.read()


@pytest.mark.parametrize('module', ['chat_services', 'conversations_services', 'serverless_environments'])
def test_examples_are_executed_by_the_integration_target(module):
    source = read('plugins', 'modules', module + '.py')
    start = source.index("EXAMPLES = r'''") + len("EXAMPLES = r'''")
    examples = yaml.safe_load(source[start:source.index("'''", start)])
    assert yaml.safe_load(read('tests', 'integration', 'targets', module, 'tasks', 'examples.yml')) == examples


def test_role_readme_example_is_executed_by_the_integration_target():
    """The README's first yaml block is a play; the target runs its tasks under its module_defaults."""
    readme = read('roles', 'chat_environments', 'README.md')
    play = yaml.safe_load(re.search(r'```yaml\n(.*?)```', readme, re.S).group(1))[0]
    executed = yaml.safe_load(read('tests', 'integration', 'targets', 'chat_services', 'tasks', 'role_readme.yml'))
    assert executed == [{'name': play['name'], 'module_defaults': play['module_defaults'], 'block': play['tasks']}]


def test_role_readme_conversations_example_is_executed_by_the_integration_target():
    """The README's Conversations play; the conversations_services target runs its tasks under its module_defaults."""
    readme = read('roles', 'chat_environments', 'README.md')
    blocks = [b for b in re.findall(r'```yaml\n(.*?)```', readme, re.S) if 'chat_environments_conversations_common' in b]
    play = yaml.safe_load(blocks[0])[0]
    executed = yaml.safe_load(read('tests', 'integration', 'targets', 'conversations_services', 'tasks',
                                   'role_readme.yml'))
    assert executed == [{'name': play['name'], 'module_defaults': play['module_defaults'], 'block': play['tasks']}]
    assert play['tasks'][0]['vars']['chat_environments_overrides']['dev']['api_version'] == 'conversations'


def test_every_set_module_has_an_integration_target():
    for module in ('chat_services', 'conversations_services', 'serverless_environments'):
        assert os.path.isfile(os.path.join(TARGETS, module, 'aliases'))
