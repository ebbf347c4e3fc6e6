"""Twilio list responses: PageSize/Page/PageToken parsing and the ``meta`` block."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .errors import invalid_param, page_size_too_large

if TYPE_CHECKING:  # annotations only
    from collections.abc import Callable, Mapping
    from typing import Any

    from .store import Collection, Record

_INT = re.compile(r"^[0-9]+$")


def _int_query(query: Mapping[str, list[str]], name: str, default: int) -> int:
    values = query.get(name)
    if not values:
        return default
    if not _INT.match(values[0]):
        raise invalid_param("Invalid value '%s' for parameter %s: expected a non-negative integer" % (values[0][:40], name))
    return int(values[0])


def list_response(
    query: Mapping[str, list[str]], collection: Collection, list_url: str, key: str, serialize: Callable[[Record], dict[str, Any]], max_page_size: int
) -> dict[str, Any]:
    """Answer a list request with ``{key: [...], "meta": {...}}``.

    ``list_url`` is the absolute URL of the list on the emulator's own host
    (so SDKs following ``next_page_url`` stay on the emulator).
    """
    page_size = _int_query(query, "PageSize", 50)
    if page_size < 1:
        raise invalid_param("Invalid value '%d' for parameter PageSize: must be between 1 and %d" % (page_size, max_page_size))
    if page_size > max_page_size:
        raise page_size_too_large(max_page_size)
    page_number = _int_query(query, "Page", 0)
    token = (query.get("PageToken") or [""])[0]
    page = collection.page(page_size, page_number, token or None)
    records = page.records

    def page_url(number: int, page_token: str | None = None) -> str:
        url = "%s?PageSize=%d&Page=%d" % (list_url, page_size, number)
        return url + ("&PageToken=%s" % page_token if page_token else "")

    meta = {
        "first_page_url": page_url(0),
        "key": key,
        "next_page_url": page_url(page_number + 1, "PA" + records[-1]["sid"]) if page.has_next and records else None,
        "page": page_number,
        "page_size": page_size,
        "previous_page_url": page_url(max(page_number - 1, 0), "PB" + records[0]["sid"]) if page.has_previous and records else None,
        "url": page_url(page_number, token or None),
    }
    return {key: [serialize(record) for record in records if record["sid"] not in page.lagging], "meta": meta}
