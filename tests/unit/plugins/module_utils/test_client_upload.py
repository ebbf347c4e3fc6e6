# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""TwilioClient.upload: multipart to the serverless-upload product, through the one retry loop (against the emulator)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.chatops.twilio.plugins.module_utils._client import TwilioApiError, TwilioClient, TwilioError
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import ACCOUNT_SID, AUTH_TOKEN, make_service


@pytest.fixture
def client(emu):  # pylint: disable=redefined-outer-name
    warnings = []
    api = TwilioClient(
        ACCOUNT_SID, AUTH_TOKEN, account_sid=ACCOUNT_SID, base_url=emu.base_url + '/{product}', warn=warnings.append, retries=2, retry_timeout=10
    )
    api.warnings = warnings
    return api


def a_function(client, emu):  # pylint: disable=redefined-outer-name
    service, dummy = make_service(emu)
    function = client.request('POST', 'serverless', 'v1', 'Services/%s/Functions' % service['sid'], data=[('FriendlyName', '/hook')])[1]
    emu.request_log(clear=True)
    return 'Services/%s/Functions/%s/Versions' % (service['sid'], function['sid'])


def test_upload_sends_multipart_with_a_file_part(client, emu):  # pylint: disable=redefined-outer-name
    path = a_function(client, emu)
    version = client.upload(
        'serverless-upload', 'v1', path, [('Path', '/hook'), ('Visibility', 'protected')], [('Content', ('hook.js', b'exports.x=1;', 'application/javascript'))]
    )
    assert version['sid'].startswith('ZN') and version['path'] == '/hook' and version['visibility'] == 'protected'
    (entry,) = emu.request_log()
    assert entry['method'] == 'POST' and entry['path'] == '/serverless-upload/v1/' + path and entry['status'] == 201
    content = client.get('serverless', 'v1', '%s/%s/Content' % (path, version['sid']))
    assert content['content'] == 'exports.x=1;'


def test_upload_5xx_is_sent_again_through_the_retry_loop(client, emu):  # pylint: disable=redefined-outer-name
    path = a_function(client, emu)
    emu.set_faults(kinds=['503'], next=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr('ansible_collections.chatops.twilio.plugins.module_utils._client.time.sleep', lambda seconds: None)
        version = client.upload(
            'serverless-upload', 'v1', path, [('Path', '/hook'), ('Visibility', 'public')], [('Content', ('hook.js', b'x', 'application/javascript'))]
        )
    assert version['sid'].startswith('ZN')
    assert [e['fault'] for e in emu.request_log()] == ['503', None]
    assert client.retries_used == 1 and 'retry 1 of 2' in client.warnings[0]


def test_upload_redirect_is_refused(client, emu):  # pylint: disable=redefined-outer-name
    path = a_function(client, emu)
    emu.set_faults(kinds=['redirect'], next=1, location='http://127.0.0.1:9/steal')
    with pytest.raises(TwilioApiError) as exc:
        client.upload(
            'serverless-upload', 'v1', path, [('Path', '/hook'), ('Visibility', 'public')], [('Content', ('hook.js', b'x', 'application/javascript'))]
        )
    assert 'redirect' in exc.value.describe()
    assert len(emu.request_log()) == 1


def test_upload_path_guard_refuses_a_wrong_kind_of_sid(client):  # pylint: disable=redefined-outer-name
    with pytest.raises(TwilioError, match='not a ZH SID'):
        client.upload('serverless-upload', 'v1', 'Services/ZS%s/Functions/ZB%s/Versions' % ('0' * 32, '0' * 32), [], [('Content', ('a', b'', 'text/plain'))])
