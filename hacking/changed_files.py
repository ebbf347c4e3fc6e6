"""The files a change touches, for `make check`'s sanity run: one path a line, existing files only.

    python hacking/changed_files.py [--base REF] [--repo DIR]

The change is what the working tree (tracked and untracked, not ignored) holds against the merge
base of HEAD with REF (default origin/main, else main): on a branch, the branch and its uncommitted
work; on the main line, the uncommitted work only. Deleted files are left out (there is nothing to
check in them). Prints nothing when nothing changed.
"""

import argparse
import os
import sys

import check_fragments


def changed_files(repo, base=None):
    head = check_fragments.resolve(repo, 'HEAD')
    base_sha = check_fragments.base_commit(repo, base)
    since = check_fragments.git(repo, 'merge-base', head, base_sha).strip() if base_sha else head
    paths = {path for dummy, path in check_fragments.working_tree_changes(repo, since)}
    return sorted(path for path in paths if os.path.isfile(os.path.join(repo, path)))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--base', help='the main branch to compare with (default: origin/main, else main)')
    parser.add_argument('--repo', default='.', help='the git checkout (default: .)')
    args = parser.parse_args(argv)
    try:
        paths = changed_files(args.repo, args.base)
    except check_fragments.GitError as exc:
        print('changed_files: %s' % exc, file=sys.stderr)
        return 2
    for path in paths:
        print(path)
    return 0


if __name__ == '__main__':
    sys.exit(main())
