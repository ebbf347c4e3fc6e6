#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: chat_service
short_description: Manage Twilio Programmable Chat Services
version_added: "1.0.0"
description:
  - Create, update and delete Twilio Programmable Chat Services (Chat API v2 or v1).
  - A service is identified by O(sid), or else by O(friendly_name). Twilio does not keep friendly names unique; when a
    name matches several services the module fails and lists their SIDs.
  - B(Concurrent runs.) Runs that create the same new O(friendly_name) at the same time (two pipelines, a retried
    job) converge on one service. Two seconds after its create, each run lists the services until the listing shows
    its own new service (Twilio's listings may show a new service seconds after a fetch by SID finds it; the run
    looks again for up to O(retry_timeout), and when the listing lagged, once more a second and a half later so
    that a namesake made in the same second shows too). It then keeps the oldest namesake (by C(date_created), then
    SID); a run whose own service is not the oldest deletes that service (created seconds before, it holds nothing)
    and manages the oldest instead, with a warning. A run that finds several namesakes looks again twice, two
    seconds apart, before it reports them as ambiguous.
  - If the listing never shows the new service within O(retry_timeout), the run keeps it and warns, naming its
    SID. If the losing run cannot delete its duplicate, it fails with a message naming the SID kept, the leftover
    and the task that removes it. How long Twilio's listings may lag is not documented; these bounds rest on our
    own reading.
  - B(Unknown outcomes.) A create answered by a 5xx (also Twilio's own JSON 500 or 503, after which the service may
    still appear), a read timeout or a dropped connection has an unknown outcome. The run looks for the service
    (about 7 to 15 seconds with the default O(retries)) before anything else, and adopts it if it appears. After
    Twilio's JSON 500/503 with no service appearing it sends the create again (and deletes a late twin in the
    namesake check); after a timeout or a dropped connection it never sends it again in the same run. If the
    service only appears after the run gave up, the next run adopts it.
  - Only the settings you set are managed; unset settings are left as they are at Twilio. A run that would change
    nothing sends no write request.
  - Twilio creates a service with a name only, so a new service is created and then updated once with the other
    settings (only when they differ from Twilio's defaults).
  - After every write the module compares Twilio's answer with what it sent. When Twilio accepted a write but did
    not apply a setting, the task fails and names the setting (in RV(not_applied)), rather than report a change that
    the next run would make again.
  - Programmable Chat is deprecated by Twilio; it remains available to Flex accounts.
  - Chat services are Conversations services (one object), so the default Conversations Service Twilio makes with
    every account is listed here too. O(state=absent) on that service (the one the account's Conversations
    configuration names, M(chatops.twilio.conversations_configuration)) fails before any write, also in check mode;
    make another service the default first. A delete costs one read of the account configuration more.
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes
  - chatops.twilio.chat_settings
attributes:
  check_mode:
    details: Sends no write request and returns the predicted service.
  diff_mode:
    details: Shows the managed settings before and after. On create C(before) is empty, on delete C(after) is empty.
options:
  state:
    description:
      - V(present) creates the service or updates its settings, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  sid:
    description:
      - SID of the service, V(IS) followed by 32 hexadecimal digits.
      - With O(sid), O(friendly_name) renames the service. A service cannot be created with a given SID.
      - With O(state=absent), O(sid) and O(friendly_name), the service is deleted only when it has that friendly name;
        otherwise the module fails before the delete, so a mistaken SID does not delete another service.
    type: str
  friendly_name:
    description:
      - Name of the service. Identifies the service when O(sid) is not set, and is required to create one.
      - At most 64 characters with O(api_version=v1).
    type: str
    aliases: [name]
  api_version:
    description:
      - Chat REST API version. The versions share the services but not all settings; a setting the chosen version does
        not have is an error.
    type: str
    choices: [v1, v2]
    default: v2
seealso:
  - module: chatops.twilio.chat_service_info
  - name: Chat Service resource (v2)
    description: Every property of a Chat service (v2), with what each setting does.
    link: https://www.twilio.com/docs/chat/rest/service-resource
'''

EXAMPLES = r'''
- name: Create or update a Chat service (credentials from TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN)
  chatops.twilio.chat_service:
    friendly_name: support-chat
    reachability_enabled: true
    typing_indicator_timeout: 10
    post_webhook_url: https://hooks.example.com/twilio/chat
    webhook_method: POST
    webhook_filters:
      - onMessageSent
      - onChannelAdded
    limits:
      channel_members: 500
      user_channels: 250
    notifications:
      new_message:
        enabled: true
        template: "${USER}: ${MESSAGE}"
        badge_count_enabled: true
    media:
      compatibility_message: Media messages are not supported by this app.
  register: support_chat

- name: Set the connection once for every chatops.twilio module
  module_defaults:
    group/chatops.twilio.twilio:
      account_sid: "{{ twilio_account_sid }}"
      auth_token: "{{ twilio_auth_token }}"
  block:
    - name: Rename the service by SID and clear its pre-event webhook
      chatops.twilio.chat_service:
        sid: "{{ support_chat.service.sid }}"
        friendly_name: support-chat-prod
        pre_webhook_url: ""

    - name: Delete the service
      chatops.twilio.chat_service:
        sid: "{{ support_chat.service.sid }}"
        state: absent

- name: Manage a service with the v1 API and per-event webhooks
  chatops.twilio.chat_service:
    name: legacy-chat
    api_version: v1
    webhooks:
      on_message_send:
        url: https://hooks.example.com/twilio/on-message-send
        method: POST
      on_member_added:
        url: https://hooks.example.com/twilio/on-member-added
        method: GET

- name: Delete the v1 service by name
  chatops.twilio.chat_service:
    name: legacy-chat
    api_version: v1
    state: absent
'''

RETURN = r'''
service:
  description:
    - The service as returned by Twilio (snake_case). In check mode, the predicted service; a service that would be
      created has no RV(service.sid) yet.
    - With O(state=absent), the service that was (or would be) deleted, or V({}) when there was none.
  returned: always
  type: dict
  sample: {"sid": "IS0123456789abcdef0123456789abcdef", "friendly_name": "acme-support", "reachability_enabled": true}
  contains:
    sid:
      description: SID of the service.
      type: str
      sample: IS0123456789abcdef0123456789abcdef
    account_sid:
      description: SID of the account that owns the service.
      type: str
      sample: AC0123456789abcdef0123456789abcdef
    friendly_name:
      description: Name of the service.
      type: str
      sample: support-chat
    date_created:
      description: When the service was created (ISO 8601).
      type: str
      sample: "2025-07-30T20:00:00Z"
    date_updated:
      description: When the service was last updated (ISO 8601).
      type: str
      sample: "2025-07-30T20:00:00Z"
    default_service_role_sid:
      description: SID of the role given to new users of the service, also when O(default_service_role_sid) named it.
      type: str
      sample: RL0123456789abcdef0123456789abcdef
    default_channel_role_sid:
      description: SID of the role given to new channel members.
      type: str
      sample: RL0123456789abcdef0123456789abcdef
    default_channel_creator_role_sid:
      description: SID of the role given to the creator of a channel.
      type: str
      sample: RL0123456789abcdef0123456789abcdef
    read_status_enabled:
      description: Whether read status is enabled.
      type: bool
      sample: true
    reachability_enabled:
      description: Whether the Reachability Indicator is enabled.
      type: bool
      sample: false
    typing_indicator_timeout:
      description: Typing indicator timeout in seconds.
      type: int
      sample: 5
    consumption_report_interval:
      description: Consumption report interval in seconds (deprecated).
      type: int
      sample: 10
    limits:
      description: Service limits.
      type: dict
      sample: {"channel_members": 250, "user_channels": 100}
    pre_webhook_url:
      description: URL of pre-event webhooks.
      type: str
      sample: https://hooks.example.com/twilio/pre
    post_webhook_url:
      description: URL of post-event webhooks.
      type: str
      sample: https://hooks.example.com/twilio/post
    webhook_method:
      description: HTTP method of the pre- and post-event webhooks.
      type: str
      sample: POST
    webhook_filters:
      description: Enabled webhook events.
      type: list
      elements: str
      sample: ["onMessageSent"]
    pre_webhook_retry_count:
      description: Retries of pre-event webhooks (v2 only).
      type: int
      sample: 0
    post_webhook_retry_count:
      description: Retries of post-event webhooks (v2 only).
      type: int
      sample: 0
    notifications:
      description: Push notification settings.
      type: dict
      sample: {"log_enabled": false, "new_message": {"enabled": true, "template": "${USER}: ${MESSAGE}"}}
    media:
      description: Media settings (v2 only).
      type: dict
      sample: {"compatibility_message": "Media messages are not supported", "size_limit_mb": 150}
    webhooks:
      description: Per-event webhooks (v1 only), keyed by event.
      type: dict
      sample: {"on_message_send": {"url": "https://hooks.example.com/send", "method": "POST", "format": "json"}}
    url:
      description: Absolute URL of the service resource.
      type: str
      sample: https://chat.twilio.com/v2/Services/IS0123456789abcdef0123456789abcdef
    links:
      description: URLs of the service's sub-resources.
      type: dict
      sample: {"channels": "https://chat.twilio.com/v2/Services/IS0123456789abcdef0123456789abcdef/Channels"}
not_applied:
  description:
    - The settings (dotted option names) that Twilio answered a write without applying. The task fails with a message
      naming each with the value sent and the value Twilio has.
  returned: when Twilio did not apply a setting
  type: list
  elements: str
  sample: ["limits.channel_members"]
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
from ansible_collections.chatops.twilio.plugins.module_utils._fields import record_spec
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

if TYPE_CHECKING:  # annotations only
    from typing import Any


def argument_spec() -> dict[str, Any]:
    return record_spec(cf.settings_argument_spec(), api_version=dict(type='str', choices=list(cf.VERSIONS), default=cf.V2))


def run(module: TwilioModule) -> dict[str, Any]:
    params = module.params
    version, sid, name, state = params['api_version'], params['sid'], params['friendly_name'], params['state']
    services = cf.collection(version)

    # Validate and compute desired, before any request.
    services.check_sid(sid)
    desired = {}
    if state == 'present' or not sid:
        desired = cf.desired_settings(params if state == 'present' else {'friendly_name': name}, version)

    current = rl.find(module, services, sid, name)
    service = rl.Lifecycle(
        module,
        services,
        cf.fields_for(version),
        key='service',
        resolve=lambda record, wanted, created: role_names.resolve(module, cf.PRODUCT, version, record, wanted, created),
    )
    service.guard(current, sid, name, state, scope=' (Chat API %s)' % version)
    change = rl.Change(module)
    if state == 'present':
        record, dummy = service.present(change, current, desired, name or sid)
    else:
        conv.refuse_default_delete(module, current, 'chat service')
        record = service.absent(change, current, name or sid)
    return change.result('service', record)


def main() -> None:
    TwilioModule(resource='chat service', argument_spec=argument_spec(), required_one_of=[('sid', 'friendly_name')], supports_check_mode=True).run(run)


if __name__ == '__main__':
    main()
