# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""TwilioModule: the AnsibleModule every chatops.twilio module is built on.

It adds the connection options (documented by the ``chatops.twilio.connection`` doc
fragment), validates credentials before any request, builds the shared client and is
the one place where client errors become ``fail_json``.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import math
import os
import re
import threading

from contextlib import contextmanager
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib
from ansible.module_utils.basic import _load_params as basic_load_params

from ansible_collections.chatops.twilio.plugins.module_utils._credentials import credential_in_notifications
from ansible_collections.chatops.twilio.plugins.module_utils._client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    TwilioClient,
)
from ansible_collections.chatops.twilio.plugins.module_utils._redact import Redactor, url_passwords
from ansible_collections.chatops.twilio.plugins.module_utils._endpoints import base_url_warnings, build_base_url
from ansible_collections.chatops.twilio.plugins.module_utils._errors import TwilioConfigError, TwilioError
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError, control_character

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Iterator, Mapping
    from typing import Any, NoReturn

# \Z, not $: $ also matches before a trailing newline.
ACCOUNT_SID_RE = re.compile(r'^AC[0-9a-fA-F]{32}\Z')
# The two credential pairs, and the environment variable each option falls back to.
CREDENTIAL_PAIRS = (('account_sid', 'auth_token'), ('api_key', 'api_secret'))
CREDENTIAL_ENV = dict(account_sid='TWILIO_ACCOUNT_SID', auth_token='TWILIO_AUTH_TOKEN', api_key='TWILIO_API_KEY', api_secret='TWILIO_API_SECRET')
API_KEY_RE = re.compile(r'^SK[0-9a-fA-F]{32}\Z')


def connection_argument_spec() -> dict[str, Any]:
    """Options shared by every module of the collection (see the connection doc fragment)."""
    return dict(
        account_sid=dict(type='str', fallback=(env_fallback, ['TWILIO_ACCOUNT_SID'])),
        auth_token=dict(type='str', no_log=True, fallback=(env_fallback, ['TWILIO_AUTH_TOKEN'])),
        api_key=dict(type='str', no_log=False, fallback=(env_fallback, ['TWILIO_API_KEY'])),
        api_secret=dict(type='str', no_log=True, fallback=(env_fallback, ['TWILIO_API_SECRET'])),
        api_base_url=dict(type='str', fallback=(env_fallback, ['TWILIO_API_BASE_URL'])),
        region=dict(type='str', fallback=(env_fallback, ['TWILIO_REGION'])),
        edge=dict(type='str', fallback=(env_fallback, ['TWILIO_EDGE'])),
        validate_certs=dict(type='bool', default=True),
        timeout=dict(type='float', default=30),
        retries=dict(type='int', default=4),
        retry_timeout=dict(type='float', default=60),
    )


def from_environment(params: Mapping[str, Any], raw: Mapping[str, Any] | None, environ: Mapping[str, str] | None = None) -> set[str]:
    """The credential options whose value came from a TWILIO_* environment variable, not from the task.

    ``raw`` are the task's arguments before Ansible applied the fallbacks (module_defaults count as the
    task's); without them, a value equal to its variable's is taken as the variable's.
    """
    environ = os.environ if environ is None else environ
    found = set()
    for name, variable in CREDENTIAL_ENV.items():
        if not params.get(name):
            continue
        explicit = raw.get(name) if raw is not None else None
        if explicit is None and (raw is not None or params.get(name) == environ.get(variable)):
            found.add(name)
    return found


