# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """Attribute descriptions; each module sets only C(support) (and C(details))."""

    DOCUMENTATION = r'''
options: {}
attributes:
  check_mode:
    description: Can run in check mode and return the predicted changed status and result without changing anything at Twilio.
  diff_mode:
    description: Returns the before and after state of the managed settings when run in diff mode.
'''

    ACTION_GROUP = r'''
options: {}
attributes:
  action_group:
    description: Use C(group/chatops.twilio.twilio) in C(module_defaults) to set the connection options of all modules at once.
    support: full
    membership:
      - chatops.twilio.twilio
'''

    PLATFORM = r'''
options: {}
attributes:
  platform:
    description: The module talks to Twilio's HTTPS API from the host it runs on; it manages no host.
    support: N/A
    platforms: twilio
'''

    INFO_MODULE = r'''
options: {}
attributes:
  check_mode:
    support: full
    details: This module only reads, and behaves the same in check mode.
  diff_mode:
    support: N/A
    details: This module never changes anything, so there is no diff.
'''
