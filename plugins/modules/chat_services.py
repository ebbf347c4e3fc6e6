#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: chat_services
short_description: Manage a set of Twilio Programmable Chat Services in one run
version_added: "1.1.0"
description:
  - Converges a list of Chat services of one account in one process. The account's services are listed once per Chat
    API version that the list uses (ceil(N/100) requests for N services); then only the services that need a change are
    written. A converged run sends nothing but that listing (a run that finds a service made less than two seconds
    before, by Twilio's clock, lists once more, two seconds later, and takes the namesake that concurrent runs keep).
    A run that created services or found them that young lists once more before it returns, to confirm that every
    service it reports still exists (one that lost a concurrent run's namesake check is replaced by the one kept,
    which is converged). New services are checked for namesakes as M(chatops.twilio.chat_service) describes.
  - For one service with a SID, use M(chatops.twilio.chat_service).
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes
  - chatops.twilio.service_set
options:
  services:
    description:
      - The services to manage. Each name may appear only once.
    type: list
    elements: dict
    required: true
    suboptions:
      friendly_name:
        description:
          - Exact name of the service. At most 64 characters with Chat API v1.
        type: str
        required: true
        aliases: [name]
      state:
        description:
          - V(present) creates the service or updates its settings; V(absent) deletes it, a O(services[].protected) one only
            when O(confirm_delete) names it.
        type: str
        choices: [present, absent]
        default: present
      api_version:
        description:
          - Chat REST API version of this service; defaults to O(api_version).
        type: str
        choices: [v1, v2]
      settings:
        description:
          - The settings of M(chatops.twilio.chat_service), with the same names, nesting and meaning (for example
            C(reachability_enabled), C(limits.channel_members), C(notifications.new_message.enabled), and
            C(webhooks) with Chat API v1 only). Only the settings given are managed.
          - An unknown key, a wrong type or a value Twilio would refuse fails the module before any request, with a
            message naming the setting as C(services[<index>].settings.<path>).
        type: dict
        default: {}
      protected:
        description:
          - With O(services[].state=absent), delete the service only when its exact name is in O(confirm_delete);
            otherwise the module fails before any request.
        type: bool
        default: false
  api_version:
    description:
      - Chat REST API version of the services that set no O(services[].api_version), and of the listing that finds
        strays.
    type: str
    choices: [v1, v2]
    default: v2
notes:
  - Deleting a Chat service deletes all of its channels, users and messages.
seealso:
  - module: chatops.twilio.chat_service
  - module: chatops.twilio.chat_service_info
  - name: Chat Service resource (v2)
    description: Twilio's description of each service setting that O(services[].settings) takes.
    link: https://www.twilio.com/docs/chat/rest/service-resource
'''

EXAMPLES = r'''
- name: Converge the dev, stage and prod services of an app (credentials from TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)
  chatops.twilio.chat_services:
    services:
      - name: acme-support-dev
        settings:
          reachability_enabled: true
          notifications:
            new_message:
              enabled: false
      - name: acme-support-stage
        settings:
          reachability_enabled: true
      - name: acme-support-prod
        protected: true
        settings:
          reachability_enabled: true
          limits:
            channel_members: 500
    stray_pattern: "acme-support-[A-Za-z0-9_.]+"
  register: acme_support

- name: Show the services that match the app's names but are not managed
  ansible.builtin.debug:
    msg: "{{ acme_support.strays | map(attribute='friendly_name') | list }}"

- name: Delete dev and the stray acme-support-qa, confirmed by its exact name as written (a stray found but not confirmed fails the task)
  chatops.twilio.chat_services:
    services:
      - name: acme-support-dev
        state: absent
      - name: acme-support-stage
      - name: acme-support-prod
    stray_pattern: "acme-support-[A-Za-z0-9_.]+"
    purge: true
    confirm_delete: [acme-support-qa]

- name: A Chat API v1 service with per-event webhooks
  chatops.twilio.chat_services:
    api_version: v1
    services:
      - name: legacy-chat
        settings:
          webhooks:
            on_message_send:
              url: https://hooks.example.com/twilio/on-message-send
              method: POST

- name: Delete the remaining example services (prod is protected, so it is confirmed by name)
  chatops.twilio.chat_services:
    services:
      - name: acme-support-stage
        state: absent
      - name: acme-support-prod
        state: absent
        protected: true
      - name: legacy-chat
        state: absent
        api_version: v1
    confirm_delete: [acme-support-prod]
'''

RETURN = r'''
services:
  description: One entry per element of O(services), in the same order.
  returned: always
  type: list
  sample: [{"friendly_name": "acme-support-dev", "state": "present", "action": "update", "changed": true}]
  elements: dict
  contains:
    friendly_name:
      description: Name of the service.
      type: str
      sample: acme-support-dev
    state:
      description: The requested state.
      type: str
      sample: present
    api_version:
      description: The Chat API version used for this service.
      type: str
      sample: v2
    sid:
      description: SID of the service; V(null) when absent, and in check mode for a service that would be created.
      type: str
      sample: IS0123456789abcdef0123456789abcdef
    action:
      description: What was (in check mode, would be) done.
      type: str
      choices: [create, update, delete, none]
      sample: update
    changed:
      description: Whether this service was (or would be) created, updated or deleted.
      type: bool
      sample: true
    service:
      description:
        - The service as Twilio returns it (see M(chatops.twilio.chat_service)); in check mode as predicted.
        - With O(services[].state=absent), the deleted service, or V({}) when there was none.
      type: dict
      sample: {"sid": "IS0123456789abcdef0123456789abcdef", "friendly_name": "acme-support-dev"}
    current:
      description: The service as it was listed before this run; V({}) when there was none.
      type: dict
      sample: {"sid": "IS0123456789abcdef0123456789abcdef", "friendly_name": "acme-support-dev"}
    changed_settings:
      description:
        - The dotted names of the managed settings an update changed (in check mode, would change), with or without
          diff mode; V([]) unless C(action) is V(update). Names only, never values.
      type: list
      elements: str
      sample: ["limits.channel_members", "webhook_filters"]
      version_added: "1.2.0"
    diff:
      description: The managed settings before and after; V({}) unless run in diff mode.
      type: dict
      sample: {"before": {"reachability_enabled": false}, "after": {"reachability_enabled": true}}
strays:
  description:
    - Services of the account that are not in O(services) and match O(stray_pattern), as listed (before any purge).
  returned: always
  type: list
  sample: [{"sid": "IS0123456789abcdef0123456789abcdef", "friendly_name": "acme-support-qa"}]
  elements: dict
  contains:
    sid:
      description: SID of the stray service.
      type: str
      sample: IS0123456789abcdef0123456789abcdef
    friendly_name:
      description: Name of the stray service.
      type: str
      sample: acme-support-qa
purged:
  description: The strays that were (in check mode, would be) deleted with O(purge=true).
  returned: always
  type: list
  elements: dict
  sample: [{"sid": "IS0123456789abcdef0123456789abcdef", "friendly_name": "acme-support-qa"}]
not_applied:
  description:
    - The settings Twilio accepted in an update but did not apply (the options' dotted names); the module then
      fails, as the next run would send them again.
  returned: when Twilio did not apply a setting
  type: list
  elements: str
  sample: ["limits.channel_members"]
check_mode:
  description:
    - Whether the module ran in check mode, so that nothing was written and every C(action) is a prediction. A play
      cannot tell otherwise when a task's keyword C(check_mode) sets it, as C(ansible_check_mode) stays V(false) then.
  returned: always
  type: bool
  sample: false
  version_added: "1.2.0"
retries_used:
  description: How many HTTP requests were sent again after a transient failure.
  returned: always
  type: int
  sample: 0
'''

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _chat_fields as cf
from ansible_collections.chatops.twilio.plugins.module_utils import _conversations as conv
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _role_names as role_names
from ansible_collections.chatops.twilio.plugins.module_utils import _set_rules as cs
from ansible_collections.chatops.twilio.plugins.module_utils import _service_set as ss
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable
    from typing import Any


def argument_spec() -> dict[str, Any]:
    spec = ss.argument_spec(dict(api_version=dict(type='str', choices=list(cf.VERSIONS))))
    spec['api_version'] = dict(type='str', choices=list(cf.VERSIONS), default=cf.V2)
    return spec


def desired_of(module: TwilioModule) -> Callable[[dict[str, Any], str], dict[rl.Field, Any]]:
    """The checked settings of an item (with its name) for its API version; raises OptionError."""

    def desired(item: dict[str, Any], where: str) -> dict[rl.Field, Any]:
        version = item['api_version'] or module.params['api_version']
        settings = cs.check_settings(item['settings'], version, where + '.settings') if item['state'] == 'present' else {}
        try:
            return cf.desired_settings(dict(settings, friendly_name=item['friendly_name']), version)
        except OptionError as exc:
            raise OptionError('%s.%s' % (where, exc))

    return desired


def run(module: TwilioModule) -> dict[str, Any]:
    params = module.params
    services = ss.ServiceSet(
        module,
        'chat service',
        'its channels, users and messages',
        'Rename or delete all but one with chatops.twilio.chat_service and sid',
        lifecycle=lambda collection: rl.Lifecycle(
            module,
            collection,
            cf.fields_for(collection.version),
            key='service',
            resolve=lambda record, wanted, created: role_names.resolve(module, cf.PRODUCT, collection.version, record, wanted, created),
        ),
        scope=lambda collection: ' (Chat API %s)' % collection.version,
        default_sid=lambda: conv.default_service_sid(module),
    )
    wanted = services.wanted(lambda item: cf.collection(item['api_version'] or params['api_version']), desired_of(module))
    out = services.run(wanted, cf.collection(params['api_version']))
    for want, result in zip(wanted, out['services']):
        result['api_version'] = want['collection'].version
    return out


def main() -> None:
    module = TwilioModule(resource='chat service', argument_spec=argument_spec(), supports_check_mode=True)
    module.run(run)


if __name__ == '__main__':
    main()
