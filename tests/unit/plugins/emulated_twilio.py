# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The unit tests' Twilio: the emulator of tests/emulator, in-process, plus a tiny scripted stand-in in front.

Modules talk to the emulator over real HTTP on loopback (``api_base_url`` is :attr:`EmulatedTwilio.url`), so
they exercise the real wire format against the one model of Twilio the integration, molecule and reliability
tests use too. Tests prove what a module did from the emulator's request log (:meth:`EmulatedTwilio.calls`).

The stand-in answers in front of the emulator only what it cannot produce: a Twilio error with a given code,
a transport exception, a hand-made answer (:meth:`EmulatedTwilio.fail`), or a concurrent run's change made
just before a request (:meth:`EmulatedTwilio.before`). Those requests are logged too, so the log stays the
list of every request the module sent, in order.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import threading
import time
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests
from requests.structures import CaseInsensitiveDict

from twilio_emulator import Emulator
from twilio_emulator import chat as emulated_chat
from twilio_emulator import conversations as emulated_conversations
from twilio_emulator import serverless as emulated_serverless
from twilio_emulator.store import SERVICES, new_service, new_sid

ACCOUNT_SID = 'AC' + '0' * 31 + '1'
AUTH_TOKEN = 'secret-auth-token-0123456789abcdef'
API_KEY = 'SK' + 'c' * 32
API_SECRET = 'secret-api-secret-0123456789abcdef'
ACCOUNTS = [{'account_sid': ACCOUNT_SID, 'auth_token': AUTH_TOKEN, 'api_keys': [{'sid': API_KEY, 'secret': API_SECRET}]}]
#: Seeded records are this old, as most of an account's services are (a module looks again at fresh ones).
SEED_DATE = '2025-01-01T00:00:%02dZ'


def start_emulator():
    """The emulator every unit test of a module talks to (one per session; reset before each test)."""
    emulator = Emulator(accounts=ACCOUNTS, strict_params=True)
    emulator.start()
    return emulator


def response(status, body=None, headers=None, raw=None, reason=None):
    """A hand-made answer of the stand-in: JSON ``body``, or ``raw`` text."""
    resp = requests.Response()
    resp.status_code = status
    resp.reason = reason or {
        200: 'OK',
        201: 'Created',
        204: 'No Content',
        400: 'Bad Request',
        401: 'Unauthorized',
        404: 'Not Found',
        429: 'Too Many Requests',
        500: 'Internal Server Error',
        502: 'Bad Gateway',
        503: 'Service Unavailable',
    }.get(status, 'X')
    resp.headers = CaseInsensitiveDict(headers or {})
    if raw is not None:
        resp._content = raw.encode('utf-8')
    elif body is not None:
        resp._content = json.dumps(body).encode('utf-8')
        resp.headers.setdefault('Content-Type', 'application/json')
    else:
        resp._content = b''
    resp._content_consumed = True  # the client streams bodies: serve the prepared content
    return resp


def twilio_error(status, code, message):
    """Twilio's error body with this code, as the stand-in answers it."""
    return response(status, {'code': code, 'message': message, 'status': status, 'more_info': 'https://www.twilio.com/docs/errors/%d' % code})


def warning_texts(result):
    """Warning messages of a module result (plain strings, or 2.19+ WarningSummary dicts)."""
    texts = []
    for warning in result.get('warnings', []):
        if isinstance(warning, dict):
            warning = (warning.get('event') or {}).get('msg') or warning.get('msg') or json.dumps(warning)
        texts.append(warning)
    return texts


def sent(emu):
    """``(method, path)`` of every request in ``emu``'s log, the path without its product prefix."""
    return [(e['method'], e['path'].split('/', 2)[2]) for e in emu.request_log()]


def writes(emu):
    """The requests of ``sent(emu)`` that are not reads."""
    return [entry for entry in sent(emu) if entry[0] != 'GET']


def log_writes(log):
    """The entries of a request log that are not reads."""
    return [e for e in log if e['method'] != 'GET']


