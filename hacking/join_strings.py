"""Join string literals that sit side by side on one line: ``'abc ' 'def'`` becomes ``'abc def'``.

    python hacking/join_strings.py [--check] PATH...

Part of `make format`, after black: black puts a wrapped implicit concatenation on one line when it
fits, and ansible-test's pylint refuses that (implicit-str-concat). Joined are two literals with the
same prefix and the same quotes, neither triple-quoted; the value never changes (a pair whose join
could, such as ``'\\1' '2'``, is left alone, and so is anything else: pylint then names it). With
--check nothing is written, and the exit status is 1 when a file would change. Directories are
searched for *.py files, skipping build/, .venv*, .git and caches.
"""

import argparse
import io
import os
import re
import sys
import tokenize

SKIP_DIRS = ('build', '.git', '__pycache__', '.mypy_cache', '.pytest_cache', '.hypothesis', 'output')
_LITERAL = re.compile(r'^([A-Za-z]*)(\'|")(.*)\2$', re.DOTALL)
# An escape the next literal's first character could extend: \1 or \12 then a digit, \x4 then a hex digit...
_OPEN_ESCAPE = re.compile(r'(?<!\\)(?:\\\\)*\\(?:[0-7]{1,2}|x[0-9A-Fa-f]?|u[0-9A-Fa-f]{0,3}|U[0-9A-Fa-f]{0,7}|N)$')


def _parts(token):
    """(prefix, quote, body) of a one-line literal that may be joined, else None."""
    match = _LITERAL.match(token)
    if not match or '\n' in token or token[len(match.group(1)) :].startswith(("'''", '"""')):
        return None
    prefix = match.group(1).lower()
    if 'f' in prefix:
        return None
    return prefix, match.group(2), match.group(3)


def _joined(first, second):
    """The one literal equal to ``first second``, or None when they may not be joined."""
    one, two = _parts(first), _parts(second)
    if one is None or two is None or one[:2] != two[:2]:
        return None
    if 'r' not in one[0] and _OPEN_ESCAPE.search(one[2]):
        return None
    return first[: len(first) - 1] + second[len(second) - len(two[2]) - 1 :]


def join(source):
    """``source`` with every joinable same-line pair of literals joined (chains too)."""
    while True:
        lines = source.splitlines(keepends=True)
        pair = None
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
        for previous, token in zip(tokens, tokens[1:]):
            if previous.type == token.type == tokenize.STRING and previous.end[0] == token.start[0]:
                merged = _joined(previous.string, token.string)
                if merged is not None:
                    pair = (previous, token, merged)
                    break
        if pair is None:
            return source
        previous, token, merged = pair
        row = previous.start[0] - 1
        line = lines[row]
        lines[row] = line[: previous.start[1]] + merged + line[token.end[1] :]
        source = ''.join(lines)


def python_files(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith('.venv'))
            for name in sorted(filenames):
                if name.endswith('.py'):
                    yield os.path.join(dirpath, name)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--check', action='store_true', help='write nothing; exit 1 when a file would change')
    parser.add_argument('paths', nargs='+')
    args = parser.parse_args(argv)
    changed = []
    for path in python_files(args.paths):
        with open(path, encoding='utf-8') as handle:
            source = handle.read()
        result = join(source)
        if result != source:
            changed.append(path)
            if not args.check:
                with open(path, 'w', encoding='utf-8') as handle:
                    handle.write(result)
    for path in changed:
        print('join_strings: %s %s' % ('would join string literals in' if args.check else 'joined string literals in', path))
    return 1 if args.check and changed else 0


if __name__ == '__main__':
    sys.exit(main())
