# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Conversations section of ``make bench``: requests per operation of the Conversations modules.

``conversations_services`` (a set of three services in one run) is measured last, with its floors.

Measured against the floor with the same filler services as the Chat section (a Chat service and a
Conversations Service are one object, so the Conversations listing has as many pages).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import harness  # pylint: disable=import-error

TARGET = 'bench-conversations'
SETTINGS = {
    'configuration': {'reachability_enabled': True},
    'notifications': {'new_message': {'enabled': True, 'template': '${MESSAGE}'}},
    'webhooks': {'post_webhook_url': 'https://hooks.example.com/conversations', 'filters': ['onMessageAdded']},
}
SET_NAMES = ('bench-conversations-dev', 'bench-conversations-stage', 'bench-conversations-prod')
ACCOUNT = {'default_inactive_timer': 'PT30M', 'webhooks': {'filters': ['onConversationAdded']}}


def per_operation(bench, shape, floor_text):
    """(services in the account, rows of operation, measured, floor, at floor, wall time, note)."""
    bench.delete_named(TARGET)
    total = bench.total() + 1
    pages = harness.pages_for(total)
    rows = []

    def measure(label, module, args, floor, note=''):
        run, log = bench.module(module, args)
        rows.append((label, shape(log), floor_text(*floor), sum(floor) == len(log) and shape(log) == floor_text(*floor), run.duration, note))
        return run

    created = measure(
        'create with the 3 settings resources (by name)',
        'conversations_service',
        dict(SETTINGS, friendly_name=TARGET),
        (2 * pages, 4),
        'listing, POST, namesake-check listing (the duplicate guard), 1 POST per resource off the defaults',
    )
    sid = created.result['service']['sid']
    measure('no-op by sid, 3 resources', 'conversations_service', dict(SETTINGS, sid=sid), (4,), '1 GET + 1 GET per managed resource')
    measure('no-op by sid, webhooks only', 'conversations_service', {'sid': sid, 'webhooks': SETTINGS['webhooks']}, (2,), 'unmanaged resources are not read')
    measure('no-op by name, 3 resources', 'conversations_service', dict(SETTINGS, friendly_name=TARGET), (pages + 3,), 'ceil(N/100) pages + 3')
    measure('update one resource by sid', 'conversations_service', {'sid': sid, 'webhooks': {'filters': ['onMessageAdded', 'onMessageUpdated']}}, (2, 1))
    measure('info by sid with the 3 resources', 'conversations_service_info', {'sid': sid, 'include': ['configuration', 'notifications', 'webhooks']}, (4,))
    measure('info by name', 'conversations_service_info', {'friendly_name': TARGET}, (pages,))
    role_operations(measure, sid, pages)
    measure(
        'delete by sid',
        'conversations_service',
        {'sid': sid, 'state': 'absent'},
        (2, 0, 1),
        'read, the account configuration (the default service is kept), DELETE',
    )
    measure(
        'create with defaults only (by name)',
        'conversations_service',
        {'friendly_name': TARGET, 'webhooks': {'method': 'POST'}},
        (2 * pages, 1),
        'settings already at Twilio\'s defaults: no POST for them',
    )
    measure(
        'delete by name', 'conversations_service', {'friendly_name': TARGET, 'state': 'absent'}, (pages + 1, 0, 1), 'listing, the account configuration, DELETE'
    )
    measure('account configuration, first run', 'conversations_configuration', ACCOUNT, (2, 2))
    measure('account configuration, no-op', 'conversations_configuration', ACCOUNT, (2,))
    measure('account configuration, webhooks only no-op', 'conversations_configuration', {'webhooks': ACCOUNT['webhooks']}, (1,))
    bench.module('conversations_configuration', {'default_inactive_timer': '', 'webhooks': {'filters': []}})
    credential_operations(measure)
    set_operations(bench, measure)
    return total, rows


