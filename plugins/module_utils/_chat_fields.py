# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""Chat Service settings: module options <-> Twilio form names <-> response fields.

One table (``FIELDS``) lists every writable setting of a Chat Service with the API
versions that accept it. Module options use the response field names, nested the
same way (``notifications.new_message.enabled``), so one path addresses the option,
the response field and (camel-cased, dot-joined) the form parameter
``Notifications.NewMessage.Enabled``. Everything else here is derived from it:
argument spec, version checks, validation, normalisation, request bodies, diffs.
"""

from __future__ import absolute_import, division, print_function
__metaclass__ = type

import copy
import re
from collections import namedtuple
from urllib.parse import urlsplit

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
METHODS = ['GET', 'POST']

NOTIFICATION_EVENTS = ('new_message', 'added_to_channel', 'removed_from_channel', 'invited_to_channel')
WEBHOOK_EVENTS = (
    'on_message_send', 'on_message_update', 'on_message_remove', 'on_channel_add', 'on_channel_destroy',
    'on_channel_update', 'on_member_add', 'on_member_remove', 'on_message_sent', 'on_message_updated',
    'on_message_removed', 'on_channel_added', 'on_channel_destroyed', 'on_channel_updated', 'on_member_added',
    'on_member_removed',
)

# kind -> (Ansible type, extra argument spec keys)
_KIND_SPEC = {
    'name': ('str', {}),
    'str': ('str', {}),
    'url': ('str', {}),
    'role_sid': ('str', {}),
    'bool': ('bool', {}),
    'count': ('int', {}),
    'limit': ('int', {}),
    'method': ('str', {'choices': METHODS}),
    'list': ('list', {'elements': 'str'}),
}


class Field(namedtuple('Field', ['path', 'kind', 'versions'])):
    """One writable setting. ``path`` is the option / response path."""
    __slots__ = ()

    @property
    def option(self):
        """Dotted option name for messages, e.g. ``notifications.new_message.sound``."""
        return '.'.join(self.path)

    @property
    def form(self):
        """Twilio form parameter, e.g. ``Notifications.NewMessage.Sound``."""
        return '.'.join(''.join(w.capitalize() for w in part.split('_')) for part in self.path)


def _build_fields():
    fields = [
        Field(('friendly_name',), 'name', _BOTH),
        Field(('default_service_role_sid',), 'role_sid', _BOTH),
        Field(('default_channel_role_sid',), 'role_sid', _BOTH),
        Field(('default_channel_creator_role_sid',), 'role_sid', _BOTH),
        Field(('read_status_enabled',), 'bool', _BOTH),
        Field(('reachability_enabled',), 'bool', _BOTH),
        Field(('typing_indicator_timeout',), 'count', _BOTH),
        Field(('consumption_report_interval',), 'count', _BOTH),
        Field(('pre_webhook_url',), 'url', _BOTH),
        Field(('post_webhook_url',), 'url', _BOTH),
        Field(('webhook_method',), 'method', _BOTH),
        Field(('webhook_filters',), 'list', _BOTH),
        Field(('pre_webhook_retry_count',), 'count', (V2,)),
        Field(('post_webhook_retry_count',), 'count', (V2,)),
        Field(('notifications', 'log_enabled'), 'bool', (V2,)),
    ]
    for event in NOTIFICATION_EVENTS:
        fields.append(Field(('notifications', event, 'enabled'), 'bool', _BOTH))
        fields.append(Field(('notifications', event, 'template'), 'str', _BOTH))
        fields.append(Field(('notifications', event, 'sound'), 'str', (V2,)))
        if event == 'new_message':
            fields.append(Field(('notifications', event, 'badge_count_enabled'), 'bool', (V2,)))
    fields.append(Field(('limits', 'channel_members'), 'limit', _BOTH))
    fields.append(Field(('limits', 'user_channels'), 'limit', _BOTH))
    fields.append(Field(('media', 'compatibility_message'), 'str', (V2,)))
    for event in WEBHOOK_EVENTS:
        fields.append(Field(('webhooks', event, 'url'), 'url', (V1,)))
        fields.append(Field(('webhooks', event, 'method'), 'method', (V1,)))
    return tuple(fields)


FIELDS = _build_fields()
NAME_FIELD = FIELDS[0]


class ChatFieldError(ValueError):
    """Invalid chat service settings (raised before any request)."""


def fields_for(version):
    return [f for f in FIELDS if version in f.versions]


# ---- argument spec --------------------------------------------------------------------------

def settings_argument_spec():
    """Argument spec of every setting (nested dicts for nested paths); all default to None."""
    spec = {}
    for field in FIELDS:
        level = spec
        for part in field.path[:-1]:
            level = level.setdefault(part, {'type': 'dict', 'options': {}})['options']
        ansible_type, extra = _KIND_SPEC[field.kind]
        level[field.path[-1]] = dict(type=ansible_type, **copy.deepcopy(extra))
    spec['friendly_name']['aliases'] = ['name']
    return spec


# ---- nested access ---------------------------------------------------------------------------

def get_path(obj, path):
    for part in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def set_path(obj, path, value):
    for part in path[:-1]:
        if not isinstance(obj.get(part), dict):
            obj[part] = {}
        obj = obj[part]
    obj[path[-1]] = value


# ---- validation ------------------------------------------------------------------------------

def desired_settings(params, version):
    """{Field: value} of the settings the user set, after checking them; raises ChatFieldError."""
    _check_versions(params, version)
    desired = {}
    for field in fields_for(version):
        value = get_path(params, field.path)
        if value is not None:
            _validate(field, value, version)
            desired[field] = value
    return desired


def _check_versions(params, version):
    for name in sorted(set(f.path[0] for f in FIELDS)):
        group = [f for f in FIELDS if f.path[0] == name]
        if params.get(name) is not None and not any(version in f.versions for f in group):
            raise ChatFieldError('%s is not supported by Chat API %s (it exists only in %s)'
                                 % (name, version, ', '.join(sorted(set(v for f in group for v in f.versions)))))
        for field in group:
            if version not in field.versions and get_path(params, field.path) is not None:
                raise ChatFieldError('%s is not supported by Chat API %s (it exists only in %s)'
                                     % (field.option, version, ', '.join(field.versions)))


def _validate(field, value, version):
    kind = field.kind
    if kind == 'name':
        if not value.strip():
            raise ChatFieldError('friendly_name must not be empty')
        if version == V1 and len(value) > V1_NAME_MAX:
            raise ChatFieldError('friendly_name must be at most %d characters with Chat API v1 (got %d)'
                                 % (V1_NAME_MAX, len(value)))
    elif kind == 'role_sid' and not ROLE_SID_RE.match(value):
        raise ChatFieldError('%s must be a role SID matching ^RL[0-9a-fA-F]{32}$, got %r' % (field.option, value))
    elif kind == 'limit' and not LIMIT_MIN <= value <= LIMIT_MAX:
        raise ChatFieldError('%s must be between %d and %d, got %d' % (field.option, LIMIT_MIN, LIMIT_MAX, value))
    elif kind == 'count' and value < 0:
        raise ChatFieldError('%s must be 0 or more, got %d' % (field.option, value))
    elif kind == 'url' and value != '':
        parts = urlsplit(value)
        if parts.scheme not in ('http', 'https') or not parts.netloc:
            raise ChatFieldError('%s must be an absolute http(s) URL (or "" to clear it), got %r'
                                 % (field.option, value))
    elif kind == 'list' and any(not item for item in value):
        raise ChatFieldError('%s must not contain empty names (use [] to clear the list)' % field.option)


# ---- normalisation and comparison ------------------------------------------------------------

def normalise(field, value):
    """The comparable form of a value, for both the user's side and Twilio's."""
    kind = field.kind
    if kind in ('name', 'str', 'url', 'role_sid'):
        return '' if value is None else '%s' % value
    if kind == 'method':
        return '' if value is None else ('%s' % value).upper()
    if kind == 'list':
        return sorted('%s' % v for v in (value or []) if v != '')
    if kind in ('count', 'limit') and isinstance(value, str) and value.strip().lstrip('-').isdigit():
        return int(value)
    return value


def changed_settings(desired, service):
    """The fields (in table order) whose desired value differs from the service's."""
    service = service or {}
    return [f for f in FIELDS if f in desired and normalise(f, desired[f]) != normalise(f, get_path(service, f.path))]


