# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""What an account holds, as the ``chat_environments`` role's variables (``chat_environments_export``).

The services of an app are those the role's name pattern gives (``{app}-{env}``), with ``{env}`` as the
role's stray rule reads it (``_set_rules.name_regex``: no dash, so ``acme-support-prod`` belongs to the
sibling app ``acme-support``, not to ``acme``). Per environment: its API, the settings that differ from
what Twilio gives a new service (``_chat_fields.NEW_SERVICE_DEFAULTS``, the Conversations singletons'
``defaults``), default roles left out and other roles by name; then the settings every environment of an
API shares go into the common variable once, the rest into the overrides. Secrets are never read into the
result: a webhook URL's password (the client masks it in every answer) and every Functions variable value
become ``{{ vault_... }}`` references, listed in ``vault`` with empty values for the user to fill.

Which API an environment uses is not stored at Twilio (the three APIs are views of one service). Our
reading: ``v1`` when the service has Chat v1 webhooks set (a v1-only setting), ``conversations`` when it has
a setting only Conversations writes (media notifications, or webhook filters of Conversations events),
else ``v2``, the role's default; ``api_versions`` of the module pins an environment's API.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import base64
import json
import re
from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _chat_fields as cf
from ansible_collections.chatops.twilio.plugins.module_utils import _conversations as conv
from ansible_collections.chatops.twilio.plugins.module_utils import _builds as bd
from ansible_collections.chatops.twilio.plugins.module_utils import _deploy as dp
from ansible_collections.chatops.twilio.plugins.module_utils import _deploy_record as rec
from ansible_collections.chatops.twilio.plugins.module_utils import _source_tree as src
from ansible_collections.chatops.twilio.plugins.module_utils import _functions as fn
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils._errors import TwilioError
from ansible_collections.chatops.twilio.plugins.module_utils._redact import replace_url_passwords, url_passwords
from ansible_collections.chatops.twilio.plugins.module_utils._roles import role_collection
from ansible_collections.chatops.twilio.plugins.module_utils._set_rules import name_regex

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable, Mapping
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record
    from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

    Flat = dict[tuple[str, ...], Any]

NAME_PATTERN = '{app}-{env}'
ALL = 'all'
V1, V2, CONVERSATIONS = 'v1', 'v2', 'conversations'
API_VERSIONS = (V1, V2, CONVERSATIONS)
# The role's provisioning order for names it knows; others follow by name.
ORDER = ('dev', 'development', 'test', 'qa', 'stage', 'staging', 'uat', 'prod', 'production')
# The events only the Conversations API names (Chat's own names are in _chat_fields.WEBHOOK_FILTER_EVENTS).
CONVERSATIONS_ONLY_EVENTS = frozenset(conv.SERVICE_FILTERS) - frozenset(cf.WEBHOOK_FILTER_EVENTS)
APP_RE = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]*\Z')


def check_app(app: Any) -> str:
    """The app name, or OptionError naming the rule."""
    if not isinstance(app, str) or not APP_RE.match(app) or app.endswith('-'):
        raise rl.OptionError(
            'app must be an application name (letters, digits, "_", ".", "-", not starting with a dash or "." and not ending with a dash) '
            'or "all", got %r' % (app,)
        )
    return app


def vault_name(*parts: str) -> str:
    """A variable name for a secret: ``vault_`` and the parts, lower case, anything but letters and digits as ``_``."""
    return 'vault_' + re.sub(r'[^a-z0-9]+', '_', '_'.join(parts).lower()).strip('_')


def env_order(env: str) -> tuple[int, str]:
    return (ORDER.index(env) if env in ORDER else len(ORDER), env)


def environments_of(services: Iterable[Record], app: str) -> dict[str, Record]:
    """{env: service} of the services the role names ``{app}-{env}`` (the stray rule's ``{env}``: no dash)."""
    regex = re.compile(name_regex(NAME_PATTERN, app))
    prefix = app + '-'
    found: dict[str, Record] = {}
    for service in services:
        name = service.get('friendly_name') or ''
        if regex.fullmatch(name):
            env = name[len(prefix) :]
            if env in found:
                raise rl.OptionError(
                    'two services are named %s (%s, %s): the role cannot manage a name twice; delete or rename one first'
                    % (name, found[env].get('sid'), service.get('sid'))
                )
            found[env] = service
    return found


