# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """The settings of a Conversations Service (chatops.twilio.conversations_service).

    Mirrors ``plugins/module_utils/_conversations.py`` (``SERVICE_SETTINGS``); ``tests/unit/test_settings_sync.py``
    keeps them in sync. Every setting defaults to unset, which leaves it as it is at Twilio.
    """

    DOCUMENTATION = r'''
options:
  configuration:
    description:
      - The service's C(Configuration) resource. It is read (and written when it differs) only when one of these
        options is set.
    type: dict
    suboptions:
      default_chat_service_role_sid:
        description:
          - SID (V(RL...)) of the service-level Role of users added to the service. Twilio's spec has no V("") for it, so it is refused.
          - Or the C(friendly_name) of one of the service's roles, such as V(channel admin), found by one listing of
            its roles; an unknown or ambiguous name fails with no write. The rule is that of
            O(chatops.twilio.chat_service#module:default_service_role_sid) (a Conversations role is its Chat role).
        type: str
      default_conversation_role_sid:
        description:
          - SID (V(RL...)) of the conversation-level Role of users added to a conversation. Twilio's spec has no V("") for it, so it is refused.
          - Or the C(friendly_name) of one of the service's roles, as for O(configuration.default_chat_service_role_sid).
        type: str
      default_conversation_creator_role_sid:
        description:
          - SID (V(RL...)) of the conversation-level Role of the creator of a conversation. Twilio's spec has no V("") for it, so it is refused.
          - Or the C(friendly_name) of one of the service's roles, as for O(configuration.default_chat_service_role_sid).
        type: str
      reachability_enabled:
        description:
          - Whether the Reachability Indicator is enabled. Twilio defaults to V(false).
        type: bool
  notifications:
    description:
      - The service's push notification settings (C(Configuration/Notifications)). Read (and written when they
        differ) only when one of these options is set. Only the keys you set are managed.
    type: dict
    suboptions:
      log_enabled:
        description:
          - Whether notification logging is enabled. Twilio defaults to V(false).
        type: bool
      added_to_conversation:
        description: Notifications of a participant added to a conversation.
        type: dict
        # The suboptions every event notification has, written once (YAML anchors, aliases and merge keys); a new
        # message with media has no sound of its own.
        suboptions: &event_notification
          <<: &notification_text
            enabled:
              description: Whether to send them. Twilio defaults to V(false).
              type: bool
            template:
              description: Template of the notification text. V("") clears it.
              type: str
          sound:
            description: Name of the sound to play. V("") clears it.
            type: str
      removed_from_conversation:
        description: Notifications to a user removed from a conversation.
        type: dict
        suboptions: *event_notification
      new_message:
        description: Notifications of a new message in a conversation.
        type: dict
        suboptions:
          <<: *event_notification
          badge_count_enabled:
            description: Whether the new message badge is enabled. Twilio defaults to V(false).
            type: bool
          with_media:
            description: Notifications of a new message with media or file attachments.
            type: dict
            suboptions: *notification_text
  webhooks:
    description:
      - The service's webhook settings (C(Configuration/Webhooks)). Read (and written when they differ) only when one
        of these options is set.
    type: dict
    suboptions:
      pre_webhook_url:
        description:
          - Absolute http(s) URL of the pre-event webhook. V("") clears it.
        type: str
      post_webhook_url:
        description:
          - Absolute http(s) URL of the post-event webhook. V("") clears it.
        type: str
      method:
        description:
          - HTTP method of the webhook requests. Twilio defaults to V(POST); it cannot be cleared.
        type: str
        choices: [GET, POST]
      filters:
        description:
          - The events sent to the webhooks; the order does not matter, and V([]) clears the list.
          - "One or more of V(onMessageAdd), V(onMessageAdded), V(onMessageUpdate), V(onMessageUpdated),
            V(onMessageRemove), V(onMessageRemoved), V(onConversationAdd), V(onConversationAdded),
            V(onConversationUpdate), V(onConversationUpdated), V(onConversationRemove), V(onConversationRemoved),
            V(onConversationStateUpdated), V(onParticipantAdd), V(onParticipantAdded), V(onParticipantUpdate),
            V(onParticipantUpdated), V(onParticipantRemove), V(onParticipantRemoved), V(onDeliveryUpdated)."
        type: list
        elements: str
'''
