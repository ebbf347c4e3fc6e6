"""Check what the built collection tarball ships, as a user (and Galaxy) gets it.

    python hacking/check_tarball.py build/dist/chatops-twilio-X.Y.Z.tar.gz

Fails (exit 1, one line per problem) when the tarball
  - holds development-only content: benchmarks, the reliability suite, the Toolkit conformance suite
    (and its node_modules), the example Functions app, the molecule scenario,
    hacking/, pinned dev requirements, tool settings (pyproject.toml), the contributor guide,
    virtualenvs, build output or any cache;
  - misses what users need: README, LICENSE, CHANGELOG.rst, meta/runtime.yml, the playbooks,
    the Twilio API emulator (for trying the collection safely);
  - ships a third-party file without its license beside it (THIRD_PARTY below);
  - has a Markdown document with a relative link to a file the tarball does not hold.
"""

import posixpath
import re
import sys
import tarfile

#: Development-only content: path prefixes (directories) and exact files, inside the collection.
EXCLUDED_PREFIXES = (
    'bench/',
    'tests/reliability/',
    'tests/toolkit/',
    'examples/',
    'extensions/molecule/',
    'hacking/',
    'requirements/',
    '.venv',
    'build/',
    '.ci/',
    '.git/',
    'tests/output/',
)
EXCLUDED_FILES = (
    'Makefile',
    'pyproject.toml',
    'CONTRIBUTING.md',
    'requirements-dev.in',
    'requirements-dev.txt',
    '.gitignore',
    'tests/integration/integration_config.yml',
    'changelogs/.plugin-cache.yaml',
)
#: Cache directories and files, anywhere.
CACHE_PARTS = ('__pycache__', '.pytest_cache', '.hypothesis', '.mypy_cache', '.ruff_cache', '.tox', '.cache', '.ansible')
CACHE_SUFFIXES = ('.pyc', '.pyo', '.tar.gz', '.retry')
REQUIRED = (
    'README.md',
    'LICENSE',
    'CHANGELOG.rst',
    'changelogs/changelog.yaml',
    'meta/runtime.yml',
    'meta/execution-environment.yml',
    'requirements.txt',
    'MANIFEST.json',
    'FILES.json',
    'playbooks/provision.yml',
    'tests/emulator/README.md',
    'tests/emulator/twilio_emulator/__main__.py',
)
#: Directories of third-party files -> the license file that must ship beside them.
THIRD_PARTY = {'tests/emulator/specs/': 'tests/emulator/specs/LICENSE'}
LINK = re.compile(r'\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)|href="([^"]+)"')


def members(path):
    """({relative path: TarInfo}, {relative path of each Markdown file: its text})."""
    names, markdown = {}, {}
    with tarfile.open(path) as tar:
        for info in tar.getmembers():
            name = info.name[2:] if info.name.startswith('./') else info.name
            names[name] = info
            if info.isfile() and name.endswith('.md'):
                markdown[name] = tar.extractfile(info).read().decode('utf-8')
    return names, markdown


def problems(names, markdown):
    """Every problem found, as one line each."""
    found = []
    files = {name for name, info in names.items() if not info.isdir()}
    dirs = {name.rstrip('/') for name, info in names.items() if info.isdir()} | {posixpath.dirname(name) for name in files}
    for name in sorted(names):
        parts = name.split('/')
        if name.startswith(EXCLUDED_PREFIXES) or name in EXCLUDED_FILES:
            found.append('development-only content shipped: %s' % name)
        elif any(part in CACHE_PARTS for part in parts) or name.endswith(CACHE_SUFFIXES):
            found.append('cache or build artifact shipped: %s' % name)
    found += ['missing: %s' % name for name in REQUIRED if name not in files]
    for prefix, license_file in THIRD_PARTY.items():
        shipped = sorted(n for n in files if n.startswith(prefix) and n != license_file)
        if shipped and license_file not in files:
            found.append('third-party files shipped without %s: %s' % (license_file, ', '.join(shipped)))
    for doc, text in sorted(markdown.items()):
        for match in LINK.finditer(text):
            target = (match.group(1) or match.group(2)).split('#', 1)[0]
            if not target or re.match(r'^[a-z][a-z0-9+.-]*:', target, re.I) or target.startswith('/'):
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(doc), target))
            if resolved not in files and resolved not in dirs:
                found.append('%s links to %s, which the tarball does not hold' % (doc, target))
    return found


def main(argv):
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    names, markdown = members(argv[0])
    found = problems(names, markdown)
    for line in found:
        print('check_tarball: %s' % line)
    print('check_tarball: %s: %d entries, %d Markdown documents, %d problems' % (argv[0], len(names), len(markdown), len(found)))
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
