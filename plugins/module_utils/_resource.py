# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""The resource layer: field tables, find / create / update / delete, and the change and diff flow.

A Twilio resource is described once, as data:

* a :class:`Field` per writable setting (``_fields.py``, re-exported here): its path in the answer
  (which is also the module option path below the resource's option), its kind (which decides
  validation, normalisation and the Ansible type) and the form parameter (derived by rule:
  ``new_message.with_media.enabled`` -> ``NewMessage.WithMedia.Enabled``);
* a :class:`Collection` (records with SIDs, found by SID or by a name field) or a
  :class:`Singleton` (a settings resource that always exists, such as a service's
  ``Configuration``).

The functions below do the HTTP work through the shared ``TwilioClient`` with an explicit
error context (``module.context``), and :class:`Change` collects ``changed`` and the diff:
in check mode it predicts instead of writing. :class:`Lifecycle` is the one lifecycle of a
record (guards, delete, create -> check applied -> update once), shared by the single-resource
modules and each item of a set. A module is then: argument spec from the table, read current,
``Lifecycle`` (and ``Change.settings`` for singletons), return.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import copy
import re
from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils._change import Change, read, write
from ansible_collections.chatops.twilio.plugins.module_utils._endpoints import declare_sid_prefix

# The field tables (_fields.py), re-exported: modules use them as rl.Field, rl.desired...
from ansible_collections.chatops.twilio.plugins.module_utils._fields import (
    Field,
    OptionError,
    argument_spec,
    camel,
    check_applied,
    control_character,
    describe_unapplied,
    desired,
    differing,
    get_path,
    module_args,
    near_miss,
    predict,
    printable,
    set_path,
    shown_value,
    view,
)
from ansible_collections.chatops.twilio.plugins.module_utils import _create as creates

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Container, Iterable, Mapping, Sequence
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import FormData, Record
    from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

    #: A field's path in a record (also its option path below the resource's option).
    Path = tuple[str, ...]

__all__ = [  # the field tables' names and _change's, re-exported (the names defined below are this file's own)
    'Change',
    'Field',
    'OptionError',
    'argument_spec',
    'camel',
    'check_applied',
    'control_character',
    'describe_unapplied',
    'desired',
    'differing',
    'get_path',
    'module_args',
    'near_miss',
    'predict',
    'printable',
    'read',
    'set_path',
    'shown_value',
    'view',
    'write',
]


# ---- resources ---------------------------------------------------------------------------------------


class Collection(object):
    """Records with SIDs at ``path`` (``Services``): listed, created, fetched and deleted.

    ``name`` is the Field of the name that finds a record when no SID is given; ``unique`` says whether
    Twilio enforces it (then creates go through ``create_keyed``, else ``create_unique``).
    """

    def __init__(
        self,
        product: str,
        version: str,
        path: str,
        label: str,
        sid_prefix: str,
        name: Field,
        unique: bool = False,
        list_key: str | None = None,
        page_size: int | None = None,
        sid_title: str | None = None,
        cap: int | None = None,
    ) -> None:
        self.product, self.version, self.path = product, version, path
        self.cap = cap  # Twilio's documented default limit of such records per account (None: none documented)
        self.label, self.sid_prefix, self.name = label, sid_prefix, name
        self.unique, self.list_key, self.page_size = unique, list_key, page_size
        self.sid_title = sid_title or label  # how a message names its SIDs ("a Chat Service SID")
        declare_sid_prefix(product, path, sid_prefix)  # the client refuses a SID of another kind in this collection's paths

    def item_path(self, sid: str) -> str:
        return '%s/%s' % (self.path, sid)

    def check_sid(self, sid: str | None, option: str = 'sid') -> None:
        if sid is not None and not re.fullmatch(r'%s[0-9a-fA-F]{32}' % self.sid_prefix, sid):
            raise OptionError('%s must be a %s SID matching ^%s[0-9a-fA-F]{32}$, got %r' % (option, self.sid_title, self.sid_prefix, sid))

    def describe(self, ident: str | None) -> str:
        return '%s %s' % (self.label, ident) if ident else self.label


