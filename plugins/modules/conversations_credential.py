#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: conversations_credential
short_description: Manage the push credentials (APN, FCM) of a Twilio account for Conversations and Chat
version_added: "1.1.0"
description:
  - Create, update and delete a push notification credential (C(/v1/Credentials) of Conversations). Chat's
    C(/v2/Credentials) are the same objects, so a credential made for Chat is managed here too.
  - A credential is identified by its O(friendly_name) (optional at Twilio, required here). When two credentials have
    that name, the module fails and lists their SIDs.
  - Twilio never returns a credential's secrets, so they cannot be compared. With O(update_secrets=on_create) they are
    sent only to create the credential; with O(update_secrets=always) they are sent on every run, which then always
    reports a change (check mode included).
  - The secrets never appear in the module's output, its diff or its messages, also with C(-v).
  - B(Which credential a push uses.) Twilio picks the credential per binding, not per service. The client SDK in the
    app registers each device (a binding) with the SID of a credential, and no Chat or Conversations service setting
    names one. Twilio's OpenAPI specs have C(credential_sid) only on Bindings, which the REST API can only read and
    delete. So the service modules have no credential option (a credential-like key under their C(notifications)
    fails, naming the rule); hand RV(credential.sid) to the app instead (docs/migrating-chat-to-conversations.md).
extends_documentation_fragment:
  - chatops.twilio.connection
  - chatops.twilio.attributes
attributes:
  check_mode:
    details: Sends no write request and returns the predicted credential.
  diff_mode:
    details:
      - Shows the credential's SID, name, type and sandbox before and after, and C(secrets) when they are sent (never
        their values). On create C(before) is empty, on delete C(after) is empty.
options:
  friendly_name:
    description:
      - Name of the credential, at most 64 characters; identifies it.
    type: str
    required: true
    aliases: [name]
  type:
    description:
      - V(apn) (Apple Push Notification service) or V(fcm) (Firebase Cloud Messaging). Required to create the
        credential.
      - Twilio cannot change a credential's type. A credential of that name with another type (also a legacy V(gcm)
        one) fails the task with no write; the module never sends the type on an update.
    type: str
    choices: [apn, fcm]
  sandbox:
    description:
      - APN only; V(true) sends notifications to the APN sandbox, V(false) to production. Refused with V(fcm).
      - Twilio answers it as a string (C("True")); it is compared case-insensitively.
    type: bool
  certificate:
    description:
      - APN only; the certificate (PEM text). Required to create an V(apn) credential.
    type: str
  private_key:
    description:
      - APN only; the private key (PEM text). Required to create an V(apn) credential.
    type: str
  secret:
    description:
      - FCM only; the server key of the Firebase project. Required to create an V(fcm) credential.
    type: str
  update_secrets:
    description:
      - V(on_create) sends O(certificate), O(private_key) and O(secret) only when the credential is created.
      - V(always) sends the ones set on every run (Twilio never returns them, so they cannot be compared), which
        reports a change on every run, check mode included.
    type: str
    choices: [on_create, always]
    default: on_create
  state:
    description:
      - V(present) creates the credential if needed and makes its settings so, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - "Requests: one credential listing; a create adds the POST and a second listing about two seconds later that
    makes concurrent runs creating the same credential converge on one; an update (sandbox, or secrets with
    O(update_secrets=always)) one POST; a delete one DELETE."
seealso:
  - module: chatops.twilio.conversations_service
  - name: Conversations Credential resource
    description: The parameters of a push credential, for each of its types (APN and FCM).
    link: https://www.twilio.com/docs/conversations/api/credential-resource
'''

EXAMPLES = r'''
- name: An FCM credential for the Android app (the server key from a vault)
  chatops.twilio.conversations_credential:
    friendly_name: android-push
    type: fcm
    secret: "{{ fcm_server_key }}"

- name: An APN credential for the iOS app, on the sandbox while in development
  chatops.twilio.conversations_credential:
    friendly_name: ios-push
    type: apn
    sandbox: true
    certificate: "{{ apn_certificate }}"
    private_key: "{{ apn_private_key }}"

- name: Rotate the FCM server key (sent on every run)
  chatops.twilio.conversations_credential:
    friendly_name: android-push
    type: fcm
    secret: "{{ fcm_server_key }}"
    update_secrets: always

- name: Delete the APN credential
  chatops.twilio.conversations_credential:
    friendly_name: ios-push
    state: absent
