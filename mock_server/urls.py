"""Whether a URL a client gives us (a webhook's callback, a source to fetch) is one the fake could call.

One check for every URL field, so that no parser error (`urlsplit`'s "Invalid IPv6 URL", a port out of
range, httpx's `InvalidURL`) escapes as a 500 at creation or later when the URL is used.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx

SCHEMES = ("http", "https")
MAX_LENGTH = 2048


def http_url(text: object) -> bool:
    """An absolute http(s) URL with a host, a valid port if any, no whitespace or control characters."""
    if not isinstance(text, str) or not text or len(text) > MAX_LENGTH:
        return False
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text):
        return False
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
        httpx.URL(text)
    except (ValueError, httpx.InvalidURL):
        return False
    return parts.scheme.lower() in SCHEMES and bool(parts.hostname)
