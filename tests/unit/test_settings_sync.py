# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The copies of the settings lists are in step with the field tables they mirror.

The tables (``_chat_fields.FIELDS``, the ``_conversations`` singletons) are what the modules and the
role's planning filter use. Written by hand beside them: the ``chat_settings`` and
``conversations_settings`` doc fragments and ``conversations_configuration``'s DOCUMENTATION (names,
nesting, types, elements, choices, aliases, and for Chat the API versions), and the role's words
about Chat settings (its README's Settings section, and the settings that
``meta/argument_specs.yml`` names). Each failure is one line per difference.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import pytest
import yaml

from ansible_collections.chatops.twilio.plugins.doc_fragments import chat_settings, conversations_settings
from ansible_collections.chatops.twilio.plugins.module_utils import _chat_fields as cf
from ansible_collections.chatops.twilio.plugins.module_utils import _conversations as conv
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.modules import conversations_configuration

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
ROLE = os.path.join(ROOT, 'roles', 'chat_environments')
SPEC_KEYS = ('type', 'elements', 'choices', 'aliases')
# Documented by chat_service and conversations_service themselves (identity, with its alias), not by the fragments.
IDENTITY = 'friendly_name'


def options_of(documentation):
    return yaml.safe_load(documentation)['options']


def differences(documented, spec, prefix=''):
    """One line per difference between documented options and an argument spec, at every depth."""
    found = []
    for name in sorted(set(documented) | set(spec)):
        option = prefix + name
        if name not in spec:
            found.append('%s is documented but is not in the table' % option)
        elif name not in documented:
            found.append('%s is in the table but is not documented' % option)
        else:
            doc, want = documented[name], spec[name]
            for key in SPEC_KEYS:
                if doc.get(key) != want.get(key):
                    found.append('%s: %s is %r in the docs, %r in the table' % (option, key, doc.get(key), want.get(key)))
            found.extend(differences(doc.get('suboptions') or {}, want.get('options') or {}, option + '.'))
    return found


def table_spec(fields):
    spec = rl.argument_spec(fields)
    spec.pop(IDENTITY, None)
    return spec


@pytest.mark.parametrize(
    'documentation, fields',
    [
        (chat_settings.ModuleDocFragment.DOCUMENTATION, cf.FIELDS),
        (conversations_settings.ModuleDocFragment.DOCUMENTATION, conv.service_fields()),
        (conversations_configuration.DOCUMENTATION, conv.account_fields()),
    ],
    ids=['chat_settings fragment', 'conversations_settings fragment', 'conversations_configuration DOCUMENTATION'],
)
def test_docs_match_the_table(documentation, fields):
    found = differences(options_of(documentation), table_spec(fields))
    assert not found, '\n'.join(found)


# ---- Chat: the API versions --------------------------------------------------------------------

ONLY_WITH = re.compile(r'Only with O\(api_version=(v\d)\)')


def documented_versions(options, prefix='', inherited=None):
    """{option: the API version its description, or an enclosing option's, limits it to (None: both)}."""
    found = {}
    for name, doc in options.items():
        notes = ONLY_WITH.findall(' '.join(doc['description']))
        version = notes[0] if notes else inherited
        found[prefix + name] = version
        found.update(documented_versions(doc.get('suboptions') or {}, prefix + name + '.', version))
    return found


def table_versions():
    """{option, and every option that groups others: the one API version it exists in (None: both)}."""
    versions = {}
    for field in cf.FIELDS:
        for depth in range(1, len(field.path) + 1):
            versions.setdefault('.'.join(field.path[:depth]), set()).update(field.versions)
    versions.pop(IDENTITY)
    return dict((option, None if len(found) > 1 else found.pop()) for option, found in versions.items())


def test_chat_settings_fragment_names_the_api_versions_of_the_table():
    documented = documented_versions(options_of(chat_settings.ModuleDocFragment.DOCUMENTATION))
    found, reported = [], {}
    for option, version in sorted(table_versions().items()):
        pair = (documented.get(option, version), version)  # an option missing from the docs: test_docs_match_the_table
        if pair[0] != version:
            if reported.get(option.rpartition('.')[0]) != pair:  # said once for a whole group
                found.append('%s: the docs say %s, the table %s' % (option, pair[0] or 'both versions', version or 'both versions'))
            reported[option] = pair
    assert not found, '\n'.join(found)


# ---- the chat_environments role ------------------------------------------------------------------


def setting_names():
    """Every option of the Chat table and every part of one (``limits``, ``new_message``, ``enabled``)."""
    names = set()
    for field in cf.FIELDS:
        names.update('.'.join(field.path[:depth]) for depth in range(1, len(field.path) + 1))
        names.update(field.path)
    return names - set([IDENTITY])


def test_role_readme_settings_section_lists_the_table():
    """README.md's Settings section names every setting (the webhook events as the first ... the last) and no other."""
    with open(os.path.join(ROLE, 'README.md')) as handle:
        section = re.search(r'\n### Settings\n(.*?)\n###? ', handle.read(), re.S).group(1)
    named = set(name for name in re.findall(r'`([a-z_]+(?:\.[a-z_]+)*)`', section) if not name.startswith(('chat_environments_', 'chatops.')))
    events = set(cf.WEBHOOK_EVENTS[1:-1])
    found = ['`%s` is not a Chat service setting' % name for name in sorted(named - setting_names())]
    found += [
        'the table has `%s`, the section does not name it' % name
        for name in sorted(set(part for field in cf.FIELDS for part in field.path) - named - events - set([IDENTITY]))
    ]
    assert not found, '\n'.join(found)


def test_role_argument_spec_names_table_settings_with_their_versions():
    """The settings meta/argument_specs.yml names for chat_environments_common exist, in the versions it says."""
    with open(os.path.join(ROLE, 'meta', 'argument_specs.yml')) as handle:
        options = yaml.safe_load(handle)['argument_specs']['main']['options']
    text = ' '.join(options['chat_environments_common']['description'])
    named = [
        (name, version)
        for name, version in re.findall(r'C\(([a-z_]+(?:\.[a-z_]+)*)\)(?: with Chat API (v\d) only)?', text)
        if not name.startswith('chat_environments_')
    ]
    assert named, 'chat_environments_common names no setting in meta/argument_specs.yml'
    versions = table_versions()
    found = ['C(%s) is not a Chat service setting' % name for name, _version in named if name not in versions]
    found += [
        'C(%s): the spec says %s, the table %s' % (name, version or 'both versions', versions[name] or 'both versions')
        for name, version in named
        if name in versions and (version or None) != versions[name]
    ]
    assert not found, '\n'.join(found)
