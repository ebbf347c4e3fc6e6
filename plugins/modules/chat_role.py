#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: chat_role
short_description: Manage the roles of a Twilio Programmable Chat Service
version_added: "1.1.0"
description:
  - Create, update and delete a role of a Chat Service (C(/v1|v2/Services/{ServiceSid}/Roles)).
  - A role is identified by its O(friendly_name) within the service; Twilio has no rename, so a new O(friendly_name) is
    a new role. When two roles of the service have that name, the module fails and lists their SIDs.
  - Twilio cannot change a role's type. A role of another O(type) fails the task naming both types, and nothing is
    written; the role is never deleted and recreated.
  - Every service comes with four roles (C(service admin), C(service user), C(channel admin), C(channel user)), which
    its C(default_service_role_sid), C(default_channel_role_sid) and C(default_channel_creator_role_sid) settings point
    at. Deleting a role one of those settings points at is refused; point the setting at another role first
    (M(chatops.twilio.chat_service)).
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes
  - chatops.twilio.role
options:
  service:
    description:
      - The Chat Service the role belongs to, by its SID (V(IS) followed by 32 hexadecimal digits) or its friendly_name.
        A name that matches several services fails the task, listing their SIDs.
    type: str
    required: true
  api_version:
    description:
      - The Chat API version to use. Both manage the same roles.
    type: str
    choices: [v1, v2]
    default: v2
  type:
    description:
      - V(channel) for a role of channel members, V(deployment) for a role of the service's users.
      - Required to create the role. Twilio cannot change it; a different type fails the task with no write.
    type: str
    choices: [channel, deployment]
  permissions:
    description:
      - The permissions of the role, such as V(sendMessage) or V(leaveChannel), compared as a set (Twilio answers them
        in its own order).
      - Twilio replaces the whole list on each update, so give the whole list. Names are not checked against a closed
        list (Twilio's specs have none).
      - Required to create the role. V([]) is refused (a form cannot send an empty list). Left out, the permissions of
        an existing role are left alone.
    type: list
    elements: str
notes:
  - "Requests: one role listing (plus the service listing when O(service) is a name). A create adds the POST and a
    second listing about two seconds later that makes concurrent runs creating the same role converge on one; an
    update adds one POST; a delete adds one GET of the service (with O(service) as a SID) and the DELETE."
seealso:
  - module: chatops.twilio.chat_service
  - module: chatops.twilio.conversations_role
  - name: Chat Role resource
    description: The properties of a Chat role, and the permissions its channel and deployment types take.
    link: https://www.twilio.com/docs/chat/rest/role-resource
'''

EXAMPLES = r'''
- name: Create a Chat service for the examples
  chatops.twilio.chat_service:
    friendly_name: support-chat
  register: chat

- name: A channel role that can post and leave, but not edit
  chatops.twilio.chat_role:
    service: support-chat
    friendly_name: announcer
    type: channel
    permissions:
      - sendMessage
      - sendMediaMessage
      - leaveChannel

- name: Let the service's new users create channels only (the default role named by the service's SID)
  chatops.twilio.chat_role:
    service: "{{ chat.service.sid }}"
    api_version: v1
    friendly_name: service user
    permissions:
      - createChannel
      - joinChannel

- name: Delete the announcer role
  chatops.twilio.chat_role:
    service: support-chat
    friendly_name: announcer
    state: absent
'''

RETURN = r'''
role:
  description:
    - The role as returned by Twilio (snake_case).
    - In check mode, the predicted role; a role that would be created has no RV(role.sid) yet.
    - With O(state=absent), the role that was (or would be) deleted, or V({}) when there was none.
  returned: always
  type: dict
  sample: {"sid": "RL0123456789abcdef0123456789abcdef", "service_sid": "IS0123456789abcdef0123456789abcdef",
           "friendly_name": "announcer", "type": "channel", "permissions": ["sendMessage", "leaveChannel"]}
  contains:
    sid:
      description: SID of the role.
      type: str
      sample: RL0123456789abcdef0123456789abcdef
    service_sid:
      description: SID of the service the role belongs to.
      type: str
      sample: IS0123456789abcdef0123456789abcdef
    friendly_name:
      description: Name of the role.
      type: str
      sample: announcer
    type:
      description: V(channel) or V(deployment).
      type: str
      sample: channel
    permissions:
      description: The role's permissions, in Twilio's order.
      type: list
      elements: str
      sample: [sendMessage, leaveChannel]
retries_used:
  description: How many HTTP requests were sent again after a transient failure.
  returned: always
  type: int
  sample: 0
'''

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _chat_fields as chat
from ansible_collections.chatops.twilio.plugins.module_utils import _roles as roles
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

if TYPE_CHECKING:  # annotations only
    from typing import Any


def argument_spec() -> dict[str, Any]:
    spec = roles.argument_spec(roles.CHAT_TYPES)
    spec['service']['required'] = True
    spec['api_version'] = dict(type='str', choices=list(chat.VERSIONS), default=chat.V2)
    return spec


def main() -> None:
    module = TwilioModule(argument_spec=argument_spec(), resource='chat role', supports_check_mode=True)
    module.run(lambda mod: roles.run(mod, roles.chat_scope(mod.params['api_version'])))


if __name__ == '__main__':
    main()
