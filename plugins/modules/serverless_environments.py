#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: serverless_environments
short_description: Manage a Twilio Functions (Serverless) service and a set of its environments in one run
version_added: "1.1.0"
description:
  - Makes sure the Functions service O(service) exists (it is created when an environment is to be present) and
    converges the listed environments of it. One request reads the service, one lists its environments, and only the
    environments that need a change are written.
  - Each environment has its own domain, C(<service>-<digits>[-<domain_suffix>].twil.io). Twilio cannot change the
    domain of an environment; with O(recreate=true) an environment whose suffix differs is deleted and created again.
  - Environments of the service that are not listed are left alone. To delete the service itself, use
    M(chatops.twilio.serverless_service) with C(state=absent).
  - For one environment, use M(chatops.twilio.serverless_environment).
author:
  - chatops.twilio maintainers (@chatops)
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes
  - chatops.twilio.attributes.action_group
  - chatops.twilio.attributes.platform
attributes:
  check_mode:
    support: full
    details: >-
      Sends no write request. When the service would be created, its environments are reported as to be created,
      with no domain yet.
  diff_mode:
    support: full
    details: One diff per environment that changes, with its name in the header.
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
      description: What was (in check mode, would be) done.
      type: str
      choices: [create, recreate, delete, none]
      sample: create
    changed:
      description: Whether the environment was (or would be) created, recreated or deleted.
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
    - The options (V(unique_name), V(domain_suffix)) a created environment does not have as sent; the module then
      fails, as the next run would create or recreate it again.
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

from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError


def argument_spec():
    return dict(
        service=dict(type='str', required=True),
        friendly_name=dict(type='str'),
        environments=dict(
            type='list',
            elements='dict',
            required=True,
            options=dict(
                unique_name=dict(type='str', required=True, aliases=['name']),
                domain_suffix=dict(type='str'),
                state=dict(type='str', choices=['present', 'absent'], default='present'),
            ),
        ),
        recreate=dict(type='bool', default=False),
    )


def validate(module):
    """Check every option before any request; fails naming the element."""
    params = module.params
    seen = {}
    try:
        sl.check_service_name(params['service'], 'service')
        if params['friendly_name'] is not None:
            sl.check_friendly_name(params['friendly_name'])
        for index, item in enumerate(params['environments']):
            where = 'environments[%d]' % index
            sl.check_environment_name(item['unique_name'], where + '.unique_name')
            if item['domain_suffix'] is not None:
                sl.check_domain_suffix(item['domain_suffix'], where + '.domain_suffix')
            if item['unique_name'] in seen:
                raise OptionError('%s.unique_name %r is also environments[%d].unique_name' % (where, item['unique_name'], seen[item['unique_name']]))
            seen[item['unique_name']] = index
    except OptionError as exc:
        module.fail_option('%s' % exc)


def ensure_service(module, current):
    """(changed, service): the service, created (or renamed) as needed."""
    params = module.params
    client, name, friendly = module.client, params['service'], params['friendly_name']
    if current is not None:
        if friendly is None or current.get('friendly_name') == friendly:
            return False, current
        if module.check_mode:
            return True, dict(current, friendly_name=friendly)
        with module.context('update', 'serverless service %s' % name):
            return True, client.update(sl.PRODUCT, sl.VERSION, sl.service_path(current['sid']), sl.service_form({'friendly_name': friendly}))
    if module.check_mode:
        return True, dict(sl.SERVICE_CREATE_DEFAULTS, sid=None, unique_name=name, friendly_name=friendly or name, domain_base=None)
    with module.context('create', 'serverless service %s' % name):
        service, dummy = sl.create_keyed(
            client, sl.SERVICES_PATH, [('UniqueName', name), ('FriendlyName', friendly or name)], lambda: sl.fetch_service(client, name)
        )
    return True, service


