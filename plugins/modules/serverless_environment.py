#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: serverless_environment
short_description: Manage Environments of Twilio Functions (Serverless) Services
version_added: "1.0.0"
description:
  - Create and delete the Environments of a Twilio Functions Service (Serverless API v1), for example C(dev),
    C(stage) and C(prod) of one app. Each environment has its own domain, C(<service>-<digits>[-<suffix>].twil.io).
  - The environment is identified by its O(unique_name) within the service O(service).
  - Twilio cannot update an environment. When an existing environment has another O(domain_suffix) than requested,
    the module fails, unless O(recreate=true) allows it to delete the environment and create it again.
  - After a create the module compares Twilio's answer with what it sent. When the new environment does not have the
    unique name or domain suffix sent, the task fails and names the option (in RV(not_applied)).
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes
attributes:
  check_mode:
    details: Sends no write request and returns the predicted environment, including its domain name.
  diff_mode:
    details:
      - Shows the SID, unique name, domain suffix and domain name before and after. On create C(before) is empty, on
        delete C(after) is empty; a recreation shows the old and the new environment (the new SID is null in check
        mode).
options:
  state:
    description:
      - V(present) creates the environment, V(absent) deletes it with its Variables, Deployments and Logs.
      - With V(absent), a missing service or environment is not an error.
    type: str
    choices: [present, absent]
    default: present
  service:
    description:
      - The Functions Service the environment belongs to, by SID (V(ZS) followed by 32 hexadecimal digits) or by
        unique name.
      - The service must exist for O(state=present); create it with M(chatops.twilio.serverless_service).
    type: str
    required: true
  unique_name:
    description:
      - Unique name of the environment within the service, at most 100 characters.
    type: str
    required: true
    aliases: [name]
  domain_suffix:
    description:
      - Suffix of the environment's domain, C(<service>-<digits>-<domain_suffix>.twil.io). At most 16 characters,
        only letters, numbers and dashes, not starting or ending with a dash. Two environments of a service cannot have the same domain; the module
        checks this before it creates one.
      - V("") (empty) means no suffix, so the environment gets the service's base domain
        C(<service>-<digits>.twil.io), as Twilio's production environments do.
      - When not set, a new environment gets no suffix and an existing environment's suffix is not checked.
      - Compared without regard to case, as domain names are.
    type: str
  recreate:
    description:
      - What to do when the environment exists with another O(domain_suffix). Twilio cannot change it in place.
      - V(false) fails and changes nothing.
      - V(true) deletes the environment and creates it again with the new suffix. The new environment has a new SID
        and domain, and none of the old one's Variables, Deployments and Logs; redeploy a Build to it afterwards.
    type: bool
    default: false
seealso:
  - module: chatops.twilio.serverless_service
  - module: chatops.twilio.serverless_service_info
  - name: Serverless Environment resource
    description: An environment's unique name and domain suffix, and how Twilio builds its domain from them.
    link: https://www.twilio.com/docs/serverless/api/resource/environment
'''

EXAMPLES = r'''
- name: A Functions service for the app
  chatops.twilio.serverless_service:
    unique_name: myapp
  register: myapp

- name: Development and staging environments with their own domains
  chatops.twilio.serverless_environment:
    service: myapp
    unique_name: "{{ item.name }}"
    domain_suffix: "{{ item.suffix }}"
  loop:
    - {name: dev-environment, suffix: dev}
    - {name: stage-environment, suffix: stage}
  loop_control:
    label: "{{ item.name }}"
  register: myapp_envs

- name: Production environment on the service's base domain (no suffix)
  chatops.twilio.serverless_environment:
    service: "{{ myapp.service.sid }}"
    unique_name: production
    domain_suffix: ""
  register: myapp_prod

- name: Show the domains
  ansible.builtin.debug:
    msg: "{{ (myapp_envs.results + [myapp_prod]) | map(attribute='environment.domain_name') | list }}"

- name: Move staging to another domain (deletes and recreates the environment)
  chatops.twilio.serverless_environment:
    service: myapp
    unique_name: stage-environment
    domain_suffix: staging
    recreate: true

- name: Delete the development environment
  chatops.twilio.serverless_environment:
    service: myapp
    unique_name: dev-environment
    state: absent
'''

RETURN = r'''
environment:
  description:
    - The environment as returned by Twilio (snake_case). In check mode, the predicted environment; one that would be
      created has no RV(environment.sid) yet.
    - With O(state=absent), the environment that was (or would be) deleted, or V({}) when there was none.
    - Besides the keys below, C(account_sid), C(date_created), C(date_updated) and C(url), as in
      RV(chatops.twilio.serverless_service#module:service), and C(links) (its C(variables), C(deployments) and C(logs)).
  returned: always
  type: dict
  sample: {"sid": "ZE0123456789abcdef0123456789abcdef", "unique_name": "stage-environment", "domain_suffix": "stage"}
  contains:
    sid:
      description: SID of the environment.
      type: str
      sample: ZE0123456789abcdef0123456789abcdef
    service_sid:
      description: SID of the service of the environment.
      type: str
      sample: ZS0123456789abcdef0123456789abcdef
    build_sid:
      description: SID of the Build deployed to the environment, null until one is.
      type: str
      sample: ZB0123456789abcdef0123456789abcdef
    unique_name:
      description: Unique name of the environment.
      type: str
      sample: stage-environment
    domain_suffix:
      description: Suffix of the environment's domain, null for none.
      type: str
      sample: stage
    domain_name:
      description: Domain the environment's Functions and Assets are served from.
      type: str
      sample: myapp-1234-stage.twil.io
not_applied:
  description:
    - The options (V(unique_name), V(domain_suffix)) that a newly created environment does not have as sent. The task
      fails with a message naming each with the value sent and the value Twilio has.
  returned: when Twilio did not apply an option
  type: list
  elements: str
  sample: ["domain_suffix"]
retries_used:
  description: How many HTTP requests were sent again after a transient failure.
  returned: always
  type: int
  sample: 0
'''

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils._fields import STATE_OPTION
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

if TYPE_CHECKING:  # annotations only
    from typing import Any


def argument_spec() -> dict[str, Any]:
    return sl.environment_options(state=dict(STATE_OPTION), service=dict(type='str', required=True), recreate=dict(type='bool', default=False))


def run(module: TwilioModule) -> dict[str, Any]:
    params = module.params
    sl.check_target(params)
    sl.check_environment_item(params)
    service_ref, state = params['service'], params['state']
    change = rl.Change(module)
    service = rl.fetch(module, sl.SERVICES, service_ref)
    if service is None:
        if state == 'absent':
            return change.result('environment', {})
        module.fail_json(msg='serverless service %s does not exist; create it first (chatops.twilio.serverless_service)' % service_ref)
    listed = rl.listing(module, sl.environments(service['sid']), 'service %s' % service_ref)
    [(item, current, action)] = sl.plan_environments(module, [params], listed, params['recreate'], service_ref)
    return change.result('environment', sl.converge_environment(module, service, item, current, action, service_ref, change))


def main() -> None:
    module = TwilioModule(resource='serverless environment', argument_spec=argument_spec(), supports_check_mode=True)
    module.run(run)


if __name__ == '__main__':
    main()
