#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: serverless_deploy_info
short_description: What each Environment of a Twilio Functions (Serverless) Service serves
version_added: "1.1.0"
description:
  - Returns, per Environment of a Functions Service, the live build (its runtime and dependencies), its Functions and
    Assets with their URLs and visibility, and the keys of its variables.
  - Variable values are returned only with O(include_variable_values=true); they are secrets, so run that task with
    C(no_log) true.
  - Each environment comes with C(module_args), the arguments that make M(chatops.twilio.serverless_deploy) (without
    its O(chatops.twilio.serverless_deploy#module:source), which only the files can give) and
    M(chatops.twilio.serverless_variables) describe it as it is, so an environment deployed by another tool can be
    adopted into code.
  - "Requests: one listing of the environments, then per environment one GET of its build (when it serves one) and one
    listing of its variables."
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes.info_module
  - chatops.twilio.serverless_target
options:
  environment:
    description: Return only this Environment (unique name or V(ZE) SID); default every environment of the service.
    type: str
  include_variable_values:
    description: Also return the variables' values (secrets; use C(no_log) on the task).
    type: bool
    default: false
seealso:
  - module: chatops.twilio.serverless_deploy
  - module: chatops.twilio.serverless_variables
  - module: chatops.twilio.serverless_service_info
'''

EXAMPLES = r'''
- name: A service with an environment
  chatops.twilio.serverless_service:
    unique_name: info-deploy-example

- name: Its dev environment
  chatops.twilio.serverless_environment:
    service: info-deploy-example
    unique_name: dev
    domain_suffix: dev

- name: What every environment serves
  chatops.twilio.serverless_deploy_info:
    service: info-deploy-example
  register: served

- name: Show the URL of each Function of dev
  ansible.builtin.debug:
    msg: "{{ (served.environments | selectattr('unique_name', '==', 'dev') | first).functions | dict2items | map(attribute='value.url') | list }}"

- name: The variables of dev with their values (secrets)
  chatops.twilio.serverless_deploy_info:
    service: info-deploy-example
    environment: dev
    include_variable_values: true
  no_log: true
  register: dev_variables
'''

RETURN = r'''
environments:
  description: One entry per environment, in Twilio's order.
  returned: success
  type: list
  elements: dict
  sample:
    - sid: ZE0123456789abcdef0123456789abcdef
      unique_name: dev
      domain_suffix: dev
      domain_name: info-deploy-example-1234-dev.twil.io
      build_sid: ZB0123456789abcdef0123456789abcdef
      runtime: node22
      dependencies: {"twilio": "5.0.0", "@twilio/runtime-handler": "2.0.0"}
      functions: {"/hello": {"url": "https://info-deploy-example-1234-dev.twil.io/hello", "visibility": "public",
                             "version_sid": "ZN0123456789abcdef0123456789abcdef"}}
      assets: {}
      variable_keys: ["CHATOPS_DEPLOY", "GREETING"]
      module_args:
        serverless_deploy: {"service": "info-deploy-example", "environment": "dev", "runtime": "node22", "dependencies": {}}
        serverless_variables: {"service": "info-deploy-example", "environment": "dev"}
  contains:
    sid:
      description: SID of the environment.
      type: str
      sample: ZE0123456789abcdef0123456789abcdef
    unique_name:
      description: Unique name of the environment.
      type: str
      sample: dev
    domain_suffix:
      description: Suffix of the environment's domain, null for none.
      type: str
      sample: dev
    domain_name:
      description: Domain of the environment; a Function's URL is C(https://{domain_name}{path}).
      type: str
      sample: info-deploy-example-1234-dev.twil.io
    build_sid:
      description: The live build, null when nothing is deployed.
      type: str
      sample: ZB0123456789abcdef0123456789abcdef
    runtime:
      description: Runtime of the live build.
      type: str
      sample: node22
    dependencies:
      description: Dependencies of the live build, name to version (Twilio's own C(twilio) and C(@twilio/runtime-handler) included).
      type: dict
      sample: {"lodash": "4.17.21", "twilio": "5.0.0", "@twilio/runtime-handler": "2.0.0"}
    functions:
      description: Functions of the live build keyed by path, each with C(url) (null when private), C(visibility) and C(version_sid).
      type: dict
      sample: {"/hello": {"url": "https://info-deploy-example-1234-dev.twil.io/hello", "visibility": "public",
                          "version_sid": "ZN0123456789abcdef0123456789abcdef"}}
    assets:
      description: Assets of the live build keyed by path, as RV(environments[].functions).
      type: dict
      sample: {"/style.css": {"url": "https://info-deploy-example-1234-dev.twil.io/style.css", "visibility": "public",
                              "version_sid": "ZN0123456789abcdef0123456789abcdf0"}}
    variable_keys:
      description: Keys of the environment's variables, sorted (C(CHATOPS_DEPLOY) is serverless_deploy's record).
      type: list
      elements: str
      sample: ["CHATOPS_DEPLOY", "GREETING"]
    variables:
      description: The variables, key to value.
      returned: with O(include_variable_values=true)
      type: dict
      sample: {"GREETING": "hello"}
    module_args:
      description: Arguments of M(chatops.twilio.serverless_deploy) (C(serverless_deploy), without C(source)) and of
        M(chatops.twilio.serverless_variables) (C(serverless_variables), its C(variables) only with the values) that
        describe the environment as it is.
      type: dict
      sample: {"serverless_deploy": {"service": "info-deploy-example", "environment": "dev", "runtime": "node22", "dependencies": {"lodash": "4.17.21"}},
               "serverless_variables": {"service": "info-deploy-example", "environment": "dev"}}
retries_used:
  description: How many HTTP requests were sent again after a transient failure.
  returned: always
  type: int
  sample: 0
'''

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _builds as bd
from ansible_collections.chatops.twilio.plugins.module_utils import _deploy_record as rec
from ansible_collections.chatops.twilio.plugins.module_utils import _functions as fn
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils import _source_tree as st
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

if TYPE_CHECKING:  # annotations only
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record


def argument_spec() -> dict[str, Any]:
    return sl.environment_target_spec(dict(include_variable_values=dict(type='bool', default=False)), environment_required=False)


def describe(module: TwilioModule, service_ref: str, environment: Record, with_values: bool) -> dict[str, Any]:
    service_sid = environment['service_sid']
    build = bd.read_build(module, service_sid, environment.get('build_sid'))
    records = rl.listing(module, fn.variables(service_sid, environment['sid']), 'environment %s' % environment.get('unique_name'))
    values = dict((r['key'], r.get('value')) for r in records if isinstance(r.get('key'), str))
    served: dict[str, dict[str, Any]] = dict(function={}, asset={})
    for (kind, path), version in sorted(rec.deployed_files(build).items()):
        visibility = ('%s' % version.get('visibility')).lower()
        served[kind][path] = dict(
            url=None if visibility == 'private' else 'https://%s%s' % (environment.get('domain_name'), path),
            visibility=visibility,
            version_sid=version.get('sid'),
        )
    dependencies = rec.build_dependencies(build)
    declared = dict((k, v) for k, v in dependencies.items() if k not in rec.INJECTED_DEPENDENCIES)
    name = environment.get('unique_name')
    own_values = dict((k, v) for k, v in values.items() if k != fn.RESERVED_KEY)
    variables_args = dict(service=service_ref, environment=name)
    if with_values:
        variables_args['variables'] = own_values
    result = dict(
        sid=environment.get('sid'),
        unique_name=name,
        domain_suffix=environment.get('domain_suffix'),
        domain_name=environment.get('domain_name'),
        build_sid=environment.get('build_sid'),
        runtime=(build or {}).get('runtime'),
        dependencies=dependencies,
        functions=served['function'],
        assets=served['asset'],
        variable_keys=sorted(values),
        module_args=dict(
            serverless_deploy=dict(service=service_ref, environment=name, runtime=(build or {}).get('runtime') or st.DEFAULT_RUNTIME, dependencies=declared),
            serverless_variables=variables_args,
        ),
    )
    if with_values:
        result['variables'] = values
    return result


def run(module: TwilioModule) -> dict[str, Any]:
    params = module.params
    sl.check_target(params)
    if params['environment'] is not None:
        environments = [sl.target_environment(module, params)]
    else:
        environments = sl.environments_of(module, params['service'])
    return dict(changed=False, environments=[describe(module, params['service'], e, params['include_variable_values']) for e in environments])


def main() -> None:
    module = TwilioModule(argument_spec=argument_spec(), resource='serverless deployments', supports_check_mode=True)
    module.run(run)


if __name__ == '__main__':
    main()
