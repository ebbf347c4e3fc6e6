# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""Deploying a source tree into a Functions (Serverless) Environment, idempotent by content: ``serverless_deploy``'s steps.

The plan (what to upload, what to reuse, what changed) compares the tree (``_source_tree``) with the live build and
what ``CHATOPS_DEPLOY`` knows of it (``_deploy_record``); the requests are ``_builds``'s. Also the promotion of one
environment's build to another, the prune, and what a deploy returns and shows in ``--diff``.
Facts and readings: docs/serverless-deploy.md.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

from typing import TYPE_CHECKING, NoReturn

from ansible_collections.chatops.twilio.plugins.module_utils import _builds as bd
from ansible_collections.chatops.twilio.plugins.module_utils import _functions as fn
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils._deploy_record import (
    INJECTED_DEPENDENCIES,
    assets_digest,
    build_dependencies,
    decode_reserved,
    deployed_files,
    encode_reserved,
    write_reserved,
)
from ansible_collections.chatops.twilio.plugins.module_utils._errors import TwilioError
from ansible_collections.chatops.twilio.plugins.module_utils._source_tree import normalised_text, same_visibility

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record
    from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule
    from ansible_collections.chatops.twilio.plugins.module_utils._source_tree import SourceFile


class Plan(object):
    """What a deploy changes: per file ``upload`` or ``reuse`` (its version SID), and the paths added, changed, removed."""

    def __init__(self) -> None:
        self.uploads: list[SourceFile] = []
        self.reused: dict[tuple[str, str], str] = {}
        self.added: list[str] = []
        self.changed: list[str] = []
        self.removed: list[str] = []
        self.runtime_change: tuple[str | None, str] | None = None
        self.dependency_changes: dict[str, tuple[str | None, str | None]] = {}
        self.before_hashes: dict[tuple[str, str], str | None] = {}
        self.content_reads = 0
        # (kind, path) -> the Function or Asset SID of the deployed version: a changed file's new version goes there
        # without listing the Functions or Assets.
        self.parents: dict[tuple[str, str], str] = {}

    @property
    def needs_build(self) -> bool:
        return bool(self.uploads or self.removed or self.runtime_change or self.dependency_changes or self.added)


def plan(
    files: Sequence[SourceFile],
    build: Record | None,
    reserved: dict[tuple[str, str], str] | str | None,
    runtime: str,
    dependencies: Mapping[str, str],
    function_content: Callable[[Record], str | None],
    asset_content: Callable[[Record], bytes | None] = lambda version: None,
) -> Plan:
    """Compare the tree with the live ``build``; ``function_content(version)`` reads a Function's source (/Content)
    and ``asset_content(version)`` a public Asset's bytes (from the domain) when the reserved variable does not know its
    hash (None: unreadable, so changed)."""
    result = Plan()
    deployed = deployed_files(build)
    assets_known = isinstance(reserved, str) and reserved == assets_digest([f for f in files if f.kind == 'asset'])
    hashes = reserved if isinstance(reserved, dict) else {}
    for item in files:
        version = deployed.get(item.key)
        if version is None:
            result.added.append(item.path)
            result.uploads.append(item)
            continue
        known = hashes.get(item.key)
        result.before_hashes[item.key] = known
        parent = version.get('%s_sid' % item.kind)
        if isinstance(parent, str):
            result.parents[item.key] = parent
        if not same_visibility(version.get('visibility'), item.visibility):
            same = False
        elif known is not None:
            same = known == item.short
        elif item.kind == 'asset':
            same = assets_known
            if not same and item.visibility == 'public':
                result.content_reads += 1
                same = asset_content(version) == item.data
                if same:
                    result.before_hashes[item.key] = item.short
        else:
            result.content_reads += 1
            text = function_content(version)
            same = text is not None and text == normalised_text(item.data)
            if same:
                result.before_hashes[item.key] = item.short
        if same:
            result.reused[item.key] = version['sid']
        else:
            result.changed.append(item.path)
            result.uploads.append(item)
    wanted = set(f.key for f in files)
    result.removed = sorted(path for (kind, path) in deployed if (kind, path) not in wanted)
    if build is not None and build.get('runtime') != runtime:
        result.runtime_change = (build.get('runtime'), runtime)
    elif build is None:
        result.runtime_change = (None, runtime)
    live = build_dependencies(build)
    for name in sorted(set(dependencies) | set(live)):
        if name in INJECTED_DEPENDENCIES and name not in dependencies:
            continue
        if live.get(name) != dependencies.get(name):
            result.dependency_changes[name] = (live.get(name), dependencies.get(name))
    return result


