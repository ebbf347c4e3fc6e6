# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""The requests of a Functions deploy: uploads, the build, the deployment.

Uploads are multipart requests to ``serverless-upload``, each answer checked against what was sent; the build follows
the create protocol's unknown-outcome rule and is polled until it ends; the deployment's unknown outcome is settled by
reading the environment. Facts and readings: docs/serverless-deploy.md.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import json
import time
from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _create as creates
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils._endpoints import declare_sid_prefix
from ansible_collections.chatops.twilio.plugins.module_utils._errors import TwilioAnswerError, TwilioApiError, TwilioConnectionError, is_ambiguous
from ansible_collections.chatops.twilio.plugins.module_utils._source_tree import same_visibility

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable, Mapping, Sequence
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record, TwilioClient
    from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule
    from ansible_collections.chatops.twilio.plugins.module_utils._source_tree import SourceFile

UPLOAD_PRODUCT = 'serverless-upload'
# The SIDs of what goes into a service, declared to the client's path guard (a ZB where a ZN belongs is refused
# before a request); the upload host takes the same paths.
for _product in (sl.PRODUCT, UPLOAD_PRODUCT):
    for _segment, _prefix in (('Services', 'ZS'), ('Functions', 'ZH'), ('Assets', 'ZH'), ('Versions', 'ZN'), ('Builds', 'ZB'), ('Deployments', 'ZD')):
        declare_sid_prefix(_product, _segment, _prefix)


def service_path(service_sid: str, *rest: str) -> str:
    return '/'.join((sl.service_path(service_sid),) + rest)


def upload(client: TwilioClient, service_sid: str, parent_sid: str, item: SourceFile) -> Record:
    """A new version of a Function or Asset (multipart to ``serverless-upload``), checked against what was sent."""
    plural = 'Functions' if item.kind == 'function' else 'Assets'
    path = service_path(service_sid, plural, parent_sid, 'Versions')
    version = client.upload(
        UPLOAD_PRODUCT, sl.VERSION, path, [('Path', item.path), ('Visibility', item.visibility)], [('Content', (item.filename, item.data, item.content_type))]
    )
    owner = version.get('%s_sid' % item.kind)
    if version.get('path') != item.path or not same_visibility(version.get('visibility'), item.visibility) or owner != parent_sid:
        raise TwilioAnswerError(
            'the upload of %s answered a version of %s %s at %s (%s), not of %s at %s (%s)'
            % (item.local, item.kind, owner, version.get('path'), version.get('visibility'), parent_sid, item.path, item.visibility),
            method='POST',
            path='/v1/' + path,
        )
    return version


def build_form(function_sids: Sequence[str], asset_sids: Sequence[str], runtime: str, dependencies: Mapping[str, str]) -> list[tuple[str, Any]]:
    deps = [{'name': name, 'version': dependencies[name]} for name in sorted(dependencies)]
    form: list[tuple[str, Any]] = []
    if function_sids:
        form.append(('FunctionVersions', list(function_sids)))
    if asset_sids:
        form.append(('AssetVersions', list(asset_sids)))
    form += [('Dependencies', json.dumps(deps, separators=(',', ':'))), ('Runtime', runtime)]
    return form


def build_matches(build: Record, function_sids: Iterable[str], asset_sids: Iterable[str], runtime: str) -> bool:
    """Whether a build holds exactly these versions with this runtime (the build a lost answer may have made)."""

    def sids(key: str) -> set[Any]:
        return set(v.get('sid') for v in build.get(key) or [] if isinstance(v, dict))

    return sids('function_versions') == set(function_sids) and sids('asset_versions') == set(asset_sids) and build.get('runtime') == runtime


def create_build(
    client: TwilioClient, service_sid: str, function_sids: Sequence[str], asset_sids: Sequence[str], runtime: str, dependencies: Mapping[str, str]
) -> tuple[Record, bool]:
    """``POST /Builds``, never re-sent before the recent builds are read: ``(build, adopted)``.

    Builds are not idempotent: they follow the create protocol's unknown-outcome rule (``_create.send_create``), for
    a record without a name. After any 5xx, a timeout or a dropped connection the builds are read, with backoff, before
    anything else: one with exactly these versions and runtime (not failed) is adopted. Only after Twilio's own JSON
    5xx, and when no such build appeared, is the POST sent again; otherwise the run fails saying the outcome is unknown.
    """
    path = service_path(service_sid, 'Builds')
    form = build_form(function_sids, asset_sids, runtime, dependencies)

    def send() -> Record:
        body = client.request('POST', sl.PRODUCT, sl.VERSION, path, data=form, kind='create')[1]
        return client.check_record(sl.PRODUCT, sl.VERSION, path, body, 'POST')

    def look() -> Record | None:
        for build in client.list(sl.PRODUCT, sl.VERSION, path, key='builds', page_size=sl.PAGE_SIZE):
            if build.get('status') != 'failed' and build_matches(build, function_sids, asset_sids, runtime):
                return build
        return None

    return creates.send_create(client, send, look, 'POST /v1/%s' % path, 'these versions and runtime %s' % runtime)


def check_build_answer(build: Record, function_sids: Iterable[str], asset_sids: Iterable[str], runtime: str) -> None:
    if not build_matches(build, function_sids, asset_sids, runtime):
        raise TwilioAnswerError(
            'the answer to POST /Builds describes build %s with other versions or runtime than those sent; refusing to deploy it' % build.get('sid'),
            method='POST',
        )


