"""JSON responses built once, with orjson: handlers return these and Connexion passes them through."""

from __future__ import annotations

import json

import orjson
from starlette.responses import Response


def dumps(body: object) -> bytes:
    """orjson, or — for text orjson refuses, such as a lone surrogate echoed from a client's input —
    the standard library with every non-ASCII character escaped."""
    try:
        return orjson.dumps(body)
    except TypeError:
        return json.dumps(body, ensure_ascii=True, default=str).encode()


def json_response(body: object, status: int = 200, headers: dict | None = None,
                  media_type: str = "application/json") -> Response:
    return Response(dumps(body), status_code=status, headers=headers, media_type=media_type)
