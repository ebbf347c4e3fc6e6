#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: conversations_services
short_description: Manage a set of Twilio Conversations Services in one run
version_added: "1.1.0"
description:
  - Converges a list of Conversations services of one account in one process. The account's services are listed once
    (ceil(N/100) requests for N services); then, per service, only the settings resources it manages are read, and
    only what differs is written.
  - A Conversations Service is the same object as a Programmable Chat Service (same C(IS) SID), so a service created
    with M(chatops.twilio.chat_services) is found and managed here without being recreated.
  - For one service with a SID, use M(chatops.twilio.conversations_service).
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
          - Exact name of the service, at most 256 characters.
        type: str
        required: true
        aliases: [name]
      state:
        description:
          - V(present) creates the service or makes its settings so; V(absent) deletes it, a O(services[].protected) one only
            when O(confirm_delete) names it.
        type: str
        choices: [present, absent]
        default: present
      settings:
        description:
          - The settings of M(chatops.twilio.conversations_service), with the same names, nesting and meaning,
            C(configuration) (for example C(configuration.reachability_enabled)), C(notifications) (for example
            C(notifications.new_message.enabled)) and C(webhooks) (for example C(webhooks.post_webhook_url)). Only
            the settings given are managed, and a settings resource none of whose settings is given is not read.
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
notes:
  - "Requests: the listing (ceil(N/100) GETs), then per existing service one GET per settings resource it manages
    (C(configuration), C(notifications), C(webhooks): Conversations keeps them apart from the service) and one POST per
    resource that differs. Creating services costs one POST each, one more listing about two seconds after the last
    (it makes concurrent runs creating the same name converge on one service), and one POST per managed resource that
    differs from Twilio's defaults for a new service. A deletion is one DELETE. A run that finds a service made less
    than two seconds before its listing (by Twilio's clock) lists once more, two seconds later: a concurrent run may be
    creating the same name, and the namesake that run keeps is taken. A run that created services or found them that
    young lists once more before it returns, to confirm that every service it reports still exists."
  - Deleting a Conversations service deletes all of its conversations, users and messages.
seealso:
  - module: chatops.twilio.conversations_service
  - module: chatops.twilio.conversations_service_info
  - module: chatops.twilio.chat_services
  - name: Conversations Service resource
    description: What each element of O(services) is; its settings resources are linked from there.
    link: https://www.twilio.com/docs/conversations/api/service-resource
'''

EXAMPLES = r'''
- name: Converge the dev, stage and prod Conversations services of an app (credentials from TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)
  chatops.twilio.conversations_services:
    services:
      - name: acme-conversations-dev
        settings:
          configuration:
            reachability_enabled: true
          notifications:
            new_message:
              enabled: false
      - name: acme-conversations-stage
        settings:
          configuration:
            reachability_enabled: true
          webhooks:
            post_webhook_url: https://hooks.staging.example.com/twilio/conversations
            method: POST
            filters: [onMessageAdded, onConversationAdded]
      - name: acme-conversations-prod
        protected: true
        settings:
          configuration:
            reachability_enabled: true
          webhooks:
            post_webhook_url: https://hooks.example.com/twilio/conversations
            method: POST
            filters: [onMessageAdded, onConversationAdded]
    stray_pattern: "acme-conversations-[A-Za-z0-9_.]+"
  register: acme_conversations

- name: Show the services that match the app's names but are not managed
  ansible.builtin.debug:
    msg: "{{ acme_conversations.strays | map(attribute='friendly_name') | list }}"

- name: Delete dev and the stray acme-conversations-qa, confirmed by its exact name as written (a stray found but not confirmed fails the task)
  chatops.twilio.conversations_services:
    services:
      - name: acme-conversations-dev
        state: absent
      - name: acme-conversations-stage
      - name: acme-conversations-prod
    stray_pattern: "acme-conversations-[A-Za-z0-9_.]+"
    purge: true
    confirm_delete: [acme-conversations-qa]

- name: Delete the remaining example services (prod is protected, so it is confirmed by name)
  chatops.twilio.conversations_services:
    services:
      - name: acme-conversations-stage
        state: absent
      - name: acme-conversations-prod
        state: absent
        protected: true
    confirm_delete: [acme-conversations-prod]
'''

RETURN = r'''
services:
  description:
    - One entry per element of O(services), in the same order, with the keys of
      RV(chatops.twilio.chat_services#module:services) but C(api_version) (C(friendly_name), C(state), C(sid), C(action),
      C(changed), C(service), C(current), C(changed_settings), C(diff)). Those that differ for Conversations are below.
  returned: always
  type: list
  sample: [{"friendly_name": "acme-conversations-dev", "state": "present", "action": "create", "changed": true}]
  elements: dict
  contains:
    changed:
      description: Whether this service was (or would be) created, deleted, or had a setting changed.
      type: bool
      sample: true
    service:
      description:
        - The service as Twilio lists it, with the settings resources it manages under C(configuration),
          C(notifications) and C(webhooks) (see M(chatops.twilio.conversations_service)); in check mode as predicted.
        - With O(services[].state=absent), the deleted service, or V({}) when there was none.
      type: dict
      sample: {"sid": "IS0123456789abcdef0123456789abcdef", "friendly_name": "acme-conversations-dev",
               "configuration": {"reachability_enabled": true}}
    current:
      description: The service as it was listed before this run (without its settings); V({}) when there was none.
      type: dict
      sample: {"sid": "IS0123456789abcdef0123456789abcdef", "friendly_name": "acme-conversations-dev"}
    changed_settings:
      description: The dotted names of the managed settings an update changed, as in M(chatops.twilio.chat_services).
      type: list
      elements: str
      sample: ["webhooks.filters"]
      version_added: "1.2.0"
    diff:
      description: The SID, the name and the managed settings before and after; V({}) unless run in diff mode.
      type: dict
      sample: {"before": {"configuration": {"reachability_enabled": false}},
               "after": {"configuration": {"reachability_enabled": true}}}
strays:
  description: The stray Conversations services (C(sid), C(friendly_name)), as RV(chatops.twilio.chat_services#module:strays).
  returned: always
  type: list
  elements: dict
  sample: [{"sid": "IS0123456789abcdef0123456789abcdef", "friendly_name": "acme-conversations-qa"}]
purged:
  description: The strays deleted with O(purge=true), as RV(chatops.twilio.chat_services#module:purged).
  returned: always
  type: list
  elements: dict
  sample: [{"sid": "IS0123456789abcdef0123456789abcdef", "friendly_name": "acme-conversations-qa"}]
not_applied:
  description:
    - The settings Twilio accepted in an update but did not apply (the settings' dotted names); the module then
      fails, as the next run would send them again.
  returned: when Twilio did not apply a setting
  type: list
  elements: str
  sample: ["webhooks.method"]
check_mode:
  description: Whether the module ran in check mode, as RV(chatops.twilio.chat_services#module:check_mode) explains.
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

from ansible_collections.chatops.twilio.plugins.module_utils import _set_rules as cs
from ansible_collections.chatops.twilio.plugins.module_utils import _conversations as conv
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _role_names as role_names
from ansible_collections.chatops.twilio.plugins.module_utils import _service_set as ss
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError

if TYPE_CHECKING:  # annotations only
    from typing import Any
    from ansible_collections.chatops.twilio.plugins.module_utils._fields import Field


def desired(item: dict[str, Any], where: str) -> dict[rl.Field, Any]:
    """{Field: value} of the item's name and settings, checked; raises OptionError naming ``where``."""
    settings = cs.check_conversations_settings(item['settings'], where + '.settings') if item['state'] == 'present' else {}
    try:
        return rl.desired(conv.service_fields(), dict(settings, friendly_name=item['friendly_name']))
    except OptionError as exc:
        raise OptionError('%s.%s' % (where, exc))


def warned(module: TwilioModule, wanted: dict[Field, Any], where: str) -> dict[Field, Any]:
    """``wanted``, after warning about the webhook event names Twilio does not document."""
    for warning in conv.filter_warnings(wanted, where + '.settings.'):
        module.warn(warning)
    return wanted


def run(module: TwilioModule) -> dict[str, Any]:
    services = ss.ServiceSet(
        module,
        'conversations service',
        'its conversations, users and messages',
        'Delete all but one with chatops.twilio.conversations_service, sid and state=absent',
        lifecycle=lambda collection: rl.Lifecycle(module, collection, shown=lambda record, managed: conv.identity(record or {}), key='service'),
        default_sid=lambda: conv.default_service_sid(module),
    )

    def settings(want: dict[str, Any], change: rl.Change, service: dict[str, Any], adopted: bool) -> dict[str, Any]:
        """The service with the settings resources it manages, made so (a new one has the documented defaults)."""
        managed = conv.managed_settings(want['desired'])
        wanted = role_names.resolve(module, conv.PRODUCT, conv.VERSION, service, want['desired'], change.is_new and not adopted)
        return change.singletons(managed, service, wanted, 'conversations service %s' % want['name'], fresh=change.is_new and not adopted)

    wanted = services.wanted(lambda item: conv.SERVICES, lambda item, where: warned(module, desired(item, where), where))
    return services.run(wanted, conv.SERVICES, settings)


def main() -> None:
    module = TwilioModule(resource='conversations service', argument_spec=ss.argument_spec(), supports_check_mode=True)
    module.run(run)


if __name__ == '__main__':
    main()
