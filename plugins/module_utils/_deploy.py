# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""Deploying a source tree into a Functions (Serverless) Environment, idempotent by content.

Pure parts (no request): the source tree in the Serverless Toolkit's layout (``functions/``, ``assets/``,
visibility from the file names), Twilio's path rules, hashing, the reserved variable ``CHATOPS_DEPLOY``
(the build deployed and a short hash per file) and the plan (what to upload, what to reuse, what changed).
Requests: uploads (multipart, ``serverless-upload``), the build and its unknown-outcome rule, its polling,
the deployment. Facts and readings: docs/serverless-deploy.md.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import base64
import hashlib
import json
import mimetypes
import os
import re
import time
from typing import TYPE_CHECKING, NoReturn

from ansible_collections.chatops.twilio.plugins.module_utils import _create as creates
from ansible_collections.chatops.twilio.plugins.module_utils import _functions as fn
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils._endpoints import declare_sid_prefix
from ansible_collections.chatops.twilio.plugins.module_utils._errors import TwilioAnswerError, TwilioApiError, TwilioConnectionError, is_ambiguous
from ansible_collections.chatops.twilio.plugins.module_utils._functions import VALUE_MAX_BYTES
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record, TwilioClient
    from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

UPLOAD_PRODUCT = 'serverless-upload'
# The SIDs of what goes into a service, declared to the client's path guard (a ZB where a ZN belongs is refused
# before a request); the upload host takes the same paths.
for _product in (sl.PRODUCT, UPLOAD_PRODUCT):
    for _segment, _prefix in (('Services', 'ZS'), ('Functions', 'ZH'), ('Assets', 'ZH'), ('Versions', 'ZN'), ('Builds', 'ZB'), ('Deployments', 'ZD')):
        declare_sid_prefix(_product, _segment, _prefix)
FUNCTIONS_DIR = 'functions'
ASSETS_DIR = 'assets'
VISIBILITIES = ('public', 'protected', 'private')
DEFAULT_RUNTIME = 'node22'
RUNTIME_RE = re.compile(r'^node[0-9]+\Z')
# Twilio adds these to every build (CL 2021-02-02): they are in a build's dependencies whether declared or not.
INJECTED_DEPENDENCIES = ('twilio', '@twilio/runtime-handler')
# The spec: a path is at most 255 characters. The characters are the Toolkit's rule (utils/fs.ts checkForValidPath);
# Twilio publishes none, so we refuse what the Toolkit refuses.
PATH_MAX = 255
PATH_FORBIDDEN = frozenset('#;,?:@+&$()\'"')
# TK#167: uploads above 25 MB answer 413; our reading takes the smaller 25,000,000 bytes.
UPLOAD_MAX_BYTES = 25000000
# Per-file hashes in the reserved variable: 48 bits each (8 base64url characters).
SHORT_HASH_CHARS = 8
RESERVED_VERSION = 'c1'


class SourceFile(object):
    """One file to deploy: ``kind`` (function or asset), Twilio ``path``, ``visibility``, its bytes and hashes."""

    def __init__(self, kind: str, path: str, visibility: str, local: str, data: bytes) -> None:
        self.kind, self.path, self.visibility, self.local, self.data = kind, path, visibility, local, data
        self.sha256 = hashlib.sha256(data).hexdigest()
        self.short = short_hash(data)

    @property
    def key(self) -> tuple[str, str]:
        return (self.kind, self.path)

    @property
    def content_type(self) -> str:
        if self.kind == 'function':
            return 'application/javascript'
        return mimetypes.guess_type(self.path)[0] or 'application/octet-stream'

    @property
    def filename(self) -> str:
        return self.path.rsplit('/', 1)[-1] or 'file'


def short_hash(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).decode('ascii')[:SHORT_HASH_CHARS]


