"""Form-parameter tables, parsing and validation shared by the resource modules.

Each product module describes its parameters as :class:`Param` rows.  A row
knows how to turn the raw form values of one parameter into a Python value
(``None`` means "cleared"), raising Twilio's 400 / 20001 error otherwise.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlsplit

from .errors import invalid_param, missing_param

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable, Iterator, Mapping, Sequence
    from typing import Any

    from .errors import TwilioError

    #: A decoded form body or query string: ``{name: [values]}``.
    Form = dict[str, list[str]]
    #: The validated parameters of a write, in table order.
    Changes = list[tuple["Param", Any]]


class UnknownParams:
    """How one request treats form parameters its operation does not take, and which it got.

    Twilio ignores such a parameter (the Serverless Toolkit sends ``FriendlyName`` when it creates an
    environment, and that works), so by default they are ignored and only named here for the request
    log. ``strict`` answers 400 / 20001 instead: the collection's own tests use it to prove that the
    collection never sends a parameter an operation does not take.
    """

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.names: list[str] = []


_UNKNOWN: contextvars.ContextVar[UnknownParams | None] = contextvars.ContextVar("unknown_params", default=None)


@contextlib.contextmanager
def unknown_params(strict: bool) -> Iterator[UnknownParams]:
    """Within one request (one thread): collect the unknown parameters :func:`validate` meets, or refuse them when ``strict``."""
    record = UnknownParams(strict)
    token = _UNKNOWN.set(record)
    try:
        yield record
    finally:
        _UNKNOWN.reset(token)


_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")
_HTTP_METHODS = ("GET", "POST")
URL_FRIENDLY = re.compile(r"^[A-Za-z0-9-]+$")


def snake(name: str) -> str:
    """``CompatibilityMessage`` -> ``compatibility_message``."""
    return _CAMEL.sub("_", name).lower()


def target_path(form_name: str) -> tuple[str, ...]:
    """``Notifications.NewMessage.Enabled`` -> ``("notifications", "new_message", "enabled")``."""
    return tuple(snake(part) for part in form_name.split("."))


def parse_form(body: bytes, content_type: str | None) -> Form:
    """Decode an ``application/x-www-form-urlencoded`` body into ``{name: [values]}``."""
    if not body:
        return {}
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype not in ("", "application/x-www-form-urlencoded"):
        raise invalid_param("Unsupported Content-Type %s: send application/x-www-form-urlencoded" % ctype)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise invalid_param("Request body is not valid UTF-8") from exc
    return parse_qs(text, keep_blank_values=True)


class Param:
    """One form parameter: its wire name, kind and constraints.

    kinds: ``str``, ``bool``, ``int``, ``uri``, ``method`` (GET/POST), ``sid``
    (``prefix`` gives the two-letter SID prefix) and ``list`` (repeated key).
    ``choices`` closes a ``str`` or the items of a ``list`` to an enumeration.
    """

    def __init__(
        self,
        name: str,
        kind: str = "str",
        versions: tuple[str, ...] | None = None,
        max_len: int | None = None,
        minimum: int | None = None,
        maximum: int | None = None,
        prefix: str | None = None,
        pattern: re.Pattern[str] | None = None,
        pattern_text: str | None = None,
        required: bool = False,
        clearable: bool = True,
        choices: Iterable[str] | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        self.path = target_path(name)
        self.versions = versions
        self.max_len = max_len
        self.minimum = minimum
        self.maximum = maximum
        self.prefix = prefix
        self.pattern = pattern
        self.pattern_text = pattern_text
        self.required = required
        self.clearable = clearable
        self.choices = tuple(choices) if choices else None

    def coerce(self, values: list[str]) -> Any:
        """Validate the raw values of this parameter; return the Python value (``None`` = clear)."""
        if self.kind == "list":
            items = [value for value in values if value != ""]
            for item in items:
                self._check_choice(item)
            return items
        raw = values[0]
        if raw == "":
            if self.required:
                raise invalid_param("Parameter %s must not be empty" % self.name)
            if self.clearable and self.kind in ("str", "uri", "method", "sid"):
                return None
            raise invalid_param("Invalid value '' for parameter %s: expected %s" % (self.name, self._expected()))
        return getattr(self, "_coerce_" + self.kind)(raw)

    def _expected(self) -> str:
        if self.choices is not None:
            return "one of " + ", ".join(self.choices)
        return {"bool": "true or false", "int": "an integer", "uri": "an absolute URL", "method": "GET or POST", "sid": "a %s SID" % self.prefix}.get(
            self.kind, "a string"
        )

    def _bad(self, raw: str, why: str | None = None) -> TwilioError:
        return invalid_param("Invalid value '%s' for parameter %s: %s" % (raw, self.name, why or "expected " + self._expected()))

    def _coerce_str(self, raw: str) -> str:
        if self.max_len is not None and len(raw) > self.max_len:
            raise self._bad(raw[:80], "must be at most %d characters long" % self.max_len)
        if self.pattern is not None and not self.pattern.match(raw):
            raise self._bad(raw[:80], self.pattern_text)
        self._check_choice(raw)
        return raw

    def _check_choice(self, raw: str) -> None:
        if self.choices is not None and raw not in self.choices:
            raise self._bad(raw[:80])

    def _coerce_bool(self, raw: str) -> bool:
        lowered = raw.lower()
        if lowered not in ("true", "false"):
            raise self._bad(raw)
        return lowered == "true"

    def _coerce_int(self, raw: str) -> int:
        if not re.match(r"^[+-]?[0-9]+$", raw):
            raise self._bad(raw)
        value = int(raw)
        if (self.minimum is not None and value < self.minimum) or (self.maximum is not None and value > self.maximum):
            raise self._bad(raw, "must be between %s and %s" % (self.minimum, self.maximum))
        return value

    def _coerce_uri(self, raw: str) -> str:
        parts = urlsplit(raw)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c.isspace() for c in raw):
            raise self._bad(raw[:200])
        return raw

    def _coerce_method(self, raw: str) -> str:
        if raw.upper() not in _HTTP_METHODS:
            raise self._bad(raw[:20])
        return raw.upper()

    def _coerce_sid(self, raw: str) -> str:
        if not re.match(r"^%s[0-9a-fA-F]{32}$" % self.prefix, raw):
            raise self._bad(raw[:80])
        return raw


def validate(form: Mapping[str, list[str]], table: Mapping[str, Param], version: str, api_label: str, required: Iterable[str] = ()) -> Changes:
    """Check ``form`` against ``table`` ({name: Param}); return ``{Param: value}`` in table order.

    Missing required parameters are rejected with 400 / 20001 naming the parameter. Unknown
    parameters, and parameters of another API version, are ignored and named for the request log
    within :func:`unknown_params`; strict (or outside a request) they are rejected the same way.
    """
    policy = _UNKNOWN.get()
    strict = policy is None or policy.strict
    unknown = []
    for name in form:
        param = table.get(name)
        if param is None:
            why = "not a parameter of this %s operation" % api_label
        elif param.versions is not None and version not in param.versions:
            why = "not supported by the %s API version %s" % (api_label, version)
        else:
            continue
        unknown.append(name)
        if policy is not None and name not in policy.names:
            policy.names.append(name)
        if strict:
            raise invalid_param("Invalid parameter %s: %s" % (name, why))
    for name in required:
        if name not in form:
            raise missing_param(name)
    return [(param, param.coerce(form[name])) for name, param in table.items() if name in form and name not in unknown]


def set_path(record: dict[str, Any], path: Sequence[str], value: Any) -> None:
    """Assign ``value`` at a nested ``path`` of ``record``, creating dicts on the way."""
    node = record
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
