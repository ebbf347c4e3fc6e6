"""A ``multipart/form-data`` parser (RFC 7578) for the Serverless upload product.

The standard library's ``cgi`` module is gone (Python 3.13) and ``email`` rewrites line endings
of text parts, which would hide what a client really uploaded; this parser keeps every byte.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .errors import invalid_param

if TYPE_CHECKING:  # annotations only
    from .params import Form

_PARAM = re.compile(r';\s*([A-Za-z0-9_*-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)')


class Part:
    """One part of a multipart body: its form name, file name (None for a plain field), type and bytes."""

    def __init__(self, name: str, filename: str | None, content_type: str | None, data: bytes) -> None:
        self.name = name
        self.filename = filename
        self.content_type = content_type
        self.data = data


def _header_params(value: str) -> dict[str, str]:
    params = {}
    for key, raw in _PARAM.findall(";" + value.split(";", 1)[1] if ";" in value else ""):
        raw = raw.strip()
        if raw.startswith('"') and raw.endswith('"') and len(raw) >= 2:
            raw = re.sub(r"\\(.)", r"\1", raw[1:-1])
        params[key.lower()] = raw
    return params


def parse_multipart(body: bytes, content_type: str | None) -> list[Part]:
    """The parts of a ``multipart/form-data`` body, in order; 400 / 20001 when it is not one."""
    ctype = (content_type or "").split(";")[0].strip().lower()
    if ctype != "multipart/form-data":
        raise invalid_param("Unsupported Content-Type %s: an upload is multipart/form-data" % (ctype or "(none)"))
    boundary = _header_params(content_type or "").get("boundary")
    if not boundary:
        raise invalid_param("Malformed multipart body: the Content-Type names no boundary")
    delimiter = b"\r\n--" + boundary.encode("latin-1")
    chunks = (b"\r\n" + body).split(delimiter)
    if len(chunks) < 2 or not chunks[-1].startswith(b"--"):
        raise invalid_param("Malformed multipart body: no closing boundary")
    parts = []
    for chunk in chunks[1:-1]:
        if not chunk.startswith(b"\r\n"):
            raise invalid_param("Malformed multipart body: a boundary is not followed by a line break")
        head, sep, data = chunk[2:].partition(b"\r\n\r\n")
        if not sep:
            raise invalid_param("Malformed multipart body: a part has no header end")
        headers = {}
        for line in head.decode("utf-8", "replace").split("\r\n"):
            name, colon, value = line.partition(":")
            if colon:
                headers[name.strip().lower()] = value.strip()
        disposition = headers.get("content-disposition", "")
        params = _header_params(disposition)
        if not disposition.lower().startswith("form-data") or "name" not in params:
            raise invalid_param("Malformed multipart body: a part has no Content-Disposition: form-data; name=...")
        parts.append(Part(params["name"], params.get("filename"), headers.get("content-type"), data))
    return parts


def text_fields(parts: list[Part]) -> Form:
    """The plain (non-file) fields as a form ``{name: [values]}``."""
    form: Form = {}
    for part in parts:
        if part.filename is None:
            try:
                form.setdefault(part.name, []).append(part.data.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise invalid_param("Parameter %s is not valid UTF-8" % part.name) from exc
    return form
