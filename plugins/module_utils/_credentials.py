# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""Push credentials (``CR``) of an account: Conversations ``/v1/Credentials`` (Chat's ``/v2/Credentials`` are
the same objects).

From ``twilio_conversations_v1.json``: create requires ``Type`` (``apn``, ``gcm`` or ``fcm``) and takes
``FriendlyName`` (at most 64 characters, prose), ``Certificate``, ``PrivateKey``, ``Sandbox`` (apn) and
``Secret`` (fcm); the answer never holds a secret, and ``sandbox`` is a string (``"True"``). The module
never sends ``Type`` on an update: a credential's type is fixed once made.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _create as creates
from ansible_collections.chatops.twilio.plugins.module_utils._fields import STATE_OPTION
from ansible_collections.chatops.twilio.plugins.module_utils._resource import Collection, Field, OptionError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record
    from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

PRODUCT = 'conversations'
VERSION = 'v1'
FRIENDLY_NAME_MAX = 64
TYPES = ('apn', 'fcm')
NAME = Field(('friendly_name',), 'name', max_len=FRIENDLY_NAME_MAX, aliases=('name',))
CREDENTIALS = Collection(PRODUCT, VERSION, 'Credentials', 'push credential', 'CR', NAME, list_key='credentials', sid_title='Credential')
#: option -> (form parameter, the type it belongs to). Never answered by Twilio, so never compared.
SECRETS = {'certificate': ('Certificate', 'apn'), 'private_key': ('PrivateKey', 'apn'), 'secret': ('Secret', 'fcm')}
#: What a create of each type needs.
REQUIRED_SECRETS = {'apn': ('certificate', 'private_key'), 'fcm': ('secret',)}
# What a diff shows for secrets that are sent: never their values (Twilio does not return them).
SECRETS_BEFORE = 'not readable'
SECRETS_AFTER = 'sent'

#: A push credential named in a service's notification settings (``path``: where). The specs give no service (Chat v1,
#: v2 or Conversations) a field that holds a credential: ``credential_sid`` is a field of Bindings only (read and
#: delete in the API), which the client SDK registers for each device with the credential SID the app gives it.
SERVICE_CREDENTIAL_REFUSED = (
    '%(path)s is not a service setting: Twilio picks the push credential per binding (each device the app registers '
    'names a credential SID), not per service, and no service setting holds one. Create the credential with '
    'chatops.twilio.conversations_credential and hand its sid to the app (docs/migrating-chat-to-conversations.md, '
    '"Push credentials")'
)


def credential_like(key: Any) -> bool:
    """Whether a settings key names a push credential (``credential``, ``credential_sid``, ``push_credential``...)."""
    return 'credential' in ('%s' % key).lower()


def credential_in_notifications(arguments: Any, where: str = '') -> str | None:
    """The refusal for the first credential-like key under ``notifications`` of a task's arguments, else None."""
    found = _credential_key(arguments.get('notifications') if isinstance(arguments, dict) else None, where + 'notifications')
    return SERVICE_CREDENTIAL_REFUSED % dict(path=found) if found else None


def _credential_key(data: Any, path: str) -> str | None:
    if not isinstance(data, dict):
        return None
    for key, value in data.items():
        here = '%s.%s' % (path, key)
        found = here if credential_like(key) else _credential_key(value, here)
        if found:
            return found
    return None


def argument_spec() -> dict[str, Any]:
    return dict(
        friendly_name=dict(type='str', required=True, aliases=['name']),
        type=dict(type='str', choices=list(TYPES)),
        sandbox=dict(type='bool'),
        certificate=dict(type='str', no_log=True),
        private_key=dict(type='str', no_log=True),
        secret=dict(type='str', no_log=True),
        update_secrets=dict(type='str', choices=['on_create', 'always'], default='on_create'),
        state=dict(STATE_OPTION),
    )


def check_options(params: Mapping[str, Any]) -> None:
    """Raise OptionError for a bad option, before any request (no message quotes a secret)."""
    NAME.check(params['friendly_name'])
    kind = params.get('type')
    for option, (dummy, owner) in SECRETS.items():
        value = params.get(option)
        if value is not None and not value.strip():
            raise OptionError('%s must not be empty' % option)
        if value is not None and kind is not None and kind != owner:
            raise OptionError('%s is for %s credentials only, and type is %s' % (option, owner, kind))
    if params.get('sandbox') is not None and kind == 'fcm':
        raise OptionError('sandbox is for apn credentials only, and type is fcm')


