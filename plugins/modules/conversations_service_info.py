#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: conversations_service_info
short_description: List Twilio Conversations Services, with their settings when asked
version_added: "1.0.0"
description:
  - Returns every Conversations Service of the account, or the ones matching O(sid) or O(friendly_name), with the
    settings resources named in O(include).
  - Each service comes with RV(services[].module_args), the arguments that make M(chatops.twilio.conversations_service)
    manage it exactly as it is (a run with them changes nothing), so existing services can be adopted into code.
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
  include:
    description:
      - The settings resources to read for each service (one request per service and resource), returned under their
        name and in RV(services[].module_args).
    type: list
    elements: str
    choices: [configuration, notifications, webhooks]
    default: []
seealso:
  - module: chatops.twilio.conversations_service
'''

EXAMPLES = r'''
- name: Create a service to look at
  chatops.twilio.conversations_service:
    friendly_name: conversations-info-example
    webhooks:
      filters: [onMessageAdded]

- name: List all Conversations services of the account
  chatops.twilio.conversations_service_info:
  register: all_conversations

- name: Find services by name, with all their settings
  chatops.twilio.conversations_service_info:
    friendly_name: conversations-info-example
    include: [configuration, notifications, webhooks]
  register: found

- name: Show the webhook filters
  ansible.builtin.debug:
    msg: "{{ found.services | map(attribute='webhooks.filters') | list }}"

- name: Adopt an existing service into code with the settings it has now (no change)
  chatops.twilio.conversations_service: "{{ found.services[0].module_args }}"

- name: Save the settings of the found services as YAML, ready to paste into conversations_service tasks
  ansible.builtin.copy:
    dest: /tmp/adopted_conversations_services.yml
    content: "{{ found.services | map(attribute='module_args') | to_nice_yaml(indent=2) }}"
    mode: "0600"

- name: Delete the example service
  chatops.twilio.conversations_service:
    sid: "{{ found.services[0].sid }}"
    state: absent
'''

RETURN = r'''
services:
  description:
    - The matching services as returned by Twilio (snake_case), in Twilio's order. Always a list, possibly empty.
    - Each has the keys of RV(chatops.twilio.conversations_service#module:service), the settings resources that
      O(include) names, and RV(services[].module_args).
  returned: always
  type: list
  sample: [{"sid": "IS0123456789abcdef0123456789abcdef", "friendly_name": "support-conversations"}]
  elements: dict
  contains:
    configuration:
      description: The service's configuration.
      returned: when O(include) has V(configuration)
      type: dict
      sample: {"reachability_enabled": true, "default_chat_service_role_sid": "RL0123456789abcdef0123456789abcdef"}
    notifications:
      description: The service's push notification settings.
      returned: when O(include) has V(notifications)
      type: dict
      sample: {"log_enabled": false, "new_message": {"enabled": true, "template": "${MESSAGE}"}}
    webhooks:
      description: The service's webhook settings.
      returned: when O(include) has V(webhooks)
      type: dict
      sample: {"pre_webhook_url": null, "post_webhook_url": "https://hooks.example.com/post", "method": "POST", "filters": ["onMessageAdded"]}
    module_args:
      description:
        - Arguments for M(chatops.twilio.conversations_service) that describe the service as it is now (C(sid),
          C(friendly_name) and the settings of the included resources); unset (null) settings are left out.
        - Pass it as the module's arguments, or copy it into a playbook to adopt the service into code.
      type: dict
      sample: {"sid": "IS0123456789abcdef0123456789abcdef", "friendly_name": "support-conversations",
               "webhooks": {"method": "POST", "filters": ["onMessageAdded"]}}
retries_used:
  description: How many HTTP requests were sent again after a transient failure.
  returned: always
  type: int
  sample: 0
'''

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _conversations as conv
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

if TYPE_CHECKING:  # annotations only
    from typing import Any


def run(module: TwilioModule) -> dict[str, Any]:
    params = module.params
    sid, name = params['sid'], params['friendly_name']
    conv.SERVICES.check_sid(sid)
    included = [s for s in conv.SERVICE_SETTINGS if s.option in params['include']]
    services = rl.matching(module, conv.SERVICES, sid, name)
    for service in services:
        args = {'sid': service.get('sid'), 'friendly_name': service.get('friendly_name')}
        for singleton in included:
            option = '%s' % singleton.option  # every settings resource of a service has its option
            service[option] = rl.read(module, singleton, service['sid'], 'conversations service %s' % service['sid'])
            args.update(rl.module_args(service[option], singleton.fields))
        service['module_args'] = args
    return dict(changed=False, services=services)


def main() -> None:
    module = TwilioModule(
        resource='conversations service',
        argument_spec=dict(
            sid=dict(type='str'),
            friendly_name=dict(type='str', aliases=['name']),
            include=dict(type='list', elements='str', choices=[s.option for s in conv.SERVICE_SETTINGS], default=[]),
        ),
        mutually_exclusive=[('sid', 'friendly_name')],
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == '__main__':
    main()
