# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The set modules' bounded parallelism (``parallelism``, ``_parallel.py``): as if sequential, only sooner.

Each test slows the requests by a random real delay (the stand-in waits before it forwards), so the workers
finish out of order; the module must still report results, diffs, warnings and the failure in the order of
``services``, send the same requests, never let two requests share a session at once, and with
``parallelism: 1`` send them in exactly the sequential order.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import random
import re
import threading

import pytest

from ansible_collections.chatops.twilio.plugins.modules import chat_services, conversations_services
from ansible_collections.chatops.twilio.tests.unit.plugins.emulated_twilio import twilio_error, warning_texts

main = conversations_services.main
WEBHOOKS = {'post_webhook_url': 'https://h.example/post', 'method': 'GET', 'filters': ['onMessageAdded']}
NAMES = ['app-%02d' % index for index in range(12)]


class Slow(object):
    """The stand-in with a random delay (0..``most`` s) before every request; it records what overlapped."""

    def __init__(self, twilio, most=0.03, seed=17):
        self.twilio, self.most, self.random = twilio, most, random.Random(seed)
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_in_flight = 0
        self.sessions_in_flight = set()
        self.shared_session = False
        self.original = twilio.request
        twilio.request = self.request

    def request(self, method, url, session=None, **kwargs):
        with self.lock:
            delay = self.random.uniform(0, self.most)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            self.shared_session = self.shared_session or id(session) in self.sessions_in_flight
            self.sessions_in_flight.add(id(session))
        try:
            threading.Event().wait(delay)  # a real wait: time.sleep is the retry loop's, patched by the fixture
            return self.original(method, url, session=session, **kwargs)
        finally:
            with self.lock:
                self.in_flight -= 1
                self.sessions_in_flight.discard(id(session))


def seeded(twilio, names=NAMES, webhooks=None):
    """Services named ``names`` (their webhooks ``webhooks`` when given); their SIDs."""
    sids = []
    for name in names:
        sid = twilio.add(name)
        if webhooks:
            form = [('PostWebhookUrl', webhooks['post_webhook_url']), ('Method', webhooks['method'])]
            twilio.configure(sid, 'webhooks', form + [('Filters', name) for name in webhooks.get('filters', [])])
        sids.append(sid)
    return sids


def items(names=NAMES, **webhooks):
    return [{'name': name, 'settings': {'webhooks': dict(WEBHOOKS, **webhooks)}} for name in names]


def test_results_diffs_and_warnings_come_back_in_the_order_of_the_items(run_module, twilio):
    sids = seeded(twilio, webhooks={'post_webhook_url': 'https://old.example/post', 'method': 'POST'})
    # A retried 503 on the webhooks of every third service: its warning belongs to that service, in its place.
    retried = sids[::3]
    for sid in retried:
        twilio.fail(twilio_error(503, 20503, 'busy'), method='GET', path='/Services/%s/Configuration/Webhooks$' % sid)
    slow = Slow(twilio)
    code, result = run_module(main, {'services': items(), 'parallelism': 4}, diff=True)
    assert code == 0 and result['changed'] is True, result
    assert 1 < slow.most_in_flight <= 4 + 1, 'the requests did not overlap (or more than 4 workers ran): the test proves nothing'
    assert [r['friendly_name'] for r in result['services']] == NAMES and [r['sid'] for r in result['services']] == sids
    assert [d['before_header'] for d in result['diff']] == NAMES
    assert all(d['after']['webhooks']['post_webhook_url'] == WEBHOOKS['post_webhook_url'] for d in result['diff'])
    retries = [w for w in warning_texts(result) if '503' in w or 'busy' in w]
    assert [next(sid for sid in sids if sid in w) for w in retries] == retried, retries
    assert not slow.shared_session, 'two requests in flight at once through one requests.Session'