class Singleton(object):
    """A settings resource that always exists (GET and POST, every parameter optional).

    ``path`` may hold ``{sid}``, the owner's SID. ``option`` is the module option holding its fields
    (None: top-level options). ``defaults`` are the values of a newly created owner that Twilio
    documents; fields without a known default are always written when the task sets them.
    """

    def __init__(
        self, product: str, version: str, path: str, label: str, fields: Iterable[Field], option: str | None = None, defaults: Mapping[Path, Any] | None = None
    ) -> None:
        self.product, self.version, self.path, self.label = product, version, path, label
        self.fields, self.option, self.defaults = tuple(fields), option, defaults or {}

    def path_for(self, owner_sid: str | None = None) -> str:
        return self.path.replace('{sid}', owner_sid or '')

    def fresh(self) -> tuple[Record, list[Field]]:
        """(record, unknown fields) of a newly created owner, from the documented defaults."""
        record: Record = {}
        for field in self.fields:
            if field.path in self.defaults:
                set_path(record, field.path, copy.deepcopy(self.defaults[field.path]))
        return record, [f for f in self.fields if f.path not in self.defaults]


# ---- operations (every request inside an explicit error context) ---------------------------------


def fetch(module: TwilioModule, collection: Collection, sid: str, label: str | None = None) -> Record | None:
    """The record with this SID (or another key Twilio takes in its URL, such as a unique name), or None."""
    with module.context('fetch', collection.describe(label or sid)):
        return module.client.fetch(collection.product, collection.version, collection.item_path(sid))


def find(module: TwilioModule, collection: Collection, sid: str | None = None, name: str | None = None) -> Record | None:
    """The record by SID, else by its name (None when there is none); several namesakes fail the module."""
    if sid:
        return fetch(module, collection, sid)
    field = collection.name.path[-1]
    with module.context('look up', collection.describe(name)):
        # A young record may be a concurrent run's that loses to a same-second namesake not listed yet: looked at again.
        matches = creates.find_matching(
            module.client, collection.product, collection.version, collection.path, {field: name}, key=collection.list_key, recheck_recent=not collection.unique
        )
    if len(matches) > 1:
        sids = [r.get('sid') for r in matches]
        module.fail_json(
            msg='%s %r matches %d %ss (%s); set sid to choose one' % (field, name, len(matches), collection.label, ', '.join(s or '?' for s in sids)), sids=sids
        )
    return matches[0] if matches else None


def listing(module: TwilioModule, collection: Collection, owner_label: str | None = None) -> list[Record]:
    """Every record of the collection; ``owner_label`` names the record it belongs to, for a message."""
    page_size: dict[str, Any] = {'page_size': collection.page_size} if collection.page_size else {}
    with module.context('list', '%ss%s' % (collection.label, ' of %s' % owner_label if owner_label else '')):
        return module.client.list(collection.product, collection.version, collection.path, key=collection.list_key, **page_size)


def matching(module: TwilioModule, collection: Collection, sid: str | None = None, name: str | None = None) -> list[Record]:
    """What an info module reports: the record with this SID (or URL key, one fetch), else those named ``name`` exactly,
    else every record (one listing); ``[]`` when none."""
    if sid:
        record = fetch(module, collection, sid)
        return [record] if record else []
    field = collection.name.path[-1]
    return [record for record in listing(module, collection) if name is None or record.get(field) == name]


def create(
    module: TwilioModule, collection: Collection, data: FormData, name: str, lookup: Callable[[], Record | None] | None = None, label: str | None = None
) -> tuple[Record, bool]:
    """Create a record named ``name`` without ever making a duplicate: ``(record, adopted)``.

    A name Twilio does not keep unique goes through ``_create.create_unique`` (after a listing that
    found no namesake: it lists again after the create until it sees its record, to converge with
    concurrent runs); a unique one through ``_create.create_keyed``, whose ``lookup`` (default: a listing filtered by name) finds the
    record a 409 says exists. ``label`` names the record in a message (default: ``name``).
    """
    client, field = module.client, collection.name.path[-1]
    with module.context('create', collection.describe(label or name)):
        if collection.unique:
            record, created = creates.create_keyed(
                client,
                collection.product,
                collection.version,
                collection.path,
                data,
                lookup
                or (
                    lambda: next(
                        iter(creates.find_matching(client, collection.product, collection.version, collection.path, {field: name}, key=collection.list_key)),
                        None,
                    )
                ),
            )
            return record, not created
        return creates.create_unique(
            client,
            collection.product,
            collection.version,
            collection.path,
            data,
            match={field: name},
            key=collection.list_key,
            known_sids=set(),
            removal=removal_task(collection),
        )


