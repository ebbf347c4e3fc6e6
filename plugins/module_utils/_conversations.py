# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""Conversations v1: Services, their configuration singletons and the account configuration.

Field tables only; the requests, the change flow and the validation by kind are in
``_resource``. Parameter names, patterns and limits follow Twilio's OpenAPI description
``twilio_conversations_v1.json`` (the form names are derived from the field paths, which
are the answers' snake_case names): ``/v1/Services`` (create takes ``FriendlyName`` only,
at most 256 characters; there is no update), and per service the ``Configuration``,
``Configuration/Notifications`` and ``Configuration/Webhooks`` singletons; at account level
``/v1/Configuration`` and ``/v1/Configuration/Webhooks``.

A Conversations Service is a Chat (v2) Service under another API: the same ``IS`` SID,
and the settings below are Chat's under other names (docs/migrating-chat-to-conversations.md).
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils._resource import Collection, Field, Singleton, near_miss, read

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping, Sequence
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule
    from ansible_collections.chatops.twilio.plugins.module_utils._resource import Path

PRODUCT = 'conversations'
VERSION = 'v1'
FRIENDLY_NAME_MAX = 256

# The spec's lists of webhook events (UpdateServiceWebhookConfigurationRequest.Filters and
# UpdateConfigurationWebhookRequest.Filters): the account level adds the user events.
SERVICE_FILTERS = (
    'onParticipantAdd',
    'onParticipantAdded',
    'onDeliveryUpdated',
    'onConversationUpdated',
    'onConversationRemove',
    'onParticipantRemove',
    'onConversationUpdate',
    'onMessageAdd',
    'onMessageRemoved',
    'onParticipantUpdated',
    'onConversationAdded',
    'onMessageAdded',
    'onConversationAdd',
    'onConversationRemoved',
    'onParticipantUpdate',
    'onMessageRemove',
    'onMessageUpdated',
    'onParticipantRemoved',
    'onMessageUpdate',
    'onConversationStateUpdated',
)
ACCOUNT_FILTERS = SERVICE_FILTERS + ('onUserAdded', 'onUserUpdate', 'onUserUpdated')
# The specs type Filters as plain strings and list the events above only in prose (and their own examples use
# onMessageSend): a name not listed is sent as given, with a warning (``filter_warnings``), never refused.
# Chat's webhook events and the Conversations event each became (docs/migrating-chat-to-conversations.md); the
# Chat names a service configured through Chat holds (onMessageUpdated, onMessageRemoved... are the same).
CHAT_EVENTS = {
    'onMessageSend': 'onMessageAdd',
    'onMessageSent': 'onMessageAdded',
    'onChannelAdd': 'onConversationAdd',
    'onChannelAdded': 'onConversationAdded',
    'onChannelUpdate': 'onConversationUpdate',
    'onChannelUpdated': 'onConversationUpdated',
    'onChannelDestroy': 'onConversationRemove',
    'onChannelDestroyed': 'onConversationRemoved',
    'onMemberAdd': 'onParticipantAdd',
    'onMemberAdded': 'onParticipantAdded',
    'onMemberRemove': 'onParticipantRemove',
    'onMemberRemoved': 'onParticipantRemoved',
}
WEBHOOK_TARGETS = ('webhook', 'flex')
# "Minimum value for this timer is 1 minute" / "10 minutes" (spec descriptions).
INACTIVE_TIMER_MIN = 60
CLOSED_TIMER_MIN = 600

NAME = Field(('friendly_name',), 'name', max_len=FRIENDLY_NAME_MAX, aliases=('name',))
SERVICES = Collection(PRODUCT, VERSION, 'Services', 'conversations service', 'IS', NAME, list_key='services')
# The Conversations API has no rename: a SID and a name that disagree are refused (``Lifecycle.guard``).
RENAME_REFUSED = (
    'friendly_name %(name)r is not the name of conversations service %(sid)s (%(current)r); the Conversations '
    'API cannot rename a service, and nothing was changed: correct friendly_name or leave it out'
)


