# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""Roles: Chat v1/v2 service roles, Conversations service roles and Conversations account roles.

One flow for ``chat_role`` and ``conversations_role``; a :class:`Scope` (``chat_scope``, ``CONVERSATIONS``) says where the roles live
and which settings of their service point at roles. From the specs (``twilio_chat_v1.json``,
``twilio_chat_v2.json``, ``twilio_conversations_v1.json``): create takes ``FriendlyName`` (at most 64
characters, prose), ``Type`` and ``Permission`` (repeated), all required; update takes ``Permission``
alone, required, and replaces the whole list; the type cannot change and there is no rename. A role
is found by its friendly_name (the API has no other key); two roles of one name fail, listing their
SIDs. Permission names are not checked: the specs have no list, and Chat and Conversations name them
differently. List page sizes: at most 1000 (Chat v1), 100 (Chat v2), 50 (Conversations, ``_client``'s
``PAGE_SIZE_MAXIMA``).
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import re
from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _chat_fields as chat
from ansible_collections.chatops.twilio.plugins.module_utils import _conversations as conv
from ansible_collections.chatops.twilio.plugins.module_utils import _create as creates
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils._fields import STATE_OPTION
from ansible_collections.chatops.twilio.plugins.module_utils._resource import Collection, Field, OptionError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Mapping
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record
    from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

FRIENDLY_NAME_MAX = 64
SERVICE_SID_RE = re.compile(r'IS[0-9a-fA-F]{32}')
CHAT_TYPES = ('channel', 'deployment')
CONVERSATIONS_TYPES = ('conversation', 'service')

NAME = Field(('friendly_name',), 'name', max_len=FRIENDLY_NAME_MAX, aliases=('name',))
PERMISSIONS = Field(('permissions',), 'list')
# The settings that name a role: fields of a Chat service, of a Conversations service's configuration.
CHAT_ROLE_SETTINGS = ('default_service_role_sid', 'default_channel_role_sid', 'default_channel_creator_role_sid')
CONVERSATIONS_ROLE_SETTINGS = ('default_chat_service_role_sid', 'default_conversation_role_sid', 'default_conversation_creator_role_sid')


def argument_spec(types: tuple[str, ...]) -> dict[str, Any]:
    """The options of a role module (the connection options come from TwilioModule)."""
    spec = rl.argument_spec([NAME, PERMISSIONS])
    spec['friendly_name']['required'] = True
    spec.update(
        service=dict(type='str'),
        type=dict(type='str', choices=list(types)),
        state=dict(STATE_OPTION),
    )
    return spec


def role_collection(product: str, version: str, service_sid: str | None) -> Collection:
    """The roles of a service (``Services/{sid}/Roles``), or the account's (``Roles``) when ``service_sid`` is None."""
    path = 'Services/%s/Roles' % service_sid if service_sid else 'Roles'
    return Collection(product, version, path, 'role', 'RL', NAME, list_key='roles', sid_title='Role')


class Scope(object):
    """Where a module's roles live.

    ``services``: the Collection of the product's services (found by SID or friendly_name);
    ``defaults(module, service_sid, service)`` returns ``{setting: role SID}`` of the settings that
    point at roles (``service`` is the service's record when the lookup already read it, else None).
    """

    def __init__(
        self,
        product: str,
        version: str,
        services: Collection,
        service_label: str,
        defaults: Callable[[TwilioModule, str | None, Record | None], dict[str, Any]],
    ) -> None:
        self.product, self.version, self.services, self.service_label, self.defaults = product, version, services, service_label, defaults


def chat_scope(version: str) -> Scope:
    """The roles of a Chat service of API ``version`` (``chat_role``); the service's own fields name its default roles."""
    services = chat.collection(version)

    def defaults(module: TwilioModule, service_sid: str | None, service: Record | None) -> dict[str, Any]:
        if service is None and service_sid is not None:  # always a SID here: chat_role's service option is required
            service = rl.fetch(module, services, service_sid)
        return dict((name, (service or {}).get(name)) for name in CHAT_ROLE_SETTINGS)

    return Scope(chat.PRODUCT, version, services, 'chat service', defaults)


def conversations_defaults(module: TwilioModule, service_sid: str | None, service: Record | None) -> dict[str, Any]:
    """{setting: role SID} of a Conversations service's configuration: the account's default service for an account role."""
    if service_sid is None:
        service_sid = rl.read(module, conv.ACCOUNT_CONFIGURATION).get('default_chat_service_sid')
        if not service_sid:
            return {}
    configuration = rl.read(module, conv.CONFIGURATION, service_sid, 'conversations service %s' % service_sid)
    return dict((name, configuration.get(name)) for name in CONVERSATIONS_ROLE_SETTINGS)


# The roles of a Conversations service, or of the account (``conversations_role``).
CONVERSATIONS = Scope(conv.PRODUCT, conv.VERSION, conv.SERVICES, 'conversations service', conversations_defaults)


def check_options(params: Mapping[str, Any]) -> None:
    """Raise OptionError for a bad option, before any request."""
    NAME.check(params['friendly_name'])
    service = params.get('service')
    if service is not None and not service.strip():
        raise OptionError('service must be a service SID (IS followed by 32 hexadecimal digits) or a service friendly_name, got %r' % service)
    permissions = params.get('permissions')
    if permissions is not None:
        if not permissions:
            raise OptionError(
                'permissions must name at least one permission: Twilio replaces the whole list on every update and a form '
                'cannot send an empty list (leave permissions out to leave them alone)'
            )
        PERMISSIONS.check(permissions)


