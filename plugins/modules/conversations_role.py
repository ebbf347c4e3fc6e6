#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: conversations_role
short_description: Manage Twilio Conversations roles, of a service or of the account
version_added: "1.1.0"
description:
  - Create, update and delete a Conversations role. With O(service), a role of that Conversations Service
    (C(/v1/Services/{ChatServiceSid}/Roles)); without it, an account role (C(/v1/Roles)), which belongs to the account's
    default Conversations Service.
  - A role is identified by its O(friendly_name) within its service; Twilio has no rename, so a new O(friendly_name) is
    a new role. When two roles of the service have that name, the module fails and lists their SIDs.
  - Twilio cannot change a role's type. A role of another O(type) fails the task naming both types, and nothing is
    written; the role is never deleted and recreated.
  - Every service comes with four roles, which its C(default_chat_service_role_sid),
    C(default_conversation_role_sid) and C(default_conversation_creator_role_sid) settings point at. Deleting a role
    one of those settings points at is refused; point the setting at another role first
    (M(chatops.twilio.conversations_service)).
  - A Conversations Service is a Chat Service, and its roles are the same objects as its Chat roles
    (M(chatops.twilio.chat_role)); Chat's V(channel) and V(deployment) types are V(conversation) and V(service) here.
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes
  - chatops.twilio.role
options:
  service:
    description:
      - The Conversations Service the role belongs to, by its SID (V(IS) followed by 32 hexadecimal digits) or its
        friendly_name. A name that matches several services fails the task, listing their SIDs.
      - Left out, the role is an account role (of the account's default Conversations Service).
    type: str
  type:
    description:
      - V(conversation) for a role of a conversation's participants, V(service) for a role of the service's users.
      - Required to create the role. Twilio cannot change it; a different type fails the task with no write.
    type: str
    choices: [conversation, service]
  permissions:
    description:
      - The permissions of the role, such as V(sendMessage) or V(leaveConversation), compared as a set (Twilio answers
        them in its own order).
      - Twilio replaces the whole list on each update, so give the whole list. Names are not checked against a closed
        list (Twilio's specs have none, and Chat and Conversations name some permissions differently).
      - Required to create the role. V([]) is refused (a form cannot send an empty list). Left out, the permissions of
        an existing role are left alone.
    type: list
    elements: str
notes:
  - "Requests: one role listing, 50 roles a page (the most Twilio allows for Conversations roles), plus the service
    listing when O(service) is a name. A create adds the POST and a second listing about two seconds later that makes
    concurrent runs creating the same role converge on one; an update adds one POST; a delete adds the GET of the
    service's configuration (for an account role, the account configuration first) and the DELETE."
seealso:
  - module: chatops.twilio.conversations_service
  - module: chatops.twilio.chat_role
  - name: Conversations Service Role resource
    description: The roles of a Conversations service, their conversation and service types, and their permissions.
    link: https://www.twilio.com/docs/conversations/api/service-role-resource
'''

EXAMPLES = r'''
- name: Create a Conversations service for the examples
  chatops.twilio.conversations_service:
    friendly_name: support-conversations
  register: support

- name: A conversation role that can post and leave, but not edit
  chatops.twilio.conversations_role:
    service: support-conversations
    friendly_name: announcer
    type: conversation
    permissions:
      - sendMessage
      - sendMediaMessage
      - leaveConversation

- name: An account role (of the account's default Conversations Service)
  chatops.twilio.conversations_role:
    friendly_name: auditor
    type: service
    permissions:
      - editOwnUserInfo

- name: Delete the announcer role, naming the service by SID
  chatops.twilio.conversations_role:
    service: "{{ support.service.sid }}"
    friendly_name: announcer
    state: absent
'''

RETURN = r'''
role:
  description:
    - The role as returned by Twilio (snake_case). It has the keys of RV(chatops.twilio.chat_role#module:role) (a
      Conversations role is the same object as its Chat role), with C(chat_service_sid) in place of C(service_sid) and
      the Conversations types.
    - In check mode, the predicted role; a role that would be created has no C(sid) yet.
    - With O(state=absent), the role that was (or would be) deleted, or V({}) when there was none.
  returned: always
  type: dict
  sample: {"sid": "RL0123456789abcdef0123456789abcdef", "chat_service_sid": "IS0123456789abcdef0123456789abcdef",
           "friendly_name": "announcer", "type": "conversation", "permissions": ["sendMessage", "leaveConversation"]}
  contains:
    chat_service_sid:
      description: SID of the service the role belongs to.
      type: str
      sample: IS0123456789abcdef0123456789abcdef
    type:
      description: V(conversation) or V(service).
      type: str
      sample: conversation
retries_used:
  description: How many HTTP requests were sent again after a transient failure.
  returned: always
  type: int
  sample: 0
'''

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _roles as roles
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

if TYPE_CHECKING:  # annotations only
    from typing import Any


def argument_spec() -> dict[str, Any]:
    return roles.argument_spec(roles.CONVERSATIONS_TYPES)


def main() -> None:
    module = TwilioModule(argument_spec=argument_spec(), resource='conversations role', supports_check_mode=True)
    module.run(lambda mod: roles.run(mod, roles.CONVERSATIONS))


if __name__ == '__main__':
    main()
