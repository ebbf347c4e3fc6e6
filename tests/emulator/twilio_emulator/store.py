"""Thread-safe in-memory state: accounts, their resources, paging.

One re-entrant lock (``Store.lock``) guards everything; the HTTP layer holds
it for the whole of one API operation, which keeps every operation atomic.
"""

from __future__ import annotations

import bisect
import calendar
import itertools
import threading
import time
import uuid
from typing import TYPE_CHECKING

from .errors import conflict, invalid_param

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable, Mapping
    from typing import Any

    #: A stored resource (a service, an environment), as the handlers read and write it.
    Record = dict[str, Any]
    #: Caps on services per account: an int for every product, or per product (None = no cap).
    MaxServices = int | dict[str, int | None]

#: Default caps on the number of services per account and product (None = no cap).
#: Conversations Services are Chat Services (one ``IS`` object), so the ``chat`` cap covers both.
DEFAULT_MAX_SERVICES: dict[str, int | None] = {"chat": None, "serverless": 50}
#: The account collection of ``IS`` services, shared by Chat v1, Chat v2 and Conversations v1.
SERVICES = "chat"


def new_sid(prefix: str) -> str:
    """A fresh 34-character SID such as ``IS`` + 32 lowercase hex digits."""
    return prefix + uuid.uuid4().hex


#: Twilio's JSON date format (``2015-07-30T20:00:00Z``).
DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"


class Timing:
    """How "Twilio's" clock and listings differ from the test's: two knobs of the fault plan.

    ``clock_offset`` (seconds) moves the emulator's clock (``date_created``, ``date_updated`` and the
    ``Date`` header) away from the host's, as a controller whose clock is skewed sees Twilio's;
    ``listing_lag`` (seconds) keeps a new record out of listings for that long after its create
    (a fetch by SID finds it at once), as an eventually consistent index would. One per process:
    the fault plan of the emulator that configured it last sets it.
    """

    def __init__(self) -> None:
        self.clock_offset = 0.0
        self.listing_lag = 0.0

    def time(self) -> float:
        """The emulator's current time (UNIX seconds)."""
        return time.time() + self.clock_offset


TIMING = Timing()


def now() -> str:
    """The current time in Twilio's JSON date format (the emulator's clock, see :class:`Timing`)."""
    return time.strftime(DATE_FORMAT, time.gmtime(TIMING.time()))


def new_service(account_sid: str, friendly_name: str) -> Record:
    """The stored form of a freshly created ``IS`` service (Twilio's defaults).

    One record per service, read and written by every API view of it: Chat v1 and
    v2 (``chat.py``) and Conversations v1 (``conversations.py``), which maps its own
    names onto these keys (e.g. ``default_conversation_role_sid`` is
    ``default_channel_role_sid``, ``method`` is ``webhook_method``).  ``notifications``
    stays ``{}`` until a notification setting is written; Conversations adds
    ``notifications.new_message.with_media``, which the Chat views do not show.
    """
    stamp = now()
    service_sid = new_sid("IS")
    roles = default_roles(account_sid, service_sid, stamp)
    return {
        "sid": service_sid,
        "account_sid": account_sid,
        "friendly_name": friendly_name,
        "date_created": stamp,
        "date_updated": stamp,
        "default_service_role_sid": roles.values()[1]["sid"],
        "default_channel_role_sid": roles.values()[3]["sid"],
        "default_channel_creator_role_sid": roles.values()[2]["sid"],
        "read_status_enabled": True,
        "reachability_enabled": False,
        "typing_indicator_timeout": 5,
        "consumption_report_interval": 0,
        # Documented defaults (prose of both specs and the v1 docs page):
        # channel_members 250, user_channels 100.
        "limits": {"channel_members": 250, "user_channels": 100},
        "pre_webhook_url": None,
        "post_webhook_url": None,
        "webhook_method": "POST",
        "webhook_filters": [],
        "pre_webhook_retry_count": 0,
        "post_webhook_retry_count": 0,
        "notifications": {},
        "media": {"size_limit_mb": 150, "compatibility_message": None},
        "webhooks": {},
        # The service's roles (roles.py), the four defaults first.
        "roles": roles,
    }


