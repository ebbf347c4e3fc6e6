"""hacking/check_fragments.py on throw-away git repositories (run by `make units-2.19`)."""

import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import changed_files  # noqa: E402  pylint: disable=wrong-import-position
import check_fragments  # noqa: E402  pylint: disable=wrong-import-position

FRAGMENT = '---\ntrivial:\n  - x - y.\n'


@pytest.fixture(autouse=True)
def plain_git(monkeypatch, tmp_path):
    """git without the user's or the system's configuration (signing, hooks, default branch)."""
    monkeypatch.setenv('GIT_CONFIG_GLOBAL', str(tmp_path / 'gitconfig'))
    monkeypatch.setenv('GIT_CONFIG_NOSYSTEM', '1')
    for name in ('AUTHOR', 'COMMITTER'):
        monkeypatch.setenv('GIT_%s_NAME' % name, 'Test')
        monkeypatch.setenv('GIT_%s_EMAIL' % name, 'test@example.com')


class Repo:
    def __init__(self, path):
        self.path = str(path)
        os.makedirs(self.path)
        self.git('init', '-q', '-b', 'main')

    def git(self, *args):
        return subprocess.run(['git', '-C', self.path] + list(args), check=True, capture_output=True, text=True).stdout.strip()

    def write(self, *paths):
        for path in paths:
            full = os.path.join(self.path, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, 'a', encoding='utf-8') as handle:
                handle.write(FRAGMENT if path.startswith(check_fragments.FRAGMENTS) else 'x\n')

    def commit(self, message, *paths):
        """Write (append to) ``paths`` and commit everything; returns the commit's SHA."""
        self.write(*paths)
        self.git('add', '-A')
        self.git('commit', '-q', '--allow-empty', '-m', message)
        return self.git('rev-parse', 'HEAD')

    def merge(self, branch, message):
        self.git('merge', '-q', '--no-ff', '-m', message, branch)
        return self.git('rev-parse', 'HEAD')

    def check(self, base=None):
        found, dummy = check_fragments.problems(self.path, base)
        return found


@pytest.fixture
def repo(tmp_path):
    """A main line whose history before the checker has code changes without fragments."""
    repo = Repo(tmp_path / 'repo')
    repo.commit('skeleton', 'plugins/modules/a.py', 'roles/r/tasks/main.yml')
    repo.commit('before the rule', 'plugins/modules/a.py')
    repo.commit('the rule', check_fragments.CHECKER)
    return repo


def test_history_before_the_rule_is_not_judged(repo):
    assert repo.check() == []


def test_a_main_line_commit_without_a_fragment_is_named(repo):
    repo.commit('with fragment', 'plugins/modules/a.py', 'changelogs/fragments/1-a.yml')
    repo.commit('tests only', 'tests/unit/test_a.py', 'docs/x.md')
    sha = repo.commit('no fragment', 'roles/r/tasks/main.yml')
    repo.commit('playbooks, with fragment', 'playbooks/p.yml', 'changelogs/fragments/2-p.yaml')
    found = repo.check()
    assert len(found) == 1
    assert found[0].startswith('commit %s (no fragment) changes roles/r/tasks/main.yml' % sha[:10])
    assert check_fragments.main(['--repo', repo.path]) == 1


def test_editing_a_fragment_counts_deleting_one_does_not(repo):
    repo.commit('adds', 'plugins/modules/a.py', 'changelogs/fragments/1-a.yml')
    repo.commit('edits it', 'plugins/modules/a.py', 'changelogs/fragments/1-a.yml')
    assert repo.check() == []
    repo.git('rm', '-q', 'changelogs/fragments/1-a.yml')
    repo.write('plugins/modules/a.py')
    repo.git('add', '-A')
    sha = repo.commit('deletes it')
    assert [line[:17] for line in repo.check()] == ['commit %s' % sha[:10]]


@pytest.mark.parametrize('path', ['changelogs/fragments/sub/1-a.yml', 'changelogs/fragments/1-a.txt', 'changelogs/1-a.yml'])
def test_only_yaml_files_directly_in_the_fragments_directory_count(repo, path):
    repo.commit('misplaced fragment', 'plugins/module_utils/_x.py', path)
    assert len(repo.check()) == 1


def test_formatter_output_on_the_main_line_needs_none(repo):
    repo.commit('format: make format', 'plugins/modules/a.py', check_fragments.CHECKER)
    assert repo.check() == []
    sha = repo.commit('format: and a role change', 'plugins/modules/a.py', 'roles/r/tasks/main.yml')
    assert [line[:17] for line in repo.check()] == ['commit %s' % sha[:10]]
    repo.git('reset', '-q', '--hard', 'HEAD~1')
    sha = repo.commit('formatting without the prefix', 'plugins/modules/a.py')
    assert [line[:17] for line in repo.check()] == ['commit %s' % sha[:10]]