def make_service(emu, unique_name='app', environments=('dev',)):
    """A Functions service and its environments, made over HTTP; returns (service, {name: environment})."""
    base = emu.base_url + '/serverless/v1/Services'
    auth = (ACCOUNT_SID, AUTH_TOKEN)
    service = requests.post(base, data={'UniqueName': unique_name, 'FriendlyName': unique_name}, auth=auth, timeout=10).json()
    envs = {}
    for name in environments:
        envs[name] = requests.post('%s/%s/Environments' % (base, service['sid']), data={'UniqueName': name, 'DomainSuffix': name}, auth=auth, timeout=10).json()
    emu.request_log(clear=True)
    return service, envs


def _merge(record, fields):
    for key, value in fields.items():
        if isinstance(value, dict) and isinstance(record.get(key), dict):
            _merge(record[key], value)
        else:
            record[key] = value


class EmulatedTwilio(object):
    """One test's view of the in-process emulator: seed it, script the stand-in, read the request log."""

    def __init__(self, emulator):
        self.emulator = emulator
        self.account = emulator.store.accounts[ACCOUNT_SID]
        self.script = []
        self.hooks = []
        self.front_log = []
        self.session = None
        self.auth = None
        self.headers = {}
        self.counter = 0
        self.setup_windows = []
        self.forward = requests.Session.request  # the real one: taken before the test patches it
        self.lock = threading.Lock()  # a set module's workers send at once: one of them takes a scripted answer

    # -- the stand-in in front of the emulator -------------------------------------------------

    def fail(self, outcome, method=None, path=None, commit=False, times=1):
        """Answer the next matching request(s) with ``outcome`` (a Response, or an exception to raise).

        With ``commit`` the emulator processes the request first (the write happens, its answer is lost).
        """
        for dummy in range(times):
            self.script.append((method, path, outcome, commit))

    def faults(self, **knobs):
        """The emulator's fault injection (``next``, ``kinds``, ``methods``, ...; tests/emulator/README.md)."""
        self.emulator.set_faults(**knobs)

    def before(self, action, method=None, path=None):
        """Call ``action()`` before each matching request reaches the emulator until it returns true: a concurrent
        run's change at the moment it matters."""
        self.hooks.append((method, path, action))

    @staticmethod
    def _matches(want_method, want_path, method, path):
        return want_method in (None, method) and (want_path is None or re.search(want_path, path) is not None)

    def emulated_url(self, url):
        """Where ``url`` is on the emulator: ``https://chat.twilio.com/v2/Services`` is ``<emulator>/chat/v2/Services``,
        as if Twilio's hosts resolved to it; another host (an ``api_base_url`` with ``/{product}``) keeps its path.

        So a module runs with its default base URL (its messages name Twilio's hosts), and no test reaches the network.
        """
        parts = urlsplit(url)
        host = parts.hostname or ''
        if url.startswith(self.emulator.base_url + '/'):
            return url
        path = parts.path
        if host.endswith('.twilio.com'):
            path = '/' + host.split('.')[0] + path
        return self.emulator.base_url + path + ('?' + parts.query if parts.query else '')

    def send(self, session, method, url, **kwargs):
        """Every request a module's session sends goes to :meth:`request` (a test may replace it to watch or hang)."""
        self.session, self.auth, self.headers = session, session.auth, dict(session.headers)
        return self.request(method, url, session=session, **kwargs)

    def request(self, method, url, session=None, **kwargs):
        """Answer as scripted, or forward to the emulator (through ``session``, the sender's)."""
        session = session or self.session
        url = self.emulated_url(url)
        path = urlsplit(url).path
        scripted = None
        with self.lock:
            for hook in list(self.hooks):
                if self._matches(hook[0], hook[1], method, path) and hook[2]():
                    self.hooks.remove(hook)
            for index, (want_method, want_path, outcome, commit) in enumerate(self.script):
                if self._matches(want_method, want_path, method, path):
                    scripted = self.script.pop(index)
                    break
        if scripted is None:
            return self.forward(session, method, url, **kwargs)
        outcome, commit = scripted[2], scripted[3]
        if commit:
            self.forward(session, method, url, **kwargs).close()
        else:
            self.front_log.append(self._front_entry(method, url, kwargs))
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    @staticmethod
    def _front_entry(method, url, kwargs):
        parts = urlsplit(url)
        query = parts.query
        if kwargs.get('params'):
            query = '&'.join(filter(None, [query, urlencode(kwargs['params'])]))
        data = kwargs.get('data') or []
        form = [[name, value] for name, value in (data.items() if isinstance(data, dict) else data)]
        return {'method': method, 'path': parts.path, 'query': query, 'status': None, 'fault': 'scripted', 'timestamp': time.time(), 'form': form}

    # -- the request log -----------------------------------------------------------------------

    def log(self):
        """Every request sent, oldest first: the emulator's log and the stand-in's answers, by time."""
        entries = [entry for entry in self.emulator.request_log() if not any(start <= entry['timestamp'] <= end for start, end in self.setup_windows)]
        return sorted(entries + self.front_log, key=lambda entry: entry['timestamp'])

    def clear_log(self):
        self.emulator.clear_request_log()
        del self.front_log[:]
        del self.setup_windows[:]

    @property
    def calls(self):
        """``(method, path, query, form)`` of every request, ``query`` a dict and ``form`` a list of pairs."""
        return [(e['method'], e['path'], dict(parse_qsl(e['query'])), [tuple(pair) for pair in e['form']]) for e in self.log()]

    def writes(self):
        return [call for call in self.calls if call[0] in ('POST', 'DELETE')]

    def sent(self):
        """``(method, path)`` of every request so far."""
        return [(call[0], call[1]) for call in self.calls]

    def methods(self):
        return [call[0] for call in self.calls]

    # -- seeding and reading the emulator's state ------------------------------------------------

    def api(self, method, path, data=None):
        """A request to the emulator's API as the test account, left out of the log: a test's setup or check."""
        start = time.time()
        with requests.Session() as session:
            answer = self.forward(session, method, self.emulator.base_url + path, data=data, auth=(ACCOUNT_SID, AUTH_TOKEN), timeout=10)
        self.setup_windows.append((start, time.time()))
        assert answer.status_code < 300, answer.text
        return answer.json() if answer.content else None

    def add(self, name, **fields):
        """A Chat/Conversations service (``IS``) named ``name``, old, with these stored fields; its SID."""
        self.counter += 1
        record = new_service(ACCOUNT_SID, name)
        record['date_created'] = record['date_updated'] = SEED_DATE % (self.counter % 60)
        _merge(record, fields)
        self.account.collection(SERVICES).add(record['sid'], record)
        return record['sid']

    @property
    def services(self):
        """The stored ``IS`` services by SID, in creation order (live records: a change is the account's)."""
        return dict((record['sid'], record) for record in self.account.collection(SERVICES).values())

    @property
    def default_sid(self):
        """The account's default Conversations Service: Twilio (and the emulator) make it with the account, so every
        listing of ``IS`` services shows it (first)."""
        return self.account.conversations_settings['default_chat_service_sid']

    def remove(self, sid):
        self.account.collection(SERVICES).remove(sid)

    def view(self, sid, version='v2'):
        """The Chat API's answer for this service."""
        return emulated_chat.serialize(self.account.collection(SERVICES).get(sid), version, self.emulator.base_url)

    # Conversations settings: ``part`` is configuration, notifications or webhooks; ``sid`` None is the account's.
    _PATHS = {'configuration': '/Configuration', 'notifications': '/Configuration/Notifications', 'webhooks': '/Configuration/Webhooks'}

    def settings(self, sid, part):
        """The Conversations API's answer for these settings of service ``sid`` (the account's when ``sid`` is None)."""
        base = self.emulator.base_url
        if sid is None:
            serialize = {'configuration': emulated_conversations.serialize_account_configuration, 'webhooks': emulated_conversations.serialize_account_webhooks}
            return serialize[part](self.account, base)
        serialize = {
            'configuration': emulated_conversations.serialize_configuration,
            'notifications': emulated_conversations.serialize_notifications,
            'webhooks': emulated_conversations.serialize_webhooks,
        }
        return serialize[part](self.account.collection(SERVICES).get(sid), base)

    def configure(self, sid, part, form):
        """Write these settings through the Conversations API (a form: a dict or a list of pairs), as setup."""
        prefix = '/conversations/v1' + ('/Services/%s' % sid if sid else '')
        return self.api('POST', prefix + self._PATHS[part], form)