def diff_view(
    files: Iterable[SourceFile] | None, build: Record | None, hashes: Mapping[tuple[str, str], str | None], runtime: str | None, deps: Mapping[str, str]
) -> dict[str, Any]:
    """Paths with visibility and short hash (never bodies), runtime and declared dependencies, for ``--diff``."""
    view: dict[str, Any] = {'runtime': runtime, 'dependencies': dict(deps), 'functions': {}, 'assets': {}}
    if files is not None:
        for item in files:
            view[item.kind + 's'][item.path] = '%s sha256:%s' % (item.visibility, item.short)
    else:
        for (kind, path), version in sorted(deployed_files(build).items()):
            known = hashes.get((kind, path))
            view[kind + 's'][path] = '%s %s' % (('%s' % version.get('visibility')).lower(), 'sha256:%s' % known if known else 'content not known')
    return view


def promote(module: TwilioModule, params: Mapping[str, Any]) -> dict[str, Any]:
    """Deploy the build ``from_environment`` serves to ``environment`` (no upload, no build)."""
    environments = sl.environments_of(module, params['service'])
    target = sl.lookup_environment(module, params['service'], params['environment'], environments)
    origin = sl.lookup_environment(module, params['service'], params['from_environment'], environments)
    build_sid = origin.get('build_sid')
    if not build_sid:
        module.fail_json(msg='from_environment %s serves no build yet; deploy a source to it first' % params['from_environment'])
    changed = target.get('build_sid') != build_sid
    deployment = None
    if changed and not module.check_mode:
        with module.context('deploy', 'build %s to environment %s' % (build_sid, params['environment'])):
            deployment, dummy = bd.deploy_build(module.client, target['service_sid'], target['sid'], build_sid)
    result: dict[str, Any] = dict(
        changed=changed,
        build_sid=build_sid,
        deployment_sid=(deployment or {}).get('sid'),
        domain_name=target.get('domain_name'),
        service_sid=target.get('service_sid'),
        environment_sid=target.get('sid'),
        functions={},
        assets={},
        changes=dict(added=[], changed=[], removed=[]),
        uploaded=[],
        reused=[],
        pruned=[],
    )
    if module._diff:
        result['diff'] = dict(before={'build_sid': target.get('build_sid')}, after={'build_sid': build_sid})
    return result


def function_content(module: TwilioModule, service_sid: str) -> Callable[[Record], str | None]:
    """``read(version)``: the normalised source of a deployed Function version (/Content), None when not text."""

    def read(version: Record) -> str | None:
        path = bd.service_path(service_sid, 'Functions', version.get('function_sid') or '', 'Versions', version.get('sid') or '', 'Content')
        with module.context('read', 'the source of function %s' % version.get('path')):
            answer = module.client.get(sl.PRODUCT, sl.VERSION, path)
        content = answer.get('content') if isinstance(answer, dict) else None
        return normalised_text(content) if isinstance(content, str) else None

    return read


def asset_content(module: TwilioModule, environment: Record) -> Callable[[Record], bytes | None]:
    """``read(version)``: the bytes a public Asset version serves on the environment's domain, None when they cannot be read
    (the Asset is then uploaded again, as without this look: a slow or failing CDN never fails a deploy)."""

    def read(version: Record) -> bytes | None:
        domain, path = environment.get('domain_name'), version.get('path')
        if not isinstance(domain, str) or not isinstance(path, str) or not domain:
            return None
        try:
            return module.client.get_public(domain, path)
        except TwilioError:
            return None

    return read


def fail_build(module: TwilioModule, build_sid: str, outcome: str, params: Mapping[str, Any], deps: Mapping[str, str], environment: Record) -> NoReturn:
    what = 'failed' if outcome == 'failed' else 'was still building after build_timeout (%ss)' % params['build_timeout']
    module.fail_json(
        msg='build %s %s (runtime %s, dependencies %s); nothing was deployed and environment %s keeps serving %s. Twilio gives no reason for a failed '
        'build: check the runtime, that @twilio/runtime-handler is an exact version, and the dependencies'
        % (
            build_sid,
            what,
            params['runtime'],
            ', '.join('%s@%s' % kv for kv in sorted(deps.items())) or 'none',
            params['environment'],
            environment.get('build_sid') or 'nothing',
        ),
        changed=True,
        build_sid=build_sid,
        build_status=outcome,
    )


