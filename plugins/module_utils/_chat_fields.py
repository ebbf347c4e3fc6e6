# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""Chat Service settings: module options <-> Twilio form names <-> response fields.

One table (``FIELDS``) lists every writable setting of a Chat Service as a ``_resource.Field``,
with the API versions that accept it (``versions``). Module options use the response field
names, nested the same way (``notifications.new_message.enabled``), so one path addresses the
option, the response field and (camel-cased, dot-joined) the form parameter
``Notifications.NewMessage.Enabled``. Validation, normalisation, request bodies and diffs are
the resource layer's; what is Chat's own is here: the versions, and v1's shorter names.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping

from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError, get_path

V1, V2 = 'v1', 'v2'
VERSIONS = (V1, V2)
_BOTH = VERSIONS

PRODUCT = 'chat'
SERVICES_PATH = 'Services'
# \Z, not $: $ also matches before a trailing newline, which would then go out in a URL or form.
SERVICE_SID_RE = re.compile(r'^IS[0-9a-fA-F]{32}\Z')
ROLE_SID_RE = re.compile(r'^RL[0-9a-fA-F]{32}\Z')
V1_NAME_MAX = 64
LIMIT_MIN, LIMIT_MAX = 1, 1000

NOTIFICATION_EVENTS = ('new_message', 'added_to_channel', 'removed_from_channel', 'invited_to_channel')
WEBHOOK_EVENTS = (
    'on_message_send',
    'on_message_update',
    'on_message_remove',
    'on_channel_add',
    'on_channel_destroy',
    'on_channel_update',
    'on_member_add',
    'on_member_remove',
    'on_message_sent',
    'on_message_updated',
    'on_message_removed',
    'on_channel_added',
    'on_channel_destroyed',
    'on_channel_updated',
    'on_member_added',
    'on_member_removed',
)

# The events of webhook_filters: the spec types WebhookFilters as any strings, and Twilio's webhook-events page
# lists more events than the 16 of v1's Webhooks.* parameters (which map 1:1: OnMessageSend -> onMessageSend).
# The list is open (our reading of twilio.com/docs/chat/webhook-events): only a near miss of a known event
# (onMessageSnet, onmessagesent) is refused, with "did you mean".
WEBHOOK_FILTER_EVENTS = tuple('on' + rl.camel(event[len('on_') :]) for event in WEBHOOK_EVENTS) + (
    'onMediaMessageSend',
    'onMediaMessageSent',
    'onMemberUpdate',
    'onMemberUpdated',
    'onUserAdded',
    'onUserUpdate',
    'onUserUpdated',
)

# The kinds of the Chat table, as resource layer kinds and rules.
_KINDS: dict[str, tuple[str, dict[str, Any]]] = {
    'name': ('name', {'aliases': ('name',)}),
    'str': ('str', {}),
    'url': ('url', {}),
    'role_sid': ('sid', {'prefix': 'RL', 'label': 'role', 'clearable': False, 'names': True}),
    'bool': ('bool', {}),
    'count': ('int', {'minimum': 0}),
    'limit': ('int', {'minimum': LIMIT_MIN, 'maximum': LIMIT_MAX, 'between': True}),
    'method': ('method', {}),
    'list': ('list', {}),
    'events': ('list', {'refuse_near_misses_of': WEBHOOK_FILTER_EVENTS}),
}


class Field(rl.Field):
    """A Chat Service setting: a resource layer field with the API ``versions`` that accept it."""

    __slots__ = ()

    @property
    def versions(self) -> tuple[str, ...]:
        return tuple(self.rules['versions'])


def _field(path: tuple[str, ...], kind: str, versions: tuple[str, ...]) -> Field:
    layer_kind, rules = _KINDS[kind]
    return Field(path, layer_kind, versions=versions, **rules)


def _build_fields() -> tuple[Field, ...]:
    fields = [
        _field(('friendly_name',), 'name', _BOTH),
        _field(('default_service_role_sid',), 'role_sid', _BOTH),
        _field(('default_channel_role_sid',), 'role_sid', _BOTH),
        _field(('default_channel_creator_role_sid',), 'role_sid', _BOTH),
        _field(('read_status_enabled',), 'bool', _BOTH),
        _field(('reachability_enabled',), 'bool', _BOTH),
        _field(('typing_indicator_timeout',), 'count', _BOTH),
        _field(('consumption_report_interval',), 'count', _BOTH),
        _field(('pre_webhook_url',), 'url', _BOTH),
        _field(('post_webhook_url',), 'url', _BOTH),
        _field(('webhook_method',), 'method', _BOTH),
        _field(('webhook_filters',), 'events', _BOTH),
        _field(('pre_webhook_retry_count',), 'count', (V2,)),
        _field(('post_webhook_retry_count',), 'count', (V2,)),
        _field(('notifications', 'log_enabled'), 'bool', (V2,)),
    ]
    for event in NOTIFICATION_EVENTS:
        fields.append(_field(('notifications', event, 'enabled'), 'bool', _BOTH))
        fields.append(_field(('notifications', event, 'template'), 'str', _BOTH))
        fields.append(_field(('notifications', event, 'sound'), 'str', (V2,)))
        if event == 'new_message':
            fields.append(_field(('notifications', event, 'badge_count_enabled'), 'bool', (V2,)))
    fields.append(_field(('limits', 'channel_members'), 'limit', _BOTH))
    fields.append(_field(('limits', 'user_channels'), 'limit', _BOTH))
    fields.append(_field(('media', 'compatibility_message'), 'str', (V2,)))
    for event in WEBHOOK_EVENTS:
        fields.append(_field(('webhooks', event, 'url'), 'url', (V1,)))
        fields.append(_field(('webhooks', event, 'method'), 'method', (V1,)))
    return tuple(fields)