class EmulatedServerless(EmulatedTwilio):
    """The same emulator, seeded with Functions (Serverless) Services (``ZS``) and their Environments.

    Seeds go through the emulator's API (its own rules make the records), then are made old.
    """

    FORM = {'friendly_name': 'FriendlyName', 'include_credentials': 'IncludeCredentials', 'ui_editable': 'UiEditable'}

    def _stored(self, sid):
        """The emulator's record with this SID, wherever it keeps it."""
        for collection in self.account.collections.values():
            record = collection.get(sid)
            if record is not None:
                return record
        raise KeyError(sid)

    def _settle(self, sid, fresh):
        """Seeded records are old, as in most accounts (a module looks again at fresh ones)."""
        if not fresh:
            self.counter += 1
            record = self._stored(sid)
            record['date_created'] = record['date_updated'] = SEED_DATE % (self.counter % 60)
        return sid

    def add(self, name, fresh=False, **fields):
        """A Serverless Service with unique name ``name`` (``fields``: friendly_name, include_credentials,
        ui_editable); its SID. Its domain is ``<name>-<1000 + n>``, n counting the seeds."""
        form = {'UniqueName': name, 'FriendlyName': name}
        for key, value in fields.items():
            form[self.FORM[key]] = str(value).lower() if isinstance(value, bool) else value
        sid = self.api('POST', '/serverless/v1/Services', form)['sid']
        self._stored(sid)['domain_base'] = '%s-%04d' % (name.lower(), 1001 + len(self.services) - 1)
        return self._settle(sid, fresh)

    def _clones(self, first_sid, count, change):
        """``count`` more records like the one made through the API, ``change(record, index)`` making each its own: a
        paging test needs a thousand, which one API create each would take seconds to make."""
        first = self._stored(first_sid)
        collection = next(c for c in self.account.collections.values() if c.get(first_sid) is first)
        sids = [first_sid]
        for index in range(1, count):
            record = dict(first, sid=new_sid(first_sid[:2]))
            change(record, index)
            collection.add(record['sid'], record)
            sids.append(record['sid'])
        return sids

    def add_many(self, names):
        """Services with these unique names (as :meth:`add` makes them); their SIDs."""

        def name(record, index):
            record.update(unique_name=names[index], friendly_name=names[index], domain_base='%s-%04d' % (names[index].lower(), 1001 + index))

        return self._clones(self.add(names[0]), len(names), name)

    def add_environments(self, service_sid, names):
        """Environments with these unique names, each its name as its domain suffix; their SIDs."""
        base = self.services[service_sid]['domain_base']

        def name(record, index):
            record.update(unique_name=names[index], domain_suffix=names[index], domain_name='%s-%s.twil.io' % (base, names[index].lower()))

        return self._clones(self.add_environment(service_sid, names[0], names[0]), len(names), name)

    @property
    def services(self):
        return dict((record['sid'], record) for record in self.account.collection('serverless').values())

    def add_environment(self, service_sid, unique_name, domain_suffix=None, fresh=False):
        """An Environment of that service (``ZE``); its SID."""
        form = {'UniqueName': unique_name}
        if domain_suffix is not None:
            form['DomainSuffix'] = domain_suffix
        return self._settle(self.api('POST', '/serverless/v1/Services/%s/Environments' % service_sid, form)['sid'], fresh)

    def remove(self, sid):
        self.account.collection('serverless').remove(sid)

    def view(self, sid, version=None):
        """The Serverless API's answer for this service."""
        return emulated_serverless.serialize_service(self.services[sid], self.emulator.base_url)

    def environments(self, service_sid):
        """The Environments of that service by SID, as the API lists them."""
        listing = self.api('GET', '/serverless/v1/Services/%s/Environments?PageSize=1000' % service_sid)
        return dict((record['sid'], record) for record in listing['environments'])
