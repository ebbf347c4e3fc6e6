"""Make ansible-test's per-test virtual environments buildable on this network.

ansible-test bootstraps pip in every sanity venv with a ``get-pip`` script it
downloads from a host outside the package registries, and caches it under
``~/.ansible/test/cache``. Where that download works we let ansible-test do it;
where it is unreachable we install an offline stand-in that bootstraps pip from
the interpreter's own ``ensurepip`` wheel and then runs ``pip install`` with
the system CA bundle (ansible-test strips pip's own config and cert settings).
"""

import os
import re
import shutil
import sys
import urllib.request

import ansible_test

STAND_IN = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'get_pip_offline.py')


def pip_version():
    """The pip version ansible-test pins for its venvs."""
    path = os.path.join(os.path.dirname(ansible_test.__file__), '_internal', 'python_requirements.py')
    with open(path, encoding='utf-8') as handle:
        match = re.search(r"pip='([0-9.]+)'", handle.read())
    if not match:
        sys.exit('pip_bootstrap: cannot find the pip version in %s' % path)
    return match.group(1)


def bootstrap_url():
    """The download URL template, read from ansible-test itself."""
    path = os.path.join(os.path.dirname(ansible_test.__file__), '_util', 'target', 'setup', 'requirements.py')
    with open(path, encoding='utf-8') as handle:
        match = re.search(r"url = '([^']+)'", handle.read())
    return match.group(1) if match else None


def main():
    version = pip_version()
    cache = os.path.expanduser('~/.ansible/test/cache/get_pip_%s.py' % version.replace('.', '_'))
    if os.path.exists(cache):
        print('pip bootstrap: using cached %s' % cache)
        return
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    url = bootstrap_url()
    if url:
        try:
            with urllib.request.urlopen(url % version, timeout=10) as response:
                body = response.read()
            with open(cache, 'wb') as handle:
                handle.write(body)
            print('pip bootstrap: downloaded get-pip %s' % version)
            return
        except OSError as ex:
            print('pip bootstrap: download unreachable (%s); installing the offline stand-in' % ex)
    shutil.copyfile(STAND_IN, cache)
    print('pip bootstrap: offline stand-in installed at %s' % cache)


if __name__ == '__main__':
    main()
