# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""What goes into a Functions (Serverless) Environment: Variables, and the code a deploy ships.

Variables: their limits (checked before any request), their comparison without showing values.
The reserved variable ``CHATOPS_DEPLOY`` that records what a deploy shipped is defined here too, so that
``serverless_variables`` never deletes it. The deploy logic is in ``_source_tree.py``, ``_deploy_record.py``, ``_builds.py`` and ``_deploy.py``.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import json
from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable, Mapping
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record

# The variable in which serverless_deploy records the build it deployed and a hash per file (see _deploy_record.py).
RESERVED_KEY = 'CHATOPS_DEPLOY'
# Spec: Key up to 128 characters, Value up to 450 bytes.
KEY_MAX = 128
VALUE_MAX_BYTES = 450
# Twilio's docs (errors/82006): the invocation context, all variables as JSON among it, must stay within 3 KB.
# Our reading, as the emulator's: the variables as one compact JSON object count against 3,000 bytes.
CONTEXT_MAX_BYTES = 3000
HIDDEN = '(value hidden)'
HIDDEN_CHANGED = '(value hidden, changed)'


def variables(service_sid: str, environment_sid: str) -> rl.Collection:
    """The Variables of an environment, found by key (unique per environment: a second create answers 409)."""
    return rl.Collection(
        sl.PRODUCT,
        sl.VERSION,
        '%s/Variables' % sl.environments_path(service_sid, environment_sid),
        'serverless variable',
        'ZV',
        rl.Field(('key',), 'str', max_len=KEY_MAX),
        unique=True,
        list_key='variables',
        page_size=sl.PAGE_SIZE,
        sid_title='Serverless Variable',
    )


# ---- validation (no request) ---------------------------------------------------------------------


def as_text(key: str, value: Any, option: str = 'variables') -> str:
    """A variable's value as Twilio stores it: text; numbers and booleans as their text (``true``, ``3``)."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (int, float)):
        return '%s' % value
    if isinstance(value, str):
        return value
    kind = 'null' if value is None else type(value).__name__
    raise OptionError('%s.%s must be a string, a number or a boolean, got %s (the value is not shown)' % (option, key, kind))


def context_bytes(values: Mapping[str, str]) -> int:
    """The size the variables take in the invocation context: one compact JSON object in UTF-8."""
    return len(json.dumps(dict(values), separators=(',', ':'), ensure_ascii=False).encode('utf-8'))


def check_variables(raw: Mapping[str, Any], option: str = 'variables', allow_reserved: bool = False) -> dict[str, str]:
    """``{key: text}``; raises OptionError naming the key and the rule (never the value)."""
    wanted: dict[str, str] = {}
    for key in sorted(raw):
        if not isinstance(key, str) or not key:
            raise OptionError('%s keys must be non-empty strings, got %r' % (option, key))
        if len(key) > KEY_MAX:
            raise OptionError('%s key %s is %d characters long; Twilio allows at most %d' % (option, key[:40] + '...', len(key), KEY_MAX))
        if key == RESERVED_KEY and not allow_reserved:
            raise OptionError(
                '%s.%s is reserved: chatops.twilio.serverless_deploy keeps in it the build it deployed and the hashes of its files' % (option, RESERVED_KEY)
            )
        value = as_text(key, raw[key], option)
        size = len(value.encode('utf-8'))
        if size > VALUE_MAX_BYTES:
            raise OptionError(
                '%s.%s is %d bytes long in UTF-8; Twilio allows at most %d bytes per value (the value is not shown)' % (option, key, size, VALUE_MAX_BYTES)
            )
        wanted[key] = value
    check_budget(wanted, option)
    return wanted


def check_budget(values: Mapping[str, str], what: str = 'variables') -> None:
    size = context_bytes(values)
    if size > CONTEXT_MAX_BYTES:
        raise OptionError(
            '%s take %d bytes as JSON; an environment\'s variables must stay within %d bytes of the 3 KB invocation context '
            '(Twilio error 82006 "Environment Context too large")' % (what, size, CONTEXT_MAX_BYTES)
        )


# ---- reads -----------------------------------------------------------------------------------------


def by_key(records: Iterable[Record]) -> dict[str, Record]:
    return dict((r['key'], r) for r in records if isinstance(r.get('key'), str))


# ---- the plan ------------------------------------------------------------------------------------


def plan_variables(wanted: Mapping[str, str], current: Mapping[str, Record], purge: bool) -> tuple[list[str], list[str], list[str]]:
    """(added, changed, removed) keys; ``removed`` only with ``purge``, and never the reserved key."""
    added = [k for k in sorted(wanted) if k not in current]
    changed = [k for k in sorted(wanted) if k in current and current[k].get('value') != wanted[k]]
    removed = [k for k in sorted(current) if purge and k not in wanted and k != RESERVED_KEY]
    return added, changed, removed


def diff_sides(keys_before: Iterable[str], keys_after: Iterable[str], changed: Iterable[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Diff of the keys with their values hidden; a changed value shows as changed, never as itself."""
    changed = set(changed)
    before = dict((k, HIDDEN) for k in sorted(keys_before))
    after = dict((k, HIDDEN_CHANGED if k in changed else HIDDEN) for k in sorted(keys_after))
    return before, after
