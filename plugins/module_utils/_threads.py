# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""What the client (``_client.py``) needs to be used by several threads at once: the set modules' workers.

* :class:`ThreadSessions`: one ``requests.Session`` per thread. requests does not document a Session as
  thread-safe (its cookie jar, its adapters' pools and its settings are shared mutable state), so no two
  threads ever send through the same one: the thread that built the client keeps the client's session, any
  other thread gets a copy of its settings (credentials, headers) with a connection pool of its own, kept for
  that thread's later requests (keep-alive per worker).
* :class:`RateGate`: the workers share the one retry loop's rule. When Twilio answers one of them 429, or with
  ``Retry-After``, the others hold their next attempt until that wait is over too, each within its own request's
  budget (``retry_timeout`` + ``timeout``): a rate limit slows the whole run at once, instead of each worker
  meeting it anew. The thread that met it waits in its own retry loop, as before, never at the gate: with one
  thread, nothing changes.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import threading
import time

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only
    import requests

    from ansible_collections.chatops.twilio.plugins.module_utils._errors import TwilioError


class ThreadSessions(object):
    """The session of each thread: ``session`` for the thread that made this, a copy of its settings for any other."""

    def __init__(self, session: requests.Session) -> None:
        self.session = session
        self.owner = threading.current_thread()  # the thread itself, not its ident: a later thread may reuse an ident
        self.local = threading.local()

    def here(self) -> requests.Session:
        """The calling thread's session."""
        if threading.current_thread() is self.owner:
            return self.session
        session: requests.Session | None = getattr(self.local, 'session', None)
        if session is None:
            session = type(self.session)()
            session.auth = self.session.auth
            session.headers.clear()
            session.headers.update(self.session.headers)
            self.local.session = session
        return session


class RateGate(object):
    """Until when the threads other than the one that met a rate limit hold their next attempt."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.until: float = 0.0
        self.owner: threading.Thread | None = None  # the thread itself: a later thread may reuse its ident

    def close_for(self, error: TwilioError, delay: float | None) -> None:
        """After an answer 429 or with ``Retry-After`` that the calling thread waits ``delay`` seconds for."""
        if delay is None or not (getattr(error, 'status', None) == 429 or getattr(error, 'retry_after', None) is not None):
            return
        until = time.monotonic() + delay
        with self.lock:
            if until > self.until:
                self.until, self.owner = until, threading.current_thread()

    def wait(self, deadline: float) -> None:
        """Hold the calling thread while another thread's rate-limit wait runs, at most until ``deadline`` (monotonic)."""
        with self.lock:
            until, owner = self.until, self.owner
        wait = min(until, deadline) - time.monotonic()
        if owner is not threading.current_thread() and wait > 0:
            time.sleep(wait)
