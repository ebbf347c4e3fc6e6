#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: serverless_variables
short_description: Manage the Variables of a Twilio Functions (Serverless) Environment
version_added: "1.1.0"
description:
  - Makes the Variables of one Environment of a Twilio Functions Service hold O(variables). Functions read them as
    C(context.KEY) (or C(process.env.KEY)); a change applies to the next invocation without a new build or deployment.
  - Values are secrets. They never appear in the result, the diff or the logs; the module compares them with the values
    Twilio returns without showing either.
  - A changed value is one update of that variable, never a delete and a create.
  - "Limits, checked before any request: a key has at most 128 characters, a value at most 450 bytes in UTF-8 (not
    characters), and the variables together, as one JSON object, at most 3,000 bytes (Twilio fails invocations
    whose context passes 3 KB, error 82006). The whole set the environment would hold after the run (variables kept
    by O(purge=false) and the reserved C(CHATOPS_DEPLOY) included) is checked again once read, before any write."
  - C(CHATOPS_DEPLOY) is reserved for M(chatops.twilio.serverless_deploy), which records in it what it deployed. It
    cannot be set here and O(purge) never deletes it.
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes
  - chatops.twilio.serverless_target
  - chatops.twilio.serverless_target.environment
attributes:
  check_mode:
    details: Sends no write request; the result names the keys that would be added, changed and removed.
  diff_mode:
    details: Shows the keys before and after, each value replaced by C((value hidden)) (C((value hidden, changed)) after
      a change).
options:
  variables:
    description:
      - The variables, key to value. Numbers and booleans are sent as text (V(true), V(3)); other types are refused.
      - Keys not listed are kept, unless O(purge=true).
    type: dict
    default: {}
  purge:
    description:
      - Delete the variables whose key is not in O(variables), except C(CHATOPS_DEPLOY).
    type: bool
    default: false
seealso:
  - module: chatops.twilio.serverless_deploy
  - module: chatops.twilio.serverless_environment
'''

EXAMPLES = r'''
- name: Create a service and its dev environment
  chatops.twilio.serverless_service:
    unique_name: variables-example

- name: Add the dev environment
  chatops.twilio.serverless_environment:
    service: variables-example
    unique_name: dev
    domain_suffix: dev

- name: Set the variables the Functions of dev read
  chatops.twilio.serverless_variables:
    service: variables-example
    environment: dev
    variables:
      STATUS_GREETING: Hello from dev
      MAX_RETRIES: 3
      FEATURE_STATUS: true

- name: Keep exactly these variables, deleting any other (never CHATOPS_DEPLOY)
  chatops.twilio.serverless_variables:
    service: variables-example
    environment: dev
    variables:
      STATUS_GREETING: Hello from dev
    purge: true
'''

RETURN = r'''
service_sid:
  description: SID of the service of O(environment).
  returned: success
  type: str
  sample: ZS0123456789abcdef0123456789abcdef
environment_sid:
  description: SID of the environment whose variables these are (O(environment) may name it by its unique name).
  returned: success
  type: str
  sample: ZE0123456789abcdef0123456789abcdef
variable_keys:
  description: The keys the environment holds after the run (predicted in check mode), sorted. Values are never returned.
  returned: success
  type: list
  elements: str
  sample: ["FEATURE_STATUS", "MAX_RETRIES", "STATUS_GREETING"]
added:
  description: Keys created.
  returned: success
  type: list
  elements: str
  sample: ["FEATURE_STATUS"]
changed:
  description: Whether a variable was (or in check mode would be) added, changed or deleted.
  returned: always
  type: bool
  sample: true
updated:
  description: Keys whose value changed.
  returned: success
  type: list
  elements: str
  sample: ["MAX_RETRIES"]
removed:
  description: Keys deleted (only with O(purge=true)).
  returned: success
  type: list
  elements: str
  sample: []
retries_used:
  description: How many HTTP requests were sent again after a transient failure.
  returned: always
  type: int
  sample: 0
'''

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _functions as fn
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

if TYPE_CHECKING:  # annotations only
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record


def argument_spec() -> dict[str, Any]:
    return sl.environment_target_spec(dict(variables=dict(type='dict', default={}, no_log=True), purge=dict(type='bool', default=False)))


def update_value(module: TwilioModule, collection: rl.Collection, record: Record, value: str, label: str) -> None:
    """One POST to the variable; fails, without showing either value, when Twilio's answer lacks the new one."""
    with module.context('update', label):
        answer = module.client.update(collection.product, collection.version, collection.item_path(record['sid']), [('Value', value)])
    if answer.get('value') != value:
        module.fail_json(msg='Twilio accepted the update of %s but answered with another value (the values are not shown)' % label, changed=True)


def run(module: TwilioModule) -> dict[str, Any]:
    params = module.params
    sl.check_target(params)
    wanted = fn.check_variables(params['variables'] or {})
    environment = sl.target_environment(module, params)
    collection = fn.variables(environment['service_sid'], environment['sid'])
    where = 'environment %s of service %s' % (params['environment'], params['service'])
    current = fn.by_key(rl.listing(module, collection, where))
    added, updated, removed = fn.plan_variables(wanted, current, params['purge'])
    final = dict((k, r.get('value') or '') for k, r in current.items() if k not in removed)
    final.update(wanted)
    fn.check_budget(final, 'the variables %s would hold' % where)
    if not module.check_mode:
        for key in added:
            record, adopted = rl.create(module, collection, [('Key', key), ('Value', wanted[key])], key, label='%s of %s' % (key, where))
            if adopted and record.get('value') != wanted[key]:
                update_value(module, collection, record, wanted[key], 'serverless variable %s of %s' % (key, where))
        for key in updated:
            update_value(module, collection, current[key], wanted[key], 'serverless variable %s of %s' % (key, where))
        for key in removed:
            rl.delete(module, collection, current[key]['sid'], '%s of %s' % (key, where))
    changed = bool(added or updated or removed)
    result = dict(
        changed=changed,
        service_sid=environment['service_sid'],
        environment_sid=environment['sid'],
        variable_keys=sorted(final),
        added=added,
        updated=updated,
        removed=removed,
    )
    if module._diff:
        before, after = fn.diff_sides(current, final, updated)
        result['diff'] = dict(before=before, after=after)
    return result


def main() -> None:
    module = TwilioModule(argument_spec=argument_spec(), resource='serverless variables', supports_check_mode=True)
    module.run(run)


if __name__ == '__main__':
    main()
