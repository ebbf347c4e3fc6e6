# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""The flow of the set modules (``chat_services``, ``conversations_services``, ``serverless_environments``).

A set module converges a list of services of one account, each found by its exact name, in one
process and with the fewest requests:

1. :meth:`ServiceSet.wanted` reads the items before any request: each name once, the item's
   settings by the module's own check, a protected deletion confirmed by exact name, the stray pattern;
2. :meth:`ServiceSet.run` lists each collection the items use once (ceil(N/100) GETs), matches every
   item, and fails on an ambiguous name or an unconfirmed stray before any write; then creates the
   missing services (one namesake check per collection for all of them, so that concurrent runs
   converge on one service per name, see ``_create.py``), looks again at services found only seconds
   old by Twilio's clock (they may be a concurrent run's record that loses its namesake check),
   converges each item with the module's ``ensure_present``, deletes, purges the confirmed strays,
   confirms that every service it reports still exists (a young one may have lost a race meanwhile),
   and returns the result with one diff per changed service.

What is the module's own: the collection of an item, the check of its settings, how a present
service is converged, and what a deleted service shows in the diff.

A collection whose names Twilio keeps unique (a second create of a name is refused with 409, and the create
adopts the record that holds it), such as a Functions service's environments, needs no namesake protocol:
:meth:`ServiceSet.plan_keyed` matches the items in one listing and applies the collection's own rules through
a hook before any write (``serverless_environments``: the domain-suffix rule), and
:meth:`ServiceSet.converge_keyed` converges each item. Every per-item step of either flow runs ``parallelism``
items at a time (``_parallel.py``), reported in the order of the items.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import re
from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils import _conversations as conv
from ansible_collections.chatops.twilio.plugins.module_utils import _create as creates
from ansible_collections.chatops.twilio.plugins.module_utils import _parallel as parallel
from ansible_collections.chatops.twilio.plugins.module_utils import _resource as rl
from ansible_collections.chatops.twilio.plugins.module_utils import _set_rules as cs
from ansible_collections.chatops.twilio.plugins.module_utils._resource import OptionError, removal_task
from ansible_collections.chatops.twilio.plugins.module_utils._change import changed_paths, item_result

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Iterable, Mapping, Sequence
    from typing import Any, TypeVar

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record
    from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule
    from ansible_collections.chatops.twilio.plugins.module_utils._resource import Collection

    #: One item of the set as ``wanted`` checked it: name, state, collection, desired, protected, and, as the run
    #: goes, current (the listed record), created and adopted.
    Want = dict[str, Any]
    #: A module's step after a service is present (``finish(want, change, service, adopted)`` -> service).
    Finish = Callable[[Want, rl.Change, Record, bool], Record]
    #: The rules of a keyed collection (``plan(wanted)``: sets each item's ``action``, may fail the module; False
    #: when one item's write depends on another's, such as a domain that one frees and another takes).
    Plan = Callable[[list[Want]], bool]
    #: One item of a keyed collection converged (``step(want, change)`` -> the fields of its result entry).
    Step = Callable[[Want, rl.Change], dict[str, Any]]
    Item = TypeVar('Item')
    Result = TypeVar('Result')


def _key(collection: Collection) -> tuple[str, str, str]:
    return (collection.product, collection.version, collection.path)