#: The roles Twilio creates with every service: (friendly_name, type, permissions). Names, types and which
#: role each default setting names follow Twilio's Chat docs (service user for new users, channel admin for a
#: channel's creator, channel user for its members); the permission lists are our reading of the docs' tables.
DEFAULT_ROLES = (
    (
        "service admin",
        "deployment",
        (
            "createChannel",
            "joinChannel",
            "destroyChannel",
            "inviteMember",
            "removeMember",
            "editChannelName",
            "editChannelAttributes",
            "addMember",
            "editAnyMessage",
            "editAnyMessageAttributes",
            "deleteAnyMessage",
            "editAnyUserInfo",
        ),
    ),
    ("service user", "deployment", ("createChannel", "joinChannel", "editOwnUserInfo")),
    (
        "channel admin",
        "channel",
        (
            "sendMessage",
            "sendMediaMessage",
            "leaveChannel",
            "editOwnMessage",
            "editOwnMessageAttributes",
            "deleteOwnMessage",
            "inviteMember",
            "removeMember",
            "editChannelName",
            "editChannelAttributes",
            "addMember",
            "editAnyMessage",
            "editAnyMessageAttributes",
            "deleteAnyMessage",
        ),
    ),
    ("channel user", "channel", ("sendMessage", "sendMediaMessage", "leaveChannel", "editOwnMessage", "editOwnMessageAttributes", "deleteOwnMessage")),
)
#: The name of the Conversations Service Twilio creates with every account.
DEFAULT_CONVERSATIONS_SERVICE_NAME = "Default Conversations Service"


def default_roles(account_sid: str, service_sid: str, stamp: str) -> Collection:
    """The four roles of a new service (``DEFAULT_ROLES``), in that order."""
    roles = Collection()
    for friendly_name, kind, permissions in DEFAULT_ROLES:
        sid = new_sid("RL")
        roles.add(
            sid,
            {
                "sid": sid,
                "account_sid": account_sid,
                "service_sid": service_sid,
                "friendly_name": friendly_name,
                "type": kind,
                "permissions": list(permissions),
                "date_created": stamp,
                "date_updated": stamp,
            },
        )
    return roles


def default_conversations_service(account: Account) -> Record:
    """The account's default Conversations Service (``/v1/Configuration``'s ``default_chat_service_sid``).

    Twilio makes one with every account, and so does the emulator (``Account.add_default_service``): the
    setting never answers null, and the service it names cannot be deleted (``forget_service``).
    """
    service = account.collection(SERVICES).get(account.conversations_settings["default_chat_service_sid"] or "")
    assert service is not None, "an account always has its default Conversations Service"
    return service


def new_conversations_settings() -> dict[str, Any]:
    """The account-level Conversations settings of a fresh account (``/v1/Configuration[/Webhooks]``)."""
    return {
        "default_chat_service_sid": None,
        "default_messaging_service_sid": None,
        "default_inactive_timer": None,
        "default_closed_timer": None,
        "webhooks": {"method": "POST", "filters": [], "pre_webhook_url": None, "post_webhook_url": None, "target": "webhook"},
    }


def forget_service(account: Account, sid: str) -> None:
    """Delete an ``IS`` service (any API view); the account's default Conversations Service is refused.

    Twilio documents no delete of that service, and ``default_chat_service_sid`` is never null; our reading is
    that the default must first be moved to another service (``DefaultChatServiceSid``), as a service's default
    roles must be before they are deleted. 409 / 20409, no change.
    """
    if account.conversations_settings["default_chat_service_sid"] == sid:
        raise conflict(
            "Service %s is the account's default Conversation Service and cannot be deleted: make another service the default "
            "first (DefaultChatServiceSid of /v1/Configuration)" % sid
        )
    account.collection(SERVICES).remove(sid)


class Page:
    """One page of a :class:`Collection` listing."""

    def __init__(self, records: list[Record], has_previous: bool, has_next: bool, lagging: set[str] | None = None) -> None:
        self.records = records
        self.has_previous = has_previous
        self.has_next = has_next
        #: SIDs of records on this page that the listing leaves out for now (listing lag); paging still counts them.
        self.lagging = lagging or set()