def removal_task(collection: Collection) -> Callable[[str], str]:
    """The task that deletes a leftover duplicate by SID, for the message of a run that could not delete it."""
    module = {'chat': 'chat_service', 'conversations': 'conversations_service', 'serverless': 'serverless_service'}.get(collection.product)
    if module is None:
        return lambda sid: 'DELETE /%s/%s/%s' % (collection.version, collection.path, sid)
    return lambda sid: 'chatops.twilio.%s: {sid: %s, state: absent}' % (module, sid)


def delete(module: TwilioModule, collection: Collection, sid: str, label: str | None = None) -> bool:
    """True when this call deleted the record, False when it was already gone."""
    with module.context('delete', collection.describe(label or sid)):
        return module.client.delete(collection.product, collection.version, collection.item_path(sid))


def update(
    module: TwilioModule,
    collection: Collection,
    record: Record,
    fields: Sequence[Field],
    wanted: Mapping[Field, Any],
    label: str | None,
    changed: bool = False,
    key: str = 'record',
) -> Record:
    """POST ``fields`` to a record of the collection and return the answer, checked like :func:`write`."""
    target = collection.describe(label)
    with module.context('update', target):
        answer = module.client.update(collection.product, collection.version, collection.item_path(record['sid']), [(f.form, wanted[f]) for f in fields])
    check_applied(module, 'update', target, fields, wanted, answer, changed, key)
    return answer


