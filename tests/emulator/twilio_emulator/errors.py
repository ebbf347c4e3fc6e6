"""Twilio-style API errors raised by the emulator's resource handlers."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only
    from collections.abc import Mapping
    from typing import Any

MORE_INFO = "https://www.twilio.com/docs/errors/%d"


class TwilioError(Exception):
    """An error answered with Twilio's JSON error body.

    ``status`` is the HTTP status, ``code`` the Twilio error code.  ``extra``
    holds additional body fields (e.g. ``detail`` on 401) and ``headers``
    additional response headers (e.g. ``Retry-After``).
    """

    def __init__(self, status: int, code: int, message: str, extra: Mapping[str, Any] | None = None, headers: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        """The JSON body Twilio sends for this error."""
        body = {
            "code": self.code,
            "message": self.message,
            "more_info": MORE_INFO % self.code,
            "status": self.status,
        }
        body.update(self.extra)
        return body


def invalid_param(message: str) -> TwilioError:
    """400 / 20001: a parameter is missing, unknown or has an invalid value."""
    return TwilioError(400, 20001, message)


def missing_param(name: str) -> TwilioError:
    """400 / 20001 for a required parameter that was not sent."""
    return invalid_param("Missing required parameter %s in the post body" % name)


def not_found(resource_path: str) -> TwilioError:
    """404 / 20404; ``resource_path`` is relative to the API version, e.g. ``/Services/IS...``."""
    return TwilioError(404, 20404, "The requested resource %s was not found" % resource_path)


def method_not_allowed(method: str) -> TwilioError:
    """405 / 20004: the resource exists but does not support ``method``."""
    return TwilioError(405, 20004, "Method not allowed", extra={"detail": "%s is not supported on this resource" % method})


def authenticate(detail: str = "Your AccountSid or AuthToken was incorrect.") -> TwilioError:
    """401 / 20003 as answered by Twilio for missing or wrong credentials."""
    return TwilioError(401, 20003, "Authenticate", extra={"detail": detail}, headers={"WWW-Authenticate": 'Basic realm="Twilio API"'})


def conflict(message: str) -> TwilioError:
    """409 / 20409: a unique name (or domain suffix) is already taken, or the resource cannot be deleted in its state."""
    return TwilioError(409, 20409, message)


def page_size_too_large(maximum: int) -> TwilioError:
    """400 / 20007: PageSize above the list's maximum."""
    return TwilioError(400, 20007, "Page size too large: the maximum page size is %d" % maximum)
