# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The promises under hostile conditions, each attacked the way the world would.

Slow commits, parallel runs, redirects, echoed credentials, drips, endless paging, huge
bodies, malformed answers, a base URL that misroutes a product and Retry-After on a failed
create. Every test asserts what was sent from the emulator's (or a hostile server's) log.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import harness  # pylint: disable=import-error
from stub_servers import ScriptedServer, StubServer, send_json  # pylint: disable=import-error


def chat(emulator, name, **extra):
    args = harness.connection_args(emulator, friendly_name=name)
    args.update(extra)
    return harness.run_module('chat_service', args, harness.base_env(emulator))


def posts(log, path='/chat/v2/Services'):
    return [e for e in log if e['method'] == 'POST' and e['path'] == path]


def named(emulator, name):
    return [s for s in emulator.services() if s['friendly_name'] == name]


@pytest.fixture
def hostile():
    servers = []

    def start(answer):
        server = ScriptedServer(answer)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


# ---- 1. a create that Twilio commits after the client's timeout -----------------------------------


def test_slow_commit_is_adopted_not_duplicated(clean):
    clean.faults(kinds=['slow_commit'], next=1, methods=['POST'], delay_ms=2500)
    run = chat(clean, 'slow-1', timeout=1, retry_timeout=8, reachability_enabled=True)
    assert run.rc == 0, run.describe()
    assert len(named(clean, 'slow-1')) == 1
    assert len(posts(clean.requests_log())) == 1, 'the create was sent once'
    assert run.result['service']['reachability_enabled'] is True
    assert any('the create went through, adopting' in w for w in json.dumps(run.result['warnings']).split('", "'))


def test_slow_commit_after_the_run_gave_up_is_adopted_by_the_next_run(clean):
    clean.faults(kinds=['slow_commit'], next=1, methods=['POST'], delay_ms=5000)
    first = chat(clean, 'slow-2', timeout=1, retry_timeout=2, retries=2)
    assert first.rc == 1 and 'so it was not sent again' in first.result['msg'], first.describe()
    assert re.match(r'Failed to create chat service slow-2: no (complete )?response from 127\.0\.0\.1:', first.result['msg'])
    time.sleep(4.5)  # Twilio commits it meanwhile
    second = chat(clean, 'slow-2', reachability_enabled=True)
    assert second.rc == 0, second.describe()
    assert len(named(clean, 'slow-2')) == 1 and len(posts(clean.requests_log())) == 1
    assert posts(clean.requests_log(), '/chat/v2/Services/%s' % second.result['service']['sid'])


# ---- 2. parallel runs with the same new name ----------------------------------------------------

PARALLEL = 10


def race(emulator):
    """Hold every POST 3 s before it is processed: runs that start over a few seconds all list before the first
    create commits, so they all create (a real race, whatever the machine's load)."""
    emulator.faults(kinds=['slow_commit'], rate=1, methods=['POST'], delay_ms=3000)


def test_parallel_chat_runs_converge_on_one_service(clean):
    race(clean)
    with ThreadPoolExecutor(PARALLEL) as pool:
        runs = list(pool.map(lambda i: chat(clean, 'race', typing_indicator_timeout=9), range(PARALLEL)))
    assert [r.rc for r in runs] == [0] * PARALLEL, [r.describe() for r in runs if r.rc]
    survivors = named(clean, 'race')
    assert len(survivors) == 1 and survivors[0]['typing_indicator_timeout'] == 9
    assert {r.result['service']['sid'] for r in runs} == {survivors[0]['sid']}
    log = clean.requests_log()
    # A create the emulator answered with an error under the load is not a service (its run adopts the winner).
    creates = len([e for e in posts(log) if e['status'] == 201])
    deletes = len([e for e in log if e['method'] == 'DELETE' and e['status'] == 204])
    assert creates - deletes == 1, [(e['method'], e['path'], e['status'], e['fault']) for e in log if e['method'] != 'GET']
    assert creates >= 2, 'no race happened: %d create' % creates
    losers = [r for r in runs if 'a concurrent run created' in json.dumps(r.result.get('warnings'))]
    assert len(losers) == deletes
    harness.report(
        'hostile: %d parallel chat_service runs, one new name: %d creates, %d deleted by their own run, '
        '1 service left, %d runs warned' % (PARALLEL, creates, deletes, len(losers))
    )


