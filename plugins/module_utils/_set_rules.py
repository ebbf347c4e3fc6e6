# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""Pure helpers for managing a set of Chat or Conversations services (no request is sent here).

Used by the ``chat_services`` and ``conversations_services`` modules and by the
``chat_environments`` filter plugins, so the role and the modules check settings, names and
delete confirmations the same way:

- ``check_settings``: a settings dict against the ``chat_service`` options (unknown keys,
  types, values, API version), with one short message naming the offending path;
- ``check_conversations_settings``: the same against the settings options of
  ``conversations_service`` (``configuration``, ``notifications``, ``webhooks``);
- ``as_names``: a list of exact names from a list or a string (never a substring test);
- ``matches_by_name``: the services of one listing with a given friendly name;
- ``strays``: listed services that match a name pattern but are not in the set.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import re
from typing import TYPE_CHECKING

from ansible.module_utils.common.validation import check_type_bool, check_type_int, check_type_list, check_type_str

from ansible_collections.chatops.twilio.plugins.module_utils import _chat_fields as cf
from ansible_collections.chatops.twilio.plugins.module_utils import _conversations as conv
from ansible_collections.chatops.twilio.plugins.module_utils import _credentials as credentials
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable, Mapping
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record

_SHORT = 120


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= _SHORT else text[:_SHORT] + '...'


def _settings_spec() -> dict[str, Any]:
    spec = cf.settings_argument_spec()
    del spec['friendly_name']
    return spec


SETTINGS_SPEC = _settings_spec()
CONVERSATIONS_FIELDS = tuple(f for singleton in conv.SERVICE_SETTINGS for f in singleton.fields)
CONVERSATIONS_SPEC = rl.argument_spec(CONVERSATIONS_FIELDS)
CHAT, CONVERSATIONS = 'Chat', 'Conversations'


def _coerce(spec: Mapping[str, Any], value: Any, where: str) -> Any:
    kind = spec['type']
    try:
        if kind == 'bool':
            return check_type_bool(value)
        if kind == 'int':
            if isinstance(value, bool):
                raise TypeError('a boolean is not an integer')
            return check_type_int(value)
        if kind == 'str':
            if not isinstance(value, str):
                raise TypeError('not a string')
            return check_type_str(value)
        if kind == 'list':
            if isinstance(value, str):
                raise TypeError('a string, not a list')
            items = check_type_list(value)
            if not all(isinstance(item, str) for item in items):
                raise TypeError('a list of strings is expected')
            return items
    except (TypeError, ValueError) as exc:
        raise OptionError('%s must be of type %s, got %s (%s)' % (where, kind, _shown(value), exc))
    raise OptionError('%s: unsupported type %s' % (where, kind))


def _check_level(spec: Mapping[str, Any], data: Any, where: str, api: str = CHAT) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise OptionError('%s must be a dictionary, got %s' % (where, _shown(data)))
    result = {}
    for key, value in data.items():
        path = '%s.%s' % (where, key) if where else '%s' % key
        if key not in spec:
            if 'notifications' in path.split('.') and credentials.credential_like(key):
                raise OptionError(credentials.SERVICE_CREDENTIAL_REFUSED % dict(path=path))
            hint = rl.near_miss('%s' % key, spec, cutoff=0.6) or '; valid keys: %s' % ', '.join(sorted(spec))
            if len(hint) > 600:
                hint = hint[:600] + '...'
            raise OptionError('%s is not a %s service setting%s' % (path, api, hint))
        if value is None:
            continue
        option = spec[key]
        if option['type'] == 'dict':
            result[key] = _check_level(option['options'], value, path, api)
            continue
        value = _coerce(option, value, path)
        if option.get('choices') and value not in option['choices']:
            raise OptionError('%s must be one of %s, got %s' % (path, ', '.join(sorted(option['choices'])), _shown(value)))
        result[key] = value
    return result


def _prefixed(exc: OptionError, where: str, origin: Mapping[str, str] | None) -> OptionError:
    """OptionError ``exc`` (its message starts with a dotted setting path) with the variable it came from in front.

    ``origin`` (optional) maps a dotted setting path to the variable that set it, for merged settings;
    other paths get ``where``.
    """
    message = '%s' % exc
    parts = message.split(' ', 1)[0].split('.')
    prefix = where
    for size in range(len(parts), 0, -1):
        if '.'.join(parts[:size]) in (origin or {}):
            prefix = (origin or {})['.'.join(parts[:size])]
            break
    return OptionError('%s.%s' % (prefix, message) if prefix else message)


