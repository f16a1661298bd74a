"""JSON responses built once, with orjson: handlers return these and Connexion passes them through."""

from __future__ import annotations

import orjson
from starlette.responses import Response


def json_response(body: object, status: int = 200, headers: dict | None = None,
                  media_type: str = "application/json") -> Response:
    return Response(orjson.dumps(body), status_code=status, headers=headers, media_type=media_type)
