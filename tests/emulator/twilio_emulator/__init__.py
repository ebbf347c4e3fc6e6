"""A stdlib-only emulator of the Twilio REST APIs used by chatops.twilio.

Products are mounted under a path prefix: ``/chat/v1``, ``/chat/v2``,
``/conversations/v1`` and ``/serverless/v1``.  See ``docs/architecture.md`` for the contract.
"""

from .accounts import DEFAULT_ACCOUNT_SID, DEFAULT_API_KEY, DEFAULT_API_SECRET, DEFAULT_AUTH_TOKEN
from .faults import KINDS as FAULT_KINDS
from .server import Emulator

__all__ = ["Emulator", "DEFAULT_ACCOUNT_SID", "DEFAULT_AUTH_TOKEN", "DEFAULT_API_KEY", "DEFAULT_API_SECRET", "FAULT_KINDS"]
