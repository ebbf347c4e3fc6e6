"""The command line entry point: start, port file, accounts, clean shutdown."""

import json
import os
import pathlib
import signal
import subprocess
import sys
import time

import requests

from twilio_emulator import DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN

PACKAGE_ROOT = str(pathlib.Path(__file__).resolve().parent.parent)


def _start(tmp_path, *args, env=None):
    port_file = tmp_path / "port"
    environ = dict(os.environ, PYTHONPATH=PACKAGE_ROOT)
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY", "TWILIO_API_SECRET"):
        environ.pop(name, None)
    environ.update(env or {})
    proc = subprocess.Popen(
        [sys.executable, "-m", "twilio_emulator", "--port", "0", "--port-file", str(port_file), *args],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 15
    while not port_file.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "emulator did not start"
        time.sleep(0.05)
    return proc, "http://127.0.0.1:%d" % int(port_file.read_text(encoding="utf-8"))


def _stop(proc, signum=signal.SIGTERM):
    proc.send_signal(signum)
    out, err = proc.communicate(timeout=15)
    return proc.returncode, out, err


def test_default_account_printed_and_sigterm_exits_0(tmp_path):
    proc, base = _start(tmp_path, "--fault-kinds", "503", "--fault-next", "1")
    try:
        assert requests.get(base + "/chat/v2/Services", auth=(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN), timeout=5).status_code == 503
        assert requests.get(base + "/chat/v2/Services", auth=(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN), timeout=5).status_code == 200
    finally:
        code, out, err = _stop(proc)
    assert code == 0, err
    assert "export TWILIO_API_BASE_URL='%s/{product}'\n" % base in out
    assert "export TWILIO_ACCOUNT_SID='%s' TWILIO_AUTH_TOKEN='%s'\n" % (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN) in out
    assert "ignoring" not in err


def test_any_address_prints_a_loopback_url_to_copy(tmp_path):
    proc, base = _start(tmp_path, "--host", "0.0.0.0")
    code, out, err = _stop(proc)
    assert code == 0, err
    assert "listening on http://0.0.0.0:%s" % base.rsplit(":", 1)[1] in out
    assert "export TWILIO_API_BASE_URL='%s/{product}'\n" % base in out


def test_sigint_exits_0(tmp_path):
    proc, base = _start(tmp_path)
    assert requests.get(base + "/__emulator/health", timeout=5).json() == {"ok": True}
    code, dummy, err = _stop(proc, signal.SIGINT)
    assert code == 0, err


def test_environment_credentials_are_ignored_and_never_printed(tmp_path):
    sid, token = "AC" + "c" * 32, "real-token-" + "c" * 21
    key, secret = "SK" + "c" * 32, "real-secret-" + "c" * 20
    env = {"TWILIO_ACCOUNT_SID": sid, "TWILIO_AUTH_TOKEN": token, "TWILIO_API_KEY": key, "TWILIO_API_SECRET": secret}
    proc, base = _start(tmp_path, "--max-services", "serverless=1", env=env)
    try:
        assert requests.get(base + "/chat/v2/Services", auth=(sid, token), timeout=5).status_code == 401
        assert requests.get(base + "/chat/v2/Services", auth=(key, secret), timeout=5).status_code == 401
        auth = (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)
        assert requests.post(base + "/serverless/v1/Services", data={"UniqueName": "a", "FriendlyName": "a"}, auth=auth, timeout=5).status_code == 201
        assert requests.post(base + "/serverless/v1/Services", data={"UniqueName": "b", "FriendlyName": "b"}, auth=auth, timeout=5).status_code == 400
    finally:
        code, out, err = _stop(proc)
    assert code == 0, err
    for value in (token, secret, sid, key):
        assert value not in out and value not in err
    assert "ignoring TWILIO_ACCOUNT_SID, TWILIO_API_KEY, TWILIO_API_SECRET, TWILIO_AUTH_TOKEN from the environment" in err
    assert "export TWILIO_ACCOUNT_SID='%s' TWILIO_AUTH_TOKEN='%s'" % (DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN) in out


def test_accounts_file(tmp_path):
    accounts = [{"account_sid": "AC" + "d" * 32, "auth_token": "file-token-1", "api_keys": [{"sid": "SK" + "d" * 32, "secret": "file-secret-1"}]}]
    path = tmp_path / "accounts.json"
    path.write_text(json.dumps(accounts), encoding="utf-8")
    proc, base = _start(tmp_path, "--accounts", str(path))
    try:
        assert requests.get(base + "/chat/v1/Services", auth=("SK" + "d" * 32, "file-secret-1"), timeout=5).status_code == 200
        assert requests.get(base + "/chat/v1/Services", auth=(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN), timeout=5).status_code == 401
    finally:
        code, out, err = _stop(proc)
    assert code == 0, err
    assert "AC" + "d" * 32 in out and "SK" + "d" * 32 in out
    assert "file-token-1" not in out and "file-secret-1" not in out and DEFAULT_AUTH_TOKEN not in out


def test_bad_accounts_file_exits_2(tmp_path):
    path = tmp_path / "accounts.json"
    path.write_text(json.dumps([{"account_sid": "nope"}]), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "twilio_emulator", "--port", "0", "--accounts", str(path)],
        env=dict(os.environ, PYTHONPATH=PACKAGE_ROOT),
        capture_output=True,
        text=True,
        timeout=15,
        check=False,
    )
    assert proc.returncode == 2
    assert "account_sid" in proc.stderr


def test_port_in_use_exits_2_naming_the_address(tmp_path):
    proc, base = _start(tmp_path)
    try:
        port = base.rsplit(":", 1)[1]
        second = subprocess.run(
            [sys.executable, "-m", "twilio_emulator", "--port", port],
            env=dict(os.environ, PYTHONPATH=PACKAGE_ROOT),
            capture_output=True,
            text=True,
            timeout=15,
            check=False,
        )
    finally:
        _stop(proc)
    assert second.returncode == 2
    assert "cannot listen on 127.0.0.1:%s" % port in second.stderr and "Traceback" not in second.stderr
