# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""Secret hygiene for text and data that may reach a message: the auth token or API secret in every
encoding an answer may echo it in (``Redactor``), and the password of a ``scheme://user:password@host`` URL.

The client passes every answer through its ``Redactor`` before the answer can reach an error or a warning;
the modules mask URL passwords in results, diffs, warnings and facts, and give them to ``no_log``.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import base64
import re

from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:  # annotations only
    from collections.abc import Iterable
    from typing import Any

# The password of a URL's userinfo (scheme://user:password@host): masked wherever a URL is shown.
_URL_PASSWORD_RE = re.compile(r'(?i)\b([a-z][a-z0-9+.-]*://[^\s/@:?#]*:)([^\s/@?#]+)(@)')


class Redactor(object):
    """Removes secrets, in every encoding an answer may echo them in, from text and nested data.

    ``secrets`` are the auth token or API secret (and a password found in a URL); ``users`` the
    account SID or API key they pair with. Besides the plain value this covers the Basic-auth
    header value (base64 of ``user:secret``, with and without padding), its URL-quoted and
    JSON-escaped forms, the URL-quoted secret, and the encodings a debugging proxy echoes the
    whole ``Authorization`` value in: hex (of ``user:secret`` and of ``Basic ...``, either case) and
    base64 of ``Basic ...``.
    """

    MASK = '********'

    def __init__(self, secrets: Iterable[str | None] = (), users: Iterable[str | None] = ()) -> None:
        variants: set[str] = set()
        for secret in secrets:
            if not secret or len(secret) < 4:
                continue
            variants.update([secret, quote(secret, safe='')])
            raw_secret = secret.encode('utf-8')
            variants.update([raw_secret.hex(), raw_secret.hex().upper()])
            for user in [u for u in users if u] + ['']:
                pair = ('%s:%s' % (user, secret)).encode('utf-8')
                basic = base64.b64encode(pair).decode('ascii')
                header = ('Basic %s' % basic).encode('ascii')
                wrapped = base64.b64encode(header).decode('ascii')
                variants.update([pair.hex(), pair.hex().upper(), header.hex(), header.hex().upper()])
                for form in (basic, basic.rstrip('='), wrapped, wrapped.rstrip('=')):
                    variants.update([form, quote(form, safe=''), form.replace('/', '\\/')])
        # Longest first, so that no shorter variant leaves a piece of a longer one behind.
        self.variants = sorted(variants, key=len, reverse=True)

    def text(self, value: str) -> str:
        for variant in self.variants:
            if variant in value:
                value = value.replace(variant, self.MASK)
        return mask_url_passwords(value)

    def data(self, value: Any) -> Any:
        """``value`` with every string in it (also dict keys) redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, bytes):
            for variant in self.variants:
                value = value.replace(variant.encode('utf-8'), self.MASK.encode('ascii'))
            return value
        if isinstance(value, dict):
            return dict((self.data(k), self.data(v)) for k, v in value.items())
        if isinstance(value, (list, tuple)):
            return type(value)(self.data(v) for v in value)
        return value


def mask_url_passwords(text: str) -> str:
    """``text`` with the password of every ``scheme://user:password@host`` URL in it masked (the user stays).

    Webhook URLs may carry credentials for the webhook's server; results, diffs, warnings and facts
    show ``https://user:********@host/...`` while the modules compare the real value.
    """
    if '@' not in text:
        return text
    return _URL_PASSWORD_RE.sub(lambda m: m.group(1) + Redactor.MASK + m.group(3), text)


def url_passwords(value: Any) -> set[str]:
    """The passwords of the ``scheme://user:password@host`` URLs in ``value`` (nested data), for no_log."""
    found: set[str] = set()
    if isinstance(value, str):
        found.update(m.group(2) for m in _URL_PASSWORD_RE.finditer(value))
    elif isinstance(value, dict):
        for item in value.values():
            found |= url_passwords(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            found |= url_passwords(item)
    return found


def replace_url_passwords(text: str, replacement: str) -> str:
    """``text`` with the password of every ``scheme://user:password@host`` URL in it replaced by ``replacement``."""
    if '@' not in text:
        return text
    return _URL_PASSWORD_RE.sub(lambda m: m.group(1) + replacement + m.group(3), text)
