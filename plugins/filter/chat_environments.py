# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Filters of the chat_environments role: its plan from its variables, its facts from the module results.

Pure functions (no request, no templating), documented in the sidecar files
``chat_environments_plan.yml``, ``chat_environments_facts.yml`` and ``exact_names.yml``.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import copy
import os
import difflib
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from ansible.errors import AnsibleFilterError
from ansible.utils.display import Display

from ansible_collections.chatops.twilio.plugins.module_utils import _chat_fields as cf
from ansible_collections.chatops.twilio.plugins.module_utils import _set_rules as cs
from ansible_collections.chatops.twilio.plugins.module_utils import _conversations as conv
from ansible_collections.chatops.twilio.plugins.module_utils import _source_tree as st
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Sequence
    from typing import Any

    # An environment's account: (account_sid, api_base_url), '' where the role's defaults apply.
    Account = tuple[str, str]

ENV_NAME_RE = re.compile(r'^[A-Za-z0-9_.-]+\Z')
# The {env} of a stray: an environment name without a dash, so that for app acme the services of a
# sibling app (acme-support-prod) are not strays of acme.
STRAY_ENV_CHARS = cs.STRAY_ENV_CHARS
STATES = ('present', 'absent')
# The API of an environment: Chat v1 or v2 (chat_services), or Conversations (conversations_services).
CONVERSATIONS = 'conversations'
APIS = cf.VERSIONS + (CONVERSATIONS,)
CHAT_COMMON = 'chat_environments_common'
CONVERSATIONS_COMMON = 'chat_environments_conversations_common'
CONNECTION_KEYS = ('account_sid', 'auth_token', 'api_key', 'api_secret', 'api_base_url')
CREDENTIAL_KEYS = ('auth_token', 'api_key', 'api_secret')
# An environment's Functions code (serverless_deploy, serverless_variables), overriding the role's defaults.
FUNCTIONS_KEYS = ('functions_source', 'functions_runtime', 'functions_variables')
OVERRIDE_ONLY = ('state', 'friendly_name', 'api_version') + CONNECTION_KEYS + FUNCTIONS_KEYS
# A webhook that names a Function of the environment's own Functions environment instead of a URL: the key the
# user writes -> the URL setting it becomes (https://{domain}{path}); Conversations has them under webhooks.
WEBHOOK_FUNCTIONS = {'pre_webhook_function': 'pre_webhook_url', 'post_webhook_function': 'post_webhook_url'}
ACCOUNT_SID_RE = re.compile(r'^AC[0-9a-fA-F]{32}\Z')
MAX_ERRORS = 5
MAX_MESSAGE = 1800
# The role's variables (meta/argument_specs.yml) and the facts it publishes: every other chat_environments_*
# variable is a typo (chat_environments_overide) that the role would silently ignore.
ROLE_VARIABLES = (
    'chat_environments_app',
    'chat_environments_names',
    'chat_environments_limit',
    'chat_environments_name_pattern',
    'chat_environments_state',
    'chat_environments_api_version',
    'chat_environments_protected',
    'chat_environments_confirm_delete',
    'chat_environments_common',
    'chat_environments_conversations_common',
    'chat_environments_overrides',
    'chat_environments_read_only',
    'chat_environments_functions',
    'chat_environments_functions_state',
    'chat_environments_functions_service_pattern',
    'chat_environments_functions_friendly_name',
    'chat_environments_functions_domain_suffixes',
    'chat_environments_functions_recreate',
    'chat_environments_functions_source',
    'chat_environments_functions_runtime',
    'chat_environments_functions_variables',
    'chat_environments_purge_strays',
)
ROLE_FACTS = ('chat_environments_services', 'chat_environments_functions_domains', 'chat_environments_strays')
PROTECTED_DEFAULT = ['prod']
FUNCTIONS_SUFFIXES_DEFAULT = {'prod': ''}


def exact_names(value: Any, variable: str = 'value') -> list[str]:
    """A list of exact names from a list or a string (split at commas, like Ansible's list type)."""
    try:
        names: list[str] = cs.as_names(value, variable)
        return names
    except ValueError as exc:
        raise AnsibleFilterError('%s' % exc)


