"""hacking/join_strings.py joins same-line literals without changing a value (run by `make units-2.19`)."""

import ast
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import join_strings  # noqa: E402  pylint: disable=wrong-import-position


@pytest.mark.parametrize(
    'source, expected',
    [
        ("'abc ' 'def'", "'abc def'"),
        ('(1, "a" "b" "c", 2)', '(1, "abc", 2)'),
        ("r'a|' r'b\\d'", "r'a|b\\d'"),
        ("b'\\x00' b'1'", "b'\\x001'"),  # \x00 is complete: the 1 stays a 1
        ("'it''s'", "'its'"),
        ("'a\\\\' 'n'", "'a\\\\n'"),  # an escaped backslash, then n: still a backslash and an n
        ("('one '\n     'two')", "('one '\n     'two')"),  # on two lines: pylint accepts it, nothing to do
    ],
)
def test_join(source, expected):
    assert join_strings.join('v = %s\n' % source) == 'v = %s\n' % expected
    assert ast.literal_eval(expected) == ast.literal_eval(source)


@pytest.mark.parametrize(
    'source',
    [
        "x = 'a' \"b\"\n",  # other quotes
        "x = 'a' r'b'\n",  # other prefix
        "x = f'{a}' f'b'\n",  # f-strings
        "x = '''a''' 'b'\n",  # triple quotes
        "x = '\\1' '2'\n",  # '\\12' would be another character
        "x = '\\x4' '1'\n",  # an unfinished escape
        "x = 'a' + 'b'\n",  # explicit concatenation
    ],
)
def test_left_alone(source):
    assert join_strings.join(source) == source


def test_values_never_change():
    cases = ["'\\1' '2'", "'\\\\1' '2'", "'a\\n' 'b'", "r'\\d' r'+'", "'x' 'y' 'z'"]
    for case in cases:
        before = ast.literal_eval(case)
        assert ast.literal_eval(join_strings.join('v = %s\n' % case)[4:]) == before, case


def test_check_and_write(tmp_path, capsys):
    path = tmp_path / 'm.py'
    path.write_text("x = ('a ' 'b')\n", encoding='utf-8')
    assert join_strings.main(['--check', str(tmp_path)]) == 1
    assert path.read_text(encoding='utf-8') == "x = ('a ' 'b')\n"
    assert join_strings.main([str(tmp_path)]) == 0
    assert path.read_text(encoding='utf-8') == "x = ('a b')\n"
    assert join_strings.main(['--check', str(path)]) == 0
    assert 'would join string literals in' in capsys.readouterr().out
