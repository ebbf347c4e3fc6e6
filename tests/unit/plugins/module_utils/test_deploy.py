# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from ansible_collections.chatops.twilio.plugins.module_utils import _builds as bd
from ansible_collections.chatops.twilio.plugins.module_utils import _deploy as dp
from ansible_collections.chatops.twilio.plugins.module_utils import _deploy_record as rec
from ansible_collections.chatops.twilio.plugins.module_utils import _source_tree as st
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError

ZB = 'ZB' + '0' * 32


def write(root, relative, data=b'x'):
    path = os.path.join(str(root), relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as handle:
        handle.write(data)
    return path


def test_visibility_and_paths_follow_the_toolkit_layout(tmp_path):
    write(tmp_path, 'functions/hook.protected.js')
    write(tmp_path, 'functions/lib/util.private.js')
    write(tmp_path, 'functions/open.js')
    write(tmp_path, 'functions/README.md')
    write(tmp_path, 'assets/style.css')
    write(tmp_path, 'assets/img/logo.protected.png')
    write(tmp_path, 'assets/data.private.json')
    write(tmp_path, 'assets/.env', b'SECRET=1')
    write(tmp_path, 'functions/.git/config')
    write(tmp_path, 'functions/node_modules/x/index.js')
    write(tmp_path, 'package.json', b'{"dependencies": {"lodash": "4.17.21"}}')
    files, deps, warnings = st.scan(str(tmp_path))
    got = sorted((f.kind, f.path, f.visibility) for f in files)
    assert got == [
        ('asset', '/data.json', 'private'),
        ('asset', '/img/logo.png', 'protected'),
        ('asset', '/style.css', 'public'),
        ('function', '/hook', 'protected'),
        ('function', '/lib/util', 'private'),
        ('function', '/open', 'public'),
    ]
    assert deps == {'lodash': '4.17.21'}
    assert warnings == ['source: functions/README.md is not a .js file, so it is not deployed (only .js files under functions/ are Functions)']


@pytest.mark.parametrize(
    'relative, message',
    [
        ('assets/a b.css', "its path /a b.css contains ' '"),
        ('assets/what?.css', "contains '?'"),
        ('functions/' + ('d' * 60 + '/') * 5 + 'x.js', 'Twilio allows at most 255'),
    ],
)
def test_paths_twilio_refuses_are_named(tmp_path, relative, message):
    write(tmp_path, relative)
    with pytest.raises(OptionError) as exc:
        st.scan(str(tmp_path))
    assert message in '%s' % exc.value


def test_empty_tree_and_duplicate_paths_are_refused(tmp_path):
    write(tmp_path, 'functions/notes.txt')
    with pytest.raises(OptionError, match='holds no file to deploy'):
        st.scan(str(tmp_path))
    write(tmp_path, 'functions/a.js')
    write(tmp_path, 'functions/a.protected.js')
    with pytest.raises(OptionError, match='functions/a.js and functions/a.protected.js both become the path /a'):
        st.scan(str(tmp_path))


def test_symlink_escape_is_refused_and_inside_link_followed(tmp_path):
    root = tmp_path / 'app'
    write(root, 'functions/a.js')
    write(tmp_path, 'secret/id_rsa', b'KEY')
    os.symlink(str(tmp_path / 'secret'), str(root / 'assets'))
    with pytest.raises(OptionError) as exc:
        st.scan(str(root))
    assert 'assets is a symbolic link to' in '%s' % exc.value and 'outside source' in '%s' % exc.value
    os.remove(str(root / 'assets'))
    write(root, 'shared/common.css', b'c')
    os.makedirs(str(root / 'assets'))
    os.symlink(str(root / 'shared' / 'common.css'), str(root / 'assets' / 'common.css'))
    os.symlink(str(tmp_path / 'secret' / 'id_rsa'), str(root / 'assets' / 'key.txt'))
    with pytest.raises(OptionError, match='assets/key.txt is a symbolic link'):
        st.scan(str(root))
    os.remove(str(root / 'assets' / 'key.txt'))
    files = st.scan(str(root))[0]
    assert sorted(f.path for f in files) == ['/a', '/common.css']


def test_oversized_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(st, 'UPLOAD_MAX_BYTES', 10)
    write(tmp_path, 'assets/big.bin', b'x' * 11)
    with pytest.raises(OptionError, match='assets/big.bin is 11 bytes; Twilio takes uploads of at most 10 bytes'):
        st.scan(str(tmp_path))


def files_of(n_functions, n_assets):
    return [st.SourceFile('function', '/f%03d' % i, 'public', 'f', b'f%d' % i) for i in range(n_functions)] + [
        st.SourceFile('asset', '/a%03d.txt' % i, 'private', 'a', b'a%d' % i) for i in range(n_assets)
    ]


def build_of(files, sid=ZB):
    return {
        'sid': sid,
        'runtime': 'node22',
        'dependencies': [{'name': 'twilio', 'version': '5'}, {'name': '@twilio/runtime-handler', 'version': '2'}],
        'function_versions': [{'sid': 'ZN%032d' % i, 'path': f.path, 'visibility': f.visibility.upper()} for i, f in enumerate(files) if f.kind == 'function'],
        'asset_versions': [
            {'sid': 'ZN%032d' % (100 + i), 'path': f.path, 'visibility': f.visibility.upper()} for i, f in enumerate(files) if f.kind == 'asset'
        ],
    }


@pytest.mark.parametrize('n_functions, n_assets, scope', [(3, 3, 'f'), (20, 30, 'f'), (40, 40, 'a'), (10, 80, 'd')])
def test_reserved_variable_fits_450_bytes_and_round_trips(n_functions, n_assets, scope):
    files = files_of(n_functions, n_assets)
    value = rec.encode_reserved(ZB, files)
    assert len(value.encode('utf-8')) <= 450
    assert value.split(':')[2] == scope
    known = rec.decode_reserved(value, build_of(files))
    sources = dict((f.path, f.data.decode()) for f in files)
    reads = []
    plan = dp.plan(files, build_of(files), known, 'node22', {}, lambda version: reads.append(1) or sources[version['path']])
    assert plan.uploads == [] and not plan.needs_build
    # per-file hashes: no /Content read; per-asset hashes or one digest: the Functions are read
    assert len(reads) == (0 if scope == 'f' else n_functions)
    # another build: the variable says nothing
    assert rec.decode_reserved(value, build_of(files, 'ZB' + '1' * 32)) is None


def test_one_changed_private_asset_uploads_that_asset_alone():
    files = files_of(2, 3)
    known = rec.decode_reserved(rec.encode_reserved(ZB, files), build_of(files))
    files[3] = st.SourceFile('asset', files[3].path, 'private', 'a', b'changed')
    plan = dp.plan(files, build_of(files), known, 'node22', {}, lambda version: None)
    assert [f.path for f in plan.uploads] == [files[3].path]
    assert plan.changed == [files[3].path] and plan.added == [] and plan.removed == []
    assert len(plan.reused) == 4


def test_without_the_variable_functions_compare_by_content_and_assets_upload():
    files = files_of(2, 1)
    reads = []

    def content(version):
        reads.append(version['path'])
        return 'f0' if version['path'] == '/f000' else 'other'

    plan = dp.plan(files, build_of(files), None, 'node22', {}, content)
    assert reads == ['/f000', '/f001']
    assert sorted(f.path for f in plan.uploads) == ['/a000.txt', '/f001']


def test_content_comparison_ignores_bom_and_crlf():
    assert st.normalised_text(b'\xef\xbb\xbfa\r\nb') == st.normalised_text('a\nb')
    assert st.normalised_text(b'\xff') is None


def test_runtime_dependencies_removed_paths_and_visibility_case():
    files = files_of(1, 1)
    build = build_of(files + [st.SourceFile('function', '/gone', 'public', 'g', b'g')])
    build['dependencies'].append({'name': 'lodash', 'version': '4.0.0'})
    known = rec.decode_reserved(rec.encode_reserved(ZB, files + [st.SourceFile('function', '/gone', 'public', 'g', b'g')]), build)
    plan = dp.plan(files, build, known, 'node20', {'axios': '1.0.0'}, lambda v: None)
    assert plan.removed == ['/gone'] and plan.uploads == []
    assert plan.runtime_change == ('node22', 'node20')
    assert plan.dependency_changes == {'axios': (None, '1.0.0'), 'lodash': ('4.0.0', None)}
    # upper-case PUBLIC in the build is the same visibility; the injected dependencies are not a change
    same = dp.plan(files, build_of(files), rec.decode_reserved(rec.encode_reserved(ZB, files), build_of(files)), 'node22', {}, lambda v: None)
    assert not same.needs_build


def test_build_form_sends_repeated_keys_raw_json_and_runtime():
    form = bd.build_form(['ZN1', 'ZN2'], ['ZN3'], 'node22', {'b': '2', 'a': '1'})
    assert form == [
        ('FunctionVersions', ['ZN1', 'ZN2']),
        ('AssetVersions', ['ZN3']),
        ('Dependencies', '[{"name":"a","version":"1"},{"name":"b","version":"2"}]'),
        ('Runtime', 'node22'),
    ]