def _plain(value: Any) -> Any:
    """``value`` as plain dicts, lists and strings.

    Ansible hands filters lazy, tagged containers whose deep copy also copies their templating
    context: about 0.3 s per environment, most of the role's local cost. Plain data copies in
    microseconds, and reading every value here renders it once.
    """
    if isinstance(value, Mapping):
        return dict((_plain(key), _plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    result = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = _merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ('1', 'true', 'yes', 'on', 'y', 't')
    return bool(value)


class _Plan(object):
    """Reads the role variables once; collects every error instead of stopping at the first."""

    def __init__(self, args: dict[str, Any]) -> None:
        self.args = args
        self.errors: list[str] = []
        self.warnings: list[str] = []
        # the *_webhook_function entries of chat_environments_common and _conversations_common, per API family
        self.common_refs: dict[str, dict[str, str]] = {cs.CHAT: {}, cs.CONVERSATIONS: {}}

    def error(self, message: str) -> None:
        # a common setting is checked once per environment it merges into: one message for it
        if message not in self.errors:
            self.errors.append(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def names(self, variable: str, default: list[str] | None = None) -> list[str]:
        try:
            names: list[str] = cs.as_names(self.args.get(variable, default), variable)
            return names
        except ValueError as exc:
            self.error('%s' % exc)
            return []

    def mapping(self, variable: str) -> dict[str, Any]:
        value = self.args.get(variable)
        if value is None or value == '':
            return {}
        if not isinstance(value, dict):
            self.error('%s must be a dictionary, got %s' % (variable, type(value).__name__))
            return {}
        return value

    def choice(self, variable: str, value: str, choices: Sequence[str]) -> str:
        if value not in choices:
            self.error('%s must be one of %s, got %r' % (variable, ', '.join(sorted(choices)), value))
            return choices[0]
        return value


def _close(name: str, candidates: Sequence[str], prefix: str = '') -> str:
    """'; did you mean X?' for the closest of ``candidates`` (compared without their common ``prefix``), or ''."""
    tails = dict((c[len(prefix) :], c) for c in sorted(candidates))
    tail = name[len(prefix) :]
    # the shortest name it begins (purge: purge_strays, name: names), else the closest spelling
    close = sorted((t for t in tails if tail and t.startswith(tail)), key=len)[:1] or difflib.get_close_matches(tail, list(tails), n=1, cutoff=0.6)
    return '; did you mean %s?' % tails[close[0]] if close else ''


def _check_variables(plan: _Plan, given: Sequence[str] | None) -> None:
    """Every chat_environments_* variable set where the role runs must be one of the role's."""
    prefix = 'chat_environments_'
    for name in sorted(set(n for n in given or [] if n.startswith(prefix)) - set(ROLE_VARIABLES + ROLE_FACTS)):
        plan.error(
            '%s is not a variable of the chatops.twilio.chat_environments role, so it would be ignored%s'
            % (rl.printable(name), _close(name, ROLE_VARIABLES, prefix) or ' (its variables: meta/argument_specs.yml)')
        )


def _check_environments(plan: _Plan) -> tuple[str, list[str], list[str], str]:
    app = plan.args.get('chat_environments_app')
    if app is None or app == '':
        plan.error(
            'chat_environments_app is required: the name of the application, {app} in the service names '
            '(for example chat_environments_app: acme gives acme-dev, acme-stage and acme-prod)'
        )
        app = ''
    elif not isinstance(app, str) or not app.strip():
        plan.error('chat_environments_app must not be empty')
        app = ''
    elif rl.control_character(app):
        plan.error('chat_environments_app must not contain control characters, got %s' % rl.printable(app))
        app = ''
    names = plan.names('chat_environments_names', ['dev', 'stage', 'prod'])
    if not names:
        plan.error('chat_environments_names must name at least one environment')
    for env in names:
        if not ENV_NAME_RE.match(env):
            plan.error('chat_environments_names: "%s" is not a valid environment name (letters, digits, _ . - only)' % env)
    for env in sorted(set(e for e in names if names.count(e) > 1)):
        plan.error('chat_environments_names lists "%s" more than once' % env)
    limit = plan.names('chat_environments_limit', [])
    for env in limit:
        if env not in names:
            plan.error('chat_environments_limit: "%s" is not in chat_environments_names (%s)' % (env, ', '.join(names)))
    pattern: str = plan.args.get('chat_environments_name_pattern') or '{app}-{env}'
    if rl.control_character(pattern):
        plan.error('chat_environments_name_pattern must not contain control characters, got %s' % rl.printable(pattern))
    elif '{env}' not in pattern:
        plan.error('chat_environments_name_pattern "%s" must contain {env}, or every environment would share one service' % pattern)
    for singular, plural in (('chat_environment_overrides', 'chat_environments_overrides'), ('chat_environment_name', 'chat_environments_names')):
        if plan.args.get(singular) not in (None, '', {}):
            plan.error(
                '%s is set where the role runs, but the role reads %s: %s is the per-environment host '
                'variable that playbooks/tasks/inventory_environments.yml reads from the hosts of group '
                'chat_environments. Rename it, or move it to group_vars/<env>.yml' % (singular, plural, singular)
            )
    return app, names, limit, pattern


def _api_family(api: str) -> str:
    return cs.CONVERSATIONS if api == CONVERSATIONS else cs.CHAT


def _check_api(settings: dict[str, Any], where: str, api: str, env: str | None = None) -> None:
    """Raise OptionError for the first setting that belongs to the other API (Chat or Conversations) only.

    ``env`` names the environment whose override ``where`` is; without it ``where`` is one of the two
    common variables, which hold the settings of one API each.
    """
    own, other = _api_family(api), cs.CHAT if api == CONVERSATIONS else cs.CONVERSATIONS
    for path in cs.flat_paths(settings):
        if cs.setting_of(path, own) or not cs.setting_of(path, other):
            continue
        if env is None:
            raise OptionError(
                '%s.%s is a %s service setting; the settings of environments on %s go in %s'
                % (
                    where,
                    path,
                    other,
                    'Conversations' if other == cs.CONVERSATIONS else 'Chat (API v1 or v2)',
                    CONVERSATIONS_COMMON if other == cs.CONVERSATIONS else CHAT_COMMON,
                )
            )
        if api == CONVERSATIONS:
            raise OptionError(
                '%s.%s is a Chat service setting, but environment %s uses the Conversations API '
                '(api_version: conversations), whose settings are configuration, notifications and '
                'webhooks (as in chatops.twilio.conversations_service)' % (where, path, env)
            )
        raise OptionError(
            '%s.%s is a Conversations service setting, but environment %s uses Chat API %s; set its '
            'api_version to conversations, or use the settings of chatops.twilio.chat_service' % (where, path, env, api)
        )


def _webhook_functions(plan: _Plan, settings: dict[str, Any], where: str, api: str) -> tuple[dict[str, Any], dict[str, str]]:
    """(settings without the ``*_webhook_function`` keys, {URL setting path: Function path})."""
    settings = dict(settings)
    nested = api == CONVERSATIONS
    holder = dict(settings.get('webhooks') or {}) if nested and isinstance(settings.get('webhooks'), dict) else settings
    refs: dict[str, str] = {}
    for key, url_key in sorted(WEBHOOK_FUNCTIONS.items()):
        if key not in holder:
            continue
        path = holder.pop(key)
        name = '%s.%s%s' % (where, 'webhooks.' if nested else '', key)
        if url_key in holder:
            plan.error('%s and %s.%s are both set; a webhook is a Function or a URL, not both' % (name, name.rsplit('.', 1)[0], url_key))
        elif not isinstance(path, str) or not path.startswith('/') or rl.control_character(path):
            plan.error('%s must be the path of a Function, such as /chat-hook, got %s' % (name, rl.printable('%r' % (path,))))
        else:
            refs[('webhooks.' if nested else '') + url_key] = path
    if nested and 'webhooks' in settings:
        if holder:
            settings['webhooks'] = holder
        else:
            del settings['webhooks']
    return settings, refs


def _environment(
    plan: _Plan, env: str, app: str, pattern: str, overrides: dict[str, Any], commons: dict[str, dict[str, Any]], default_api: str
) -> dict[str, Any]:
    where = 'chat_environments_overrides.%s' % env
    override = overrides.get(env)
    if override in (None, ''):
        override = {}
    if not isinstance(override, dict):
        plan.error('%s must be a dictionary, got %s' % (where, type(override).__name__))
        override = {}
    state = plan.choice(where + '.state', override.get('state') or plan.args.get('chat_environments_state') or 'present', STATES)
    version = plan.choice(where + '.api_version', override['api_version'], APIS) if override.get('api_version') else default_api
    for key in CONNECTION_KEYS + ('friendly_name',):
        if override.get(key) is not None and not isinstance(override[key], str):
            plan.error('%s.%s must be a string' % (where, key))
        elif override.get(key) and rl.control_character(override[key]):
            # a credential's value is never shown
            shown = '' if key in CREDENTIAL_KEYS else ', got %s' % rl.printable(override[key])
            plan.error('%s.%s must not contain control characters%s' % (where, key, shown))
    own = dict((k, v) for k, v in override.items() if k not in OVERRIDE_ONLY)
    own, own_refs = _webhook_functions(plan, own, where, version)
    common_refs = plan.common_refs[_api_family(version)]
    # A URL of the environment's own beats a Function of the common settings, and the other way round.
    refs = dict((k, v) for k, v in common_refs.items() if k not in cs.flat_paths(own))
    refs.update(own_refs)
    settings: dict[str, Any] = {}
    try:
        _check_api(own, where, version, env)
        cs.check_settings_types(own, where, _api_family(version))
    except OptionError as exc:
        plan.error('%s' % exc)
    else:
        origin = dict((path, where) for path in cs.flat_paths(own))
        try:
            if version == CONVERSATIONS:
                settings = cs.check_conversations_settings(_merge(commons[cs.CONVERSATIONS], own), CONVERSATIONS_COMMON, origin)
            else:
                settings = cs.check_settings(_merge(commons[cs.CHAT], own), version, CHAT_COMMON, origin)
        except OptionError as exc:
            plan.error('%s (environment %s uses Chat API %s)' % (exc, env, version) if 'Chat API' in '%s' % exc else '%s' % exc)
    name = override.get('friendly_name') or pattern.replace('{app}', app).replace('{env}', env)
    _check_connection(plan, where, override)
    return dict(
        name=name,
        state=state,
        api_version=version,
        settings=settings if state == 'present' else {},
        account=(override.get('account_sid') or '', override.get('api_base_url') or ''),
        webhook_functions=refs if state == 'present' else {},
        code=dict((key, override[key]) for key in FUNCTIONS_KEYS if override.get(key) not in (None, '')),
    )


def _commons(plan: _Plan) -> dict[str, dict[str, Any]]:
    """{cs.CHAT: chat_environments_common, cs.CONVERSATIONS: chat_environments_conversations_common}, type-checked."""
    commons: dict[str, dict[str, Any]] = {}
    for variable, api in ((CHAT_COMMON, 'v2'), (CONVERSATIONS_COMMON, CONVERSATIONS)):
        common, plan.common_refs[_api_family(api)] = _webhook_functions(plan, plan.mapping(variable), variable, api)
        try:
            _check_api(common, variable, api)
            cs.check_settings_types(common, variable, _api_family(api))
        except OptionError as exc:
            plan.error('%s' % exc)
            common = {}
        commons[_api_family(api)] = common
    return commons


def _check_connection(plan: _Plan, where: str, override: dict[str, Any]) -> None:
    given = [k for k in CREDENTIAL_KEYS if override.get(k) not in (None, '')]
    account = override.get('account_sid') or ''
    if given and not account:
        plan.error('%s.account_sid is required with %s' % (where, ', '.join(given)))
    if account:
        if not ACCOUNT_SID_RE.match('%s' % account):
            plan.error('%s.account_sid must be AC followed by 32 hex digits' % where)
        if 'auth_token' not in given and not ('api_key' in given and 'api_secret' in given):
            plan.error('%s.account_sid needs auth_token, or api_key and api_secret, of that account' % where)
    if ('api_key' in given) != ('api_secret' in given):
        plan.error('%s.api_key and %s.api_secret must be set together' % (where, where))


def _check_functions(plan: _Plan, app: str, names: list[str], environments: dict[str, dict[str, Any]]) -> str | None:
    if not _bool(plan.args.get('chat_environments_functions')):
        return None
    pattern: str = plan.args.get('chat_environments_functions_service_pattern') or '{app}'
    service = pattern.replace('{app}', app)
    if '{env}' in pattern:
        plan.error(
            'chat_environments_functions_service_pattern "%s" must not contain {env}: one Functions service holds the environments of an account' % pattern
        )
    else:
        try:
            sl.check_service_name(service, 'the Functions service name (chat_environments_functions_service_pattern)')
        except OptionError as exc:
            plan.error('%s' % exc)
    friendly: str = plan.args.get('chat_environments_functions_friendly_name') or ''
    if len(friendly) > sl.FRIENDLY_NAME_MAX:
        plan.error('chat_environments_functions_friendly_name must be at most %d characters' % sl.FRIENDLY_NAME_MAX)
    plan.choice('chat_environments_functions_state', plan.args.get('chat_environments_functions_state') or 'present', STATES)
    suffixes = plan.mapping('chat_environments_functions_domain_suffixes')
    if suffixes == FUNCTIONS_SUFFIXES_DEFAULT and 'prod' not in names:
        suffixes = _derived_suffixes(plan, names)
    for env in suffixes:
        if env not in names:
            plan.error(
                'chat_environments_functions_domain_suffixes: "%s" is not in chat_environments_names (%s)%s'
                % (rl.printable(env), ', '.join(names), _close(env, names))
            )
    taken: dict[tuple[str, str, str], str] = {}
    for env in names:
        suffix = suffixes.get(env, env)
        variable = 'chat_environments_functions_domain_suffixes.%s' % env
        if len(env) > sl.ENVIRONMENT_NAME_MAX:
            plan.error('environment name "%s" is longer than the %d characters of a Functions environment name' % (env, sl.ENVIRONMENT_NAME_MAX))
        if not isinstance(suffix, str):
            plan.error('%s must be a string ("" for the base domain), got %r' % (variable, suffix))
            continue
        try:
            sl.check_domain_suffix(suffix, 'the Functions domain suffix of environment %s' % env)
        except OptionError as exc:
            plan.error('%s (%s)' % (exc, variable if env in suffixes else 'set %s to a valid suffix, as the name is not one' % variable))
        key = environments[env]['account'] + (suffix.lower(),)
        if key in taken:
            plan.error(
                'environments %s and %s would share the Functions domain %s in one account; give them '
                'different chat_environments_functions_domain_suffixes' % (taken[key], env, 'suffix "%s"' % suffix if suffix else 'base domain (suffix "")')
            )
        taken.setdefault(key, env)
        environments[env]['functions_suffix'] = suffix
    return service


def _check_code(plan: _Plan, environments: dict[str, dict[str, Any]], selected: list[str], functions_service: str | None, base_dir: str) -> None:
    """Each environment's Functions code (``deploy``: source and runtime; ``variables``) and the Functions its webhooks name.

    The source tree is read here, before any request, so that a missing tree or a webhook naming a Function the
    tree does not have fails the run with the other input errors. A relative source is relative to ``base_dir``
    (the playbook's directory).
    """
    default_source = plan.args.get('chat_environments_functions_source') or ''
    default_runtime = plan.args.get('chat_environments_functions_runtime') or 'node22'
    default_variables = plan.mapping('chat_environments_functions_variables')
    absent = plan.args.get('chat_environments_functions_state') == 'absent'
    for env, want in environments.items():
        where = 'chat_environments_overrides.%s' % env
        code = want.pop('code')
        source = code.get('functions_source', default_source)
        source_var = where + '.functions_source' if 'functions_source' in code else 'chat_environments_functions_source'
        runtime = code.get('functions_runtime', default_runtime)
        runtime_var = where + '.functions_runtime' if 'functions_runtime' in code else 'chat_environments_functions_runtime'
        variables = code.get('functions_variables', {})
        if not isinstance(variables, dict):
            plan.error('%s.functions_variables must be a dictionary, got %s' % (where, type(variables).__name__))
            variables = {}
        variables = dict(default_variables, **variables)
        want['deploy'], want['variables'] = None, None
        refs = want['webhook_functions']
        if env not in selected or want['state'] != 'present':
            continue
        if (source or variables or refs) and (functions_service is None or absent):
            what = source_var if source else ('the webhook Function %s' % sorted(refs.values())[0] if refs else 'functions_variables')
            plan.error(
                '%s of environment %s needs its Functions environment: set chat_environments_functions: true (and '
                'chat_environments_functions_state: present)' % (what, env)
            )
            continue
        functions: dict[str, str] = {}
        if source:
            if not isinstance(source, str):
                plan.error('%s must be the path of a directory, got %s' % (source_var, type(source).__name__))
                continue
            path = os.path.normpath(os.path.join(base_dir, os.path.expanduser(source)))
            try:
                st.check_runtime(runtime, runtime_var)
                files = st.scan(path, source_var)[0]
            except OptionError as exc:
                plan.error('%s' % exc)
                continue
            functions = dict((f.path, f.visibility) for f in files if f.kind == 'function')
            want['deploy'] = dict(source=path, runtime=runtime)
        if variables:
            want['variables'] = variables
        for setting, function in sorted(refs.items()):
            name = '%s (%s)' % (setting.replace('_url', '_function'), env)
            if not source:
                plan.error('%s names the Function %s, but environment %s deploys no source (chat_environments_functions_source)' % (name, function, env))
            elif function not in functions:
                plan.error(
                    '%s names the Function %s, which %s does not have (its Functions: %s)%s'
                    % (name, rl.printable(function), source, ', '.join(sorted(functions)) or 'none', _close(function, list(functions)))
                )
            elif functions[function] == 'private':
                plan.error('%s names the private Function %s, which no URL reaches; make it protected (name.protected.js)' % (name, function))


def _derived_suffixes(plan: _Plan, names: list[str]) -> dict[str, str]:
    """The default domain suffixes for environments without ``prod``: the production environment gets the base domain.

    The default ``{prod: ""}`` names an environment these names do not have. The one environment whose
    name starts with ``prod`` (``production``) takes its place; with none, each environment uses its
    own name; with several, the role cannot tell which one is production and says how to choose.
    """
    production = [env for env in names if env.lower().startswith('prod')]
    if len(production) > 1:
        plan.error(
            'chat_environments_functions_domain_suffixes: the default gives the base domain to prod, which is not in '
            'chat_environments_names, and %s could each be production; set chat_environments_functions_domain_suffixes, '
            'for example {%s: ""} for the base domain (every other environment uses its own name)' % (' and '.join(production), production[0])
        )
        return {}
    return dict((env, '') for env in production)


def _check_protected(plan: _Plan, names: list[str], protected: list[str]) -> None:
    """Every protected entry is an environment; the default protecting nothing is said aloud."""
    if protected == PROTECTED_DEFAULT and 'prod' not in names:
        plan.warn(
            'no environment is protected: chat_environments_protected is [prod], but chat_environments_names (%s) '
            'has no prod; set chat_environments_protected to the environments whose services must not be deleted '
            'without confirmation' % ', '.join(names)
        )
        return
    for env in protected:
        if env not in names:
            plan.error(
                'chat_environments_protected: "%s" is not in chat_environments_names (%s)%s; an unknown entry protects nothing'
                % (rl.printable(env), ', '.join(names), _close(env, names))
            )


def _guards(
    plan: _Plan, environments: dict[str, dict[str, Any]], selected: list[str], protected: list[str], confirmed: list[str], functions_service: str | None
) -> None:
    functions = _bool(plan.args.get('chat_environments_functions'))
    for env in selected:
        want = environments[env]
        if env in protected and want['state'] == 'absent' and want['name'] not in confirmed:
            kind, contents = ('Conversations', 'conversations') if want['api_version'] == CONVERSATIONS else ('Chat', 'channels')
            plan.error(
                'Refusing to delete the %s service %s of protected environment %s (chat_environments_protected): '
                'deleting a %s service also deletes all of its %s, users and messages%s. Nothing was '
                'deleted. To confirm, name the service exactly in chat_environments_confirm_delete, for example '
                '-e \'{"chat_environments_confirm_delete": ["%s"]}\''
                % (kind, want['name'], env, kind, contents, ', and its Functions environment goes with it' if functions else '', want['name'])
            )
    if functions and plan.args.get('chat_environments_functions_state') == 'absent' and functions_service not in confirmed:
        plan.error(
            'Refusing to delete the Functions service %s (chat_environments_functions_state: absent): it holds '
            'the Functions, Assets and Environments of every environment, prod included. Nothing was deleted. '
            'To confirm, name it exactly in chat_environments_confirm_delete, for example '
            '-e \'{"chat_environments_confirm_delete": ["%s"]}\'' % (functions_service, functions_service)
        )


def _accounts(environments: dict[str, dict[str, Any]], selected: list[str], key: Callable[[dict[str, Any]], Account | None]) -> list[dict[str, Any]]:
    """[{env: first environment (its connection is used), envs: [...], account: first environment of the
    account among all selected}] per account, in environment order, of the environments ``key`` selects."""
    groups: dict[Account, dict[str, Any]] = {}
    order: list[Account] = []
    first: dict[Account, str] = {}
    for env in selected:
        first.setdefault(environments[env]['account'], env)
        account = key(environments[env])
        if account is None:
            continue
        if account not in groups:
            groups[account] = {'env': env, 'envs': [], 'account': first[environments[env]['account']]}
            order.append(account)
        groups[account]['envs'].append(env)
    return [groups[account] for account in order]


def _on(api_family: str) -> Callable[[dict[str, Any]], Account | None]:
    """The key of ``_accounts`` for the environments on one API family (cs.CHAT or cs.CONVERSATIONS)."""
    return lambda want: want['account'] if _api_family(want['api_version']) == api_family else None


# Chat settings without a Conversations name (docs/migrating-chat-to-conversations.md): an environment on
# Conversations does not get them from chat_environments_common, which the role says in a warning.
CHAT_ONLY = (
    'read_status_enabled',
    'typing_indicator_timeout',
    'consumption_report_interval',
    'limits',
    'media',
    'pre_webhook_retry_count',
    'post_webhook_retry_count',
    'notifications.invited_to_channel',
    'webhooks',
)


def chat_only_warning(common: dict[str, Any], environments: dict[str, dict[str, Any]]) -> str | None:
    """The warning for the Chat-only keys of chat_environments_common that environments on Conversations do not get, or None."""
    paths = list(cs.flat_paths(common))
    leaves = [path for path in paths if not any(other.startswith(path + '.') for other in paths)]
    keys = sorted(path for path in leaves if any(path == key or path.startswith(key + '.') for key in CHAT_ONLY))
    envs = [env for env, want in environments.items() if want['api_version'] == CONVERSATIONS and want['state'] == 'present']
    if not keys or not envs:
        return None
    return (
        '%s holds Chat-only settings that environment%s %s (api_version: conversations) do%s not get, because the '
        'Conversations API has no such setting; Twilio keeps their current values, unmanaged: %s'
        % (CHAT_COMMON, 's' if len(envs) > 1 else '', ', '.join(envs), '' if len(envs) > 1 else 'es', ', '.join(keys))
    )


def chat_environments_plan(args: Any, given: Sequence[str] | None = None, base_dir: str | None = None) -> dict[str, Any]:
    """The role's plan from its variables: ``errors`` (short messages, empty when valid) and what to send.

    ``given``: the names of every ``chat_environments_*`` variable set where the role runs (the role passes
    ``query('ansible.builtin.varnames', '^chat_environments_')``); one the role does not know is an error.
    ``base_dir``: the directory a relative Functions source is relative to (the role passes ``playbook_dir``).
    Warnings (valid input that is likely not what was meant) are shown as Ansible warnings and returned.
    """
    if not isinstance(args, dict):
        raise AnsibleFilterError('chat_environments_plan expects a dictionary of the role variables')
    plan = _Plan(_plain(args))
    _check_variables(plan, _plain(given))
    app, names, limit, pattern = _check_environments(plan)
    protected = plan.names('chat_environments_protected', ['prod'])
    _check_protected(plan, names, protected)
    confirmed = plan.names('chat_environments_confirm_delete', [])
    commons = _commons(plan)
    default_api = plan.choice('chat_environments_api_version', plan.args.get('chat_environments_api_version') or 'v2', APIS)
    overrides = plan.mapping('chat_environments_overrides')
    for env in overrides:
        if env not in names:
            plan.error('chat_environments_overrides.%s: "%s" is not in chat_environments_names (%s)' % (env, env, ', '.join(names)))
    environments: dict[str, dict[str, Any]] = {}
    seen: dict[str, str] = {}
    for env in names:
        want = environments[env] = _environment(plan, env, app, pattern, overrides, commons, default_api)
        if not want['name'].strip():
            plan.error(
                'the service name of environment %s is empty (chat_environments_name_pattern or chat_environments_overrides.%s.friendly_name)' % (env, env)
            )
        elif want['api_version'] == cf.V1 and len(want['name']) > cf.V1_NAME_MAX:
            plan.error('the service name "%s" of environment %s is longer than the %d characters Chat API v1 allows' % (want['name'], env, cf.V1_NAME_MAX))
        elif want['api_version'] == CONVERSATIONS and len(want['name']) > conv.FRIENDLY_NAME_MAX:
            plan.error(
                'the service name "%s" of environment %s is longer than the %d characters of a Conversations '
                'service name' % (want['name'], env, conv.FRIENDLY_NAME_MAX)
            )
        if want['name'] in seen:
            plan.error('environments %s and %s would both use the service name "%s"' % (seen[want['name']], env, want['name']))
        seen.setdefault(want['name'], env)
        want['functions_suffix'] = env
    functions_service = _check_functions(plan, app, names, environments)
    selected = [env for env in names if env in limit] if limit else list(names)
    _guards(plan, environments, selected, protected, confirmed, functions_service)
    _check_code(plan, environments, selected, functions_service, base_dir or os.getcwd())

    errors = plan.errors
    if errors:
        shown = errors[:MAX_ERRORS]
        more = len(errors) - len(shown)
        message = 'Invalid chatops.twilio.chat_environments input: %s%s' % ('; '.join(shown), ' (and %d more)' % more if more else '')
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 3] + '...'
        return {'errors': errors, 'message': message, 'warnings': []}
    for warning in plan.warnings:
        Display().warning('chatops.twilio.chat_environments: %s' % warning)

    known = [environments[env]['name'] for env in names]
    stray_pattern: str | None = None
    if app:
        stray_pattern = '(?!(?:%s)\\Z)%s' % ('|'.join(re.escape(n) for n in known), cs.name_regex(pattern, app, STRAY_ENV_CHARS))
    chat_accounts: list[dict[str, Any]] = []
    for account in _accounts(environments, selected, _on(cs.CHAT)):
        account['services'] = [
            dict(
                friendly_name=environments[env]['name'],
                state=environments[env]['state'],
                api_version=environments[env]['api_version'],
                settings=environments[env]['settings'],
                protected=env in protected,
            )
            for env in account['envs']
        ]
        # The version of the listing that finds the strays: the default where the account uses it (no extra listing).
        versions = [s['api_version'] for s in account['services']]
        account['api_version'] = default_api if default_api in versions else versions[0]
        chat_accounts.append(account)
    conversations_accounts: list[dict[str, Any]] = []
    for account in _accounts(environments, selected, _on(cs.CONVERSATIONS)):
        account['services'] = [
            dict(friendly_name=environments[env]['name'], state=environments[env]['state'], settings=environments[env]['settings'], protected=env in protected)
            for env in account['envs']
        ]
        conversations_accounts.append(account)
    functions_accounts: list[dict[str, Any]] = []
    if functions_service is not None:
        for account in _accounts(environments, selected, lambda w: w['account']):
            account['environments'] = [
                dict(unique_name=env, domain_suffix=environments[env]['functions_suffix'], state=environments[env]['state']) for env in account['envs']
            ]
            account['present'] = any(environments[env]['state'] == 'present' for env in account['envs'])
            functions_accounts.append(account)
    chat_only = chat_only_warning(commons[cs.CHAT], dict((env, environments[env]) for env in selected))
    if chat_only:
        Display().warning(chat_only)
    return {
        'errors': [],
        'message': '',
        'warnings': plan.warnings + ([chat_only] if chat_only else []),
        'selected': selected,
        'confirm_delete': confirmed,
        'environments': dict((env, dict((k, v) for k, v in environments[env].items() if k != 'account')) for env in names),
        'stray_pattern': stray_pattern,
        'chat_accounts': chat_accounts,
        'conversations_accounts': conversations_accounts,
        'functions_service': functions_service,
        'functions_accounts': functions_accounts,
        # one serverless_deploy / serverless_variables call per environment, in environment order
        'deploy_envs': [env for env in selected if environments[env]['deploy']],
        'variables_envs': [env for env in selected if environments[env]['variables']],
    }


# The loop variable of the role's per-account tasks: the account's environment names, not the account
# itself, whose settings (a webhook URL with its password, Functions variables) Ansible would print at -v
# with every loop result. The account is looked up in the plan by these names.
LOOP_VAR = '__chat_environments_envs'


def _loop_account(plan: dict[str, Any], result: dict[str, Any], kinds: Sequence[str]) -> dict[str, Any] | None:
    """The plan's account (of the lists ``kinds``) a loop result is for, or None for a result of an earlier
    run of the role in the same play (registered variables outlive it) or of no account."""
    envs = result.get(LOOP_VAR)
    if not isinstance(envs, list) or not all(env in plan['environments'] for env in envs):
        return None
    for kind in kinds:
        for account in plan.get(kind) or []:
            if account['envs'] == envs:
                return dict(account)
    return None


def _changed(result: dict[str, Any], read_only: bool) -> bool:
    if read_only:
        diff = result.get('diff') or {}
        return diff.get('before') != diff.get('after')
    return bool(result.get('changed'))


def chat_environments_facts(
    plan: Any,
    chat_results: Any,
    functions_results: Any = None,
    services: Any = None,
    domains: Any = None,
    read_only: Any = False,
    functions_state: str = 'present',
    deploy_results: Any = None,
) -> dict[str, Any]:
    """chat_environments_services, chat_environments_functions_domains and chat_environments_strays from the results.

    ``chat_results`` are the loop results of ``chat_services`` and of ``conversations_services`` (one list);
    ``deploy_results`` those of ``serverless_deploy`` (one per environment, the loop variable its name).
    """
    read_only = _bool(read_only)
    plan, chat_results, functions_results = _plain(plan), _plain(chat_results), _plain(functions_results)
    services = _plain(services or {})
    domains = _plain(domains or {})
    strays: list[dict[str, Any]] = []
    seen: dict[tuple[str, str | None], dict[str, Any]] = {}
    converged: set[str] = set()
    for account in chat_results or []:
        group = _loop_account(plan, account, ('chat_accounts', 'conversations_accounts'))
        if account.get('skipped') or 'services' not in account or group is None:
            continue
        for env, result in zip(group['envs'], account['services']):
            want = plan['environments'][env]
            converged.add(env)
            services[env] = dict(
                name=want['name'],
                state=want['state'],
                api_version=want['api_version'],
                sid=result.get('sid'),
                changed=bool(result.get('changed')),
                diff=result.get('diff') or {},
                service=result.get('service') or {} if want['state'] == 'present' else {},
                current=result.get('current') or {},
                action=result.get('action'),
                changed_settings=result.get('changed_settings') or [],
            )
        # An account on both APIs lists its services twice (one object, two APIs): each stray is reported once.
        for stray in account.get('strays') or []:
            record = dict(stray, account=group.get('account') or group['env'], deleted=stray in (account.get('purged') or []))
            key = (record['account'], stray.get('sid'))
            if key in seen:
                seen[key]['deleted'] = seen[key]['deleted'] or record['deleted']
                continue
            seen[key] = record
            strays.append(record)
    # In environment order, whichever API call reported them (after those of earlier runs in the play).
    for env in [e for e in plan['environments'] if e in converged]:
        services[env] = services.pop(env)
    for account in functions_results if plan.get('functions_service') else []:
        group = _loop_account(plan, account, ('functions_accounts',))
        if account.get('skipped') or account.get('failed') or group is None:
            continue
        envs = group['envs']
        service = account.get('service') or {}
        records: list[dict[str, Any]]
        if functions_state == 'absent':
            records = [dict(state='absent', sid=None, domain_name=None, diff={}, environment={}, changed=_changed(account, read_only)) for env in envs]
        else:
            records = [
                dict(
                    state=r['state'],
                    sid=r.get('sid'),
                    domain_name=r.get('domain_name'),
                    diff=r.get('diff') or {},
                    environment=r.get('environment') or {},
                    changed=bool(r.get('changed')),
                    action=r['action'],
                )
                for r in account.get('environments') or []
            ]
        for env, record in zip(envs, records):
            record.update(
                service=plan['functions_service'],
                unique_name=env,
                domain_suffix=plan['environments'][env]['functions_suffix'],
                service_sid=service.get('sid') if functions_state != 'absent' else None,
            )
            services.setdefault(env, {})['functions'] = record
            domains[env] = record['domain_name']
    for result in _plain(deploy_results) or [] if plan.get('functions_service') else []:
        env = result.get('__chat_environments_env')
        if result.get('skipped') or result.get('failed') or env not in (plan.get('deploy_envs') or []) or 'functions' not in services.get(env, {}):
            continue
        changes = result.get('changes') or {}
        services[env]['functions']['deploy'] = dict(
            build_sid=result.get('build_sid'),
            changed=_changed(result, read_only),
            changes=dict((kind, changes.get(kind) or []) for kind in ('added', 'changed', 'removed')),
        )
    return {'services': services, 'domains': domains, 'strays': strays}


# The domain of a Functions environment not created yet (check mode, new service): Twilio picks the 4 digits.
UNKNOWN_DOMAIN = '%s-0000%s.twil.io'


def chat_environments_functions_sids(plan: Any, functions_results: Any) -> dict[str, str | None]:
    """{env: SID of its Functions environment, None where it does not exist yet (check mode)} from the
    serverless_environments loop results."""
    plan = _plain(plan)
    sids: dict[str, str | None] = dict((env, None) for env in plan.get('environments') or {})
    for result in _plain(functions_results) or []:
        group = _loop_account(plan, result, ('functions_accounts',))
        if group is None or result.get('failed'):
            continue
        for env, record in zip(group['envs'], result.get('environments') or []):
            sids[env] = record.get('sid')
    return sids


def chat_environments_webhooks(plan: Any, functions_results: Any) -> dict[str, Any]:
    """The plan with each ``*_webhook_function`` turned into the URL ``https://{domain}{path}`` of the environment's own
    Functions environment, the domains read from the serverless_environments loop results (predicted in check mode)."""
    plan_: dict[str, Any] = _plain(plan)
    plan = plan_
    domains: dict[str, str] = {}
    for result in _plain(functions_results) or []:
        group = _loop_account(plan, result, ('functions_accounts',))
        if group is None or result.get('failed'):
            continue
        for env, record in zip(group['envs'], result.get('environments') or []):
            if record.get('domain_name'):
                domains[env] = record['domain_name']
    for kind in ('chat_accounts', 'conversations_accounts'):
        for account in plan.get(kind) or []:
            for env, service in zip(account['envs'], account['services']):
                want = plan['environments'][env]
                for setting, path in sorted(want.get('webhook_functions', {}).items()):
                    suffix = want['functions_suffix']
                    domain = domains.get(env) or UNKNOWN_DOMAIN % (plan['functions_service'], '-' + suffix.lower() if suffix else '')
                    holder = service['settings']
                    keys = setting.split('.')
                    for key in keys[:-1]:
                        holder = holder.setdefault(key, {})
                    holder[keys[-1]] = 'https://%s%s' % (domain, path)
    return plan_


# The role's one line per environment fits 80 columns in the default callback (8 spaces, the quotes and the comma of a JSON
# string) and in the YAML one (``    - '...'``, which folds a longer line).
SUMMARY_WIDTH = 69
VARIABLES_SET = 'variables set'
_DONE = {'create': 'created', 'update': 'updated', 'delete': 'deleted', 'recreate': 'recreated'}


def _verbs(verbs: Sequence[str], check_mode: bool) -> str:
    """``created, deployed``; in check mode ``would be created, deployed`` (said once per part of the line)."""
    return ('would be ' if check_mode and verbs else '') + ', '.join(verbs)


def _names(names: Sequence[str], shown: int) -> str:
    """`` (a, b, +3 more)`` with the first ``shown`` names, or `` (5 settings)`` when ``shown`` is 0."""
    if not names:
        return ''
    if not shown:
        return ' (%d setting%s)' % (len(names), '' if len(names) == 1 else 's')
    more = len(names) - shown
    return ' (%s%s)' % (', '.join(names[:shown]), ', +%d more' % more if more else '')


def _counts(changes: dict[str, Any], kinds: Sequence[str]) -> str:
    return ' (+%d ~%d -%d)' % tuple(len(changes.get(kind) or []) for kind in kinds)


def _service_parts(service: dict[str, Any], earlier: dict[str, Any]) -> tuple[list[str], str, list[str]]:
    """(what happened to the environment's Chat or Conversations service, the state it is left in when nothing
    happened, the names of the settings an update changed)."""
    action = service.get('action') or ('update' if service.get('changed') else 'none')
    if service.get('state') == 'absent':
        return (['deleted'] if action == 'delete' else []), 'absent', []
    verbs = []
    before_api, api = earlier.get('api_version'), service.get('api_version')
    if before_api and api and before_api != api and action != 'create':
        verbs.append('moved %s -> %s' % (before_api, api))
    if action != 'none':
        verbs.append(_DONE.get(action, 'changed'))
    names = [rl.printable(name) for name in service.get('changed_settings') or []] if action == 'update' else []
    return verbs, 'unchanged', names


def _functions_parts(functions: dict[str, Any], variables: dict[str, Any] | None) -> tuple[list[tuple[str, str]], str]:
    """What happened to the environment's Functions environment, code and variables: [(verb, its counts)], and the
    state it is left in when nothing happened."""
    action = functions.get('action') or ('delete' if functions.get('changed') else 'none')
    if functions.get('state') == 'absent':
        return ([('deleted', '')] if action == 'delete' else []), 'absent'
    verbs = [(_DONE.get(action, 'changed'), '')] if action != 'none' else []
    deploy = functions.get('deploy') or {}
    if deploy.get('changed'):
        verbs.append(('deployed', _counts(deploy.get('changes') or {}, ('added', 'changed', 'removed'))))
    if variables and variables.get('changed'):
        verbs.append((VARIABLES_SET, _counts(variables, ('added', 'updated', 'removed'))))
    return verbs, 'unchanged'


def _line(env: str, service: dict[str, Any], earlier: dict[str, Any], variables: dict[str, Any] | None, check_mode: bool) -> str:
    """The environment's line, shortened to SUMMARY_WIDTH where it can be: fewer setting names (then their count),
    then the Functions parts without their counts, then the Functions part as one word."""
    verbs, rest, names = _service_parts(service, earlier)
    functions = service.get('functions') or {}
    fn_verbs, fn_rest = _functions_parts(functions, variables) if functions else ([], '')
    line = ''
    for fn_form in ('counts', 'verbs', 'changed'):
        fn = ''
        if functions and not fn_verbs:
            fn = '; functions: ' + fn_rest
        elif functions and fn_form == 'changed':
            fn = '; functions: ' + ('would change' if check_mode else 'changed')
        elif functions and fn_verbs[0][0] == VARIABLES_SET:  # alone: variables would be set
            fn = '; functions: variables %sset%s' % ('would be ' if check_mode else '', fn_verbs[0][1] if fn_form == 'counts' else '')
        elif functions:
            fn = '; functions: ' + _verbs([v + (c if fn_form == 'counts' else '') for v, c in fn_verbs], check_mode)
        for shown in range(len(names), -1, -1) if names else [0]:
            line = '%s: %s%s%s' % (env, _verbs(verbs, check_mode) if verbs else rest, _names(names, shown), fn)
            if len(line) <= SUMMARY_WIDTH:
                return line
    return line


def chat_environments_summary(
    plan: Any,
    services: Any,
    earlier: Any = None,
    check_mode: Any = False,
    variables_results: Any = None,
    strays: Any = None,
    chat_results: Any = None,
) -> list[str]:
    """One line per environment of this run: what happened to its service (and its Functions), for the role's last task.

    ``services`` is this run's ``chat_environments_services``, ``earlier`` the fact before the run (an environment
    whose API differs there has moved), ``check_mode`` whether nothing was written (check mode or read-only: the
    lines say "would be"), ``variables_results`` the serverless_variables loop results, ``strays`` the strays fact,
    ``chat_results`` the chat_services and conversations_services loop results: one that ran in check mode makes the
    lines say "would be" too (a task's ``check_mode: true`` leaves ``ansible_check_mode`` false).
    Names only, never a setting's value: the lines cannot show a secret.
    """
    plan, services, earlier = _plain(plan) or {}, _plain(services) or {}, _plain(earlier) or {}
    check_mode = _bool(check_mode) or any(
        result.get('check_mode') is True for result in _plain(chat_results) or [] if _loop_account(plan, result, ('chat_accounts', 'conversations_accounts'))
    )
    variables = dict(
        (result.get('__chat_environments_env'), result)
        for result in _plain(variables_results) or []
        if isinstance(result, dict)
        and not result.get('skipped')
        and not result.get('failed')
        # a result of an earlier run of the role in the play (registered variables outlive it) is not this run's
        and result.get('__chat_environments_env') in (plan.get('variables_envs') or [])
    )
    lines = []
    for env in plan.get('selected') or []:
        service = services.get(env)
        if isinstance(service, dict) and 'action' in service:
            lines.append(_line(env, service, earlier.get(env) or {}, variables.get(env), check_mode))
    # services of the name pattern but of no environment: reported, deleted only when purged and confirmed
    names = [
        rl.printable(stray.get('friendly_name') or stray.get('sid') or '?') + (' (%s)' % _verbs(['deleted'], check_mode) if stray.get('deleted') else '')
        for stray in _plain(strays) or []
        if isinstance(stray, dict)
    ]
    for shown in range(len(names), 0, -1):
        more = len(names) - shown
        line = 'strays: %s%s' % (', '.join(names[:shown]), ', +%d more' % more if more else '')
        if len(line) <= SUMMARY_WIDTH or shown == 1:
            lines.append(line)
            break
    return lines


class FilterModule(object):
    def filters(self) -> dict[str, Callable[..., Any]]:
        return {
            'chat_environments_plan': chat_environments_plan,
            'chat_environments_facts': chat_environments_facts,
            'chat_environments_webhooks': chat_environments_webhooks,
            'chat_environments_functions_sids': chat_environments_functions_sids,
            'chat_environments_summary': chat_environments_summary,
            'exact_names': exact_names,
        }