'''

RETURN = r'''
credential:
  description:
    - The credential as returned by Twilio (snake_case), which never includes its secrets.
    - In check mode, the predicted credential; a credential that would be created has no RV(credential.sid) yet.
    - With O(state=absent), the credential that was (or would be) deleted, or V({}) when there was none.
  returned: always
  type: dict
  sample: {"sid": "CR0123456789abcdef0123456789abcdef", "friendly_name": "ios-push", "type": "apn", "sandbox": "True"}
  contains:
    sid:
      description: SID of the credential, which the app's client SDK gives Twilio when it registers a device for push.
      type: str
      sample: CR0123456789abcdef0123456789abcdef
    friendly_name:
      description: Name of the credential.
      type: str
      sample: ios-push
    type:
      description: V(apn), V(fcm) or V(gcm).
      type: str
      sample: apn
    sandbox:
      description: For an V(apn) credential, whether it uses the APN sandbox, as Twilio answers it (a string).
      type: str
      sample: "True"
retries_used:
  description: How many HTTP requests were sent again after a transient failure.
  returned: always
  type: int
  sample: 0
'''

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _credentials as cred
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

if TYPE_CHECKING:  # annotations only
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record


def create(module: TwilioModule, change: rl.Change, label: str) -> tuple[Record, bool]:
    params = module.params
    missing = [option for option in ('type',) + cred.REQUIRED_SECRETS.get(params['type'], ()) if params.get(option) is None]
    if missing:
        module.fail_json(msg='%s does not exist; to create it set %s; nothing was changed' % (label, ' and '.join(missing)))
    predicted, form = cred.new_credential(params)
    if module.check_mode:
        change.created(cred.shown(predicted))
        return predicted, False
    record, adopted = rl.create(module, cred.CREDENTIALS, form, params['friendly_name'], label=label)
    if not adopted:
        change.created(cred.shown(record))
    return record, adopted


def update(module: TwilioModule, change: rl.Change, current: Record, label: str) -> Record:
    params = module.params
    kind = current.get('type')
    if params['type'] is not None and params['type'] != kind:
        module.fail_json(
            msg='%s (%s) is of type %s, not %s; Twilio cannot change the type of a credential, and nothing was changed: '
            'delete it first, or use another friendly_name' % (label, current.get('sid'), kind, params['type']),
            credential=current,
        )
    cred.check_for_type(params, kind)
    data = []
    if cred.sandbox_differs(params['sandbox'], current.get('sandbox')):
        data.append(('Sandbox', params['sandbox']))
    secrets = cred.secrets_form(params) if params['update_secrets'] == 'always' else []
    change.found(cred.shown(current))
    if not data and not secrets:
        return current
    if module.check_mode:
        record = dict(current)
        if data:
            record['sandbox'] = cred.sandbox_shown(kind, params['sandbox'])
    else:
        with module.context('update', label):
            record = module.client.update(cred.PRODUCT, cred.VERSION, cred.CREDENTIALS.item_path(current['sid']), data + secrets)
        if cred.sandbox_differs(params['sandbox'], record.get('sandbox')):
            module.fail_json(
                msg='Twilio accepted the update of %s but did not apply sandbox (sent %s, Twilio has %r)' % (label, params['sandbox'], record.get('sandbox')),
                changed=True,
                credential=record,
            )
    after = cred.shown(record)
    if secrets:
        change.before['secrets'], after['secrets'] = cred.SECRETS_BEFORE, cred.SECRETS_AFTER
    change.updated(after)
    return record


def run(module: TwilioModule) -> dict[str, Any]:
    params = module.params
    cred.check_options(params)
    name = params['friendly_name']
    label = 'push credential %r' % name
    current = cred.find(module, name, label)
    change = rl.Change(module)
    if params['state'] == 'absent':
        credentials = rl.Lifecycle(module, cred.CREDENTIALS, shown=lambda record, managed: cred.shown(record or {}), key='credential')
        return change.result('credential', credentials.absent(change, current, label))
    if current is None:
        current, adopted = create(module, change, label)
        if not adopted:
            return change.result('credential', current)
    return change.result('credential', update(module, change, current, label))


def main() -> None:
    module = TwilioModule(argument_spec=cred.argument_spec(), resource='push credential', supports_check_mode=True)
    cred.mask_secrets(module)
    module.run(run)


if __name__ == '__main__':
    main()
