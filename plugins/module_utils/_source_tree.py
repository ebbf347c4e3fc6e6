# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""A Functions source tree in the Serverless Toolkit's layout, read without a request.

``functions/`` and ``assets/``, visibility from the file names, Twilio's path rules, dotfiles and ``node_modules``
skipped, symbolic links followed only inside the tree, ``package.json``'s dependencies, the runtime rule, and each
file's hashes. Facts and readings: docs/serverless-deploy.md.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import base64
import hashlib
import json
import mimetypes
import os
import re
from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils._endpoints import ASSET_MAX_BYTES
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable, Mapping
    from typing import Any

FUNCTIONS_DIR = 'functions'
ASSETS_DIR = 'assets'
VISIBILITIES = ('public', 'protected', 'private')
DEFAULT_RUNTIME = 'node22'
RUNTIME_RE = re.compile(r'^node[0-9]+\Z')
# The spec: a path is at most 255 characters. The characters are the Toolkit's rule (utils/fs.ts checkForValidPath);
# Twilio publishes none, so we refuse what the Toolkit refuses.
PATH_MAX = 255
PATH_FORBIDDEN = frozenset('#;,?:@+&$()\'"')
# TK#167: uploads above 25 MB answer 413; our reading takes the smaller 25,000,000 bytes (the limit a public Asset is read with).
UPLOAD_MAX_BYTES = ASSET_MAX_BYTES
# Per-file hashes in the reserved variable: 48 bits each (8 base64url characters).
SHORT_HASH_CHARS = 8


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


def same_visibility(one: Any, other: Any) -> bool:
    """Twilio answers ``PUBLIC`` in a build's version lists and ``public`` elsewhere."""
    return ('%s' % one).lower() == ('%s' % other).lower()


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
