# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""Where a request goes and what it may carry, checked before anything is sent.

The base URL from the connection options (``api_base_url``, ``region``, ``edge``) and the warnings for
settings that expose the credentials; the path guard (safe segments only, and a SID of the kind its
collection holds: the resource tables declare the prefixes with ``declare_sid_prefix``); the form
encoding. ``_client.py`` sends the requests.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import ipaddress
import re
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from ansible_collections.chatops.twilio.plugins.module_utils._errors import TwilioConfigError, TwilioError, _endpoint, _redact_url, one_line

if TYPE_CHECKING:  # annotations only
    from collections.abc import Sequence
    from typing import Any, Union

    #: A form body: a dict or (name, value) pairs; a value may be a list (repeated key) or a boolean.
    FormData = Union[dict[str, Any], Sequence[tuple[str, Any]]]


DEFAULT_BASE_URL = 'https://{product}.twilio.com'

# A Functions environment serves its public Assets and Functions at https://{domain_name}{path}, with domain_name under
# twil.io (FUNCTIONS-DEPLOY.md 5.1). Against anything but Twilio's own hosts (api_base_url: the emulator, a proxy) that
# URL becomes this product with the domain name as the version: {product}=serverless-domains/{domain_name}{path}.
FUNCTIONS_DOMAIN = 'twil.io'
DOMAINS_PRODUCT = 'serverless-domains'
# The largest Asset Twilio takes (TK#167: uploads above 25 MB answer 413), read as decimal bytes, the smaller reading.
ASSET_MAX_BYTES = 25000000
_DOMAIN_RE = re.compile(r'(?=[a-z0-9.-]{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+twil\.io\Z')


# The SID prefix of the records of each collection, per product: {product: {collection: prefix}}. A path ending in a
# collection lists or creates its records; a path ending in an id fetches, updates or deletes one. The resource
# tables declare them (``_resource.Collection`` calls ``declare_sid_prefix``), so each prefix is written once.
COLLECTION_SIDS: dict[str, dict[str, str]] = {}


_SEGMENT_RE = re.compile(r'[A-Za-z0-9_-]+')


_ANY_SID_RE = re.compile(r'[A-Z]{2}[0-9a-fA-F]{32}')


def build_base_url(api_base_url: str | None = None, region: str | None = None, edge: str | None = None) -> str:
    """The base URL template (may contain ``{product}``) from the connection options."""
    for name, value in (('region', region), ('edge', edge)):
        if value and not re.fullmatch(r'[a-z0-9][a-z0-9-]*', value):
            raise TwilioConfigError('%s must be a Twilio %s name such as %s, got %r' % (name, name, 'ie1' if name == 'region' else 'dublin', value))
    if api_base_url:
        return check_base_url(api_base_url).rstrip('/')
    if not region and not edge:
        return DEFAULT_BASE_URL
    labels = ['{product}']
    if edge:
        labels.append(edge)
    labels.append(region or 'us1')
    return 'https://%s.twilio.com' % '.'.join(labels)


def check_base_url(url: str) -> str:
    """``url`` when it is a usable api_base_url; raises TwilioConfigError naming the rule (never the password)."""
    shown = _redact_url(url)
    if re.search(r'\s', url):
        raise TwilioConfigError('api_base_url must not contain white space, got %r' % shown)
    parts = urlsplit(url)
    if parts.scheme not in ('http', 'https') or not parts.netloc:
        raise TwilioConfigError('api_base_url must be an absolute http(s) URL such as https://{product}.twilio.com, got %r' % shown)
    if '@' in parts.netloc:
        raise TwilioConfigError(
            'api_base_url must not contain user:password@ (credentials go in account_sid and auth_token, or api_key and api_secret), got %r' % shown
        )
    if parts.query or parts.fragment or url.endswith(('?', '#')):
        raise TwilioConfigError('api_base_url must not contain a ?query or #fragment (it is the base that paths are appended to), got %r' % shown)
    return url


def base_url_warnings(base_url: str, validate_certs: bool) -> list[str]:
    """Warnings for connection settings that expose the credentials (they are still allowed)."""
    warnings = []
    parts = urlsplit(base_url)
    if parts.scheme == 'http' and not _is_loopback(parts.hostname or ''):
        warnings.append(
            'api_base_url %s uses plain http to a host that is not loopback: the Basic auth credentials travel in clear text' % _endpoint(base_url, path=False)
        )
    if not validate_certs and parts.scheme == 'https':
        warnings.append(
            'validate_certs=false: the TLS certificate of %s is not checked, so anything on the network '
            'path can pose as Twilio and read the credentials' % _endpoint(base_url, path=False)
        )
    return warnings