class Lifecycle(object):
    """The lifecycle of one record of a collection: the same steps for a single-resource module and each item of a set.

    A small state machine. The lookup leaves the record FOUND or MISSING, and :meth:`guard` checks the SID and name
    before any write; then

    * ``absent`` (:meth:`absent`): FOUND -> delete, or predict it in check mode -> GONE; MISSING stays so;
    * ``present`` (:meth:`present`): MISSING -> create with the name and ``create_fields`` -> check that Twilio
      applied what was sent -> CREATED (a create that finds the record made meanwhile ADOPTS it); then FOUND or
      CREATED -> update the differing ``fields`` once, checked the same way. Check mode predicts every write.

    What a module gives is what differs: the ``collection``, the record's own writable ``fields`` (those a create
    sends: ``create_fields``, else the name only), ``new_record`` (the fields Twilio documents for a new record, for
    check mode), ``shown(record, managed)`` (a side of the diff, default :func:`view`), ``key`` (the record's key in
    a failure), ``lookup`` (how a create finds the record a 409 says exists), ``new_shows`` (the fields the diff
    shows for a new record, default the managed ones), ``resolve(record, wanted, created)`` (the wanted values with
    names of other records replaced by their SIDs, once the record exists: ``_role_names``). ``ServiceSet`` runs :meth:`present`
    and :meth:`absent` per item after creating its missing services together (``created``).
    """

    def __init__(
        self,
        module: TwilioModule,
        collection: Collection,
        fields: Sequence[Field] = (),
        create_fields: Sequence[Field] = (),
        new_record: Mapping[str, Any] | None = None,
        shown: Callable[[Record | None, Sequence[Field]], dict[str, Any]] | None = None,
        key: str = 'record',
        lookup: Callable[[], Record | None] | None = None,
        new_shows: Sequence[Field] | None = None,
        resolve: Callable[[Record, Mapping[Field, Any], bool], Mapping[Field, Any]] | None = None,
    ) -> None:
        self.module, self.collection, self.fields, self.create_fields = module, collection, tuple(fields), tuple(create_fields)
        self.resolve = resolve
        self.new_shows = new_shows
        self.new_record, self.key, self.lookup = dict(new_record or {}), key, lookup
        self.shown = shown or (lambda record, managed: view(record, managed) if record else {})

    def guard(self, current: Record | None, sid: str | None, name: str | None, state: str, immutable: str | None = None, scope: str = '') -> None:
        """The SID and name guards, before any write.

        With both ``sid`` and ``name``, a record that has another name is not deleted (the SID may be a slip), and
        not kept either when its name cannot change: ``immutable`` is then the message (``%(sid)s``, ``%(name)r``,
        ``%(current)r``). A SID that finds nothing cannot be created: Twilio assigns SIDs. ``scope`` follows the
        record in a message (`` (Chat API v2)``).
        """
        module, label, field = self.module, self.collection.label, self.collection.name.path[-1]
        if current is not None and sid and name is not None and current.get(field) != name:
            if immutable:
                module.fail_json(msg=immutable % dict(sid=sid, name=name, current=current.get(field)), **{self.key: current})
            if state == 'absent':
                module.fail_json(
                    msg='%s %s has %s %r, not %r: refusing to delete it. Check sid, or leave %s out to delete by sid alone'
                    % (label, sid, field, current.get(field), name, field),
                    **{self.key: current},
                )
        if state == 'present' and current is None and sid:
            module.fail_json(
                msg='%s %s does not exist%s; Twilio assigns SIDs, so to create a %s set %s without sid' % (label, sid, scope, label.split()[-1], field)
            )

    def absent(self, change: Change, current: Record | None, label: str | None = None) -> Record:
        """The record that was (or in check mode would be) deleted, ``{}`` when there was none."""
        if current is None:
            return {}
        deleted = self.module.check_mode or delete(self.module, self.collection, current['sid'], label or current.get(self.collection.name.path[-1]))
        change.deleted(self.shown(current, self.fields), deleted)
        return current

    def warn_at_cap(self, label: str) -> None:
        """Check mode, before a predicted create: warn when the account already holds the collection's ``cap`` records.

        The real run's create would be refused by Twilio (code 20001) at the default limit; the warning says so
        instead of predicting a create that cannot happen. It costs one listing, only in a check-mode create of a
        collection with a documented cap (Functions services: 50). A warning, not a failure: Twilio raises the
        limit of an account on request, which the API does not tell.
        """
        collection = self.collection
        if collection.cap is None:
            return
        count = len(listing(self.module, collection))
        if count >= collection.cap:
            self.module.warn(
                'check mode: creating %s would be refused: the account already has %d %ss, and Twilio allows %d by default '
                '(the create fails with code 20001 unless Twilio raised this account\'s limit)'
                % (collection.describe(label), count, collection.label, collection.cap)
            )

    def present(
        self, change: Change, current: Record | None, wanted: Mapping[Field, Any], label: str | None = None, created: bool = False, adopted: bool = False
    ) -> tuple[Record, bool]:
        """``(record, adopted)``: the record after it exists with the ``wanted`` fields (predicted in check mode).

        ``created``: the caller created ``current`` already (a set creates its missing services together), and
        ``adopted`` says that it is a namesake made by someone else.
        """
        module, collection = self.module, self.collection
        managed = [f for f in self.fields if f in wanted]
        name: str = wanted.get(collection.name) or ''
        label = label or name
        if current is None and module.check_mode:
            self.warn_at_cap(label)
            current, created = dict(self.new_record, sid=None, **{collection.name.path[-1]: name}), True
        elif current is None:
            sent = [collection.name] + [f for f in self.create_fields if f in wanted and f is not collection.name]
            current, adopted = create(module, collection, [(f.form, wanted[f]) for f in sent], name, self.lookup, label)
            created = True
            if not adopted:
                check_applied(module, 'creation', collection.describe(label), sent, wanted, current, True, self.key)
        if created and not (adopted and collection.unique):
            # A unique name's 409 adopts a record this run did not make (converged like a found one); an adopted
            # namesake (create_unique) follows a create of this run, made and then given up for the older one.
            change.created({})
            managed = list(self.new_shows) if self.new_shows is not None else managed
        else:
            change.found(self.shown(current, managed))
        if self.resolve is not None:  # values that name other records (a role by name), once the record exists
            wanted = self.resolve(current, wanted, created and not adopted)
        delta = differing(self.fields, wanted, current)
        if not delta:
            record = current
        elif module.check_mode:
            record = predict(current, delta, wanted)
        else:
            record = update(module, collection, current, delta, wanted, label, change.changed, self.key)
        change.updated(self.shown(record, managed), bool(delta))
        return record, adopted