def check_for_type(params: Mapping[str, Any], kind: str | None) -> None:
    """The options that only fit another type, against the credential's actual ``kind`` (type left out)."""
    for option, (dummy, owner) in SECRETS.items():
        if params.get(option) is not None and kind != owner:
            raise OptionError('%s is for %s credentials only, and the credential is of type %s' % (option, owner, kind))
    if params.get('sandbox') is not None and kind != 'apn':
        raise OptionError('sandbox is for apn credentials only, and the credential is of type %s' % kind)


def secrets_form(params: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The secret form parameters the task sets."""
    return [(SECRETS[option][0], params[option]) for option in SECRETS if params.get(option) is not None]


def sandbox_differs(wanted: bool | None, answered: Any) -> bool:
    """Twilio answers sandbox as a string (``"True"``, ``"false"``): compared case-insensitively."""
    if wanted is None:
        return False
    return ('%s' % answered).strip().lower() != ('true' if wanted else 'false')


def shown(record: Mapping[str, Any]) -> dict[str, Any]:
    """A credential in a diff (Twilio returns no secret, so none can be shown)."""
    return dict((key, record.get(key)) for key in ('sid', 'friendly_name', 'type', 'sandbox'))


def secret_variants(params: Mapping[str, Any]) -> list[str]:
    """Every form in which a secret option could show up in an answer or a message: the value, its JSON-escaped
    and URL-quoted forms, and each of its lines of 8 characters or more (an error may quote a piece of a PEM)."""
    from urllib.parse import quote  # pylint: disable=import-outside-toplevel

    variants: set[str] = set()
    for option in SECRETS:
        value = params.get(option)
        if not value or len(value) < 4:  # as Redactor: a shorter value would mask common text (even the key "msg")
            continue
        variants.update([value, value.replace('\n', '\\n'), quote(value, safe='')])
        variants.update(line.strip() for line in value.splitlines() if len(line.strip()) >= 8)
    return sorted(variants, key=len, reverse=True)


def mask_secrets(module: TwilioModule) -> None:
    """Mask every variant of the secret options in the module's output.

    An answer or an error could quote a piece of a secret (a line of a PEM) that Ansible's own no_log masking,
    which looks for whole values, would miss.
    """
    variants = secret_variants(module.params)
    if module.redactor is not None:  # always set once TwilioModule is built
        module.redactor.variants = sorted(set(module.redactor.variants) | set(variants), key=len, reverse=True)
    module.no_log_values.update(variants)


def find(module: TwilioModule, name: str, label: str) -> Record | None:
    """The credential named ``name``, or None; several of that name fail, listing their SIDs."""
    with module.context('look up', label):
        matches = creates.find_matching(module.client, PRODUCT, VERSION, CREDENTIALS.path, {'friendly_name': name}, key='credentials')
    if len(matches) > 1:
        sids = [r.get('sid') for r in matches]
        listed = ', '.join(s or '?' for s in sids)
        module.fail_json(msg='friendly_name %r matches %d push credentials (%s); delete all but one of them' % (name, len(matches), listed), sids=sids)
    return matches[0] if matches else None


def sandbox_shown(kind: str | None, sandbox: bool | None) -> str | None:
    """``sandbox`` as Twilio answers it: ``"True"`` or ``"False"`` for an apn credential, None for another type."""
    return ('True' if sandbox else 'False') if kind == 'apn' else None


def new_credential(params: Mapping[str, Any]) -> tuple[Record, list[tuple[str, Any]]]:
    """(the predicted record, the create form) of a credential from the task's options."""
    kind = params['type']
    sandbox = bool(params['sandbox']) if kind == 'apn' else None
    predicted = {'sid': None, 'friendly_name': params['friendly_name'], 'type': kind, 'sandbox': sandbox_shown(kind, sandbox)}
    form = [('Type', kind), ('FriendlyName', params['friendly_name'])] + secrets_form(params)
    if kind == 'apn':
        form.append(('Sandbox', sandbox))
    return predicted, form
