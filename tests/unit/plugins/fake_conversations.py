# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fake Twilio of fake_twilio.py, with the Conversations configuration resources.

Services are the fake's services (one object for Chat and Conversations). Each service's
``Configuration``, ``Configuration/Notifications`` and ``Configuration/Webhooks`` and the
account's ``Configuration`` and ``Configuration/Webhooks`` are plain dicts in Conversations
names, written by decoding the form names by rule (``NewMessage.WithMedia.Enabled`` ->
``new_message.with_media.enabled``), not from the collection's table.
``drop`` names form parameters that an update accepts but does not apply.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import re

from ansible_collections.chatops.twilio.tests.unit.plugins.fake_twilio import (
    ACCOUNT_SID,
    FakeTwilio,
    response,
    snake,
    twilio_error,
)

_EVENT = {'enabled': False, 'template': None, 'sound': None}


def fresh_settings(sid):
    return {
        'configuration': {
            'chat_service_sid': sid,
            'reachability_enabled': False,
            'default_chat_service_role_sid': 'RL%032x' % 1,
            'default_conversation_role_sid': 'RL%032x' % 2,
            'default_conversation_creator_role_sid': 'RL%032x' % 3,
        },
        'notifications': {
            'chat_service_sid': sid,
            'log_enabled': False,
            'new_message': dict(_EVENT, badge_count_enabled=False, with_media={'enabled': False, 'template': None}),
            'added_to_conversation': dict(_EVENT),
            'removed_from_conversation': dict(_EVENT),
        },
        'webhooks': {'chat_service_sid': sid, 'pre_webhook_url': None, 'post_webhook_url': None, 'filters': [], 'method': 'POST'},
    }


class FakeConversations(FakeTwilio):

    def __init__(self):
        super(FakeConversations, self).__init__()
        self.settings = {}
        self.account = {
            'configuration': {
                'account_sid': ACCOUNT_SID,
                'default_chat_service_sid': None,
                'default_messaging_service_sid': None,
                'default_inactive_timer': None,
                'default_closed_timer': None,
            },
            'webhooks': {'account_sid': ACCOUNT_SID, 'pre_webhook_url': None, 'post_webhook_url': None, 'filters': [], 'method': 'POST', 'target': 'webhook'},
        }
        self.drop = set()

    def add(self, name, **fields):
        sid = super(FakeConversations, self).add(name, **fields)
        self.settings[sid] = fresh_settings(sid)
        return sid

    def conv_writes(self):
        return [c for c in self.writes() if '/Configuration' in c[1] or c[0] == 'DELETE' or c[1].endswith('Services')]

    def _serve(self, method, path, query, data):
        match = re.match(r'^/v1/Services/([^/]+)/Configuration(?:/(Notifications|Webhooks))?$', path)
        if match:
            sid, part = match.groups()
            if sid not in self.services:
                return twilio_error(404, 20404, 'The requested resource %s was not found' % path)
            return self._singleton(method, self.settings[sid][(part or 'configuration').lower()], data)
        match = re.match(r'^/v1/Configuration(?:/(Webhooks))?$', path)
        if match:
            return self._singleton(method, self.account[(match.group(1) or 'configuration').lower()], data)
        answer = super(FakeConversations, self)._serve(method, path, query, data)
        if method == 'POST' and re.match(r'^/v1/Services$', path) and answer.status_code == 201:
            sid = answer.json()['sid']
            self.settings[sid] = fresh_settings(sid)
        return answer

    @staticmethod
    def _view(service, version):
        """The Conversations view of a service: it has no settings of its own."""
        keys = ('sid', 'account_sid', 'friendly_name', 'date_created', 'date_updated')
        view = dict((key, service[key]) for key in keys)
        view['url'] = 'https://conversations.twilio.com/v1/Services/%s' % service['sid']
        view['links'] = {'configuration': view['url'] + '/Configuration'}
        return view

    def _singleton(self, method, record, data):
        if method == 'POST':
            lists = {}
            for name, value in data:
                if name in self.drop:
                    continue
                keys = [snake(p) for p in name.split('.')]
                if name == 'Filters':
                    lists.setdefault('filters', [])
                    if value:
                        lists['filters'].append(value)
                    continue
                if value in ('true', 'false'):
                    value = value == 'true'
                elif value == '':
                    value = None
                elif keys[-1] == 'method':
                    value = value.upper()
                target = record
                for key in keys[:-1]:
                    target = target.setdefault(key, {})
                target[keys[-1]] = value
            record.update(lists)
        return response(200, copy.deepcopy(record))
