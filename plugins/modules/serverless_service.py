#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: serverless_service
short_description: Manage Twilio Functions (Serverless) Services
version_added: "1.0.0"
description:
  - Create, update and delete Twilio Functions Services (Serverless API v1), the containers of Functions, Assets and
    Environments.
  - A service is identified by O(sid) or by O(unique_name). Twilio keeps unique names unique and accepts one in place
    of the SID, so a lookup by name is one request.
  - The unique name is permanent; it forms the first part of the service's domain (C(<unique_name>-<digits>.twil.io)).
    Setting O(sid) together with a different O(unique_name) than the service has is an error.
  - Only the settings you set are managed; unset settings are left as they are at Twilio. A run that would change
    nothing sends no write request.
  - After every write the module compares Twilio's answer with what it sent. When Twilio accepted a write but did
    not apply a setting, the task fails and names the setting (in RV(not_applied)), rather than report a change that
    the next run would make again.
  - Twilio allows 50 Services per account by default; a create beyond the cap fails with Twilio's message.
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes
attributes:
  check_mode:
    details: Sends no write request and returns the predicted service.
  diff_mode:
    details:
      - Shows the unique name and the managed settings before and after. On create C(before) is empty and C(after)
        holds every setting the service will have, on delete C(after) is empty.
      - On delete, C(before) also lists the unique names of the environments deleted with the service (one more
        request, the environment listing, in diff mode only).
options:
  state:
    description:
      - V(present) creates the service or updates its settings.
      - V(absent) deletes the service B(together with all its Functions, Assets, Environments, Builds and
        Deployments). Anything that calls them (Studio Flows, Flex, webhooks of phone numbers) stops working. This
        cannot be undone; guard it in your playbooks, for example by never deleting production services.
    type: str
    choices: [present, absent]
    default: present
  sid:
    description:
      - SID of the service, V(ZS) followed by 32 hexadecimal digits.
      - A service cannot be created with a given SID; to create one, set O(unique_name) without O(sid).
    type: str
  unique_name:
    description:
      - Unique name of the service. Identifies the service when O(sid) is not set, and is required to create one.
      - At most 50 characters (the API's limit; the Twilio Console asks for fewer than 50, and whether a new service
        may have 50 is left to Twilio), only letters, numbers and dashes, not starting or ending with a dash (it forms
        a domain name). It cannot be changed after creation.
    type: str
    aliases: [name]
  friendly_name:
    description:
      - Descriptive name of the service, at most 255 characters.
      - Twilio needs one at creation; when not set, a new service gets O(unique_name) as its friendly name. On an
        existing service it is only changed when set.
    type: str
  include_credentials:
    description:
      - Whether Twilio injects the account credentials into the context of every Function invocation.
      - Twilio creates services with V(true) when not set.
    type: bool
  ui_editable:
    description:
      - Whether the service and its Functions and Assets can be edited in the Twilio Console.
      - Twilio creates services with V(false) when not set.
    type: bool
notes:
  - After an Auth Token change, Functions that include the credentials need about a minute before they use the new
    token.
  - Twilio allows 50 Functions services per account by default. A create previewed in check mode lists the account's
    services once to count them, and warns that the create would be refused (code 20001) when the account already
    has 50; the limit of an account that Twilio raised on request is not visible through the API.
seealso:
  - module: chatops.twilio.serverless_service_info
  - module: chatops.twilio.serverless_environment
  - name: Serverless Service resource
    description: A Functions service's unique name, friendly name, C(include_credentials) and C(ui_editable).
    link: https://www.twilio.com/docs/serverless/api/resource/service
'''

EXAMPLES = r'''
- name: Create or update a Functions service (credentials from TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)
  chatops.twilio.serverless_service:
    unique_name: support-bot
    friendly_name: Support bot functions
    include_credentials: false
    ui_editable: true
  register: support_bot

- name: Show its domain
  ansible.builtin.debug:
    msg: "Functions of this service are served from https://{{ support_bot.service.domain_base }}.twil.io"

- name: Rename the service by SID (the unique name stays)
  chatops.twilio.serverless_service:
    sid: "{{ support_bot.service.sid }}"
    friendly_name: Support bot (production)

