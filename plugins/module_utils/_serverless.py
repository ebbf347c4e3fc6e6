# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""Twilio Functions (Serverless v1) Services and Environments.

Validation of names and SIDs (done before any request), paths, lookups (among them the environment a task names by
its ``service`` and ``environment`` options: ``environment_target_spec``, ``check_target``, ``target_environment``),
the duplicate-safe create keyed by unique name, and the views used for diffs and for ``module_args``. The HTTP work
goes through the shared ``TwilioClient``.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import re
from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils._errors import TwilioApiError
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record, TwilioClient
    from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

PRODUCT = 'serverless'
VERSION = 'v1'
SERVICES_PATH = 'Services'
# Serverless lists accept PageSize up to 1000 (Chat: 100); one request reads a whole account.
PAGE_SIZE = 1000

# \Z, not $: $ also matches before a trailing newline, which would then go out in a URL or form.
SERVICE_SID_RE = re.compile(r'^ZS[0-9a-fA-F]{32}\Z')
ENVIRONMENT_SID_RE = re.compile(r'^ZE[0-9a-fA-F]{32}\Z')

# The official spec allows 50 characters (the console says "fewer than 50"): whether a create with 50 is
# accepted is Twilio's call, and a service that has 50 must stay addressable by its name.
SERVICE_NAME_MAX = 50
FRIENDLY_NAME_MAX = 255
ENVIRONMENT_NAME_MAX = 100
DOMAIN_SUFFIX_MAX = 16

# An environment's name and domain suffix (the suffix becomes part of its domain name; "" means none).
ENVIRONMENT_NAME = rl.Field(('unique_name',), 'str', max_len=ENVIRONMENT_NAME_MAX, aliases=('name',))
DOMAIN_SUFFIX = rl.Field(('domain_suffix',), 'label', max_len=DOMAIN_SUFFIX_MAX, empty_ok=True, chars_note=' (it becomes part of the domain name)')

# Writable service settings (the option is the response field; the form parameter follows from it).
# Their values are checked by the check_* functions below: a unique name is more than a string.
SERVICE_FIELDS = (
    rl.Field(('friendly_name',), 'str', max_len=FRIENDLY_NAME_MAX),
    rl.Field(('include_credentials',), 'bool'),
    rl.Field(('ui_editable',), 'bool'),
)
FRIENDLY_NAME = SERVICE_FIELDS[0]
# option / response field -> form parameter.
SERVICE_SETTINGS = tuple((f.option, f.form) for f in SERVICE_FIELDS)
# What Twilio sets when a create does not send the setting.
SERVICE_CREATE_DEFAULTS = {'include_credentials': True, 'ui_editable': False, 'domain_base': None}
SERVICE_VIEW = ('unique_name', 'friendly_name', 'include_credentials', 'ui_editable')
ENVIRONMENT_VIEW = ('sid', 'unique_name', 'domain_suffix', 'domain_name')


# Twilio's default limit of Functions services per account (twilio.com/docs/serverless/api/resource/service).
SERVICES_CAP = 50

# Services and their unique names: Twilio keeps them unique (a create with a taken name answers 409) and takes
# a unique name wherever it takes the SID.
SERVICES = rl.Collection(
    PRODUCT,
    VERSION,
    SERVICES_PATH,
    'serverless service',
    'ZS',
    rl.Field(('unique_name',), 'label', max_len=SERVICE_NAME_MAX, aliases=('name',), not_sid=('ZS', 'Service SID')),
    unique=True,
    list_key='services',
    page_size=PAGE_SIZE,
    sid_title='Serverless Service',
    cap=SERVICES_CAP,
)
# A unique name is part of the service's domain: Twilio cannot change it (``Lifecycle.guard``).
UNIQUE_NAME_FIXED = (
    'serverless service %(sid)s has unique_name %(current)r, not %(name)r: a unique name cannot be changed after '
    'creation (it is part of the service domain). To use %(name)r, create a new service and move the Functions to it'
)


def service_wanted(params: Mapping[str, Any]) -> dict[rl.Field, Any]:
    """``{Field: value}`` of a service's options (the unique name included), checked; raises OptionError before any request."""
    if params['sid'] is not None:
        check_service_sid(params['sid'])
    if params['unique_name'] is not None:
        check_service_name(params['unique_name'])
    if params['friendly_name'] is not None:
        check_friendly_name(params['friendly_name'])
    result = wanted(dict((f.option, params[f.option]) for f in SERVICE_FIELDS if params[f.option] is not None))
    if params['unique_name'] is not None:
        result[SERVICES.name] = params['unique_name']
    return result


