"""docs/architecture.md names every file of the directories a contributor looks up there (run by `make units-2.19`).

A new module_utils file, doc fragment, filter or hacking script fails this test until the page says what it is.
"""

import os
import re

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOC = os.path.join(ROOT, 'docs', 'architecture.md')
DIRECTORIES = ('plugins/module_utils', 'plugins/doc_fragments', 'plugins/filter', 'hacking')


def files(directory):
    path = os.path.join(ROOT, directory)
    return sorted(name for name in os.listdir(path) if os.path.isfile(os.path.join(path, name)) and not name.endswith('.pyc'))


def unmentioned(names, text):
    """The names that do not occur in ``text`` as a whole file name (``emulator.sh`` is not in ``with_emulator.sh``)."""
    return [name for name in names if not re.search(r'(?<![\w.-])%s(?![\w.-])' % re.escape(name), text)]


@pytest.mark.parametrize('directory', DIRECTORIES)
def test_every_file_is_named(directory):
    with open(DOC, encoding='utf-8') as handle:
        text = handle.read()
    assert files(directory), directory
    assert unmentioned(files(directory), text) == [], 'docs/architecture.md does not name these files of %s/' % directory


def test_a_name_inside_another_does_not_count():
    text = '`hacking/with_emulator.sh`, `plugins/module_utils/_client.py` and `stage.py`'
    assert unmentioned(['emulator.sh', '_client.py', 'stage.py', 'client.py', '_stage.py'], text) == ['emulator.sh', 'client.py', '_stage.py']
