"""Command line: ``python -m twilio_emulator --port N`` runs the emulator in the foreground."""

import argparse
import os
import signal
import sys
import threading

from .accounts import accounts_from_env, load_accounts
from .faults import KINDS
from .server import Emulator


def _max_services(text):
    """``N`` (every product) or ``chat=N,serverless=M``."""
    if "=" not in text:
        return int(text)
    caps = {}
    for item in text.split(","):
        product, value = item.split("=", 1)
        caps[product.strip()] = int(value) if value.strip().lower() not in ("", "none") else None
    return caps


def build_parser():
    """The argument parser."""
    parser = argparse.ArgumentParser(prog="python -m twilio_emulator", description="Twilio REST API emulator (chat v1/v2, serverless v1).")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="TCP port, 0 = any free port (default 8080)")
    parser.add_argument("--port-file", help="write the bound port to this file once listening")
    parser.add_argument("--accounts", help="accounts JSON file; default: TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN or the test account")
    parser.add_argument("--max-services", type=_max_services,
                        help="services per account: N for every product or chat=N,serverless=M (default: chat uncapped, serverless 50)")
    parser.add_argument("--fault-rate", type=float, default=0.0, help="probability (0..1) that an API request gets a fault")
    parser.add_argument("--fault-kinds", default="", help="comma-separated fault kinds: " + ", ".join(KINDS))
    parser.add_argument("--fault-seed", type=int, help="seed of the fault RNG")
    parser.add_argument("--fault-next", type=int, default=0, help="give the next N API requests a fault (cycling through the kinds)")
    parser.add_argument("--fault-drop-field", help="form parameter a drop_field fault leaves unapplied (default: the first optional one)")
    parser.add_argument("--latency-ms", type=int, default=0, help="latency added to every API request")
    parser.add_argument("--verbose", action="store_true", help="log every HTTP request to stderr")
    return parser


def main(argv=None):
    """Run until SIGINT/SIGTERM; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        accounts = load_accounts(args.accounts) if args.accounts else accounts_from_env(os.environ)
        faults = {"rate": args.fault_rate, "kinds": [k for k in args.fault_kinds.split(",") if k],
                  "next": args.fault_next, "latency_ms": args.latency_ms, "seed": args.fault_seed,
                  "drop_field": args.fault_drop_field}
        emulator = Emulator(accounts=accounts, max_services=args.max_services, faults=faults, verbose=args.verbose)
    except (OSError, ValueError, TypeError) as exc:
        print("twilio_emulator: %s" % exc, file=sys.stderr)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    base = emulator.start(args.host, args.port)
    print("Twilio emulator listening on %s (chat: %s/chat, serverless: %s/serverless)" % (base, base, base))
    for account in accounts:
        print("  account %s auth token %s" % (account["account_sid"], account["auth_token"]))
        for key in account.get("api_keys", ()):
            print("    API key %s secret %s" % (key["sid"], key["secret"]))
    sys.stdout.flush()
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write("%d\n" % emulator.port)
        os.replace(tmp, args.port_file)
    while not stop.wait(0.5):
        pass
    emulator.stop()
    print("Twilio emulator stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
