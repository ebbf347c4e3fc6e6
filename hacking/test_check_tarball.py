"""hacking/check_tarball.py finds what must not ship and what is missing (run by `make units`)."""

import io
import os
import sys
import tarfile

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import check_tarball  # noqa: E402  pylint: disable=wrong-import-position

README = '[role](roles/r/README.md) [changes](CHANGELOG.rst) [site](https://example.com/x.md) [top](#install)\n'
GOOD = dict(
    {name: 'x' for name in check_tarball.REQUIRED},
    **{
        'README.md': README,
        'roles/r/README.md': '[back](../../README.md)\n',
        'tests/emulator/specs/LICENSE': 'MIT',
        'tests/emulator/specs/twilio_chat_v2.json': '{}',
    },
)


def build(tmp_path, files):
    path = tmp_path / 'chatops-twilio-1.0.0.tar.gz'
    with tarfile.open(path, 'w:gz') as tar:
        for name, text in files.items():
            data = text.encode('utf-8')
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return str(path)


def problems(tmp_path, files):
    return check_tarball.problems(*check_tarball.members(build(tmp_path, files)))


def test_a_clean_tarball_passes(tmp_path):
    assert problems(tmp_path, GOOD) == []
    assert check_tarball.main([build(tmp_path, GOOD)]) == 0


@pytest.mark.parametrize(
    'name',
    [
        'bench/RESULTS.md',
        'tests/reliability/test_fault_soak.py',
        'extensions/molecule/x/molecule.yml',
        'hacking/demo.sh',
        'Makefile',
        'requirements-dev.txt',
        'requirements/demo.txt',
        'plugins/modules/__pycache__/x.cpython-311.pyc',
        '.pytest_cache/v/x',
        'tests/output/x.xml',
        'chatops-twilio-0.9.0.tar.gz',
        'tests/integration/integration_config.yml',
    ],
)
def test_development_content_and_caches_fail(tmp_path, name):
    found = problems(tmp_path, dict(GOOD, **{name: 'x'}))
    assert len(found) == 1 and name in found[0]


def test_the_integration_config_sample_may_ship(tmp_path):
    assert problems(tmp_path, dict(GOOD, **{'tests/integration/integration_config.yml.sample': 'x'})) == []


def test_third_party_files_need_their_license(tmp_path):
    files = dict(GOOD, **{'tests/emulator/specs/twilio_conversations_v1.json': '{}'})
    del files['tests/emulator/specs/LICENSE']
    found = problems(tmp_path, files)
    assert len(found) == 1 and 'without tests/emulator/specs/LICENSE' in found[0] and 'twilio_conversations_v1.json' in found[0]


def test_missing_required_file_fails(tmp_path):
    files = dict(GOOD)
    del files['CHANGELOG.rst']
    assert 'missing: CHANGELOG.rst' in problems(tmp_path, files)


@pytest.mark.parametrize('link', ['bench/RESULTS.md', 'docs/architecture.md#layout', './hacking/demo.sh', '<docs/x.md>'])
def test_markdown_link_to_a_file_not_shipped_fails(tmp_path, link):
    found = problems(tmp_path, dict(GOOD, **{'README.md': README + '[x](%s)\n' % link}))
    assert len(found) == 1 and found[0].startswith('README.md links to ')
    assert check_tarball.main([build(tmp_path, dict(GOOD, **{'README.md': '[x](%s)' % link}))]) == 1
