"""Variants of the fake's Jasper for testing the conformance suite, as ASGI rewrites (see broken_variants.py).

    Rewrite (broken_variants)
    ├── WrongEnvelope        a single attribute comes back under "data" instead of "attribute"
    ├── PaginationRepeat     each page after the first starts with the previous page's last item
    ├── VersionLeak          a PUT to …/version/<v> is applied to the master
    ├── DeleteKeepsReadable  DELETE answers 200 {"message": "Deleted."} and deletes nothing
    └── OtherChoices         (correct, not broken) another error body, and 404 for a page past the end:
                             choices the seed leaves open, so it must pass
"""

from __future__ import annotations

import re
from dataclasses import replace

from broken_variants import Request, Response, Rewrite, json_response

V1 = "/jasper/api/v1"
LIST = re.compile(rf"^{V1}/generic-entities(/\d+/concrete-entities)?$")


class WrongEnvelope(Rewrite):
    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if re.fullmatch(rf"{V1}/attributes/\d+", request.path) and isinstance(body, dict) and "attribute" in body:
            return response.with_json({"data": body["attribute"]})
        return response


class PaginationRepeat(Rewrite):
    def __init__(self) -> None:
        self.last: dict[str, dict] = {}

    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if request.method != "GET" or not LIST.match(request.path) or not isinstance(body, dict):
            return response
        key = next((k for k in ("generic_entities", "concrete_entities") if k in body), None)
        items = body.get(key) or []
        page = (body.get("meta") or {}).get("current_page", 1)
        previous = self.last.get(request.path)
        if items:
            self.last[request.path] = items[-1]
        if page > 1 and previous is not None and items:
            return response.with_json({**body, key: [previous, *items[1:]]})
        return response


class VersionLeak(Rewrite):
    def request(self, request: Request) -> Request:
        if request.method == "PUT" and "/version/" in request.path:
            return replace(request, path=request.path.split("/version/")[0])
        return request


class DeleteKeepsReadable(Rewrite):
    def request(self, request: Request) -> Request | Response:
        if request.method == "DELETE" and request.path.startswith(V1):
            return json_response(200, {"message": "Deleted."})
        return request


class OtherChoices(Rewrite):
    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if response.status >= 400 and isinstance(body, dict) and "message" in body:
            return response.with_json({"error": {"status": response.status, "detail": body["message"]}})
        if LIST.match(request.path) and isinstance(body, dict):
            key = next((k for k in ("generic_entities", "concrete_entities") if k in body), None)
            if key and body[key] == [] and (body.get("meta") or {}).get("current_page", 1) > 1:
                return json_response(404, {"error": {"status": 404, "detail": "No such page"}})
        return response


BROKEN = {
    "wrong_envelope": WrongEnvelope,
    "pagination_repeat": PaginationRepeat,
    "version_leak": VersionLeak,
    "delete_keeps_readable": DeleteKeepsReadable,
}