def test_a_release_point_ends_what_is_judged(repo):
    repo.commit('no fragment', 'plugins/modules/a.py')
    repo.commit('release 1.1.0', 'changelogs/changelog.yaml', 'CHANGELOG.rst')
    assert repo.check() == []
    sha = repo.commit('after the release', 'plugins/modules/a.py')
    assert [line[:17] for line in repo.check()] == ['commit %s' % sha[:10]]


def test_a_merged_branch_is_one_change(repo):
    repo.git('checkout', '-q', '-b', 'feature')
    repo.commit('code', 'plugins/modules/a.py')
    repo.commit('fragment', 'changelogs/fragments/3-a.yml')
    repo.git('checkout', '-q', 'main')
    repo.merge('feature', 'Merge feature')
    assert repo.check() == []
    repo.git('checkout', '-q', '-b', 'other')
    repo.commit('code only', 'plugins/modules/b.py')
    repo.git('checkout', '-q', 'main')
    sha = repo.merge('other', 'Merge other')
    found = repo.check()
    assert [line[:17] for line in found] == ['commit %s' % sha[:10]] and 'plugins/modules/b.py' in found[0]


def test_uncommitted_changes_need_a_fragment_too(repo):
    repo.write('plugins/modules/a.py')
    assert repo.check() == ['the uncommitted changes change plugins/modules/a.py without a changelog fragment']
    repo.write('changelogs/fragments/4-a.yml')  # untracked
    assert repo.check() == []


def test_a_branch_is_judged_as_a_whole_against_its_merge_base(repo):
    repo.git('checkout', '-q', '-b', 'feature')
    repo.commit('code', 'plugins/modules/a.py')
    repo.commit('more code', 'plugins/modules/b.py')
    found = repo.check()
    assert len(found) == 1 and found[0].startswith('this branch (since ')
    assert 'plugins/modules/a.py, plugins/modules/b.py' in found[0]
    repo.write('changelogs/fragments/5-a.yml')  # not committed yet: still counts
    assert repo.check() == []
    repo.commit('fragment')
    assert repo.check() == []
    # Main's own history is main's business: a bad commit there does not fail the branch.
    repo.git('checkout', '-q', 'main')
    repo.commit('bad on main', 'plugins/modules/c.py')
    repo.git('checkout', '-q', 'feature')
    assert repo.check() == []


def test_a_branch_without_code_changes_needs_no_fragment(repo):
    repo.git('checkout', '-q', '-b', 'docs')
    repo.commit('docs', 'README.md', 'tests/unit/test_x.py', 'hacking/tool.py')
    assert repo.check() == []


def test_a_fresh_clone_checks_the_main_line_and_a_shallow_one_does_not_fail_spuriously(repo, tmp_path, capsys):
    repo.commit('with fragment', 'plugins/modules/a.py', 'changelogs/fragments/1-a.yml')
    clone = str(tmp_path / 'clone')
    subprocess.run(['git', 'clone', '-q', repo.path, clone], check=True)
    assert check_fragments.problems(clone)[0] == []
    assert 'commit(s) on the main line' in check_fragments.problems(clone)[1]
    repo.commit('no fragment', 'plugins/modules/a.py')
    subprocess.run(['git', '-C', clone, 'pull', '-q'], check=True)
    assert len(check_fragments.problems(clone)[0]) == 1
    for depth, judged in (('2', 1), ('1', 0)):  # depth 1: the tip's parent, so its diff, is missing
        shallow = str(tmp_path / ('shallow' + depth))
        subprocess.run(['git', 'clone', '-q', '--depth', depth, 'file://' + repo.path, shallow], check=True)
        assert len(check_fragments.problems(shallow)[0]) == judged
        assert 'shallow clone' in capsys.readouterr().err


def test_a_repository_without_the_rule_committed_judges_only_the_working_tree(tmp_path):
    repo = Repo(tmp_path / 'repo')
    repo.commit('old code', 'plugins/modules/a.py')
    assert repo.check() == []


def test_not_a_repository_is_an_error(tmp_path, capsys):
    assert check_fragments.main(['--repo', str(tmp_path)]) == 2
    assert 'check_fragments: ' in capsys.readouterr().err


def test_an_unknown_base_is_an_error(repo):
    with pytest.raises(check_fragments.GitError):
        repo.check('no-such-branch')


def test_changed_files_lists_what_the_branch_and_the_working_tree_change(repo):
    repo.git('checkout', '-q', '-b', 'feature')
    repo.commit('code', 'plugins/modules/b.py', 'docs/x.md')
    repo.git('rm', '-q', 'plugins/modules/a.py')
    repo.write('roles/r/tasks/main.yml', 'new.txt')
    assert changed_files.changed_files(repo.path) == ['docs/x.md', 'new.txt', 'plugins/modules/b.py', 'roles/r/tasks/main.yml']
    repo.git('checkout', '-q', '-f', 'main')
    repo.git('clean', '-q', '-f')
    assert changed_files.changed_files(repo.path) == []