def not_applied(desired, fields, answer):
    """The ``fields`` whose value in Twilio's answer to a write is not the one written (in table order).

    The same comparison as ``changed_settings``: a field listed here would be sent again by the next run.
    """
    return changed_settings(dict((f, desired[f]) for f in fields), answer)


def describe_not_applied(fields, desired, answer):
    """``option (sent X, Twilio has Y)`` for each field, for a message."""
    return ', '.join('%s (sent %s, Twilio has %s)' % (f.option, _shown(desired[f]), _shown(get_path(answer, f.path)))
                     for f in fields)


def _shown(value):
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if value is None:
        return 'null'
    return repr(value) if isinstance(value, (str, list)) else '%s' % value


def form_data(fields, desired):
    """Form pairs for an update sending ``fields``; lists repeat the key, [] clears."""
    return [(f.form, desired[f]) for f in fields]


def predict(service, fields, desired):
    """The service as it will look after writing ``fields`` (check mode, diff)."""
    result = copy.deepcopy(service or {})
    for field in fields:
        set_path(result, field.path, desired[field])
    return result


def view(service, fields):
    """Nested dict of the given fields' values in ``service`` (diff before/after)."""
    result = {}
    if not service:
        return result
    for field in fields:
        set_path(result, field.path, get_path(service, field.path))
    return result


def module_args(service, version):
    """Arguments that make ``chatops.twilio.chat_service`` manage ``service`` as it is now."""
    args = {'sid': service.get('sid'), 'api_version': version}
    for field in fields_for(version):
        value = get_path(service, field.path)
        if value is None:
            continue
        if field.kind == 'method':
            value = value.upper()
        elif field.kind == 'list':
            value = [v for v in value if v != '']
        set_path(args, field.path, value)
    return args
