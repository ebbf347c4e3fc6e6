# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""What a Functions build holds and the reserved variable ``CHATOPS_DEPLOY`` that records it.

A build's versions and dependencies as Twilio answers them, and ``CHATOPS_DEPLOY``: the build deployed and a short
hash per file (``c1:<ZB>:f:<hashes>``, within a variable's 450 bytes), encoded, decoded, read with the live build
and written back within the environment's 3 KB budget. Facts and readings: docs/serverless-deploy.md.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import base64
import hashlib
from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _functions as fn
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _serverless as sl
from ansible_collections.chatops.twilio.plugins.module_utils._functions import VALUE_MAX_BYTES
from ansible_collections.chatops.twilio.plugins.module_utils._source_tree import SHORT_HASH_CHARS

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable, Sequence

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record
    from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule
    from ansible_collections.chatops.twilio.plugins.module_utils._source_tree import SourceFile

# Twilio adds these to every build (CL 2021-02-02): they are in a build's dependencies whether declared or not.
INJECTED_DEPENDENCIES = ('twilio', '@twilio/runtime-handler')
RESERVED_VERSION = 'c1'


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
