"""`make format`'s settings (pyproject.toml): ruff's output must pass ansible-test sanity as it is (run by `make units-2.19`).

ansible-test's pylint refuses string literals side by side on one line (implicit-str-concat) and its pep8
refuses lines over 160 columns; these tests hold the formatter and its one lint rule to that.
"""

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONFIG = os.path.join(ROOT, 'pyproject.toml')


def ruff(*args, source):
    return subprocess.run(
        [sys.executable, '-m', 'ruff', *args, '--config', CONFIG, '--no-cache', '--stdin-filename', 'example.py', '-'],
        input=source,
        capture_output=True,
        text=True,
        check=False,
    )


def formatted(source):
    result = ruff('format', source=source)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_wrapped_literals_that_fit_on_a_line_become_one_literal():
    source = "message = fail(\n    'the service '\n    \"%s\" % name\n)\n"
    assert formatted(source) == "message = fail('the service %s' % name)\n"


def test_quotes_are_left_as_written():
    source = "a = 'single'\nb = \"double\"\n"
    assert formatted(source) == source


def test_a_concatenation_too_long_for_one_line_stays_wrapped_within_160_columns():
    parts = ["    'word %02d of a long message '\n" % number for number in range(8)]
    output = formatted('message = (\n%s)\n' % ''.join(parts))
    assert output.count("'word") == 8
    assert max(len(line) for line in output.splitlines()) <= 160


def test_literals_side_by_side_that_cannot_be_joined_are_named():
    # A raw and a plain literal: joining them would change the value, so the formatter leaves them.
    source = "pattern = compile(r'\\d+ ' 'x\\n')\n"
    assert formatted(source) == source
    result = ruff('check', '--no-fix', source=source)
    assert result.returncode == 1
    assert 'ISC001' in result.stdout


def test_the_formatted_example_passes_the_lint():
    source = formatted("message = fail(\n    'the service '\n    'is gone'\n)\n")
    assert ruff('check', '--no-fix', source=source).returncode == 0
