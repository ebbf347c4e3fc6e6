# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# INTERNAL: this file is private to the chatops.twilio collection.
# It has no stability promise: names and behaviour may change in any release.

"""Bounded parallelism for the set modules: per-item work a few at a time, reported in the order of the items.

A set module's per-service reads and writes wait on the network far more than they compute, so
:func:`in_order` runs them on up to ``parallelism`` threads (as Terraform's ``-parallelism`` and the
Serverless Toolkit do, 10 each). What stays as in a sequential run:

* results come back in the order of the items, and so do the diffs built from them;
* each worker holds its item's warnings and failure (``TwilioModule.held``); they are reported after the
  workers are done, item by item in input order, and the failure reported is that of the first failing item;
* after a failure, no item that has not started yet is started (items start in input order, so every item
  before the failing one has run: the one reported is the one a sequential run would have stopped at, unless an
  earlier item that was still running failed too, which is then reported instead);
* the workers share the client (``_client.py``): each has its own ``requests.Session``, and a 429 or
  ``Retry-After`` met by one holds every worker's next attempt;
* ``parallelism`` 1 runs the items one after the other in the calling thread, exactly as before.
"""

from __future__ import absolute_import, annotations, division, print_function

__metaclass__ = type

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING

from ansible_collections.chatops.twilio.plugins.module_utils._module import HeldFailure

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Sequence
    from typing import TypeVar

    from ansible_collections.chatops.twilio.plugins.module_utils._module import TwilioModule

    Item = TypeVar('Item')
    Result = TypeVar('Result')

#: The default number of workers of a set module, and the most it takes (more only meets Twilio's
#: per-account concurrency limit sooner: its answer is a 429 that then holds every worker).
DEFAULT = 8
MOST = 32


def check(value: int, option: str = 'parallelism') -> str | None:
    """The message for a ``parallelism`` out of its range, or None."""
    if not 1 <= value <= MOST:
        return '%s must be from 1 to %d (1 runs the services one after the other), got %d' % (option, MOST, value)
    return None


def in_order(module: TwilioModule, items: Sequence[Item], work: Callable[[Item], Result], parallelism: int) -> list[Result]:
    """``[work(item) for item in items]`` with at most ``parallelism`` items at a time, reported as if sequential."""
    if parallelism <= 1 or len(items) <= 1:
        return [work(item) for item in items]
    stop = threading.Event()

    def task(item: Item) -> tuple[Result | None, list[str], BaseException | None, bool]:
        if stop.is_set():
            return None, [], None, False
        with module.held() as warnings:
            try:
                return work(item), warnings, None, True
            except Exception as exc:  # pylint: disable=broad-exception-caught  # re-raised in order, below
                stop.set()
                return None, warnings, exc, True

    with ThreadPoolExecutor(max_workers=min(parallelism, len(items)), thread_name_prefix='twilio-set') as pool:
        outcomes = list(pool.map(task, items))
    failure: BaseException | None = None
    for dummy, warnings, error, ran in outcomes:
        for warning in warnings:
            module.warn(warning)
        if failure is None and error is not None:
            failure = error
    if isinstance(failure, HeldFailure):
        module.fail_json(**failure.result)
    if failure is not None:
        raise failure
    return [value for value, dummy, dummy_error, ran in outcomes]  # type: ignore[misc]  # every item ran without error
