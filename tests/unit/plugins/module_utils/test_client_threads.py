# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The client used by several threads (``_threads.py``): one session per thread, one rate-limit gate."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import threading
from unittest import mock

from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import response

LIMITED = response(429, {'code': 20429, 'message': 'Too Many Requests', 'status': 429}, headers={'Retry-After': '3'})


def in_thread(work):
    """``work()`` run in a thread of its own; what it returned."""
    out = []
    thread = threading.Thread(target=lambda: out.append(work()))
    thread.start()
    thread.join(30)
    return out[0]


def waits_by_thread():
    """time.sleep recorded as (thread name, seconds), without sleeping."""
    waits = []
    return waits, mock.patch('time.sleep', side_effect=lambda delay: waits.append((threading.current_thread().name, delay)))


def test_each_thread_sends_through_its_own_session_with_the_same_credentials(client):
    sessions = []
    original = client.fake.request

    def spy(method, url, session=None, **kwargs):
        sessions.append(session)
        return original(method, url, session=session, **kwargs)

    client.fake.request = spy
    client.list('chat', 'v2', 'Services')
    in_thread(lambda: client.list('chat', 'v2', 'Services'))
    in_thread(lambda: client.list('chat', 'v2', 'Services'))
    assert sessions[0] is client.session and len(set(map(id, sessions))) == 3
    for session in sessions[1:]:
        assert session.auth == client.session.auth and session.headers['User-Agent'] == client.session.headers['User-Agent']


def test_a_429_holds_the_other_threads_not_the_one_that_met_it(client):
    client.fake.fail(LIMITED, method='GET', path='/Services/IS0{32}$')
    client.fake.add('found')
    waits, patch = waits_by_thread()
    with patch:
        first = threading.Thread(target=lambda: client.fetch('chat', 'v2', 'Services/IS' + '0' * 32), name='met-the-limit')
        first.start()
        first.join(30)
        second = threading.Thread(target=lambda: client.list('chat', 'v2', 'Services'), name='other-worker')
        second.start()
        second.join(30)
    assert [(name, delay) for name, delay in waits if name == 'met-the-limit'] == [('met-the-limit', 3.0)]  # its Retry-After, once
    held = [delay for name, delay in waits if name == 'other-worker']
    assert len(held) == 1 and 2.5 < held[0] <= 3.0, waits  # the rest of that Retry-After, though its own request got no 429
    assert client.retries_used == 1


def test_the_gate_never_holds_a_request_past_its_own_budget(client):
    client.fake.fail(LIMITED, method='GET')
    client.retry_timeout, client.timeout, client.retries = 1, 0.5, 0
    waits, patch = waits_by_thread()
    with patch:
        error = in_thread(lambda: _error_of(lambda: client.list('chat', 'v2', 'Services')))  # a 429, not retried (retries 0)
        assert error is not None and error.status == 429
        in_thread(lambda: client.list('chat', 'v2', 'Services'))
    assert len(waits) == 1 and waits[0][1] <= 1.5, waits  # at most retry_timeout + timeout, not the 3 s of Retry-After


def test_one_thread_never_waits_at_a_gate(client, sleeps):
    """With one thread (parallelism 1) nothing changes: the thread that met the limit waits in its retry loop only."""
    client.fake.fail(LIMITED, method='GET')
    client.list('chat', 'v2', 'Services')
    client.list('chat', 'v2', 'Services')
    assert sleeps == [3.0]


def _error_of(call):
    try:
        call()
    except Exception as exc:  # pylint: disable=broad-exception-caught
        return exc
    return None
