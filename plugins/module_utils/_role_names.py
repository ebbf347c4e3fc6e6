# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""A service's ``default_*_role_sid`` settings given as a role's friendly_name, resolved to its RL SID.

Twilio takes only SIDs in these settings (``^RL[0-9a-fA-F]{32}$`` in every spec), but roles are made per
service, so a SID cannot be written down before the service exists. A value that is not a role SID is
read as the friendly_name of one of that service's roles: one listing of the service's roles, only
when such a name is given, finds its SID. A name no role has, or one that several roles have, fails
naming the option and listing the roles. Fields opt in with the rule ``names=True`` (``Field._check_sid``
then accepts a name).
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import re
from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils._roles import role_collection

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record
    from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

ROLE_SID_RE = re.compile(r'RL[0-9a-fA-F]{32}')


def named(wanted: Mapping[rl.Field, Any]) -> list[rl.Field]:
    """The role fields of ``wanted`` whose value is a role's name, not its SID."""
    return [f for f, value in wanted.items() if f.kind == 'sid' and f.rules.get('names') and isinstance(value, str) and not ROLE_SID_RE.fullmatch(value)]


def resolve(
    module: TwilioModule, product: str, version: str, service: Record | None, wanted: Mapping[rl.Field, Any], created: bool = False
) -> dict[rl.Field, Any]:
    """``wanted`` with every role name replaced by its role's SID in ``service``.

    A service not made yet (check mode, ``sid`` None) has no roles to list: its names stay as given, and
    the prediction shows them as such. ``created``: this run made the service (a failure says so).
    """
    result = dict(wanted)
    fields = named(wanted)
    sid = (service or {}).get('sid')
    if not fields or not sid:
        return result
    outcome = 'the service was created, with the roles Twilio gives it' if created else 'nothing was changed'
    service_label = 'service %s (%r)' % (sid, (service or {}).get('friendly_name'))
    roles = rl.listing(module, role_collection(product, version, sid), service_label)
    for field in fields:
        name = wanted[field]
        matches = [r for r in roles if r.get('friendly_name') == name]
        if len(matches) == 1:
            result[field] = matches[0].get('sid')
            continue
        known = ', '.join('%r (%s)' % (r.get('friendly_name'), r.get('sid')) for r in roles) or 'none'
        if matches:
            module.fail_json(
                msg='%s: %d roles of %s are named %r (%s); set %s to the SID of one of them; %s'
                % (field.option, len(matches), service_label, name, ', '.join(r.get('sid') or '?' for r in matches), field.option, outcome),
                sids=[r.get('sid') for r in matches],
            )
        module.fail_json(
            msg='%s: %s has no role named %r (a value that is not a role SID is a role\'s friendly_name); its roles: %s; %s'
            % (field.option, service_label, name, known, outcome),
            sids=[r.get('sid') for r in roles],
        )
    return result