def recognise_apps(services: Iterable[Record]) -> tuple[list[str], list[Record]]:
    """(apps, services of no app): ``x-y`` is environment ``y`` (no dash) of app ``x``."""
    apps: set[str] = set()
    unmatched = []
    for service in services:
        name = service.get('friendly_name') or ''
        app, dash, env = name.rpartition('-')
        if dash and app and env and not app.endswith('-') and APP_RE.match(app) and re.fullmatch(r'[A-Za-z0-9_.]+', env):
            apps.add(app)
        else:
            unmatched.append(service)
    return sorted(apps), unmatched


def _differs(field: rl.Field, value: Any, default: Any) -> bool:
    return bool(field.normalise(value) != field.normalise(default))


def settings_of(record: Record, fields: Iterable[rl.Field], defaults: Mapping[tuple[str, ...], Any], roles: Mapping[str, str]) -> Flat:
    """{option path: value} of the settings of ``record`` that differ from a new service's.

    A role setting that names the role Twilio made for it is left out; another role is given by its
    friendly_name (``roles``: SID -> name), which the service modules resolve in every environment.
    """
    flat: Flat = {}
    for field in fields:
        if field.path == ('friendly_name',):
            continue
        value = rl.get_path(record, field.path)
        if value is None:
            continue
        option = field.parent + field.path
        if field.kind == 'sid' and field.rules.get('names'):
            name = roles.get(value)
            if name is not None and name == cf.DEFAULT_ROLE_NAMES.get(field.path[-1]):
                continue
            flat[option] = name if name is not None else value
            continue
        if not _differs(field, value, defaults.get(field.path)):
            continue
        flat[option] = field.shown(value)
    return flat


def chat_api(v1_record: Record | None, v2_record: Record, notifications: Record) -> str:
    """The API an environment is read as (our reading, see the module's docstring)."""
    if any(isinstance(item, dict) and (item.get('url') or item.get('method')) for item in ((v1_record or {}).get('webhooks') or {}).values()):
        return V1
    media = rl.get_path(notifications, ('new_message', 'with_media')) or {}
    if media.get('enabled') or media.get('template') or CONVERSATIONS_ONLY_EVENTS.intersection(v2_record.get('webhook_filters') or ()):
        return CONVERSATIONS
    return V2


def split_common(per_env: Mapping[str, Flat]) -> tuple[Flat, dict[str, Flat]]:
    """(settings every environment has with the same value, what each environment has besides)."""
    envs = list(per_env)
    common: Flat = {}
    if len(envs) > 1:
        first = per_env[envs[0]]
        common = dict((path, value) for path, value in first.items() if all(path in per_env[e] and per_env[e][path] == value for e in envs[1:]))
    overrides = dict((env, dict((p, v) for p, v in flat.items() if p not in common)) for env, flat in per_env.items())
    return common, overrides


def nest(flat: Flat) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for path, value in sorted(flat.items()):
        rl.set_path(result, path, value)
    return result


def without_passwords(flat: Flat, vault: dict[str, str], *name: str) -> Flat:
    """``flat`` with every URL password replaced by a ``{{ vault_... }}`` reference, added to ``vault``."""
    result: Flat = {}
    for path, value in flat.items():
        if isinstance(value, str) and url_passwords(value):
            ref = vault_name(*(name + path + ('password',)))
            vault[ref] = ''
            value = replace_url_passwords(value, '{{ %s }}' % ref)
        result[path] = value
    return result


class Account(object):
    """One account's services, each listing read once, with the per-service reads cached."""

    def __init__(self, module: TwilioModule, functions: bool, sources_dir: str | None = None) -> None:
        self.module = module
        # With sources_dir ({app} replaced): each environment's deployed tree is read, its files kept here.
        self.sources_dir = sources_dir
        self.files: list[dict[str, Any]] = []
        self.v2 = rl.listing(module, cf.collection(V2))
        self.v1 = dict((s.get('sid'), s) for s in rl.listing(module, cf.collection(V1)))
        self.functions = rl.listing(module, sl.SERVICES) if functions else []

    def roles(self, service_sid: str, label: str) -> dict[str, str]:
        return dict(('%s' % r.get('sid'), '%s' % r.get('friendly_name')) for r in rl.listing(self.module, role_collection(cf.PRODUCT, V2, service_sid), label))

    def singletons(self, service_sid: str, label: str) -> dict[str, Record]:
        return dict((s.option or s.label, rl.read(self.module, s, service_sid, label)) for s in conv.SERVICE_SETTINGS)