def _notification_fields() -> list[Field]:
    fields = [Field(('log_enabled',), 'bool', ('notifications',))]
    for event in ('new_message', 'added_to_conversation', 'removed_from_conversation'):
        for name, kind in (('enabled', 'bool'), ('template', 'str'), ('sound', 'str')):
            fields.append(Field((event, name), kind, ('notifications',)))
        if event == 'new_message':
            fields.append(Field((event, 'badge_count_enabled'), 'bool', ('notifications',)))
            fields.append(Field((event, 'with_media', 'enabled'), 'bool', ('notifications',)))
            fields.append(Field((event, 'with_media', 'template'), 'str', ('notifications',)))
    return fields


def _notification_defaults() -> dict[Path, Any]:
    defaults: dict[Path, Any] = {('log_enabled',): False}
    for field in _notification_fields():
        if field.path != ('log_enabled',):
            defaults[field.path] = False if field.kind == 'bool' else None
    return defaults


CONFIGURATION = Singleton(
    PRODUCT,
    VERSION,
    'Services/{sid}/Configuration',
    'configuration',
    [
        Field(('default_chat_service_role_sid',), 'sid', ('configuration',), prefix='RL', label='role', clearable=False, names=True),
        Field(('default_conversation_role_sid',), 'sid', ('configuration',), prefix='RL', label='role', clearable=False, names=True),
        Field(('default_conversation_creator_role_sid',), 'sid', ('configuration',), prefix='RL', label='role', clearable=False, names=True),
        Field(('reachability_enabled',), 'bool', ('configuration',)),
    ],
    option='configuration',
    defaults={
        # Twilio makes the default roles with the service: their SIDs are not known before.
        ('reachability_enabled',): False,
    },
)

NOTIFICATIONS = Singleton(
    PRODUCT,
    VERSION,
    'Services/{sid}/Configuration/Notifications',
    'notifications',
    _notification_fields(),
    option='notifications',
    defaults=_notification_defaults(),
)

WEBHOOKS = Singleton(
    PRODUCT,
    VERSION,
    'Services/{sid}/Configuration/Webhooks',
    'webhooks',
    [
        Field(('pre_webhook_url',), 'url', ('webhooks',)),
        Field(('post_webhook_url',), 'url', ('webhooks',)),
        Field(('filters',), 'list', ('webhooks',), known=SERVICE_FILTERS),
        # A null method is Twilio's default, POST (the spec's description); compared as such.
        Field(('method',), 'method', ('webhooks',), unset='POST'),
    ],
    option='webhooks',
    # A new service's webhooks as the spec's fetchEmpty example shows them: all null. Its schema has no null
    # method, so Twilio may answer POST instead; both compare equal (``unset``), so a re-run is a no-op either way
    # (docs/migrating-chat-to-conversations.md, "Webhook defaults": our reading).
    defaults={
        ('pre_webhook_url',): None,
        ('post_webhook_url',): None,
        ('filters',): None,
        ('method',): None,
    },
)

# The per-service singletons, in the order they are read and written.
SERVICE_SETTINGS = (CONFIGURATION, NOTIFICATIONS, WEBHOOKS)

ACCOUNT_CONFIGURATION = Singleton(
    PRODUCT,
    VERSION,
    'Configuration',
    'account configuration',
    [
        Field(('default_chat_service_sid',), 'sid', prefix='IS', clearable=False),
        Field(('default_messaging_service_sid',), 'sid', prefix='MG', clearable=False),
        Field(('default_inactive_timer',), 'duration', minimum=INACTIVE_TIMER_MIN),
        Field(('default_closed_timer',), 'duration', minimum=CLOSED_TIMER_MIN),
    ],
)

