"""Fixtures: one in-process emulator for the session, reset before every test."""

import pytest

from twilio_emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN, Emulator

from emulator_helpers import ACCOUNTS, OTHER_ACCOUNT_SID, OTHER_AUTH_TOKEN, Api


@pytest.fixture(scope="session")
def emulator():
    """The shared emulator (two accounts), strict about unknown form parameters: the tests that rely on a 400 for
    one keep their meaning, and test_emu_unknown_params.py switches to Twilio's lenient default."""
    emu = Emulator(accounts=ACCOUNTS, strict_params=True)
    emu.start()
    yield emu
    emu.stop()


@pytest.fixture(autouse=True)
def _clean_emulator(emulator):
    emulator.reset(faults=True, config=True)
    yield
    emulator.clear_faults()


@pytest.fixture
def base_url(emulator):
    """``http://127.0.0.1:<port>``."""
    return emulator.base_url


@pytest.fixture
def api(base_url):
    """Session authenticated as the default account."""
    session = Api(base_url, (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN))
    yield session
    session.close()


@pytest.fixture
def other_api(base_url):
    """Session authenticated as the second account."""
    session = Api(base_url, (OTHER_ACCOUNT_SID, OTHER_AUTH_TOKEN))
    yield session
    session.close()


@pytest.fixture
def default_sid(emulator):
    """The SID of the default account's default Conversations Service (made with the account, as Twilio does)."""
    return emulator.store.accounts[DEFAULT_ACCOUNT_SID].conversations_settings["default_chat_service_sid"]


@pytest.fixture
def other_default_sid(emulator):
    """The SID of the second account's default Conversations Service."""
    return emulator.store.accounts[OTHER_ACCOUNT_SID].conversations_settings["default_chat_service_sid"]