def wait_for_build(client: TwilioClient, service_sid: str, build_sid: str, timeout: float, poll: float = 1.0) -> str:
    """``completed``, ``failed``, or ``timeout`` when the build is still ``building`` after ``timeout`` seconds.

    Polls ``/Builds/{ZB}/Status`` (Twilio's docs recommend it, about once a second). Each poll gets a fresh client time
    budget: a long build is not a slow request.
    """
    path = service_path(service_sid, 'Builds', build_sid, 'Status')
    until = time.monotonic() + timeout
    delay = min(0.2, poll)
    while True:
        answer = client.get(sl.PRODUCT, sl.VERSION, path)
        if not isinstance(answer, dict) or answer.get('sid') != build_sid:
            raise TwilioAnswerError(
                'malformed answer: the status of build %s names %s'
                % (build_sid, (answer or {}).get('sid') if isinstance(answer, dict) else type(answer).__name__),
                method='GET',
                path='/v1/' + path,
            )
        status = answer.get('status')
        if status == 'completed' or status == 'failed':
            return '%s' % status
        if status != 'building':
            raise TwilioAnswerError(
                'malformed answer: build %s has status %r, not building, completed or failed' % (build_sid, status), method='GET', path='/v1/' + path
            )
        left = until - time.monotonic()
        if left <= 0:
            return 'timeout'
        time.sleep(min(delay, left))
        delay = min(poll, delay * 2)


def deploy_build(client: TwilioClient, service_sid: str, environment_sid: str, build_sid: str) -> tuple[Record | None, Record | None]:
    """``POST /Deployments``: ``(deployment, None)``, its answer checked; or ``(None, environment)`` when the outcome
    was unknown (or Twilio said "already requested") and the environment, read again, serves the build."""
    path = service_path(service_sid, 'Environments', environment_sid, 'Deployments')
    env_path = sl.environments_path(service_sid, environment_sid)
    deployment: Record | None = None
    try:
        body = client.request('POST', sl.PRODUCT, sl.VERSION, path, data=[('BuildSid', build_sid)], kind='create')[1]
        deployment = client.check_record(sl.PRODUCT, sl.VERSION, path, body, 'POST')
    except (TwilioApiError, TwilioConnectionError) as exc:
        if not (is_ambiguous(exc) or (isinstance(exc, TwilioApiError) and exc.status == 409)):
            raise
        environment = client.fetch(sl.PRODUCT, sl.VERSION, env_path)
        if (environment or {}).get('build_sid') != build_sid:
            raise
        return None, environment
    if deployment.get('build_sid') != build_sid:
        raise TwilioAnswerError(
            'the answer to POST /Deployments names build %s, not %s' % (deployment.get('build_sid'), build_sid), method='POST', path='/v1/' + path
        )
    return deployment, None


def resources(service_sid: str, kind: str) -> rl.Collection:
    """The Functions or Assets of a service, found by friendly_name (the path, as the Toolkit sets it)."""
    plural = 'Functions' if kind == 'function' else 'Assets'
    return rl.Collection(
        sl.PRODUCT,
        sl.VERSION,
        service_path(service_sid, plural),
        'serverless %s' % kind,
        'ZH',
        rl.Field(('friendly_name',), 'str'),
        list_key=plural.lower(),
        page_size=sl.PAGE_SIZE,
    )


def read_build(module: TwilioModule, service_sid: str, build_sid: str | None) -> Record | None:
    if not build_sid:
        return None
    with module.context('read', 'build %s' % build_sid):
        return module.client.fetch(sl.PRODUCT, sl.VERSION, service_path(service_sid, 'Builds', build_sid))


def upload_all(module: TwilioModule, service_sid: str, uploads: Sequence[SourceFile], parents: Mapping[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """Upload each changed file: {(kind, path): ZN}.

    A changed file's version goes to the Function or Asset of its deployed version (``parents``); an added one to the
    Function or Asset whose friendly_name is its path, created when missing. Those are created first, without a pause
    each; one settle of the client then makes the namesakes of concurrent runs converge (one wait, one listing).
    """
    sids: dict[tuple[str, str], str] = {}
    client = module.client
    for kind in ('function', 'asset'):
        todo = [f for f in uploads if f.kind == kind]
        if not todo:
            continue
        collection = resources(service_sid, kind)
        by_name: dict[Any, Record] = dict((f.path, {'sid': parents[f.key]}) for f in todo if f.key in parents)
        if any(f.path not in by_name for f in todo):
            for record in rl.listing(module, collection, 'service %s' % service_sid):
                by_name.setdefault(record.get('friendly_name'), record)
        created = []
        with module.context('create', '%ss of service %s' % (collection.label, service_sid)):
            for item in todo:
                if item.path not in by_name:
                    record, dummy = creates.create_unique(
                        client,
                        sl.PRODUCT,
                        sl.VERSION,
                        collection.path,
                        [('FriendlyName', item.path)],
                        match={'friendly_name': item.path},
                        key=collection.list_key,
                        known_sids=set(),
                        settle=False,
                    )
                    created.append((record, {'friendly_name': item.path}))
            for record in creates.resolve_namesakes(client, sl.PRODUCT, sl.VERSION, collection.path, created, key=collection.list_key):
                by_name[record.get('friendly_name')] = record
        for item in todo:
            with module.context('upload', '%s (%s)' % (item.local, item.path)):
                sids[item.key] = upload(client, service_sid, by_name[item.path]['sid'], item)['sid']
    return sids