FIELDS = _build_fields()
NAME_FIELD = FIELDS[0]


# The Chat Services of each API version, for the resource layer.
SERVICES = dict((version, rl.Collection(PRODUCT, version, SERVICES_PATH, 'chat service', 'IS', NAME_FIELD, sid_title='Chat Service')) for version in VERSIONS)


def collection(version: str) -> rl.Collection:
    """The Chat Services of an API version, for the resource layer."""
    return SERVICES[version]


def fields_for(version: str) -> list[Field]:
    return [f for f in FIELDS if version in f.versions]


def settings_argument_spec() -> dict[str, Any]:
    """Argument spec of every setting (nested dicts for nested paths); all default to None."""
    return rl.argument_spec(FIELDS)


# ---- validation ------------------------------------------------------------------------------


def desired_settings(params: Mapping[str, Any], version: str) -> dict[rl.Field, Any]:
    """{Field: value} of the settings the user set, after checking them; raises OptionError."""
    _check_versions(params, version)
    name = params.get('friendly_name')
    if version == V1 and name is not None and name.strip() and len(name) > V1_NAME_MAX:
        raise OptionError('friendly_name must be at most %d characters with Chat API v1 (got %d)' % (V1_NAME_MAX, len(name)))
    return rl.desired(fields_for(version), params)


def _check_versions(params: Mapping[str, Any], version: str) -> None:
    for name in sorted(set(f.path[0] for f in FIELDS)):
        group = [f for f in FIELDS if f.path[0] == name]
        if params.get(name) is not None and not any(version in f.versions for f in group):
            raise OptionError(
                '%s is not supported by Chat API %s (it exists only in %s)' % (name, version, ', '.join(sorted(set(v for f in group for v in f.versions))))
            )
        for field in group:
            if version not in field.versions and get_path(params, field.path) is not None:
                raise OptionError('%s is not supported by Chat API %s (it exists only in %s)' % (field.option, version, ', '.join(field.versions)))


# ---- adoption into code -----------------------------------------------------------------------


def module_args(service: dict[str, Any], version: str) -> dict[str, Any]:
    """Arguments that make ``chatops.twilio.chat_service`` manage ``service`` as it is now."""
    args = {'sid': service.get('sid'), 'api_version': version}
    args.update(rl.module_args(service, fields_for(version)))
    return args


# ---- what Twilio gives a new service --------------------------------------------------------------

# The settings of a newly created Chat service, by field path, as the specs' prose and the v1 docs page
# document them (limits 250 and 100, typing timeout 5 s, read status on, POST); a path not listed is
# null (unset). The default role SIDs are made per service: ``DEFAULT_ROLE_NAMES`` names those roles.
# tests/unit/plugins/module_utils/test_export.py checks this table against the emulator's new service.
NEW_SERVICE_DEFAULTS: dict[tuple[str, ...], Any] = {
    ('read_status_enabled',): True,
    ('reachability_enabled',): False,
    ('typing_indicator_timeout',): 5,
    ('consumption_report_interval',): 0,
    ('webhook_method',): 'POST',
    ('webhook_filters',): [],
    ('pre_webhook_retry_count',): 0,
    ('post_webhook_retry_count',): 0,
    ('notifications', 'log_enabled'): False,
    ('limits', 'channel_members'): 250,
    ('limits', 'user_channels'): 100,
}
for _event in NOTIFICATION_EVENTS:
    NEW_SERVICE_DEFAULTS[('notifications', _event, 'enabled')] = False
NEW_SERVICE_DEFAULTS[('notifications', 'new_message', 'badge_count_enabled')] = False

# The roles Twilio makes with every service, by the setting that names them (Chat's docs: new users get
# "service user", a channel's creator "channel admin", its members "channel user").
DEFAULT_ROLE_NAMES = {
    'default_service_role_sid': 'service user',
    'default_channel_role_sid': 'channel user',
    'default_channel_creator_role_sid': 'channel admin',
    # The same settings under their Conversations names (_conversations.CONFIGURATION).
    'default_chat_service_role_sid': 'service user',
    'default_conversation_role_sid': 'channel user',
    'default_conversation_creator_role_sid': 'channel admin',
}