ACCOUNT_WEBHOOKS = Singleton(
    PRODUCT,
    VERSION,
    'Configuration/Webhooks',
    'account webhooks',
    [
        Field(('pre_webhook_url',), 'url', ('webhooks',)),
        Field(('post_webhook_url',), 'url', ('webhooks',)),
        Field(('filters',), 'list', ('webhooks',), known=ACCOUNT_FILTERS),
        Field(('method',), 'method', ('webhooks',)),
        Field(('target',), 'choice', ('webhooks',), choices=WEBHOOK_TARGETS),
    ],
    option='webhooks',
)

ACCOUNT_SETTINGS = (ACCOUNT_CONFIGURATION, ACCOUNT_WEBHOOKS)


#: The refusal to delete the account's default Conversations Service (``label``, ``name``, ``sid``).
DEFAULT_DELETE_REFUSED = (
    'Refusing to delete the %(label)s %(name)r (%(sid)s): it is the account\'s default Conversations Service '
    '(default_chat_service_sid of the account\'s Conversations configuration), which Twilio makes with every account '
    'and uses for conversations made without a service. Make another service the default first '
    '(chatops.twilio.conversations_configuration). Nothing was changed.'
)


def default_service_sid(module: TwilioModule) -> str | None:
    """The SID of the account's default Conversations Service: ``default_chat_service_sid`` of ``/v1/Configuration``.

    Twilio makes that service with every account, and every Chat and Conversations listing shows it: it is no stray
    and no part of an app, and the modules never delete it (:func:`refuse_default_delete`). One read, made only when
    a delete of an ``IS`` service is in view.
    """
    sid = read(module, ACCOUNT_CONFIGURATION).get('default_chat_service_sid')
    return sid if isinstance(sid, str) and sid else None


def refuse_default_delete(module: TwilioModule, service: Mapping[str, Any] | None, label: str, default_sid: str | None = None) -> None:
    """Fail before any write when ``service`` (about to be deleted) is the account's default Conversations Service.

    ``default_sid`` when the caller has read it already; otherwise it is read here (nothing is read without a service).
    """
    if not service or not service.get('sid'):
        return
    if default_sid is None:
        default_sid = default_service_sid(module)
    if service.get('sid') == default_sid:
        module.fail_json(msg=DEFAULT_DELETE_REFUSED % dict(label=label, name=service.get('friendly_name'), sid=service.get('sid')), service=dict(service))


def identity(service: Mapping[str, Any]) -> dict[str, Any]:
    """What a service shows in a diff besides its settings: its SID and name."""
    return {'sid': service.get('sid'), 'friendly_name': service.get('friendly_name')}


def managed_settings(wanted: Mapping[Field, Any], singletons: Sequence[Singleton] = SERVICE_SETTINGS) -> list[Singleton]:
    """The singletons (per service by default) that the wanted fields touch, in the order they are read and written."""
    return [s for s in singletons if any(f in wanted for f in s.fields)]


def service_fields() -> list[Field]:
    return [NAME] + [f for singleton in SERVICE_SETTINGS for f in singleton.fields]


def account_fields() -> list[Field]:
    return [f for singleton in ACCOUNT_SETTINGS for f in singleton.fields]


def filter_warnings(wanted: Mapping[Field, Any], prefix: str = '') -> list[str]:
    """A warning per webhook event name in ``wanted`` that Twilio does not document (it is sent as given)."""
    warnings = []
    for field, value in wanted.items():
        known: Sequence[str] = field.rules.get('known') or ()
        for name in [v for v in value if v not in known] if known else ():
            if name in CHAT_EVENTS:
                hint = '; did you mean %s? %s is the Chat name of that event' % (CHAT_EVENTS[name], name)
            else:
                hint = near_miss(name, known, cutoff=0.6)  # a warning: a looser match than the refusal of a Chat event
            warnings.append(
                '%s%s: %r is not among the webhook events Twilio documents for Conversations (%s), so Twilio may never '
                'send it; it is sent as given%s' % (prefix, field.option, name, 'docs/migrating-chat-to-conversations.md', hint)
            )
    return warnings
