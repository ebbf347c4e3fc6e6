#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: conversations_configuration
short_description: Manage the account-level Twilio Conversations configuration
version_added: "1.0.0"
description:
  - Manage the Conversations settings of the whole account, C(/v1/Configuration) (default service, default
    Messaging Service, conversation state timers) and C(/v1/Configuration/Webhooks) (the account's webhooks).
  - Both always exist; nothing is created or deleted. Only the settings you set are managed, each of the two
    resources is read only when the task sets one of its options, and written only when it differs.
  - After each write the module compares Twilio's answer with what it asked for, and fails naming any setting the
    answer does not show.
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes
attributes:
  check_mode:
    details: Sends no write request and returns the predicted configuration.
  diff_mode:
    details: Shows the managed settings before and after.
options:
  default_chat_service_sid:
    description:
      - SID (V(IS...)) of the Conversations Service used when a conversation is created without one. Twilio's spec has no V("") for it, so it is
        refused.
      - Twilio makes a Conversations Service with every account and names it here, so it is never null. The service
        named here cannot be deleted with M(chatops.twilio.conversations_service) or M(chatops.twilio.chat_service)
        (they refuse before any write), and the set modules never take it for a stray.
    type: str
  default_messaging_service_sid:
    description:
      - SID (V(MG...)) of the Messaging Service used when a conversation is created without one. Twilio's spec has no V("") for it, so it is
        refused.
    type: str
  default_inactive_timer:
    description:
      - ISO 8601 duration after which a conversation becomes C(inactive), at least one minute, for example V(PT30M) or
        V(P1D). Weeks, days, hours, minutes and seconds are accepted (years and months have no fixed length).
      - Compared by length, so V(PT60M) and V(PT1H) are the same. V("") clears it.
    type: str
  default_closed_timer:
    description:
      - ISO 8601 duration after which a conversation becomes C(closed), at least ten minutes, for example V(P30D).
      - Compared by length. V("") clears it.
    type: str
  webhooks:
    description:
      - The account's webhooks (C(/v1/Configuration/Webhooks)). Read (and written when they differ) only when one of
        these options is set.
    type: dict
    suboptions:
      pre_webhook_url:
        description: Absolute http(s) URL of the pre-event webhook. V("") clears it.
        type: str
      post_webhook_url:
        description: Absolute http(s) URL of the post-event webhook. V("") clears it.
        type: str
      method:
        description: HTTP method of the webhook requests; it cannot be cleared.
        type: str
        choices: [GET, POST]
      filters:
        description:
          - The events sent to the webhooks; the order does not matter, and V([]) clears the list.
          - The service events listed for O(chatops.twilio.conversations_service#module:webhooks.filters), and
            V(onUserAdded), V(onUserUpdate), V(onUserUpdated).
        type: list
        elements: str
      target:
        description: Where the webhooks are routed, V(webhook) (the URLs above) or V(flex).
        type: str
        choices: [webhook, flex]
notes:
  - "Requests: one GET per resource whose options the task sets, and one POST per resource that differs."
seealso:
  - module: chatops.twilio.conversations_service
  - name: Conversations Configuration resource
    description: Twilio's reference for the account-level configuration.
    link: https://www.twilio.com/docs/conversations/api/configuration-resource
'''

EXAMPLES = r'''
- name: Create a Conversations service to make it the account's default
  chatops.twilio.conversations_service:
    friendly_name: default-conversations
  register: default_service

- name: Set the default service, the state timers and the account webhooks
  chatops.twilio.conversations_configuration:
    default_chat_service_sid: "{{ default_service.service.sid }}"
    default_inactive_timer: PT30M
    default_closed_timer: P30D
    webhooks:
      post_webhook_url: https://hooks.example.com/twilio/conversations
      method: POST
      filters:
        - onConversationAdded
        - onUserAdded

- name: Clear the timers and the account webhooks again
  chatops.twilio.conversations_configuration:
    default_inactive_timer: ""
    default_closed_timer: ""
    webhooks:
      post_webhook_url: ""
      filters: []

# The service the account's configuration names cannot be deleted (conversations_service refuses it before any
# write): make another service the default first.
'''

RETURN = r'''
configuration:
  description:
    - The resources the task manages, as returned by Twilio (snake_case); in check mode, as predicted.
    - The settings of C(/v1/Configuration) at the top level when one of its options is set (C(default_chat_service_sid),
      C(default_messaging_service_sid), C(default_inactive_timer) and C(default_closed_timer), with the meaning of the
      options of the same names), and RV(configuration.webhooks) when O(webhooks) is set.
  returned: always
  type: dict
  sample: {"default_chat_service_sid": "IS0123456789abcdef0123456789abcdef",
           "default_messaging_service_sid": "MG0123456789abcdef0123456789abcdef",
           "default_inactive_timer": "PT30M", "default_closed_timer": "P30D"}
  contains:
    webhooks:
      description: The account's webhooks.
      returned: when O(webhooks) is set
      type: dict
      sample: {"pre_webhook_url": null, "post_webhook_url": "https://hooks.example.com/post", "method": "POST",
               "filters": ["onConversationAdded"], "target": "webhook"}
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


def argument_spec() -> dict[str, Any]:
    return rl.argument_spec(conv.account_fields())


def run(module: TwilioModule) -> dict[str, Any]:
    # Validate and compute desired, before any request.
    wanted = rl.desired(conv.account_fields(), module.params)
    for warning in conv.filter_warnings(wanted):
        module.warn(warning)

    change = rl.Change(module)
    configuration = change.singletons(conv.managed_settings(wanted, conv.ACCOUNT_SETTINGS), {}, wanted, None, fresh=False)
    return change.result('configuration', configuration)


def main() -> None:
    module = TwilioModule(
        resource='conversations configuration',
        argument_spec=argument_spec(),
        required_one_of=[[f.path[0] for f in conv.ACCOUNT_CONFIGURATION.fields] + ['webhooks']],
        supports_check_mode=True,
    )
    module.run(run)


if __name__ == '__main__':
    main()