def build_and_deploy(
    module: TwilioModule,
    params: Mapping[str, Any],
    environment: Record,
    files: Sequence[SourceFile],
    deps: Mapping[str, str],
    version_sids: Mapping[tuple[str, str], str],
    variables: Iterable[Record],
) -> tuple[str, Record | None]:
    """(build SID, deployment): build these versions, wait for the build, deploy it and record it in CHATOPS_DEPLOY."""
    service_sid = environment['service_sid']
    function_sids = [version_sids[f.key] for f in files if f.kind == 'function']
    asset_sids = [version_sids[f.key] for f in files if f.kind == 'asset']
    with module.context('create', 'a build of %d files for environment %s' % (len(files), params['environment'])):
        new_build, adopted = bd.create_build(module.client, service_sid, function_sids, asset_sids, params['runtime'], deps)
        if not adopted:
            bd.check_build_answer(new_build, function_sids, asset_sids, params['runtime'])
        build_sid: str = new_build['sid']
        outcome = bd.wait_for_build(module.client, service_sid, build_sid, params['build_timeout'])
    if outcome != 'completed':
        fail_build(module, build_sid, outcome, params, deps, environment)
    with module.context('deploy', 'build %s to environment %s' % (build_sid, params['environment'])):
        deployment, dummy = bd.deploy_build(module.client, service_sid, environment['sid'], build_sid)
        write_reserved(module, service_sid, environment, variables, encode_reserved(build_sid, files))
    return build_sid, deployment


def live_state(module: TwilioModule, environment: Record, label: str) -> tuple[Record | None, list[Record], dict[tuple[str, str], str] | str | None]:
    """(the build the environment serves, its variables, what CHATOPS_DEPLOY knows of that build)."""
    service_sid = environment['service_sid']
    build = bd.read_build(module, service_sid, environment.get('build_sid'))
    variables = rl.listing(module, fn.variables(service_sid, environment['sid']), 'environment %s' % label)
    reserved = fn.by_key(variables).get(fn.RESERVED_KEY)
    return build, variables, decode_reserved((reserved or {}).get('value'), build)


def prune(module: TwilioModule, environment: Record, files: Iterable[SourceFile], build: Record | None, changed: bool) -> list[str]:
    """Delete Functions and Assets whose path left the tree and that no environment's live build holds."""
    service_sid = environment['service_sid']
    others = [e for e in sl.environments_of(module, service_sid) if e.get('sid') != environment['sid']]
    # Unchanged, this environment keeps its build; changed, it serves the tree, whose paths are kept by name.
    keep = set() if changed else set(v.get('function_sid') or v.get('asset_sid') for v in deployed_files(build).values())
    builds = set(e['build_sid'] for e in others if e.get('build_sid'))
    for build_sid in sorted(builds):
        for version in deployed_files(bd.read_build(module, service_sid, build_sid)).values():
            keep.add(version.get('function_sid') or version.get('asset_sid'))
    wanted = set(f.key for f in files)
    pruned: list[Any] = []
    for kind in ('function', 'asset'):
        collection = bd.resources(service_sid, kind)
        for record in rl.listing(module, collection, 'service %s' % service_sid):
            if (kind, record.get('friendly_name')) in wanted or record.get('sid') in keep:
                continue
            pruned.append(record.get('friendly_name'))
            if not module.check_mode:
                rl.delete(module, collection, record['sid'], record.get('friendly_name'))
    return sorted(pruned)


def served(files: Iterable[SourceFile], domain: str | None, version_sids: Mapping[tuple[str, str], str]) -> dict[str, dict[str, Any]]:
    """``{'function': {path: {url, visibility, version_sid}}, 'asset': {...}}`` of the deployed tree."""
    shown: dict[str, dict[str, Any]] = dict(function={}, asset={})
    for item in files:
        shown[item.kind][item.path] = dict(
            url=None if item.visibility == 'private' else 'https://%s%s' % (domain, item.path),
            visibility=item.visibility,
            version_sid=version_sids.get(item.key),
        )
    return shown


def changes(the_plan: Plan) -> dict[str, Any]:
    """The ``changes`` a deploy returns: paths added, changed and removed, runtime and dependency changes."""
    return dict(
        added=the_plan.added,
        changed=the_plan.changed,
        removed=the_plan.removed,
        runtime=list(the_plan.runtime_change) if the_plan.runtime_change else None,
        dependencies=dict((k, list(v)) for k, v in the_plan.dependency_changes.items()),
    )


def deploy_diff(
    files: Iterable[SourceFile],
    build: Record | None,
    known: dict[tuple[str, str], str] | str | None,
    the_plan: Plan,
    runtime: str,
    deps: Mapping[str, str],
) -> dict[str, Any]:
    """``--diff`` of a deploy: the live build (hashes from CHATOPS_DEPLOY or /Content) against the tree."""
    hashes: dict[tuple[str, str], str | None] = dict(known) if isinstance(known, dict) else {}
    hashes.update(dict((k, v) for k, v in the_plan.before_hashes.items() if v))
    live_deps = dict((k, v) for k, v in build_dependencies(build).items() if k in deps or k not in INJECTED_DEPENDENCIES)
    before = diff_view(None, build, hashes, (build or {}).get('runtime'), live_deps) if build is not None else {}
    return dict(before=before, after=diff_view(files, None, {}, runtime, deps))
