"""Variants of the fake for testing the conformance suite: the real fake behind an ASGI wrapper that rewrites
requests and responses. Six are broken (the suite must exit 1 on each); one is a different but correct
vendor (it must pass without --strict).

    RewritingApp          buffers one request and its response, hands both to a `Rewrite`
    Several               several rewrites applied in turn (one server breaking several things at once)
    Rewrite               no-op hooks: `request` may answer by itself or change the request (method, path,
                          query, headers, body), `response` may change the answer
    ├── MissingField            GET /imports/{id} lacks error_rows
    ├── WrongStatusName         "done" instead of "completed"
    ├── MiscountedRows          created_rows one too many once a job has completed
    ├── ErrorRowLeftOut         the errors listing drops its first row
    ├── AuthNotEnforced         any or no token is taken for the valid one
    ├── ServerErrorOnBadInput   an upload without a file part gets a 500
    └── DifferentVendor         201 on create, another error body, rows numbered from 1 (JSON from 0), no extra
                                fields, no `pending`, skipped rows uncounted, a bad mapping failed after upload
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

IMPORTS = "/productsmanager/api/v1/imports"
JOB = re.compile(rf"^{IMPORTS}/(?P<id>[^/]+)$")
ERRORS = re.compile(rf"^{IMPORTS}/(?P<id>[^/]+)/errors$")
TOKEN = "pm_test_key_0001"


@dataclass
class Request:
    method: str
    path: str
    headers: list[tuple[bytes, bytes]]
    body: bytes
    query: bytes = b""  # the raw query string, without "?"

    def header(self, name: str) -> str | None:
        wanted = name.lower().encode()
        return next((v.decode("latin-1") for k, v in self.headers if k.lower() == wanted), None)


@dataclass
class Response:
    status: int
    headers: list[tuple[bytes, bytes]] = field(default_factory=lambda: [(b"content-type", b"application/json")])
    body: bytes = b""

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def with_json(self, data: Any, status: int | None = None) -> Response:
        return replace(self, body=json.dumps(data).encode(), status=self.status if status is None else status)


def json_response(status: int, data: Any) -> Response:
    return Response(status=status).with_json(data)


class Rewrite:
    def request(self, request: Request) -> Request | Response:
        return request

    def response(self, request: Request, response: Response) -> Response:
        return response


class Several(Rewrite):
    """Several rewrites at once, each seeing the request (and the answer) the one before it left."""

    def __init__(self, *rewrites: Rewrite) -> None:
        self.rewrites = rewrites

    def request(self, request: Request) -> Request | Response:
        for rewrite in self.rewrites:
            request = rewrite.request(request)
            if isinstance(request, Response):
                return request
        return request

    def response(self, request: Request, response: Response) -> Response:
        for rewrite in self.rewrites:
            response = rewrite.response(request, response)
        return response


class RewritingApp:
    """ASGI: read the whole request, let the rewrite change it or answer it, then change the inner app's answer."""

    def __init__(self, inner: Any, rewrite: Rewrite) -> None:
        self.inner = inner
        self.rewrite = rewrite

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return await self.inner(scope, receive, send)
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        request = Request(scope["method"], scope["path"], list(scope["headers"]), body, scope.get("query_string", b""))
        request = self.rewrite.request(request)
        if isinstance(request, Response):
            return await _send(send, request)
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": request.body, "more_body": False}
            return await receive()

        captured = Response(status=500, headers=[])
        chunks: list[bytes] = []

        async def capture(message: dict) -> None:
            if message["type"] == "http.response.start":
                captured.status, captured.headers = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        forwarded = {"method": request.method, "path": request.path, "raw_path": request.path.encode()}
        if (request.method, request.path) == (scope["method"], scope["path"]):
            forwarded = {}
        scope = {**scope, **forwarded, "headers": request.headers, "query_string": request.query}
        await self.inner(scope, replay, capture)
        captured.body = b"".join(chunks)
        await _send(send, self.rewrite.response(request, captured))


async def _send(send: Callable, response: Response) -> None:
    headers = [(k, v) for k, v in response.headers if k.lower() != b"content-length"]
    headers.append((b"content-length", str(len(response.body)).encode()))
    await send({"type": "http.response.start", "status": response.status, "headers": headers})
    await send({"type": "http.response.body", "body": response.body})


def _edit_job(response: Response, edit: Callable[[dict], None]) -> Response:
    body = response.json()
    if response.status == 200 and isinstance(body, dict):
        edit(body)
        return response.with_json(body)
    return response


class MissingField(Rewrite):
    """(1) GET /imports/{id} leaves out a documented field (PM-11)."""

    def response(self, request: Request, response: Response) -> Response:
        if request.method == "GET" and JOB.match(request.path):
            return _edit_job(response, lambda job: job.pop("error_rows", None))
        return response


class WrongStatusName(Rewrite):
    """(2) a finished job says "done" instead of "completed" (PM-12)."""

    def response(self, request: Request, response: Response) -> Response:
        def rename(job: dict) -> None:
            if job.get("status") == "completed":
                job["status"] = "done"

        return _edit_job(response, rename) if request.method == "GET" and JOB.match(request.path) else response


class MiscountedRows(Rewrite):
    """(3) created_rows is one too many once the job has finished (PM-15)."""

    def response(self, request: Request, response: Response) -> Response:
        def miscount(job: dict) -> None:
            if job.get("status") in ("completed", "completed_with_errors"):
                job["created_rows"] += 1

        return _edit_job(response, miscount) if request.method == "GET" and JOB.match(request.path) else response