def _is_loopback(host: str) -> bool:
    if host == 'localhost' or host.endswith('.localhost'):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def declare_sid_prefix(product: str, path: str, prefix: str) -> None:
    """Record that the records of the collection at ``path`` (its last segment, ``Environments``) have SIDs ``prefix``."""
    COLLECTION_SIDS.setdefault(product, {})[path.strip('/').rsplit('/', 1)[-1]] = prefix


def expected_sid_prefix(product: str, path: str) -> str | None:
    """The SID prefix of the records a path's answer carries: its last collection's (a path ending in an id names
    one record of the collection before it). None for singletons and collections the table does not know (shape is
    still checked).
    """
    segments = path.strip('/').split('/')
    return COLLECTION_SIDS.get(product, {}).get(segments[-1] if len(segments) % 2 else segments[-2])


def check_path(product: str, path: str) -> None:
    """Refuse a path that is not a plain sequence of safe segments, or carries a SID of the wrong kind.

    SIDs and names taken from answers end up in paths; this is the last guard before a URL is built.
    """
    segments = path.strip('/').split('/')
    table = COLLECTION_SIDS.get(product, {})
    for index, segment in enumerate(segments):
        if not _SEGMENT_RE.fullmatch(segment):
            raise TwilioError('refusing to send a request to an unsafe path segment %s' % one_line(repr(segment), 80))
        if index % 2 and _ANY_SID_RE.fullmatch(segment):
            prefix = table.get(segments[index - 1])
            if prefix and segment[:2] != prefix:
                raise TwilioError('refusing to send a request for %s under %s: not a %s SID' % (segment, segments[index - 1], prefix))


def twilio_hosted(base_url: str) -> bool:
    """Whether the base URL is Twilio's own (https, under twilio.com): then a Functions domain is reached directly."""
    parts = urlsplit(base_url.replace('{product}', 'api'))
    return parts.scheme == 'https' and (parts.hostname or '').endswith('.twilio.com')


def domain_url(base_url: str, domain_name: str, path: str) -> str:
    """The URL of ``path`` on a Functions environment's domain, or TwilioError naming the rule.

    ``https://{domain_name}{path}`` when ``base_url`` is Twilio's own; otherwise (api_base_url set) the one rule of the
    emulator (and of any proxy in its place): ``base_url`` with ``{product}`` = ``serverless-domains``, then
    ``/{domain_name}{path}``. The domain must be a host name under twil.io, so that no answer can point the request at
    another host; the path is percent-encoded and may not climb (``.``, ``..``).
    """
    domain = ('%s' % domain_name).lower()
    if not _DOMAIN_RE.match(domain):
        raise TwilioError(
            'refusing to read from %s: not a host name under %s, the domain of Twilio Functions' % (one_line(repr(domain_name), 80), FUNCTIONS_DOMAIN)
        )
    segments = ('%s' % path).split('/')
    if segments[0] != '' or len(segments) < 2 or any(s in ('', '.', '..') for s in segments[1:]) or re.search(r'[\x00-\x1f\x7f\\]', path):
        raise TwilioError('refusing to read %s from %s: not a plain absolute path' % (one_line(repr(path), 80), domain))
    quoted = quote(path, safe="/-._~!*'=")
    if twilio_hosted(base_url):
        return 'https://%s%s' % (domain, quoted)
    if '{product}' not in base_url:
        raise TwilioConfigError(
            'api_base_url %s has no {product} placeholder, so it cannot serve the domain %s of a Functions environment '
            '({product}=%s/%s, see docs/serverless-api.md)' % (_endpoint(base_url), domain, DOMAINS_PRODUCT, domain)
        )
    return '%s/%s%s' % (base_url.replace('{product}', DOMAINS_PRODUCT), domain, quoted)


def encode_form(fields: FormData) -> list[tuple[str, str]]:
    """Form body as a list of pairs: booleans as true/false, lists as repeated keys.

    ``fields`` is a list of (name, value) pairs or a dict. An empty list becomes
    ``Name=`` (requests would drop the key entirely, so the list could never be emptied).
    """
    pairs = []
    for name, value in fields.items() if isinstance(fields, dict) else fields:
        if value is None:
            continue
        values = value if isinstance(value, (list, tuple)) else [value]
        if not values:
            pairs.append((name, ''))
        for item in values:
            if isinstance(item, bool):
                item = 'true' if item else 'false'
            pairs.append((name, '%s' % item))
    return pairs
