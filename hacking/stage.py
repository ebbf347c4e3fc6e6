"""Stage the checkout as build/ansible_collections/chatops/twilio.

ansible-test and the ``ansible_collections.chatops.twilio`` imports need the
collection at that path, and ansible-test refuses a symlink that resolves
outside it, so we keep a synced copy: the files git tracks plus untracked,
non-ignored ones (a new file shows up before it is committed), nothing else.
"""

import os
import shutil
import subprocess
import sys

SKIP_DIRS = {'.git', '.venv', 'build', '__pycache__', '.pytest_cache', 'output'}


def source_files(root):
    """Relative paths of the files that make up the collection."""
    try:
        out = subprocess.run(
            ['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
            cwd=root,
            check=True,
            capture_output=True,
        ).stdout.decode()
        return sorted({p for p in out.split('\0') if p and os.path.isfile(os.path.join(root, p))})
    except (OSError, subprocess.CalledProcessError):
        found = []
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
            found.extend(os.path.relpath(os.path.join(dirpath, f), root) for f in filenames)
        return sorted(found)


def sync(root, dest):
    """Copy changed files into dest and delete the ones that no longer exist."""
    wanted = set(source_files(root))
    for rel in wanted:
        src, dst = os.path.join(root, rel), os.path.join(dest, rel)
        st = os.stat(src)
        if os.path.exists(dst):
            dt = os.stat(dst)
            if dt.st_size == st.st_size and int(dt.st_mtime) == int(st.st_mtime):
                continue
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copy2(src, dst)
    for dirpath, dirnames, filenames in os.walk(dest, topdown=True):
        rel_dir = os.path.relpath(dirpath, dest)
        # ansible-test writes its results under tests/output; keep them.
        dirnames[:] = [
            d
            for d in dirnames
            if os.path.normpath(os.path.join(rel_dir, d)) != os.path.join('tests', 'output') and d not in ('__pycache__', '.pytest_cache', '.git')
        ]
        for name in filenames:
            rel = os.path.normpath(os.path.join(rel_dir, name))
            if rel not in wanted and rel != os.path.join('tests', 'integration', 'integration_config.yml'):
                os.unlink(os.path.join(dirpath, name))


def main():
    root = os.path.abspath(sys.argv[1])
    dest = os.path.abspath(sys.argv[2])
    os.makedirs(dest, exist_ok=True)
    sync(root, dest)
    # ansible-test lists content with git when it finds a .git above the collection;
    # here that would be the checkout, which ignores build/. An empty repository of
    # the copy's own makes it list the copy's (untracked, not ignored) files instead.
    if not os.path.exists(os.path.join(dest, '.git')):
        subprocess.run(['git', 'init', '-q', dest], check=True)


if __name__ == '__main__':
    main()