def service_view(record: Record | None, managed: Iterable[rl.Field]) -> Record:
    """A side of a service's diff: its unique name and the managed settings."""
    return view(record, ['unique_name'] + [f.option for f in managed])


def environments(service_sid: str) -> rl.Collection:
    """The Environments of a service, for the resource layer (their unique names are unique per service)."""
    return rl.Collection(
        PRODUCT,
        VERSION,
        environments_path(service_sid),
        'serverless environment',
        'ZE',
        ENVIRONMENT_NAME,
        unique=True,
        list_key='environments',
        page_size=PAGE_SIZE,
        sid_title='Serverless Environment',
    )


# ---- validation (no request) ---------------------------------------------------------------------


def check_service_sid(value: str | None, option: str = 'sid') -> None:
    SERVICES.check_sid(value, option)


def check_environment_sid(value: str | None, option: str = 'sid') -> None:
    environments('').check_sid(value, option)


def check_service_name(value: str, option: str = 'unique_name') -> None:
    """A service unique name: the first label of its domain, permanent once created (the rules of ``SERVICES.name``)."""
    SERVICES.name.renamed(option).check(value)


def check_service_ref(value: str, option: str = 'service') -> None:
    """A service SID, or else a service unique name."""
    if value and value[:2] == 'ZS' and len(value) == 34:
        check_service_sid(value, option)
        return
    try:
        check_service_name(value, option)
    except OptionError as exc:
        raise OptionError(
            '%s must be a Serverless Service SID (ZS and 32 hexadecimal digits) or a service unique name: %s' % (option, ('%s' % exc)[len(option) + 1 :])
        )


def check_friendly_name(value: str, option: str = 'friendly_name') -> None:
    if not value:
        raise OptionError('%s must not be empty' % option)
    if len(value) > FRIENDLY_NAME_MAX:
        raise OptionError('%s must be at most %d characters, got %d' % (option, FRIENDLY_NAME_MAX, len(value)))


def check_environment_name(value: str, option: str = 'unique_name') -> None:
    if not value:
        raise OptionError('%s must not be empty' % option)
    if len(value) > ENVIRONMENT_NAME_MAX:
        raise OptionError('%s must be at most %d characters, got %d' % (option, ENVIRONMENT_NAME_MAX, len(value)))


def check_domain_suffix(value: str, option: str = 'domain_suffix') -> None:
    """URL-friendly, at most 16 characters; the empty string means no suffix (the rules of ``DOMAIN_SUFFIX``)."""
    DOMAIN_SUFFIX.renamed(option).check(value)


def check_environment_item(item: Mapping[str, Any], where: str = '') -> None:
    """An environment's ``unique_name`` and ``domain_suffix`` (``where`` prefixes the options: ``environments[0].``)."""
    check_environment_name(item['unique_name'], where + 'unique_name')
    if item['domain_suffix'] is not None:
        check_domain_suffix(item['domain_suffix'], where + 'domain_suffix')


# ---- paths and reads ---------------------------------------------------------------------------


def service_path(ident: str | None = None) -> str:
    return SERVICES_PATH if ident is None else '%s/%s' % (SERVICES_PATH, ident)


def environments_path(service_sid: str, environment_sid: str | None = None) -> str:
    path = '%s/%s/Environments' % (SERVICES_PATH, service_sid)
    return path if environment_sid is None else '%s/%s' % (path, environment_sid)


# Declares the Environments' SID prefix (any service's) to the client when the table is imported.
ENVIRONMENTS = environments('{sid}')


# ---- the environment a task names (serverless_deploy, serverless_variables, serverless_deploy_info) ---------------------


def environment_target_spec(options: Mapping[str, Any], environment_required: bool = True) -> dict[str, Any]:
    """The ``service`` and ``environment`` options of a module that works in an environment, then its own ``options``."""
    spec: dict[str, Any] = dict(service=dict(type='str', required=True), environment=dict(type='str', required=environment_required))
    spec.update(options)
    return spec


