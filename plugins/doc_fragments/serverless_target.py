# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """The Functions service and environment a module works in (chatops.twilio.serverless_deploy,
    chatops.twilio.serverless_variables, chatops.twilio.serverless_deploy_info).

    Mirrors ``_serverless.environment_target_spec``; ``tests/unit/test_serverless_target_sync.py`` keeps them in
    step. ``DOCUMENTATION`` is the service; ``ENVIRONMENT`` the required environment (serverless_deploy_info, where it
    is a filter, documents its own).
    """

    DOCUMENTATION = r'''
options:
  service:
    description:
      - The Functions Service, by SID (V(ZS) and 32 hexadecimal digits) or unique name. It must exist.
    type: str
    required: true
'''

    ENVIRONMENT = r'''
options:
  environment:
    description:
      - The Environment, by unique name (such as V(dev)) or SID (V(ZE) and 32 hexadecimal digits); never its domain
        suffix. It must exist.
    type: str
    required: true
'''
