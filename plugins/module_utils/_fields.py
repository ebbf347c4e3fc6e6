# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""Field tables: one :class:`Field` per writable setting of a Twilio resource, and what follows from a table.

A field's kind decides its Ansible type (``argument_spec``), its validation before any request
(``Field.check``, raising :class:`OptionError`), how a value compares (``Field.normalise``) and its form
parameter (``Field.form``). ``desired``, ``differing``, ``predict``, ``view`` and ``module_args`` work on a
table. ``_resource.py`` re-exports every name, so modules use them as ``rl.Field``, ``rl.desired``...
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import copy
import difflib
import re
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:  # annotations only
    from collections.abc import Container, Iterable, Mapping, Sequence
    from typing import Any

    from ansible_collections.chatops.twilio.plugins.module_utils._client import Record
    from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

    #: A field's path in a record (also its option path below the resource's option).
    Path = tuple[str, ...]

# kind -> Ansible option type
_TYPES = {
    'name': 'str',
    'label': 'str',
    'str': 'str',
    'url': 'str',
    'sid': 'str',
    'method': 'str',
    'choice': 'str',
    'duration': 'str',
    'bool': 'bool',
    'int': 'int',
    'list': 'list',
}
METHODS = ('GET', 'POST')

# ISO 8601 durations with a fixed length: weeks, days, hours, minutes, seconds (P1DT2H, PT10M, PT90.5S).
# Years and months have no fixed length, so a minimum cannot be checked for them.
_DURATION_RE = re.compile(r'P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?')
_DURATION_UNITS = (7 * 86400, 86400, 3600, 60, 1)
# \Z, not $: $ also matches before a trailing newline, which would then go out in a URL or form.
_LABEL_CHARS_RE = re.compile(r'^[A-Za-z0-9-]+\Z')


# NUL and the other C0 and C1 control characters, DEL, the Unicode line and paragraph separators and the
# bidirectional overrides: they cut a name short in C code, end a line of a log or a --diff header, or reorder
# what a terminal shows. Free text (a notification template) may hold tabs and line breaks; a name may not.
_CONTROL_RE = re.compile('[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]')
_TEXT_CONTROL_RE = re.compile('[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]')


def control_character(text: str, free_text: bool = False) -> str | None:
    """The first control character of ``text``, escaped (``\\x00``), or None; ``free_text`` allows tab and line breaks."""
    match = (_TEXT_CONTROL_RE if free_text else _CONTROL_RE).search(text)
    return None if match is None else match.group().encode('unicode_escape').decode('ascii')


def near_miss(name: str, names: Iterable[str], cutoff: float = 0.85) -> str:
    """'; did you mean X?' when ``name`` is a near miss of one of ``names`` (letter case, a typo), else ''."""
    candidates = sorted(names)
    for candidate in candidates:
        if candidate.lower() == name.lower():
            return '; did you mean %s?' % candidate
    close = difflib.get_close_matches(name, candidates, n=1, cutoff=cutoff)
    return '; did you mean %s?' % close[0] if close else ''


def printable(text: str) -> str:
    """``text`` with every control character escaped (``\\x1b``, ``\\n``), for a name read from Twilio in a header or message."""
    return _CONTROL_RE.sub(lambda match: match.group().encode('unicode_escape').decode('ascii'), text)


class OptionError(ValueError):
    """An invalid module option, found before any request. ``TwilioModule.run`` turns it into ``fail_json``."""


def camel(name: str) -> str:
    """``with_media`` -> ``WithMedia``."""
    return ''.join(word.capitalize() for word in name.split('_'))


def duration_seconds(text: str) -> float | None:
    """Seconds of an ISO 8601 duration of weeks to seconds, or None when ``text`` is not one."""
    match = _DURATION_RE.fullmatch(text or '')
    if not match or not any(match.groups()) or text.endswith('T'):
        return None
    return sum(float(part) * unit for part, unit in zip(match.groups(), _DURATION_UNITS) if part)


