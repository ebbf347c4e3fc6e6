"""Small client for the Twilio API emulator's control endpoints, used by hacking/demo.sh.

    python hacking/demo_emulator.py wait URL [SECONDS]   wait until GET URL/__emulator/health says ok
    python hacking/demo_emulator.py clear URL            forget the request log
    python hacking/demo_emulator.py count URL            print "GET POST DELETE" counts of the log
    python hacking/demo_emulator.py account              print shell exports of the default test account

Standard library only, so the demo needs nothing but Python.
"""

import json
import sys
import time
import urllib.error
import urllib.request


def _call(url, method='GET'):
    request = urllib.request.Request(url, method=method)
    with urllib.request.urlopen(request, timeout=5) as response:
        body = response.read()
    return json.loads(body) if body else None


def wait(base, seconds=10.0):
    deadline = time.monotonic() + float(seconds)
    while True:
        try:
            if (_call(base + '/__emulator/health') or {}).get('ok'):
                return 0
        except (OSError, ValueError):
            pass
        if time.monotonic() > deadline:
            print('emulator at %s is not healthy after %ss' % (base, seconds), file=sys.stderr)
            return 1
        time.sleep(0.1)


def clear(base):
    _call(base + '/__emulator/requests', method='DELETE')
    return 0


def count(base):
    requests = _call(base + '/__emulator/requests')['requests']
    methods = [r['method'] for r in requests]
    print(methods.count('GET'), methods.count('POST'), methods.count('DELETE'))
    return 0


def account():
    import twilio_emulator as emulator  # on PYTHONPATH from the caller
    print('export TWILIO_ACCOUNT_SID=%s TWILIO_AUTH_TOKEN=%s' % (emulator.DEFAULT_ACCOUNT_SID, emulator.DEFAULT_AUTH_TOKEN))
    return 0


def main(argv):
    commands = {'wait': wait, 'clear': clear, 'count': count, 'account': account}
    if not argv or argv[0] not in commands:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        return commands[argv[0]](*argv[1:])
    except (OSError, KeyError, ValueError) as exc:
        print('demo_emulator %s: %s' % (argv[0], exc), file=sys.stderr)
        return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
