# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""What a run changes, and the settings resources (singletons) it reads and writes.

:class:`Change` collects ``changed`` and the diff of a record and its singletons, and predicts instead of writing in
check mode; :func:`read` and :func:`write` are a singleton's requests, each inside an explicit error context, a write
checked against Twilio's answer. Re-exported by ``_resource`` (``rl.Change``, ``rl.read``, ``rl.write``). For the set
modules, :func:`item_result` turns one item's change into its result entry and diff (re-exported by ``_service_set``).
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils._fields import check_applied, differing, predict, printable, view

if TYPE_CHECKING:  # annotations only
    from collections.abc import Container, Mapping, Sequence
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record
    from ansible_collections.chatops.twilio.plugins.module_utils._fields import Field
    from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule
    from ansible_collections.chatops.twilio.plugins.module_utils._resource import Singleton


def read(module: TwilioModule, singleton: Singleton, owner_sid: str | None = None, owner_label: str | None = None) -> Record:
    """The singleton's current record."""
    path = singleton.path_for(owner_sid)
    target = '%s of %s' % (singleton.label, owner_label) if owner_label else singleton.label
    with module.context('read', target):
        record = module.client.fetch(singleton.product, singleton.version, path)
    if record is None:
        module.fail_json(msg='Failed to read %s: Twilio answered that it does not exist (was it deleted meanwhile?)' % target)
    return record


def write(
    module: TwilioModule,
    singleton: Singleton,
    fields: Sequence[Field],
    wanted: Mapping[Field, Any],
    owner_sid: str | None = None,
    owner_label: str | None = None,
    changed: bool = False,
) -> Record:
    """POST ``fields`` to the singleton and return the answer; fails when the answer shows a field unapplied."""
    path = singleton.path_for(owner_sid)
    target = '%s of %s' % (singleton.label, owner_label) if owner_label else singleton.label
    with module.context('update', target):
        record = module.client.update(singleton.product, singleton.version, path, [(f.form, wanted[f]) for f in fields])
    check_applied(module, 'update', target, fields, wanted, record, changed)
    return record


class Change(object):
    """What a run changes, and the managed fields before and after (the diff).

    Call :meth:`created`, :meth:`deleted` or :meth:`found` for the record itself, then
    :meth:`settings` per managed singleton (or :meth:`singletons` for all of them); :meth:`result`
    builds the module result, :meth:`sides` gives the diff alone.
    """

    def __init__(self, module: TwilioModule) -> None:
        self.module = module
        self.changed = False
        self.before: dict[str, Any] = {}
        self.after: dict[str, Any] = {}
        self.is_new = self.is_gone = False

    def created(self, shown: Mapping[str, Any]) -> None:
        self.changed = self.is_new = True
        self.after.update(shown)

    def deleted(self, shown: Mapping[str, Any], deleted: bool = True) -> None:
        self.changed = deleted
        self.is_gone = True
        self.before.update(shown)

    def found(self, shown: Mapping[str, Any]) -> None:
        self.before.update(shown)
        self.after.update(shown)

    def updated(self, shown: Mapping[str, Any], changed: bool = True) -> None:
        """The record after a write to it (or after none, ``changed`` False): ``shown`` is its after side."""
        self.changed = self.changed or changed
        self.after.update(shown)

    def settings(
        self,
        singleton: Singleton,
        current: Record,
        wanted: Mapping[Field, Any],
        owner_sid: str | None = None,
        owner_label: str | None = None,
        unknown: Container[Field] = (),
    ) -> Record:
        """Make the singleton's fields in ``wanted`` so (predicted in check mode); returns its record after.

        ``current`` is its record now; ``unknown`` are fields whose current value is not known (always sent).
        """
        managed = [f for f in singleton.fields if f in wanted]
        delta = differing(singleton.fields, wanted, current, unknown)
        if not delta:
            record = current
        elif self.module.check_mode:
            record = predict(current, delta, wanted)
        else:
            record = write(self.module, singleton, delta, wanted, owner_sid, owner_label, self.changed)
        self.changed = self.changed or bool(delta)
        self._side(self.before, singleton, view(current, managed), skip=self.is_new)
        self._side(self.after, singleton, view(record, managed))
        return record

    def singletons(
        self, singletons: Sequence[Singleton], owner: Mapping[str, Any], wanted: Mapping[Field, Any], label: str | None, fresh: bool
    ) -> dict[str, Any]:
        """``owner`` with, under each singleton's option, the singleton's record after making ``wanted`` so.

        ``owner`` is the record the singletons belong to (``{}`` for account-level ones, which have no SID).
        ``fresh``: this run created the owner, so each singleton has its documented defaults (nothing is
        read; fields without a documented default are always written); else each singleton is read.
        """
        record = dict(owner)
        for singleton in singletons:
            unknown: list[Field] = []
            if fresh:
                current, unknown = singleton.fresh()
            else:
                current = read(self.module, singleton, owner.get('sid'), label)
            after = self.settings(singleton, current, wanted, owner.get('sid'), label, unknown)
            if singleton.option:
                record[singleton.option] = after
            else:
                record.update(after)
        return record

    @staticmethod
    def _side(side: dict[str, Any], singleton: Singleton, shown: dict[str, Any], skip: bool = False) -> None:
        if skip or not shown:
            return
        if singleton.option:
            side[singleton.option] = shown
        else:
            side.update(shown)

    def sides(self) -> tuple[dict[str, Any], dict[str, Any]]:
        """(before, after) of the diff: ``{}`` before a create and after a delete."""
        return ({} if self.is_new else self.before), ({} if self.is_gone else self.after)

    def result(self, key: str, obj: Any, **extra: Any) -> dict[str, Any]:
        before, after = self.sides()
        result = self.module.change_result(self.changed, key, obj, before, after)
        result.update(extra)
        return result


# ---- a set module's items -----------------------------------------------------------------------------


def add_diff(module: TwilioModule, diffs: list[dict[str, Any]], change: Change, header: str) -> None:
    """Append the diff of a change to a set module's list of diffs (in diff mode, when something changed)."""
    if module._diff and change.changed:
        before, after = change.sides()
        diffs.append(dict(before=before, after=after, before_header=printable(header), after_header=printable(header)))


def changed_paths(before: Mapping[str, Any], after: Mapping[str, Any], prefix: str = '') -> list[str]:
    """The dotted names of the settings whose value differs between ``before`` and ``after`` (names only: a value may be a secret)."""
    paths: list[str] = []
    for key in sorted(set(before) | set(after), key=str):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            paths.extend(changed_paths(old, new, '%s%s.' % (prefix, key)))
        else:
            paths.append('%s%s' % (prefix, key))
    return paths


def item_result(module: TwilioModule, diffs: list[dict[str, Any]], change: Change, header: str, action: str, **fields: Any) -> dict[str, Any]:
    """The result entry of one item of a set: ``fields``, its ``action``, ``changed`` and its diff (also appended to ``diffs``)."""
    before, after = change.sides()
    add_diff(module, diffs, change, header)
    return dict(fields, action=action, changed=action != 'none', diff=dict(before=before, after=after) if module._diff else {})
