#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: serverless_environments
short_description: Manage a Twilio Functions (Serverless) service and a set of its environments in one run
version_added: "1.1.0"
description:
  - Makes sure the Functions service O(service) exists (it is created when an environment is to be present) and
    converges the listed environments of it. One request reads the service, one lists its environments, and only the
    environments that need a change are written.
  - A rename of the service (O(friendly_name)) is shown in C(--diff) and checked like every write; when Twilio does
    not apply it, the module fails and names it in RV(not_applied).
  - Each environment has its own domain, C(<service>-<digits>[-<domain_suffix>].twil.io). Twilio cannot change the
    domain of an environment; with O(recreate=true) an environment whose suffix differs is deleted and created again.
  - Environments of the service that are not listed are left alone. To delete the service itself, use
    M(chatops.twilio.serverless_service) with C(state=absent).
  - For one environment, use M(chatops.twilio.serverless_environment).
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes
attributes:
  check_mode:
    support: full
    details: >-
      Sends no write request. When the service would be created, its environments are reported as to be created,
      with no domain yet.
  diff_mode:
    support: full
    details: >-
      One diff per environment that changes, with its name in the header; before them, one for a rename of the
      service (O(friendly_name)), with the header C(service <service>).
options:
  service:
    description:
      - Unique name of the Functions service (the first label of its domains; 1 to 49 letters, digits and dashes).
    type: str
    required: true
  friendly_name:
    description:
      - Friendly name of the service. Without it, a new service gets its unique name and an existing one keeps its name.
    type: str
  environments:
    description:
      - The environments to manage. Each unique name may appear only once.
    type: list
    elements: dict
    required: true
    suboptions:
      unique_name:
        description:
          - Unique name of the environment (at most 100 characters).
        type: str
        required: true
        aliases: [name]
      domain_suffix:
        description:
          - Domain suffix (at most 16 letters, digits and dashes). V("") is the service's base domain. Without it, an
            existing environment keeps its suffix and a new one gets none.
        type: str
      state:
        description:
          - V(present) creates the environment, V(absent) deletes it with its Variables, Deployments and Logs.
        type: str
        choices: [present, absent]
        default: present
  recreate:
    description:
      - Delete and create again an environment whose domain suffix differs (new SID and domain; its Variables and
        Deployments are lost). With V(false), such an environment fails the module before any write.
    type: bool
    default: false
  parallelism:
    description:
      - How many environments are written at a time, as in M(chatops.twilio.conversations_services). Results, diffs,
        warnings and a failure are reported in the order of O(environments) whatever the value.
      - When a new environment takes a domain that an environment deleted or recreated by the same run frees, the
        environments are converged one after the other, in the order of O(environments), so the delete comes first
        when it is listed first.
      - V(1) converges them one after the other, as releases before 1.2.0 did. From 1 to 32.
    type: int
    default: 8
    version_added: 1.2.0
seealso:
  - module: chatops.twilio.serverless_environment
  - module: chatops.twilio.serverless_service
  - module: chatops.twilio.serverless_service_info
'''

EXAMPLES = r'''
- name: A Functions service with dev, stage and prod on their own domains
  chatops.twilio.serverless_environments:
    service: acme-support-fn
    environments:
      - name: dev
        domain_suffix: dev
      - name: stage
        domain_suffix: stage
      - name: prod
        domain_suffix: ""
  register: acme_functions

- name: Show the domains
  ansible.builtin.debug:
    msg: "{{ acme_functions.environments | items2dict(key_name='unique_name', value_name='domain_name') }}"

- name: Move stage to another domain (a new environment) and delete dev
  chatops.twilio.serverless_environments:
    service: acme-support-fn
    recreate: true
    environments:
      - name: dev
        state: absent
      - name: stage
        domain_suffix: staging

- name: Delete the example service
  chatops.twilio.serverless_service:
    unique_name: acme-support-fn
    state: absent
'''

RETURN = r'''
service:
  description: The Functions service as Twilio returns it; in check mode a service that would be created has no SID.
  returned: always
  type: dict
  sample: {"sid": "ZS0123456789abcdef0123456789abcdef", "unique_name": "acme-support-fn", "domain_base": "acme-support-fn-1234"}