def export_environment(account: Account, service: Record, pinned: str | None) -> tuple[str, Flat]:
    """(API, settings) of one environment's service."""
    label = 'service %s (%s)' % (service.get('friendly_name'), service.get('sid'))
    sid = service['sid']
    singletons = account.singletons(sid, label)
    api = pinned or chat_api(account.v1.get(sid), service, singletons['notifications'])
    roles = account.roles(sid, label)
    if api == CONVERSATIONS:
        flat: Flat = {}
        for singleton in conv.SERVICE_SETTINGS:
            flat.update(settings_of(singletons[singleton.option or singleton.label], singleton.fields, singleton.defaults, roles))
        return api, flat
    record = account.v1.get(sid, service) if api == V1 else service
    return api, settings_of(record, cf.fields_for(api), cf.NEW_SERVICE_DEFAULTS, roles)


def toolkit_file(kind: str, path: str, visibility: str) -> str:
    """Where a deployed Function or Asset goes in the Toolkit's layout (the inverse of ``_source_tree.function_of``/``asset_of``)."""
    mark = '' if visibility == 'public' else '.' + visibility
    relative = path.lstrip('/')
    if kind == 'function':
        return '%s/%s%s.js' % (src.FUNCTIONS_DIR, relative, mark)
    folder, slash, name = relative.rpartition('/')
    stem, dot, ext = name.rpartition('.')
    if not dot or not stem:
        stem, ext = name, ''
    return '%s/%s%s%s%s' % (src.ASSETS_DIR, folder + slash, stem, mark, '.' + ext if ext else '')


def public_asset(module: TwilioModule, environment: Record, path: str) -> bytes | str:
    """The bytes of a public Asset, read from the environment's domain (no API gives them), or why it could not be read."""
    domain = environment.get('domain_name')
    if not isinstance(domain, str) or not domain:
        return 'the environment has no domain_name'
    try:
        return module.client.get_public(domain, path)
    except TwilioError as exc:
        return exc.describe()


def deployed_sources(module: TwilioModule, service_sid: str, environment: Record) -> dict[str, Any] | None:
    """What an environment serves, as a Toolkit tree: ``files`` (relative path -> text or bytes: each Function through
    /Content, each public Asset from the environment's domain, package.json with the build's declared dependencies),
    ``missing`` (what cannot be read back: private and protected Assets, a Function that is not text, a public Asset its
    domain did not give, each with the ``reason``) and ``runtime``; None when the environment serves no build."""
    build = bd.read_build(module, service_sid, environment.get('build_sid'))
    if build is None:
        return None
    read = dp.function_content(module, service_sid)
    files: dict[str, str | bytes] = {}
    missing = []
    for (kind, path), version in sorted(rec.deployed_files(build).items()):
        visibility = ('%s' % version.get('visibility')).lower()
        name = toolkit_file(kind, path, visibility)
        content: str | bytes | None = None
        reason = 'the API cannot give back'
        if kind == 'function':
            content = read(version)
            reason = 'is not text through /Content'
        elif visibility == 'public':
            answer = public_asset(module, environment, path)
            if isinstance(answer, bytes):
                content = answer
            else:
                reason = 'its domain did not give (%s)' % answer
        if content is None:
            missing.append(dict(path=path, visibility=visibility, file=name, reason=reason))
        else:
            files[name] = content
    dependencies = dict((k, v) for k, v in rec.build_dependencies(build).items() if k not in rec.INJECTED_DEPENDENCIES)
    files['package.json'] = json.dumps({'private': True, 'dependencies': dependencies}, indent=2, sort_keys=True) + '\n'
    return dict(files=files, missing=missing, runtime=build.get('runtime') or src.DEFAULT_RUNTIME)


def file_entry(app: str, env: str, path: str, data: str | bytes) -> dict[str, Any]:
    """One file to write: ``content`` when it is text (UTF-8, written as is), else ``content_base64`` (its bytes)."""
    if isinstance(data, bytes):
        try:
            text = data.decode('utf-8')
        except UnicodeDecodeError:
            return dict(app=app, env=env, path=path, content_base64=base64.b64encode(data).decode('ascii'))
        return dict(app=app, env=env, path=path, content=text)
    return dict(app=app, env=env, path=path, content=data)