class Collection:
    """Records in creation order, addressable by SID, paged in O(log N + page size).

    ``_seqs``/``_sids`` are parallel lists sorted by a global creation
    sequence; ``_seq_of`` remembers the sequence of every SID ever stored, so a
    page token naming a since-deleted record still resolves to a position.
    """

    _counter = itertools.count()

    def __init__(self) -> None:
        self._records: dict[str, Record] = {}
        self._seqs: list[int] = []
        self._sids: list[str] = []
        self._seq_of: dict[str, int] = {}
        # When each record was added (time.monotonic()), for the listing lag (Timing.listing_lag).
        self._added: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self._records)

    def __contains__(self, sid: object) -> bool:
        return sid in self._records

    def get(self, sid: str) -> Record | None:
        """The record with this SID, or None."""
        return self._records.get(sid)

    def values(self) -> list[Record]:
        """All records in creation order."""
        return [self._records[sid] for sid in self._sids]

    def add(self, sid: str, record: Record, settled: bool = False) -> None:
        """Append a new record; a ``settled`` one is listed at once whatever the listing lag (it was there before,
        as an account's default Conversations Service)."""
        seq = next(self._counter)
        self._records[sid] = record
        self._seq_of[sid] = seq
        self._seqs.append(seq)
        self._sids.append(sid)
        self._added[sid] = float("-inf") if settled else time.monotonic()

    def remove(self, sid: str) -> Record | None:
        """Delete a record; returns it (or None when absent)."""
        record = self._records.pop(sid, None)
        self._added.pop(sid, None)
        if record is not None:
            index = bisect.bisect_left(self._seqs, self._seq_of[sid])
            del self._seqs[index]
            del self._sids[index]
        return record

    def page(self, page_size: int, page_number: int = 0, token: str | None = None) -> Page:
        """Select one page.

        ``token`` is ``PA<sid>`` (records after that SID) or ``PB<sid>``
        (records before it), as Twilio's page tokens; without a token the page
        starts at ``page_number * page_size``.
        """
        total = len(self._sids)
        if token:
            direction, sid = token[:2], token[2:]
            seq = self._seq_of.get(sid)
            if direction not in ("PA", "PB") or seq is None:
                raise invalid_param("Invalid parameter PageToken: '%s' is not a valid page token" % token[:80])
            if direction == "PA":
                start = bisect.bisect_right(self._seqs, seq)
                end = min(total, start + page_size)
            else:
                end = bisect.bisect_left(self._seqs, seq)
                start = max(0, end - page_size)
        else:
            start = min(total, page_number * page_size)
            end = min(total, start + page_size)
        records = [self._records[sid] for sid in self._sids[start:end]]
        return Page(records, start > 0, end < total, self._lagging(self._sids[start:end]))

    def _lagging(self, sids: list[str]) -> set[str]:
        """The SIDs among ``sids`` that a listing does not show yet (added less than ``TIMING.listing_lag`` ago)."""
        if not TIMING.listing_lag:
            return set()
        horizon = time.monotonic() - TIMING.listing_lag
        return {sid for sid in sids if self._added.get(sid, horizon) > horizon}


class Account:
    """One Twilio account: credentials and its resources."""

    def __init__(self, account_sid: str, auth_token: str, api_keys: Mapping[str, str] | None = None) -> None:
        self.sid = account_sid
        self.auth_token = auth_token
        self.api_keys = dict(api_keys or {})
        self.collections: dict[str, Collection] = {}
        self.conversations_settings = new_conversations_settings()
        self.add_default_service()

    def add_default_service(self) -> None:
        """Make the account's default Conversations Service, as Twilio does when it makes an account.

        It is an ``IS`` service like any other (listed by Chat v1/v2 and Conversations, with its four roles, which
        ``/v1/Roles`` shows) and ``/v1/Configuration`` names it, so ``default_chat_service_sid`` is never null.
        """
        service = new_service(self.sid, DEFAULT_CONVERSATIONS_SERVICE_NAME)
        self.collection(SERVICES).add(service["sid"], service, settled=True)
        self.conversations_settings["default_chat_service_sid"] = service["sid"]

    def collection(self, name: str) -> Collection:
        """The named collection of this account (created on first use)."""
        coll = self.collections.get(name)
        if coll is None:
            coll = self.collections[name] = Collection()
        return coll

    def drop_collection(self, name: str) -> None:
        """Forget a collection entirely (e.g. a deleted service's environments)."""
        self.collections.pop(name, None)