def argument_spec(item_options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The options every set module has; ``item_options`` are the module's own options of an item."""
    item = dict(
        friendly_name=dict(type='str', required=True, aliases=['name']),
        state=dict(type='str', choices=['present', 'absent'], default='present'),
        settings=dict(type='dict', default={}),
        protected=dict(type='bool', default=False),
    )
    item.update(item_options or {})
    return dict(
        services=dict(type='list', elements='dict', required=True, options=item),
        stray_pattern=dict(type='str'),
        purge=dict(type='bool', default=False),
        confirm_delete=dict(type='list', elements='str', default=[]),
        parallelism=dict(type='int', default=parallel.DEFAULT),
    )


class ServiceSet(object):
    """One run of a set module.

    ``label`` names a service in messages (``chat service``), ``loses`` what deleting one destroys
    (``its channels, users and messages``), ``hint`` how to resolve an ambiguous name, ``lifecycle(collection)``
    the ``_resource.Lifecycle`` of a service of that collection (each item is converged or deleted by it, and it
    says what the diff shows), ``scope(collection)`` an addition to the name of a listing in a message
    (`` (Chat API v2)``), ``items`` the option that lists the items (each named by its collection's name field),
    ``default_sid()`` the SID of the account's default Conversations Service (no stray, never deleted; read only when a
    stray or a delete is in view).
    """

    def __init__(
        self,
        module: TwilioModule,
        label: str,
        loses: str,
        hint: str,
        lifecycle: Callable[[Collection], rl.Lifecycle],
        scope: Callable[[Collection], str] | None = None,
        default_sid: Callable[[], str | None] | None = None,
        items: str = 'services',
    ) -> None:
        self.module, self.items = module, items
        self.label, self.loses, self.hint = label, loses, hint
        self.lifecycle = lifecycle
        self.scope = scope or (lambda collection: '')
        self.default_sid = default_sid
        self.listed: dict[tuple[str, str, str], list[Record]] = {}

    # ---- before any request ------------------------------------------------------------------

    def wanted(self, collection_of: Callable[[dict[str, Any]], Collection], desired_of: Callable[[dict[str, Any], str], Any]) -> list[Want]:
        """``[{name, state, collection, desired, protected}]`` from the ``items`` option; fails before any request.

        ``collection_of(item)`` is the item's ``_resource.Collection`` (its name field names the item);
        ``desired_of(item, where)`` its checked settings (raising OptionError with a message that names ``where``,
        ``services[<index>]``).
        """
        module, params = self.module, self.module.params
        wanted = []
        seen: dict[str, int] = {}
        for index, item in enumerate(params[self.items]):
            where = '%s[%d]' % (self.items, index)
            collection = collection_of(item)
            field = collection.name.path[-1]
            name = item[field]
            if name in seen:
                module.fail_option(
                    '%s.%s %r is also %s[%d].%s; each %s may be listed once' % (where, field, name, self.items, seen[name], field, self.label.split()[-1])
                )
            seen[name] = index
            try:
                desired = desired_of(item, where)
            except OptionError as exc:
                module.fail_option('%s' % exc)
            if item['state'] == 'absent' and item.get('protected') and name not in params['confirm_delete']:
                module.fail_option(
                    'Refusing to delete the protected %s %r (%s): its exact name is not in '
                    'confirm_delete (deleting a service deletes %s). Nothing was changed.' % (self.label, name, where, self.loses)
                )
            wanted.append(dict(name=name, state=item['state'], collection=collection, desired=desired, protected=bool(item.get('protected'))))
        problem = parallel.check(params['parallelism'])
        if problem:
            module.fail_option(problem)
        if params.get('stray_pattern') is not None:
            try:
                re.compile(params['stray_pattern'])
            except re.error as exc:
                module.fail_option('stray_pattern is not a valid regular expression: %s' % exc)
        return wanted

    # ---- a collection whose names are unique ---------------------------------------------------

    def plan_keyed(self, wanted: list[Want], listed: Sequence[Record], plan: Plan) -> bool:
        """Attach each item's record from ``listed`` (the collection's one listing) and apply ``plan`` before any write.

        ``plan(wanted)`` is the collection's own rule (the domain-suffix rule of environments): it sets each item's
        ``action``, fails the module before any write, and returns whether the items are independent.
        """
        for want in wanted:
            field = want['collection'].name.path[-1]
            want['current'] = next((record for record in listed if record.get(field) == want['name']), None)
        return plan(wanted)

    def converge_keyed(self, wanted: list[Want], step: Step, independent: bool = True) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """(result entries, diffs) of the planned items, each converged by ``step(want, change)``, in the order of the items.

        ``parallelism`` items at a time when they are ``independent``; else one after the other, in their order.
        """

        def one(want: Want) -> tuple[dict[str, Any], list[dict[str, Any]]]:
            change, diffs = rl.Change(self.module), []  # type: ignore[var-annotated]
            fields = step(want, change)
            return item_result(self.module, diffs, change, want['name'], want['action'], **fields), diffs

        width = self.module.params['parallelism'] if independent else 1
        outcomes = parallel.in_order(self.module, wanted, one, width)
        return [result for result, dummy in outcomes], [diff for dummy, diffs in outcomes for diff in diffs]

    # ---- the run -----------------------------------------------------------------------------

    def run(self, wanted: list[Want], strays_in: Collection, finish: Finish | None = None) -> dict[str, Any]:
        """List, match, create, converge, delete and purge; the module result.

        ``strays_in`` is the collection whose listing finds the strays; ``finish(want, change, service, adopted)``
        (optional) converges what the item manages beyond the service record (its settings resources) and returns
        the service with them.
        """
        module, params = self.module, self.module.params
        self.list_each([strays_in] + [w['collection'] for w in wanted])
        strays = self.match(wanted, strays_in)
        by_sid = dict((s.get('sid'), s) for s in self.listing(strays_in))
        if not module.check_mode:
            self.create_missing(wanted)
            self.recheck_recent(wanted)

        diffs: list[dict[str, Any]] = []
        results = []
        for result, item_diffs in self.each(wanted, lambda want: self.converged(want, finish)):
            results.append(result)
            diffs.extend(item_diffs)
        if not module.check_mode:
            self.confirm_live(wanted, results, finish, diffs)

        purged = strays if params['purge'] else []
        for change, stray in zip(self.each(purged, lambda stray: self.purge(strays_in, by_sid[stray['sid']], stray['friendly_name'])), purged):
            if module._diff:
                diffs.append(dict(before=change.sides()[0], after={}, before_header=rl.printable(stray['friendly_name']), after_header='(deleted)'))

        # check_mode: a caller cannot tell otherwise (ansible_check_mode stays false under a task's check_mode: true)
        out = dict(changed=any(r['changed'] for r in results) or bool(purged), services=results, strays=strays, purged=purged, check_mode=module.check_mode)
        if module._diff:
            out['diff'] = diffs
        return out

    def each(self, items: Sequence[Item], work: Callable[[Item], Result]) -> list[Result]:
        """``[work(item) for item in items]``, ``parallelism`` at a time, in the order of the items (``_parallel.py``)."""
        return parallel.in_order(self.module, items, work, self.module.params['parallelism'])

    def converged(self, want: Want, finish: Finish | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """(result, diffs) of one item (:meth:`converge` for a worker: its diffs apart, joined in order by the run)."""
        diffs: list[dict[str, Any]] = []
        return self.converge(want, finish, diffs), diffs

    def purge(self, strays_in: Collection, stray: Record, name: str) -> rl.Change:
        """Delete a confirmed stray (predicted in check mode); its change."""
        change = rl.Change(self.module)
        self.lifecycle(strays_in).absent(change, stray, name)
        return change

    def converge(self, want: Want, finish: Finish | None, diffs: list[dict[str, Any]]) -> dict[str, Any]:
        """One item's result: its service kept (``ensure_present``) or deleted; its diff appended to ``diffs`` in diff mode."""
        present = want['state'] == 'present'
        action, service, change = self.ensure_present(want, finish) if present else self.ensure_absent(want)
        current = {} if want.get('created') else want['current'] or {}
        sid = service.get('sid') if present else None
        # An update names what it changes, with or without diff mode (the role's one-line plan shows it).
        settings = changed_paths(*change.sides()) if action == 'update' else []
        return item_result(
            self.module,
            diffs,
            change,
            want['name'],
            action,
            friendly_name=want['name'],
            state=want['state'],
            sid=sid,
            service=service,
            current=current,
            changed_settings=settings,
        )

    def confirm_live(self, wanted: list[Want], results: list[dict[str, Any]], finish: Finish | None, diffs: list[dict[str, Any]]) -> None:
        """Confirm that every service this run reports and that took part in a race still exists; converge the winner if not.

        A service this run created, adopted, or found young by Twilio's clock may be a record that loses its
        namesake race in a concurrent run after this run set it (the oldest wins, and the loser is deleted).
        One listing per collection of such services (none in a run that met no young service) finds the SIDs
        that are gone; each such item is converged again on the namesake that survives, twice at most.
        Reported SIDs are then live, and the desired settings are on the service that stays.
        """
        for dummy in range(2):
            racing = [
                (index, want)
                for index, want in enumerate(wanted)
                if want['state'] == 'present' and (want.get('created') or want.get('adopted') or want.get('recent')) and results[index]['sid']
            ]
            if not racing:
                return
            self.list_each([want['collection'] for dummy, want in racing])
            gone: list[tuple[int, Want]] = []
            for index, want in racing:
                listed = dict((s.get('sid'), s) for s in self.listing(want['collection']))
                if results[index]['sid'] not in listed:
                    gone.append((index, want))
                want['recent'] = want['created'] = False
                want['adopted'] = False
            for index, want in gone:
                namesakes = sorted(cs.matches_by_name(self.listing(want['collection']), want['name']), key=creates.age_key)
                if not namesakes:
                    self.module.fail_json(
                        msg='The %s %r (%s) that this run converged was deleted meanwhile, and no service of that name is left: run again'
                        % (self.label, want['name'], results[index]['sid'])
                    )
                self.module.warn(
                    '%s %r: %s, which this run converged, lost its namesake race to %s and is gone; converging %s instead'
                    % (self.label, want['name'], results[index]['sid'], namesakes[0].get('sid'), namesakes[0].get('sid'))
                )
                want['current'], want['adopted'], want['recent'] = namesakes[0], True, True
                results[index] = self.converge(want, finish, diffs)
        return

    def list_each(self, collections: Iterable[Collection]) -> None:
        """One listing per collection (in the order of product, version and path)."""
        by_key = dict((_key(c), c) for c in collections)
        for key in sorted(by_key):
            collection = by_key[key]
            with self.module.context('list', '%ss%s' % (self.label, self.scope(collection))):
                self.listed[key] = self.module.client.list(collection.product, collection.version, collection.path, key=collection.list_key)

    def listing(self, collection: Collection) -> list[Record]:
        return self.listed[_key(collection)]

    def match(self, wanted: list[Want], strays_in: Collection) -> list[dict[str, Any]]:
        """Attach each item's current record; fail on an ambiguous name or an unconfirmed stray (before any write).

        Several services with one name may be a race in progress: concurrent runs that created it resolve
        their namesakes within ``create_settle`` (``_create.resolve_namesakes``). So the collections
        with an ambiguous name are listed again that far apart, twice at most (on the client's retry loop,
        as ``_create.find_matching`` does for one name), before the name is called ambiguous.
        """
        module, params, client = self.module, self.module.params, self.module.client
        ambiguous = self.attach(wanted)
        if ambiguous and client.create_settle:

            def look() -> bool | None:
                self.list_each([want['collection'] for want, dummy in ambiguous])
                ambiguous[:] = self.attach(wanted)
                return None if ambiguous else True

            client.poll(
                look,
                lambda number, budget, delay: (
                    '%s %r matches %d %ss; looking again (%d of %d) in %.1fs, in case concurrent runs are resolving them'
                    % (self.label, ambiguous[0][0]['name'], len(ambiguous[0][1]), self.label, number, budget, delay)
                ),
                budget=1,
                delay=lambda number: client.create_settle,
                first=client.create_settle,
            )
        if ambiguous:
            want, matches = ambiguous[0]
            module.fail_json(
                msg='friendly_name %r matches %d %ss (%s); nothing was changed. %s'
                % (want['name'], len(matches), self.label, ', '.join(s.get('sid') or '?' for s in matches), self.hint),
                sids=[s.get('sid') for s in matches],
            )
        strays = cs.strays(self.listing(strays_in), [w['name'] for w in wanted], params['stray_pattern'])
        strays = self.keep_default(wanted, strays)
        if params['purge']:
            confirmed = set(params['confirm_delete'])
            unconfirmed = sorted(set(s['friendly_name'] for s in strays if s['friendly_name'] not in confirmed))
            if unconfirmed:
                module.fail_json(
                    msg='Refusing to delete the stray %s(s) %s (purge=true): not confirmed by exact name '
                    'in confirm_delete (deleting a service deletes %s). Nothing was changed.' % (self.label, ', '.join(unconfirmed), self.loses),
                    unconfirmed=unconfirmed,
                    strays=strays,
                )
        return strays

    def keep_default(self, wanted: list[Want], strays: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The strays without the account's default service; fails when an item would delete it (before any write).

        Twilio makes that service with every account and every listing shows it: it is no stray, and no item deletes
        it. Its SID is read once, only when there is a stray or a service to delete.
        """
        deleting = [want for want in wanted if want['state'] == 'absent' and want['current']]
        if self.default_sid is None or not (strays or deleting):
            return strays
        default_sid = self.default_sid()
        for want in deleting:
            conv.refuse_default_delete(self.module, want['current'], self.label, default_sid)
        return [stray for stray in strays if stray['sid'] != default_sid]

    def attach(self, wanted: list[Want]) -> list[tuple[Want, list[Record]]]:
        """Attach each item's current record from the listings; the ``(want, matches)`` of ambiguous names."""
        ambiguous: list[tuple[Want, list[Record]]] = []
        for want in wanted:
            matches = cs.matches_by_name(self.listing(want['collection']), want['name'])
            if len(matches) > 1:
                ambiguous.append((want, matches))
            want['current'] = matches[0] if matches else None
        return ambiguous

    def create_missing(self, wanted: list[Want]) -> None:
        """Create the services that do not exist yet, then check once per collection for namesakes.

        Each create skips the client's own namesake check; one listing after all of them does it for the
        set (a concurrent run that created the same name meanwhile wins if it was first, and the service
        this run made is deleted): the floor is one POST per new service plus one listing. ``created``
        marks a service this run made; ``adopted`` one it did not see being made (found after an
        interrupted create, or made first by a concurrent run), whose settings are not known.
        """
        client = self.module.client
        created: dict[Any, Any] = {}
        resent: dict[str, bool] = {}

        def create(want: Want) -> Record:
            collection = want['collection']
            name_field = collection.name.path[-1]
            report: dict[str, bool] = {}  # each worker its own, merged below
            with self.module.context('create', '%s %s' % (self.label, want['name'])):
                record, adopted = creates.create_unique(
                    client,
                    collection.product,
                    collection.version,
                    collection.path,
                    [(collection.name.form, want['name'])],
                    match={name_field: want['name']},
                    key=collection.list_key,
                    known_sids=set(),
                    settle=False,
                    report=report,
                )
            want['created'], want['adopted'] = True, adopted
            resent.update(report)
            return record

        # Creates of different names run in parallel; the namesake checks below wait until every create is done.
        missing = [want for want in wanted if want['state'] == 'present' and want['current'] is None]
        for want, record in zip(missing, self.each(missing, create)):
            created.setdefault(_key(want['collection']), []).append((want, record))
        for pairs in created.values():
            collection = pairs[0][0]['collection']
            name_field = collection.name.path[-1]
            with self.module.context('check for namesakes of', '%s %s' % (self.label, ', '.join(want['name'] for want, dummy in pairs))):
                kept = creates.resolve_namesakes(
                    client,
                    collection.product,
                    collection.version,
                    collection.path,
                    [(record, {name_field: want['name']}) for want, record in pairs],
                    key=collection.list_key,
                    unsure=bool(resent),
                    removal=removal_task(collection),
                )
            for (want, record), winner in zip(pairs, kept):
                want['current'] = winner
                want['adopted'] = want['adopted'] or winner.get('sid') != record.get('sid')

    def recheck_recent(self, wanted: list[Want]) -> None:
        """Look again at the services found (not created) that are less than ``_create.RECENT`` seconds old by Twilio's clock.

        Such a service may be a concurrent run's new record that loses, in that run's namesake check, to one
        another run made in the same second but that was not listed yet (the oldest wins, then the lowest
        SID). After ``create_settle`` the runs have resolved it: the rule's winner is taken instead. Age is
        judged by Twilio's clock (the ``Date`` of its answers), never the controller's, which may be ahead.
        Services found older cost nothing here, so a converged run stays at its floor.
        """
        client = self.module.client
        recent = [
            w for w in wanted if w['state'] == 'present' and w['current'] is not None and not w.get('created') and creates.is_recent(client, w['current'])
        ]
        if not recent or not client.create_settle:
            return
        creates.settle(client)
        self.list_each([want['collection'] for want in recent])
        for want in recent:
            want['recent'] = True
            namesakes = sorted(cs.matches_by_name(self.listing(want['collection']), want['name']), key=creates.age_key)
            if namesakes and namesakes[0].get('sid') != want['current'].get('sid'):
                want['current'], want['adopted'] = namesakes[0], True

    def ensure_present(self, want: Want, finish: Finish | None = None) -> tuple[str, Record, rl.Change]:
        """(action, service, change) of an item to keep: its service made so by the collection's lifecycle."""
        change = rl.Change(self.module)
        lifecycle = self.lifecycle(want['collection'])
        created, adopted = bool(want.get('created')), bool(want.get('adopted'))
        service, adopted = lifecycle.present(change, want['current'], want['desired'], want['name'], created, adopted)
        if finish is not None:
            service = finish(want, change, service, adopted)
        return ('create' if change.is_new else 'update' if change.changed else 'none'), service, change

    def ensure_absent(self, want: Want) -> tuple[str, Record, rl.Change]:
        """(action, service, change) of an item to delete (predicted in check mode)."""
        change = rl.Change(self.module)
        service = self.lifecycle(want['collection']).absent(change, want['current'], want['name'])
        return ('delete' if service else 'none'), service, change