def test_the_same_requests_as_a_sequential_run(run_module, twilio):
    """parallelism changes when the requests are sent, never which: 8 and 1 send the same requests (SIDs by item)."""
    sent = {}
    for parallelism in (8, 1):
        twilio.emulator.reset()
        sids = seeded(twilio, NAMES[:6], webhooks={'post_webhook_url': 'https://old.example/post', 'method': 'POST'})
        twilio.clear_log()
        slow = Slow(twilio, seed=parallelism)
        code, result = run_module(main, {'services': items(NAMES[:6] + ['app-new-1', 'app-new-2']), 'parallelism': parallelism})
        twilio.request = slow.original
        assert code == 0, result
        by_item = dict((sid, '<item %d>' % index) for index, sid in enumerate(sids + [r['sid'] for r in result['services'][6:]]))
        sent[parallelism] = sorted((method, re.sub('IS[0-9a-f]{32}', lambda m: by_item[m.group(0)], path)) for method, path in twilio.sent())
    assert sent[8] == sent[1]
    # 3 listings, the account configuration (no stray_pattern: the account's default Conversations Service is in view),
    # 2 creates, GET + POST of the webhooks of each old service, POST of each new
    assert len(sent[1]) == 3 + 1 + 2 + 6 * 2 + 2


def test_parallelism_one_sends_in_the_order_of_the_items(run_module, twilio):
    sids = seeded(twilio, NAMES[:5], webhooks={'post_webhook_url': 'https://old.example/post', 'method': 'POST'})
    Slow(twilio)
    code, result = run_module(main, {'services': items(NAMES[:5]), 'parallelism': 1})
    assert code == 0 and result['changed'] is True
    per_service = []
    for sid in sids:
        path = '/conversations/v1/Services/%s/Configuration/Webhooks' % sid
        per_service += [('GET', path), ('POST', path)]
    # the listing, then the account configuration: without stray_pattern the account's default service is in view
    assert twilio.sent() == [('GET', '/conversations/v1/Services'), ('GET', '/conversations/v1/Configuration')] + per_service


def test_the_failure_reported_is_the_first_in_the_order_of_the_items(run_module, twilio):
    sids = seeded(twilio, webhooks={'post_webhook_url': 'https://old.example/post', 'method': 'POST'})
    # items 3 and 5 are refused; item 5's answer comes at once, item 3's after the others have started
    twilio.fail(twilio_error(400, 20001, 'refused five'), method='POST', path='/Services/%s/' % sids[5])
    twilio.fail(twilio_error(400, 20001, 'refused three'), method='POST', path='/Services/%s/' % sids[3])
    slow = Slow(twilio, most=0.02)
    original = slow.request

    def later_for_three(method, url, session=None, **kwargs):
        if method == 'POST' and sids[3] in url:
            threading.Event().wait(0.2)
        return original(method, url, session=session, **kwargs)

    twilio.request = later_for_three
    code, result = run_module(main, {'services': items(), 'parallelism': 4})
    assert code == 1
    assert result['msg'].startswith('Failed to update webhooks of conversations service app-03') and 'refused three' in result['msg']
    # after the failures, no further service was started: the last items' webhooks were never read
    read = [path for method, path in twilio.sent() if method == 'GET' and path.endswith('/Webhooks')]
    assert not any(sids[-1] in path for path in read), read


@pytest.mark.parametrize('value', [0, 33, -1])
def test_parallelism_out_of_range_fails_before_any_request(run_module, twilio, value):
    code, result = run_module(chat_services.main, {'services': [{'name': 'x'}], 'parallelism': value})
    assert code == 1 and result['msg'] == 'parallelism must be from 1 to 32 (1 runs the services one after the other), got %d' % value
    assert twilio.sent() == []


def test_a_429_met_by_one_worker_holds_the_others(run_module, twilio, sleeps):
    """The shared gate: the other workers wait out the Retry-After too, instead of each meeting the limit anew."""
    seeded(twilio, webhooks=WEBHOOKS)
    twilio.faults(next=1, kinds=['429_retry_after'], retry_after=1)
    waits = []
    real_sleep_record = sleeps.append

    def record(delay):
        waits.append((threading.current_thread().name, delay))
        real_sleep_record(delay)

    sleeps_patch = pytest.MonkeyPatch()
    sleeps_patch.setattr('time.sleep', record)
    try:
        Slow(twilio)
        code, result = run_module(main, {'services': items(), 'parallelism': 4})
    finally:
        sleeps_patch.undo()
    assert code == 0 and result['changed'] is False, result
    limited = [entry for entry in twilio.log() if entry.get('fault') == '429_retry_after']
    assert len(limited) == 1
    own = [name for name, delay in waits if delay == 1]
    assert len(own) == 1, waits  # the worker that met the 429 waits its Retry-After once, in its retry loop
    held = [(name, delay) for name, delay in waits if name != own[0]]
    assert held and all(0 < delay <= 1 for name, delay in held), waits
