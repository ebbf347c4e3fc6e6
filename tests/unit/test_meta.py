# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Collection-level guards: the action group, and the examples the integration targets run verbatim."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import functools
import os
import re

import pytest
import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
MODULES = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, 'plugins', 'modules')) if name.endswith('.py') and not name.startswith('_'))
ROLE_README = os.path.join('roles', 'chat_environments', 'README.md')


def read(*parts):
    with open(os.path.join(ROOT, *parts)) as handle:
        return handle.read()


def test_every_module_is_in_the_twilio_action_group():
    runtime = yaml.safe_load(read('meta', 'runtime.yml'))
    group = runtime['action_groups']['twilio']
    missing = sorted(set(MODULES) - set(group))
    assert not missing, 'modules missing from action group twilio in meta/runtime.yml: %s' % missing


# ---- examples run verbatim ---------------------------------------------------------------------
# Every module's EXAMPLES and every yaml example of the role README are run by an integration target:
# its task file starts with the example's tasks, verbatim (compared as parsed YAML), and may go on
# with tasks that check what they did; the target's main.yml runs that file.


def module_examples(module):
    """The module's EXAMPLES tasks."""
    source = read('plugins', 'modules', module + '.py')
    start = source.index("EXAMPLES = r'''") + len("EXAMPLES = r'''")
    return yaml.safe_load(source[start : source.index("'''", start)])


def role_readme_examples(api):
    """The plays of the README's yaml blocks for ``api`` (a block setting chat_environments_conversations_common
    is a Conversations example), as the target runs them: each play's tasks as a block with its name and
    module_defaults (the target runs on the integration test host, not on the play's hosts)."""
    blocks = [
        block
        for block in re.findall(r'```yaml\n(.*?)```', read(ROLE_README), re.S)
        if ('chat_environments_conversations_common' in block) == (api == 'conversations')
    ]
    plays = [play for block in blocks for play in yaml.safe_load(block)]
    return [{'name': play['name'], 'module_defaults': play['module_defaults'], 'block': play['tasks']} for play in plays]


# (where the examples are, how to read them, the target that runs them, its task file)
EXAMPLES = [(module, functools.partial(module_examples, module), module, 'examples.yml') for module in MODULES] + [
    (ROLE_README + ' (Chat)', functools.partial(role_readme_examples, 'chat'), 'chat_services', 'role_readme.yml'),
    (ROLE_README + ' (Conversations)', functools.partial(role_readme_examples, 'conversations'), 'conversations_services', 'role_readme.yml'),
]


def run_files(tasks):
    """The task files that ``tasks`` import or include, at any depth of blocks."""
    found = []
    for task in tasks or []:
        for key in ('ansible.builtin.import_tasks', 'ansible.builtin.include_tasks'):
            if key in task:
                found.append(task[key])
        for key in ('block', 'rescue', 'always'):
            found.extend(run_files(task.get(key)))
    return found


@pytest.mark.parametrize('source, examples_of, target, task_file', EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_examples_run_verbatim_in_an_integration_target(source, examples_of, target, task_file):
    examples = examples_of()
    assert examples, 'no examples found in %s' % source
    path = os.path.join('tests', 'integration', 'targets', target, 'tasks', task_file)
    assert os.path.isfile(os.path.join(ROOT, path)), 'the examples of %s need an integration target running them: %s' % (source, path)
    executed = yaml.safe_load(read(path))
    for index, example in enumerate(examples):
        assert index < len(executed) and executed[index] == example, 'task %d of %s is not example %d of %s, verbatim' % (index + 1, path, index + 1, source)
    assert task_file in run_files(yaml.safe_load(read(os.path.dirname(path), 'main.yml'))), 'tests/integration/targets/%s/tasks/main.yml does not run %s' % (
        target,
        task_file,
    )


def test_role_defaults_match_its_argument_specs_and_reach_the_plan():
    """Every role variable: the same default in defaults/main.yml and meta/argument_specs.yml, and passed to the plan
    filter (vars/main.yml), except the two that only the tasks read."""
    role = os.path.join('roles', 'chat_environments')
    options = yaml.safe_load(read(role, 'meta', 'argument_specs.yml'))['argument_specs']['main']['options']
    defaults = yaml.safe_load(read(role, 'defaults', 'main.yml'))
    planned = yaml.safe_load(read(role, 'vars', 'main.yml'))['__chat_environments_input']
    for name, option in options.items():
        if 'default' not in option:  # chat_environments_app: required, checked by the plan (one short message)
            assert name not in defaults, name
            continue
        assert defaults[name] == option['default'], name
    assert sorted(set(options) - set(planned)) == ['chat_environments_functions_recreate', 'chat_environments_read_only']
    assert sorted(set(defaults) - set(options)) == []
