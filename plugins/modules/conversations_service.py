#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: conversations_service
short_description: Manage Twilio Conversations Services and their configuration
version_added: "1.0.0"
description:
  - Create and delete Twilio Conversations Services, and manage their configuration, push notification and webhook
    settings.
  - A service is identified by O(sid), or else by O(friendly_name). Twilio does not keep friendly names unique; when a
    name matches several services the module fails and lists their SIDs.
  - A Conversations Service is the same object as a Programmable Chat Service (same C(IS) SID). A service managed so
    far with M(chatops.twilio.chat_service) can be managed with this module without being recreated; see
    C(docs/migrating-chat-to-conversations.md) in the collection.
  - Only the settings you set are managed. O(configuration), O(notifications) and O(webhooks) are separate Twilio
    resources; each is read only when the task sets one of its options, and written only when it differs. A run
    that would change nothing sends no write request.
  - After each write the module compares Twilio's answer with what it asked for, and fails naming any setting the
    answer does not show.
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes
  - chatops.twilio.conversations_settings
attributes:
  check_mode:
    details: Sends no write request and returns the predicted service.
  diff_mode:
    details:
      - Shows the SID, the name and the managed settings before and after. On create C(before) is empty, on delete
        C(after) is empty.
options:
  state:
    description:
      - V(present) creates the service if needed and makes the settings so, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  sid:
    description:
      - SID of the service, V(IS) followed by 32 hexadecimal digits. A service cannot be created with a given SID.
      - With O(sid), O(friendly_name) must be the service's name (Conversations cannot rename a service); a mismatch
        fails the task before any write, also with O(state=absent).
    type: str
  friendly_name:
    description:
      - Name of the service, at most 256 characters. Identifies the service when O(sid) is not set, and is required
        to create one.
    type: str
    aliases: [name]
notes:
  - "Requests: with O(sid), one GET for the service plus one GET per managed settings resource; with
    O(friendly_name), the service listing instead of the first GET. A create costs the listing, the POST, a second
    listing about two seconds later that makes concurrent runs creating the same name converge on one service, and
    one POST per managed settings resource that differs from Twilio's defaults for a new service."
  - Twilio creates a service's default roles with it, so role SIDs set on a new service are always written.
  - Twilio makes a default Conversations Service with every account (named V(Default Conversations Service) unless
    renamed in the Console), and the account's configuration names it (C(default_chat_service_sid),
    M(chatops.twilio.conversations_configuration)). O(state=absent) on that service fails before any write, also in
    check mode; make another service the default first. A delete costs one read of the account configuration more.
seealso:
  - module: chatops.twilio.conversations_service_info
  - module: chatops.twilio.conversations_configuration
  - module: chatops.twilio.chat_service
  - name: Conversations Service resource
    description: The service itself; its configuration, notifications and webhooks are resources of their own, linked from there.
    link: https://www.twilio.com/docs/conversations/api/service-resource
'''

EXAMPLES = r'''
- name: Create or update a Conversations service (credentials from TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)
  chatops.twilio.conversations_service:
    friendly_name: support-conversations
    configuration:
      reachability_enabled: true
    notifications:
      new_message:
        enabled: true
        template: "${PARTICIPANT}: ${MESSAGE}"
        badge_count_enabled: true
        with_media:
          enabled: true
          template: "${PARTICIPANT} sent a file"
    webhooks:
      post_webhook_url: https://hooks.example.com/twilio/conversations
      method: POST
      filters:
        - onMessageAdded
        - onConversationAdded
  register: support

- name: Clear the post-event webhook and its filters, by SID
  chatops.twilio.conversations_service:
    sid: "{{ support.service.sid }}"
    webhooks:
      post_webhook_url: ""
      filters: []

- name: Delete the service
  chatops.twilio.conversations_service:
    sid: "{{ support.service.sid }}"
    state: absent
'''

RETURN = r'''
service:
  description:
    - The service as returned by Twilio (snake_case), with the settings resources the task manages under
      RV(service.configuration), RV(service.notifications) and RV(service.webhooks).
    - Of the service itself Conversations shows C(sid), C(account_sid), C(friendly_name), C(date_created),
      C(date_updated), C(url) and C(links), described under RV(chatops.twilio.chat_service#module:service) (a
      Conversations Service is a Chat v2 Service).
    - In check mode, the predicted service; a service that would be created has no C(sid) yet.
    - With O(state=absent), the service that was (or would be) deleted, or V({}) when there was none.
  returned: always
  type: dict
  sample: {"sid": "IS0123456789abcdef0123456789abcdef", "friendly_name": "support-conversations"}
  contains:
    configuration:
      description:
        - The service's configuration (default role SIDs, whether the Reachability Indicator is enabled).
        - Returned when O(configuration) is set. On a create that needed no write, Twilio's documented defaults.
      returned: when O(configuration) is set
      type: dict
      sample: {"reachability_enabled": true, "default_chat_service_role_sid": "RL0123456789abcdef0123456789abcdef"}
    notifications:
      description:
        - The service's push notification settings.
        - Returned when O(notifications) is set. On a create that needed no write, Twilio's documented defaults.
      returned: when O(notifications) is set
      type: dict
      sample: {"log_enabled": false, "new_message": {"enabled": true, "template": "${MESSAGE}", "sound": null,
               "badge_count_enabled": false, "with_media": {"enabled": false, "template": null}}}
    webhooks:
      description:
        - The service's webhook settings.
        - Returned when O(webhooks) is set. On a create that needed no write, Twilio's documented defaults.
      returned: when O(webhooks) is set
      type: dict
      sample: {"pre_webhook_url": null, "post_webhook_url": "https://hooks.example.com/post", "method": "POST",
               "filters": ["onMessageAdded"]}
retries_used:
  description: How many HTTP requests were sent again after a transient failure.
  returned: always
  type: int
  sample: 0
'''

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _conversations as conv
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _role_names as role_names
from ansible_collections.chatops.twilio.plugins.module_utils._fields import record_spec
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

if TYPE_CHECKING:  # annotations only
    from typing import Any


def argument_spec() -> dict[str, Any]:
    return record_spec(rl.argument_spec(conv.service_fields()))


def run(module: TwilioModule) -> dict[str, Any]:
    params = module.params
    sid, name, state = params['sid'], params['friendly_name'], params['state']

    # Validate and compute desired, before any request.
    conv.SERVICES.check_sid(sid)
    wanted = rl.desired(conv.service_fields(), params)
    for warning in conv.filter_warnings(wanted):
        module.warn(warning)
    label = name or sid

    current = rl.find(module, conv.SERVICES, sid, name)
    service = rl.Lifecycle(module, conv.SERVICES, shown=lambda record, managed: conv.identity(record or {}), key='service')
    service.guard(current, sid, name, state, immutable=conv.RENAME_REFUSED)
    change = rl.Change(module)
    if state == 'absent':
        conv.refuse_default_delete(module, current, 'conversations service')
        return change.result('service', service.absent(change, current, label))
    record, adopted = service.present(change, current, wanted, label)
    wanted = role_names.resolve(module, conv.PRODUCT, conv.VERSION, record, wanted, change.is_new and not adopted)
    settings = conv.managed_settings(wanted)
    return change.result('service', change.singletons(settings, record, wanted, 'conversations service %s' % label, fresh=change.is_new and not adopted))


def main() -> None:
    TwilioModule(resource='conversations service', argument_spec=argument_spec(), required_one_of=[('sid', 'friendly_name')], supports_check_mode=True).run(run)


if __name__ == '__main__':
    main()
