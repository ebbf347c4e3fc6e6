"""Emulator accounts: the documented default test account and loaders."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only
    from typing import Any

    #: One account of the accounts JSON format: ``{"account_sid", "auth_token", "api_keys": [{"sid", "secret"}]}``.
    AccountSpec = dict[str, Any]

#: The fixed test account used when no other account is configured.
DEFAULT_ACCOUNT_SID = "AC" + "0" * 31 + "1"
DEFAULT_AUTH_TOKEN = "0123456789abcdef0123456789abcdef"
#: An API key (SID + secret) belonging to the default account.
DEFAULT_API_KEY = "SK" + "0" * 31 + "1"
DEFAULT_API_SECRET = "fedcba9876543210fedcba9876543210"

_ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
_KEY_SID = re.compile(r"^SK[0-9a-fA-F]{32}$")


def default_accounts() -> list[AccountSpec]:
    """The default account with its default API key."""
    return [{"account_sid": DEFAULT_ACCOUNT_SID, "auth_token": DEFAULT_AUTH_TOKEN, "api_keys": [{"sid": DEFAULT_API_KEY, "secret": DEFAULT_API_SECRET}]}]


def check_accounts(accounts: Any) -> list[AccountSpec]:
    """Validate a list of account dicts (the accounts JSON format); returns it."""
    if not isinstance(accounts, list) or not accounts:
        raise ValueError("accounts must be a non-empty list")
    seen: set[str] = set()
    for account in accounts:
        sid = account.get("account_sid", "")
        if not _ACCOUNT_SID.match(sid) or not account.get("auth_token"):
            raise ValueError("each account needs account_sid (AC + 32 hex digits) and auth_token")
        for key in account.get("api_keys", ()):
            if not _KEY_SID.match(key.get("sid", "")) or not key.get("secret"):
                raise ValueError("each API key needs sid (SK + 32 hex digits) and secret")
            if key["sid"] in seen:
                raise ValueError("API key %s is configured twice" % key["sid"])
            seen.add(key["sid"])
        if sid in seen:
            raise ValueError("account %s is configured twice" % sid)
        seen.add(sid)
    return accounts


def load_accounts(path: str) -> list[AccountSpec]:
    """Read an accounts JSON file: ``[{"account_sid", "auth_token", "api_keys": [{"sid", "secret"}]}]``."""
    with open(path, encoding="utf-8") as handle:
        return check_accounts(json.load(handle))