class Field(object):
    """One writable setting of a resource.

    ``path`` is the setting's path in the resource's answer; the module option is ``parent + path``.
    ``rules`` by kind: ``max_len`` (name, str), ``prefix`` (sid: the two letters), ``minimum``/``maximum``
    (int, duration in seconds; ``between``: one message naming both), ``choices`` (choice, list), ``aliases``
    (the option's aliases), ``label`` and ``clearable`` (sid: "a role SID"; False refuses "").
    Kind ``label`` (a name that becomes part of a domain name: letters, digits and dashes, no dash at either end)
    has ``max_len``, ``empty_ok`` ("" allowed), ``chars_note`` (appended to the character rule's message) and
    ``not_sid`` ((prefix, title): refused when it looks like such a SID, which Twilio takes in its place).
    """

    __slots__ = ('path', 'kind', 'parent', 'rules')

    def __init__(self, path: Iterable[str], kind: str, parent: Iterable[str] = (), **rules: Any) -> None:
        self.path: Path = tuple(path)
        self.kind = kind
        self.parent: Path = tuple(parent)
        self.rules = rules

    def __repr__(self) -> str:
        return 'Field(%s)' % self.option

    @property
    def option(self) -> str:
        """Dotted option name for messages, e.g. ``notifications.new_message.with_media.enabled``."""
        return '.'.join(self.parent + self.path)

    @property
    def form(self) -> str:
        """Twilio's form parameter, e.g. ``NewMessage.WithMedia.Enabled``."""
        return '.'.join(camel(part) for part in self.path)

    def spec(self) -> dict[str, Any]:
        """The Ansible argument spec of the option."""
        spec: dict[str, Any] = dict(type=_TYPES[self.kind])
        if self.kind == 'method':
            spec['choices'] = list(METHODS)
        elif self.kind == 'choice':
            spec['choices'] = list(self.rules['choices'])
        elif self.kind == 'list':
            spec['elements'] = 'str'
        if self.rules.get('aliases'):
            spec['aliases'] = list(self.rules['aliases'])
        return spec

    # ---- validation --------------------------------------------------------------------------

    def check(self, value: Any) -> None:
        """Raise OptionError when ``value`` breaks a rule of the field.

        Values Ansible would convert silently (a dict for a string, true for an integer) never get here:
        ``TwilioModule`` refuses them for every module (``strict_type_error``).
        """
        check = getattr(self, '_check_' + self.kind, None)
        if check is not None:
            check(value)

    def _check_name(self, value: str) -> None:
        if not value.strip():
            raise OptionError('%s must not be empty' % self.option)
        found = control_character(value)
        if found:
            raise OptionError('%s must not contain control characters, got %s in %r' % (self.option, found, printable(value)[:120]))
        self._check_str(value)

    def renamed(self, option: str) -> Field:
        """The same field under another option name, for messages (``service``, ``environments[0].domain_suffix``)."""
        return Field((option,), self.kind, **self.rules)

    def _check_label(self, value: str) -> None:
        if value == '' and self.rules.get('empty_ok'):
            return
        if not value:
            raise OptionError('%s must not be empty' % self.option)
        limit = self.rules.get('max_len')
        if limit and len(value) > limit:
            raise OptionError('%s must be at most %d characters, got %d (%r)' % (self.option, limit, len(value), value))
        if not _LABEL_CHARS_RE.match(value):
            raise OptionError('%s may only contain letters, numbers and dashes%s, got %r' % (self.option, self.rules.get('chars_note', ''), value))
        if value.startswith('-') or value.endswith('-'):
            raise OptionError('%s must not start or end with a dash (it becomes part of a domain name), got %r' % (self.option, value))
        not_sid = self.rules.get('not_sid')
        if not_sid and re.fullmatch(r'%s[0-9a-fA-F]{32}' % not_sid[0], value):
            raise OptionError(
                '%s must not look like a %s (%s and 32 hexadecimal digits), got %r; Twilio '
                'accepts a unique name in place of the SID, so it would be ambiguous' % (self.option, not_sid[1], not_sid[0], value)
            )

    def _check_str(self, value: str) -> None:
        found = control_character(value, free_text=True)
        if found:
            raise OptionError('%s must not contain NUL or control characters other than tab and line breaks, got %s' % (self.option, found))
        limit = self.rules.get('max_len')
        if limit and len(value) > limit:
            raise OptionError('%s must be at most %d characters, got %d' % (self.option, limit, len(value)))

    def _check_sid(self, value: str) -> None:
        # rules: ``label`` (a "role SID"), ``clearable`` (False: "" is refused like any other non-SID), ``names``
        # (a value that is not a SID is a name, resolved later by ``_role_names``; "" stays refused).
        prefix, clearable = self.rules['prefix'], self.rules.get('clearable', True)
        # A value of the prefix and letters and digits only (RLnothex) is a mistyped SID, refused as one.
        if self.rules.get('names') and value.strip() and not re.fullmatch(r'%s[0-9A-Za-z]*' % prefix, value.strip()):
            found = control_character(value)
            if found:
                raise OptionError('%s must not contain control characters, got %s in %r' % (self.option, found, printable(value)[:120]))
            return
        if (value != '' or not clearable) and not re.fullmatch(r'%s[0-9a-fA-F]{32}' % prefix, value):
            raise OptionError(
                '%s must be a %sSID matching ^%s[0-9a-fA-F]{32}$%s, got %r'
                % (self.option, self.rules['label'] + ' ' if self.rules.get('label') else '', prefix, ' (or "" to clear it)' if clearable else '', value)
            )

    def _check_url(self, value: str) -> None:
        if value == '':
            return
        parts = urlsplit(value)
        if parts.scheme not in ('http', 'https') or not parts.netloc or any(c.isspace() for c in value):
            raise OptionError('%s must be an absolute http(s) URL (or "" to clear it), got %r' % (self.option, value))

    def _check_int(self, value: int) -> None:
        low, high = self.rules.get('minimum'), self.rules.get('maximum')
        if self.rules.get('between') and low is not None and high is not None and not low <= value <= high:  # one message for both bounds
            raise OptionError('%s must be between %d and %d, got %d' % (self.option, low, high, value))
        if low is not None and value < low:
            raise OptionError('%s must be %d or more, got %d' % (self.option, low, value))
        if high is not None and value > high:
            raise OptionError('%s must be %d or less, got %d' % (self.option, high, value))

    def _check_list(self, value: list[str]) -> None:
        if any(item == '' for item in value):
            raise OptionError('%s must not contain empty names (use [] to clear the list)' % self.option)
        for item in value:
            found = control_character(item)
            if found:
                raise OptionError('%s must not contain control characters, got %s in %r' % (self.option, found, printable(item)[:120]))
        allowed = self.rules.get('choices')
        unknown = [item for item in value if allowed and item not in allowed]
        if unknown:
            raise OptionError(
                '%s must contain only %s; got %s%s'
                % (self.option, ', '.join(sorted(allowed or ())), ', '.join(repr(u) for u in unknown), near_miss(unknown[0], allowed or (), 0.6))
            )
        # ``refuse_near_misses_of``: an open list (Twilio documents more names than it enforces, Chat's events):
        # only a near miss is refused. ``known`` (Conversations filters) is only warned about (``filter_warnings``).
        known = self.rules.get('refuse_near_misses_of') or ()
        for item in value:
            hint = near_miss(item, known) if item not in known else ''
            if hint:
                raise OptionError('%s: %r is not a known event%s (the known events: %s)' % (self.option, item, hint, ', '.join(sorted(known))))

    def _check_duration(self, value: str) -> None:
        if value == '':
            return
        seconds = duration_seconds(value)
        if seconds is None:
            raise OptionError(
                '%s must be an ISO 8601 duration of weeks, days, hours, minutes or seconds such as '
                'PT10M or P1DT12H (or "" to clear it), got %r' % (self.option, value)
            )
        minimum = self.rules.get('minimum')
        if minimum and seconds < minimum:
            raise OptionError('%s must be at least %d seconds (%s), got %r' % (self.option, minimum, 'PT%dM' % (minimum // 60), value))

    # ---- comparison --------------------------------------------------------------------------

    def normalise(self, value: Any) -> Any:
        """The comparable form of a value, the same for the user's side and Twilio's."""
        kind = self.kind
        if kind in ('name', 'str', 'url', 'sid', 'choice'):
            return '' if value is None else '%s' % value
        if kind == 'method':
            value = self.rules.get('unset') if value is None else value  # ``unset``: what Twilio uses for null
            return '' if value is None else ('%s' % value).upper()
        if kind == 'duration':
            text = '' if value is None else '%s' % value
            seconds = duration_seconds(text)
            return text if seconds is None else seconds
        if kind == 'list':
            return sorted(set('%s' % v for v in (value or []) if v != ''))
        if kind == 'int' and isinstance(value, str) and re.fullmatch(r'-?\d+', value.strip()):
            return int(value)
        return value

    def shown(self, value: Any) -> Any:
        """A value as the module reports and accepts it (module_args)."""
        if self.kind == 'method' and isinstance(value, str):
            return value.upper()
        if self.kind == 'list':
            return [v for v in (value or []) if v != '']
        return value


# ---- tables ----------------------------------------------------------------------------------------


def get_path(obj: Any, path: Iterable[str]) -> Any:
    for part in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(part)
    return obj


def set_path(obj: dict[str, Any], path: Sequence[str], value: Any) -> None:
    for part in path[:-1]:
        if not isinstance(obj.get(part), dict):
            obj[part] = {}
        obj = obj[part]
    obj[path[-1]] = value


def argument_spec(fields: Iterable[Field]) -> dict[str, Any]:
    """The nested argument spec of the fields' options (every option defaults to None)."""
    spec: dict[str, Any] = {}
    for field in fields:
        level = spec
        for part in (field.parent + field.path)[:-1]:
            level = level.setdefault(part, {'type': 'dict', 'options': {}})['options']
        level[(field.parent + field.path)[-1]] = field.spec()
    return spec


# The state option of every module that manages records.
STATE_OPTION = dict(type='str', choices=['present', 'absent'], default='present')


def record_spec(settings: Mapping[str, Any], **options: Any) -> dict[str, Any]:
    """The options of a module that manages one record found by ``sid`` or by name: ``state``, ``sid``, ``options``,
    then the record's ``settings`` (an ``argument_spec`` of its fields)."""
    spec: dict[str, Any] = dict(state=dict(STATE_OPTION), sid=dict(type='str'), **options)
    spec.update(settings)
    return spec


def desired(fields: Iterable[Field], params: Mapping[str, Any]) -> dict[Field, Any]:
    """``{Field: value}`` of the options the task sets, checked; raises OptionError."""
    result: dict[Field, Any] = {}
    for field in fields:
        value = get_path(params, field.parent + field.path)
        if value is not None:
            field.check(value)
            result[field] = value
    return result


def differing(fields: Iterable[Field], wanted: Mapping[Field, Any], record: Any, unknown: Container[Field] = ()) -> list[Field]:
    """The fields (in table order) whose wanted value differs from ``record``'s; ``unknown`` always differ."""
    return [f for f in fields if f in wanted and (f in unknown or f.normalise(wanted[f]) != f.normalise(get_path(record, f.path)))]


# Kinds whose "" clears the setting: Twilio then answers null, and so does a prediction.
_CLEARED_TO_NULL = ('str', 'url', 'sid', 'method', 'duration')


def predict(record: Record | None, fields: Iterable[Field], wanted: Mapping[Field, Any]) -> Record:
    """``record`` as it will look after writing ``fields`` (check mode, diff): a cleared setting is null, as Twilio answers."""
    result = copy.deepcopy(record or {})
    for field in fields:
        value = wanted[field]
        set_path(result, field.path, None if value == '' and field.kind in _CLEARED_TO_NULL else value)
    return result


def view(record: Record | None, fields: Iterable[Field]) -> Record:
    """Nested dict of the fields' values in ``record`` (a side of the diff)."""
    result: Record = {}
    for field in fields:
        set_path(result, field.path, get_path(record or {}, field.path))
    return result


def module_args(record: Record | None, fields: Iterable[Field]) -> dict[str, Any]:
    """Nested option dict that describes ``record`` as it is (null settings left out)."""
    args: dict[str, Any] = {}
    for field in fields:
        value = get_path(record or {}, field.path)
        if value is not None:
            set_path(args, field.parent + field.path, field.shown(value))
    return args


def shown_value(value: Any) -> str:
    """A value in a message, as YAML would show it."""
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if value is None:
        return 'null'
    return repr(value) if isinstance(value, (str, list)) else '%s' % value


def describe_unapplied(fields: Iterable[Field], wanted: Mapping[Field, Any], record: Any) -> str:
    """``option (sent X, Twilio has Y)`` for each field, for a message."""
    return ', '.join('%s (sent %s, Twilio has %s)' % (f.option, shown_value(wanted[f]), shown_value(get_path(record, f.path))) for f in fields)


def check_applied(
    module: TwilioModule, write: str, target: str, fields: Sequence[Field], wanted: Mapping[Field, Any], record: Record, changed: bool, key: str = 'record'
) -> None:
    """Fail, naming them, when Twilio answered a write (``creation``, ``update``) without applying some ``fields``.

    The comparison is the one of the next run (``differing``): reporting such a write as done would repeat it on
    every run with before equal to after. ``changed`` says whether the run changed something before this write.
    """
    unapplied = differing(fields, wanted, record)
    if unapplied:
        module.fail_json(
            msg='Twilio accepted the %s of %s but did not apply %s; the next run would send the same again'
            % (write, target, describe_unapplied(unapplied, wanted, record)),
            changed=changed or len(unapplied) < len(fields),
            not_applied=[f.option for f in unapplied],
            **{key: record},
        )