class Store:
    """All accounts and their resources, plus the service caps."""

    def __init__(self, accounts: Iterable[Mapping[str, Any]], max_services: MaxServices | None = None) -> None:
        self.lock = threading.RLock()
        self.accounts: dict[str, Account] = {}
        for spec in accounts:
            keys = {key["sid"]: key["secret"] for key in spec.get("api_keys", ())}
            self.accounts[spec["account_sid"]] = Account(spec["account_sid"], spec["auth_token"], keys)
        self.max_services = dict(DEFAULT_MAX_SERVICES)
        self.set_max_services(max_services)

    def set_max_services(self, value: MaxServices | None) -> None:
        """``None`` restores the defaults, an int caps every product, a dict caps per product."""
        with self.lock:
            if value is None:
                self.max_services = dict(DEFAULT_MAX_SERVICES)
            elif isinstance(value, dict):
                unknown = set(value) - set(DEFAULT_MAX_SERVICES)
                if unknown:
                    raise ValueError("unknown product(s) in max_services: %s" % ", ".join(sorted(unknown)))
                self.max_services.update(value)
            else:
                self.max_services = {product: int(value) for product in DEFAULT_MAX_SERVICES}

    def authenticate(self, username: str, password: str) -> Account | None:
        """The account for Account SID + Auth Token or API Key SID + secret, else None."""
        account = self.accounts.get(username)
        if account is not None:
            return account if account.auth_token == password else None
        for account in self.accounts.values():
            secret = account.api_keys.get(username)
            if secret is not None:
                return account if secret == password else None
        return None

    def cap_passed(self, product: str, count: int) -> int | None:
        """The cap on ``product``'s services per account when ``count`` of them would pass it, else None."""
        cap = self.max_services.get(product)
        return cap if cap is not None and count > cap else None

    def seed_services(self, account_sid: str | None, friendly_names: Any) -> list[str]:
        """Create ``IS`` services (Chat and Conversations) with these names in one step, as ``POST /Services`` would; their SIDs.

        For tests that need many services in place (paging): a playbook would otherwise pay one task per create.
        """
        with self.lock:
            account = self.accounts.get(account_sid) if account_sid else next(iter(self.accounts.values()), None)
            if account is None:
                raise ValueError("seed: no account %s" % account_sid)
            if not isinstance(friendly_names, list) or not all(isinstance(name, str) and name.strip() for name in friendly_names):
                raise ValueError("seed: services must be a list of non-empty names")
            services = account.collection(SERVICES)
            cap = self.cap_passed("chat", len(services) + len(friendly_names))
            if cap is not None:
                raise ValueError("seed: %d services would pass the chat cap of %d" % (len(services) + len(friendly_names), cap))
            sids = []
            for name in friendly_names:
                record = new_service(account.sid, name)
                services.add(record["sid"], record)
                sids.append(record["sid"])
            return sids

    def age(self, seconds: int) -> int:
        """Move ``date_created``/``date_updated`` of every stored record ``seconds`` into the past; the count.

        Records made by a test's setup a moment ago look, to a client, like a concurrent run's fresh
        creates (which the set modules look at again); aged, they are what most accounts hold.
        """
        if isinstance(seconds, bool) or not isinstance(seconds, int) or seconds < 0:
            raise ValueError("age: seconds must be a non-negative integer")
        count = 0
        with self.lock:
            for account in self.accounts.values():
                for collection in account.collections.values():
                    for record in collection.values():
                        for key in ("date_created", "date_updated"):
                            if isinstance(record.get(key), str):
                                stamp = calendar.timegm(time.strptime(record[key], DATE_FORMAT)) - seconds
                                record[key] = time.strftime(DATE_FORMAT, time.gmtime(stamp))
                        count += 1
        return count

    def reset(self) -> None:
        """Delete every resource of every account; each gets a fresh default Conversations Service, as a new account."""
        with self.lock:
            for account in self.accounts.values():
                account.collections.clear()
                account.conversations_settings = new_conversations_settings()
                account.add_default_service()
