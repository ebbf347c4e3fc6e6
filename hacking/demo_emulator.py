"""Small client for the Twilio API emulator's control endpoints, used by hacking/demo.sh.

    python hacking/demo_emulator.py clear URL            forget the request log
    python hacking/demo_emulator.py count URL            print "GET POST DELETE" counts of the log

Standard library only, so the demo needs nothing but Python.
"""

import json
import sys
import urllib.error
import urllib.request


def _call(url, method='GET'):
    # the emulator takes a control request that changes something only as JSON (no web page can send one)
    request = urllib.request.Request(url, method=method, headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=5) as response:
        body = response.read()
    return json.loads(body) if body else None


def clear(base):
    _call(base + '/__emulator/requests', method='DELETE')
    return 0


def count(base):
    requests = _call(base + '/__emulator/requests')['requests']
    methods = [r['method'] for r in requests]
    print(methods.count('GET'), methods.count('POST'), methods.count('DELETE'))
    return 0


def main(argv):
    commands = {'clear': clear, 'count': count}
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
