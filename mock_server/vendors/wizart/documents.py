"""JSON:API v1.1 documents: resources, collections with page links, sparse fieldsets, error documents."""

from __future__ import annotations

import math
import re
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from starlette.responses import Response

from mock_server.errors import FakeError
from mock_server.responses import dumps
from mock_server.specs import Messages
from mock_server.vendors.base import Rendered, rendered
from mock_server.vendors.wizart.rules import JSONAPI, MEDIA_TYPE

DEFAULT_PAGE_SIZE = 20


def respond(document: dict, status: int = 200, headers: dict | None = None) -> Response:
    return Response(dumps({"jsonapi": JSONAPI, **document}), status_code=status, headers=headers,
                    media_type=MEDIA_TYPE)


def sparse(members: dict, wanted: str | None) -> dict:
    """`fields[type]=a,b`: only those fields, attributes and relationships alike (JSON:API 1.1 "Sparse
    Fieldsets": a relationship not named is left out); names the type lacks are ignored."""
    if wanted is None:
        return members
    keep = set(wanted.split(","))
    return {k: v for k, v in members.items() if k in keep}


def resource(kind: str, ident: str, attributes: dict, *, fields: dict | None = None, links: dict | None = None,
             relationships: dict | None = None, meta: dict | None = None) -> dict:
    wanted = (fields or {}).get(kind)
    out = {"type": kind, "id": ident, "attributes": sparse(attributes, wanted)}
    relationships = sparse(relationships or {}, wanted)
    if relationships:
        out["relationships"] = relationships
    if links:
        out["links"] = links
    if meta:
        out["meta"] = meta
    return out


def page_of(page: dict | None) -> tuple[int, int]:
    page = page or {}
    return int(page.get("number", 1)), int(page.get("size", DEFAULT_PAGE_SIZE))


def query_of(**params: object) -> dict[str, str]:
    """The listing's own query (sort, filter[...], fields[...]) to carry into every page link."""
    out: dict[str, str] = {}
    for family, value in params.items():
        if isinstance(value, dict):
            out.update({f"{family}[{key}]": str(v) for key, v in value.items()})
        elif value is not None:
            out[family] = str(value)
    return out


def page_links(path: str, query: dict[str, str], number: int, size: int, total: int) -> dict:
    last = max(1, math.ceil(total / size))

    def link(n: int) -> str:
        return f"{path}?{urlencode({**query, 'page[number]': n, 'page[size]': size})}"

    return {"self": link(number), "first": link(1), "last": link(last),
            "prev": link(number - 1) if 1 < number <= last + 1 else None,
            "next": link(number + 1) if number < last else None}


def collection(items: list[dict], *, path: str, query: dict[str, str], number: int, size: int, total: int,
               meta: dict | None = None) -> dict:
    return {"data": items, "links": page_links(path, query, number, size, total),
            "meta": {"page": {"number": number, "size": size, "total": total,
                              "pages": max(1, math.ceil(total / size))}, **(meta or {})}}


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def error_object(error: FakeError, detail: str) -> dict:
    out: dict[str, Any] = {"status": str(error.status), "code": error.code, "title": _title(error.status),
                           "detail": detail}
    source = {key: error.extra[key] for key in ("pointer", "parameter", "header") if error.extra.get(key)}
    if source:
        out["source"] = source
    return out


def render_error(error: FakeError, messages: Messages) -> Rendered:
    """Every error as a JSON:API errors document, `status` a string; framework errors take the catalog's text."""
    detail = error.message
    if error.extra.get("generic"):
        params = {k: v for k, v in error.extra.items() if k not in ("generic", "pointer", "parameter", "header")}
        try:
            text = messages.get("requests", error.code, default=error.message, detail=error.message, **params)
            detail = error.message if text is None else text
        except (KeyError, IndexError):
            detail = error.message
        if error.code == "bad_request":
            detail = error.message  # Connexion's own sentence says which parameter or field is wrong
        error = _source_from_framework(error)
    body = {"jsonapi": JSONAPI, "errors": [error_object(error, detail)]}
    return rendered(error, body, MEDIA_TYPE, challenge='Bearer realm="wizart"')


def _source_from_framework(error: FakeError) -> FakeError:
    """Connexion names the offending query parameter in its sentence: carried as `source.parameter`."""
    text = error.message
    match = re.search(r"[Ee]xtra query parameter\(s\) (\S+?),? ", text) or re.search(r"query parameter '([^']+)'", text)
    if match and "parameter" not in error.extra:
        return error.but(parameter=match.group(1))
    return error
