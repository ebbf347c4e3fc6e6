# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.chatops.twilio.plugins.module_utils import _chat_fields as cf
from ansible_collections.chatops.twilio.plugins.module_utils import _export as ex
from ansible_collections.chatops.twilio.plugins.module_utils._resource import get_path
from ansible_collections.chatops.twilio.plugins.modules import chat_environments_export

from twilio_emulator.store import new_service
from twilio_emulator import chat as emulated_chat

main = chat_environments_export.main


def test_new_service_defaults_are_what_the_emulator_gives_a_new_service():
    """The one table of a new Chat service's settings agrees with the emulator's new service, field by field."""
    record = new_service('AC' + '0' * 32, 'x')
    shown = emulated_chat.serialize(record, 'v2', 'http://h')
    roles = dict((r['sid'], r['friendly_name']) for r in record['roles'].values())
    for field in cf.fields_for('v2'):
        value = get_path(shown, field.path)
        if field.path[-1] in cf.DEFAULT_ROLE_NAMES:
            assert roles[value] == cf.DEFAULT_ROLE_NAMES[field.path[-1]], field.option
        elif value is not None and field.path != ('friendly_name',):
            assert field.normalise(value) == field.normalise(cf.NEW_SERVICE_DEFAULTS.get(field.path)), field.option


def test_an_untouched_service_exports_nothing_but_its_name(run_module, twilio):
    twilio.add('acme-dev')
    twilio.add('acme-prod')
    code, result = run_module(main, {'app': 'acme', 'functions': False})
    assert code == 0 and result['changed'] is False and twilio.writes() == []
    assert result['apps'][0]['variables'] == {'chat_environments_app': 'acme', 'chat_environments_names': ['dev', 'prod']}


def test_sibling_apps_are_not_part_of_the_app(run_module, twilio):
    twilio.add('acme-prod')
    twilio.add('acme-support-prod')
    twilio.add('acme-prod-old')
    code, result = run_module(main, {'app': 'acme', 'functions': False})
    assert result['apps'][0]['variables']['chat_environments_names'] == ['prod']
    code, result = run_module(main, {'app': 'all', 'functions': False})
    assert [a['app'] for a in result['apps']] == ['acme', 'acme-prod', 'acme-support']
    # the account's default Conversations Service (Twilio's) fits no application
    assert result['unmatched'] == [{'sid': twilio.default_sid, 'name': 'Default Conversations Service', 'kind': 'chat'}]


def test_common_once_overrides_only_differences_roles_by_name(run_module, twilio):
    dev = twilio.add('acme-dev', reachability_enabled=True, limits={'channel_members': 300, 'user_channels': 100})
    prod = twilio.add('acme-prod', reachability_enabled=True, limits={'channel_members': 500, 'user_channels': 100})
    role = twilio.api('POST', '/chat/v2/Services/%s/Roles' % prod, {'FriendlyName': 'moderator', 'Type': 'channel', 'Permission': 'sendMessage'})
    twilio.api('POST', '/chat/v2/Services/%s' % prod, {'DefaultChannelRoleSid': role['sid']})
    twilio.api('POST', '/chat/v2/Services/%s' % dev, {'PostWebhookUrl': 'https://u:pw-secret-1@hooks.example.com/x'})
    code, result = run_module(main, {'app': 'acme', 'functions': False}, check=True)
    app = result['apps'][0]
    assert app['variables']['chat_environments_common'] == {'reachability_enabled': True}
    assert app['variables']['chat_environments_overrides'] == {
        'dev': {'limits': {'channel_members': 300}, 'post_webhook_url': 'https://u:{{ vault_acme_dev_post_webhook_url_password }}@hooks.example.com/x'},
        'prod': {'limits': {'channel_members': 500}, 'default_channel_role_sid': 'moderator'},
    }
    assert app['vault'] == {'vault_acme_dev_post_webhook_url_password': ''}
    assert 'pw-secret-1' not in json.dumps(result) and twilio.writes() == []


def test_bad_app_fails_before_any_request(run_module, twilio):
    for bad in ('acme/x', '-acme', 'acme-', ''):
        code, result = run_module(main, {'app': bad})
        assert code == 1 and 'app must be an application name' in result['msg']
    code, result = run_module(main, {'app': 'acme', 'api_versions': {'dev': 'v3'}})
    assert code == 1 and result['msg'] == 'api_versions.dev must be one of v1, v2, conversations, got \'v3\''
    assert twilio.calls == []


def test_an_app_without_services_fails_naming_it(run_module, twilio):
    twilio.add('other-dev')
    code, result = run_module(main, {'app': 'acme', 'functions': False})
    assert code == 1 and 'no service of app acme' in result['msg']


def test_split_common_and_vault_names():
    common, own = ex.split_common({'a': {('x',): 1, ('y',): 2}, 'b': {('x',): 1, ('y',): 3}})
    assert common == {('x',): 1} and own == {'a': {('y',): 2}, 'b': {('y',): 3}}
    assert ex.split_common({'a': {('x',): 1}}) == ({}, {'a': {('x',): 1}})
    assert ex.vault_name('acme-support', 'prod', 'API.Key') == 'vault_acme_support_prod_api_key'


def test_conversations_environments_share_their_own_common_settings(run_module, twilio):
    """Two environments read as Conversations (media notifications, Conversations filters) share their settings in
    chat_environments_conversations_common; a pinned API wins over the reading; the Chat environment stays on v2."""
    dev, stage = twilio.add('acme-dev'), twilio.add('acme-stage')
    twilio.add('acme-prod', reachability_enabled=True)
    twilio.configure(dev, 'webhooks', [('Filters', 'onMessageAdded'), ('PostWebhookUrl', 'https://h.example.com/c')])
    twilio.configure(stage, 'webhooks', [('Filters', 'onMessageAdded'), ('PostWebhookUrl', 'https://h.example.com/c')])
    twilio.configure(stage, 'notifications', {'NewMessage.WithMedia.Enabled': 'true'})
    code, result = run_module(main, {'app': 'acme', 'functions': False})
    app = result['apps'][0]
    assert dict((env, item['api_version']) for env, item in app['environments'].items()) == {'dev': 'conversations', 'stage': 'conversations', 'prod': 'v2'}
    assert app['variables']['chat_environments_conversations_common'] == {
        'webhooks': {'filters': ['onMessageAdded'], 'post_webhook_url': 'https://h.example.com/c'}
    }
    assert app['variables']['chat_environments_overrides'] == {
        'dev': {'api_version': 'conversations'},
        'stage': {'api_version': 'conversations', 'notifications': {'new_message': {'with_media': {'enabled': True}}}},
        'prod': {'reachability_enabled': True},
    }
    code, result = run_module(main, {'app': 'acme', 'functions': False, 'api_versions': {'dev': 'v2'}})
    app = result['apps'][0]
    assert app['environments']['dev']['api_version'] == 'v2'
    assert app['variables']['chat_environments_overrides']['dev'] == {'webhook_filters': ['onMessageAdded'], 'post_webhook_url': 'https://h.example.com/c'}
    assert twilio.writes() == []
