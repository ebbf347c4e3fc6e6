# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Fixtures of the reliability suite: one in-process Twilio emulator per test module."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

import harness  # pylint: disable=import-error


def _is_worker(config):
    return hasattr(config, 'workerinput')


def pytest_sessionstart(session):
    """Start a new figures summary (in the controlling process only)."""
    if not _is_worker(session.config) and os.path.exists(harness.SUMMARY_FILE):
        os.unlink(harness.SUMMARY_FILE)


def pytest_terminal_summary(terminalreporter, config):
    """Print the figures the tests reported (soak counts, matrix size, concurrency)."""
    if _is_worker(config) or not os.path.exists(harness.SUMMARY_FILE):
        return
    terminalreporter.section('reliability figures')
    with open(harness.SUMMARY_FILE) as handle:
        for line in handle:
            terminalreporter.write_line(line.rstrip())


@pytest.fixture(scope='module')
def emulator():
    """A fresh emulator (port 0) for the test module, stopped afterwards."""
    handle = harness.EmulatorHandle()
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def clean(emulator):  # pylint: disable=redefined-outer-name
    """The module's emulator with no services, no faults and an empty request log."""
    emulator.reset(faults=True)
    yield emulator
    emulator.clear_faults()