def _sources(account: Account, app: str, env: str, service_sid: str, environment: Record, sources_dir: str, overrides: dict[str, dict[str, Any]]) -> list[str]:
    """The environment's deployed tree into ``account.files`` under ``sources_dir/env``; its ``functions_source`` into the
    overrides only when the whole build could be read (a deploy of a partial tree would remove the rest)."""
    tree = deployed_sources(account.module, service_sid, environment)
    if tree is None:
        return []
    root = '%s/%s' % (sources_dir.replace('{app}', app).rstrip('/'), env)
    for name, data in sorted(tree['files'].items()):
        account.files.append(file_entry(app, env, '%s/%s' % (root, name), data))
    if tree['missing']:
        return [
            'Functions environment %s serves %s (%s), which %s: put %s there, then set functions_source: %s'
            % (env, item['path'], item['visibility'], item['reason'], '%s/%s' % (root, item['file']), root)
            for item in tree['missing']
        ]
    overrides.setdefault(env, {})['functions_source'] = root
    if tree['runtime'] != src.DEFAULT_RUNTIME:
        overrides[env]['functions_runtime'] = tree['runtime']
    return []


def _functions_part(
    account: Account, app: str, envs: list[str], variables: dict[str, Any], overrides: dict[str, dict[str, Any]], vault: dict[str, str]
) -> list[str]:
    """The Functions variables of ``app`` into ``variables`` and ``overrides``; returns warnings."""
    service = next((s for s in account.functions if s.get('unique_name') == app), None)
    if service is None:
        return []
    module = account.module
    warnings = []
    variables['chat_environments_functions'] = True
    if service.get('friendly_name') and service.get('friendly_name') != app:
        variables['chat_environments_functions_friendly_name'] = service['friendly_name']
    environments = rl.listing(module, sl.environments(service['sid']), 'serverless service %s' % app)
    by_name = dict(('%s' % e.get('unique_name'), e) for e in environments)
    suffixes = dict((env, by_name[env].get('domain_suffix') or '') for env in envs if env in by_name)
    if suffixes != dict((env, '' if env == 'prod' else env) for env in suffixes) or 'prod' not in envs:
        variables['chat_environments_functions_domain_suffixes'] = suffixes
    for env in envs:
        if env not in by_name:
            warnings.append('Functions service %s has no environment %s: provision would create it' % (app, env))
            continue
        environment = by_name[env]
        if account.sources_dir:
            warnings += _sources(account, app, env, service['sid'], environment, account.sources_dir, overrides)
        keys = sorted(
            r['key'] for r in rl.listing(module, fn.variables(service['sid'], environment['sid']), 'environment %s' % env) if r.get('key') != fn.RESERVED_KEY
        )
        if keys:
            refs = {}
            for key in keys:
                ref = vault_name(app, env, key)
                vault[ref] = ''
                refs[key] = '{{ %s }}' % ref
            overrides.setdefault(env, {})['functions_variables'] = refs
    for name in sorted(set(by_name) - set(envs)):
        warnings.append('Functions environment %s of service %s has no Chat service %s-%s: not exported' % (name, app, app, name))
    return warnings


def export_app(account: Account, app: str, pinned: Mapping[str, str]) -> dict[str, Any]:
    """The role's variables for ``app`` (``variables``), the secrets to fill (``vault``) and ``warnings``."""
    services = environments_of(account.v2, app)
    envs = sorted(services, key=env_order)
    apis: dict[str, str] = {}
    settings: dict[str, Flat] = {}
    for env in envs:
        apis[env], settings[env] = export_environment(account, services[env], pinned.get(env))
    vault: dict[str, str] = {}
    variables: dict[str, Any] = {'chat_environments_app': app, 'chat_environments_names': envs}
    if 'prod' not in envs:
        variables['chat_environments_protected'] = [env for env in envs if env.startswith('prod')]
    overrides: dict[str, dict[str, Any]] = dict((env, {}) for env in envs)
    for group, variable in (((V1, V2), 'chat_environments_common'), ((CONVERSATIONS,), 'chat_environments_conversations_common')):
        common, own = split_common(dict((env, settings[env]) for env in envs if apis[env] in group))
        if common:
            variables[variable] = nest(without_passwords(common, vault, app))
        for env, flat in own.items():
            overrides[env].update(nest(without_passwords(flat, vault, app, env)))
    for env in envs:
        if apis[env] != V2:
            overrides[env]['api_version'] = apis[env]
    warnings = _functions_part(account, app, envs, variables, overrides, vault) if account.functions or envs else []
    overrides = dict((env, value) for env, value in overrides.items() if value)
    if overrides:
        variables['chat_environments_overrides'] = overrides
    return dict(
        app=app,
        environments=dict((env, dict(sid=services[env].get('sid'), api_version=apis[env])) for env in envs),
        variables=variables,
        vault=vault,
        warnings=warnings,
    )