def test_parallel_serverless_runs_converge_on_one_service(clean):
    env = harness.base_env(clean)
    args = harness.connection_args(clean, unique_name='race-fn', friendly_name='Race')
    race(clean)
    with ThreadPoolExecutor(PARALLEL) as pool:
        runs = list(pool.map(lambda i: harness.run_module('serverless_service', args, env), range(PARALLEL)))
    assert [r.rc for r in runs] == [0] * PARALLEL, [r.describe() for r in runs if r.rc]
    listing = clean.session.get(clean.url + '/serverless/v1/Services', auth=(clean.account_sid, clean.auth_token), timeout=10).json()['services']
    assert [s['unique_name'] for s in listing] == ['race-fn']
    assert {r.result['service']['sid'] for r in runs} == {listing[0]['sid']}
    conflicts = [e for e in clean.requests_log() if e['method'] == 'POST' and e['status'] == 409]
    assert conflicts, 'no race happened'
    harness.report(
        'hostile: %d parallel serverless_service runs, one new unique_name: %d creates refused with 409 '
        'and adopted, 1 service left' % (PARALLEL, len(conflicts))
    )


# ---- 3. redirects and SIDs taken from answers ------------------------------------------------------


def test_redirected_create_is_refused_and_nothing_follows(clean):
    clean.faults(kinds=['redirect'], next=1, methods=['POST'])
    run = chat(clean, 'redir')
    assert run.rc == 1 and 'HTTP 302 redirect to the same host 127.0.0.1:' in run.result['msg']
    log = clean.requests_log()
    assert [(e['method'], e['path']) for e in log] == [('GET', '/chat/v2/Services'), ('POST', '/chat/v2/Services')]
    assert clean.services() == []


def test_redirect_to_another_host_is_named(clean):
    clean.faults(kinds=['redirect'], next=1, location='http://127.0.0.1:9/steal')
    run = chat(clean, 'redir')
    assert run.rc == 1 and 'redirect to 127.0.0.1:9 refused' in run.result['msg']
    assert harness.writes(clean.requests_log()) == []


def test_crafted_sid_in_a_listing_never_reaches_a_url(clean):
    crafted = {
        'services': [{'sid': '../../2010-04-01/Accounts/%s/Messages.json?To=+15550100&Body=hi' % clean.account_sid, 'friendly_name': 'victim'}],
        'meta': {'key': 'services', 'next_page_url': None},
    }
    clean.faults(kinds=['malformed'], next=1, methods=['GET'], body=json.dumps(crafted))
    run = chat(clean, 'victim', reachability_enabled=True)
    assert run.rc == 1 and 'expected a record with a IS SID' in run.result['msg']
    assert harness.writes(clean.requests_log()) == []


def test_wrong_kind_of_resource_in_an_answer_is_an_error(clean):
    clean.faults(kinds=['malformed'], next=1, methods=['POST'], body=json.dumps({'sid': 'ZS' + 'a' * 32}))
    run = chat(clean, 'kind')
    assert run.rc == 1 and 'IS SID' in run.result['msg']
    assert len(posts(clean.requests_log())) == 1


# ---- 5. bounds ------------------------------------------------------------------------------------


def test_drip_cannot_hold_a_run_past_retry_timeout_plus_timeout(clean):
    clean.faults(kinds=['drip'], rate=1, drip_ms=1500, methods=['GET'])
    run = chat(clean, 'drip', timeout=2, retry_timeout=3)
    ended = time.time()
    clean.clear_faults()
    assert run.rc == 1 and 'no complete response from' in run.result['msg'], run.describe()
    # From the first request to the end of the process (start-up under load is not the module's time); the
    # budget is 3 + 2 s, the slack is for the process's exit on a loaded CI machine. Unbounded, the drip of
    # a ~600-byte answer would take 15 minutes.
    elapsed = ended - clean.requests_log()[0]['timestamp']
    assert elapsed < 3 + 2 + 4, elapsed
    harness.report('hostile: drip (a byte every 1.5 s) with timeout 2, retry_timeout 3: failed after %.1f s' % elapsed)