- name: Delete the service with its Functions, Assets and Environments
  chatops.twilio.serverless_service:
    unique_name: support-bot
    state: absent
'''

RETURN = r'''
service:
  description:
    - The service as returned by Twilio (snake_case). In check mode, the predicted service; a service that would be
      created has no RV(service.sid) and no RV(service.domain_base) yet.
    - With O(state=absent), the service that was (or would be) deleted, or V({}) when there was none.
    - Besides the keys below, C(account_sid) (the account that owns it), and C(date_created) and C(date_updated) (when
      it was created and last updated, ISO 8601, as V(2025-07-30T20:00:00Z)).
  returned: always
  type: dict
  sample: {"sid": "ZS0123456789abcdef0123456789abcdef", "unique_name": "myapp", "friendly_name": "myapp"}
  contains:
    sid:
      description: SID of the service.
      type: str
      sample: ZS0123456789abcdef0123456789abcdef
    unique_name:
      description: Unique name of the service.
      type: str
      sample: support-bot
    friendly_name:
      description: Descriptive name of the service.
      type: str
      sample: Support bot functions
    include_credentials:
      description: Whether the account credentials are injected into Function invocations.
      type: bool
      sample: false
    ui_editable:
      description: Whether the service can be edited in the Twilio Console.
      type: bool
      sample: true
    domain_base:
      description: First label of the service's domains, C(<unique_name>-<digits>).
      type: str
      sample: support-bot-1234
    url:
      description: Absolute URL of the service resource.
      type: str
      sample: https://serverless.twilio.com/v1/Services/ZS0123456789abcdef0123456789abcdef
    links:
      description: URLs of the service's sub-resources (C(environments), C(functions), C(assets), C(builds)).
      type: dict
      sample: {"environments": "https://serverless.twilio.com/v1/Services/ZS0123456789abcdef0123456789abcdef/Environments"}
not_applied:
  description:
    - The settings that Twilio answered a write without applying. The task fails with a message naming each with the
      value sent and the value Twilio has.
  returned: when Twilio did not apply a setting
  type: list
  elements: str
  sample: ["ui_editable"]
retries_used:
  description: How many HTTP requests were sent again after a transient failure.
  returned: always
  type: int
  sample: 0
'''

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils._fields import record_spec
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

if TYPE_CHECKING:  # annotations only
    from typing import Any


def argument_spec() -> dict[str, Any]:
    return record_spec(rl.argument_spec((sl.SERVICES.name,) + sl.SERVICE_FIELDS))  # unique_name and the settings, from the table


def run(module: TwilioModule) -> dict[str, Any]:
    params = module.params
    sid, unique_name, state = params['sid'], params['unique_name'], params['state']
    wanted = sl.service_wanted(params)
    label = unique_name or sid
    current = rl.fetch(module, sl.SERVICES, sid or unique_name, label)
    service = rl.Lifecycle(
        module,
        sl.SERVICES,
        sl.SERVICE_FIELDS,
        create_fields=sl.SERVICE_FIELDS,
        new_record=sl.SERVICE_CREATE_DEFAULTS,
        shown=sl.service_view,
        key='service',
        lookup=lambda: sl.fetch_service(module.client, unique_name),
        new_shows=sl.SERVICE_FIELDS,
    )
    service.guard(current, sid, unique_name, state, immutable=sl.UNIQUE_NAME_FIXED)
    change = rl.Change(module)
    if state == 'absent':
        if current is not None and module._diff:  # the environments that go with the service, in its before side
            change.before['environments'] = sorted(e.get('unique_name') for e in rl.listing(module, sl.environments(current['sid']), 'service %s' % label))
        return change.result('service', service.absent(change, current, label))
    if current is None:
        wanted.setdefault(sl.FRIENDLY_NAME, unique_name)  # Twilio needs a FriendlyName: the unique name by default
    record, dummy = service.present(change, current, wanted, label)
    return change.result('service', record)


def main() -> None:
    TwilioModule(resource='serverless service', argument_spec=argument_spec(), required_one_of=[('sid', 'unique_name')], supports_check_mode=True).run(run)


if __name__ == '__main__':
    main()