def normalised_text(data: bytes | str) -> str | None:
    """A Function's source as /Content may return it: UTF-8 without a BOM, LF line ends (None: not UTF-8).

    Nothing says /Content is byte-identical to the upload; comparing both sides normalised is the safe reading.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode('utf-8')
        except UnicodeDecodeError:
            return None
    return data.lstrip('\ufeff').replace('\r\n', '\n')


# ---- the source tree (no request) --------------------------------------------------------------------


def check_path(path: str, local: str) -> None:
    """Refuse, naming the file and the rule, a path Twilio would refuse."""
    if len(path) > PATH_MAX:
        raise OptionError('source file %s: its path %s... is %d characters long; Twilio allows at most %d' % (local, path[:60], len(path), PATH_MAX))
    bad = sorted(set(c for c in path if c in PATH_FORBIDDEN or c.isspace()))
    if bad:
        raise OptionError(
            'source file %s: its path %s contains %s; a Functions path may not contain whitespace or any of # ; , ? : @ + & $ ( ) \' "'
            % (local, path, ' '.join(repr(c) for c in bad))
        )


def split_visibility(stem: str) -> tuple[str, str]:
    """(stem without the visibility part, visibility): ``x.protected`` -> (``x``, protected)."""
    for visibility in ('protected', 'private'):
        if stem.endswith('.' + visibility):
            return stem[: -len(visibility) - 1], visibility
    return stem, 'public'


def function_of(relative: str) -> tuple[str, str] | None:
    """(path, visibility) of a file under functions/ (``relative`` with ``/``), None when it is not a ``.js`` file."""
    if not relative.endswith('.js'):
        return None
    stem, visibility = split_visibility(relative[:-3])
    return '/' + stem, visibility


def asset_of(relative: str) -> tuple[str, str]:
    """(path, visibility) of a file under assets/: the extension stays, the visibility part goes."""
    folder, _sep, name = relative.rpartition('/')
    stem, dot, ext = name.rpartition('.')
    if not dot or not stem:
        stem, ext = name, ''
    stem, visibility = split_visibility(stem)
    name = stem + ('.' + ext if ext else '')
    return '/' + (folder + '/' if folder else '') + name, visibility


def _inside(root: str, real: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def _walk(root: str, top: str, option: str, seen: set[str]) -> Iterable[tuple[str, str]]:
    """(relative path with ``/``, real file path) of the files under ``top``; dot segments and node_modules skipped.

    A symbolic link is followed only while its target stays inside ``root``; one that leads outside is refused.
    """
    real_top = os.path.realpath(top)
    if real_top in seen:
        return
    seen.add(real_top)
    try:
        names = sorted(os.listdir(top))
    except OSError as exc:
        raise OptionError('%s: cannot read directory %s: %s' % (option, top, exc.strerror))
    for name in names:
        if name.startswith('.') or name == 'node_modules':
            continue
        full = os.path.join(top, name)
        real = os.path.realpath(full)
        if os.path.islink(full) and not _inside(root, real):
            raise OptionError(
                '%s: %s is a symbolic link to %s, outside source; links are followed only while they stay inside source'
                % (option, os.path.relpath(full, root), real)
            )
        if os.path.isdir(real):
            for relative, path in _walk(root, full, option, seen):
                yield name + '/' + relative, path
        elif os.path.isfile(real):
            yield name, real


def scan(source: str, option: str = 'source') -> tuple[list[SourceFile], dict[str, str], list[str]]:
    """(files, package.json dependencies, warnings) of a source tree; raises OptionError naming the file and rule."""
    if not os.path.isdir(source):
        raise OptionError('%s: %s is not a directory' % (option, source))
    root = os.path.realpath(source)
    files: list[SourceFile] = []
    warnings: list[str] = []
    owners: dict[str, str] = {}
    for kind, folder in (('function', FUNCTIONS_DIR), ('asset', ASSETS_DIR)):
        top = os.path.join(root, folder)
        if os.path.islink(top) and not _inside(root, os.path.realpath(top)):
            raise OptionError(
                '%s: %s is a symbolic link to %s, outside source; links are followed only while they stay inside source'
                % (option, folder, os.path.realpath(top))
            )
        if not os.path.isdir(top):
            continue
        for relative, real in _walk(root, top, option, set()):
            local = '%s/%s' % (folder, relative)
            if kind == 'function':
                found = function_of(relative)
                if found is None:
                    warnings.append('%s: %s is not a .js file, so it is not deployed (only .js files under functions/ are Functions)' % (option, local))
                    continue
            else:
                found = asset_of(relative)
            path, visibility = found
            check_path(path, local)
            if path in owners:
                raise OptionError('%s: %s and %s both become the path %s; a path may be deployed once' % (option, owners[path], local, path))
            size = os.path.getsize(real)
            if size > UPLOAD_MAX_BYTES:
                raise OptionError('%s: %s is %d bytes; Twilio takes uploads of at most %d bytes' % (option, local, size, UPLOAD_MAX_BYTES))
            owners[path] = local
            with open(real, 'rb') as handle:
                files.append(SourceFile(kind, path, visibility, local, handle.read()))
    if not files:
        raise OptionError('%s: %s holds no file to deploy (no .js file under functions/ and no file under assets/)' % (option, source))
    return files, package_dependencies(root, option), warnings


def package_dependencies(root: str, option: str = 'source') -> dict[str, str]:
    """The ``dependencies`` of ``package.json`` at the root of the tree ({} without one)."""
    path = os.path.join(root, 'package.json')
    if not os.path.isfile(path):
        return {}
    try:
        with open(path, 'rb') as handle:
            package = json.loads(handle.read().decode('utf-8'))
    except (ValueError, UnicodeDecodeError) as exc:
        raise OptionError('%s: package.json is not valid JSON (%s)' % (option, exc))
    deps = package.get('dependencies') if isinstance(package, dict) else None
    if deps is None:
        return {}
    if not isinstance(deps, dict) or not all(isinstance(v, str) for v in deps.values()):
        raise OptionError('%s: package.json "dependencies" must map package names to version strings' % option)
    return dict(deps)


def check_dependencies(deps: Mapping[str, Any], option: str = 'dependencies') -> dict[str, str]:
    out = {}
    for name in sorted(deps):
        value = deps[name]
        if not name or not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise OptionError('%s.%s must be a version string' % (option, name))
        out[name] = '%s' % value
    return out


def check_runtime(value: str, option: str = 'runtime') -> None:
    """Loosely ``node`` and a number: the spec's enum lags Twilio (no node24), so Twilio decides the rest (82007)."""
    if not RUNTIME_RE.match(value or ''):
        raise OptionError('%s must be node followed by a major version, such as node22, got %r' % (option, value))


