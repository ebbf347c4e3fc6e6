#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: serverless_service_info
short_description: List Twilio Functions (Serverless) Services and their Environments
version_added: "1.0.0"
description:
  - Returns every Functions Service of the account, or the one matching O(sid) or O(unique_name).
  - With O(include_environments=true), each service also lists its Environments with their domain names.
  - Each service (and environment) comes with C(module_args), the arguments that make
    M(chatops.twilio.serverless_service) (and M(chatops.twilio.serverless_environment)) manage it exactly as it is, so
    existing services can be adopted into code.
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes.info_module
options:
  sid:
    description:
      - Return only the service with this SID (V(ZS) followed by 32 hexadecimal digits); an empty list if it does not
        exist.
    type: str
  unique_name:
    description:
      - Return only the service with this unique name; an empty list if it does not exist.
    type: str
    aliases: [name]
  include_environments:
    description:
      - Also return the Environments of each service, under RV(services[].environments). Costs one more request per
        service.
    type: bool
    default: false
seealso:
  - module: chatops.twilio.serverless_service
  - module: chatops.twilio.serverless_environment
'''

EXAMPLES = r'''
- name: Create a service with an environment to look at
  chatops.twilio.serverless_service:
    unique_name: info-example
    friendly_name: Info example

- name: Add a staging environment
  chatops.twilio.serverless_environment:
    service: info-example
    unique_name: staging
    domain_suffix: stage

- name: List all Functions services of the account
  chatops.twilio.serverless_service_info:
  register: all_functions

- name: One service with its environments and their domains
  chatops.twilio.serverless_service_info:
    unique_name: info-example
    include_environments: true
  register: found

- name: Show the domains
  ansible.builtin.debug:
    msg: "{{ found.services[0].environments | map(attribute='domain_name') | list }}"

- name: Manage the existing service with exactly the settings it has now (no change)
  chatops.twilio.serverless_service:
    sid: "{{ found.services[0].module_args.sid }}"
    unique_name: "{{ found.services[0].module_args.unique_name }}"
    friendly_name: "{{ found.services[0].module_args.friendly_name }}"
    include_credentials: "{{ found.services[0].module_args.include_credentials }}"
    ui_editable: "{{ found.services[0].module_args.ui_editable }}"
  register: adopted

- name: Manage its environments as they are (no change)
  chatops.twilio.serverless_environment:
    service: "{{ item.module_args.service }}"
    unique_name: "{{ item.module_args.unique_name }}"
    domain_suffix: "{{ item.module_args.domain_suffix }}"
  loop: "{{ found.services[0].environments }}"
  loop_control:
    label: "{{ item.unique_name }}"
  register: adopted_environments

- name: Delete the example service and its environments
  chatops.twilio.serverless_service:
    sid: "{{ found.services[0].sid }}"
    state: absent
'''

RETURN = r'''
services:
  description:
    - The matching services as returned by Twilio (snake_case), in Twilio's order. Always a list, possibly empty.
    - Each has the keys of RV(chatops.twilio.serverless_service#module:service), and RV(services[].module_args) (and
      RV(services[].environments) on request).
  returned: always
  type: list
  sample: [{"sid": "ZS0123456789abcdef0123456789abcdef", "unique_name": "myapp"}]
  elements: dict
  contains:
    module_args:
      description:
        - Arguments for M(chatops.twilio.serverless_service) that describe the service as it is now, including
          C(sid).
      type: dict
      sample: {"sid": "ZS0123456789abcdef0123456789abcdef", "unique_name": "support-bot",
               "friendly_name": "Support bot", "include_credentials": true, "ui_editable": false}
    environments:
      description:
        - The environments of the service as returned by Twilio, with their C(module_args).
        - See RV(chatops.twilio.serverless_environment#module:environment) for the fields.
      returned: when O(include_environments=true)
      type: list
      elements: dict
      sample:
        - sid: ZE0123456789abcdef0123456789abcdef
          unique_name: staging
          domain_suffix: stage
          domain_name: support-bot-1234-stage.twil.io
          module_args: {"service": "support-bot", "unique_name": "staging", "domain_suffix": "stage"}
retries_used:
  description: How many HTTP requests were sent again after a transient failure.
  returned: always
  type: int
  sample: 0
'''

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

if TYPE_CHECKING:  # annotations only
    from typing import Any


def run(module: TwilioModule) -> dict[str, Any]:
    params = module.params
    sid, unique_name = params['sid'], params['unique_name']
    if sid is not None:
        sl.check_service_sid(sid)
    if unique_name is not None:
        sl.check_service_name(unique_name)
    services = rl.matching(module, sl.SERVICES, sid or unique_name)  # Twilio fetches a service by unique name too
    for service in services:
        service['module_args'] = sl.service_module_args(service)
        if params['include_environments']:
            environments = rl.listing(module, sl.environments(service['sid']), 'service %s' % (service.get('unique_name') or service.get('sid')))
            for environment in environments:
                environment['module_args'] = sl.environment_module_args(environment, service)
            service['environments'] = environments
    return dict(changed=False, services=services)


def main() -> None:
    module = TwilioModule(
        resource='serverless service',
        argument_spec=dict(
            sid=dict(type='str'),
            unique_name=dict(type='str', aliases=['name']),
            include_environments=dict(type='bool', default=False),
        ),
        mutually_exclusive=[('sid', 'unique_name')],
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == '__main__':
    main()
