# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """How far a module supports check and diff mode; what they mean comes with ``chatops.twilio.connection``.

    ``DOCUMENTATION``: a module that changes Twilio resources, with full check and diff mode (each module adds its
    C(details)). ``INFO_MODULE``: a module that only reads.
    """

    DOCUMENTATION = r'''
options: {}
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
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
