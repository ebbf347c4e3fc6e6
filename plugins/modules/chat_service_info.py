#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: chat_service_info
short_description: List Twilio Programmable Chat Services
version_added: "1.0.0"
description:
  - Returns every Chat Service of the account, or the ones matching O(sid) or O(friendly_name).
  - Each service comes with RV(services[].module_args), the arguments that make M(chatops.twilio.chat_service) manage
    it exactly as it is, so existing services can be adopted into code.
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes.info_module
options:
  sid:
    description:
      - Return only the service with this SID (V(IS) followed by 32 hexadecimal digits); an empty list if it does not
        exist.
    type: str
  friendly_name:
    description:
      - Return only the services with exactly this name (names are not unique).
    type: str
    aliases: [name]
  api_version:
    description:
      - Chat REST API version to read through. It decides the shape of the returned services (for example
        C(webhooks) with V(v1), C(media) with V(v2)).
    type: str
    choices: [v1, v2]
    default: v2
seealso:
  - module: chatops.twilio.chat_service
'''

EXAMPLES = r'''
- name: Create a service to look at
  chatops.twilio.chat_service:
    friendly_name: info-example
    reachability_enabled: true

- name: List all Chat services of the account
  chatops.twilio.chat_service_info:
  register: all_chat

- name: Find services by name
  chatops.twilio.chat_service_info:
    friendly_name: info-example
  register: found

- name: Show the SIDs
  ansible.builtin.debug:
    msg: "{{ found.services | map(attribute='sid') | list }}"

- name: Adopt an existing service into code with the settings it has now (no change)
  chatops.twilio.chat_service:
    sid: "{{ found.services[0].module_args.sid }}"
    api_version: "{{ found.services[0].module_args.api_version }}"
    reachability_enabled: "{{ found.services[0].module_args.reachability_enabled }}"
    limits: "{{ found.services[0].module_args.limits }}"
  register: adopted

- name: Save the settings of the found services as YAML, ready to paste into chat_service tasks
  ansible.builtin.copy:
    dest: /tmp/adopted_chat_services.yml
    content: "{{ found.services | map(attribute='module_args') | to_nice_yaml(indent=2) }}"
    mode: "0600"

- name: Delete the example service
  chatops.twilio.chat_service:
    sid: "{{ found.services[0].sid }}"
    state: absent
'''

RETURN = r'''
services:
  description:
    - The matching services as returned by Twilio (snake_case), in Twilio's order. Always a list, possibly empty.
    - Each has the keys of RV(chatops.twilio.chat_service#module:service) (of O(api_version)), and RV(services[].module_args).
  returned: always
  type: list
  sample: [{"sid": "IS0123456789abcdef0123456789abcdef", "friendly_name": "acme-support"}]
  elements: dict
  contains:
    module_args:
      description:
        - Arguments for M(chatops.twilio.chat_service) that describe the service as it is now, including
          C(sid) and C(api_version); unset (null) settings are left out.
        - Pass it as the module's arguments, or copy it into a playbook to adopt the service into code.
      type: dict
      sample: {"sid": "IS0123456789abcdef0123456789abcdef", "api_version": "v2", "friendly_name": "support-chat",
               "reachability_enabled": true, "limits": {"channel_members": 250, "user_channels": 100}}
retries_used:
  description: How many HTTP requests were sent again after a transient failure.
  returned: always
  type: int
  sample: 0
'''

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _chat_fields as cf
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

if TYPE_CHECKING:  # annotations only
    from typing import Any


def run(module: TwilioModule) -> dict[str, Any]:
    params = module.params
    version, sid, name = params['api_version'], params['sid'], params['friendly_name']
    services = cf.collection(version)
    services.check_sid(sid)
    found = rl.matching(module, services, sid, name)
    for service in found:
        service['module_args'] = cf.module_args(service, version)
    return dict(changed=False, services=found)


def main() -> None:
    module = TwilioModule(
        resource='chat service',
        argument_spec=dict(
            sid=dict(type='str'),
            friendly_name=dict(type='str', aliases=['name']),
            api_version=dict(type='str', choices=list(cf.VERSIONS), default=cf.V2),
        ),
        mutually_exclusive=[('sid', 'friendly_name')],
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == '__main__':
    main()
