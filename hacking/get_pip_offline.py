"""Offline stand-in for pip's get-pip.py, used only when the real one cannot be downloaded.

ansible-test runs it as ``python get_pip.py <pip options> <packages>`` in a fresh venv.
We bootstrap pip from the interpreter's bundled wheel (ensurepip), then install the
requested packages from the package index with the system CA bundle, because
ansible-test strips the pip config that normally points at it.
"""

import ensurepip
import os
import subprocess
import sys

GET_PIP_ONLY_OPTIONS = {'--no-setuptools', '--no-wheel'}
CA_BUNDLES = ('/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt')


def main():
    ensurepip.bootstrap(upgrade=True)
    args = [a for a in sys.argv[1:] if a not in GET_PIP_ONLY_OPTIONS]
    bundle = next((b for b in CA_BUNDLES if os.path.exists(b)), None)
    if bundle:
        args = ['--cert', bundle] + args
    sys.exit(subprocess.call([sys.executable, '-m', 'pip', 'install'] + args))


if __name__ == '__main__':
    main()