# ---- the reserved variable ---------------------------------------------------------------------------


def _ordered(keys: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(keys)


def encode_reserved(build_sid: str, files: Sequence[SourceFile]) -> str:
    """``c1:<ZB>:f:<hash per file>``, within 450 bytes.

    ``f``: one 8-character hash per file, in (kind, path) order. When they do not fit, ``a``: per asset only (Functions
    fall back to /Content); when those do not fit either, ``d``: one digest of every asset (any asset change then uploads
    every asset).
    """
    head = '%s:%s:' % (RESERVED_VERSION, build_sid)
    ordered = sorted(files, key=lambda f: f.key)
    every = head + 'f:' + ''.join(f.short for f in ordered)
    if len(every) <= VALUE_MAX_BYTES:
        return every
    assets = [f for f in ordered if f.kind == 'asset']
    per_asset = head + 'a:' + ''.join(f.short for f in assets)
    if len(per_asset) <= VALUE_MAX_BYTES:
        return per_asset
    return head + 'd:' + assets_digest(assets)


def assets_digest(assets: Iterable[SourceFile]) -> str:
    digest = hashlib.sha256()
    for item in sorted(assets, key=lambda f: f.key):
        digest.update(('%s\0%s\0' % (item.path, item.sha256)).encode('utf-8'))
    return base64.urlsafe_b64encode(digest.digest()).decode('ascii')[:22]


def decode_reserved(value: str | None, build: Record | None) -> dict[tuple[str, str], str] | str | None:
    """What the reserved variable knows of ``build``: ``{(kind, path): short hash}``, a digest of all assets (str),
    or None when it is missing, malformed, or names another build."""
    if not value or build is None:
        return None
    parts = value.split(':')
    if len(parts) != 4 or parts[0] != RESERVED_VERSION or parts[1] != build.get('sid'):
        return None
    scope, hashes = parts[2], parts[3]
    if scope == 'd':
        return hashes if len(hashes) == 22 else None
    keys = _ordered(deployed_files(build))
    if scope == 'a':
        keys = [k for k in keys if k[0] == 'asset']
    elif scope != 'f':
        return None
    if len(hashes) != SHORT_HASH_CHARS * len(keys):
        return None
    return dict((key, hashes[i * SHORT_HASH_CHARS : (i + 1) * SHORT_HASH_CHARS]) for i, key in enumerate(keys))


# ---- what is deployed ----------------------------------------------------------------------------------


def deployed_files(build: Record | None) -> dict[tuple[str, str], Record]:
    """{(kind, path): version record} of a build (its ``function_versions`` and ``asset_versions``)."""
    out: dict[tuple[str, str], Record] = {}
    for kind, key in (('function', 'function_versions'), ('asset', 'asset_versions')):
        for version in (build or {}).get(key) or []:
            if isinstance(version, dict) and isinstance(version.get('path'), str):
                out[(kind, version['path'])] = version
    return out


def build_dependencies(build: Record | None) -> dict[str, str]:
    out = {}
    for item in (build or {}).get('dependencies') or []:
        if isinstance(item, dict) and isinstance(item.get('name'), str):
            out[item['name']] = '%s' % item.get('version')
    return out


def same_visibility(one: Any, other: Any) -> bool:
    """Twilio answers ``PUBLIC`` in a build's version lists and ``public`` elsewhere."""
    return ('%s' % one).lower() == ('%s' % other).lower()


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
) -> Plan:
    """Compare the tree with the live ``build``; ``function_content(version)`` reads a Function's source (/Content)
    when the reserved variable does not know its hash."""
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


# ---- requests -------------------------------------------------------------------------------------------


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


# ---- the module's steps (serverless_deploy) -------------------------------------------------------------


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


