# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """What the role modules (chatops.twilio.chat_role, chatops.twilio.conversations_role) share.

    Mirrors ``plugins/module_utils/_roles.py`` (``argument_spec``, ``shown``); ``tests/unit/test_role_sync.py``
    keeps the options in step with it. The modules document their own O(service), O(type) and O(permissions) (their
    words differ by API).
    """

    DOCUMENTATION = r'''
attributes:
  check_mode:
    details: Sends no write request and returns the predicted role.
  diff_mode:
    details:
      - Shows the role's SID, name, type and permissions (sorted) before and after. On create C(before) is empty, on
        delete C(after) is empty.
options:
  friendly_name:
    description:
      - Name of the role, at most 64 characters; identifies the role within its service.
    type: str
    required: true
    aliases: [name]
  state:
    description:
      - V(present) creates the role if needed and makes its permissions so, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
'''
