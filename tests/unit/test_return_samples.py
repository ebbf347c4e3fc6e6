# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Every key of every module's RETURN, at every depth, shows a sample of what a user gets."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import os

import pytest
import yaml

MODULES = os.path.join(os.path.dirname(__file__), '..', '..', 'plugins', 'modules')
NAMES = sorted(name[:-3] for name in os.listdir(MODULES) if name.endswith('.py') and not name.startswith('_'))


def keys_without_sample(returned, prefix=''):
    missing = []
    for key, entry in (returned or {}).items():
        if 'sample' not in entry:
            missing.append(prefix + key)
        missing.extend(keys_without_sample(entry.get('contains'), prefix + key + '.'))
    return missing


@pytest.mark.parametrize('name', NAMES)
def test_every_return_key_has_a_sample(name):
    module = importlib.import_module('ansible_collections.chatops.twilio.plugins.modules.' + name)
    assert keys_without_sample(yaml.safe_load(module.RETURN)) == []


def test_a_key_without_sample_is_named():
    assert keys_without_sample({'a': {'type': 'dict', 'sample': {}, 'contains': {'b': {'type': 'str'}}}}) == ['a.b']