def plan(module, service, listed):
    """[(item, current, action)]; fails before any write on a suffix that cannot be had."""
    params = module.params
    steps, taken = [], dict((e.get('sid'), e) for e in listed)
    for item in params['environments']:
        current = sl.find_environment(listed, item['unique_name'])
        suffix = item['domain_suffix']
        if item['state'] == 'absent':
            action = 'delete' if current else 'none'
            taken.pop((current or {}).get('sid'), None)
        elif current is None:
            action = 'create'
        elif suffix is None or sl.same_suffix(sl.suffix_of(current), suffix):
            action = 'none'
        elif params['recreate']:
            action = 'recreate'
        else:
            module.fail_json(
                msg='serverless environment %s of service %s has domain_suffix %r (%s), not %r: Twilio '
                'cannot change it. Set recreate=true to delete it and create it again (new SID and '
                'domain, its Variables and Deployments are lost). Nothing was changed.'
                % (item['unique_name'], params['service'], sl.suffix_of(current), current.get('domain_name'), suffix),
                environment=current,
            )
        if action in ('create', 'recreate'):
            taken.pop((current or {}).get('sid'), None)
        steps.append((item, current, action))
    for item, current, action in steps:
        if action in ('create', 'recreate'):
            owner = sl.suffix_owner(list(taken.values()), item['domain_suffix'] or '', exclude_sid='')
            if owner is not None:
                module.fail_json(
                    msg='domain suffix %r of environment %s is already used by environment %s (%s) of '
                    'serverless service %s; two environments cannot share a domain. Nothing was changed.'
                    % (item['domain_suffix'] or '', item['unique_name'], owner.get('unique_name'), owner.get('domain_name'), params['service']),
                    environment=owner,
                )
            taken['new:' + item['unique_name']] = {'unique_name': item['unique_name'], 'domain_suffix': item['domain_suffix'] or ''}
    return steps


def apply(module, service, item, current, action):
    """The environment after ``action`` (predicted in check mode)."""
    client, name, suffix = module.client, item['unique_name'], item['domain_suffix'] or ''
    if action in ('delete', 'recreate') and not module.check_mode:
        with module.context('delete', 'serverless environment %s of service %s' % (name, service['unique_name'])):
            client.delete(sl.PRODUCT, sl.VERSION, sl.environments_path(service['sid'], current['sid']))
    if action == 'delete':
        return {}
    if action == 'none':
        return current or {}
    if module.check_mode:
        return {
            'sid': None,
            'service_sid': service.get('sid'),
            'unique_name': name,
            'domain_suffix': suffix or None,
            'domain_name': sl.predict_domain_name(service, suffix),
        }
    form = [('UniqueName', name)] + ([('DomainSuffix', suffix)] if suffix else [])
    with module.context('create', 'serverless environment %s of service %s' % (name, service['unique_name'])):
        environment, created = sl.create_keyed(
            client, sl.environments_path(service['sid']), form, lambda: sl.find_environment(sl.list_environments(client, service['sid']), name)
        )
    missing = sl.environment_not_applied(name, suffix, environment)
    if missing:
        # Reporting this as done would recreate or fail on every later run.
        module.fail_json(
            msg='Twilio %s serverless environment %s of service %s without %s'
            % (
                'created' if created else 'has (created meanwhile by someone else)',
                name,
                service['unique_name'],
                sl.describe_environment_not_applied(missing, name, suffix, environment),
            ),
            changed=created,
            not_applied=missing,
            environment=environment,
        )
    return environment


def run(module):
    params = module.params
    validate(module)
    wanted_present = any(item['state'] == 'present' for item in params['environments'])

    with module.context('fetch', 'serverless service %s' % params['service']):
        current = sl.fetch_service(module.client, params['service'])
    if current is None and not wanted_present:
        results = [
            dict(
                unique_name=i['unique_name'],
                state='absent',
                sid=None,
                domain_suffix=None,
                domain_name=None,
                action='none',
                changed=False,
                environment={},
                diff={},
            )
            for i in params['environments']
        ]
        return dict(changed=False, service={}, service_changed=False, environments=results)
    listed = []
    if current is not None:
        with module.context('list', 'serverless environments of service %s' % params['service']):
            listed = sl.list_environments(module.client, current['sid'])

    steps = plan(module, current or {}, listed)
    service_changed, service = ensure_service(module, current)
    results, diffs = [], []
    for item, before_env, action in steps:
        environment = apply(module, service, item, before_env, action)
        before = sl.view(before_env, sl.ENVIRONMENT_VIEW) if before_env else {}
        after = sl.view(environment, sl.ENVIRONMENT_VIEW) if environment else {}
        result = dict(
            unique_name=item['unique_name'],
            state=item['state'],
            sid=environment.get('sid'),
            domain_suffix=sl.suffix_of(environment) if environment else None,
            domain_name=environment.get('domain_name'),
            action=action,
            changed=action != 'none',
            environment=environment,
            diff={},
        )
        if module._diff:
            result['diff'] = dict(before=before, after=after)
            if action != 'none':
                diffs.append(dict(before=before, after=after, before_header=item['unique_name'], after_header=item['unique_name']))
        results.append(result)
    out = dict(changed=service_changed or any(r['changed'] for r in results), service=service, service_changed=service_changed, environments=results)
    if module._diff:
        out['diff'] = diffs
    return out


def main():
    module = TwilioModule(resource='serverless environment', argument_spec=argument_spec(), supports_check_mode=True)
    module.run(run)


if __name__ == '__main__':
    main()