environments:
  description: One entry per element of O(environments), in the same order.
  returned: always
  type: list
  sample: [{"unique_name": "dev", "state": "present", "action": "create", "changed": true, "domain_suffix": "dev"}]
  elements: dict
  contains:
    unique_name:
      description: Name of the environment.
      type: str
      sample: dev
    state:
      description: The requested state.
      type: str
      sample: present
    sid:
      description: SID of the environment; V(null) when absent or not created yet (check mode).
      type: str
      sample: ZE0123456789abcdef0123456789abcdef
    domain_suffix:
      description: The environment's domain suffix (V("") for the base domain); V(null) when absent.
      type: str
      sample: dev
    domain_name:
      description: The environment's domain; V(null) when absent or not known yet (check mode).
      type: str
      sample: acme-support-fn-1234-dev.twil.io
    action:
      description:
        - What was (in check mode, would be) done. V(recreate) deleted the environment and created it again with the
          new domain suffix (O(recreate=true)); an environment is never updated.
      type: str
      choices: [create, recreate, delete, none]
      sample: create
    changed:
      description: Whether the environment was (or would be) created, recreated or deleted, so V(true) unless C(action) is V(none).
      type: bool
      sample: true
    environment:
      description: The environment as Twilio returns it; V({}) when absent.
      type: dict
      sample: {"sid": "ZE0123456789abcdef0123456789abcdef", "unique_name": "dev"}
    diff:
      description: C(sid), C(unique_name), C(domain_suffix) and C(domain_name) before and after; V({}) unless in diff mode.
      type: dict
      sample: {"before": {}, "after": {"unique_name": "dev", "domain_suffix": "dev"}}
service_changed:
  description: Whether the service was (or would be) created or renamed.
  returned: always
  type: bool
  sample: false
not_applied:
  description:
    - The option Twilio did not apply, V(friendly_name) of the service, or the options (V(unique_name),
      V(domain_suffix)) a created environment does not have as sent; the module then fails, as the next run would
      send them again.
  returned: when Twilio did not apply an option to the service or to a created environment
  type: list
  elements: str
  sample: ["friendly_name"]
retries_used:
  description: How many HTTP requests were sent again after a transient failure.
  returned: always
  type: int
  sample: 0
'''


from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils._change import add_diff
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils import _service_set as ss
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

if TYPE_CHECKING:  # annotations only
    from typing import Any


def argument_spec() -> dict[str, Any]:
    return dict(
        service=dict(type='str', required=True),
        friendly_name=dict(type='str'),
        environments=dict(
            type='list',
            elements='dict',
            required=True,
            options=sl.environment_options(state=dict(type='str', choices=['present', 'absent'], default='present')),
        ),
        recreate=dict(type='bool', default=False),
        parallelism=ss.argument_spec()['parallelism'],
    )


def checked(item: dict[str, Any], where: str) -> dict[str, Any]:
    """The environment item, checked (raises OptionError naming ``where``)."""
    sl.check_environment_item(item, where + '.')
    return item


def run(module: TwilioModule) -> dict[str, Any]:
    params, name = module.params, module.params['service']
    environments = ss.ServiceSet(
        module, 'serverless environment', 'its variables and deployments', '', lambda collection: rl.Lifecycle(module, collection), items='environments'
    )
    wanted = environments.wanted(lambda item: sl.ENVIRONMENTS, checked)
    sl.check_service_name(name, 'service')
    if params['friendly_name'] is not None:
        sl.check_friendly_name(params['friendly_name'])
    current = rl.fetch(module, sl.SERVICES, name)
    listed = rl.listing(module, sl.environments(current['sid']), 'service %s' % name) if current else []

    def plan(wanted: list[dict[str, Any]]) -> bool:
        """The domain-suffix rule (before any write): each item's action; False when a new domain is one a delete frees."""
        steps = sl.plan_environments(module, [want['desired'] for want in wanted], listed, params['recreate'], name)
        for want, (dummy, dummy_current, action) in zip(wanted, steps):
            want['action'] = action
        return sl.independent(steps)

    independent = environments.plan_keyed(wanted, listed, plan)
    diffs: list[dict[str, Any]] = []
    service, service_change = current or {}, rl.Change(module)
    if current is not None or any(want['action'] != 'none' for want in wanted):
        desired = {sl.SERVICES.name: name, sl.FRIENDLY_NAME: params['friendly_name'] or (None if current else name)}
        desired = dict((field, value) for field, value in desired.items() if value is not None)
        service, dummy = sl.service_lifecycle(module, name).present(service_change, current, desired, name)
        if current is not None and service_change.changed:  # a rename: its own diff, before the environments'
            add_diff(module, diffs, service_change, 'service %s' % name)

    def step(want: dict[str, Any], change: rl.Change) -> dict[str, Any]:
        environment = sl.converge_environment(module, service, want['desired'], want['current'], want['action'], name, change)
        environment = environment if want['state'] == 'present' else {}  # a deleted environment is reported gone
        shown = dict(sid=environment.get('sid'), domain_suffix=sl.suffix_of(environment) if environment else None, domain_name=environment.get('domain_name'))
        return dict(unique_name=want['name'], state=want['state'], environment=environment, **shown)

    results, item_diffs = environments.converge_keyed(wanted, step, independent)
    changed = service_change.changed or any(r['changed'] for r in results)
    out = dict(changed=changed, service=service, service_changed=service_change.changed, environments=results)
    return dict(out, diff=diffs + item_diffs) if module._diff else out


def main() -> None:
    module = TwilioModule(resource='serverless environment', argument_spec=argument_spec(), supports_check_mode=True)
    module.run(run)


if __name__ == '__main__':
    main()