def effective_credentials(params: Mapping[str, Any], env_sourced: set[str], environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The connection options with the credentials the run uses; raises TwilioConfigError before any request.

    Explicit task options always win over TWILIO_* variables: when the task gives any option of one pair
    (``account_sid``/``auth_token`` or ``api_key``/``api_secret``) and none of the other, the other pair's
    values from the environment are not used. Credentials that name two different accounts are refused:
    ``account_sid`` given in the task while ``TWILIO_ACCOUNT_SID`` names another account and a secret of the
    pair in use comes from the environment (it belongs to that other account).
    """
    environ = os.environ if environ is None else environ
    result = dict(params)
    explicit = [any(result.get(n) and n not in env_sourced for n in pair) for pair in CREDENTIAL_PAIRS]
    for index, pair in enumerate(CREDENTIAL_PAIRS):
        if explicit[1 - index] and not explicit[index]:
            for name in pair:
                if name in env_sourced:
                    result[name] = None
    env_account = environ.get('TWILIO_ACCOUNT_SID') or None
    account = result.get('account_sid')
    if account and 'account_sid' not in env_sourced and env_account and env_account != account:
        in_use = CREDENTIAL_PAIRS[1] if result.get('api_key') and result.get('api_secret') else CREDENTIAL_PAIRS[0]
        borrowed = [n for n in in_use if n in env_sourced and result.get(n)]
        if borrowed:
            raise TwilioConfigError(
                'the credentials name two different accounts: account_sid %s is a task option, but %s comes from the '
                'environment (%s), next to TWILIO_ACCOUNT_SID %s. Nothing was sent. Give %s as task options too, or '
                'unset the TWILIO_* variables of the other account'
                % (account, ' and '.join(borrowed), ', '.join(CREDENTIAL_ENV[n] for n in borrowed), env_account, ' and '.join(borrowed))
            )
    return result


def credentials(params: Mapping[str, Any]) -> tuple[str, str, str | None]:
    """(username, password, account_sid) from the module parameters; raises TwilioConfigError.

    ``params`` are the options after :func:`effective_credentials` (task options beat TWILIO_* variables).
    Precedence (documented in the connection doc fragment): a complete API key pair (api_key and
    api_secret) wins over account_sid and auth_token given at the same level (both as task options or
    module_defaults, or both in the environment); the module warns when both pairs are complete. Half
    an API key pair is an error naming the missing option, never a silent fall-back to the auth token.
    """
    account_sid = params.get('account_sid') or None
    api_key = params.get('api_key') or None
    if account_sid and not ACCOUNT_SID_RE.match(account_sid):
        raise TwilioConfigError('account_sid must match ^AC[0-9a-fA-F]{32}$ (an Account SID, "AC" and 32 hex digits)')
    if api_key:
        if not API_KEY_RE.match(api_key):
            raise TwilioConfigError('api_key must match ^SK[0-9a-fA-F]{32}$ (an API key SID, "SK" and 32 hex digits)')
        if not params.get('api_secret'):
            raise TwilioConfigError(
                'api_key needs api_secret (or the TWILIO_API_SECRET environment variable); to '
                'authenticate with account_sid and auth_token instead, unset api_key (and '
                'TWILIO_API_KEY)'
            )
        return api_key, params['api_secret'], account_sid
    if params.get('api_secret'):
        raise TwilioConfigError(
            'api_secret needs api_key (or the TWILIO_API_KEY environment variable); to '
            'authenticate with account_sid and auth_token instead, unset api_secret (and '
            'TWILIO_API_SECRET)'
        )
    if not account_sid or not params.get('auth_token'):
        raise TwilioConfigError(
            'no Twilio credentials: set account_sid and auth_token, or api_key and api_secret '
            '(or TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN, TWILIO_API_KEY/TWILIO_API_SECRET)'
        )
    return account_sid, params['auth_token'], account_sid


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return 'a boolean'
    return 'a dictionary' if isinstance(value, dict) else 'a list'


def strict_type_error(spec: Mapping[str, Any], raw: Any, prefix: str = '') -> str | None:
    """The first value in the raw ``raw`` parameters that ansible-core would accept by converting it silently.

    Core turns a dict, a list or a boolean given for a ``str`` option into its Python text (``"{'a': 1}"``,
    ``"True"``) and takes a boolean as the integer 1 or 0 (or the float 1.0), so the module would write a value
    nobody wrote. A string option holding NUL or another control character (tab and line breaks allowed) is refused
    too: it would cut a name short or forge a line in a log (names and list settings: ``Field.check``; a name list
    such as confirm_delete may name a service read from Twilio, so it is only compared). Returns a message naming the
    option (dotted for suboptions, ``services[0].friendly_name`` in a list of dicts), or None. Values are never shown.
    """
    for name in sorted(spec):
        option = spec[name]
        for key in [name] + list(option.get('aliases') or []):
            value = raw.get(key) if isinstance(raw, dict) else None
            if value is None:
                continue
            label = prefix + name
            wanted = option.get('type') or 'str'
            if wanted == 'str' and isinstance(value, (dict, list, tuple, bool)):
                return '%s must be a string, got %s' % (label, _kind(value))
            if wanted == 'str' and isinstance(value, str) and control_character(value, free_text=True):
                return '%s must not contain NUL or control characters other than tab and line breaks, got %s' % (
                    label,
                    control_character(value, free_text=True),
                )
            if wanted in ('int', 'float') and isinstance(value, bool):
                return '%s must be a number, got a boolean (%s)' % (label, 'true' if value else 'false')
            if wanted == 'list' and option.get('elements') == 'str' and isinstance(value, (list, tuple)):
                for index, item in enumerate(value):
                    if isinstance(item, (dict, list, tuple, bool)):
                        return '%s[%d] must be a string, got %s' % (label, index, _kind(item))
            if wanted == 'dict' and option.get('options') and isinstance(value, dict):
                problem = strict_type_error(option['options'], value, label + '.')
                if problem:
                    return problem
            if wanted == 'list' and option.get('elements') == 'dict' and option.get('options') and isinstance(value, (list, tuple)):
                for index, item in enumerate(value):
                    problem = strict_type_error(option['options'], item, '%s[%d].' % (label, index))
                    if problem:
                        return problem
    return None


def raw_arguments() -> dict[str, Any] | None:
    """The task's arguments as written, before Ansible converted their types (None when they cannot be read).

    ``ansible.module_utils.basic._load_params`` is the function core provides for modules that process their
    own arguments (it returns a fresh copy of what the module was given, read once per process); the module's
    own ``_load_params`` method is not overridden. ``strict_type_error`` compares these raw values with the
    spec to refuse what Ansible would convert silently.
    """
    try:
        raw = basic_load_params()
    except Exception:  # pylint: disable=broad-exception-caught  # a core that reads arguments otherwise: no raw check
        return None
    return raw if isinstance(raw, dict) else None


def both_credential_pairs(params: Mapping[str, Any]) -> bool:
    """Whether both complete pairs are set (the API key wins, see the connection doc fragment)."""
    return all(params.get(name) for name in ('api_key', 'api_secret', 'account_sid', 'auth_token'))


def redactor_for(params: Mapping[str, Any]) -> Redactor:
    """A Redactor for every secret of the connection options (and a password written into api_base_url)."""
    secrets = [params.get('auth_token'), params.get('api_secret')]
    base_url = params.get('api_base_url') or ''
    try:
        secrets.append(urlsplit(base_url).password)
    except ValueError:
        pass
    return Redactor([s for s in secrets if isinstance(s, str)], [u for u in (params.get('account_sid'), params.get('api_key')) if isinstance(u, str)])


class HeldFailure(Exception):
    """``fail_json`` in a thread that holds its output (:meth:`TwilioModule.held`): ``result`` is what it was given."""

    def __init__(self, result: dict[str, Any]) -> None:
        super(HeldFailure, self).__init__(result.get('msg'))
        self.result = result


class TwilioModule(AnsibleModule):
    """AnsibleModule with the connection options, a lazily built client and one error exit.

    Every text it emits (results, warnings, failures) passes through a Redactor: an answer that
    echoes the credentials (plain, base64 Basic value, URL-quoted) never reaches the output.

    Errors: an invalid option raises :class:`OptionError` (one type for every module), and the
    requests of a step run inside ``with module.context(verb, target):``, which turns a client
    error into "Failed to <verb> <target>: ...". A client error outside any context reads
    "Failed to reach <resource>: ...".
    """

    resource = 'resource'

    def __init__(self, argument_spec: dict[str, Any] | None = None, resource: str | None = None, **kwargs: Any) -> None:
        """``resource`` names what the module manages (``conversations service``) in "Failed to reach <resource>"."""
        spec = connection_argument_spec()
        spec.update(argument_spec or {})
        if resource is not None:
            self.resource = resource
        self.redactor: Redactor | None = None
        # A push credential under notifications: core refuses it as an unsupported parameter; fail_json says the rule.
        self.credential_problem = credential_in_notifications(raw_arguments()) if 'notifications' in spec else None
        super(TwilioModule, self).__init__(argument_spec=spec, **kwargs)
        self.redactor = redactor_for(self.params)
        # Ansible masks these itself wherever it prints the result (module_args of the invocation included),
        # and the passwords of URLs given in options (webhooks): results show https://user:********@host.
        self.no_log_values.update(self.redactor.variants)
        self.no_log_values.update(p for p in url_passwords(self.params) if len(p) >= 4)
        # The task's arguments as written (None when core cannot give them): the strict type check, and which
        # credentials the task gave itself (explicit options beat TWILIO_* variables).
        self.raw_params = raw_arguments()
        if self.raw_params is not None:
            problem = strict_type_error(spec, self.raw_params)
            if problem:
                self.fail_json(msg=problem)
        if not HAS_REQUESTS:
            self.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
        self._client: TwilioClient | None = None

    @property
    def client(self) -> TwilioClient:
        """The shared TwilioClient, built (and the connection options checked) on first use."""
        if self._client is None:
            params = self.params
            for name in ('timeout', 'retry_timeout'):
                if not math.isfinite(params[name]):
                    raise TwilioConfigError('%s must be a finite number of seconds, got %s' % (name, params[name]))
                if params[name] <= 0:
                    raise TwilioConfigError('%s must be a positive number of seconds, got %s' % (name, params[name]))
            if params['retries'] < 0:
                raise TwilioConfigError('retries must be 0 or more, got %s' % params['retries'])
            params = effective_credentials(params, from_environment(params, self.raw_params))
            username, password, account_sid = credentials(params)
            if both_credential_pairs(params):
                self.warn(
                    'Both api_key/api_secret and account_sid/auth_token are set (as options or through the '
                    'TWILIO_* environment variables); authenticating with API key %s, auth_token is not used' % username
                )
            base_url = build_base_url(params.get('api_base_url'), params.get('region') or None, params.get('edge') or None)
            for warning in base_url_warnings(base_url, params['validate_certs']):
                self.warn(warning)
            self._client = TwilioClient(
                username,
                password,
                account_sid=account_sid,
                base_url=base_url,
                validate_certs=params['validate_certs'],
                timeout=params['timeout'],
                retries=params['retries'],
                retry_timeout=params['retry_timeout'],
                warn=self.warn,
                user_agent_extra='ansible-module/%s' % self._name,
                redactor=self.redactor,
            )
        return self._client

    def change_result(self, changed: bool, key: str, obj: Any, before: Any, after: Any) -> dict[str, Any]:
        """The result of a managing module: ``changed``, the object under ``key``, and the diff in diff mode."""
        result = {'changed': changed, key: obj}
        if self._diff:
            result['diff'] = dict(before=before, after=after)
        return result

    @contextmanager
    def context(self, verb: str, target: str) -> Iterator[None]:
        """A client error inside the block fails the module with "Failed to <verb> <target>: <error>"."""
        try:
            yield
        except TwilioError as exc:
            self.fail_twilio(exc, context=(verb, target))

    def run(self, func: Callable[[TwilioModule], dict[str, Any]]) -> None:
        """Call ``func(self)`` and exit with its result dict; every TwilioError and OptionError ends here."""
        try:
            result = func(self)
        except OptionError as exc:
            self.fail_option('%s' % exc)
        except TwilioError as exc:
            self.fail_twilio(exc)
        if self._client is not None and 'retries_used' not in result:
            result['retries_used'] = self._client.retries_used
        self.exit_json(**result)

    def fail_twilio(self, exc: TwilioError, context: tuple[str, str] | None = None) -> NoReturn:
        verb, target = context or ('reach', self.resource)
        if isinstance(exc, TwilioConfigError):
            self.fail_json(msg='Invalid connection settings: %s' % exc.message)
        result = exc.to_result()
        if self._client is not None:
            result['retries_used'] = self._client.retries_used
        self.fail_json(msg='Failed to %s %s: %s' % (verb, target, exc.describe()), **result)

    def warn(self, warning: str, **kwargs: Any) -> None:
        held: list[str] | None = getattr(self._held, 'warnings', None)
        if held is not None:
            held.append(warning)
            return
        super(TwilioModule, self).warn(self._redacted(warning), **kwargs)

    def fail_json(self, msg: str, **kwargs: Any) -> NoReturn:
        problem = getattr(self, 'credential_problem', None)
        if problem and msg.startswith('Unsupported parameters'):
            msg = problem
        kwargs['msg'] = msg
        if getattr(self._held, 'warnings', None) is not None:
            raise HeldFailure(kwargs)
        super(TwilioModule, self).fail_json(**self._redacted(kwargs))

    # A worker thread of a set module (_parallel.py) holds its item's warnings and failure, and the run reports
    # them in the order of the items: the output of a parallel run reads as a sequential one's.
    _held = threading.local()

    @contextmanager
    def held(self) -> Iterator[list[str]]:
        """In the calling thread, within the block: warnings go to the list yielded, ``fail_json`` raises HeldFailure."""
        warnings: list[str] = []
        self._held.warnings = warnings
        try:
            yield warnings
        finally:
            self._held.warnings = None

    def exit_json(self, **kwargs: Any) -> NoReturn:
        super(TwilioModule, self).exit_json(**self._redacted(kwargs))

    def _redacted(self, value: Any) -> Any:
        return self.redactor.data(value) if self.redactor is not None else value

    def fail_option(self, message: str) -> NoReturn:
        """Invalid module options (raised before any request)."""
        self.fail_json(msg=message)