def environment_options(**options: Any) -> dict[str, Any]:
    """The options of one environment, ``unique_name`` and ``domain_suffix`` (specs from their fields), and ``options``."""
    return dict(options, unique_name=dict(ENVIRONMENT_NAME.spec(), required=True), domain_suffix=DOMAIN_SUFFIX.spec())


def check_environment_ref(value: str, option: str = 'environment') -> None:
    """An environment's unique name, or a ZE SID (never its domain suffix)."""
    if value and value[:2] == 'ZE' and len(value) == 34:
        check_environment_sid(value, option)
        return
    check_environment_name(value, option)


def check_target(params: Mapping[str, Any]) -> None:
    """The ``service`` option and, when set, the ``environment`` option: a malformed one is refused before any request."""
    check_service_ref(params['service'])
    if params.get('environment') is not None:
        check_environment_ref(params['environment'])


def environments_of(module: TwilioModule, service_ref: str) -> list[Record]:
    """Every environment of the service, listed under its SID or unique name (Twilio takes either in the URL), so a
    lookup by name costs one request; a service that does not exist fails the module with a clear message."""
    with module.context('list', 'serverless environments of service %s' % service_ref):
        try:
            return module.client.list(PRODUCT, VERSION, environments_path(service_ref), key='environments', page_size=PAGE_SIZE)
        except TwilioApiError as exc:
            if exc.not_found:
                module.fail_json(msg='serverless service %s does not exist; create it first (chatops.twilio.serverless_service)' % service_ref)
            raise


def lookup_environment(module: TwilioModule, service_ref: str, ref: str, environments: list[Record] | None = None) -> Record:
    """The environment by SID (one fetch) or unique name (one listing, or ``environments``); fails when it does not exist."""
    environment: Record | None
    if environments is None and ENVIRONMENT_SID_RE.match(ref):
        with module.context('fetch', 'serverless environment %s' % ref):
            environment = module.client.fetch(PRODUCT, VERSION, environments_path(service_ref, ref))
    else:
        listed = environments if environments is not None else environments_of(module, service_ref)
        environment = next((e for e in listed if ref in (e.get('unique_name'), e.get('sid'))), None)
    if environment is None:
        module.fail_json(
            msg='serverless environment %s does not exist in service %s; create it first (chatops.twilio.serverless_environment)' % (ref, service_ref)
        )
    return environment


def target_environment(module: TwilioModule, params: Mapping[str, Any]) -> Record:
    """The environment the ``service`` and ``environment`` options name (checked by ``check_target``); fails when missing."""
    return lookup_environment(module, params['service'], params['environment'])


def fetch_service(client: TwilioClient, ident: str) -> Record | None:
    """The service with this SID or unique name (Twilio takes either in the URL), or None."""
    return client.fetch(PRODUCT, VERSION, service_path(ident))


def list_environments(client: TwilioClient, service_sid: str) -> list[Record]:
    return client.list(PRODUCT, VERSION, environments_path(service_sid), key='environments', page_size=PAGE_SIZE)


def find_environment(environments: Iterable[Record], unique_name: str) -> Record | None:
    for environment in environments:
        if environment.get('unique_name') == unique_name:
            return environment
    return None


def suffix_of(environment: Record | None) -> str:
    """The domain suffix of an environment, '' for none (Twilio returns null)."""
    return (environment or {}).get('domain_suffix') or ''


def same_suffix(one: str | None, other: str | None) -> bool:
    """Whether two domain suffixes give the same domain (DNS names ignore case)."""
    return (one or '').lower() == (other or '').lower()


def suffix_owner(environments: Iterable[Record], suffix: str | None, exclude_sid: str | None = None) -> Record | None:
    """The environment that already has this domain suffix ('' = the base domain), else None.

    Two environments of a service cannot share a domain, so this is checked before a create.
    """
    for environment in environments:
        if environment.get('sid') != exclude_sid and same_suffix(suffix_of(environment), suffix):
            return environment
    return None


def predict_domain_name(service: Record | None, suffix: str | None) -> str | None:
    """``<domain_base>[-<suffix>].twil.io`` as Twilio builds it, or None when the base is not known yet."""
    base = (service or {}).get('domain_base')
    if not base:
        return None
    return '%s%s.twil.io' % (base, '-%s' % suffix.lower() if suffix else '')


def view(record: Record | None, fields: Iterable[str]) -> Record:
    """The fields of a record that a diff shows."""
    return dict((name, (record or {}).get(name)) for name in fields)


