"""Reading a response body whatever the server sent: JSON when it is, else something to show or nothing."""

from __future__ import annotations

from typing import Any

import httpx


def body_of(response: httpx.Response) -> Any:
    """The JSON body, or the start of the text for a report when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return response.text[:300]


def json_body(response: httpx.Response) -> Any:
    """The JSON body, or None when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None


def sent(response: httpx.Response) -> str:
    """The request line of a response's request, for a report."""
    return f"{response.request.method} {response.request.url}"


def answered(response: httpx.Response) -> str:
    """The status and the start of the body, for a report."""
    return f"{response.status_code} {str(body_of(response))[:300]}"


def numbers_first(value: object) -> tuple[int, int, str]:
    """A sort key for values read from a body (ids, row numbers): integers in order, then anything else a server
    sent (null, text) by its text, so that a report never fails to sort what it shows."""
    return (0, value, "") if isinstance(value, int) else (1, 0, str(value))