def promote(module: TwilioModule, params: Mapping[str, Any]) -> dict[str, Any]:
    """Deploy the build ``from_environment`` serves to ``environment`` (no upload, no build)."""
    environments = fn.environments_of(module, params['service'])
    target = fn.find_environment(module, params['service'], params['environment'], environments)
    origin = fn.find_environment(module, params['service'], params['from_environment'], environments)
    build_sid = origin.get('build_sid')
    if not build_sid:
        module.fail_json(msg='from_environment %s serves no build yet; deploy a source to it first' % params['from_environment'])
    changed = target.get('build_sid') != build_sid
    deployment = None
    if changed and not module.check_mode:
        with module.context('deploy', 'build %s to environment %s' % (build_sid, params['environment'])):
            deployment, dummy = deploy_build(module.client, target['service_sid'], target['sid'], build_sid)
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
        path = service_path(service_sid, 'Functions', version.get('function_sid') or '', 'Versions', version.get('sid') or '', 'Content')
        with module.context('read', 'the source of function %s' % version.get('path')):
            answer = module.client.get(sl.PRODUCT, sl.VERSION, path)
        content = answer.get('content') if isinstance(answer, dict) else None
        return normalised_text(content) if isinstance(content, str) else None

    return read


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


def write_reserved(module: TwilioModule, service_sid: str, environment: Record, variables: Iterable[Record], value: str) -> None:
    """Record the deployed build and the hashes in CHATOPS_DEPLOY, when the 3 KB budget allows it."""
    collection = fn.variables(service_sid, environment['sid'])
    current = fn.by_key(variables)
    values = dict((k, r.get('value') or '') for k, r in current.items())
    values[fn.RESERVED_KEY] = value
    if fn.context_bytes(values) > fn.CONTEXT_MAX_BYTES:
        module.warn(
            'the variables of environment %s leave no room for %s (3 KB context budget); the next run compares Functions '
            'through /Content and re-uploads the Assets' % (environment.get('unique_name'), fn.RESERVED_KEY)
        )
        return
    record = current.get(fn.RESERVED_KEY)
    label = '%s of environment %s' % (fn.RESERVED_KEY, environment.get('unique_name'))
    if record is None:
        rl.create(module, collection, [('Key', fn.RESERVED_KEY), ('Value', value)], fn.RESERVED_KEY, label=label)
    elif record.get('value') != value:
        with module.context('update', 'serverless variable %s' % label):
            module.client.update(sl.PRODUCT, sl.VERSION, collection.item_path(record['sid']), [('Value', value)])


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
        new_build, adopted = create_build(module.client, service_sid, function_sids, asset_sids, params['runtime'], deps)
        if not adopted:
            check_build_answer(new_build, function_sids, asset_sids, params['runtime'])
        build_sid: str = new_build['sid']
        outcome = wait_for_build(module.client, service_sid, build_sid, params['build_timeout'])
    if outcome != 'completed':
        fail_build(module, build_sid, outcome, params, deps, environment)
    with module.context('deploy', 'build %s to environment %s' % (build_sid, params['environment'])):
        deployment, dummy = deploy_build(module.client, service_sid, environment['sid'], build_sid)
        write_reserved(module, service_sid, environment, variables, encode_reserved(build_sid, files))
    return build_sid, deployment


def live_state(module: TwilioModule, environment: Record, label: str) -> tuple[Record | None, list[Record], dict[tuple[str, str], str] | str | None]:
    """(the build the environment serves, its variables, what CHATOPS_DEPLOY knows of that build)."""
    service_sid = environment['service_sid']
    build = read_build(module, service_sid, environment.get('build_sid'))
    variables = rl.listing(module, fn.variables(service_sid, environment['sid']), 'environment %s' % label)
    reserved = fn.by_key(variables).get(fn.RESERVED_KEY)
    return build, variables, decode_reserved((reserved or {}).get('value'), build)


def prune(module: TwilioModule, environment: Record, files: Iterable[SourceFile], build: Record | None, changed: bool) -> list[str]:
    """Delete Functions and Assets whose path left the tree and that no environment's live build holds."""
    service_sid = environment['service_sid']
    others = [e for e in fn.environments_of(module, service_sid) if e.get('sid') != environment['sid']]
    # Unchanged, this environment keeps its build; changed, it serves the tree, whose paths are kept by name.
    keep = set() if changed else set(v.get('function_sid') or v.get('asset_sid') for v in deployed_files(build).values())
    builds = set(e['build_sid'] for e in others if e.get('build_sid'))
    for build_sid in sorted(builds):
        for version in deployed_files(read_build(module, service_sid, build_sid)).values():
            keep.add(version.get('function_sid') or version.get('asset_sid'))
    wanted = set(f.key for f in files)
    pruned: list[Any] = []
    for kind in ('function', 'asset'):
        collection = resources(service_sid, kind)
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
