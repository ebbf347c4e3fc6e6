"""Command line: ``python -m twilio_emulator --port N`` runs the emulator in the foreground."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from typing import TYPE_CHECKING, cast

from .accounts import default_accounts, load_accounts
from .faults import KINDS
from .server import Emulator

if TYPE_CHECKING:  # annotations only
    from collections.abc import Sequence

    from .accounts import AccountSpec
    from .store import MaxServices


def _max_services(text: str) -> MaxServices:
    """``N`` (every product) or ``chat=N,serverless=M``."""
    if "=" not in text:
        return int(text)
    caps: dict[str, int | None] = {}
    for item in text.split(","):
        product, value = item.split("=", 1)
        caps[product.strip()] = int(value) if value.strip().lower() not in ("", "none") else None
    return caps


#: Variables Twilio's tools read credentials from; the emulator reads none of them.
CREDENTIAL_VARIABLES = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET")
_ANY_ADDRESS = ("", "0.0.0.0", "::")


def banner(base: str, port: int, host: str, accounts_file: str | None, accounts: list[AccountSpec]) -> str:
    """What a user copies: the one ``TWILIO_API_BASE_URL`` for every product, and the test account.

    Secrets are printed only when the emulator invented them (its documented test account);
    accounts from ``--accounts`` are listed by SID, their tokens and secrets never shown.
    """
    client_base = "http://127.0.0.1:%d" % port if host in _ANY_ADDRESS else base
    lines = [
        "Twilio API emulator listening on %s" % base,
        "",
        "Point the chatops.twilio modules at it (one value for every product; keep {product} as it is):",
        "  export TWILIO_API_BASE_URL='%s/{product}'" % client_base,
    ]
    if accounts_file is None:
        account = accounts[0]
        key = account["api_keys"][0]
        lines += [
            "",
            "Its test account (invented by the emulator, not a Twilio credential):",
            "  export TWILIO_ACCOUNT_SID='%s' TWILIO_AUTH_TOKEN='%s'" % (account["account_sid"], account["auth_token"]),
            "  API key: TWILIO_API_KEY='%s' TWILIO_API_SECRET='%s'" % (key["sid"], key["secret"]),
        ]
    else:
        lines += ["", "Accounts from %s (their tokens and secrets are not shown):" % accounts_file]
        for account in accounts:
            keys = [key["sid"] for key in account.get("api_keys", ())]
            lines.append("  %s%s" % (account["account_sid"], " (API keys %s)" % ", ".join(keys) if keys else ""))
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser."""
    parser = argparse.ArgumentParser(prog="python -m twilio_emulator", description="Twilio REST API emulator (chat v1/v2, serverless v1).")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="TCP port, 0 = any free port (default 8080)")
    parser.add_argument("--port-file", help="write the bound port to this file once listening")
    parser.add_argument(
        "--accounts", help="accounts JSON file (default: the emulator's own test account; TWILIO_* variables in the environment are never used)"
    )
    parser.add_argument(
        "--max-services", type=_max_services, help="services per account: N for every product or chat=N,serverless=M (default: chat uncapped, serverless 50)"
    )
    parser.add_argument("--fault-rate", type=float, default=0.0, help="probability (0..1) that an API request gets a fault")
    parser.add_argument("--fault-kinds", default="", help="comma-separated fault kinds: " + ", ".join(KINDS))
    parser.add_argument("--fault-seed", type=int, help="seed of the fault RNG")
    parser.add_argument("--fault-next", type=int, default=0, help="give the next N API requests a fault (cycling through the kinds)")
    parser.add_argument("--fault-drop-field", help="form parameter a drop_field fault leaves unapplied (default: the first optional one)")
    parser.add_argument("--latency-ms", type=int, default=0, help="latency added to every API request")
    parser.add_argument("--verbose", action="store_true", help="log every HTTP request to stderr")
    parser.add_argument(
        "--strict-params",
        action="store_true",
        help="answer 400 to a form parameter an operation does not take (default: ignore it, as Twilio does; the request log names it)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run until SIGINT/SIGTERM; returns the exit status."""
    args = build_parser().parse_args(argv)
    try:
        accounts = load_accounts(args.accounts) if args.accounts else default_accounts()
        faults = {
            "rate": args.fault_rate,
            "kinds": [k for k in args.fault_kinds.split(",") if k],
            "next": args.fault_next,
            "latency_ms": args.latency_ms,
            "seed": args.fault_seed,
            "drop_field": args.fault_drop_field,
        }
        emulator = Emulator(accounts=accounts, max_services=args.max_services, faults=faults, verbose=args.verbose, strict_params=args.strict_params)
    except (OSError, ValueError, TypeError) as exc:
        print("twilio_emulator: %s" % exc, file=sys.stderr)
        return 2
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    try:
        base = emulator.start(args.host, args.port)
    except OSError as exc:
        print("twilio_emulator: cannot listen on %s:%d: %s" % (args.host, args.port, exc.strerror or exc), file=sys.stderr)
        return 2
    print(banner(base, cast(int, emulator.port), args.host, args.accounts, accounts))  # listening: the port is known
    ignored = sorted(name for name in CREDENTIAL_VARIABLES if os.environ.get(name))
    if ignored:
        print(
            "twilio_emulator: ignoring %s from the environment: the emulator never takes real credentials "
            "(serve other accounts with --accounts FILE)" % ", ".join(ignored),
            file=sys.stderr,
        )
    sys.stdout.flush()
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write("%s\n" % emulator.port)
        os.replace(tmp, args.port_file)
    while not stop.wait(0.5):
        pass
    emulator.stop()
    print("Twilio emulator stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