def role_operations(measure, sid, pages):
    """chat_role and conversations_role on the service ``sid`` (its 4 default roles and one more: one page of roles)."""
    role = {'service': sid, 'friendly_name': 'bench-role', 'type': 'channel', 'permissions': ['sendMessage', 'leaveChannel']}
    measure('chat_role create (service by sid)', 'chat_role', role, (2, 1), 'role listing, POST, namesake-check listing')
    measure('chat_role no-op (service by sid)', 'chat_role', role, (1,), '1 role listing')
    measure('chat_role no-op (service by name)', 'chat_role', dict(role, service=TARGET), (pages + 1,), 'ceil(N/100) pages + 1 role listing')
    measure('chat_role update permissions', 'chat_role', dict(role, permissions=['sendMessage']), (1, 1), 'role listing, 1 POST with the whole list')
    measure(
        'conversations_role no-op (service by sid)',
        'conversations_role',
        {'service': sid, 'friendly_name': 'bench-role', 'type': 'conversation', 'permissions': ['sendMessage']},
        (1,),
        '1 role listing (50 a page)',
    )
    measure(
        'chat_role delete (service by sid)',
        'chat_role',
        {'service': sid, 'friendly_name': 'bench-role', 'state': 'absent'},
        (2, 0, 1),
        'role listing, service GET (its default role SIDs), DELETE',
    )


def credential_operations(measure):
    """conversations_credential: an FCM credential made, left alone, rotated and deleted (one page of credentials)."""
    credential = {'friendly_name': 'bench-push', 'type': 'fcm', 'secret': 'bench-fcm-server-key'}
    measure('push credential create', 'conversations_credential', credential, (2, 1), 'credential listing, POST, namesake-check listing')
    measure('push credential no-op', 'conversations_credential', credential, (1,), '1 credential listing; secrets are not sent again')
    measure(
        'push credential rotate (update_secrets: always)',
        'conversations_credential',
        dict(credential, update_secrets='always'),
        (1, 1),
        'credential listing, 1 POST with the secret',
    )
    measure('push credential delete', 'conversations_credential', {'friendly_name': 'bench-push', 'state': 'absent'}, (1, 0, 1))


def set_operations(bench, measure):
    """conversations_services: three services of an app in one run, each managing its webhooks."""
    before = harness.pages_for(bench.total())
    after = harness.pages_for(bench.total() + len(SET_NAMES))
    services = [{'name': name, 'settings': {'webhooks': SETTINGS['webhooks']}} for name in SET_NAMES]
    # the app's name pattern, as the role gives it: the filler services and the account's default Conversations
    # Service are no stray candidates, so the account configuration is read only when the set deletes
    app = {'stray_pattern': 'bench-conversations-.*'}
    measure(
        'set of 3: create, webhooks managed',
        'conversations_services',
        dict(app, services=services),
        (before + after, 2 * len(SET_NAMES)),
        'listing, 3 POSTs, one namesake-check listing for all, 1 POST each for the webhooks',
    )
    measure(
        'set of 3: no-op, webhooks managed',
        'conversations_services',
        dict(app, services=services),
        (after + len(SET_NAMES),),
        'ceil(N/100) pages + 1 GET per managed resource',
    )
    measure(
        'set of 3: no-op, no settings managed',
        'conversations_services',
        dict(app, services=[{'name': name} for name in SET_NAMES]),
        (after,),
        'ceil(N/100) pages: nothing else is read',
    )
    changed = [dict(services[0], settings={'webhooks': dict(SETTINGS['webhooks'], method='GET')})] + services[1:]
    measure('set of 3: update one resource of one', 'conversations_services', dict(app, services=changed), (after + len(SET_NAMES), 1))
    measure(
        'set of 3: delete',
        'conversations_services',
        dict(app, services=[{'name': name, 'state': 'absent'} for name in SET_NAMES]),
        (after + 1, 0, len(SET_NAMES)),
        'the listing, the account configuration (its default service is never deleted), 1 DELETE each (settings are not read)',
    )


def markdown(ops):
    total, rows = ops
    lines = [
        '',
        '## Conversations: requests per operation against the floor',
        '',
        'With %d services in the account (ceil(N/100) = %d list pages; Chat and Conversations services are the same '
        'objects). A create lists twice: before the POST to find the service, and about two seconds after it, '
        'the duplicate guard of the client that makes concurrent runs creating the same name converge on one '
        'service. Each settings resource (configuration, notifications, webhooks) is read only when the task '
        'sets one of its options, and written only when it differs (on a create: from Twilio\'s defaults for a '
        'new service). The `set of 3` rows are `conversations_services`: one listing for the three services, then '
        'per service only the resources it manages.' % (total, harness.pages_for(total)),
        '',
        '| operation | measured | floor | at floor | module wall time | note |',
        '|---|---|---|---|---:|---|',
    ]
    for label, measured, floor, ok, duration, note in rows:
        lines.append('| %s | %s | %s | %s | %.2f s | %s |' % (label, measured, floor, 'yes' if ok else '**no**', duration, note))
    return '\n'.join(lines) + '\n'