def test_endless_paging_ends_with_the_budget(clean, hostile):
    def page(handler, count):
        body = {'services': [], 'meta': {'key': 'services', 'next_page_url': 'http://x/v2/Services?PageSize=100&Page=%d&PageToken=PT%d' % (count, count)}}
        send_json(handler, 200, json.dumps(body))

    server = hostile(page)
    args = harness.connection_args(clean, api_base_url=server.api_base_url, timeout=1, retry_timeout=2)
    run = harness.run_module('chat_service_info', args, harness.base_env(clean))
    elapsed = time.time() - server.times[0]
    assert run.rc == 1 and 'time budget' in run.result['msg'], run.describe()
    assert elapsed < 2 + 1 + 4 and server.writes() == [], elapsed  # budget 2 + 1 s, slack for the exit
    harness.report('hostile: endless paging: stopped after %d pages in %.1f s' % (len(server.requests), elapsed))


@pytest.mark.parametrize('declared', [True, False])
def test_huge_body_is_refused_while_read(clean, hostile, declared):
    size = 300 * 1024 * 1024

    def huge(handler, count):
        handler.send_response(200)
        handler.send_header('Content-Type', 'application/json')
        if declared:
            handler.send_header('Content-Length', str(size))
        handler.end_headers()
        chunk = b' ' * 65536
        for dummy in range(size // len(chunk)):
            handler.wfile.write(chunk)

    server = hostile(huge)
    args = harness.connection_args(clean, api_base_url=server.api_base_url, retries=0)
    run = harness.run_module('chat_service_info', args, harness.base_env(clean))
    assert run.rc == 1 and 'larger than 5 MiB' in run.result['msg'], run.describe()


def test_huge_error_message_becomes_one_short_line(clean, hostile):
    def error(handler, count):
        send_json(handler, 400, json.dumps({'code': 20001, 'message': 'bad ' * 500000, 'status': 400}))

    server = hostile(error)
    run = harness.run_module('chat_service_info', harness.connection_args(clean, api_base_url=server.api_base_url), harness.base_env(clean))
    assert run.rc == 1 and len(run.result['msg']) < 600 and '\n' not in run.result['msg']
    assert len(run.stdout) < 20000


# ---- 6. malformed success answers -------------------------------------------------------------------


@pytest.mark.parametrize(
    'body', ['', 'null', '[1]', '42', '{"services": [1]}', '{"services": []}', '{"services": [], "meta": {"key": "services", "next_page_url": 5}}']
)
def test_malformed_listing_never_leads_to_a_create(clean, body):
    clean.faults(kinds=['malformed'], next=1, methods=['GET'], body=body)
    run = chat(clean, 'malformed')
    assert run.rc == 1 and 'malformed' in run.result['msg'] and 'Traceback' not in run.output, run.describe()
    assert harness.writes(clean.requests_log()) == []


@pytest.mark.parametrize('body', ['', 'null', '{}'])
def test_malformed_serverless_fetch_is_not_absence(clean, body):
    clean.faults(kinds=['malformed'], next=1, methods=['GET'], body=body)
    run = harness.run_module('serverless_service', harness.connection_args(clean, unique_name='empty-answer'), harness.base_env(clean))
    assert run.rc == 1 and 'malformed' in run.result['msg'], run.describe()
    assert harness.writes(clean.requests_log()) == []


# ---- 9. a base URL that cannot tell the products apart ------------------------------------------------


@pytest.mark.parametrize(
    'module, args', [('serverless_service', {'unique_name': 'misrouted'}), ('chat_service', {'friendly_name': 'misrouted', 'api_version': 'v1'})]
)
def test_base_url_without_product_is_refused_for_shared_paths(clean, module, args):
    full = harness.connection_args(clean, api_base_url=clean.url + '/chat', **args)
    run = harness.run_module(module, full, harness.base_env(clean))
    assert run.rc == 1 and 'has no {product} placeholder' in run.result['msg'], run.describe()
    assert clean.requests_log() == []


# ---- 11. Retry-After after a 5xx on a create ------------------------------------------------------------


def test_create_honours_retry_after_of_a_503(clean):
    clean.faults(kinds=['503_retry_after'], next=1, methods=['POST'], retry_after=2)
    run = chat(clean, 'patient')
    assert run.rc == 0, run.describe()
    creates = posts(clean.requests_log())
    assert len(creates) == 2 and creates[1]['timestamp'] - creates[0]['timestamp'] >= 1.9
    assert len(named(clean, 'patient')) == 1


# ---- 4. credentials echoed by an answer ------------------------------------------------------------------

ONE_SERVICE = harness.os.path.join(harness.HERE, 'playbooks', 'hostile_one_service.yml')


@pytest.mark.parametrize('kind', ['echo_auth', 'echo_auth_html'])
@pytest.mark.parametrize('credentials', ['token', 'api_key'])
def test_echoed_credentials_never_reach_the_output(clean, kind, credentials):
    user, secret = (clean.api_key, clean.api_secret) if credentials == 'api_key' else (clean.account_sid, clean.auth_token)
    clean.faults(kinds=[kind], rate=1)
    run = harness.run_playbook(
        ONE_SERVICE,
        harness.base_env(clean, credentials=None),
        args=['-vvvv'],
        extra_vars={'hostile_name': 'echo', 'hostile_base_url': clean.api_base_url, 'hostile_user': user, 'hostile_secret': secret},
    )
    clean.clear_faults()
    failed = run.task_results(action='chatops.twilio.chat_service', status='failed')
    assert run.rc == 2 and len(failed) == 1, run.describe()
    # 401 is final; the gateway's 502 is retried twice, and each retry warning quotes the answer too.
    assert '********' in failed[0]['result']['msg'] and len(clean.requests_log()) == (1 if kind == 'echo_auth' else 3)
    basic = base64.b64encode(('%s:%s' % (user, secret)).encode()).decode()
    everything = run.stdout + run.stderr + json.dumps(run.results)
    for value in (secret, basic, basic.rstrip('='), basic[:24], basic.replace('/', '\\/')):
        assert value not in everything


def test_validate_certs_false_warns_and_still_works(clean, hostile):
    del hostile  # a TLS stub of its own
    stub = StubServer(body=json.dumps({'services': [], 'meta': {'key': 'services', 'next_page_url': None}}), tls=True)
    try:
        run = harness.run_playbook(
            ONE_SERVICE,
            harness.base_env(clean, credentials=None),
            extra_vars={
                'hostile_name': 'tls',
                'hostile_base_url': stub.api_base_url,
                'hostile_user': clean.account_sid,
                'hostile_secret': clean.auth_token,
                'hostile_validate_certs': False,
            },
        )
    finally:
        stub.stop()
    assert 'validate_certs=false: the TLS certificate of https://127.0.0.1:' in run.output, run.describe()
    assert stub.methods[0] == 'GET'


def test_parallel_creates_send_the_same_settings_once_each(clean):
    # Under a race, each run's update goes to the surviving service only (no write to a deleted one fails).
    barrier = threading.Barrier(3)

    def racer(index):
        barrier.wait()
        return chat(clean, 'race-settings', limits={'channel_members': 77})

    with ThreadPoolExecutor(3) as pool:
        runs = list(pool.map(racer, range(3)))
    assert [r.rc for r in runs] == [0, 0, 0], [r.describe() for r in runs if r.rc]
    survivors = named(clean, 'race-settings')
    assert len(survivors) == 1 and survivors[0]['limits']['channel_members'] == 77
