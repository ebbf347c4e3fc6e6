"""Shared helpers of the emulator tests (a uniquely named module: several conftest.py share one pytest run)."""

import json
import pathlib

import requests

from twilio_emulator import DEFAULT_ACCOUNT_SID, DEFAULT_API_KEY, DEFAULT_API_SECRET, DEFAULT_AUTH_TOKEN

SPEC_DIR = pathlib.Path(__file__).resolve().parent.parent / "specs"
OTHER_ACCOUNT_SID = "AC" + "b" * 32
OTHER_AUTH_TOKEN = "b" * 32
OTHER_API_KEY = "SK" + "b" * 32
OTHER_API_SECRET = "other-secret"
ACCOUNTS = [
    {"account_sid": DEFAULT_ACCOUNT_SID, "auth_token": DEFAULT_AUTH_TOKEN, "api_keys": [{"sid": DEFAULT_API_KEY, "secret": DEFAULT_API_SECRET}]},
    {"account_sid": OTHER_ACCOUNT_SID, "auth_token": OTHER_AUTH_TOKEN, "api_keys": [{"sid": OTHER_API_KEY, "secret": OTHER_API_SECRET}]},
]


def load_spec(name):
    """One of the official specs copied into tests/emulator/specs (e.g. ``twilio_chat_v2``)."""
    with open(SPEC_DIR / (name + ".json"), encoding="utf-8") as handle:
        return json.load(handle)


class Api:
    """A ``requests`` session bound to the emulator's base URL and one set of credentials."""

    def __init__(self, base_url, auth):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.auth = auth

    def request(self, method, path, **kwargs):
        """``path`` is relative to the base URL (``/chat/v2/Services``) or absolute."""
        url = path if path.startswith("http") else self.base_url + path
        kwargs.setdefault("timeout", 10)
        return self.session.request(method, url, **kwargs)

    def get(self, path, **kwargs):
        """GET."""
        return self.request("GET", path, **kwargs)

    def post(self, path, data=None, **kwargs):
        """POST a form."""
        return self.request("POST", path, data=data, **kwargs)

    def delete(self, path, **kwargs):
        """DELETE."""
        return self.request("DELETE", path, **kwargs)

    def create(self, path, data):
        """POST a create and return the JSON, asserting 201."""
        response = self.post(path, data)
        assert response.status_code == 201, response.text
        return response.json()

    def close(self):
        """Close the session."""
        self.session.close()
