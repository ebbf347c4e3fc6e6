"""Every change to plugins/, roles/ or playbooks/ carries a changelog fragment.

    python hacking/check_fragments.py [--base REF] [--repo DIR]

What "a change" is depends on where HEAD is (REF: default origin/main, else main):

* On a branch (HEAD has commits REF does not have): the branch as a whole, from its merge base with
  REF to the working tree (uncommitted and untracked files included). If it touches a watched path,
  it must add or edit a fragment somewhere in that range: one fragment per branch, like one per PR.
* On the main line (HEAD is REF or behind it, as in CI's fresh clone): every first-parent commit
  since the last release point is one change (a merged branch, a squashed PR or a direct commit),
  and so is the working tree's pending change. Each one that touches a watched path must add or
  edit a fragment itself. The release point is the newest first-parent commit that updated
  changelogs/changelog.yaml (``make release-notes`` folds the fragments in and deletes them) or
  that added this script: history before the rule existed is not judged by it. A commit whose
  subject starts with ``format:`` and that only modifies .py files is formatter output
  (``make format``, re-run after merges) and needs none.

A fragment is a .yml or .yaml file directly under changelogs/fragments/, added or modified (a
deletion does not count). A change that updates changelogs/changelog.yaml is a release and needs
none. Changes that need no changelog line use the ``trivial`` section (see CONTRIBUTING.md).
Exit 0 when every change has its fragment, 1 naming each one that has not, 2 on a git error.
"""

import argparse
import os
import subprocess
import sys

WATCHED = ('plugins/', 'roles/', 'playbooks/')
FRAGMENTS = 'changelogs/fragments/'
CHANGELOG = 'changelogs/changelog.yaml'
CHECKER = 'hacking/check_fragments.py'
DEFAULT_BASES = ('origin/main', 'main')


class GitError(Exception):
    pass


def git(repo, *args):
    """The output of a git command in ``repo``; GitError with git's message when it fails."""
    proc = subprocess.run(['git', '-C', repo] + list(args), capture_output=True, text=True, check=False)
    if proc.returncode:
        raise GitError('git %s: %s' % (' '.join(args), proc.stderr.strip() or 'exit %d' % proc.returncode))
    return proc.stdout


def resolve(repo, ref):
    """The commit ``ref`` names, or None."""
    try:
        return git(repo, 'rev-parse', '--verify', '--quiet', ref + '^{commit}').strip() or None
    except GitError:
        return None


def base_commit(repo, base=None):
    """The commit of ``base`` (default: the first of DEFAULT_BASES that exists), or None."""
    for ref in [base] if base else DEFAULT_BASES:
        commit = resolve(repo, ref)
        if commit:
            return commit
    if base:
        raise GitError('no such commit: %s' % base)
    return None


def parse_name_status(text):
    """``[(status letter, path)]`` from ``git diff --name-status -z`` output (a rename gives its new path)."""
    fields = text.split('\0')
    changes, index = [], 0
    while index < len(fields) and fields[index]:
        status = fields[index]
        if status[0] in 'RC':
            changes.append((status[0], fields[index + 2]))
            index += 3
        else:
            changes.append((status[0], fields[index + 1]))
            index += 2
    return changes


def untracked(repo):
    """Untracked files that are not ignored, as ``[('A', path)]``."""
    out = git(repo, 'ls-files', '-z', '--others', '--exclude-standard')
    return [('A', path) for path in out.split('\0') if path]


def working_tree_changes(repo, since):
    """What the working tree changes against commit ``since``: tracked (staged or not) and untracked files."""
    return parse_name_status(git(repo, 'diff', '--name-status', '-z', '-M', since)) + untracked(repo)


def commit_changes(repo, commit, first_parent):
    """What a commit changes against its first parent (None: a root commit, which adds everything)."""
    if first_parent is None:
        return parse_name_status(git(repo, 'diff-tree', '-r', '-z', '-M', '--name-status', '--root', '--no-commit-id', commit))
    return parse_name_status(git(repo, 'diff', '--name-status', '-z', '-M', first_parent, commit))