class ErrorRowLeftOut(Rewrite):
    """(4) the errors listing silently drops a failed row (PM-16, PM-17)."""

    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        listed = isinstance(body, dict) and body.get("data")
        if request.method == "GET" and ERRORS.match(request.path) and response.status == 200 and listed:
            body["data"] = body["data"][1:]
            return response.with_json(body)
        return response


class AuthNotEnforced(Rewrite):
    """(5) requests without a token, or with a wrong one, are served as if the token were right (PM-01)."""

    def request(self, request: Request) -> Request:
        headers = [(k, v) for k, v in request.headers if k.lower() != b"authorization"]
        headers.append((b"authorization", f"Bearer {TOKEN}".encode()))
        return replace(request, headers=headers)


class ServerErrorOnBadInput(Rewrite):
    """(6) an upload without a file part crashes with a 500 instead of a 400 (PM-02)."""

    def request(self, request: Request) -> Request | Response:
        if (
            request.method == "POST"
            and request.path == IMPORTS
            and not re.search(rb'name="file"; filename=', request.body)
        ):
            return json_response(500, {"error": "internal", "message": "Internal server error."})
        return request


class DifferentVendor(Rewrite):
    """A correct server that chose differently wherever the seed is silent: 201 on create, its own error body,
    data rows numbered from 1 in CSV/XLSX listings and from 0 in JSON ones, none of the fake's extra job
    fields, no visible `pending` (a job is `processing` from its create on), rows of existing products
    skipped silently with update_existing=false (counted nowhere), and a mapping that is not a JSON object
    accepted at upload, its job then `failed`."""

    EXTRA_FIELDS = ("error_message", "started_at", "file_name", "update_existing")

    def __init__(self) -> None:
        self.formats: dict[str, str] = {}
        self.frozen: set[str] = set()  # jobs created with update_existing=false
        self.refused_late: dict[str, dict] = {}  # jobs of a bad mapping: this vendor fails them after the upload
        self.serial = 0

    def request(self, request: Request) -> Request | Response:
        job = JOB.match(request.path) if request.method == "GET" else None
        if job and job["id"] in self.refused_late and request.header("authorization") == f"Bearer {TOKEN}":
            return json_response(200, self.refused_late[job["id"]])
        errors = ERRORS.match(request.path) if request.method == "GET" else None
        if errors and errors["id"] in self.refused_late and request.header("authorization") == f"Bearer {TOKEN}":
            return json_response(200, {"data": [], "meta": {"page": 1, "per_page": 20, "total": 0}})
        return request

    def response(self, request: Request, response: Response) -> Response:
        body = response.json()
        if request.method == "POST" and request.path == IMPORTS:
            late = self._fail_later(request, response)
            if late is not None:
                return late
        if response.status >= 400 and isinstance(body, dict) and "message" in body:
            return response.with_json({"errors": [{"code": body.get("error"), "detail": body["message"]}]})
        if request.method == "POST" and request.path == IMPORTS and response.status == 202:
            self.formats[body["id"]] = body["format"]
            if _form_field(request.body, "update_existing") == "false":
                self.frozen.add(body["id"])
            return response.with_json({**body, "status": "processing"}, status=201)
        if request.method == "GET" and JOB.match(request.path):
            return _edit_job(response, self._edit_job)
        match = ERRORS.match(request.path) if request.method == "GET" else None
        if match and response.status == 200 and match["id"] in self.frozen:
            return response.with_json({"data": [], "meta": {**body["meta"], "total": 0}})
        if match and response.status == 200 and self.formats.get(match["id"]) in ("csv", "xlsx", "json"):
            for entry in body["data"]:
                entry["row"] -= 1  # CSV/XLSX data rows from 1, JSON items from 0
            return response.with_json(body)
        return response

    def _edit_job(self, job: dict) -> None:
        for name in self.EXTRA_FIELDS:
            job.pop(name, None)
        if job.get("status") == "pending":
            job["status"] = "processing"
        if job.get("id") in self.frozen:  # the existing products' rows skipped, neither refused nor counted
            job["error_rows"] = 0
            if job.get("status") == "completed_with_errors":
                job["status"] = "completed"

    def _fail_later(self, request: Request, response: Response) -> Response | None:
        """The fake refuses a bad mapping (400 invalid_mapping); this vendor accepts the upload and fails it."""
        body = response.json()
        file_format = _form_field(request.body, "format")
        if response.status != 400 or not isinstance(body, dict) or "mapping" not in str(body.get("message")):
            return None
        if file_format not in ("csv", "xlsx", "json") or b'name="file"; filename=' not in request.body:
            return None
        self.serial += 1
        job_id = f"imp_DV{self.serial:06d}"
        now = "2024-03-15T09:00:00Z"
        counts = dict.fromkeys(("total_rows", "processed_rows", "created_rows", "updated_rows", "error_rows"), 0)
        self.refused_late[job_id] = {
            "id": job_id,
            "status": "failed",
            **counts,
            "created_at": now,
            "completed_at": now,
            "format": file_format,
        }
        created = {"id": job_id, "status": "processing", "format": file_format, "total_rows": 0, "created_at": now}
        return json_response(201, created)


def _form_field(body: bytes, name: str) -> str | None:
    found = re.search(rb'name="' + name.encode() + rb'"\r\n\r\n([^\r]*)\r\n', body)
    return found[1].decode("utf-8", "replace") if found else None


BROKEN = {
    "missing_field": MissingField,
    "wrong_status_name": WrongStatusName,
    "miscounted_rows": MiscountedRows,
    "error_row_left_out": ErrorRowLeftOut,
    "auth_not_enforced": AuthNotEnforced,
    "server_error_on_bad_input": ServerErrorOnBadInput,
}