def check_settings(settings: Any, version: str, where: str = 'settings', origin: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The settings, type-checked and validated for Chat API ``version``; raises OptionError.

    ``where`` prefixes every path in a message (``chat_environments_common``); ``origin``
    (optional) maps a dotted setting path to the variable it came from, for merged settings.
    """
    checked = _check_level(SETTINGS_SPEC, settings if settings is not None else {}, where)
    try:
        cf.desired_settings(checked, version)
    except OptionError as exc:
        raise _prefixed(exc, where, origin)
    return checked


def check_conversations_settings(settings: Any, where: str = 'settings', origin: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The settings of a Conversations service (``configuration``, ``notifications``, ``webhooks``), checked.

    Keys, types and values as ``conversations_service`` checks its options; raises OptionError naming the
    path (``where`` and ``origin`` as in :func:`check_settings`).
    """
    checked = _check_level(CONVERSATIONS_SPEC, settings if settings is not None else {}, where, CONVERSATIONS)
    try:
        rl.desired(CONVERSATIONS_FIELDS, checked)
    except OptionError as exc:
        raise _prefixed(exc, where, origin)
    return checked


def check_settings_types(settings: Any, where: str, api: str = CHAT) -> dict[str, Any]:
    """The key and type checks only (for unmerged input) of Chat or Conversations settings; raises OptionError."""
    spec = CONVERSATIONS_SPEC if api == CONVERSATIONS else SETTINGS_SPEC
    return _check_level(spec, settings if settings is not None else {}, where, api)


def setting_of(path: str, api: str) -> bool:
    """Whether the dotted ``path`` is a setting (or a group of settings) of the ``api`` (CHAT or CONVERSATIONS)."""
    level = CONVERSATIONS_SPEC if api == CONVERSATIONS else SETTINGS_SPEC
    for part in path.split('.'):
        if not isinstance(level, dict) or part not in level:
            return False
        level = level[part].get('options')
    return True


def as_names(value: Any, variable: str) -> list[str]:
    """A list of exact strings from a list, or from a string (split at commas as Ansible's list type does).

    Raises ValueError naming ``variable`` for anything else (a dict, a number, a list of non-strings).
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(',') if part.strip()]
    if isinstance(value, (list, tuple)):
        if not all(isinstance(item, str) for item in value):
            raise ValueError('%s must be a list of strings, got %s' % (variable, _shown(list(value))))
        return list(value)
    raise ValueError('%s must be a list of strings (or one string), got %s' % (variable, _shown(value)))


def flat_paths(data: Mapping[str, Any] | None, prefix: str = '') -> list[str]:
    """Every dotted path of a nested dict, the dicts themselves included."""
    paths = []
    for key, value in (data or {}).items():
        path = prefix + '%s' % key
        paths.append(path)
        if isinstance(value, dict):
            paths.extend(flat_paths(value, path + '.'))
    return paths


def matches_by_name(services: Iterable[Record], name: str) -> list[Record]:
    """The listed services whose friendly_name is exactly ``name``."""
    return [service for service in services if service.get('friendly_name') == name]


# The {env} of a stray of a role's app: an environment name (letters, digits, _ . -) without a dash. For app
# acme, acme-qa is a stray, but acme-support-prod belongs to the sibling app acme-support (its own strays).
STRAY_ENV_CHARS = r'[A-Za-z0-9_.]+'


def name_regex(pattern: str, app: str, env_chars: str = STRAY_ENV_CHARS) -> str:
    """Regex for the service names a name pattern can produce (``{app}`` fixed, ``{env}`` any environment)."""
    parts = [re.escape(part) for part in pattern.replace('{app}', app).split('{env}')]
    return '(?:%s)' % env_chars.join(parts)


def strays(services: Iterable[Record], names: Iterable[str], pattern: str | None) -> list[dict[str, Any]]:
    """Listed services not named in ``names`` whose friendly_name fully matches ``pattern`` (None: all)."""
    regex = re.compile(pattern) if pattern is not None else None
    wanted = set(names)
    found = []
    for service in services:
        name = service.get('friendly_name') or ''
        if name in wanted:
            continue
        if regex is None or regex.fullmatch(name):
            found.append({'sid': service.get('sid'), 'friendly_name': name})
    return found
