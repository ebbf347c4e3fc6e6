# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""When the client's one retry loop (``TwilioClient._retrying``) may re-send a request, and how long it waits.

The loop itself stays in ``_client.py``; this is its rule: which failures a request of each kind may be
re-sent after (``retry_delay``) and the backoff between attempts (``backoff_delay``).
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import random

from ansible_collections.chatops.twilio.plugins.module_utils._errors import TwilioApiError, TwilioConnectionError, TwilioError

BACKOFF_BASE = 0.5
BACKOFF_CAP = 10.0

# Methods whose effect does not depend on how many times they are sent.
# POST is only idempotent for updates, which callers say explicitly (kind='update').
_KIND_IDEMPOTENT = ('read', 'update', 'delete')


def backoff_delay(attempt: int, base: float = BACKOFF_BASE, cap: float = BACKOFF_CAP) -> float:
    """Exponential backoff with 'equal jitter': half fixed, half random, capped."""
    ceiling: float = min(cap, base * (2**attempt))
    return ceiling / 2 + random.uniform(0, ceiling / 2)


def retry_delay(error: TwilioError, kind: str, attempt: int) -> float | None:
    """Seconds to wait before re-sending a request of ``kind`` that failed with ``error``, or None when it must not be re-sent."""
    if isinstance(error, TwilioApiError):
        if error.status == 429:
            retryable = True  # Twilio never processed it
        else:
            retryable = error.status >= 500 and kind in _KIND_IDEMPOTENT
    elif isinstance(error, TwilioConnectionError):
        retryable = error.retryable and (kind in _KIND_IDEMPOTENT or not error.sent)
    else:
        retryable = False
    if not retryable:
        return None
    retry_after = getattr(error, 'retry_after', None)
    return retry_after if retry_after is not None else backoff_delay(attempt)