def missing_fragment(changes):
    """The watched paths a change touches when it carries no fragment (and is no release); else []."""
    watched = sorted({path for dummy, path in changes if path.startswith(WATCHED)})
    if not watched:
        return []
    for status, path in changes:
        if path == CHANGELOG and status != 'D':
            return []
        if status != 'D' and path.startswith(FRAGMENTS) and '/' not in path[len(FRAGMENTS) :] and path.endswith(('.yml', '.yaml')):
            return []
    return watched


def formatting_only(subject, changes):
    """Whether a main-line commit is formatter output: a ``format:`` subject, and only .py files modified."""
    return subject.startswith('format:') and bool(changes) and all(status == 'M' and path.endswith('.py') for status, path in changes)


def shallow_commits(repo):
    """The boundary commits of a shallow clone (their parents are missing)."""
    path = git(repo, 'rev-parse', '--git-path', 'shallow').strip()
    path = path if os.path.isabs(path) else os.path.join(repo, path)
    try:
        with open(path, encoding='ascii') as handle:
            return set(handle.read().split())
    except OSError:
        return set()


def main_line(repo):
    """``[(commit, subject, changes)]`` of the first-parent commits since the release point, newest first."""
    try:
        git(repo, 'cat-file', '-e', 'HEAD:' + CHECKER)
    except GitError:
        return []  # the rule is not committed yet: no commit is judged by it
    shallow = shallow_commits(repo)
    result = []
    for line in git(repo, 'log', '--first-parent', '--format=%H %P%x09%s', 'HEAD').splitlines():
        shas, dummy, subject = line.partition('\t')
        commit, parents = shas.split()[0], shas.split()[1:]
        if commit in shallow:
            print('check_fragments: shallow clone, commits from %s back are not checked' % commit[:10], file=sys.stderr)
            break
        changes = commit_changes(repo, commit, parents[0] if parents else None)
        if any(path == CHANGELOG and status != 'D' for status, path in changes) or ('A', CHECKER) in changes:
            break
        result.append((commit, subject, changes))
    return result


def problems(repo, base=None):
    """(one line per change without its fragment, a summary of what was checked)."""
    head = resolve(repo, 'HEAD')
    if head is None:
        raise GitError('%s has no commit' % repo)
    base_sha = base_commit(repo, base)
    merge_base = git(repo, 'merge-base', head, base_sha).strip() if base_sha else head
    if merge_base != head:
        changes = working_tree_changes(repo, merge_base)
        missing = missing_fragment(changes)
        found = (
            ['this branch (since %s, working tree included) changes %s without a changelog fragment' % (merge_base[:10], describe(missing))] if missing else []
        )
        return found, 'this branch since its merge base %s' % merge_base[:10]
    found = []
    pending = missing_fragment(working_tree_changes(repo, head))
    if pending:
        found.append('the uncommitted changes change %s without a changelog fragment' % describe(pending))
    commits = main_line(repo)
    for commit, subject, changes in commits:
        missing = missing_fragment(changes)
        if missing and not formatting_only(subject, changes):
            found.append('commit %s (%s) changes %s without a changelog fragment' % (commit[:10], subject[:72], describe(missing)))
    return found, '%d commit(s) on the main line since the last release point, and the working tree' % len(commits)


def describe(paths):
    shown = ', '.join(paths[:3])
    return shown + (' and %d more' % (len(paths) - 3) if len(paths) > 3 else '')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    parser.add_argument('--base', help='the main branch to compare with (default: origin/main, else main)')
    parser.add_argument('--repo', default='.', help='the git checkout (default: .)')
    args = parser.parse_args(argv)
    try:
        found, checked = problems(args.repo, args.base)
    except GitError as exc:
        print('check_fragments: %s' % exc, file=sys.stderr)
        return 2
    for line in found:
        print('check_fragments: %s' % line)
    if found:
        print(
            'check_fragments: add changelogs/fragments/<issue>-<topic>.yml to the change (see CONTRIBUTING.md, '
            '"Changelog fragments"); a change that needs no changelog line uses the trivial section'
        )
        return 1
    print('check_fragments: ok (%s)' % checked)
    return 0


if __name__ == '__main__':
    sys.exit(main())