# ---- writes --------------------------------------------------------------------------------------


def wanted(settings: Mapping[str, Any]) -> dict[rl.Field, Any]:
    """``{Field: value}`` of the service settings in ``settings`` (option -> value), for the resource layer."""
    return dict((f, settings[f.option]) for f in SERVICE_FIELDS if f.option in settings)


def environment_not_applied(unique_name: str, suffix: str | None, environment: Record | None) -> list[str]:
    """The options a created (or adopted) environment does not have as sent: ``unique_name``, ``domain_suffix``."""
    missing = []
    if (environment or {}).get('unique_name') != unique_name:
        missing.append('unique_name')
    if not same_suffix(suffix_of(environment), suffix):
        missing.append('domain_suffix')
    return missing


def describe_environment_not_applied(names: Sequence[str], unique_name: str, suffix: str | None, environment: Record | None) -> str:
    """``name (sent X, Twilio has Y)`` for each option, for a message."""
    sent = {'unique_name': unique_name, 'domain_suffix': suffix}
    answer = {'unique_name': (environment or {}).get('unique_name'), 'domain_suffix': suffix_of(environment)}
    return ', '.join('%s (sent %s, Twilio has %s)' % (name, rl.shown_value(sent[name]), rl.shown_value(answer[name])) for name in names)


def check_environment_applied(
    module: TwilioModule, environment: Record | None, created: bool, unique_name: str, suffix: str | None, label: str, recreating: bool = False
) -> None:
    """Fail, naming them, when a created (or adopted) environment lacks the name or suffix sent.

    Environments cannot be updated, so reporting this as done would recreate or fail on every later run.
    """
    missing = environment_not_applied(unique_name, suffix, environment)
    if missing:
        what = describe_environment_not_applied(missing, unique_name, suffix, environment)
        module.fail_json(
            msg=(
                'Twilio accepted the creation of serverless environment %s but did not apply %s'
                if created
                else 'serverless environment %s was created meanwhile by someone else, without %s'
            )
            % (label, what),
            changed=created or recreating,
            not_applied=missing,
            environment=environment,
        )


# ---- the lifecycles: a service, and environments planned together --------------------------------


def environment_view(record: Record | None, managed: Iterable[rl.Field] = ()) -> Record:
    """A side of an environment's diff (an environment has no setting to manage: always the same fields)."""
    return view(record, ENVIRONMENT_VIEW)


def service_lifecycle(module: TwilioModule, unique_name: str) -> rl.Lifecycle:
    """The Lifecycle of a service: every setting is sent with the create, a 409 is resolved by fetching the unique name."""
    return rl.Lifecycle(
        module,
        SERVICES,
        SERVICE_FIELDS,
        create_fields=SERVICE_FIELDS,
        new_record=SERVICE_CREATE_DEFAULTS,
        shown=service_view,
        key='service',
        lookup=lambda: fetch_service(module.client, unique_name),
        new_shows=SERVICE_FIELDS,
    )


def plan_environments(
    module: TwilioModule, items: Sequence[Mapping[str, Any]], listed: Sequence[Record], recreate: bool, service_label: str
) -> list[tuple[Mapping[str, Any], Record | None, str]]:
    """``[(item, current, action)]`` for the environment items (``unique_name``, ``domain_suffix``, ``state``).

    The action is ``none``, ``create``, ``recreate`` or ``delete``. Fails before any write when an existing
    environment has another suffix without ``recreate`` (Twilio cannot update an environment), or when two
    environments would share a domain: the listed ones that stay, and the new ones, hold their domains.
    """
    steps, taken = [], dict((e.get('sid'), e) for e in listed)
    for item in items:
        current = find_environment(listed, item['unique_name'])
        suffix = item['domain_suffix']
        if item['state'] == 'absent':
            action = 'delete' if current else 'none'
        elif current is None:
            action = 'create'
        elif suffix is None or same_suffix(suffix_of(current), suffix):
            action = 'none'
        elif recreate:
            action = 'recreate'
        else:
            module.fail_json(
                msg='serverless environment %s of service %s has domain_suffix %r (%s), not %r: Twilio cannot update an environment. '
                'Set recreate=true to delete it and create it again (it gets a new SID and domain and loses its Variables and '
                'Deployments). Nothing was changed.' % (item['unique_name'], service_label, suffix_of(current), current.get('domain_name'), suffix),
                environment=current,
            )
        if action != 'none':
            taken.pop((current or {}).get('sid'), None)
        steps.append((item, current, action))
    for item, current, action in steps:
        if action in ('create', 'recreate'):
            owner = suffix_owner(list(taken.values()), item['domain_suffix'] or '', exclude_sid='')
            if owner is not None:
                what = 'domain_suffix %r' % item['domain_suffix'] if item['domain_suffix'] else 'the base domain (no domain_suffix)'
                module.fail_json(
                    msg='%s is already used by environment %s (%s, %s) of serverless service %s; two environments cannot share a domain. '
                    'Nothing was changed.' % (what, owner.get('unique_name'), owner.get('sid'), owner.get('domain_name'), service_label),
                    environment=owner,
                )
            taken['new:' + item['unique_name']] = {'unique_name': item['unique_name'], 'domain_suffix': item['domain_suffix'] or ''}
    return steps


