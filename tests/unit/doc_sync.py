# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the doc-fragment sync tests share: documented options against an argument spec, one line per difference."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

#: The option keys a fragment and a spec must agree on.
KEYS = ('type', 'elements', 'choices', 'aliases', 'default', 'required')


def differences(documented, spec, prefix=''):
    """One line per difference between documented options and an argument spec (``prefix``: the options' parent)."""
    found = []
    for name in sorted(set(documented) | set(spec)):
        if name not in spec:
            found.append('%s%s is documented but not in the spec' % (prefix, name))
        elif name not in documented:
            found.append('%s%s is in the spec but not documented' % (prefix, name))
        else:
            for key in KEYS:
                doc, want = documented[name].get(key), spec[name].get(key)
                if key == 'required':
                    doc, want = bool(doc), bool(want)
                if isinstance(doc, list) and isinstance(want, (list, tuple)):
                    doc, want = list(doc), list(want)
                if doc != want:
                    found.append('%s%s: %s is %r in the docs, %r in the spec' % (prefix, name, key, doc, want))
    return found
