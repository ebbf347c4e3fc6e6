# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    """The writable Chat Service settings of chatops.twilio.chat_service.

    Mirrors ``plugins/module_utils/_chat_fields.py`` (``FIELDS``); ``tests/unit/test_settings_sync.py`` keeps them in
    sync: names, nesting, types, choices, and the API versions ("Only with O(api_version=...)").
    Every setting defaults to unset, which leaves it as it is at Twilio.
    """

    DOCUMENTATION = r'''
options:
  default_service_role_sid:
    description:
      - SID (V(RL...)) of the Role assigned to new users of the service.
      - Or the C(friendly_name) of one of the service's roles, such as V(channel admin). One listing of its roles
        finds the SID. A name no role has, or that several have, fails with no write, listing the roles. A value of
        V(RL) and letters and digits only is taken for a SID.
    type: str
  default_channel_role_sid:
    description:
      - SID (V(RL...)) of the Role assigned to new channel members.
      - Or the C(friendly_name) of one of the service's roles, as for O(default_service_role_sid).
    type: str
  default_channel_creator_role_sid:
    description:
      - SID (V(RL...)) of the Role assigned to the creator of a channel.
      - Or the C(friendly_name) of one of the service's roles, as for O(default_service_role_sid).
    type: str
  read_status_enabled:
    description:
      - Whether the Message Consumption Horizon (read status) feature is enabled. Twilio defaults to V(true).
    type: bool
  reachability_enabled:
    description:
      - Whether the Reachability Indicator is enabled. Twilio defaults to V(false).
    type: bool
  typing_indicator_timeout:
    description:
      - Seconds after a started typing event until clients assume the user stopped typing. Twilio defaults to 5.
    type: int
  consumption_report_interval:
    description:
      - DEPRECATED at Twilio. Interval in seconds between consumption report batches from client endpoints.
    type: int
  pre_webhook_url:
    description:
      - URL for pre-event webhooks, called with O(webhook_method). V("") clears it.
    type: str
  post_webhook_url:
    description:
      - URL for post-event webhooks, called with O(webhook_method). V("") clears it.
    type: str
  webhook_method:
    description:
      - HTTP method for calls to O(pre_webhook_url) and O(post_webhook_url). Twilio defaults to V(POST).
    type: str
    choices: [GET, POST]
  webhook_filters:
    description:
      - Webhook events enabled for the service, for example V(onMessageSend) or V(onChannelDestroyed).
      - The list is set exactly (order does not matter); V([]) clears it.
    type: list
    elements: str
  pre_webhook_retry_count:
    description:
      - How many times Twilio retries a pre-event webhook after a timeout or HTTP 429, 503 or 504. Only with
        O(api_version=v2).
    type: int
  post_webhook_retry_count:
    description:
      - How many times Twilio retries a post-event webhook after a timeout or HTTP 429, 503 or 504. Only with
        O(api_version=v2).
    type: int
  notifications:
    description:
      - Push notification settings, shaped like the RV(service.notifications) field. Only the suboptions you set are
        managed.
    type: dict
    suboptions:
      log_enabled:
        description:
          - Whether notification logging is enabled. Twilio defaults to V(false). Only with O(api_version=v2).
        type: bool
      new_message:
        description:
          - Notification sent when a new message is added to a channel.
        type: dict
        # The suboptions every event notification has, written once (YAML anchor, alias and merge key).
        suboptions:
          <<: &event_notification
            enabled:
              description:
                - Whether to send this notification. Twilio defaults to V(false).
              type: bool
            template:
              description:
                - Template of the notification text. V("") clears it.
              type: str
            sound:
              description:
                - Name of the sound played with the notification. V("") clears it. Only with O(api_version=v2).
              type: str
          badge_count_enabled:
            description:
              - Whether the new message badge is enabled. Twilio defaults to V(false). Only with O(api_version=v2).
            type: bool
      added_to_channel:
        description:
          - Notification sent when a member is added to a channel.
        type: dict
        suboptions: *event_notification
      removed_from_channel:
        description:
          - Notification sent when a user is removed from a channel.
        type: dict
        suboptions: *event_notification
      invited_to_channel:
        description:
          - Notification sent when a user is invited to a channel.
        type: dict
        suboptions: *event_notification
  limits:
    description:
      - Service limits, shaped like the RV(service.limits) field.
    type: dict
    suboptions:
      channel_members:
        description:
          - Maximum number of members of a channel, 1 to 1000. Twilio defaults to 250.
        type: int
      user_channels:
        description:
          - Maximum number of channels a user can be a member of, 1 to 1000. Twilio defaults to 100.
        type: int
  media:
    description:
      - Media message settings. Only with O(api_version=v2).
    type: dict
    suboptions:
      compatibility_message:
        description:
          - Message sent when a media message has no text. Only with O(api_version=v2).
        type: str
  webhooks:
    description:
      - Per-event webhooks, keyed by the snake_case event name like the RV(service.webhooks) field. Only with
        O(api_version=v1).
      - Only the events and suboptions you set are managed.
    type: dict
    suboptions:
      on_message_send:
        description:
          - The C(on_message_send) webhook.
        type: dict
        suboptions:
          url:
            description:
              - URL called on the C(on_message_send) event. V("") clears it.
            type: str
          method:
            description:
              - HTTP method used to call the C(on_message_send) URL.
            type: str
            choices: [GET, POST]
      on_message_update:
        description:
          - The C(on_message_update) webhook.
        type: dict
        suboptions:
          url:
            description:
              - URL called on the C(on_message_update) event. V("") clears it.
            type: str
          method:
            description:
              - HTTP method used to call the C(on_message_update) URL.
            type: str
            choices: [GET, POST]
      on_message_remove:
        description:
          - The C(on_message_remove) webhook.
        type: dict
        suboptions:
          url:
            description:
              - URL called on the C(on_message_remove) event. V("") clears it.
            type: str
          method:
            description:
              - HTTP method used to call the C(on_message_remove) URL.
            type: str
            choices: [GET, POST]
      on_channel_add:
        description:
          - The C(on_channel_add) webhook.
        type: dict
        suboptions:
          url:
            description:
              - URL called on the C(on_channel_add) event. V("") clears it.
            type: str
          method:
            description:
              - HTTP method used to call the C(on_channel_add) URL.
            type: str
            choices: [GET, POST]
      on_channel_destroy:
        description:
          - The C(on_channel_destroy) webhook.
        type: dict
        suboptions:
          url:
            description:
              - URL called on the C(on_channel_destroy) event. V("") clears it.
            type: str
          method:
            description:
              - HTTP method used to call the C(on_channel_destroy) URL.
            type: str
            choices: [GET, POST]
      on_channel_update:
        description:
          - The C(on_channel_update) webhook.
        type: dict
        suboptions:
          url:
            description:
              - URL called on the C(on_channel_update) event. V("") clears it.
            type: str
          method:
            description:
              - HTTP method used to call the C(on_channel_update) URL.
            type: str
            choices: [GET, POST]
      on_member_add:
        description:
          - The C(on_member_add) webhook.
        type: dict
        suboptions:
          url:
            description:
              - URL called on the C(on_member_add) event. V("") clears it.
            type: str
          method:
            description:
              - HTTP method used to call the C(on_member_add) URL.
            type: str
            choices: [GET, POST]
      on_member_remove:
        description:
          - The C(on_member_remove) webhook.
        type: dict
        suboptions:
          url:
            description:
              - URL called on the C(on_member_remove) event. V("") clears it.
            type: str
          method:
            description:
              - HTTP method used to call the C(on_member_remove) URL.
            type: str
            choices: [GET, POST]
      on_message_sent:
        description:
          - The C(on_message_sent) webhook.
        type: dict
        suboptions:
          url:
            description:
              - URL called on the C(on_message_sent) event. V("") clears it.
            type: str
          method:
            description:
              - HTTP method used to call the C(on_message_sent) URL.
            type: str
            choices: [GET, POST]
      on_message_updated:
        description:
          - The C(on_message_updated) webhook.
        type: dict
        suboptions:
          url:
            description:
              - URL called on the C(on_message_updated) event. V("") clears it.
            type: str
          method:
            description:
              - HTTP method used to call the C(on_message_updated) URL.
            type: str
            choices: [GET, POST]
      on_message_removed:
        description:
          - The C(on_message_removed) webhook.
        type: dict
        suboptions:
          url:
            description:
              - URL called on the C(on_message_removed) event. V("") clears it.
            type: str
          method:
            description:
              - HTTP method used to call the C(on_message_removed) URL.
            type: str
            choices: [GET, POST]
      on_channel_added:
        description:
          - The C(on_channel_added) webhook.
        type: dict
        suboptions:
          url:
            description:
              - URL called on the C(on_channel_added) event. V("") clears it.
            type: str
          method:
            description:
              - HTTP method used to call the C(on_channel_added) URL.
            type: str
            choices: [GET, POST]
      on_channel_destroyed:
        description:
          - The C(on_channel_destroyed) webhook.
        type: dict
        suboptions:
          url:
            description:
              - URL called on the C(on_channel_destroyed) event. V("") clears it.
            type: str
          method:
            description:
              - HTTP method used to call the C(on_channel_destroyed) URL.
            type: str
            choices: [GET, POST]
      on_channel_updated:
        description:
          - The C(on_channel_updated) webhook.
        type: dict
        suboptions:
          url:
            description:
              - URL called on the C(on_channel_updated) event. V("") clears it.
            type: str
          method:
            description:
              - HTTP method used to call the C(on_channel_updated) URL.
            type: str
            choices: [GET, POST]
      on_member_added:
        description:
          - The C(on_member_added) webhook.
        type: dict
        suboptions:
          url:
            description:
              - URL called on the C(on_member_added) event. V("") clears it.
            type: str
          method:
            description:
              - HTTP method used to call the C(on_member_added) URL.
            type: str
            choices: [GET, POST]
      on_member_removed:
        description:
          - The C(on_member_removed) webhook.
        type: dict
        suboptions:
          url:
            description:
              - URL called on the C(on_member_removed) event. V("") clears it.
            type: str
          method:
            description:
              - HTTP method used to call the C(on_member_removed) URL.
            type: str
            choices: [GET, POST]
'''