def independent(steps: Sequence[tuple[Mapping[str, Any], Record | None, str]]) -> bool:
    """Whether the steps of :func:`plan_environments` may run at once: no new environment takes a domain that
    an environment this run deletes or recreates frees (that delete must come first, as in the order given)."""
    freed = [suffix_of(current) for item, current, action in steps if current is not None and action in ('delete', 'recreate')]
    taken = [item['domain_suffix'] or '' for item, current, action in steps if action in ('create', 'recreate')]
    return not any(same_suffix(new, old) for new in taken for old in freed)


def create_environment(module: TwilioModule, service: Record, unique_name: str, suffix: str, label: str, recreating: bool = False) -> Record:
    """The new environment (predicted in check mode), checked to have the name and suffix sent."""
    if module.check_mode:
        predicted = {'sid': None, 'service_sid': service.get('sid'), 'unique_name': unique_name, 'build_sid': None}
        return dict(predicted, domain_suffix=suffix or None, domain_name=predict_domain_name(service, suffix))
    client = module.client
    form = [('UniqueName', unique_name)] + ([('DomainSuffix', suffix)] if suffix else [])

    def lookup() -> Record | None:
        return find_environment(list_environments(client, service['sid']), unique_name)

    environment, adopted = rl.create(module, environments(service['sid']), form, unique_name, label=label, lookup=lookup)
    check_environment_applied(module, environment, not adopted, unique_name, suffix, label, recreating)
    return environment


def converge_environment(
    module: TwilioModule, service: Record, item: Mapping[str, Any], current: Record | None, action: str, service_label: str, change: rl.Change
) -> Record:
    """The environment after ``action`` of :func:`plan_environments` (predicted in check mode); ``change`` gets its diff."""
    name, suffix = item['unique_name'], item['domain_suffix'] or ''
    label = '%s of service %s' % (name, service_label)
    collection = environments(service.get('sid') or '')
    if action == 'delete':
        return rl.Lifecycle(module, collection, shown=environment_view, key='environment').absent(change, current, label)
    if current is not None:
        change.found(view(current, ENVIRONMENT_VIEW))
    if action == 'none':
        return current or {}
    if current is not None:
        if not module.check_mode:
            rl.delete(module, collection, current['sid'], label + ' (to recreate it)')
        label += ' (its old version was deleted to recreate it)'
    environment = create_environment(module, service, name, suffix, label, recreating=current is not None)
    if current is None:
        change.created(view(environment, ENVIRONMENT_VIEW))
    else:
        change.updated(view(environment, ENVIRONMENT_VIEW))
    return environment


# ---- adoption into code --------------------------------------------------------------------------


def service_module_args(service: Record) -> dict[str, Any]:
    """Arguments of chatops.twilio.serverless_service that describe this service as it is."""
    args = {'sid': service.get('sid'), 'unique_name': service.get('unique_name')}
    for name, dummy in SERVICE_SETTINGS:
        if service.get(name) is not None:
            args[name] = service[name]
    return args


def environment_module_args(environment: Record, service: Record) -> dict[str, Any]:
    """Arguments of chatops.twilio.serverless_environment that describe this environment as it is."""
    return {
        'service': service.get('unique_name') or service.get('sid'),
        'unique_name': environment.get('unique_name'),
        'domain_suffix': suffix_of(environment),
    }