def find_service(module: TwilioModule, scope: Scope, service: str) -> tuple[str, Record | None]:
    """(service SID, its record when a listing read it) from the ``service`` option: a SID as given, a name looked up."""
    if SERVICE_SID_RE.fullmatch(service):
        return service, None
    with module.context('look up', scope.services.describe(service)):
        matches = creates.find_matching(module.client, scope.product, scope.version, scope.services.path, {'friendly_name': service}, key='services')
    if not matches:
        module.fail_json(msg='service %r: no %s has this friendly_name (nor is it a SID); nothing was changed' % (service, scope.service_label))
    if len(matches) > 1:
        sids = [r.get('sid') for r in matches]
        module.fail_json(
            msg='service %r matches %d %ss (%s); set service to the SID of one of them'
            % (service, len(matches), scope.service_label, ', '.join(s or '?' for s in sids)),
            sids=sids,
        )
    return matches[0]['sid'], matches[0]


def find_role(module: TwilioModule, roles: Collection, name: str, label: str) -> Record | None:
    """The role named ``name``, or None; several of that name fail, listing their SIDs."""
    with module.context('look up', label):
        matches = creates.find_matching(module.client, roles.product, roles.version, roles.path, {'friendly_name': name}, key='roles')
    if len(matches) > 1:
        sids = [r.get('sid') for r in matches]
        module.fail_json(
            msg='friendly_name %r matches %d roles (%s); roles are found by name, so delete all but one of them (or rename '
            'one through a new role) and run again' % (name, len(matches), ', '.join(s or '?' for s in sids)),
            sids=sids,
        )
    return matches[0] if matches else None


def shown(role: Mapping[str, Any]) -> dict[str, Any]:
    """A role in a diff: its SID, name, type and permissions (sorted: Twilio answers them in its own order)."""
    return {
        'sid': role.get('sid'),
        'friendly_name': role.get('friendly_name'),
        'type': role.get('type'),
        'permissions': sorted(role.get('permissions') or []),
    }


def ensure_present(module: TwilioModule, change: rl.Change, roles: Collection, current: Record | None, label: str) -> Record:
    """The role after making it exist with the wanted type and permissions (predicted in check mode)."""
    params = module.params
    name, kind, permissions = params['friendly_name'], params['type'], params['permissions']
    adopted = False
    if current is None:
        missing = [option for option, value in (('type', kind), ('permissions', permissions)) if value is None]
        if missing:
            module.fail_json(msg='%s does not exist; to create it set %s; nothing was changed' % (label, ' and '.join(missing)))
        if module.check_mode:
            record: Record = {'sid': None, 'friendly_name': name, 'type': kind, 'permissions': list(permissions)}
            change.created(shown(record))
            return record
        record, adopted = rl.create(module, roles, [('FriendlyName', name), ('Type', kind), ('Permission', list(permissions))], name, label=label)
        if not adopted:
            change.created(shown(record))
            return record
        current = record
    if kind is not None and current.get('type') != kind:
        module.fail_json(
            msg='%s (%s) is of type %s, not %s; Twilio cannot change the type of a role, and nothing was changed: '
            'set type to %s, or use another friendly_name for a new %s role'
            % (label, current.get('sid'), current.get('type'), kind, current.get('type'), kind),
            role=current,
        )
    change.found(shown(current))
    wanted = {PERMISSIONS: permissions} if permissions is not None else {}
    if not rl.differing([PERMISSIONS], wanted, current):
        return current
    if module.check_mode:
        record = rl.predict(current, [PERMISSIONS], wanted)
    else:
        with module.context('update', label):
            record = module.client.update(roles.product, roles.version, roles.item_path(current['sid']), [('Permission', list(permissions))])
        rl.check_applied(module, 'update', label, [PERMISSIONS], wanted, record, False, key='role')
    change.updated(shown(record))
    return record


def ensure_absent(
    module: TwilioModule, change: rl.Change, scope: Scope, roles: Collection, current: Record | None, service: tuple[str | None, Record | None], label: str
) -> Record:
    """Delete the role unless a setting of its service points at it."""
    if current is None:
        return {}
    pointing = sorted(setting for setting, sid in scope.defaults(module, service[0], service[1]).items() if sid and sid == current.get('sid'))
    if pointing:
        module.fail_json(
            msg='%s (%s) is the %s of its service; point %s at another role first (with the service module), then delete it; '
            'nothing was changed' % (label, current.get('sid'), ' and '.join(pointing), 'that setting' if len(pointing) == 1 else 'those settings'),
            role=current,
        )
    deleted = module.check_mode or rl.delete(module, roles, current['sid'], label)
    change.deleted(shown(current), deleted)
    return current


def run(module: TwilioModule, scope: Scope) -> dict[str, Any]:
    """The role module's run: validate, find the service (option ``service``) and the role, make it so."""
    params = module.params
    service_option = params['service']
    check_options(params)
    name = params['friendly_name']
    service: tuple[str | None, Record | None] = (None, None)
    if service_option is not None:
        service = find_service(module, scope, service_option)
    roles = role_collection(scope.product, scope.version, service[0])
    label = 'role %r of %s' % (name, '%s %s' % (scope.service_label, service[0]) if service[0] else 'the account')
    current = find_role(module, roles, name, label)
    change = rl.Change(module)
    if params['state'] == 'present':
        role = ensure_present(module, change, roles, current, label)
    else:
        role = ensure_absent(module, change, scope, roles, current, service, label)
    return change.result('role', role)
