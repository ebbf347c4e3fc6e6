# -*- coding: utf-8 -*-
# Copyright (c) chatops.twilio contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Misbehaving local HTTP(S) servers for the bad-input matrix (127.0.0.1 only).

* ``StubServer(status, content_type, body)``: answers every request with that response
  and records the methods it received;
* ``StubServer(..., tls=True)``: the same behind a self-signed certificate (made with
  the ``cryptography`` package), for TLS verification failures;
* ``ScriptedServer(answer)``: answers with whatever ``answer(handler, count)`` writes (drips,
  endless pages, huge bodies), recording each request and its arrival time;
* ``ClosedPort()``: a bound but not listening socket, so connecting is refused.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import os
import socket
import ssl
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HTML_502 = (
    '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n'
    '<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>\n'
)


def self_signed_cert(directory):
    """(cert_path, key_path) of a fresh self-signed certificate for 127.0.0.1."""
    # pylint: disable=import-outside-toplevel
    import ipaddress
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'chatops-twilio-selfsigned.invalid')])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path = os.path.join(directory, 'cert.pem')
    key_path = os.path.join(directory, 'key.pem')
    with open(cert_path, 'wb') as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, 'wb') as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return cert_path, key_path


class ScriptedServer(object):
    """A local HTTP(S) server whose answers a Python function writes: ``answer(handler, count)``.

    ``count`` is the number of the request (1, 2, ...); the function writes the whole raw
    answer to ``handler.wfile`` however it likes (slowly, endlessly, malformed). The server
    records ``(method, path)`` and the arrival time of every request. With ``tls`` it serves
    HTTPS behind a fresh self-signed certificate.
    """

    def __init__(self, answer, tls=False):
        stub = self
        self.requests = []
        self.times = []
        self.lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def _answer(self):
                length = int(self.headers.get('Content-Length') or 0)
                if length:
                    self.rfile.read(length)
                with stub.lock:
                    stub.requests.append((self.command, self.path))
                    stub.times.append(time.time())
                    count = len(stub.requests)
                try:
                    answer(self, count)
                except OSError:
                    self.close_connection = True  # the client went away: expected for hostile answers

            do_GET = do_POST = do_DELETE = _answer  # noqa: N815

            def log_message(self, *args):  # pylint: disable=arguments-differ
                return

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.server.daemon_threads = True
        self._tmp = None
        scheme = 'http'
        if tls:
            self._tmp = tempfile.TemporaryDirectory(prefix='stub-tls-')
            cert, key = self_signed_cert(self._tmp.name)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(cert, key)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = 'https'
        self.url = '%s://127.0.0.1:%d' % (scheme, self.server.server_address[1])
        self.api_base_url = self.url + '/{product}'
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={'poll_interval': 0.1}, daemon=True)
        self._thread.start()

    @property
    def methods(self):
        return [method for method, dummy in self.requests]

    def writes(self):
        return [m for m in self.methods if m in ('POST', 'DELETE')]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        if self._tmp is not None:
            self._tmp.cleanup()


class StubServer(ScriptedServer):
    """A local HTTP(S) server that gives every request the same canned answer."""

    def __init__(self, status=200, content_type='application/json', body='{}', tls=False):
        data = body.encode('utf-8')

        def canned(handler, count):
            handler.send_response(status)
            handler.send_header('Content-Type', content_type)
            handler.send_header('Content-Length', str(len(data)))
            handler.end_headers()
            handler.wfile.write(data)

        super(StubServer, self).__init__(canned, tls=tls)


class ClosedPort(object):
    """A 127.0.0.1 port that refuses connections for as long as this object lives."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(('127.0.0.1', 0))
        self.port = self.sock.getsockname()[1]
        self.url = 'http://127.0.0.1:%d' % self.port

    def stop(self):
        self.sock.close()


def send_json(handler, status, body, headers=None):
    """Write one complete JSON answer (``body`` already a str or bytes)."""
    data = body if isinstance(body, bytes) else body.encode('utf-8')
    handler.send_response(status)
    handler.send_header('Content-Type', 'application/json')
    handler.send_header('Content-Length', str(len(data)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(data)
