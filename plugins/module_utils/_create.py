# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""The duplicate-safe create protocol: resource logic on top of the client's one retry loop.

Twilio does not keep most names unique, its listings may show a new record seconds after the
create (a fetch by SID finds it at once), a create answered by a 5xx may still commit, and the
controller's clock need not agree with Twilio's. What every create here does about it:

1. **Unknown outcome** (:func:`send_create`, reusable by any create, a build too): a create
   answered by any 5xx, a read timeout or a dropped connection may have been carried out. It is
   looked for (on the retry loop, about 7 to 15 s with the default 4 retries) before anything
   else. Found: adopted. Not found after Twilio's own JSON 500/503: sent again. Not found after a
   timeout, a dropped connection or a gateway's 5xx: never sent again in this run
   (:class:`TwilioCreateUnknown`; the next run adopts the record if Twilio made it).
2. **Namesakes** (:func:`resolve_namesakes`): after ``create_settle`` seconds the run lists until
   it sees its own new record (bounded by the retry budget; a warning names the SID when it never
   shows). When the listing lagged, it lists once more a little over a second later, so that a
   namesake dated the same second shows too. Then the oldest namesake (``date_created``, then SID)
   is kept and this run's own record, if it lost, is deleted. Every run applies the same rule to
   what it sees, so parallel runs converge on one record per name. A run that does not know which
   namesake is its own (it sent the create twice, or adopted a record after an unknown outcome: the
   record adopted may be a concurrent run's, its own landing unseen) deletes every namesake that loses.
3. **Age by Twilio's clock** (:func:`is_recent`): a record found (not created) that is younger than
   ``RECENT`` seconds by Twilio's ``Date`` header may still lose its namesake race; the set
   modules, and a single-record module finding it by name (``find_matching(recheck_recent=True)``), look at such records again.

Where neither the OpenAPI description nor Twilio's docs say how long a listing may lag or when a
5xx'd create may commit, these bounds rest on our own reading (see docs/architecture.md).
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import calendar
import time

from typing import TYPE_CHECKING, cast

from ansible_collections.chatops.twilio.plugins.module_utils._retry_rule import backoff_delay
from ansible_collections.chatops.twilio.plugins.module_utils._errors import (
    TwilioApiError,
    TwilioConnectionError,
    TwilioCreateUnknown,
    TwilioError,
    is_ambiguous,
    one_line,
)

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Container, Sequence
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import FormData, Record, Records, TwilioClient

#: A record younger than this (seconds, by Twilio's clock) may still lose a namesake race: Twilio dates to the second.
RECENT = 2
#: A listing that lags is looked at again until retry_timeout, at most this many times, at most this far apart (seconds).
LISTING_LOOKS = 100
LISTING_LOOK_GAP = 2.0
#: How long after the listing first shows a record every namesake dated the same second shows too (one second, and margin).
SAME_SECOND = 1.5


def unknown_outcome(error: TwilioError) -> bool:
    """Whether a failed create may nevertheless have been carried out: any 5xx, a read timeout, a dropped connection."""
    return is_ambiguous(error)


def answered_failure(error: TwilioError) -> bool:
    """Whether Twilio itself answered the create with an error (its JSON 500/503): a re-send after the look is allowed."""
    return isinstance(error, TwilioApiError) and error.finished


def send_create(client: TwilioClient, send: Callable[[], Record], look: Callable[[], Record | None], shown: str, what: str) -> tuple[Record, bool]:
    """Send a create under the unknown-outcome rule: ``(record, adopted)``.

    ``send()`` sends the create once and returns the new record (429 and certainly-unsent failures are
    retried inside it by the client); ``look()`` returns the record this create would have made when it
    exists, else None; ``shown`` (``POST /v1/Services``) and ``what`` (``friendly_name='dev'``) name it in
    messages. See the module docstring, step 1.
    """

    def attempt(number: int) -> tuple[tuple[Record, bool] | None, TwilioError | None, float | None]:
        try:
            return (send(), False), None, None
        except (TwilioApiError, TwilioConnectionError) as exc:
            if not unknown_outcome(exc):
                return None, exc, None
            error: TwilioError = exc
        started = time.monotonic()
        found = client.poll(
            look,
            lambda number, budget, delay: (
                'Twilio API %s: %s; the outcome is unknown, so it is not sent again before looking for the record '
                'again (%d of %d) in %.1fs' % (shown, error, number, budget, delay)
            ),
            # From 0.5 s and doubling: 4 looks span 7.5 to 15 s, for a record Twilio commits late or lists late.
            delay=lambda number: backoff_delay(number + 1),
        )
        if found is not None:
            client._warn('Twilio API %s: %s; the create went through, adopting %s' % (shown, error, found.get('sid')))
            return (found, True), None, None
        if not answered_failure(error):
            return (
                None,
                TwilioCreateUnknown(
                    '%s; the create may still be carried out by Twilio, so it was not sent again (that could make a '
                    'duplicate), and no new record matching %s appeared within %.1f s. Run again: the next run adopts '
                    'it if Twilio made it, or creates it' % (error, what, time.monotonic() - started),
                    method=shown.split(' ', 1)[0],
                    path=shown.split(' ', 1)[-1],
                ),
                None,
            )
        answered = cast('TwilioApiError', error)
        return None, error, answered.retry_after if answered.retry_after is not None else backoff_delay(number)

    return client._retrying(
        attempt,
        lambda error, number, budget, delay: (
            'Twilio API %s: %s; no record appeared, so nothing was created: retry %d of %d in %.1fs' % (shown, error, number, budget, delay)
        ),
    )


def create_unique(
    client: TwilioClient,
    product: str,
    version: str,
    path: str,
    data: FormData,
    match: dict[str, Any],
    key: str | None = None,
    known_sids: set[Any] | None = None,
    settle: bool = True,
    removal: Callable[[str], str] | None = None,
    report: dict[str, bool] | None = None,
) -> tuple[Record, bool]:
    """Duplicate-safe create of a record whose name Twilio does not keep unique: ``(record, adopted)``.

    ``match`` is a dict of response fields identifying what this create makes (for example
    ``{'friendly_name': 'dev'}``); ``known_sids`` are the sids that already matched before (listed
    here when None). With ``settle``, :func:`resolve_namesakes` follows (``removal`` as there);
    without, a caller that resolves namesakes itself learns from ``report['resent']`` that the create was
    sent twice or adopted after an unknown outcome (pass ``unsure`` on).
    """
    shown = 'POST /%s/%s' % (version, path.lstrip('/'))
    if known_sids is None:
        known_sids = set(r.get('sid') for r in matching(client, product, version, path, match, key))
    sent = []

    def send() -> Record:
        sent.append(True)
        body = client.request('POST', product, version, path, data=data, kind='create')[1]
        return client.check_record(product, version, path, body, 'POST')

    def look() -> Record | None:
        new = sorted((r for r in matching(client, product, version, path, match, key) if r.get('sid') not in known_sids), key=age_key)
        if len(new) > 1:
            client._warn('Twilio API %s: %d new records match %s; taking the oldest, %s' % (shown, len(new), match_text(match), new[0].get('sid')))
        return new[0] if new else None

    record, adopted = send_create(client, send, look, shown, match_text(match))
    # After an unknown outcome the record adopted may be a concurrent run's namesake, and this run's own create may
    # have landed unseen: like a create sent twice, the run cannot tell which loser is its own.
    unsure = len(sent) > 1 or adopted
    if report is not None and unsure:
        report['resent'] = True
    if not settle:
        return record, adopted
    # A re-sent create may have a late twin from its first attempt: every new namesake that loses may be this run's.
    kept = resolve_namesakes(client, product, version, path, [(record, match)], key=key, known_sids=known_sids, unsure=unsure, removal=removal)[0]
    return kept, adopted or kept.get('sid') != record.get('sid')


def resolve_namesakes(
    client: TwilioClient,
    product: str,
    version: str,
    path: str,
    created: Sequence[tuple[Record, dict[str, Any]]],
    key: str | None = None,
    known_sids: Container[Any] = (),
    unsure: bool = False,
    removal: Callable[[str], str] | None = None,
) -> Records:
    """Make records this run just created converge with namesakes created by concurrent runs (module docstring, step 2).

    ``created`` is a list of ``(record, match)``; returns the record kept for each. Records in
    ``known_sids`` existed before this run's create and take no part. With ``unsure`` (a create was
    sent twice, or adopted after an unknown outcome), every new namesake that loses is deleted, not only
    this run's record: one may be this run's own create, committed late or never seen. ``removal(sid)`` is the task that deletes a leftover, for the
    message when a loser cannot be deleted (default: the API request).
    """
    if not created:
        return []
    shown = '/%s/%s' % (version, path.lstrip('/'))
    settle(client)
    records = client.list(product, version, path, key=key)
    mine = [r.get('sid') for r, dummy in created]
    if not set(mine) <= set(r.get('sid') for r in records):
        records = _until_listed(client, product, version, path, key, mine, records)
    result: Records = []
    for record, match in created:
        namesakes = sorted((r for r in records if r.get('sid') not in known_sids and all(r.get(k) == v for k, v in match.items())), key=age_key)
        winner = namesakes[0] if namesakes else record
        losers = [r for r in namesakes[1:] if unsure or r.get('sid') == record.get('sid')]
        if winner.get('sid') != record.get('sid') and record.get('sid') not in [r.get('sid') for r in namesakes]:
            result.append(record)  # never listed (warned): kept as it is
            continue
        for loser in losers:
            if loser.get('sid') == record.get('sid'):
                client._warn(
                    'Twilio API POST %s: a concurrent run created %s (%s) first; deleting %s, the duplicate this run created '
                    'seconds ago, and adopting %s' % (shown, winner.get('sid'), match_text(match), loser.get('sid'), winner.get('sid'))
                )
            else:
                client._warn(
                    'Twilio API POST %s: keeping %s (%s), the oldest; deleting %s, a younger duplicate (the outcome of this run\'s '
                    'create was unknown, so it may be that create, committed late or unseen)' % (shown, winner.get('sid'), match_text(match), loser.get('sid'))
                )
            try:
                client.delete(product, version, '%s/%s' % (path.rstrip('/'), loser['sid']))
            except TwilioError as exc:
                task = removal(loser['sid']) if removal else 'DELETE %s/%s' % (shown, loser['sid'])
                raise TwilioError(
                    'kept %s, the oldest service with %s, but could not delete %s, the duplicate this run created: %s. '
                    'Remove the leftover %s with: %s' % (winner.get('sid'), match_text(match), loser.get('sid'), exc.describe(), loser.get('sid'), task),
                    method='DELETE',
                    path='%s/%s' % (shown, loser.get('sid')),
                ) from exc
        result.append(winner)
    return result


def _until_listed(client: TwilioClient, product: str, version: str, path: str, key: str | None, sids: Sequence[Any], records: Records) -> Records:
    """The listing once it shows every record in ``sids`` (looked for on the retry loop), and once more ``SAME_SECOND`` later.

    A record the listing never shows within the budget is warned about by SID and kept as it is.
    """
    shown = '/%s/%s' % (version, path.lstrip('/'))
    latest = [records]

    def look() -> Records | None:
        latest[0] = client.list(product, version, path, key=key)
        return latest[0] if set(sids) <= set(r.get('sid') for r in latest[0]) else None

    started = time.monotonic()
    seen = client.poll(
        look,
        lambda number, budget, delay: (
            'Twilio API GET %s: the listing does not show the new %s yet; looking again (look %d, for up to retry_timeout %g s) in %.1fs'
            % (shown, ', '.join(s for s in sids if s not in set(r.get('sid') for r in latest[0])), number, client.retry_timeout, delay)
        ),
        # Bounded by retry_timeout, not by the number of retries: a lagging listing is healthy, only slow.
        budget=LISTING_LOOKS,
        delay=lambda number: min(LISTING_LOOK_GAP, backoff_delay(number + 1)),
    )
    if seen is None:
        missing = [s for s in sids if s not in set(r.get('sid') for r in latest[0])]
        client._warn(
            'Twilio API GET %s: the listing did not show the new %s within %.1f s; keeping %s without comparing it with '
            'namesakes a concurrent run may have created (look for duplicates of its name)'
            % (shown, ', '.join('%s' % s for s in missing), time.monotonic() - started, 'it' if len(missing) == 1 else 'them')
        )
        return latest[0]
    if client.create_settle:
        time.sleep(min(SAME_SECOND, client.create_settle))
    return client.list(product, version, path, key=key)


def settle(client: TwilioClient) -> None:
    """Wait ``create_settle`` seconds: namesakes that concurrent runs are creating now resolve meanwhile."""
    if client.create_settle:
        time.sleep(client.create_settle)


def create_keyed(client: TwilioClient, product: str, version: str, path: str, data: FormData, lookup: Callable[[], Record | None]) -> tuple[Record, bool]:
    """Create a record whose unique name Twilio enforces (409 on a taken name): ``(record, created)``.

    ``lookup()`` returns the record with this unique name or None. After an unknown outcome the
    record is looked up: found means the create went through and it is adopted; not found means the
    create is sent again (Twilio's uniqueness makes that safe: a late commit of the first attempt and
    the re-send cannot both succeed), honouring ``Retry-After``. A 409 adopts the record made
    meanwhile by someone else, with ``created`` False.
    """
    shown = '/%s/%s' % (version, path.lstrip('/'))

    def attempt(number: int) -> tuple[tuple[Record, bool] | None, TwilioError | None, float | None]:
        error: TwilioApiError | TwilioConnectionError
        try:
            body = client.request('POST', product, version, path, data=data, kind='create')[1]
            return (client.check_record(product, version, path, body, 'POST'), True), None, None
        except TwilioApiError as exc:
            if exc.status == 409:
                existing = lookup()
                if existing is None:
                    return None, exc, None
                client._warn('Twilio API POST %s: %s; it was created meanwhile by someone else, adopting %s' % (shown, exc, existing.get('sid')))
                return (existing, False), None, None
            if not unknown_outcome(exc):
                return None, exc, None
            error = exc
        except TwilioConnectionError as exc:
            if not unknown_outcome(exc):
                return None, exc, None
            error = exc
        existing = lookup()
        if existing is not None:
            client._warn('Twilio API POST %s: %s; the create went through, adopting %s' % (shown, error, existing.get('sid')))
            return (existing, True), None, None
        retry_after = getattr(error, 'retry_after', None)
        return None, error, retry_after if retry_after is not None else backoff_delay(number)

    return client._retrying(
        attempt,
        lambda error, number, budget, delay: 'Twilio API POST %s: %s; nothing was created, retry %d of %d in %.1fs' % (shown, error, number, budget, delay),
    )


def find_matching(
    client: TwilioClient, product: str, version: str, path: str, match: dict[str, Any], key: str | None = None, recheck_recent: bool = False
) -> Records:
    """The records matching ``match``. When several match, the list is read again ``create_settle`` apart (twice at
    most): namesakes that concurrent runs are creating right now resolve themselves within that time
    (:func:`resolve_namesakes`); lasting ones are returned.

    With ``recheck_recent``, one match younger than ``RECENT`` seconds (:func:`is_recent`) is looked at again after ``create_settle`` too: it may
    be a concurrent run's new record that loses, in that run's namesake check, to a namesake made in the same second
    (lower SID) but not listed yet; taking it would report a record that is deleted.
    """
    latest = [matching(client, product, version, path, match, key)]
    if not client.create_settle:
        return latest[0]
    if recheck_recent and len(latest[0]) == 1 and is_recent(client, latest[0][0]):
        settle(client)
        latest[0] = matching(client, product, version, path, match, key)
    if len(latest[0]) < 2:
        return latest[0]

    def look() -> Records | None:
        latest[0] = matching(client, product, version, path, match, key)
        return latest[0] if len(latest[0]) < 2 else None

    client.poll(
        look,
        lambda number, budget, delay: (
            'Twilio API GET /%s/%s: %d records match %s; looking again (%d of %d) in %.1fs, in case concurrent runs are resolving them'
            % (version, path.lstrip('/'), len(latest[0]), match_text(match), number, budget, delay)
        ),
        budget=1,
        delay=lambda number: client.create_settle,
        first=client.create_settle,
    )
    return latest[0]


def matching(client: TwilioClient, product: str, version: str, path: str, match: dict[str, Any], key: str | None) -> Records:
    return [r for r in client.list(product, version, path, key=key) if all(r.get(k) == v for k, v in match.items())]


def is_recent(client: TwilioClient, record: Record) -> bool:
    """Whether ``record`` is younger than ``RECENT`` seconds by Twilio's clock (its ``Date`` header), not the controller's."""
    try:
        created = calendar.timegm(time.strptime('%s' % record.get('date_created'), '%Y-%m-%dT%H:%M:%SZ'))
    except ValueError:
        return False
    now = client.twilio_now()
    if now is None:  # no answer carried a Date header (Twilio's always do): the controller's clock
        now = time.time()
    return now - created < RECENT


def age_key(record: Record) -> tuple[str, str]:
    """Sort key: oldest first (Twilio's ISO 8601 dates sort as text), then by SID for equal dates."""
    return ('%s' % (record.get('date_created') or ''), '%s' % (record.get('sid') or ''))


def match_text(match: dict[str, Any]) -> str:
    return ', '.join('%s=%s' % (k, one_line(repr(v), 80)) for k, v in sorted(match.items()))
