# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The emulator's /__emulator/* control endpoints against a web page (issue 18, item 11).

Any page a developer opens may send "simple" cross-origin requests to 127.0.0.1 (a text/plain POST,
a GET of an image, a fetch with no body), and a DNS-rebinding page reaches it under its own host
name. Each attack is sent as a browser would send it (raw http.client, so Host and Origin are
exactly the attacker's); the emulator must refuse it and stay as it was.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import http.client
import json
from urllib.parse import urlsplit

import pytest


def _send(emulator, method, path, body=b'', headers=None):
    parts = urlsplit(emulator.url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.putrequest(method, '/__emulator/' + path, skip_host=True, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body:
            connection.putheader('Content-Length', str(len(body)))
        connection.endheaders(body or None)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _loopback(emulator):
    return urlsplit(emulator.url).netloc


ATTACKS = [
    # a page on evil.example: a form-like text/plain POST (no preflight) that resets the emulator
    ('reset-text-plain-cross-origin', 'POST', 'reset', b'{"faults": true}', {'Host': None, 'Origin': 'https://evil.example', 'Content-Type': 'text/plain'}),
    # the same with a JSON body but sent as text/plain from a loopback page: still not JSON
    ('faults-text-plain', 'POST', 'faults', b'{"kinds": ["500"], "rate": 1}', {'Host': None, 'Content-Type': 'text/plain;charset=UTF-8'}),
    # a fetch(url, {method: 'POST', mode: 'no-cors'}) with no body sends no Content-Type at all
    ('reset-no-content-type', 'POST', 'reset', b'', {'Host': None, 'Origin': 'https://evil.example'}),
    # DNS rebinding: the attacker's name resolves to 127.0.0.1, the Host is theirs, the Origin is the same site
    (
        'rebinding-json',
        'POST',
        'faults',
        b'{"kinds": ["500"], "rate": 1}',
        {'Host': 'rebind.evil.example:80', 'Origin': 'http://rebind.evil.example', 'Content-Type': 'application/json'},
    ),
    ('rebinding-read-log', 'GET', 'requests', b'', {'Host': 'rebind.evil.example'}),
    # a foreign Origin with JSON (after a preflight the emulator never grants)
    ('foreign-origin-json', 'POST', 'config', b'{"max_services": 1}', {'Host': None, 'Origin': 'https://evil.example', 'Content-Type': 'application/json'}),
    ('null-origin', 'DELETE', 'faults', b'', {'Host': None, 'Origin': 'null', 'Content-Type': 'application/json'}),
    # <img src=".../__emulator/requests?clear=true">: a GET that empties the log
    ('img-clear-log', 'GET', 'requests?clear=true', b'', {'Host': None}),
    ('delete-log-no-content-type', 'DELETE', 'requests', b'', {'Host': None}),
    ('no-host', 'POST', 'reset', b'{}', {'Content-Type': 'application/json'}),
]


@pytest.mark.parametrize('case_id, method, path, body, headers', ATTACKS, ids=[a[0] for a in ATTACKS])
def test_a_web_page_cannot_drive_the_emulator(clean, case_id, method, path, body, headers):
    clean.faults(next=1, kinds=['429'], methods=['PUT'])
    clean.create_service('keep-me')
    before_faults, before_services = clean._control('GET', 'faults'), clean.services()  # pylint: disable=protected-access
    before_log = clean.requests_log(include_harness=True)
    sent = dict((k, _loopback(clean) if v is None and k == 'Host' else v) for k, v in headers.items())
    status, answer = _send(clean, method, path, body, sent)
    assert status in (403, 415), '%s: %s %s' % (case_id, status, answer[:200])
    assert 'error' in json.loads(answer)
    assert clean._control('GET', 'faults') == before_faults, case_id  # pylint: disable=protected-access
    assert clean.services() == before_services, case_id
    assert clean.requests_log(include_harness=True)[: len(before_log)] == before_log, case_id


def test_loopback_json_control_requests_still_work(clean):
    """What the harness, the integration helpers and hacking/demo_emulator.py send is accepted."""
    loopback = _loopback(clean)
    for host in (loopback, 'localhost:%d' % urlsplit(clean.url).port, '[::1]:%d' % urlsplit(clean.url).port):
        status, answer = _send(clean, 'POST', 'faults', b'{"kinds": ["500"], "next": 1}', {'Host': host, 'Content-Type': 'application/json'})
        assert status == 200, (host, answer)
    status, dummy = _send(clean, 'DELETE', 'faults', b'', {'Host': loopback, 'Content-Type': 'application/json', 'Origin': 'http://127.0.0.1:8080'})
    assert status == 204
    # a read needs no content type
    status, answer = _send(clean, 'GET', 'requests', b'', {'Host': loopback})
    assert status == 200 and 'requests' in json.loads(answer)
    status, answer = _send(clean, 'GET', 'requests?clear=true', b'', {'Host': loopback, 'Content-Type': 'application/json'})
    assert status == 200
