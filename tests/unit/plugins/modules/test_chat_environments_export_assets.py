# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""export with functions_sources: public Assets read from the environment's domain, unauthenticated and bounded."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import os

import pytest
import requests

from ansible_collections.chatops.twilio.plugins.module_utils import _exchange
from ansible_collections.chatops.twilio.plugins.module_utils import _endpoints as ep
from ansible_collections.chatops.twilio.plugins.module_utils._client import TwilioClient
from ansible_collections.chatops.twilio.plugins.module_utils._errors import TwilioAnswerError, TwilioApiError, TwilioConfigError, TwilioError
from ansible_collections.chatops.twilio.plugins.modules import chat_environments_export, serverless_deploy
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import ACCOUNT_SID, AUTH_TOKEN, log_writes, make_service

# A 1x1 PNG: bytes that are not UTF-8 (0x89 first), with a NUL and CR LF inside.
PNG = base64.b64decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==')
CSS = 'body { color: #333; }\r\n/* caf\u00e9 */\n'


def write(root, relative, data):
    path = os.path.join(str(root), relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as handle:
        handle.write(data if isinstance(data, bytes) else data.encode('utf-8'))


def serve(emu, environment, files):
    """Deploy ``{(kind, path, visibility): bytes}`` to an environment straight through the API, as the Toolkit does (no
    CHATOPS_DEPLOY, and none of serverless_deploy's settle waits)."""
    session = requests.Session()
    session.auth = (ACCOUNT_SID, AUTH_TOKEN)
    service = '%s/serverless/v1/Services/%s' % (emu.base_url, environment['service_sid'])
    versions = []
    for (kind, path, visibility), data in sorted(files.items()):
        plural = kind.capitalize() + 's'
        parent = session.post('%s/%s' % (service, plural), data={'FriendlyName': path}, timeout=10).json()
        upload = '%s/serverless-upload/v1/Services/%s/%s/%s/Versions' % (emu.base_url, environment['service_sid'], plural, parent['sid'])
        content = data if isinstance(data, bytes) else data.encode('utf-8')
        answer = session.post(upload, data={'Path': path, 'Visibility': visibility}, files={'Content': (path[1:], content, 'text/plain')}, timeout=10)
        versions.append((kind.capitalize() + 'Versions', answer.json()['sid']))
    build = session.post(service + '/Builds', data=versions + [('Runtime', 'node22')], timeout=10).json()
    answer = session.post('%s/Environments/%s/Deployments' % (service, environment['sid']), data={'BuildSid': build['sid']}, timeout=10)
    assert answer.status_code == 201, answer.text


PUBLIC = {
    ('function', '/hi', 'public'): 'exports.handler = (c, e, cb) => cb(null, "hi");\n',
    ('asset', '/style.css', 'public'): CSS,
    ('asset', '/img/logo.png', 'public'): PNG,
}


@pytest.fixture
def deployed(emu, api):
    """acme's dev serves a Function and two public Assets (text, PNG); prod also a protected Asset."""
    emu.serverless.configure({'build_delay_ms': 0})
    dummy, envs = make_service(emu, 'acme', ('dev', 'prod'))
    for env in ('dev', 'prod'):
        api('POST', '/chat/v2/Services', {'FriendlyName': 'acme-%s' % env})
    serve(emu, envs['dev'], PUBLIC)
    serve(emu, envs['prod'], {**PUBLIC, **{('asset', '/hook.json', 'protected'): '{"k": 1}\n'}})
    emu.clear_request_log()
    return envs


def test_public_assets_exported_byte_identical_protected_listed_missing(emu, run_emulated, deployed, tmp_path):
    out = str(tmp_path / 'out')
    code, result = run_emulated(chat_environments_export.main, dict(app='acme', functions_sources=out))
    assert code == 0, result
    files = dict((f['path'][len(out) + 1 :], f) for f in result['files'])
    # text as text (written by copy as UTF-8, so byte-identical), the PNG as base64 of its bytes
    assert files['dev/assets/style.css']['content'] == CSS
    assert base64.b64decode(files['dev/assets/img/logo.png']['content_base64']) == PNG
    assert 'content' not in files['dev/assets/img/logo.png']
    assert 'dev/functions/hi.js' in files and 'prod/assets/style.css' in files
    overrides = result['apps'][0]['variables']['chat_environments_overrides']
    # dev was read whole: its tree is the source; prod's protected Asset cannot be read: named, prod gets no source
    assert overrides['dev']['functions_source'] == out + '/dev'
    assert 'functions_source' not in overrides.get('prod', {})
    assert 'prod/assets/hook.protected.json' not in files
    [warning] = [w for w in result['apps'][0]['warnings'] if 'hook' in w]
    assert '/hook.json (protected)' in warning and out + '/prod/assets/hook.protected.json' in warning
    # the domain was asked once per public Asset (2 in dev, 2 in prod; never the protected one), without credentials
    log = emu.request_log()
    domain = [e for e in log if e['path'].startswith('/serverless-domains/')]
    assert len(domain) == 4 and all(e['authorization'] is False and e['status'] == 200 for e in domain)
    assert deployed['dev']['domain_name'] in domain[0]['path'] or deployed['dev']['domain_name'] in domain[1]['path']
    assert log_writes(log) == []


def test_a_deploy_of_the_exported_tree_is_a_noop(emu, run_emulated, deployed, tmp_path):
    """dev was deployed behind the collection's back: no CHATOPS_DEPLOY, so the plan reads each public Asset from the
    domain (and each Function through /Content) and uploads nothing."""
    out = tmp_path / 'out'
    code, result = run_emulated(chat_environments_export.main, dict(app='acme', functions_sources=str(out)))
    for item in result['files']:
        write(
            os.path.dirname(item['path']),
            os.path.basename(item['path']),
            base64.b64decode(item['content_base64']) if 'content_base64' in item else item['content'],
        )
    emu.clear_request_log()
    code, result = run_emulated(serverless_deploy.main, dict(service='acme', environment='dev', source=str(out / 'dev')))
    assert code == 0 and result['changed'] is False, result
    log = emu.request_log()
    assert log_writes(log) == []
    assert len([e for e in log if e['path'].startswith('/serverless-domains/')]) == 2


def public_client(emu, **kwargs):
    return TwilioClient(ACCOUNT_SID, AUTH_TOKEN, base_url=emu.base_url + '/{product}', session=requests.Session(), retry_timeout=5, **kwargs)


def test_get_public_sends_no_credentials_and_refuses_redirects(emu, deployed):
    domain = deployed['dev']['domain_name']
    client = public_client(emu)
    assert client.get_public(domain, '/img/logo.png') == PNG
    # a redirect, to another host or not, is refused (never followed), before any credential could go along
    emu.set_faults(next=1, kinds=['redirect'], location='http://evil.example/steal')
    with pytest.raises(TwilioApiError) as exc:
        client.get_public(domain, '/img/logo.png')
    assert 'HTTP 302 redirect to evil.example:80 refused' in str(exc.value)
    log = emu.request_log()
    assert [e['status'] for e in log] == [200, 302]
    assert [e.get('authorization') for e in log] == [False, None]  # the redirect fault answers before the domain route
    with pytest.raises(TwilioApiError) as exc:
        client.get_public(domain, '/hook.json')  # not served in dev
    assert exc.value.status == 404


def test_protected_asset_answers_403(emu, deployed):
    with pytest.raises(TwilioApiError) as exc:
        public_client(emu).get_public(deployed['prod']['domain_name'], '/hook.json')
    assert exc.value.status == 403


def test_get_public_refuses_a_body_larger_than_an_asset(emu, deployed, monkeypatch):
    monkeypatch.setattr(_exchange, 'ASSET_MAX_BYTES', len(PNG) - 1)
    with pytest.raises(TwilioAnswerError) as exc:
        public_client(emu, retries=0).get_public(deployed['dev']['domain_name'], '/img/logo.png')
    assert 'HTTP 200 answer of %d bytes refused: an Asset holds at most %d bytes' % (len(PNG), len(PNG) - 1) in str(exc.value)


@pytest.mark.parametrize('domain', ['evil.example', 'acme-1234.twil.io.evil.example', 'twil.io', 'a_b.twil.io', 'x.twil.io:8080', 'x.twil.io/..'])
def test_only_a_host_under_twil_io_is_read(domain):
    with pytest.raises(TwilioError, match='not a host name under twil.io'):
        ep.domain_url('https://{product}.twilio.com', domain, '/a.png')


@pytest.mark.parametrize('path', ['a.png', '/../a', '/a/./b', '//a', '/a\\b', '/a\nb'])
def test_only_a_plain_absolute_path_is_read(path):
    with pytest.raises(TwilioError, match='not a plain absolute path'):
        ep.domain_url('https://{product}.twilio.com', 'acme-1234-dev.twil.io', path)


def test_domain_urls_on_twilio_and_on_the_emulator():
    assert ep.domain_url('https://{product}.twilio.com', 'Acme-1234-Dev.twil.io', '/img/a b%.png') == 'https://acme-1234-dev.twil.io/img/a%20b%25.png'
    assert ep.domain_url('https://{product}.dublin.ie1.twilio.com', 'acme-1234.twil.io', '/a') == 'https://acme-1234.twil.io/a'
    assert ep.domain_url('http://127.0.0.1:8080/{product}', 'acme-1234.twil.io', '/a') == 'http://127.0.0.1:8080/serverless-domains/acme-1234.twil.io/a'
    assert ep.domain_url('https://{product}.proxy.example', 'acme-1234.twil.io', '/a') == 'https://serverless-domains.proxy.example/acme-1234.twil.io/a'
    with pytest.raises(TwilioConfigError, match='no {product} placeholder'):
        ep.domain_url('http://127.0.0.1:8080', 'acme-1234.twil.io', '/a')


def test_an_asset_holding_the_credentials_is_refused_not_altered(emu, api, run_emulated, deployed, tmp_path):
    """Public bytes, but no output may show the auth token: the Asset is listed as missing, never written masked."""
    serve(emu, deployed['dev'], {**PUBLIC, **{('asset', '/leak.txt', 'public'): 'token=%s\n' % AUTH_TOKEN}})
    with pytest.raises(TwilioAnswerError, match='holds the credentials of this run'):
        public_client(emu, retries=0).get_public(deployed['dev']['domain_name'], '/leak.txt')
    out = str(tmp_path / 'out')
    code, result = run_emulated(chat_environments_export.main, dict(app='acme', functions_sources=out))
    assert code == 0 and AUTH_TOKEN not in repr(result), result
    assert not [f for f in result['files'] if f['path'].endswith('leak.txt')]
    assert 'functions_source' not in result['apps'][0]['variables'].get('chat_environments_overrides', {}).get('dev', {})
    assert [w for w in result['apps'][0]['warnings'] if '/leak.txt (public), which its domain did not give' in w]
